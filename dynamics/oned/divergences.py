"""Divergences and distances between two 1-D densities: KL both ways, JS, total variation, Wasserstein-1.

Two ways to compute each one:
- `kl`, `js`, `tv`, `w1` take Distribution objects and use adaptive quadrature (scipy.integrate.quad), split
  at the densities' breakpoints and at the points where the two curves cross; the returned `Estimate.error` is
  quad's own error estimate plus the probability mass left outside the integration range.
- `*_on_grid` take arrays on a grid and use the trapezoid rule; `grid_divergences` runs them on grids of n,
  n/2 and n/4 points and states max(|I_n − I_{n/2}|/3, |I_{n/2} − I_{n/4}|/12) as the error (Richardson).
All logarithms are natural: JS lies in [0, log 2].
"""

from __future__ import annotations

import math
from itertools import pairwise
from typing import NamedTuple

import numpy as np
from scipy import integrate, optimize

from dynamics.oned.distributions import Distribution

LOG2 = math.log(2.0)


class Estimate(NamedTuple):
    """A computed number with a bound on its numerical error and the method that produced it."""

    value: float
    error: float
    method: str


# ---------------------------------------------------------------- pointwise integrands (pure, on arrays)


def kl_integrand(logp, logq):
    """p·log(p/q) from log-densities, with 0·log(0/q) = 0 and p·log(p/0) = +inf."""
    p = np.exp(logp)
    with np.errstate(invalid="ignore"):
        return np.where(p > 0, p * (logp - logq), 0.0)


def js_integrand(logp, logq):
    """½[p·log(2p/(p+q)) + q·log(2q/(p+q))], finite everywhere, 0 where both densities vanish."""
    logm = np.logaddexp(logp, logq)
    p, q = np.exp(logp), np.exp(logq)
    with np.errstate(invalid="ignore"):
        tp = np.where(p > 0, p * (LOG2 + logp - logm), 0.0)
        tq = np.where(q > 0, q * (LOG2 + logq - logm), 0.0)
    return 0.5 * (tp + tq)


# ---------------------------------------------------------------- adaptive quadrature on Distributions


def _pieces(lo, hi, points):
    """Sub-intervals of [lo, hi] cut at the given points, dropping cuts closer than 1e-9·(hi − lo)."""
    cuts = [lo]
    for t in sorted(float(t) for t in points if lo < t < hi):
        if t - cuts[-1] > 1e-9 * (hi - lo):
            cuts.append(t)
    if hi - cuts[-1] <= 1e-9 * (hi - lo):
        cuts.pop()
    return list(pairwise([*cuts, hi]))


def integrate_split(f, lo, hi, points) -> tuple[float, float]:
    """∫_lo^hi f by quad on the pieces between `points`; returns (value, summed error estimate)."""
    total, err = 0.0, 0.0
    for a, b in _pieces(lo, hi, points):
        v, e = integrate.quad(lambda t: float(f(t)), a, b, limit=200, epsabs=1e-13, epsrel=1e-12)
        total, err = total + v, err + e
    return total, err


def _crossings(f, lo, hi, n=2001):
    """Points in (lo, hi) where f changes sign, found on an n-point grid and polished by brentq."""
    x = np.linspace(lo, hi, n)
    y = f(x)
    idx = np.nonzero(np.sign(y[:-1]) * np.sign(y[1:]) < 0)[0]
    return [optimize.brentq(lambda t: float(f(t)), x[i], x[i + 1], xtol=1e-14) for i in idx]


def joint_support(p: Distribution, q: Distribution):
    """(lo, hi, breakpoints): an interval holding both laws, and both laws' breakpoints."""
    lo = min(p.support()[0], q.support()[0])
    hi = max(p.support()[1], q.support()[1])
    return lo, hi, [*p.breakpoints(), *q.breakpoints()]


def _mass_outside(p: Distribution, q: Distribution | None = None):
    lo, hi = p.support() if q is None else joint_support(p, q)[:2]
    ds = [p] if q is None else [p, q]
    return max(float(d.cdf(lo) + 1 - d.cdf(hi)) for d in ds)


