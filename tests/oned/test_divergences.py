import math

import numpy as np
import pytest
from scipy import integrate, special, stats

from dynamics.oned.divergences import grid_divergences, js, kl, tv, w1, w1_samples
from dynamics.oned.specs import parse

LOG2 = math.log(2)


def kl_normals(m1, s1, m2, s2):
    return math.log(s2 / s1) + (s1**2 + (m1 - m2) ** 2) / (2 * s2**2) - 0.5


def kl_laplaces(m1, b1, m2, b2):
    d = abs(m1 - m2)
    return math.log(b2 / b1) + d / b2 + (b1 / b2) * math.exp(-d / b1) - 1


@pytest.mark.parametrize("m1, s1, m2, s2", [(0, 1, 1, 2), (-3, 0.2, 2, 1.5), (0, 1, 0, 1), (5, 3, -5, 0.5)])
def test_kl_normals_closed_form(m1, s1, m2, s2):
    p, q = parse(f"normal({m1}, {s1})"), parse(f"normal({m2}, {s2})")
    est = kl(p, q)
    assert est.value == pytest.approx(kl_normals(m1, s1, m2, s2), rel=1e-10, abs=1e-12)
    assert est.error < 1e-8
    assert kl(q, p).value == pytest.approx(kl_normals(m2, s2, m1, s1), rel=1e-10, abs=1e-12)
    g = grid_divergences(p, q, 4001)
    assert g["kl_pq"].value == pytest.approx(kl_normals(m1, s1, m2, s2), rel=1e-4, abs=1e-6)


@pytest.mark.parametrize("m1, b1, m2, b2", [(0, 1, 1, 2), (1, 0.5, -1, 0.7)])
def test_kl_laplaces_closed_form(m1, b1, m2, b2):
    p, q = parse(f"laplace({m1}, {b1})"), parse(f"laplace({m2}, {b2})")
    assert kl(p, q).value == pytest.approx(kl_laplaces(m1, b1, m2, b2), rel=1e-9)


def test_kl_uniforms_nested_and_infinite():
    small, big = parse("uniform(0, 1)"), parse("uniform(0, 2)")
    assert kl(small, big).value == pytest.approx(LOG2, abs=1e-13)
    assert kl(big, small).value == math.inf
    g = grid_divergences(small, big)
    assert g["kl_pq"].value == pytest.approx(LOG2, abs=1e-12)
    assert g["kl_qp"].value == math.inf


@pytest.mark.parametrize("spec", ["normal(0, 1)", "uniform(-1, 2)", "mixture(normal(-2, 0.5), laplace(2, 1))"])
def test_js_of_identical_is_zero(spec):
    p = parse(spec)
    assert js(p, p).value == pytest.approx(0, abs=1e-13)
    assert tv(p, p).value == pytest.approx(0, abs=1e-13)
    assert w1(p, p).value == pytest.approx(0, abs=1e-13)
    assert grid_divergences(p, p)["js"].value == pytest.approx(0, abs=1e-13)


@pytest.mark.parametrize(
    "a, b", [("uniform(0, 1)", "uniform(3, 4)"), ("uniform(-2, 0)", "mixture(uniform(0, 1), uniform(5, 9))")]
)
def test_js_of_disjoint_supports_is_log2(a, b):
    p, q = parse(a), parse(b)
    assert js(p, q).value == pytest.approx(LOG2, abs=1e-13)
    assert tv(p, q).value == pytest.approx(1, abs=1e-13)
    assert grid_divergences(p, q)["js"].value == pytest.approx(LOG2, abs=1e-13)


def test_js_half_overlapping_uniforms():
    # overlap [1, 2] has equal densities and adds nothing; each half-mass outside adds ½·log 2 · ½ twice
    assert js(parse("uniform(0, 2)"), parse("uniform(1, 3)")).value == pytest.approx(LOG2 / 2, abs=1e-13)


def test_js_against_naive_quadrature_with_scipy_pdfs():
    p, q = stats.norm(0, 1), stats.laplace(1, 0.7)

    def integrand(t):
        a, b = p.pdf(t), q.pdf(t)
        m = (a + b) / 2
        return 0.5 * (special.xlogy(a, a / m) + special.xlogy(b, b / m))

    want = integrate.quad(integrand, -40, 40, points=[1], limit=400)[0]
    got = js(parse("normal(0, 1)"), parse("laplace(1, 0.7)"))
    assert got.value == pytest.approx(want, abs=1e-10)
    assert 0 < got.value < LOG2


@pytest.mark.parametrize("dm, s", [(0.5, 1), (3, 0.4), (-2, 2)])
def test_tv_and_w1_equal_shape_normals(dm, s):
    p, q = parse(f"normal(0, {s})"), parse(f"normal({dm}, {s})")
    assert tv(p, q).value == pytest.approx(2 * special.ndtr(abs(dm) / (2 * s)) - 1, abs=1e-11)
    assert w1(p, q).value == pytest.approx(abs(dm), abs=1e-10)


def test_w1_scale_change_and_disjoint_uniforms():
    assert w1(parse("normal(0, 1)"), parse("normal(0, 2)")).value == pytest.approx(math.sqrt(2 / math.pi), abs=1e-10)
    assert w1(parse("uniform(0, 1)"), parse("uniform(3, 4)")).value == pytest.approx(3, abs=1e-12)
    # W1 = ∫|Q_p(u) − Q_q(u)| du: U(0,1) vs U(0,3) gives ∫ 2u du = 1
    assert w1(parse("uniform(0, 1)"), parse("uniform(0, 3)")).value == pytest.approx(1, abs=1e-12)


def test_w1_samples_exact():
    rng = np.random.default_rng(3)
    x, y = rng.normal(size=37), rng.laplace(size=53)
    assert w1_samples(x, y) == pytest.approx(stats.wasserstein_distance(x, y), rel=1e-12)
    assert w1_samples([0.0], [2.5]) == 2.5


@pytest.mark.parametrize(
    "a, b",
    [
        ("normal(0, 1)", "normal(1, 2)"),
        ("mixture(0.5*normal(-2, 0.5), 0.5*normal(2, 0.5))", "laplace(0, 1)"),
        ("uniform(-1, 1)", "mixture(0.3*uniform(-3, 0), 0.7*normal(0.5, 1))"),
    ],
)
def test_grid_agrees_with_quadrature_within_stated_error(a, b):
    p, q = parse(a), parse(b)
    g = grid_divergences(p, q, 4001)
    for key, exact in [
        ("js", js(p, q)),
        ("kl_pq", kl(p, q)),
        ("kl_qp", kl(q, p)),
        ("tv", tv(p, q)),
        ("w1", w1(p, q)),
    ]:
        if math.isinf(exact.value):
            assert g[key].value == math.inf
            continue
        assert abs(g[key].value - exact.value) <= 5 * g[key].error + 1e-9, key
