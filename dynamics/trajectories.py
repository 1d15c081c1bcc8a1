"""Many trajectories advanced together (vectorized over starting points), with each run's status, and the
continuous-time flow (scipy's ODE solver) as the h → 0 reference.

Status, judged on the run (../shared/conventions.md): `diverged` once the distance to the equilibrium
passes `bound` or turns non-finite (the trajectory is frozen there: no NaN reaches a plot), `converged` if
the final distance is below `tol`, `cycling` otherwise. `trend` compares the mean distance over the last
eighth of the run with the eighth before it: "shrinking", "steady" or "growing".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.integrate import solve_ivp

from dynamics.objectives import Objective
from dynamics.optimizers import SCHEMES, Optimizer, init_state, play_round

STATUSES = ("converged", "cycling", "diverged")


@dataclass(frozen=True)
class Schedule:
    """How the players take turns: learning rates, scheme and steps per round, number of rounds."""

    lr_g: float = 0.1
    lr_d: float = 0.1
    scheme: str = "sim"
    g_steps: int = 1
    d_steps: int = 1
    steps: int = 500

    def __post_init__(self):
        for name in ("lr_g", "lr_d"):
            value = getattr(self, name)
            if not (isinstance(value, (int, float)) and np.isfinite(value) and value > 0):
                raise ValueError(f"{name} must be a finite number > 0, got {value!r}")
        if self.scheme not in SCHEMES:
            raise ValueError(f"unknown scheme {self.scheme!r}; allowed: {', '.join(SCHEMES)}")
        for name, low, high in (("g_steps", 1, 100), ("d_steps", 1, 100), ("steps", 1, 1_000_000)):
            value = getattr(self, name)
            if not (isinstance(value, int) and low <= value <= high):
                raise ValueError(f"{name} must be an integer in [{low}, {high}], got {value!r}")

    @property
    def lr(self) -> tuple[float, float]:
        return (self.lr_g, self.lr_d)


@dataclass
class Run:
    """Result of `simulate`: final points, status per trajectory and (optionally) the recorded paths."""

    starts: np.ndarray  # (n, 2)
    end: np.ndarray  # (n, 2): last finite point
    status: np.ndarray  # (n,) of STATUSES
    trend: np.ndarray  # (n,) "shrinking" | "steady" | "growing"
    distance: np.ndarray  # (n,) final distance to (0, 0)
    steps_run: np.ndarray  # (n,) rounds until the end or the divergence
    path: np.ndarray | None  # (steps + 1, n, 2) or None; frozen after divergence

    def paths(self):
        """Each trajectory's path up to where it stopped, as a list of (k, 2) arrays."""
        return [self.path[: k + 1, i] for i, k in enumerate(self.steps_run)]

    def counts(self) -> dict:
        return {s: int(np.sum(self.status == s)) for s in STATUSES}


def simulate(
    obj: Objective,
    starts,
    schedule: Schedule = Schedule(),
    opt: Optimizer | None = None,
    record: bool = True,
    tol: float = 1e-3,
    bound: float = 1e4,
) -> Run:
    """Advance all starting points (n, 2) together for `schedule.steps` rounds."""
    starts = np.atleast_2d(np.asarray(starts, float))
    opt = opt or Optimizer()
    clip = obj.params.get("clip")
    if clip is None:
        project = lambda x: x  # noqa: E731
    else:
        project = lambda x: np.stack([x[..., 0], np.clip(x[..., 1], -clip, clip)], axis=-1)  # noqa: E731
    steps = schedule.steps
    window = max(1, steps // 8)
    state = init_state(opt, project(starts), obj.vector)
    n = len(starts)
    alive = np.ones(n, bool)
    steps_run = np.full(n, steps)
    sums = np.zeros((2, n))  # mean distance over the last two eighths of the run
    path = np.empty((steps + 1, n, 2)) if record else None
    if record:
        path[0] = state[0]
    with np.errstate(all="ignore"):
        for k in range(1, steps + 1):
            new = play_round(
                opt,
                state,
                obj.vector,
                schedule.lr,
                schedule.scheme,
                schedule.g_steps,
                schedule.d_steps,
                project,
            )
            r = np.hypot(new[0][:, 0], new[0][:, 1])
            blown = alive & ~(r <= bound)
            if blown.any():
                alive &= ~blown
                steps_run[blown] = k - 1
            keep = alive[:, None]
            state = tuple(np.where(keep, a, b) for a, b in zip(new, state, strict=True))
            if record:
                path[k] = state[0]
            if k > steps - 2 * window:
                sums[0 if k <= steps - window else 1] += np.hypot(state[0][:, 0], state[0][:, 1])
            if not alive.any():
                if record:
                    path[k + 1 :] = state[0]
                break
    end = state[0]
    distance = np.hypot(end[:, 0], end[:, 1])
    status = np.where(~alive, "diverged", np.where(distance < tol, "converged", "cycling"))
    ratio = sums[1] / np.maximum(sums[0], 1e-300)
    trend = np.where(ratio < 0.99, "shrinking", np.where(ratio > 1.01, "growing", "steady"))
    trend = np.where(alive, trend, "growing")
    return Run(starts, end, status, trend, distance, steps_run, path)


def grid_starts(n: int, window: tuple[float, float, float, float]) -> np.ndarray:
    """n×n starting points over the window (θ_min, θ_max, ψ_min, ψ_max), row-major in ψ then θ."""
    th = np.linspace(window[0], window[1], n)
    ps = np.linspace(window[2], window[3], n)
    T, P = np.meshgrid(th, ps)
    return np.stack([T.ravel(), P.ravel()], axis=1)


def flow(obj: Objective, start, t_end: float, n_points: int = 400, bound: float = 1e4) -> np.ndarray:
    """The continuous-time trajectory ẋ = v(x) from `start` (scipy RK45, rtol 1e-9), stopped at `bound`."""

    def rhs(_, x):
        return obj.vector(np.asarray(x))

    def escape(_, x):
        return bound - np.hypot(x[0], x[1])

    escape.terminal = True
    t_eval = np.linspace(0.0, t_end, n_points)
    sol = solve_ivp(rhs, (0.0, t_end), np.asarray(start, float), t_eval=t_eval, events=escape, rtol=1e-9, atol=1e-12)
    return sol.y.T
