"""The derived fields and Jacobians against independent computations: hand formulas, finite differences of the
objectives, and scipy quadrature of the instance-noise expectation."""

import itertools
import re

import numpy as np
import pytest
import sympy as sp
from scipy.integrate import quad
from scipy.special import expit

from dynamics.dirac.field import make_objective
from dynamics.dirac.objectives import (
    LOSSES,
    REGULARIZERS,
    REGULARIZERS_BY_NAME,
    objective_exprs,
    parse_name,
)
from dynamics.dirac.symbols import NOISE, PARAM_SYMBOLS, lambdify, psi, theta

PARAMS = {"gamma": 0.7, "sigma": 0.6, "target": 0.8}
ALL = list(itertools.product(LOSSES, REGULARIZERS))


def smooth_points(n=12, seed=0):
    """Random points away from every kink of the Dirac losses (ψ = 0, θ = 0, ψθ = 1, |ψ| = 1)."""
    rng = np.random.default_rng(seed)
    pts = rng.uniform(-1.8, 1.8, size=(400, 2))
    th, ps = pts.T
    ok = (np.abs(ps) > 0.15) & (np.abs(th) > 0.15) & (np.abs(1 - ps * th) > 0.15) & (np.abs(np.abs(ps) - 1) > 0.15)
    return pts[ok][:n]


@pytest.mark.parametrize(("loss", "reg"), ALL)
def test_jacobian_matches_finite_differences(loss, reg):
    obj = make_objective(loss, reg, **PARAMS)
    h = 1e-6
    for th, ps in smooth_points():
        fd = np.empty((2, 2))
        for j, (dth, dps) in enumerate(((h, 0), (0, h))):
            plus = np.array(obj.field(th + dth, ps + dps))
            minus = np.array(obj.field(th - dth, ps - dps))
            fd[:, j] = (plus - minus) / (2 * h)
        np.testing.assert_allclose(obj.jacobian(th, ps), fd, atol=2e-6, err_msg=f"{loss}+{reg} at {(th, ps)}")


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("reg", ["none", "r1", "r2"])
def test_field_is_minus_gen_gradient_and_plus_disc_gradient(loss, reg):
    """v = (−∂L_G/∂θ, ∂L_D/∂ψ), checked by finite differences of the numerically evaluated objectives."""
    L_G, L_D = (lambdify(e) for e in objective_exprs(loss, reg))
    obj = make_objective(loss, reg, **PARAMS)
    args = (0.0, 0.0, *PARAMS.values())
    h = 1e-6
    for th, ps in smooth_points(6, seed=1):
        d_gen = (L_G(th + h, ps, *args) - L_G(th - h, ps, *args)) / (2 * h)
        d_disc = (L_D(th, ps + h, *args) - L_D(th, ps - h, *args)) / (2 * h)
        np.testing.assert_allclose(obj.field(th, ps), (-d_gen, d_disc), atol=1e-7)


def test_gan_field_matches_mescheder():
    """Standard GAN: v = (−ψ f'(ψθ), θ f'(ψθ)) with f'(t) = σ(−t) (Mescheder et al. 2018, eq. 5)."""
    th, ps = np.meshgrid(np.linspace(-3, 3, 7), np.linspace(-3, 3, 7))
    fp = expit(-ps * th)
    np.testing.assert_allclose(make_objective("gan").field(th, ps), (-ps * fp, th * fp), rtol=1e-14)
    v_th, v_ps = make_objective("gan", "r1", gamma=0.3).field(th, ps)
    np.testing.assert_allclose(v_ps, th * fp - 0.3 * ps, rtol=1e-13, atol=1e-15)


def test_gan_field_is_finite_for_huge_arguments():
    v = make_objective("gan").field(np.array([1e3, -1e3]), np.array([1e3, 1e3]))
    assert np.all(np.isfinite(v))


def test_wgan_and_nsgan_closed_forms():
    th, ps = 0.7, -1.3
    assert make_objective("wgan").field(th, ps) == pytest.approx((-ps, th))
    # nsgan: generator minimizes −f(−ψθ) ⇒ v_θ = −ψ f'(−ψθ) = −ψ σ(ψθ)
    assert make_objective("nsgan").field(th, ps)[0] == pytest.approx(-ps * expit(ps * th))


def normal_mean(fn, kink=None):
    """E[fn(z)], z ~ N(0, 1), by adaptive quadrature (independent of the rules in the core)."""
    points = [kink] if kink is not None and abs(kink) < 12 else None
    density = lambda z: np.exp(-z * z / 2) / np.sqrt(2 * np.pi)  # noqa: E731
    value, _ = quad(lambda z: fn(z) * density(z), -12, 12, points=points, limit=1000, epsabs=1e-14)
    return value


def test_instance_noise_gan_is_the_exact_expectation():
    s, th, ps = 0.6, 0.4, -0.9
    v = make_objective("gan", "instance-noise", sigma=s).field(th, ps)
    # L = E f(ψ(θ + σz_g)) + E f(−ψσz_d), f' = σ(−t)
    v_th = normal_mean(lambda z: -ps * expit(-ps * (th + s * z)))
    v_ps = normal_mean(lambda z: (th + s * z) * expit(-ps * (th + s * z))) + normal_mean(
        lambda z: -s * z * expit(ps * s * z)
    )
    np.testing.assert_allclose(v, (v_th, v_ps), atol=1e-12)


