"""Eigenvalues against the closed forms of the literature, the non-smooth cases, and the discrete update
operators against the growth of simulated trajectories."""

import numpy as np
import pytest
import sympy as sp

from dynamics.dirac.field import make_objective
from dynamics.dirac.optimizers import Optimizer
from dynamics.dirac.stability import (
    closed_form,
    converges_from,
    critical_values,
    discrete_verdict,
    eigenvalue_paths,
    equilibrium,
    max_stable_lr,
    radius_vs_lr,
    real_from,
    spectral_radius,
    update_matrix,
)
from dynamics.dirac.symbols import PARAM_SYMBOLS
from dynamics.dirac.trajectories import Schedule, simulate

FP, FPP = 0.5, -0.25  # f'(0), f''(0) of the standard GAN's f(t) = −log(1 + e^(−t))


def sqrt(x):
    return np.sqrt(complex(x))


def literature(loss, reg, gamma=0.0, sigma=0.0):
    """Eigenvalues at (0, 0) from Mescheder et al. 2018 (GAN family with f'(0), f''(0); WGAN: f' = 1, f'' = 0)."""
    fp, fpp = (FP, FPP) if loss in ("gan", "nsgan") else (1.0, 0.0)
    if reg == "none":
        root = sqrt(-(fp**2))
        return np.array([root, -root])
    if reg in ("r1", "r2"):
        root = sqrt(gamma**2 / 4 - fp**2)
        return np.array([-gamma / 2 + root, -gamma / 2 - root])
    if reg == "instance-noise":
        root = sqrt(fpp**2 * sigma**4 - fp**2)
        return np.array([fpp * sigma**2 + root, fpp * sigma**2 - root])
    if reg == "consensus":
        return np.array([-gamma * fp**2 + 1j * fp, -gamma * fp**2 - 1j * fp])
    raise ValueError(reg)


CASES = [
    (loss, reg, gamma, sigma)
    for loss in ("gan", "nsgan", "wgan")
    for reg, gamma, sigma in [
        ("none", 0, 0),
        ("r1", 0.3, 0),
        ("r1", 1.7, 0),
        ("r2", 0.6, 0),
        ("instance-noise", 0, 0.8),
        ("instance-noise", 0, 2.5),
        ("consensus", 0.9, 0),
    ]
]


@pytest.mark.parametrize(("loss", "reg", "gamma", "sigma"), CASES)
def test_eigenvalues_match_literature(loss, reg, gamma, sigma):
    eq = equilibrium(make_objective(loss, reg, gamma=gamma, sigma=sigma))
    expected = literature(loss, reg, gamma, sigma)
    np.testing.assert_allclose(np.sort_complex(eq.eigenvalues), np.sort_complex(expected), atol=1e-9)
    # and the sympy closed form, evaluated at the same parameters
    form = closed_form(loss, reg)
    values = {PARAM_SYMBOLS["gamma"]: gamma, PARAM_SYMBOLS["sigma"]: sigma}
    closed = np.array([complex(sp.N(e.subs(values))) for e in form["eigenvalues"]])
    np.testing.assert_allclose(np.sort_complex(closed), np.sort_complex(expected), atol=1e-9)


@pytest.mark.parametrize(("reg", "expected"), [("none", "not locally convergent"), ("r1", "locally convergent")])
def test_continuous_verdict(reg, expected):
    assert equilibrium(make_objective("gan", reg, gamma=0.5)).verdict == expected


def test_wgan_gp_is_undefined_with_one_sided_jacobians():
    eq = equilibrium(make_objective("wgan-gp", gamma=2.0, target=1.0))
    assert eq.jacobian is None and eq.eigenvalues is None
    assert eq.verdict == "undefined (non-smooth)"
    sides = {cond: (value, J) for cond, value, J in eq.sides}
    assert set(sides) == {"psi > 0", "psi < 0"}
    # the field jumps from +γg₀ to −γg₀ across ψ = 0; both sides have J = [[0, −1], [1, −γ]]
    np.testing.assert_allclose(sides["psi > 0"][0], [0, 2.0])
    np.testing.assert_allclose(sides["psi < 0"][0], [0, -2.0])
    for _, J in sides.values():
        np.testing.assert_allclose(J, [[0, -1], [1, -2.0]])
    assert closed_form("wgan-gp")["jacobian"] is None


def test_wgan_gp_with_zero_target_is_smooth():
    eq = equilibrium(make_objective("wgan-gp", gamma=0.6, target=0.0))
    np.testing.assert_allclose(eq.jacobian, [[0, -1], [1, -0.6]])


@pytest.mark.parametrize("loss", ["hinge", "loss-sensitive", "least-squares"])
def test_kinks_away_from_equilibrium_keep_the_jacobian(loss):
    """Hinge's kink is at ψθ = 1, LS-GAN's at θ = 0 but with the same field on both sides: no 1/2 from
    Heaviside(0) may leak in (sympy's convention would give J[1, 0] = 1/2 for the loss-sensitive GAN)."""
    eq = equilibrium(make_objective(loss))
    np.testing.assert_allclose(eq.jacobian, [[0, -1], [1, 0]])


