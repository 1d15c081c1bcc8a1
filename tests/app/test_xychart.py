"""The browser's line-and-point charts (ui.xychart) against closed forms."""

import math

import numpy as np
import pytest
from scipy import integrate, stats

from dynamics.dirac.field import make_objective
from dynamics.dirac.optimizers import Optimizer
from dynamics.dirac.trajectories import Schedule
from dynamics.oned.optimal import figure1_stages, mixture_path
from dynamics.oned.specs import parse
from ui import xychart


def test_eigen_chart_of_simultaneous_gd_on_the_gan():
    """J = [[0, −½], [½, 0]] at (0, 0): eigenvalues ±i/2; one simultaneous GD round is I + hJ: 1 ± ih/2."""
    from dynamics.dirac.analysis import analyze

    a = analyze(make_objective("gan"), Schedule(0.1, 0.1), Optimizer(), np.zeros((0, 2)))
    chart = xychart.eigen_chart(a.eigenvalues, a.update.eigenvalues)
    circle, cont, disc = chart.series
    np.testing.assert_allclose(np.hypot(circle.x, circle.y), 1.0)
    np.testing.assert_allclose(sorted(zip(cont.x, cont.y, strict=True)), [(0, -0.5), (0, 0.5)], atol=1e-12)
    np.testing.assert_allclose(sorted(zip(disc.x, disc.y, strict=True)), [(1, -0.05), (1, 0.05)], atol=1e-12)
    assert chart.window == pytest.approx((-1.2, 1.2, -1.2, 1.2)) and chart.equal and not chart.note
    assert "undefined" in xychart.eigen_chart(None, None).note


def test_radius_and_path_charts_mark_their_thresholds():
    lrs = np.linspace(0.02, 4.0, 200)
    radius = np.abs(1 - lrs / 2)  # stops converging at h = 4 (ρ = 1): outside (0, 4) it is not marked
    chart = xychart.radius_chart(lrs, radius, 0.1, 3.5, "t")
    assert [(r.axis, r.value) for r in chart.rules] == [("y", 1.0), ("x", 0.1), ("x", 3.5)]
    assert chart.window[:2] == (0.0, 4.0) and chart.window[2] < 0 < 1 < chart.window[3]
    assert len(xychart.radius_chart(lrs, radius, 0.1, 4.5, "t").rules) == 2
    gammas = np.linspace(0, 3, 31)
    eig = np.stack([-gammas / 2 + 0.5j, -gammas / 2 - 0.5j], 1)
    path = xychart.path_chart(gammas, eig, "gamma", 1.0, "t")
    assert [s.label for s in path.series] == ["Re λ1", "Im λ1", "Re λ2", "Im λ2"]
    assert path.rules[-1].label == "real from gamma = 1"


def test_optimal_charts_against_closed_forms():
    """p_data = N(0, 1), p_g = N(2, 0.5): the curves against scipy's pdfs, D* = p/(p + q), and σ(a·x + b)."""
    from dynamics.oned.optimal import summary

    res = summary(parse("normal(0, 1)"), parse("normal(2, 0.5)"), n=201, exact=False)
    x = res["x"]
    p, q = stats.norm.pdf(x, 0, 1), stats.norm.pdf(x, 2, 0.5)
    dens = xychart.densities_chart(res)
    np.testing.assert_allclose(dens.series[0].y, p, rtol=1e-10)
    np.testing.assert_allclose(dens.series[1].y, q, rtol=1e-10)
    assert dens.window[3] == pytest.approx(1.08 * q.max(), rel=1e-3) and dens.readout == "x" and not dens.bands
    d = xychart.discriminator_chart(res, -2.0, 2.0)
    np.testing.assert_allclose(d.series[0].y, p / (p + q), rtol=1e-9)
    np.testing.assert_allclose(d.series[1].y, 1 / (1 + np.exp(2 * x - 2)), rtol=1e-12)
    assert d.clickable and d.drag and d.window[2:] == (-0.05, 1.05)


def test_disjoint_supports_shade_where_d_star_is_undefined():
    from dynamics.oned.optimal import summary

    res = summary(parse("uniform(0, 1)"), parse("uniform(3, 4)"), n=401, exact=False)
    chart = xychart.discriminator_chart(res, 0.0, 0.0)
    left, between, right = chart.bands  # both densities vanish left of 0, between 1 and 3, right of 4
    assert left[1] < 0 < 1 < between[0] < 1.1 and 2.9 < between[1] < 3 < 4 < right[0]
    assert chart.band_label == "D* undefined"
    inside = (res["x"] > 1.05) & (res["x"] < 2.95)
    assert np.isnan(chart.series[0].y[inside]).all()
    assert '"kind":"xy"' in chart.to_json()[:12] and "NaN" not in chart.to_json()


