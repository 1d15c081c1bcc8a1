"""Thresholds that the lab exercises ask for, computed from the core: where the eigenvalues turn real, where
continuous-time convergence starts, and the learning rate at which a discrete method stops converging."""

from __future__ import annotations

import numpy as np
import sympy as sp

from dynamics.objectives import PARAM_SYMBOLS, Objective, make_objective
from dynamics.optimizers import Optimizer
from dynamics.stability import critical_values, equilibrium, spectral_radius, update_matrix


def real_from(loss: str, reg: str, param: str, **params) -> float | None:
    """Smallest value of `param` ≥ 0 at which both Jacobian eigenvalues are real (closed form), or None."""
    found = critical_values(loss, reg, param)
    subs = {PARAM_SYMBOLS[k]: v for k, v in params.items() if k in PARAM_SYMBOLS and k != param}
    roots = [complex(sp.N(r.subs(subs))) for r in found.get("real_from", [])]
    roots = [r.real for r in roots if abs(r.imag) < 1e-12 and r.real >= 0]
    return min(roots) if roots else None


def radius(obj: Objective, opt: Optimizer, lr: float, scheme: str = "sim", ratio: float = 1.0, g_steps=1, d_steps=1):
    """Spectral radius of one round at learning rate lr (lr_d = ratio·lr), or None when undefined."""
    eq = equilibrium(obj)
    if eq.jacobian is None:
        return None
    return spectral_radius(update_matrix(eq.jacobian, opt, (lr, ratio * lr), scheme, g_steps, d_steps))


def critical_lr(
    obj: Objective,
    opt: Optimizer,
    scheme: str = "sim",
    ratio: float = 1.0,
    g_steps: int = 1,
    d_steps: int = 1,
    high: float = 100.0,
    tol: float = 1e-10,
) -> float | None:
    """The learning rate at which the method stops converging: the first h > 0 with spectral radius ≥ 1.

    Scans a log grid for the first non-converging h, then bisects between it and the last converging one.
    None when it does not converge even for tiny h, or still converges at `high`.
    """
    rho = lambda h: radius(obj, opt, h, scheme, ratio, g_steps, d_steps)  # noqa: E731
    grid = np.geomspace(1e-4, high, 400)
    values = [rho(h) for h in grid]
    if values[0] is None or values[0] >= 1 - 1e-12:
        return None
    bad = [i for i, r in enumerate(values) if r >= 1 - 1e-12]
    if not bad:
        return None
    lo, hi = grid[bad[0] - 1], grid[bad[0]]
    while hi - lo > tol * hi:
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if rho(mid) < 1 - 1e-12 else (lo, mid)
    return float(hi)


def converges_from(loss: str, reg: str, param: str, high: float = 10.0, **params) -> float | None:
    """Smallest value of `param` in (0, high] at which all continuous-time eigenvalues have negative real part."""
    grid = np.linspace(0, high, 2001)[1:]

    def stable(value):
        eq = equilibrium(make_objective(loss, reg, **{**params, param: float(value)}))
        return eq.eigenvalues is not None and np.max(eq.eigenvalues.real) < -1e-9

    ok = [stable(v) for v in grid]
    if not any(ok):
        return None
    i = ok.index(True)
    if i == 0:
        return float(grid[0])
    lo, hi = grid[i - 1], grid[i]
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (lo, mid) if stable(mid) else (mid, hi)
    return float(hi)
