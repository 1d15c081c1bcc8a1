"""Optimal discriminator D*, value function V(G, D), virtual criterion C(G) (Goodfellow et al. 2014).

    V(G, D) = E_{x~p_data}[log D(x)] + E_{x~p_g}[log(1 − D(x))],   D(x) = probability that x is real
    D*(x)   = p_data(x) / (p_data(x) + p_g(x))                      (undefined where both densities vanish)
    C(G)    = max_D V(G, D) = V(G, D*) = −log 4 + 2·JS(p_data ‖ p_g)

C(G) is computed directly from V with D = D*, never from the identity, so the identity can be checked.
A discriminator is passed as its logit t(x) = log(D/(1 − D)); then log D = −softplus(−t) and
log(1 − D) = −softplus(t) stay exact where D rounds to 0 or 1. D*'s logit is log p_data − log p_g.

"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from dynamics.numbers import num
from dynamics.oned.distributions import Distribution, Mixture, Transport
from dynamics.oned.divergences import (
    divergences_from_arrays,
    grid_arrays,
    integrate_split,
    joint_support,
    js,
    kl,
    richardson,
    tv,
    w1,
)

LOG4 = math.log(4.0)


def optimal_discriminator(p_data, p_g):
    """D* = p_data/(p_data + p_g) from density arrays; returns (D*, defined), D* = NaN where both are 0."""
    p_data, p_g = np.asarray(p_data, dtype=float), np.asarray(p_g, dtype=float)
    total = p_data + p_g
    defined = total > 0
    d = np.full(total.shape, np.nan)
    np.divide(p_data, total, out=d, where=defined)
    return d, defined


def optimal_logit(logp_data, logp_g):
    """Logit of D*: log p_data − log p_g (±inf where one density vanishes, NaN where both do)."""
    logp_data, logp_g = np.asarray(logp_data, dtype=float), np.asarray(logp_g, dtype=float)
    both_zero = (logp_data == -np.inf) & (logp_g == -np.inf)
    with np.errstate(invalid="ignore"):
        return np.where(both_zero, np.nan, logp_data - logp_g)


def optimal_discriminator_from_logs(logp_data, logp_g):
    """D* = σ(log p_data − log p_g) from log-densities: exact where both densities underflow; returns
    (D*, defined) with NaN where both log-densities are −inf."""
    t = optimal_logit(logp_data, logp_g)
    defined = ~np.isnan(t)
    with np.errstate(over="ignore"):
        d = np.where(defined, 1.0 / (1.0 + np.exp(-np.where(defined, t, 0.0))), np.nan)
    return d, defined


def _softplus(t):
    """log(1 + e^t), exact for large |t| and ±inf."""
    t = np.asarray(t, dtype=float)
    return np.logaddexp(0.0, t)


def value_integrand(logp_data, logp_g, logit):
    """p_data·log D + p_g·log(1 − D) with D = σ(logit); a term with zero density counts 0 (0·log 0 = 0)."""
    p, q = np.exp(logp_data), np.exp(logp_g)
    with np.errstate(invalid="ignore"):
        a = np.where(p > 0, -p * _softplus(-logit), 0.0)
        b = np.where(q > 0, -q * _softplus(logit), 0.0)
    return a + b


def value_on_grid(x, logp_data, logp_g, logit) -> float:
    """V(G, D) by the trapezoid rule on a grid, from log-densities and the discriminator's logit on x."""
    return float(np.trapezoid(value_integrand(logp_data, logp_g, logit), x))


def value(data: Distribution, gen: Distribution, logit) -> tuple[float, float]:
    """V(G, D) by adaptive quadrature for a discriminator logit t(x) (vectorized callable); (value, error)."""
    lo, hi, points = joint_support(data, gen)
    return integrate_split(lambda t: value_integrand(data.logpdf(t), gen.logpdf(t), logit(t)), lo, hi, points)


def line_logit(a: float, b: float):
    """The logit t(x) = a·x + b of a logistic discriminator D(x) = σ(a·x + b)."""
    return lambda x: a * np.asarray(x, dtype=float) + b