def kl(p: Distribution, q: Distribution) -> Estimate:
    """KL(p‖q) = ∫ p log(p/q) dx in nats; +inf when p puts mass where q vanishes."""
    lo, hi = p.support()
    probe = np.linspace(lo, hi, 20001)
    probe = np.concatenate([probe, [b for b in p.breakpoints() if lo <= b <= hi]])
    lp, lq = p.logpdf(probe), q.logpdf(probe)
    if np.any((lp > -np.inf) & (lq == -np.inf)):
        return Estimate(math.inf, 0.0, "support check: p > 0 where q = 0")
    value, err = integrate_split(
        lambda t: kl_integrand(p.logpdf(t), q.logpdf(t)), lo, hi, [*p.breakpoints(), *q.breakpoints()]
    )
    return Estimate(value, err + _mass_outside(p), "quad")


def js(p: Distribution, q: Distribution) -> Estimate:
    """JS(p‖q) = ½KL(p‖m) + ½KL(q‖m), m = (p+q)/2, in nats; 0 iff p = q, log 2 iff supports are disjoint."""
    lo, hi, points = joint_support(p, q)
    value, err = integrate_split(lambda t: js_integrand(p.logpdf(t), q.logpdf(t)), lo, hi, points)
    return Estimate(value, err + LOG2 * _mass_outside(p, q), "quad")


def tv(p: Distribution, q: Distribution) -> Estimate:
    """TV(p, q) = ½∫|p − q| dx, in [0, 1]."""
    lo, hi, points = joint_support(p, q)
    diff = lambda t: p.pdf(t) - q.pdf(t)  # noqa: E731
    value, err = integrate_split(lambda t: 0.5 * abs(diff(t)), lo, hi, [*points, *_crossings(diff, lo, hi)])
    return Estimate(value, err + _mass_outside(p, q), "quad")


def w1(p: Distribution, q: Distribution) -> Estimate:
    """W1(p, q) = ∫|F_p(x) − F_q(x)| dx, the 1-D earth mover's distance."""
    lo, hi, points = joint_support(p, q)
    diff = lambda t: p.cdf(t) - q.cdf(t)  # noqa: E731
    value, err = integrate_split(lambda t: abs(diff(t)), lo, hi, [*points, *_crossings(diff, lo, hi)])
    return Estimate(value, err + (abs(p.mean) + abs(q.mean) + hi - lo) * _mass_outside(p, q), "quad")


def w1_samples(x, y) -> float:
    """Exact W1 between two empirical distributions: ∫|F_x − F_y| over the merged sorted sample points."""
    x, y = np.sort(np.asarray(x, dtype=float)), np.sort(np.asarray(y, dtype=float))
    t = np.sort(np.concatenate([x, y]))
    fx = np.searchsorted(x, t[:-1], side="right") / len(x)
    fy = np.searchsorted(y, t[:-1], side="right") / len(y)
    return float(np.sum(np.abs(fx - fy) * np.diff(t)))


# ---------------------------------------------------------------- grid versions (fast, for the app)


def make_grid(p: Distribution, q: Distribution, n: int = 2001) -> np.ndarray:
    """n points spanning both supports, plus every breakpoint b, its neighbouring floats and b ± δ with
    δ = 1e-11·(width).

    A jump of a density at b then sits in a cell one ulp wide (or δ wide when b is off by a few ulps), so
    the trapezoid rule stays second order on piecewise-smooth densities.
    """
    lo, hi, points = joint_support(p, q)
    points = [b for b in points if lo <= b <= hi]
    delta = 1e-11 * (hi - lo)
    ulp = [np.nextafter(b, side) for b in points for side in (-np.inf, np.inf)]
    extra = [*ulp, *(b + side * delta for b in points for side in (-1, 1))]
    return np.unique(np.concatenate([np.linspace(lo, hi, n), points, extra]))


def kl_on_grid(x, logp, logq) -> float:
    """Trapezoid rule for ∫ p log(p/q) dx from log-density arrays (−inf marks a true zero); +inf if p > 0
    where q = 0. Log-densities keep far tails exact where the densities themselves underflow."""
    logp, logq = np.asarray(logp, dtype=float), np.asarray(logq, dtype=float)
    if np.any((logp > -np.inf) & (logq == -np.inf)):
        return math.inf
    return float(np.trapezoid(kl_integrand(logp, logq), x))