def test_clipping_note():
    eq = equilibrium(make_objective("wgan", clip=0.1))
    assert eq.jacobian is not None and "inactive" in eq.clip_note


def test_critical_gamma_and_sigma():
    gamma = PARAM_SYMBOLS["gamma"]
    assert critical_values("gan", "r1", "gamma")["real_from"] == [1]
    assert critical_values("wgan", "r1", "gamma")["real_from"] == [2]
    assert critical_values("gan", "instance-noise", "sigma")["real_from"] == [sp.sqrt(2)]
    assert critical_values("gan", "r1", "gamma")["discriminant"] == gamma**2 - 1


def test_eigenvalue_paths_turn_real_at_gamma_one():
    paths = eigenvalue_paths("gan", "r1", "gamma", [0.5, 0.99, 1.01, 2.0])
    assert np.all(np.abs(paths[:2].imag) > 0.01)
    np.testing.assert_allclose(paths[2:].imag, 0, atol=1e-12)


# ---------- discrete update operators ----------


def test_simultaneous_gd_operator_is_identity_plus_hJ():
    eq = equilibrium(make_objective("gan", "r1", gamma=0.3))
    M = update_matrix(eq.jacobian, Optimizer("gd"), (0.2, 0.1))
    np.testing.assert_allclose(M, np.eye(2) + np.diag([0.2, 0.1]) @ eq.jacobian, atol=1e-15)


def test_alternating_gd_operator_is_the_product_of_player_steps():
    J = equilibrium(make_objective("wgan")).jacobian
    h = 0.3
    G = np.eye(2) + np.diag([h, 0]) @ J
    D = np.eye(2) + np.diag([0, h]) @ J
    M = update_matrix(J, Optimizer("gd"), (h, h), "alt", g_steps=2, d_steps=3)
    np.testing.assert_allclose(M, D @ D @ D @ G @ G, atol=1e-14)
    # alternating GD on a bilinear game preserves area: |det| = 1, both eigenvalues on the unit circle
    assert abs(np.linalg.det(M)) == pytest.approx(1.0)
    assert spectral_radius(M) == pytest.approx(1.0, abs=1e-12)


def test_momentum_operator_matches_heavy_ball_recursion():
    """x_{k+1} = x_k + h v(x_k) + β(x_k − x_{k−1}) has the companion matrix [[I + hJ + βI, −βI], [I, 0]]."""
    J = equilibrium(make_objective("gan", "r1", gamma=0.4)).jacobian
    h, beta = 0.25, 0.6
    M = update_matrix(J, Optimizer("momentum", beta), (h, h))
    I2 = np.eye(2)
    companion = np.block([[I2 + h * J + beta * I2, -beta * I2], [I2, 0 * I2]])
    np.testing.assert_allclose(np.sort_complex(np.linalg.eigvals(M)), np.sort_complex(np.linalg.eigvals(companion)))


def test_extragradient_operator_is_I_plus_hJ_plus_h2J2():
    J = equilibrium(make_objective("wgan")).jacobian
    M = update_matrix(J, Optimizer("extragradient"), (0.3, 0.3))
    np.testing.assert_allclose(M, np.eye(2) + 0.3 * J + 0.09 * J @ J, atol=1e-15)


@pytest.mark.parametrize("name", ["extragradient", "optimistic"])
def test_extragradient_and_optimistic_converge_on_the_unregularized_gan(name):
    """Simultaneous, h = 0.1: ρ < 1 without a regularizer (the phase page's exercise says so). Extragradient's
    eigenvalues are 1 + hλ + h²λ² with λ = ±i/2: ρ = √((1 − h²/4)² + h²/4) = 0.998752…"""
    J = equilibrium(make_objective("gan")).jacobian
    rho = spectral_radius(update_matrix(J, Optimizer(name), (0.1, 0.1)))
    assert rho < 0.9988
    if name == "extragradient":
        assert rho == pytest.approx(np.sqrt((1 - 0.01 / 4) ** 2 + 0.01 / 4), abs=1e-12)


def test_adam_operator_is_undefined():
    J = equilibrium(make_objective("gan", "r1")).jacobian
    assert update_matrix(J, Optimizer("adam"), (0.1, 0.1)) is None
    assert discrete_verdict(None) == "undefined"


def test_defective_unit_eigenvalue_diverges_and_rotation_cycles():
    """Alternating GD on WGAN at h = 2 has a double eigenvalue −1 with one eigenvector: iterates grow linearly.
    At h = 1 the eigenvalues are e^(±iπ/3), distinct on the unit circle: iterates stay bounded."""
    J = equilibrium(make_objective("wgan")).jacobian
    jordan = update_matrix(J, Optimizer("gd"), (2.0, 2.0), "alt")
    np.testing.assert_allclose(np.linalg.eigvals(jordan), [-1, -1], atol=1e-7)
    assert discrete_verdict(jordan) == "diverges"
    rotation = update_matrix(J, Optimizer("gd"), (1.0, 1.0), "alt")
    assert spectral_radius(rotation) == pytest.approx(1.0, abs=1e-12)
    assert discrete_verdict(rotation) == "cycles"
    assert discrete_verdict(np.diag([0.5, 0.9])) == "converges" and discrete_verdict(np.diag([1.1, 0])) == "diverges"