def logistic_through(points, a: float, d_min: float = 0.01) -> tuple[float, float]:
    """(a, b) of the D(x) = σ(a·x + b) through the given points (x, D): through two, a = (t₂ − t₁)/(x₂ − x₁) and
    b = t₁ − a·x₁ with t = logit D; through one, the slope `a` is kept and b = t − a·x. D is clipped to
    [d_min, 1 − d_min] (σ never reaches 0 or 1); two points at the same x count as the last one."""
    (x1, d1), *rest = [(float(x), min(max(float(d), d_min), 1 - d_min)) for x, d in points]
    t1 = math.log(d1 / (1 - d1))
    if rest:
        x2, d2 = rest[-1]
        t2 = math.log(d2 / (1 - d2))
        if x2 != x1:
            a = (t2 - t1) / (x2 - x1)
        else:
            x1, t1 = x2, t2
    return a, t1 - a * x1


def d_star_logit(data: Distribution, gen: Distribution):
    """D*'s logit as a callable; 0 where both densities vanish (any value would do: the integrand is 0)."""
    return lambda x: np.nan_to_num(optimal_logit(data.logpdf(x), gen.logpdf(x)), nan=0.0, posinf=np.inf)


def virtual_criterion(data: Distribution, gen: Distribution) -> tuple[float, float]:
    """C(G) = V(G, D*) by quadrature, straight from the definition of V; (value, error)."""
    return value(data, gen, d_star_logit(data, gen))


@dataclass(frozen=True)
class MixturePath:
    """Goodfellow et al. 2014, Prop. 2 along one path: p_t = (1 − t)·p_g + t·p_data, D = D*_{p_t} at every t,
    criterion[i] = C(p_t) = V(p_t, D*_t) at t[i] (with its quadrature error); convex and decreasing are judged
    on the second and first differences, beyond the quadrature error."""

    t: list[float]
    criterion: list[float]
    error: float
    convex: bool
    decreasing: bool

    def sentence(self) -> str:
        """The path in words with its numbers: where C starts and ends, convexity, the first and last drop."""
        c = self.criterion
        return (
            f"C falls from {num(c[0], 6)} at t = 0 to {num(c[-1], 6)} = −log 4 at t = 1; "
            f"{'convex' if self.convex else 'NOT convex'} (second differences ≥ 0) and "
            f"{'decreasing' if self.decreasing else 'NOT decreasing'}: the first step of the path lowers C by "
            f"{num(c[0] - c[1])}, the last by {num(c[-2] - c[-1])}."
        )


def mixture_path(data: Distribution, gen: Distribution, n: int = 11) -> MixturePath:
    """C along the straight path from p_g to p_data. V(p_g, D) is linear in p_g for a fixed D, so C = sup_D V is
    convex in p_g with its minimum −log 4 at p_data: along the path C is convex in t and falls to −log 4."""
    ts = np.linspace(0.0, 1.0, n)
    values, errors = [], []
    for t in ts:
        p_t = gen if t == 0 else data if t == 1 else Mixture([1 - t, t], [gen, data])
        v, err = virtual_criterion(data, p_t)
        values.append(v)
        errors.append(err)
    c, tol = np.asarray(values), 4 * max(errors) + 1e-12
    return MixturePath(
        [float(t) for t in ts],
        [float(v) for v in c],
        float(max(errors)),
        bool(np.all(np.diff(c, 2) >= -tol)),
        bool(np.all(np.diff(c) <= tol)),
    )


def undefined_intervals(x, defined) -> list[list[float]]:
    """Maximal runs [x_first, x_last] of grid points where D* is undefined."""
    bad = np.r_[0, ~np.asarray(defined, dtype=bool), 0].astype(int)
    edges = np.diff(bad)
    starts, ends = np.nonzero(edges == 1)[0], np.nonzero(edges == -1)[0] - 1
    return [[float(x[i]), float(x[j])] for i, j in zip(starts, ends, strict=True)]


def display_range(data: Distribution, gen: Distribution, margin: float = 0.15) -> tuple[float, float]:
    """A plotting window: the 0.1 %–99.9 % quantiles of both laws, widened by `margin` on each side."""
    q = np.array([1e-3, 1 - 1e-3])
    lo = min(float(data.quantile(q)[0]), float(gen.quantile(q)[0]))
    hi = max(float(data.quantile(q)[1]), float(gen.quantile(q)[1]))
    pad = margin * (hi - lo) if hi > lo else 1.0
    return lo - pad, hi + pad


