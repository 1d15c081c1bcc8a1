import math
from itertools import pairwise

import numpy as np
import pytest
from scipy import integrate, stats

from dynamics.oned.distributions import SpecError, kde
from dynamics.oned.specs import parse

SPECS = [
    "normal(0.5, 2)",
    "uniform(-1, 3)",
    "laplace(1, 0.5)",
    "mixture(0.3*normal(-2, 0.5), 0.7*uniform(1, 3))",
    "mixture(normal(0, 1), 2*mixture(laplace(0, 1), uniform(0, 1)))",
    "kde(0, 1, 2.5, bw=0.4)",
]


def test_densities_match_scipy():
    x = np.linspace(-6, 6, 101)
    pairs = [
        ("normal(0.5, 2)", stats.norm(0.5, 2)),
        ("uniform(-1, 3)", stats.uniform(-1, 4)),
        ("laplace(1, 0.5)", stats.laplace(1, 0.5)),
    ]
    for spec, ref in pairs:
        d = parse(spec)
        np.testing.assert_allclose(d.pdf(x), ref.pdf(x), rtol=1e-12, atol=1e-300)
        np.testing.assert_allclose(d.cdf(x), ref.cdf(x), rtol=1e-12, atol=1e-15)
        u = np.array([0.01, 0.3, 0.5, 0.77, 0.99])
        np.testing.assert_allclose(d.quantile(u), ref.ppf(u), rtol=1e-12, atol=1e-12)
        assert d.mean == pytest.approx(ref.mean(), abs=1e-14)
        assert d.std == pytest.approx(ref.std(), rel=1e-14)


def test_mixture_pdf_is_weighted_sum():
    d = parse("mixture(1*normal(-2, 0.5), 3*laplace(1, 2))")
    x = np.linspace(-5, 5, 41)
    want = 0.25 * stats.norm(-2, 0.5).pdf(x) + 0.75 * stats.laplace(1, 2).pdf(x)
    np.testing.assert_allclose(d.pdf(x), want, rtol=1e-13)
    np.testing.assert_allclose(np.exp(d.logpdf(x)), want, rtol=1e-13)
    assert d.mean == pytest.approx(0.25 * -2 + 0.75 * 1)
    var = 0.25 * (0.25 + 4) + 0.75 * (8 + 1) - d.mean**2
    assert d.std == pytest.approx(math.sqrt(var))


@pytest.mark.parametrize("spec", SPECS)
def test_mass_moments_and_roundtrip(spec):
    d = parse(spec)
    lo, hi = d.support()
    pts = [lo, *[b for b in d.breakpoints() if lo < b < hi], hi]
    mass = sum(integrate.quad(d.pdf, a, b, limit=200, epsabs=1e-13)[0] for a, b in pairwise(pts))
    mean = sum(integrate.quad(lambda t: t * d.pdf(t), a, b, limit=200)[0] for a, b in pairwise(pts))
    assert mass == pytest.approx(1, abs=1e-10)
    assert mean == pytest.approx(d.mean, abs=1e-9)
    again = parse(str(d))
    assert str(again) == str(d)
    x = np.linspace(lo, hi, 50)
    np.testing.assert_allclose(again.pdf(x), d.pdf(x), rtol=1e-14)
    u = np.array([0.05, 0.5, 0.95])
    np.testing.assert_allclose(d.cdf(d.quantile(u)), u, atol=1e-12)


@pytest.mark.parametrize("spec", SPECS)
def test_sampling_matches_cdf(spec):
    d = parse(spec)
    x = d.sample(20_000, np.random.default_rng(0))
    assert x.shape == (20_000,)
    assert stats.kstest(x, d.cdf).pvalue > 1e-3


def test_kde_is_average_of_kernels_and_silverman():
    rng = np.random.default_rng(1)
    s = rng.normal(size=200)
    d = kde(s, bandwidth=0.3)
    x = np.linspace(-3, 3, 13)
    want = stats.norm(s[:, None], 0.3).pdf(x[None, :]).mean(axis=0)
    np.testing.assert_allclose(d.pdf(x), want, rtol=1e-12)
    iqr = np.subtract(*np.percentile(s, [75, 25]))
    h = 0.9 * min(s.std(ddof=1), iqr / 1.34) * 200**-0.2
    assert kde(s).bandwidth == pytest.approx(h)


def test_transport_between_normals_is_normal():
    # the quantile path between N(μ0, σ0) and N(μ1, σ1) is N((1−t)μ0 + tμ1, (1−t)σ0 + tσ1)
    d = parse("transport(0.25, normal(-2, 0.5), normal(2, 2.5))")
    ref = stats.norm(-1, 1.0)
    x = np.linspace(-4, 3, 29)
    np.testing.assert_allclose(d.pdf(x), ref.pdf(x), rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(d.cdf(x), ref.cdf(x), atol=1e-12)
    assert d.mean == pytest.approx(-1)
    assert d.std == pytest.approx(1.0, rel=1e-9)


def test_transport_endpoints_and_gaps():
    a, b = "mixture(uniform(0, 1), uniform(3, 4))", "uniform(10, 12)"
    x = np.arange(-1, 13, 0.3) + 0.07  # avoid the closed ends of the uniforms
    np.testing.assert_allclose(parse(f"transport(0, {a}, {b})").pdf(x), parse(a).pdf(x), atol=1e-9)
    np.testing.assert_allclose(parse(f"transport(1, {a}, {b})").pdf(x), parse(b).pdf(x), atol=1e-9)
    # t = 0.3: G(z) = 3 + 2z on z < ½ and 4.4 + 2z on z > ½, so density ½ on [3, 4] ∪ [5.4, 6.4], 0 between
    d = parse(f"transport(0.3, {a}, {b})")
    np.testing.assert_allclose(d.pdf(np.array([2.9, 3.5, 4.7, 5.9, 6.5])), [0, 0.5, 0, 0.5, 0], atol=1e-9)
    np.testing.assert_allclose(d.cdf(np.array([3.5, 4.7, 5.9])), [0.25, 0.5, 0.75], atol=1e-9)
    assert d.mean == pytest.approx(0.7 * 2 + 0.3 * 11)
    with pytest.raises(SpecError, match="t must be in"):
        parse(f"transport(1.5, {a}, {b})")


def test_affine_stays_in_the_spec_language():
    from dynamics.oned.distributions import affine

    d = affine(parse("mixture(0.3*normal(0, 1), 0.7*laplace(1, 2))"), 1, 2)
    assert str(d) == "mixture(0.3*normal(1, 2), 0.7*laplace(3, 4))"
    base = parse("uniform(0, 1)")
    x = np.linspace(-1, 4, 11)
    np.testing.assert_allclose(affine(base, 1, 2).pdf(x), base.pdf((x - 1) / 2) / 2)


def test_kde_logpdf_exact_in_far_tails():
    from scipy import special

    s = np.random.default_rng(0).normal(size=50)
    d = kde(s, 0.3)
    x = np.array([-40.0, -3, 0, 2, 40])
    z = (x[:, None] - s[None, :]) / 0.3
    ref = special.logsumexp(-0.5 * z * z, axis=1) - np.log(0.3 * np.sqrt(2 * np.pi) * 50)
    np.testing.assert_allclose(d.logpdf(x), ref, rtol=1e-12)
    assert np.isfinite(d.logpdf(40.0))