def js_on_grid(x, logp, logq) -> float:
    """Trapezoid rule for JS(p‖q) from log-density arrays."""
    return float(np.trapezoid(js_integrand(logp, logq), x))


def abs_trapezoid(x, d) -> float:
    """∫|d| dx for the piecewise-linear interpolant of d; exact where d changes sign inside a cell.

    A cell with d0·d1 < 0 contributes h·(d0² + d1²)/(2(|d0| + |d1|)) instead of the trapezoid h·(|d0|+|d1|)/2,
    so the kinks of |p − q| do not spoil the second-order error.
    """
    x, d = np.asarray(x, dtype=float), np.asarray(d, dtype=float)
    h, d0, d1 = np.diff(x), d[:-1], d[1:]
    a0, a1 = np.abs(d0), np.abs(d1)
    same = d0 * d1 >= 0
    with np.errstate(invalid="ignore", divide="ignore"):
        cell = np.where(same, 0.5 * (a0 + a1), (d0 * d0 + d1 * d1) / (2 * (a0 + a1)))
    return float(np.sum(h * cell))


def tv_on_grid(x, p, q) -> float:
    """½∫|p − q| dx from density arrays (sign-change-aware trapezoid rule)."""
    return 0.5 * abs_trapezoid(x, np.asarray(p) - np.asarray(q))


def w1_on_grid(x, cdf_p, cdf_q) -> float:
    """∫|F_p − F_q| dx from cdf arrays (sign-change-aware trapezoid rule)."""
    return abs_trapezoid(x, np.asarray(cdf_p) - np.asarray(cdf_q))


def cdf_from_density(x, p) -> np.ndarray:
    """F(x_k) = ∫_{x_0}^{x_k} p by the cumulative trapezoid rule (for densities known only on a grid)."""
    return integrate.cumulative_trapezoid(p, x, initial=0.0)


def grid_arrays(p: Distribution, q: Distribution, n: int) -> dict:
    """x = make_grid(p, q, n) with both log-densities and both cdfs on it, each evaluated once."""
    x = make_grid(p, q, n)
    return {"x": x, "logp": p.logpdf(x), "logq": q.logpdf(x), "cdf_p": p.cdf(x), "cdf_q": q.cdf(x)}


def divergences_from_arrays(a: dict) -> dict[str, float]:
    """JS, KL both ways, TV and W1 by the trapezoid rules above, from the arrays of `grid_arrays`."""
    x, lp, lq = a["x"], a["logp"], a["logq"]
    return {
        "js": js_on_grid(x, lp, lq),
        "kl_pq": kl_on_grid(x, lp, lq),
        "kl_qp": kl_on_grid(x, lq, lp),
        "tv": tv_on_grid(x, np.exp(lp), np.exp(lq)),
        "w1": w1_on_grid(x, a["cdf_p"], a["cdf_q"]),
    }


def richardson(levels: list[dict], n: int) -> dict[str, Estimate]:
    """Values on grids of n, n/2, n/4 points → n-point values with the error estimate
    max(|I_n − I_{n/2}|/3, |I_{n/2} − I_{n/4}|/12): Richardson for a second-order rule, taken over the last
    two refinements so that one lucky cancellation cannot make it small (0 where a value is infinite)."""
    fine, mid, coarse = levels
    out = {}
    for key, v in fine.items():
        trio = (v, mid[key], coarse[key])
        if all(math.isfinite(t) for t in trio):
            err = max(abs(trio[0] - trio[1]) / 3, abs(trio[1] - trio[2]) / 12)
        else:
            err = 0.0
        out[key] = Estimate(v, err, f"trapezoid, n={n}")
    return out


def grid_divergences(p: Distribution, q: Distribution, n: int = 2001) -> dict[str, Estimate]:
    """All five quantities on an n-point grid, each with the error estimate of `richardson`."""
    return richardson([divergences_from_arrays(grid_arrays(p, q, m)) for m in (n, n // 2, n // 4)], n)
