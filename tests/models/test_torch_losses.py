"""The torch losses on the Dirac-GAN (G = θ, D(x) = ψ·x, data at 0): closed forms, and the symbolic core."""

import itertools
import re

import numpy as np
import pytest
import torch

from models.config import TrainConfig
from models.data import load
from models.losses import LOSSES, disc_objective, gen_loss, pair_distance
from models.regularizers import REGULARIZERS, objectives
from models.trainer import build

PARAMS = {"gamma": 0.7, "sigma": 0.4, "target": 1.0}


def noise_rule(loss, nodes=60):
    """Noise pairs (z_real, z_fake) with probability weights for the exact instance-noise expectation.

    Smooth losses: a 2-D Gauss–Hermite grid. hinge and loss-sensitive have kinks, where Gauss–Hermite converges
    slowly (1e-2 at 60 nodes), so their kink variable gets a fine trapezoid rule instead; the field integrates
    the kink's derivative, a step, so its error is O(h) ≈ 3e-6 with h = 2.4e-4 (hence the 1e-5 tolerance):
    hinge's terms each depend on z_real or z_fake alone, so the pairs (z, −z) give exact marginals;
    loss-sensitive's kink depends on a = (z_real − z_fake)/√2 only and its other terms are linear, so the
    pairs use independent N(0, 1) coordinates a (trapezoid) and b = (z_real + z_fake)/√2 (3-node Hermite).
    """
    z = np.linspace(-12, 12, 100_001)
    w = np.exp(-z * z / 2) / np.exp(-z * z / 2).sum()
    if loss == "hinge":
        return z, -z, w
    x, v = np.polynomial.hermite_e.hermegauss(3 if loss == "loss-sensitive" else nodes)
    v = v / v.sum()
    if loss == "loss-sensitive":
        a, b = (g.ravel() for g in np.meshgrid(z, x, indexing="ij"))
        return (a + b) / np.sqrt(2), (b - a) / np.sqrt(2), np.outer(w, v).ravel()
    zr, zf = (g.ravel() for g in np.meshgrid(x, x, indexing="ij"))
    return zr, zf, np.outer(v, v).ravel()


def torch_field(loss, reg, theta, psi, **params):
    """v = (−∂L_G/∂θ, ∂L_D/∂ψ) by autograd through `objectives`; instance noise as an exact expectation."""
    th = torch.tensor(theta, dtype=torch.float64, requires_grad=True)
    ps = torch.tensor(psi, dtype=torch.float64, requires_grad=True)
    weights = noise = None
    if reg == "instance-noise":
        zr, zf, w = (torch.tensor(a, dtype=torch.float64) for a in noise_rule(loss))
        noise, weights = (zr[:, None], zf[:, None]), w
    n = 1 if noise is None else len(weights)
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


@pytest.mark.parametrize(("loss", "reg"), list(itertools.product(LOSSES, REGULARIZERS)))
def test_autograd_reproduces_the_core_field(loss, reg):
    from dynamics.dirac.field import make_objective

    objective = make_objective(loss, reg, **PARAMS)
    tol = 1e-5 if reg == "instance-noise" and loss in ("hinge", "loss-sensitive") else 1e-8
    for th, ps in points(np.random.default_rng(1), n=4):
        v_th, v_ps = objective.field(np.float64(th), np.float64(ps))
        assert torch_field(loss, reg, th, ps, **PARAMS) == pytest.approx((float(v_th), float(v_ps)), abs=tol)


def test_unknown_regularizer_is_rejected_with_the_registry_names():
    from dynamics.dirac.objectives import REGULARIZERS_BY_NAME

    names = re.escape(", ".join(REGULARIZERS_BY_NAME))
    with pytest.raises(ValueError, match=f"unknown regularizer 'r3'; choose from {names}$"):
        objectives("gan", "r3", lambda x: x[:, 0], torch.zeros(1, 1), torch.ones(1, 1))