def test_saturation_charts_carry_the_losses_and_gradients():
    """log(1 − D) and −log D, their logit derivatives D and 1 − D in size; the λ panels as computed."""
    from dynamics.oned.saturation import generator_gradients, loss_curves

    d = np.linspace(0.005, 0.995, 199)
    lam = np.linspace(0, 1, 5)
    grads = generator_gradients(parse("normal(0, 1)"), parse("normal(4, 0.5)"), lam, "shift")
    res = {"param": "shift", "curves": {"d": d, **loss_curves(d)}, "gradients": grads}
    losses, logits, gradient, mean_d = xychart.saturation_charts(res)
    np.testing.assert_allclose(losses.series[0].y, [math.log(1 - v) for v in d], rtol=1e-12)
    np.testing.assert_allclose(losses.series[1].y, [-math.log(v) for v in d], rtol=1e-12)
    np.testing.assert_allclose(logits.series[0].y, d, rtol=1e-12)
    np.testing.assert_allclose(logits.series[1].y, 1 - d, rtol=1e-12)
    np.testing.assert_array_equal(gradient.series[1].x, lam)
    assert gradient.series[1].y[-1] / gradient.series[0].y[-1] > 50  # far apart: non-saturating ≫ saturating at D*
    assert mean_d.window[2:] == (0.0, 1.0) and mean_d.series[0].y[0] == pytest.approx(0.5)  # λ = 0: D = ½


def test_lipschitz_charts_on_disjoint_supports():
    """uniform(0, 1) against uniform(3, 4): the WGAN critic has slope ±1, so its velocity f′ has size 1 (2 % slack
    for the central differences at kinks); the GAN's velocities show only where p_g lives, on [3, 4], shaded."""
    from dynamics.oned.lipschitz import compare

    res = compare(parse("uniform(0, 1)"), parse("uniform(3, 4)"), 10, 2.0, 1.0, seed=0)
    samples, critic, velocity = xychart.lipschitz_charts(res)
    assert [s.label for s in samples.series][2:] == ["real samples", "generated samples"]
    np.testing.assert_array_equal(samples.series[3].x, res["x_gen"])
    wgan = np.abs(velocity.series[0].y)
    assert np.median(wgan[np.isfinite(wgan)]) == pytest.approx(1.0, rel=0.02)
    (band,) = velocity.bands
    assert 2.9 < band[0] <= 3.0 and 4.0 <= band[1] < 4.1 and velocity.band_label.startswith("where p_g")
    gan = velocity.series[3].y
    outside = (res["x"] < 2.9) | (res["x"] > 4.1)
    assert np.isnan(gan[outside]).all() and np.isfinite(gan[(res["x"] > 3.1) & (res["x"] < 3.9)]).all()
    assert critic.window[2] <= np.nanmin(res["lsgan_lower"])


def test_mixture_path_chart_starts_at_c_of_g_and_ends_at_minus_log_4():
    """C(p_0) = −log 4 + 2·JS(p_data, p_g) with JS by plain quadrature here; C(p_1) = −log 4 (Goodfellow et al.)."""
    p, q = stats.norm(0, 1).pdf, stats.norm(2, 0.5).pdf
    m = lambda x: (p(x) + q(x)) / 2  # noqa: E731
    kl = lambda a: integrate.quad(lambda x: a(x) * math.log(a(x) / m(x)) if a(x) > 0 else 0.0, -12, 12, limit=200)[0]  # noqa: E731
    js = (kl(p) + kl(q)) / 2
    chart = xychart.mixture_path_chart(mixture_path(parse("normal(0, 1)"), parse("normal(2, 0.5)")))
    curve, points, chord = chart.series
    assert curve.y[0] == pytest.approx(-math.log(4) + 2 * js, abs=1e-6)
    assert curve.y[-1] == pytest.approx(-math.log(4), abs=1e-9)
    assert list(chord.x) == [0.0, 1.0] and list(chord.y) == [curve.y[0], curve.y[-1]]
    assert np.all(curve.y[1:-1] < np.interp(curve.x[1:-1], chord.x, chord.y))  # convex: under its chord
    assert chart.rules[0].value == -math.log(4) and chart.window[2] < -math.log(4) < chart.window[3]


def test_figure1_charts_map_z_through_the_quantiles_and_end_at_d_one_half():
    """(a): x = G(z) = 2 + 0.5·Φ⁻¹(z) for p_g = N(2, 0.5²); (d): p_g = p_data and D = ½ everywhere."""
    a, b, c, d = xychart.figure1_charts(figure1_stages(parse("normal(0, 1)"), parse("normal(2, 0.5)"), n_z=5))
    z = (np.arange(5) + 0.5) / 5
    seg = a.series[3]
    np.testing.assert_allclose(seg.x[1::3], 2 + 0.5 * stats.norm.ppf(z), rtol=1e-9)
    assert list(seg.y[:2]) == [-0.35, -0.1] and np.isnan(seg.y[2])
    lo, hi = a.window[:2]
    np.testing.assert_allclose(seg.x[0::3], lo + z * (hi - lo))
    np.testing.assert_allclose(d.series[2].y, 0.5, atol=1e-12)
    np.testing.assert_allclose(d.series[1].y, d.series[0].y, atol=1e-12)
    x = a.series[0].x
    top = max(stats.norm(0, 1).pdf(x).max(), stats.norm(2, 0.5).pdf(x).max())
    np.testing.assert_allclose(a.series[1].y, stats.norm(2, 0.5).pdf(x) / top, rtol=1e-9)
    assert [ch.title[:3] for ch in (a, b, c, d)] == ["(a)", "(b)", "(c)", "(d)"]
