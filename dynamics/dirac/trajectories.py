"""Many trajectories advanced together (vectorized over starting points), with each run's status, and the
continuous-time flow (scipy's ODE solver) as the h → 0 reference.

Besides the end point, each run keeps what its status (dynamics.dirac.status) is judged on: `growth`, the peak
distance r to (0, 0) over the last quarter of the run ÷ the peak over the quarter before (peaks, so that an
orbit sampled at any phase reads 1; end ÷ start for runs under 4 rounds), and `travel`, its path length over
the last quarter (the last round for runs under 4 rounds). A run that passes `bound` or turns non-finite is
frozen there (diverged), so no NaN reaches a plot.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dynamics.dirac.field import Objective
from dynamics.dirac.optimizers import SCHEMES, Optimizer, init_state, play_round
from dynamics.dirac.ranges import D_STEPS, G_STEPS, LR, ROUNDS
from dynamics.dirac.status import BOUND, STATUSES, TOL, classify


@dataclass(frozen=True)
class Schedule:
    """How the players take turns: learning rates, the scheme, and the number of rounds.

    A round is one move of each player: under `sim` both take one step together; under `alt` the generator
    takes `g_steps` steps, then the discriminator `d_steps` steps (a round then holds g_steps + d_steps steps).
    """

    lr_g: float = LR.default
    lr_d: float = LR.default
    scheme: str = "sim"
    g_steps: int = G_STEPS.default
    d_steps: int = D_STEPS.default
    rounds: int = ROUNDS.default

    def __post_init__(self):
        """Check every value against dynamics.dirac.ranges; raises InputError (a ValueError) naming it."""
        LR.check(self.lr_g, "lr_g")
        LR.check(self.lr_d, "lr_d")
        if self.scheme not in SCHEMES:
            raise ValueError(f"unknown scheme {self.scheme!r}; allowed: {', '.join(SCHEMES)}")
        G_STEPS.check(self.g_steps)
        D_STEPS.check(self.d_steps)
        ROUNDS.check(self.rounds)

    @property
    def lr(self) -> tuple[float, float]:
        return (self.lr_g, self.lr_d)

    @property
    def speed(self) -> tuple[float, float]:
        """Each player's total step per round: the h → 0 limit of the schedule is ẋ = diag(speed)·v."""
        if self.scheme == "sim":
            return self.lr
        return (self.g_steps * self.lr_g, self.d_steps * self.lr_d)


@dataclass
class Run:
    """Result of `simulate`: final points, status per trajectory and (optionally) the recorded paths."""

    starts: np.ndarray  # (n, 2)
    end: np.ndarray  # (n, 2): last finite point
    status: np.ndarray  # (n,) of STATUSES
    distance: np.ndarray  # (n,) final distance to (0, 0)
    growth: np.ndarray  # (n,) peak distance, last quarter ÷ the quarter before; NaN for diverged runs
    rounds_run: np.ndarray  # (n,) rounds until the end or the divergence
    path: np.ndarray | None  # (rounds + 1, n, 2) or None; frozen after divergence

    def paths(self):
        """Each trajectory's path up to where it stopped, as a list of (k, 2) arrays."""
        return [self.path[: k + 1, i] for i, k in enumerate(self.rounds_run)]

    def counts(self) -> dict[str, int]:
        """How many runs have each status, every status of STATUSES in its order."""
        return {s: int(np.sum(self.status == s)) for s in STATUSES}


COMPILED_MIN_WORK = 2_000_000  # trajectories × rounds from which plain-GD sweeps run compiled (dynamics.dirac.compiled)
# simulate(engine=...): "numpy" (the vectorized loop), "compiled" (plain GD only, without record or instance noise),
# or "auto": compiled for plain-GD sweeps of at least COMPILED_MIN_WORK trajectories × rounds, numpy otherwise.
ENGINES = ("auto", "numpy", "compiled")


def simulate(
    obj: Objective,
    starts,
    schedule: Schedule = Schedule(),
    opt: Optimizer | None = None,
    record: bool = True,
    tol: float = TOL,
    bound: float = BOUND,
    engine: str = "auto",  # one of ENGINES
) -> Run:
    """Advance all starting points (n, 2) together for `schedule.rounds` rounds."""
    starts = np.atleast_2d(np.asarray(starts, float))
    opt = opt or Optimizer()
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(map(repr, ENGINES))}, got {engine!r}")
    if engine == "compiled" and (record or opt.name != "gd" or obj.regularizer.noisy):
        raise ValueError("engine='compiled' runs plain GD only, without record=True or instance noise")
    compiled = engine == "compiled" or (
        engine == "auto"
        and not record
        and opt.name == "gd"
        and not obj.regularizer.noisy
        and len(starts) * schedule.rounds >= COMPILED_MIN_WORK
    )
    if compiled:
        from dynamics.dirac.compiled import sweep

        end, rounds_run, alive, peaks, travel = sweep(obj, starts, schedule, bound)
        path = None
    else:
        end, rounds_run, alive, peaks, travel, path = _numpy_run(obj, starts, schedule, opt, record, bound)
    distance = np.hypot(end[:, 0], end[:, 1])
    if schedule.rounds < 4:
        peaks = np.stack([np.hypot(starts[:, 0], starts[:, 1]), distance])
    growth = np.where(alive, peaks[1] / np.maximum(peaks[0], 1e-300), np.nan)
    status = classify(distance, growth, travel, alive, tol)
    return Run(starts, end, status, distance, growth, rounds_run, path)


