import numpy as np
import pytest
from scipy import optimize

from dynamics.oned.divergences import w1
from dynamics.oned.lipschitz import allocation, compare, kantorovich_potential, lsgan_bounds, lsgan_values
from dynamics.oned.specs import parse


def test_two_point_masses_closed_form():
    # real point at 0, generated point at 3, κ = 1: l* = (0, 3) with no hinge loss
    y, l, objective = lsgan_values([0.0], [3.0])
    np.testing.assert_allclose(l, [0, 3], atol=1e-9)
    assert objective == pytest.approx(0, abs=1e-9)
    x = np.linspace(-2, 6, 81)
    lower, upper = lsgan_bounds(x, y, l)
    np.testing.assert_allclose(lower, np.maximum(3 - np.abs(x - 3), 0), atol=1e-9)
    np.testing.assert_allclose(upper, np.minimum(np.abs(x), 3 + np.abs(x - 3)), atol=1e-9)
    # WGAN critic for the same pair, from the step CDFs: slope −1 between the atoms, W1 = 3
    grid = np.linspace(-2, 6, 8001)
    f, fp = kantorovich_potential(grid, (grid >= 0).astype(float), (grid >= 3).astype(float))
    assert np.all(fp[(grid > 0.01) & (grid < 2.99)] == -1)
    assert np.all(fp[(grid < -0.01) | (grid > 3.01)] == 0)
    assert np.interp(0, grid, f) - np.interp(3, grid, f) == pytest.approx(3, abs=2e-3)


def _dense_lp(xd, xg, kappa, lam):
    """The same LP with every pairwise Lipschitz constraint written out (independent check)."""
    n, m = len(xd), len(xg)
    y = np.concatenate([xd, xg])
    k = n + m
    cost = np.concatenate([np.full(n, 1 / n), np.zeros(m), np.full(n * m, lam / (n * m))])
    rows, rhs = [], []
    for i in range(n):
        for j in range(m):
            r = np.zeros(k + n * m)
            r[i], r[n + j], r[k + i * m + j] = 1, -1, -1
            rows.append(r)
            rhs.append(-abs(xd[i] - xg[j]))
    for a in range(k):
        for b in range(k):
            if a != b:
                r = np.zeros(k + n * m)
                r[a], r[b] = 1, -1
                rows.append(r)
                rhs.append(kappa * abs(y[a] - y[b]))
    return optimize.linprog(cost, A_ub=np.array(rows), b_ub=np.array(rhs), bounds=(0, None), method="highs").fun


@pytest.mark.parametrize("kappa, lam", [(1, 1), (2, 1), (1, 10), (0.5, 1)])
def test_lp_matches_dense_formulation_and_bounds_properties(kappa, lam):
    rng = np.random.default_rng(7)
    xd, xg = rng.normal(0, 1, 8), rng.normal(2.5, 0.7, 7)
    y, l, objective = lsgan_values(xd, xg, kappa, lam)
    assert objective == pytest.approx(_dense_lp(xd, xg, kappa, lam), abs=1e-8)
    hinge = np.maximum(np.abs(xd[:, None] - xg[None, :]) + l[:8, None] - l[None, 8:], 0)
    assert objective == pytest.approx(l[:8].mean() + lam * hinge.mean(), abs=1e-8)
    assert np.all(np.abs(l[:, None] - l[None, :]) <= kappa * np.abs(y[:, None] - y[None, :]) + 1e-9)
    x = np.linspace(-4, 6, 4001)
    lower, upper = lsgan_bounds(x, y, l, kappa)
    assert np.all(lower <= upper + 1e-12)
    at_samples = lsgan_bounds(y, y, l, kappa)
    np.testing.assert_allclose(at_samples[0], l, atol=1e-9)
    np.testing.assert_allclose(at_samples[1], l, atol=1e-9)
    for bound in (lower, upper):
        assert np.max(np.abs(np.diff(bound)) / np.diff(x)) <= kappa * (1 + 1e-9)


