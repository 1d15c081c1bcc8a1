"""Compiled basin sweeps: plain gradient steps for thousands of starting points, JIT-compiled with numba.

The per-step cost of numpy on a few thousand points is dominated by call overhead, so large sweeps (basin
maps) run a compiled loop instead: the same symbolic field as `Objective.field`, lambdified to scalar `math`
code and compiled once per loss × regularizer per process (≈1–3 s). The loop runs rounds outside and starting
points inside, so that LLVM vectorizes the field (exp included) across starting points.
Instance noise (quadrature) and optimizers other than plain GD use the numpy path.
"""

from __future__ import annotations

import functools
import math

import numba
import numpy as np
import sympy as sp

from dynamics.objectives import PARAM_SYMBOLS, almost_everywhere, psi, symbolic_field, theta

# Fast-math without 'nnan'/'ninf': exp may vectorize, but a blown-up run still compares as non-finite.
FASTMATH = {"contract", "afn", "reassoc", "arcp", "nsz"}


@numba.njit(cache=True, fastmath=FASTMATH)
def _sigmoid(t):
    """Branch-free so that it vectorizes; exp(−t) = inf for very negative t gives the right limit 0."""
    return 1.0 / (1.0 + math.exp(-t))


@functools.cache
def scalar_field(loss: str, reg: str = "none"):
    """(v_θ, v_ψ) as two numba-compiled scalar functions of (θ, ψ, γ, σ, g₀): each player's step needs one."""
    if reg == "instance-noise":
        raise ValueError("instance noise is an expectation by quadrature: use the numpy path")
    args = (theta, psi, *PARAM_SYMBOLS.values())
    modules = [{"Sigmoid": _sigmoid}, "math"]
    return tuple(
        numba.njit(sp.lambdify(args, almost_everywhere(e), modules=modules), fastmath=FASTMATH)
        for e in symbolic_field(loss, reg)
    )


@functools.cache
def compiled_sweep(loss: str, reg: str = "none"):
    """The sweep loop for one objective: rounds outside, starting points inside, so the field vectorizes."""
    v_th, v_ps = scalar_field(loss, reg)

    @numba.njit(fastmath=FASTMATH)
    def run(starts, lr_g, lr_d, alt, g_steps, d_steps, steps, clip, bound, gamma, sigma, target):
        n = starts.shape[0]
        th = starts[:, 0].copy()
        ps = np.minimum(np.maximum(starts[:, 1], -clip), clip)
        new_th, new_ps = th.copy(), ps.copy()
        alive = np.ones(n, np.bool_)
        steps_run = np.full(n, steps)
        peaks = np.zeros((2, n))
        quarter = steps // 4
        bound2 = bound * bound
        for k in range(1, steps + 1):
            if alt:
                for _ in range(g_steps):
                    for i in range(n):
                        new_th[i] += lr_g * v_th(new_th[i], new_ps[i], gamma, sigma, target)
                for _ in range(d_steps):
                    for i in range(n):
                        step = new_ps[i] + lr_d * v_ps(new_th[i], new_ps[i], gamma, sigma, target)
                        new_ps[i] = min(max(step, -clip), clip)
            else:
                for i in range(n):
                    a = v_th(th[i], ps[i], gamma, sigma, target)
                    b = v_ps(th[i], ps[i], gamma, sigma, target)
                    new_th[i] = th[i] + lr_g * a
                    new_ps[i] = min(max(ps[i] + lr_d * b, -clip), clip)
            slot = -1 if (quarter == 0 or k <= steps - 2 * quarter) else (0 if k <= steps - quarter else 1)
            for i in range(n):
                r2 = new_th[i] * new_th[i] + new_ps[i] * new_ps[i]
                if alive[i] and r2 <= bound2:
                    th[i], ps[i] = new_th[i], new_ps[i]
                    if slot >= 0:
                        peaks[slot, i] = max(peaks[slot, i], math.sqrt(r2))
                elif alive[i]:
                    alive[i] = False
                    steps_run[i] = k - 1
                new_th[i], new_ps[i] = th[i], ps[i]
        end = np.empty((n, 2))
        end[:, 0], end[:, 1] = th, ps
        return end, steps_run, alive, peaks

    return run


def sweep(obj, starts: np.ndarray, schedule, bound: float):
    """End points, rounds run, alive flags and the peak distances of the last two quarters (as `simulate`)."""
    clip = obj.params.get("clip") or math.inf
    run = compiled_sweep(obj.loss, obj.reg)
    return run(
        np.ascontiguousarray(starts, dtype=float),
        schedule.lr_g,
        schedule.lr_d,
        schedule.scheme == "alt",
        schedule.g_steps,
        schedule.d_steps,
        schedule.steps,
        clip,
        bound,
        obj.params["gamma"],
        obj.params["sigma"],
        obj.params["target"],
    )