def _numpy_run(obj: Objective, starts, schedule: Schedule, opt: Optimizer, record: bool, bound: float):
    """The vectorized loop: every round for all trajectories at once; diverged ones are frozen. Returns the end
    points, rounds run, alive flags, the peak distances of the last two quarters, the path length of the last
    quarter (last round under 4 rounds) and the path (or None)."""
    clip = obj.params.get("clip")
    if clip is None:
        project = lambda x: x  # noqa: E731
    else:
        project = lambda x: np.stack([x[..., 0], np.clip(x[..., 1], -clip, clip)], axis=-1)  # noqa: E731
    rounds = schedule.rounds
    quarter = rounds // 4
    state = init_state(opt, project(starts), obj.vector)
    n = len(starts)
    alive = np.ones(n, bool)
    rounds_run = np.full(n, rounds)
    peaks = np.zeros((2, n))  # largest distance over the last two quarters of the run
    travel = np.zeros(n)
    path = np.empty((rounds + 1, n, 2)) if record else None
    if record:
        path[0] = state[0]
    with np.errstate(all="ignore"):
        for k in range(1, rounds + 1):
            new = play_round(
                opt, state, obj.vector, schedule.lr, schedule.scheme, schedule.g_steps, schedule.d_steps, project
            )
            r = np.hypot(new[0][:, 0], new[0][:, 1])
            blown = alive & ~(r <= bound)
            if blown.any():
                alive &= ~blown
                rounds_run[blown] = k - 1
            keep = alive[:, None]
            if k > rounds - max(quarter, 1):
                step = new[0] - state[0]
                travel += np.where(alive, np.hypot(step[:, 0], step[:, 1]), 0.0)
            state = tuple(np.where(keep, a, b) for a, b in zip(new, state, strict=True))
            if record:
                path[k] = state[0]
            if quarter and k > rounds - 2 * quarter:
                slot = 0 if k <= rounds - quarter else 1
                peaks[slot] = np.maximum(peaks[slot], np.hypot(state[0][:, 0], state[0][:, 1]))
            if not alive.any():
                if record:
                    path[k + 1 :] = state[0]
                break
    return state[0], rounds_run, alive, peaks, travel, path


def grid_starts(n: int, window: tuple[float, float, float, float]) -> np.ndarray:
    """n×n starting points over the window (θ_min, θ_max, ψ_min, ψ_max), row-major in ψ then θ."""
    th = np.linspace(window[0], window[1], n)
    ps = np.linspace(window[2], window[3], n)
    T, P = np.meshgrid(th, ps)
    return np.stack([T.ravel(), P.ravel()], axis=1)


def flow(obj: Objective, start, t_end: float, n_points: int = 400, bound: float = 1e4, speed=(1.0, 1.0)) -> np.ndarray:
    """The continuous-time trajectory ẋ = diag(speed)·v(x) from `start` (scipy RK45, rtol 1e-9), to `bound`.

    `speed` = each player's step per unit time: the h → 0 limit of a schedule is ẋ = diag(g·h_g, d·h_d)·v
    in rounds (g = d = 1 when simultaneous). With clipping |ψ| ≤ c it is the projected flow: ψ̇ = 0 where ψ
    sits on the bound and v pushes outward."""
    from scipy.integrate import solve_ivp  # ~0.1 s to import: only runs that draw the flow pay it

    clip = obj.params.get("clip")
    x0 = np.asarray(start, float).copy()
    if clip is not None:
        x0[1] = np.clip(x0[1], -clip, clip)

    speed = np.asarray(speed, float)

    def rhs(_, x):
        v = speed * obj.vector(np.asarray(x))
        if clip is not None and abs(x[1]) >= clip and v[1] * x[1] > 0:
            v[1] = 0.0
        return v

    def escape(_, x):
        return bound - np.hypot(x[0], x[1])

    escape.terminal = True
    t_eval = np.linspace(0.0, t_end, n_points)
    sol = solve_ivp(rhs, (0.0, t_end), x0, t_eval=t_eval, events=escape, rtol=1e-9, atol=1e-12)
    return sol.y.T
