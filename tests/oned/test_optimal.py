import math
import warnings

import numpy as np
import pytest
from scipy import integrate, special, stats

from dynamics.oned.divergences import js
from dynamics.oned.optimal import (
    figure1_stages,
    line_logit,
    logistic_through,
    mixture_path,
    optimal_discriminator,
    optimal_logit,
    summary,
    undefined_intervals,
    value,
    virtual_criterion,
)
from dynamics.oned.specs import parse

PAIRS = [
    ("normal(0, 1)", "normal(2, 0.5)"),
    ("normal(0, 1)", "normal(0, 1)"),
    ("uniform(0, 1)", "uniform(3, 4)"),
    ("uniform(0, 2)", "uniform(1, 3)"),
    ("mixture(0.5*normal(-2, 0.5), 0.5*uniform(1, 3))", "laplace(0.5, 1)"),
    ("laplace(0, 1)", "transport(0.5, normal(-1, 0.3), normal(2, 1))"),
    ("laplace(0, 1)", "transport(0.5, normal(-1, 0.3), uniform(0, 4))"),
]


def test_optimal_discriminator_values_and_undefined_mask():
    p = np.array([0.0, 1.0, 0.0, 0.3, 2.0])
    q = np.array([0.0, 0.0, 0.5, 0.3, 1.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        d, ok = optimal_discriminator(p, q)
        t = optimal_logit(
            np.log(p, where=p > 0, out=np.full(5, -np.inf)), np.log(q, where=q > 0, out=np.full(5, -np.inf))
        )
    assert np.isnan(d[0]) and not ok[0]
    np.testing.assert_allclose(d[1:], [1.0, 0.0, 0.5, 2 / 3])
    assert ok[1:].all()
    assert np.isnan(t[0]) and t[1] == np.inf and t[2] == -np.inf
    assert special.expit(t[4]) == pytest.approx(2 / 3)


@pytest.mark.parametrize("a, b", PAIRS)
def test_c_of_g_equals_identity(a, b):
    data, gen = parse(a), parse(b)
    c_g, err = virtual_criterion(data, gen)
    assert err < 1e-9
    assert c_g == pytest.approx(-math.log(4) + 2 * js(data, gen).value, abs=1e-8)


def test_c_of_g_known_values():
    assert virtual_criterion(parse("normal(1, 2)"), parse("normal(1, 2)"))[0] == pytest.approx(-math.log(4), abs=1e-12)
    assert virtual_criterion(parse("uniform(0, 1)"), parse("uniform(3, 4)"))[0] == pytest.approx(0, abs=1e-12)


def test_value_of_logistic_discriminator_against_scipy():
    a, b = 1.3, -0.4
    p, q = stats.norm(0, 1), stats.norm(2, 0.5)

    def integrand(x):
        t = a * x + b
        return p.pdf(x) * special.log_expit(t) + q.pdf(x) * special.log_expit(-t)

    want = integrate.quad(integrand, -12, 12, limit=200)[0]
    got, err = value(parse("normal(0, 1)"), parse("normal(2, 0.5)"), line_logit(a, b))
    assert got == pytest.approx(want, abs=1e-10)


@pytest.mark.parametrize("a, b", [PAIRS[0], PAIRS[3], PAIRS[4]])
def test_d_star_maximizes_v(a, b):
    data, gen = parse(a), parse(b)
    c_g = virtual_criterion(data, gen)[0]
    base = lambda x: np.nan_to_num(optimal_logit(data.logpdf(x), gen.logpdf(x)), nan=0.0)  # noqa: E731
    bumps = [lambda x: np.ones_like(x), lambda x: np.sin(x), lambda x: np.exp(-((x - 1) ** 2))]
    for h in bumps:
        for eps in (-0.3, -1e-2, 1e-2, 0.3):
            v = value(data, gen, lambda x, h=h, eps=eps: base(x) + eps * h(np.asarray(x, dtype=float)))[0]
            assert v < c_g - 1e-7 * eps**2
    for la, lb in [(0, 0), (1, -1), (-2, 3)]:
        assert value(data, gen, line_logit(la, lb))[0] < c_g


def test_summary_fast_agrees_with_quadrature():
    data, gen = parse("mixture(0.5*normal(-2, 0.5), 0.5*normal(2, 0.5))"), parse("laplace(0, 1)")
    exact, fast = summary(data, gen, 801), summary(data, gen, 4001, exact=False)
    for key in ("js", "kl_data_gen", "kl_gen_data", "tv", "w1", "c_g"):
        assert abs(fast[key] - exact[key]) <= 5 * fast["errors"][key] + 1e-9, key
    # on a grid the identity holds up to log 2 × the trapezoid rule's error on the total mass
    assert abs(fast["c_g"] - fast["c_g_identity"]) <= 5 * fast["errors"]["c_g"] + 10 * fast["errors"]["js"]


def test_d_star_from_logs_survives_underflow():
    from dynamics.oned.optimal import optimal_discriminator_from_logs

    res = summary(parse("normal(0, 0.1)"), parse("normal(100, 0.1)"), 1001)
    assert res["d_star_undefined"] == []  # both densities underflow at x = 50, yet D* is defined there
    mid = np.argmin(np.abs(res["x"] - 50))
    assert res["p_data"][mid] == 0 and res["p_g"][mid] == 0
    xm = res["x"][mid]
    logit = (-(xm**2) + (xm - 100) ** 2) / (2 * 0.01)
    assert res["d_star"][mid] == pytest.approx(special.expit(logit), abs=1e-12)
    d, ok = optimal_discriminator_from_logs(np.array([-np.inf, 0.0, -1000.0]), np.array([-np.inf, -np.inf, -1001.0]))
    assert np.isnan(d[0]) and not ok[0] and d[1] == 1.0 and d[2] == pytest.approx(special.expit(1.0))


def test_undefined_intervals_between_disjoint_uniforms():
    res = summary(parse("uniform(0, 1)"), parse("uniform(3, 4)"), 1001)
    gaps = res["d_star_undefined"]
    assert len(gaps) == 3
    assert gaps[1][0] == pytest.approx(1, abs=0.01) and gaps[1][1] == pytest.approx(3, abs=0.01)
    inside = (res["x"] > 1.01) & (res["x"] < 2.99)
    assert np.isnan(res["d_star"][inside]).all()
    assert undefined_intervals(np.arange(5.0), np.array([1, 0, 0, 1, 0], dtype=bool)) == [[1, 2], [4, 4]]


def test_figure1_stages():
    data, gen = parse("normal(0, 1)"), parse("normal(3, 0.5)")
    a, b, c, d = figure1_stages(data, gen, n=201)
    x = a["x"]
    d_star = data.pdf(x) / (data.pdf(x) + gen.pdf(x))
    np.testing.assert_allclose(b["d"], d_star, rtol=1e-9)
    np.testing.assert_allclose(c["d"], d_star, rtol=1e-9)  # (c): G moved, D not yet retrained
    t_half = (stats.norm(0, 1).logpdf(x) - stats.norm(3, 0.5).logpdf(x)) / 2
    np.testing.assert_allclose(a["d"], special.expit(t_half), rtol=1e-9)
    np.testing.assert_allclose(d["d"], 0.5, atol=1e-9)
    np.testing.assert_allclose(d["p_g"], data.pdf(x), atol=1e-9)
    np.testing.assert_allclose(c["p_g"], stats.norm(1.5, 0.75).pdf(x), atol=1e-9)
    np.testing.assert_allclose(b["g_of_z"], gen.quantile(b["z"]))
    # (a) is the starting generator, however far it is from the data: its title claims no convergence
    assert a["caption"] == "D partially trained (half of D*'s logit)"


def test_logistic_through_two_points_and_one():
    """σ(a·x + b) checked with scipy's expit at the points it must pass through."""
    a, b = logistic_through([(-1.0, 0.2), (3.0, 0.9)], a=5.0)
    np.testing.assert_allclose(special.expit(a * np.array([-1.0, 3.0]) + b), [0.2, 0.9], rtol=1e-12)
    a, b = logistic_through([(2.0, 0.75)], a=-2.0)
    assert a == -2.0 and math.isclose(special.expit(a * 2.0 + b), 0.75, rel_tol=1e-12)
    a, b = logistic_through([(1.0, 0.5), (1.0, 0.25)], a=3.0)  # same x: the last point, slope kept
    assert a == 3.0 and math.isclose(special.expit(3.0 + b), 0.25, rel_tol=1e-12)
    a, b = logistic_through([(0.0, 1.0)], a=0.0)  # D = 1 is clipped to 0.99
    assert math.isclose(special.expit(b), 0.99, rel_tol=1e-12)


def js_disjoint_path(t):
    """JS(p ‖ (1 − t)q + t·p) for p, q of disjoint supports, by hand: on p's support p_t = t·p and m = (1 + t)/2·p,
    on q's p_t = (1 − t)·q and m = (1 − t)/2·q, so JS = ½[log(2/(1 + t)) + t·log(2t/(1 + t)) + (1 − t)·log 2]."""
    return 0.5 * (math.log(2 / (1 + t)) + (t * math.log(2 * t / (1 + t)) if t > 0 else 0) + (1 - t) * math.log(2))


def test_mixture_path_matches_the_closed_form_on_disjoint_supports():
    path = mixture_path(parse("uniform(0, 1)"), parse("uniform(3, 4)"), n=11)
    assert path.t == pytest.approx([i / 10 for i in range(11)])
    expected = [-math.log(4) + 2 * js_disjoint_path(t) for t in path.t]
    assert path.criterion == pytest.approx(expected, abs=1e-9)
    assert path.criterion[0] == pytest.approx(0, abs=1e-12) and path.criterion[-1] == pytest.approx(-math.log(4))
    assert path.convex and path.decreasing
    assert path.sentence() == (
        f"C falls from {expected[0]:.6g} at t = 0 to {expected[-1]:.6g} = −log 4 at t = 1; convex (second "
        f"differences ≥ 0) and decreasing: the first step of the path lowers C by {expected[0] - expected[1]:.4g}, "
        f"the last by {expected[-2] - expected[-1]:.4g}."
    )


def test_mixture_path_flags_judge_the_differences():
    """The flags are computed from the values: a path from p_data to itself is flat (convex, non-increasing)."""
    path = mixture_path(parse("normal(0, 1)"), parse("normal(0, 1)"), n=5)
    assert path.criterion == pytest.approx([-math.log(4)] * 5, abs=1e-9)
    assert path.convex and path.decreasing