def growth_rate(obj, opt, schedule, start=(1e-7, 0.0)):
    """Per-round growth of the distance to (0, 0) on a simulated run near the equilibrium: the slope of a
    least-squares line through log r over the last three quarters (oscillations average out)."""
    run = simulate(obj, [start], schedule, opt, tol=0, bound=1e9)
    r = np.hypot(run.path[:, 0, 0], run.path[:, 0, 1])
    k = np.arange(len(r))[len(r) // 4 :]
    return float(np.exp(np.polyfit(k, np.log(r[k]), 1)[0]))


@pytest.mark.parametrize(
    ("loss", "reg", "opt", "scheme", "lr"),
    [
        ("gan", "none", "gd", "sim", 0.3),
        ("wgan", "none", "gd", "sim", 0.2),
        ("gan", "r1", "gd", "sim", 0.3),
        ("gan", "r1", "gd", "alt", 0.5),
        ("wgan", "none", "extragradient", "sim", 0.3),
        ("wgan", "none", "optimistic", "sim", 0.2),
        ("gan", "r1", "momentum", "sim", 0.1),
        ("wgan", "consensus", "gd", "alt", 0.2),
    ],
)
def test_spectral_radius_predicts_trajectory_growth(loss, reg, opt, scheme, lr):
    obj = make_objective(loss, reg, gamma=0.5)
    optimizer = Optimizer(opt, 0.5 if opt == "momentum" else None)
    schedule = Schedule(lr, lr, scheme, rounds=800)
    rho = spectral_radius(update_matrix(equilibrium(obj).jacobian, optimizer, (lr, lr), scheme))
    assert growth_rate(obj, optimizer, schedule) == pytest.approx(rho, abs=4e-3)


def test_radius_vs_lr_crosses_one_where_sim_gd_stops_converging():
    """Simultaneous GD on gan+r1: ρ(h)² = (1 + h·Re λ)² + (h·Im λ)² = 1 at h* = −2 Re λ / |λ|²."""
    obj = make_objective("gan", "r1", gamma=0.3)
    lam = equilibrium(obj).eigenvalues[0]
    h_star = -2 * lam.real / abs(lam) ** 2
    rho = radius_vs_lr(obj, [0.9 * h_star, h_star, 1.1 * h_star], Optimizer("gd"))
    assert rho[0] < 1 and rho[1] == pytest.approx(1.0, abs=1e-12) and rho[2] > 1


def test_max_stable_lr_matches_the_closed_form():
    """Simultaneous GD converges iff |1 + hλ| < 1, i.e. h < −2 Re λ / |λ|²."""
    obj = make_objective("gan", "r1", gamma=0.3)
    lam = equilibrium(obj).eigenvalues[0]
    assert max_stable_lr(obj, Optimizer("gd")) == pytest.approx(-2 * lam.real / abs(lam) ** 2, rel=1e-9)
    assert max_stable_lr(make_objective("gan"), Optimizer("gd")) is None  # ρ > 1 for every h
    assert max_stable_lr(make_objective("gan"), Optimizer("gd"), "alt") is None  # ρ = 1: cycles
    assert max_stable_lr(make_objective("wgan"), Optimizer("extragradient")) == pytest.approx(1.0, rel=1e-6)
    assert max_stable_lr(make_objective("wgan", "r1", gamma=1.0), Optimizer("gd"), high=0.5) is None  # still ρ < 1


def test_thresholds_in_the_regularizer_weight():
    """The Jacobian's eigenvalues turn real at γ = 1 for GAN + R1, γ = 2 for WGAN + R1 and σ = √2 for GAN +
    instance noise (closed forms); any γ > 0 makes R1 locally convergent, while instance noise cannot help
    the WGAN, whose linear critic averages the noise away."""
    assert real_from("gan", "r1", "gamma") == pytest.approx(1.0)
    assert real_from("wgan", "r1", "gamma") == pytest.approx(2.0)
    assert real_from("gan", "instance-noise", "sigma") == pytest.approx(np.sqrt(2))
    assert real_from("wgan", "none", "gamma") is None
    assert converges_from("gan", "r1", "gamma") == 0.0  # any γ > 0 converges
    assert converges_from("wgan", "instance-noise", "sigma") is None
    paths = eigenvalue_paths("wgan-gp", "none", "gamma", [0.0, 1.0])  # γ > 0: non-smooth at the equilibrium
    assert np.allclose(sorted(paths[0].imag), [-1, 1]) and np.isnan(paths[1]).all() and np.isnan(paths[1].imag).all()
