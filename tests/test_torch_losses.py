"""The torch losses on the Dirac-GAN (G = θ, D(x) = ψ·x, data at 0): closed forms, and the symbolic core."""

import itertools

import numpy as np
import pytest
import torch

from models.losses import LOSSES, disc_objective, gen_loss
from models.regularizers import REGULARIZERS, objectives

PARAMS = {"gamma": 0.7, "sigma": 0.4, "target": 1.0}


def torch_field(loss, reg, theta, psi, nodes=60, **params):
    """v = (−∂L_G/∂θ, ∂L_D/∂ψ) by autograd; instance noise as the exact Gauss–Hermite expectation."""
    th = torch.tensor(theta, dtype=torch.float64, requires_grad=True)
    ps = torch.tensor(psi, dtype=torch.float64, requires_grad=True)
    weights = noise = None
    if reg == "instance-noise":
        x, w = np.polynomial.hermite_e.hermegauss(nodes)
        w = w / w.sum()
        grid = np.meshgrid(x, x, indexing="ij")
        nr, nf = (torch.tensor(a, dtype=torch.float64).reshape(-1, 1) for a in grid)
        weights = torch.tensor(np.outer(w, w).ravel(), dtype=torch.float64)
        noise = (nr.reshape(-1, 1), nf.reshape(-1, 1))
    n = 1 if noise is None else noise[0].shape[0]
    real = torch.zeros(n, 1, dtype=torch.float64)
    fake = th * torch.ones(n, 1, dtype=torch.float64)
    obj_d, loss_g = objectives(
        loss,
        reg,
        lambda x: ps * x[:, 0],
        real,
        fake,
        weights=weights,
        noise=noise,
        g_params=[th],
        d_params=[ps],
        **params,
    )
    (g_th,) = torch.autograd.grad(loss_g, th, retain_graph=True)
    (g_ps,) = torch.autograd.grad(obj_d, ps)
    return -g_th.item(), g_ps.item()


def points(rng, n=6):
    """Random (θ, ψ) away from the kinks of hinge, wgan-gp and loss-sensitive."""
    out = []
    while len(out) < n:
        th, ps = rng.uniform(-1.5, 1.5, 2)
        if (
            abs(ps) > 0.05
            and abs(th) > 0.05
            and abs(1 - ps * th) > 0.05
            and abs(1 + ps * th) > 0.05
            and abs(abs(ps) - 1) > 0.05
            and abs(abs(th) - ps * th) > 0.05
        ):
            out.append((th, ps))
    return out


def sig(t):
    return 1 / (1 + np.exp(-t))


CLOSED = {  # (v_θ, v_ψ) of each loss without regularizer, by hand
    "gan": lambda t, p, g: (-p * sig(-p * t), t * sig(-p * t)),
    "nsgan": lambda t, p, g: (-p * sig(p * t), t * sig(-p * t)),
    "wgan": lambda t, p, g: (-p, t),
    "wgan-gp": lambda t, p, g: (-p, t - g * (abs(p) - 1) * np.sign(p)),
    "least-squares": lambda t, p, g: (-p * (p * t + 1), -t * (p * t - 1)),
    "hinge": lambda t, p, g: (-p, t * (1 - p * t > 0)),
    "loss-sensitive": lambda t, p, g: (-p, t * (abs(t) - p * t > 0)),
}


@pytest.mark.parametrize("loss", LOSSES)
def test_dirac_field_matches_closed_form(loss):
    for th, ps in points(np.random.default_rng(0)):
        expected = CLOSED[loss](th, ps, 0.7)
        assert torch_field(loss, "none", th, ps, **PARAMS) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("reg", ["r1", "r2"])
def test_gradient_penalties_are_gamma_psi_in_the_dirac_gan(reg):
    th, ps = 0.8, -0.6
    v_th, v_ps = torch_field("gan", reg, th, ps, **PARAMS)
    assert (v_th, v_ps) == pytest.approx((-ps * sig(-ps * th), th * sig(-ps * th) - 0.7 * ps), abs=1e-12)


def test_consensus_follows_v_minus_gamma_grad_half_norm():
    th, ps, g = 0.8, -0.6, 0.7
    v = np.array([-ps, th])  # wgan: ½‖v‖² = (θ² + ψ²)/2, so v − γ∇ = (−ψ − γθ, θ − γψ)
    assert torch_field("wgan", "consensus", th, ps, **PARAMS) == pytest.approx(v - g * np.array([th, ps]))


def test_instance_noise_expectation_of_wgan_is_unchanged():
    assert torch_field("wgan", "instance-noise", 0.8, -0.6, **PARAMS) == pytest.approx((0.6, 0.8), abs=1e-12)


def test_disc_objective_and_gen_loss_values():
    d_real, d_fake = torch.tensor([-1.0, 0.5]), torch.tensor([2.0, 0.0])
    real = fake = torch.zeros(2, 1)
    none = lambda x: None  # noqa: E731 - scores are passed in
    lsig = lambda t: -np.log1p(np.exp(-t))  # noqa: E731
    expected = (lsig(2.0) + lsig(0.0) + lsig(1.0) + lsig(-0.5)) / 2
    assert disc_objective("gan", none, real, fake, d_real, d_fake).item() == pytest.approx(expected)
    hinge = disc_objective("hinge", none, real, fake, d_real, d_fake).item()
    assert hinge == pytest.approx(-(0 + 1 + 0 + 1.5) / 2)
    assert gen_loss("nsgan", d_fake).item() == pytest.approx((np.log1p(np.exp(2.0)) + np.log(2)) / 2)
    assert gen_loss("least-squares", d_fake).item() == pytest.approx((4.5 + 0.5) / 2)


def test_names_match_the_core_registry():
    from dynamics.objectives import LOSSES as CORE_LOSSES
    from dynamics.objectives import REGULARIZERS as CORE_REGS

    assert tuple(LOSSES) == tuple(CORE_LOSSES) and tuple(REGULARIZERS) == tuple(CORE_REGS)


@pytest.mark.parametrize(("loss", "reg"), list(itertools.product(LOSSES, REGULARIZERS)))
def test_autograd_reproduces_the_core_field(loss, reg):
    from dynamics.objectives import make_objective

    objective = make_objective(loss, reg, **PARAMS)
    for th, ps in points(np.random.default_rng(1), n=4):
        v_th, v_ps = objective.field(np.float64(th), np.float64(ps))
        assert torch_field(loss, reg, th, ps, **PARAMS) == pytest.approx((float(v_th), float(v_ps)), abs=1e-8)