def test_disjoint_uniforms_wgan_and_lsgan_keep_gradient_gan_does_not():
    res = compare(parse("uniform(0, 1)"), parse("uniform(3, 4)"), samples=20)
    assert res["w1"] == pytest.approx(3, abs=1e-12)
    assert res["w1_from_critic"] == pytest.approx(3, abs=1e-6)
    g = res["generator"]
    assert g["wgan"]["shift_velocity"] == pytest.approx(-1, abs=1e-6)
    assert g["lsgan_upper"]["shift_velocity"] == pytest.approx(-1, abs=1e-3)
    assert g["lsgan_lower"]["shift_velocity"] < -0.9
    assert g["lsgan_lower"]["mean_abs_gradient"] == pytest.approx(1, abs=1e-3)
    assert g["gan_saturating"]["mean_abs_gradient"] == 0
    assert g["gan_non_saturating"]["mean_abs_gradient"] == 0


@pytest.mark.parametrize(
    "a, b", [("normal(0, 1)", "normal(2, 1.5)"), ("laplace(0, 1)", "mixture(uniform(-3, -2), normal(3, 1))")]
)
def test_critic_attains_w1(a, b):
    data, gen = parse(a), parse(b)
    res = compare(data, gen, samples=5, n=4001)
    # the critic lives on the plotted window (0.1 %–99.9 % quantiles, widened), which clips a little tail mass
    assert res["w1_from_critic"] == pytest.approx(w1(data, gen).value, rel=1e-3)
    assert np.all(np.abs(res["velocity"]["wgan"]) <= 1)


def test_least_solution_by_hand():
    """One real point at 0. A fake at 0.5 or 3 (κ = 1): the least optimal loss rises exactly by the margin. A fake
    at 2 with κ = 0.5: the loss can rise only 0.5·2 = 1, one unit of hinge is left, objective λ·1 = 1."""
    for z in (0.5, 3.0):
        _, l, objective = lsgan_values([0.0], [z], least=True)
        np.testing.assert_allclose(l, [0, z], atol=1e-7)
        assert objective == pytest.approx(0, abs=1e-9)
    _, l, objective = lsgan_values([0.0], [2.0], kappa=0.5, least=True)
    np.testing.assert_allclose(l, [0, 1], atol=1e-7)
    assert objective == pytest.approx(1, abs=1e-7)


@pytest.mark.parametrize("kappa, lam", [(1, 1), (0.5, 2)])
def test_least_solution_is_optimal_with_the_least_fake_loss(kappa, lam):
    rng = np.random.default_rng(3)
    xd, xg = rng.normal(0, 1, 6), rng.normal(2, 0.5, 5)
    _, plain, objective = lsgan_values(xd, xg, kappa, lam)
    _, least, least_objective = lsgan_values(xd, xg, kappa, lam, least=True)
    hinge = np.maximum(np.abs(xd[:, None] - xg[None, :]) + least[:6, None] - least[None, 6:], 0)
    assert least[:6].mean() + lam * hinge.mean() == pytest.approx(_dense_lp(xd, xg, kappa, lam), abs=1e-7)
    assert least_objective == pytest.approx(objective, abs=1e-9)
    assert least[6:].sum() <= plain[6:].sum() + 1e-7


def test_allocation_on_demand_far_fake_gets_the_larger_push():
    """κ = 3 lets the loss close every hinge across the gap of 2 (κ·2 ≥ the largest margin 4), so the least loss
    is 0 on the real samples and max_i |x_i − z_j| = z_j − min x on a fake: push = mean z − min x exactly, margin
    = mean z − mean x (every fake lies right of every real point)."""
    data, near, far = parse("uniform(0, 1)"), parse("uniform(1.5, 2.5)"), parse("uniform(3, 4)")
    result = allocation(data, [near, far], samples=12, kappa=3.0, seed=5)
    for gen, a in zip((near, far), result, strict=True):
        rng = np.random.default_rng(5)
        xd, xg = data.sample(12, rng), gen.sample(12, rng)
        assert a.gen == str(gen)
        assert a.margin == pytest.approx(xg.mean() - xd.mean(), abs=1e-12)
        assert a.push == pytest.approx(xg.mean() - xd.min(), abs=1e-6)
        assert a.unmet == pytest.approx(0, abs=1e-6)
    assert result[1].push - result[0].push == pytest.approx(1.5, abs=1e-6)  # the same noise, shifted by 1.5