def summary(data: Distribution, gen: Distribution, n: int = 2001, exact: bool = True) -> dict:
    """Everything the D* page shows: the curves on an n-point grid and the divergences and C(G).

    With exact=True the numbers come from adaptive quadrature (errors from quad); otherwise from the grid
    (errors by Richardson over n, n/2, n/4 points), which is what the app's live update uses.
    """
    lo, hi = display_range(data, gen)
    x = np.unique(np.concatenate([np.linspace(lo, hi, n), [b for b in joint_support(data, gen)[2] if lo <= b <= hi]]))
    lp, lq = data.logpdf(x), gen.logpdf(x)
    p, q = np.exp(lp), np.exp(lq)
    d, defined = optimal_discriminator_from_logs(lp, lq)
    if exact:
        est = {
            "js": js(data, gen),
            "kl_data_gen": kl(data, gen),
            "kl_gen_data": kl(gen, data),
            "tv": tv(data, gen),
            "w1": w1(data, gen),
        }
        c_g, c_err = virtual_criterion(data, gen)
        method = "adaptive quadrature (scipy.integrate.quad)"
    else:
        est = grid_numbers(data, gen, n)
        c_g, c_err = est.pop("c_g")[:2]
        method = f"trapezoid rule on {n} points, error by Richardson (n, n/2, n/4)"
    values = {k: e.value for k, e in est.items()}
    errors = {k: e.error for k, e in est.items()}
    values["c_g"] = c_g
    values["c_g_identity"] = -LOG4 + 2 * values["js"]
    errors["c_g"] = c_err
    return {
        "data": str(data),
        "gen": str(gen),
        **values,
        "errors": errors,
        "method": method,
        "grid": {"lo": lo, "hi": hi, "n": int(len(x))},
        "d_star_undefined": undefined_intervals(x, defined),
        "x": x,
        "p_data": p,
        "p_g": q,
        "d_star": d,
    }


def grid_numbers(data: Distribution, gen: Distribution, n: int = 2001) -> dict:
    """JS, both KLs, TV, W1 and C(G) = V(G, D*) by the trapezoid rule, each density evaluated once per grid;
    errors by `divergences.richardson` (n, n/2, n/4). Keys as in `summary`."""
    results = []
    for m in (n, n // 2, n // 4):
        a = grid_arrays(data, gen, m)
        vals = divergences_from_arrays(a)
        logit = np.nan_to_num(optimal_logit(a["logp"], a["logq"]), nan=0.0, posinf=np.inf)
        vals["c_g"] = value_on_grid(a["x"], a["logp"], a["logq"], logit)
        results.append(vals)
    est = richardson(results, n)
    rename = {"kl_pq": "kl_data_gen", "kl_qp": "kl_gen_data"}
    return {rename.get(k, k): v for k, v in est.items()}


# ---------------------------------------------------------------- Goodfellow et al. 2014, Figure 1

STAGES = (
    ("(a)", 0.0, 0.5, 0.0, "D partially trained (half of D*'s logit)"),
    ("(b)", 0.0, 1.0, 0.0, "inner loop: D → D*"),
    ("(c)", 0.5, 1.0, 0.0, "after a G update: G(z) moves toward data"),
    ("(d)", 1.0, 1.0, 1.0, "p_g = p_data: D = 1/2"),
)


def figure1_stages(data: Distribution, gen: Distribution, n: int = 801, n_z: int = 15) -> list[dict]:
    """The four panels (a)–(d) of Goodfellow et al.'s Figure 1 for a quantile-transform generator.

    G_t(z) = (1 − t)·Q_gen(z) + t·Q_data(z), z ~ U(0, 1), so t = 0 is the starting generator and t = 1 matches
    the data exactly. Each stage is (label, t of p_g, λ, t that D was trained for): D's logit is λ times the
    logit of D* for the generator at that t (λ = ½: half-trained; (c) keeps (b)'s D after G has moved).
    """
    lo, hi = display_range(data, gen)
    x = np.linspace(lo, hi, n)
    z = (np.arange(n_z) + 0.5) / n_z
    stages = []
    for label, t_g, lam, t_d, caption in STAGES:
        g_now, g_for_d = Transport(t_g, gen, data), Transport(t_d, gen, data)
        logit = lam * optimal_logit(data.logpdf(x), g_for_d.logpdf(x))
        with np.errstate(invalid="ignore"):
            d = 1.0 / (1.0 + np.exp(-logit))
        stages.append(
            {
                "label": label,
                "caption": caption,
                "t": t_g,
                "x": x,
                "p_data": data.pdf(x),
                "p_g": g_now.pdf(x),
                "d": d,
                "z": z,
                "g_of_z": g_now.quantile(z),
            }
        )
    return stages