@pytest.mark.parametrize("s", [3.0, 10.0, 100.0])
@pytest.mark.parametrize(("th", "ps"), [(0.5, 1.0), (-0.3, -2.0), (1.5, 0.05)])
def test_instance_noise_stays_exact_for_steep_sigmoids(s, th, ps):
    """σ·|ψ| up to 200: the noisy logit ψ(θ + σz) makes the sigmoid a near step in z, which a fixed
    Gauss–Hermite rule misses (error 2e-3 at σ·|ψ| = 10 with 64 nodes)."""
    v = make_objective("nsgan", "instance-noise", sigma=s).field(th, ps)
    kink = -th / s
    v_th = normal_mean(lambda z: -ps * expit(ps * (th + s * z)), kink)
    v_ps = normal_mean(lambda z: (th + s * z) * expit(-ps * (th + s * z)), kink) + normal_mean(
        lambda z: -s * z * expit(ps * s * z), 0.0
    )
    np.testing.assert_allclose(v, (v_th, v_ps), atol=1e-10)


@pytest.mark.parametrize(("th", "ps"), [(0.4, 0.8), (-1.2, 1.5), (1.1, -0.3)])
def test_instance_noise_hinge_is_the_exact_expectation(th, ps):
    s = 0.6
    v = make_objective("hinge", "instance-noise", sigma=s).field(th, ps)
    # disc: −E max(0, 1 − ψ(θ + σz_g)) − E max(0, 1 + ψσz_d); gen: E ψ(θ + σz_g)
    fake = normal_mean(lambda z: (th + s * z) * (1 - ps * (th + s * z) > 0))
    real = normal_mean(lambda z: -s * z * (1 + ps * s * z > 0))
    np.testing.assert_allclose(v, (-ps, fake + real), atol=1e-9)


@pytest.mark.parametrize(("th", "ps"), [(0.4, 0.5), (-0.7, 1.6), (0.9, -1.4)])
def test_instance_noise_loss_sensitive_is_the_exact_expectation(th, ps):
    s = 0.6
    v = make_objective("loss-sensitive", "instance-noise", sigma=s).field(th, ps)
    # disc: −E ψσz_d − E max(0, |u| − ψu), u = θ + σ(z_g − z_d) ~ N(θ, 2σ²)
    su = np.sqrt(2) * s
    expected = normal_mean(lambda z: (th + su * z) * (abs(th + su * z) - ps * (th + su * z) > 0))
    np.testing.assert_allclose(v, (-ps, expected), atol=1e-9)


def test_regularizers_subtract_half_gamma_psi_squared():
    L_G, L_D = objective_exprs("gan", "r1")
    _, L_D0 = objective_exprs("gan")
    gamma = sp.Symbol("gamma", positive=True)
    assert sp.simplify(L_D0 - L_D - gamma / 2 * psi**2) == 0
    assert objective_exprs("gan", "r2") == objective_exprs("gan", "r1")
    assert theta in L_G.free_symbols


def test_consensus_field_is_v_minus_gamma_JT_v():
    obj, base = make_objective("gan", "consensus", gamma=0.4), make_objective("gan")
    for th, ps in smooth_points(5, seed=3):
        v = np.array(base.field(th, ps))
        expected = v - 0.4 * base.jacobian(th, ps).T @ v
        np.testing.assert_allclose(obj.field(th, ps), expected, atol=1e-13)


def test_clip_is_validated_and_named_in_title():
    assert "clip 0.5" in make_objective("wgan", clip=0.5).title
    with pytest.raises(
        ValueError, match=re.escape("clip must be a finite number in (0, 1e+06] (or None: no clipping)")
    ):
        make_objective("wgan", clip=0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"loss": "foo"}, "unknown loss 'foo'; allowed: gan, nsgan"),
        ({"loss": "gan", "reg": "r3"}, "unknown regularizer 'r3'"),
        ({"loss": "gan", "gamma": -1.0}, re.escape("gamma must be a finite number in [0, 1e+06], got -1.0")),
        ({"loss": "gan", "sigma": float("nan")}, re.escape("sigma must be a finite number in [0, 100], got nan")),
        ({"loss": "gan", "sigma": 101}, re.escape("sigma must be a finite number in [0, 100], got 101")),
        ({"loss": "gan", "lam": 1.0}, "unknown parameter 'lam'"),
    ],
)
def test_bad_input_is_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        make_objective(**kwargs)


def test_parse_name_and_used_params():
    assert parse_name("gan+r1") == ("gan", "r1")
    assert parse_name("wgan") == ("wgan", "none")
    assert make_objective("wgan-gp", gamma=2).used_params == {"gamma": 2.0, "target": 1.0}
    assert make_objective("gan", "instance-noise", sigma=0.5).used_params == {"sigma": 0.5}


def test_regularizer_registry_lists_every_regularizer_with_title_and_params():
    """One entry per name in REGULARIZERS, each with its title, parameters and (but 'none') a citation; the
    objective's title and used parameters come from it, and only the noisy entry makes L_G, L_D depend on z."""
    assert REGULARIZERS == tuple(REGULARIZERS_BY_NAME) == ("none", "r1", "r2", "consensus", "instance-noise")
    for name, spec in REGULARIZERS_BY_NAME.items():
        assert spec.name == name and spec.title
        assert set(spec.params) <= set(PARAM_SYMBOLS)
        assert bool(spec.cite) == (name != "none")
        obj = make_objective("gan", name, gamma=0.5, sigma=0.25)
        assert obj.regularizer is spec
        assert obj.title == "GAN (minimax)" + ("" if name == "none" else f" + {spec.title}")
        assert obj.used_params.keys() == set(spec.params)
        noise_in = set().union(*(e.free_symbols for e in objective_exprs("gan", name))) & set(NOISE)
        assert bool(noise_in) == spec.noisy
    assert {name: spec.params for name, spec in REGULARIZERS_BY_NAME.items()} == {
        "none": (),
        "r1": ("gamma",),
        "r2": ("gamma",),
        "consensus": ("gamma",),
        "instance-noise": ("sigma",),
    }
