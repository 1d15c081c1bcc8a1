"""Optimal critics under a Lipschitz constraint in 1-D: WGAN (Arjovsky et al. 2017) and LS-GAN (Qi 2017),
and the generator gradient each gives, next to the classic GAN's gradient that vanishes on disjoint supports.

WGAN. W1(p_data, p_g) = sup_{|f'| ≤ 1} E_data f − E_g f. Integrating by parts,
E_data f − E_g f = ∫ f'(x)·(F_g(x) − F_data(x)) dx, so an optimal critic (Kantorovich potential) has
f'(x) = sign(F_g(x) − F_data(x)) and attains ∫|F_data − F_g| dx = W1. The generator minimizes −E_g f(G(z)):
a generated point x moves along +f'(x), at unit speed wherever the two CDFs differ.

LS-GAN. The loss function L ≥ 0 is κ-Lipschitz and should be smaller on real points than on generated ones
by the margin Δ(x, z) = |x − z|. On samples y_1..y_n (real, x_i) and y_{n+1}..y_{n+m} (generated, z_j) the
values l_k = L(y_k) solve the linear program (Qi 2017, non-parametric solution)
    min_l  (1/n)·Σ_i l_i + λ/(n·m)·Σ_{i,j} (Δ(x_i, z_j) + l_i − l_{n+j})_+
    s.t.   |l_k − l_k'| ≤ κ·|y_k − y_k'|,  l_k ≥ 0,
and every optimal κ-Lipschitz L lies between the cone-shaped bounds
    L_lower(x) = max_k (l_k − κ|x − y_k|)_+      L_upper(x) = min_k (l_k + κ|x − y_k|),
which agree at the samples. Both have slope ±κ almost everywhere (L_lower where it is positive), so the
generator, minimizing E_z L(G(z)), keeps a gradient even when the loss function is trained to optimality.

Classic GAN. With D = D*, on the support of p_g away from p_data D* ≡ 0 is locally constant: both the
saturating log(1 − D) and the non-saturating −log D give zero pathwise gradient there.

"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize, sparse

from dynamics.oned.distributions import Distribution
from dynamics.oned.divergences import w1, w1_samples
from dynamics.oned.optimal import display_range
from dynamics.oned.saturation import score


def kantorovich_potential(x, cdf_data, cdf_g):
    """WGAN's optimal critic on a grid: f' = sign(F_g − F_data), f integrated exactly for the piecewise-linear
    CDF difference (a sign change inside a cell is located by linear interpolation). Returns (f, f')."""
    x = np.asarray(x, dtype=float)
    diff = np.asarray(cdf_g, dtype=float) - np.asarray(cdf_data, dtype=float)
    s0, s1 = np.sign(diff[:-1]), np.sign(diff[1:])
    a0, a1 = np.abs(diff[:-1]), np.abs(diff[1:])
    with np.errstate(invalid="ignore", divide="ignore"):
        r = np.where(s0 * s1 < 0, a0 / (a0 + a1), 0.5)
    cell = np.diff(x) * (r * s0 + (1 - r) * s1)
    f = np.concatenate([[0.0], np.cumsum(cell)])
    return f, np.sign(diff)


def center(f, x, p_data, p_g):
    """Shift a critic so that E_{(p_data + p_g)/2}[f] = 0 (critics are defined up to a constant)."""
    weight = 0.5 * (np.asarray(p_data) + np.asarray(p_g))
    return f - np.trapezoid(weight * f, x) / np.trapezoid(weight, x)


def _lsgan_program(xd, xg, kappa: float, lam: float):
    """Qi's linear program in the variables (l_1..l_{n+m}, ξ_ij): cost, inequality rows and bounds."""
    n, m = len(xd), len(xg)
    y = np.concatenate([xd, xg])
    k = n + m
    cost = np.concatenate([np.full(n, 1.0 / n), np.zeros(m), np.full(n * m, lam / (n * m))])
    # hinge rows: l_i − l_{n+j} − ξ_ij ≤ −Δ(x_i, z_j)
    ii, jj = np.meshgrid(np.arange(n), np.arange(m), indexing="ij")
    ii, jj = ii.ravel(), jj.ravel()
    rows = np.arange(n * m)
    hinge = sparse.csr_matrix(
        (
            np.concatenate([np.ones(n * m), -np.ones(n * m), -np.ones(n * m)]),
            (np.concatenate([rows, rows, rows]), np.concatenate([ii, n + jj, k + rows])),
        ),
        shape=(n * m, k + n * m),
    )
    # Lipschitz between neighbours in sorted order (enough on a line, by the triangle inequality)
    order = np.argsort(y, kind="stable")
    a, b = order[:-1], order[1:]
    gaps = kappa * (y[b] - y[a])
    r = np.arange(k - 1)
    up = sparse.csr_matrix(
        (np.concatenate([np.ones(k - 1), -np.ones(k - 1)]), (np.concatenate([r, r]), np.concatenate([b, a]))),
        shape=(k - 1, k + n * m),
    )
    a_ub = sparse.vstack([hinge, up, -up]).tocsr()
    b_ub = np.concatenate([-np.abs(xd[ii] - xg[jj]), gaps, gaps])
    return y, cost, a_ub, b_ub


def _solve(cost, a_ub, b_ub):
    res = optimize.linprog(cost, A_ub=a_ub, b_ub=b_ub, bounds=(0, None), method="highs")
    if res.status != 0:
        raise RuntimeError(f"LS-GAN linear program failed: {res.message}")
    return res


def lsgan_values(x_data, x_gen, kappa: float = 1.0, lam: float = 1.0, least: bool = False):
    """Solve Qi's linear program for l* = L(y_k) on the real samples then the generated ones (HiGHS).

    The program leaves a generated sample's loss free wherever its hinges are already 0; least=True picks, among
    the optimal solutions, the one with the least total loss on the generated samples (a second program with
    the first's optimum as a bound), so the values are unique."""
    xd, xg = np.asarray(x_data, dtype=float).ravel(), np.asarray(x_gen, dtype=float).ravel()
    k = len(xd) + len(xg)
    y, cost, a_ub, b_ub = _lsgan_program(xd, xg, kappa, lam)
    res = _solve(cost, a_ub, b_ub)
    if least:
        fake = np.zeros_like(cost)
        fake[len(xd) : k] = 1.0
        bound = res.fun + 1e-9 * max(1.0, abs(res.fun))
        second = _solve(fake, sparse.vstack([a_ub, cost[None, :]]).tocsr(), np.append(b_ub, bound))
        return y, second.x[:k], float(res.fun)
    return y, res.x[:k], float(res.fun)


@dataclass(frozen=True)
class Allocation:
    """How much the optimal LS-GAN loss separates one generator's samples from the real ones (Qi's "allocation
    on demand"): margin = mean Δ(x_i, z_j) = |x_i − z_j| over all pairs; push = mean L(z_j) − mean L(x_i) for
    the least optimal loss (lsgan_values(least=True)), the loss the generator still has to remove; unmet = the
    mean hinge (Δ + L(x_i) − L(z_j))₊ the κ-Lipschitz loss cannot close."""

    gen: str
    margin: float
    push: float
    unmet: float


def allocation(data: Distribution, gens, samples: int = 20, kappa: float = 1.0, lam: float = 1.0, seed: int = 0):
    """An Allocation per generator in `gens`, each against the same real samples (drawn first with `seed`)."""
    out = []
    for gen in gens:
        rng = np.random.default_rng(seed)
        xd, xg = data.sample(samples, rng), gen.sample(samples, rng)
        _, l, _ = lsgan_values(xd, xg, kappa, lam, least=True)
        ld, lg = l[:samples], l[samples:]
        delta = np.abs(xd[:, None] - xg[None, :])
        unmet = np.maximum(delta + ld[:, None] - lg[None, :], 0.0)
        out.append(Allocation(str(gen), float(delta.mean()), float(lg.mean() - ld.mean()), float(unmet.mean())))
    return out


def lsgan_bounds(x, y, l, kappa: float = 1.0):
    """Qi's lower and upper bounds of the optimal loss function on points x: (L_lower, L_upper)."""
    dist = kappa * np.abs(np.asarray(x, dtype=float)[:, None] - np.asarray(y)[None, :])
    lower = np.maximum(np.max(l[None, :] - dist, axis=1), 0.0)
    upper = np.min(l[None, :] + dist, axis=1)
    return lower, upper


def slope(fun, x, h):
    """Central difference (F(x + h) − F(x − h)) / 2h: the mean of the one-sided slopes at a kink."""
    x = np.asarray(x, dtype=float)
    return (fun(x + h) - fun(x - h)) / (2 * h)


def classic_gan_velocity(data: Distribution, gen: Distribution, x):
    """−∂x of the generator loss at x with D = D*: saturating D*·t', non-saturating (1 − D*)·t',
    t' = d/dx log(p_data/p_g). Zero where D* is locally constant (one density vanishes)."""
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        t = data.logpdf(x) - gen.logpdf(x)
        d = 1.0 / (1.0 + np.exp(-t))
        tp = score(data, x) - score(gen, x)
        ok = np.isfinite(t) & np.isfinite(tp)
        return np.where(ok, d * tp, 0.0), np.where(ok, (1 - d) * tp, 0.0)


def compare(
    data: Distribution,
    gen: Distribution,
    samples: int = 20,
    kappa: float = 1.0,
    lam: float = 1.0,
    n: int = 1201,
    seed: int = 0,
) -> dict:
    """Everything the LS-GAN vs WGAN page shows, on the plotted window of `optimal.display_range`.

    Velocities are −∂x(generator loss), positive = move right; `shift_velocity` averages one over p_g and
    `mean_abs_gradient` averages its size. `w1_from_critic` = E_data f − E_g f on the window (a check on f).
    """
    lo, hi = display_range(data, gen)
    rng = np.random.default_rng(seed)
    xd, xg = np.sort(data.sample(samples, rng)), np.sort(gen.sample(samples, rng))
    lo, hi = min(lo, xd[0], xg[0]), max(hi, xd[-1], xg[-1])
    kinks = [b for b in [*data.breakpoints(), *gen.breakpoints()] if lo < b < hi]
    near = [b + side * 1e-11 * (hi - lo) for b in kinks for side in (-1, 1)]
    x = np.unique(np.concatenate([np.linspace(lo, hi, n), kinks, near]))
    p, q = data.pdf(x), gen.pdf(x)
    f, fprime = kantorovich_potential(x, data.cdf(x), gen.cdf(x))
    f = center(f, x, p, q)
    y, l, lp_value = lsgan_values(xd, xg, kappa, lam)
    lower, upper = lsgan_bounds(x, y, l, kappa)
    h = 1e-6 * (hi - lo)
    v_lower = -slope(lambda t: lsgan_bounds(t, y, l, kappa)[0], x, h)
    v_upper = -slope(lambda t: lsgan_bounds(t, y, l, kappa)[1], x, h)
    v_sat, v_ns = classic_gan_velocity(data, gen, x)
    velocities = {
        "wgan": fprime,
        "lsgan_lower": v_lower,
        "lsgan_upper": v_upper,
        "gan_saturating": v_sat,
        "gan_non_saturating": v_ns,
    }
    mass = np.trapezoid(q, x)
    summary = {
        name: {
            "shift_velocity": float(np.trapezoid(q * v, x) / mass),
            "mean_abs_gradient": float(np.trapezoid(q * np.abs(v), x) / mass),
        }
        for name, v in velocities.items()
    }
    w1_est = w1(data, gen)
    return {
        "data": str(data),
        "gen": str(gen),
        "kappa": kappa,
        "lam": lam,
        "samples": samples,
        "seed": seed,
        "w1": w1_est.value,
        "w1_error": w1_est.error,
        "w1_from_critic": float(np.trapezoid(p * f, x) - np.trapezoid(q * f, x)),
        "w1_samples": w1_samples(xd, xg),
        "lsgan_objective": lp_value,
        "generator": summary,
        "x": x,
        "p_data": p,
        "p_g": q,
        "wgan_critic": f,
        "lsgan_lower": lower,
        "lsgan_upper": upper,
        "velocity": velocities,
        "x_data": xd,
        "x_gen": xg,
        "l_data": l[:samples],
        "l_gen": l[samples:],
    }
