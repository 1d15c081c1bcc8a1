"""Everything the CLI and the app report about one objective, as one typed `Analysis`.

`analyze` computes it; `Analysis.to_json()` is the JSON object of `python -m dynamics.phase --json`, and
`dynamics.dirac.report.describe` is its text form (the CLI's output and the phase page's summary).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dynamics.contracts import to_jsonable
from dynamics.dirac.field import Objective
from dynamics.dirac.forms import form
from dynamics.dirac.objectives import symbolic_field
from dynamics.dirac.optimizers import DEFAULT_BETA, Optimizer
from dynamics.dirac.stability import closed_form, discrete_verdict, equilibrium, spectral_radius, update_matrix
from dynamics.dirac.status import STATUSES
from dynamics.dirac.trajectories import Run, Schedule, simulate


def pairs(z) -> list | None:
    """Complex numbers as [[re, im], ...] (JSON has no complex type)."""
    return None if z is None else [[float(c.real), float(c.imag)] for c in np.atleast_1d(z)]


def field_latex(obj: Objective) -> str:
    """v(θ, ψ) in LaTeX; under instance noise, as the expectation over the standard normals z_g, z_d."""
    generated = form(obj.loss, obj.reg)
    if generated is not None:
        return generated.field_latex
    import sympy as sp

    body = sp.latex(symbolic_field(obj.loss, obj.reg))
    return rf"\mathbb{{E}}_{{z}}\left[{body}\right]" if obj.regularizer.noisy else body


def closed_form_latex(obj: Objective) -> tuple[str | None, str | None]:
    """The closed-form Jacobian at (0, 0) and its eigenvalues in LaTeX (None where there is no closed form)."""
    generated = form(obj.loss, obj.reg)
    if generated is not None:
        return generated.jacobian_latex, generated.eigenvalues_latex
    closed = closed_form(obj.loss, obj.reg)
    return closed["jacobian_latex"], closed["eigenvalues_latex"]


@dataclass(frozen=True)
class UpdateOperator:
    """The discrete method and its update operator at the equilibrium (one round, linearized)."""

    scheme: str
    optimizer: str
    lr_g: float
    lr_d: float
    g_steps: int
    d_steps: int
    beta: float | None  # momentum β or Adam's β₁; None for the optimizers without one
    eigenvalues: np.ndarray | None  # complex; None without a linearization (non-smooth objective, Adam)
    spectral_radius: float | None

    def to_json(self) -> dict:
        return {
            "scheme": self.scheme,
            "optimizer": self.optimizer,
            "lr_g": self.lr_g,
            "lr_d": self.lr_d,
            "g_steps": self.g_steps,
            "d_steps": self.d_steps,
            "beta": self.beta,
            "eigenvalues": pairs(self.eigenvalues),
            "spectral_radius": self.spectral_radius,
        }


@dataclass(frozen=True)
class TrajectoryRow:
    """One discrete run: where it started and ended, after how many rounds, its status and the growth of its
    peak distance over the last quarter (`Run.growth`) that the status is judged on."""

    start: tuple[float, float]
    end: tuple[float, float]
    rounds: int  # rounds run: all of them, or those before the run diverged
    status: str  # one of dynamics.dirac.status.STATUSES
    distance: float
    growth: float  # NaN for a diverged run (null in JSON)

    def to_json(self) -> dict:
        return {
            "start": list(self.start),
            "end": list(self.end),
            "steps": self.rounds,  # the JSON key predates the name 'rounds'
            "status": self.status,
            "distance": self.distance,
            "growth": self.growth,
        }


@dataclass(frozen=True)
class FieldValue:
    """The vector field v at one point."""

    point: tuple[float, float]
    v: tuple[float, float]

    def to_json(self) -> dict:
        return {"point": list(self.point), "v": list(self.v)}


@dataclass(frozen=True)
class OneSide:
    """Where the objective is not smooth at (0, 0): the field and Jacobian of one smooth piece."""

    where: str
    field_at_equilibrium: list[float]
    jacobian: list[list[float]]

    def to_json(self) -> dict:
        return {"where": self.where, "field_at_equilibrium": self.field_at_equilibrium, "jacobian": self.jacobian}


@dataclass(frozen=True)
class Verdict:
    """What the linearization at (0, 0) says: near the equilibrium, not along a whole run (the trajectory
    statuses say that)."""

    continuous: str  # "locally convergent", "not locally convergent" or "undefined (non-smooth)"
    discrete: str  # "converges", "cycles", "diverges" or "undefined"

    @property
    def local(self) -> str:
        """The discrete verdict as words: 'converges locally', 'cycles locally', 'diverges locally', 'undefined'."""
        return self.discrete if self.discrete == "undefined" else f"{self.discrete} locally"

    def __str__(self) -> str:
        return f"{self.continuous}; discrete {self.local}"


@dataclass(frozen=True)
class Analysis:
    """The local analysis at the equilibrium, the discrete update operator, trajectories and field values."""

    loss: str
    reg: str
    params: dict  # the parameters the objective uses (Objective.used_params)
    jacobian: np.ndarray | None  # 2×2 at (0, 0); None where the objective is not smooth there
    eigenvalues: np.ndarray | None  # complex eigenvalues of the Jacobian
    eigenvalues_latex: str | None
    jacobian_latex: str | None
    field_latex: str
    update: UpdateOperator
    trajectories: tuple[TrajectoryRow, ...]
    field: tuple[FieldValue, ...]
    verdict: Verdict
    sides: tuple[OneSide, ...] = ()  # only where the objective is not smooth at (0, 0)
    note: str | None = None
    run: Run | None = None  # the simulation behind `trajectories` (paths when recorded); None without starts

    def counts(self) -> dict[str, int]:
        """How many trajectories have each status (`Run.counts`), in the order of STATUSES."""
        return self.run.counts() if self.run is not None else dict.fromkeys(STATUSES, 0)

    def to_json(self) -> dict:
        """The JSON object of `python -m dynamics.phase --json` (JSON-ready Python values: dicts, lists, floats
        with non-finite ones as None); "sides" and "note" appear only when there are any."""
        out = {
            "loss": self.loss,
            "reg": self.reg,
            "params": self.params,
            "jacobian": None if self.jacobian is None else self.jacobian.tolist(),
            "eigenvalues": pairs(self.eigenvalues),
            "eigenvalues_latex": self.eigenvalues_latex,
            "jacobian_latex": self.jacobian_latex,
            "field_latex": self.field_latex,
            "update": self.update.to_json(),
            "trajectories": [row.to_json() for row in self.trajectories],
            "field": [f.to_json() for f in self.field],
            "verdict": {"continuous": self.verdict.continuous, "discrete": self.verdict.discrete},
        }
        if self.sides:
            out["sides"] = [side.to_json() for side in self.sides]
        if self.note:
            out["note"] = self.note
        return to_jsonable(out)


def analyze(obj: Objective, schedule: Schedule, opt: Optimizer, starts, evals=(), record: bool = True) -> Analysis:
    """The local analysis, the discrete update operator, trajectories from `starts` and the field at `evals`."""
    eq = equilibrium(obj)
    jacobian_latex, eigenvalues_latex = closed_form_latex(obj)
    M = (
        None
        if eq.jacobian is None
        else update_matrix(eq.jacobian, opt, schedule.lr, schedule.scheme, schedule.g_steps, schedule.d_steps)
    )
    run = simulate(obj, starts, schedule, opt, record=record) if len(starts) else None
    evals = np.asarray(evals, float).reshape(-1, 2)
    v = obj.vector(evals) if len(evals) else np.zeros((0, 2))
    update = UpdateOperator(
        scheme=schedule.scheme,
        optimizer=opt.name,
        lr_g=schedule.lr_g,
        lr_d=schedule.lr_d,
        g_steps=schedule.g_steps,
        d_steps=schedule.d_steps,
        beta=opt.beta if opt.name in DEFAULT_BETA else None,
        eigenvalues=None if M is None else np.linalg.eigvals(M),
        spectral_radius=spectral_radius(M),
    )
    return Analysis(
        loss=obj.loss,
        reg=obj.reg,
        params=obj.used_params,
        jacobian=eq.jacobian,
        eigenvalues=eq.eigenvalues,
        eigenvalues_latex=eigenvalues_latex,
        jacobian_latex=jacobian_latex,
        field_latex=field_latex(obj),
        update=update,
        trajectories=trajectory_rows(run),
        field=tuple(FieldValue(tuple(p.tolist()), tuple(w.tolist())) for p, w in zip(evals, v, strict=True)),
        verdict=Verdict(eq.verdict, discrete_verdict(M)),
        sides=tuple(OneSide(cond, value.tolist(), J.tolist()) for cond, value, J in eq.sides),
        note=eq.clip_note or None,
        run=run,
    )


def trajectory_rows(run: Run | None) -> tuple[TrajectoryRow, ...]:
    if run is None:
        return ()
    return tuple(
        TrajectoryRow(tuple(s.tolist()), tuple(e.tolist()), int(k), str(st), float(d), float(g))
        for s, e, k, st, d, g in zip(
            run.starts, run.end, run.rounds_run, run.status, run.distance, run.growth, strict=True
        )
    )