@pytest.mark.parametrize(("reg", "at"), [("r1", 0.0), ("r2", 1.5)])
def test_gradient_penalty_is_taken_at_the_registry_samples(reg, at):
    """D(x) = x²/2 has ∇ₓD = x: R1 (real samples, at 0) costs nothing here, R2 (fake samples, at 1.5) γ/2·1.5²."""
    real, fake = torch.zeros(1, 1, dtype=torch.float64), torch.full((1, 1), 1.5, dtype=torch.float64)
    D = lambda x: x[:, 0] ** 2 / 2  # noqa: E731
    plain, _ = objectives("wgan", "none", D, real, fake)
    penalized, _ = objectives("wgan", reg, D, real, fake, gamma=0.7)
    assert (plain - penalized).item() == pytest.approx(0.7 / 2 * at**2, abs=1e-12)


def ls_critic(shift=0.0):
    """The LS-GAN loss function of a tiny run, L = softplus(a(x) − shift), in float64."""
    cfg = TrainConfig(data="ring8", loss="loss-sensitive", width=8, net="pacgan", device="cpu")
    torch.manual_seed(0)
    _, D = build(cfg, load(cfg.data))
    D = D.double()
    with torch.no_grad():
        D.body.net[-1].bias -= shift
    return D


def test_ls_gan_loss_is_nonnegative_and_its_objective_is_bounded_when_the_scores_shift():
    """Issue 12: with an unconstrained L, shifting it down by 0, 10, 100 raised the objective −0.75 → 9.25 →
    99.25. With L ≥ 0 the objective −E L(x) − E(Δ + L(x) − L(G(z)))₊ is ≤ 0 and tends to −E Δ as L → 0."""
    gen = torch.Generator().manual_seed(1)
    real, fake = torch.randn(64, 2, generator=gen).double(), torch.randn(64, 2, generator=gen).double()
    mean_margin = (real - fake).abs().mean().item()
    objs = []
    for shift in (0.0, 10.0, 100.0):
        D = ls_critic(shift)
        assert (D(real) >= 0).all() and (D(fake) >= 0).all()
        objs.append(disc_objective("loss-sensitive", D, real, fake).item())
    assert max(objs) <= 0
    assert objs[2] == pytest.approx(-mean_margin, rel=1e-12)
    assert objs[1] == pytest.approx(-mean_margin, abs=1e-3)


def test_ls_gan_margin_is_the_mean_absolute_difference_per_pair():
    real = torch.tensor([[0.0, 1.0, 2.0], [1.0, 1.0, 1.0]])
    fake = torch.tensor([[1.0, 1.0, 0.0], [-1.0, 1.0, 4.0]])
    assert pair_distance(real, fake).tolist() == pytest.approx([1.0, 5 / 3], rel=1e-7)
    # one pair by hand: L(x) = 0.5, L(G(z)) = 0.2, Δ = 1: the objective −0.5 − (1 + 0.5 − 0.2) = −1.8
    obj = disc_objective("loss-sensitive", None, real[:1], fake[:1], torch.tensor([0.5]), torch.tensor([0.2]))
    assert obj.item() == pytest.approx(-1.8)


def test_ls_gan_gradients_match_finite_differences():
    """∂/∂θ of the D objective and of G's loss E L(G(z)), by autograd and by central differences."""
    D = ls_critic()
    gen = torch.Generator().manual_seed(2)
    real = torch.randn(16, 2, generator=gen).double()
    fake = torch.randn(16, 2, generator=gen).double().requires_grad_(True)

    def f_d():
        return disc_objective("loss-sensitive", D, real, fake.detach())

    p = D.body.net[0].linear.weight
    (auto,) = torch.autograd.grad(f_d(), p)
    (auto_g,) = torch.autograd.grad(gen_loss("loss-sensitive", D(fake)), fake)
    eps = 1e-6
    with torch.no_grad():
        for idx in [(0, 0), (3, 1), (7, 0)]:
            p[idx] += eps
            up = f_d().item()
            p[idx] -= 2 * eps
            down = f_d().item()
            p[idx] += eps
            assert auto[idx].item() == pytest.approx((up - down) / (2 * eps), rel=1e-5, abs=1e-9)
        for idx in [(0, 0), (5, 1)]:
            fake[idx] += eps
            up = gen_loss("loss-sensitive", D(fake)).item()
            fake[idx] -= 2 * eps
            down = gen_loss("loss-sensitive", D(fake)).item()
            fake[idx] += eps
            assert auto_g[idx].item() == pytest.approx((up - down) / (2 * eps), rel=1e-5, abs=1e-9)
