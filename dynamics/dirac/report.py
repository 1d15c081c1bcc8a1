"""An `Analysis` as text: the terminal output of `python -m dynamics.phase` and the phase page's summary."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from dynamics.dirac.analysis import Analysis, TrajectoryRow
from dynamics.numbers import cnums

if TYPE_CHECKING:
    from dynamics.dirac.plotting import View


def complex_list(z, digits: int = 6) -> str:
    """Complex numbers as 'a+bi, c+di', a part within rounding error of 0 left out ('undefined' for None or none
    at all): dynamics.numbers.cnums."""
    return cnums(z, digits)


def radius_text(a: Analysis, digits: int = 6) -> str:
    """The update operator's spectral radius, or why it has none: the objective is not differentiable at (0, 0),
    or the optimizer (Adam) is not linear there."""
    rho = a.update.spectral_radius
    if rho is not None:
        return f"{rho:.{digits}f}"
    return "undefined (non-smooth at (0, 0))" if a.jacobian is None else "undefined (Adam: no linearization)"


def status_counts(a: Analysis, bold: bool = False) -> str:
    """'3 converged, 1 diverging': the statuses that occur (Run.counts is the one count); bold for markdown."""
    mark = "**" if bold else ""
    return ", ".join(f"{mark}{v} {k}{mark}" for k, v in a.counts().items() if v) or "none"


def local_rate(radius: float | None, discrete: str) -> str:
    """What ρ means for the distance to (0, 0), near it: ×ρ per round, doubling (halving) in ln 2/|ln ρ| rounds."""
    if radius is None or discrete == "undefined":
        return ""
    if radius == 0:
        return "near (0, 0) the update reaches it within two rounds"
    if abs(math.log(radius)) <= 1e-6:
        if discrete == "cycles":
            return "near (0, 0) the distance neither grows nor shrinks"
        return "near (0, 0) the distance grows, slower than geometrically (ρ = 1, a Jordan block)"
    word, factor = ("grows", "doubling") if radius > 1 else ("shrinks", "halving")
    rounds = f"{math.log(2) / abs(math.log(radius)):.3g}"
    unit = "round" if rounds == "1" else "rounds"
    return f"near (0, 0) the distance {word} ×{radius:.6g} per round, {factor} in ≈ {rounds} {unit}"


def growth_text(growth: float) -> str:
    """'×1.115': a run's last-quarter growth (Run.growth); '' for a diverged run, which has none."""
    return "" if math.isnan(growth) else f"×{growth:.4g}"


def trajectory_line(r: TrajectoryRow) -> str:
    """One run as the CLI lists it: start, end, rounds, status, distance and the growth the status rests on."""
    growth = f", last-quarter growth {growth_text(r.growth)}" if growth_text(r.growth) else ""
    return (
        f"  start ({r.start[0]:g}, {r.start[1]:g}) -> ({r.end[0]:.4g}, {r.end[1]:.4g}) after {r.rounds} rounds: "
        f"{r.status} (distance {r.distance:.3g}{growth})"
    )


def window_line(view: View, rows) -> str:
    """The phase portrait's window when it is not the one asked for, and the trajectories (TrajectoryRow) that
    leave it, by start and status; '' when the window is unchanged and holds every trajectory."""
    w = view.window
    box = f"θ ∈ [{w[0]:g}, {w[1]:g}], ψ ∈ [{w[2]:g}, {w[3]:g}]"
    if not view.outside:
        return f"plot window widened to {box} to hold every trajectory" if view.widened else ""
    n = len(view.outside)
    named = ", ".join(f"({rows[i].start[0]:g}, {rows[i].start[1]:g}) {rows[i].status}" for i in view.outside[:5])
    more = f" and {n - 5} more" if n > 5 else ""
    leave = "trajectory leaves" if n == 1 else "trajectories leave"
    return f"plot window {box}: {n} {leave} it, from {named}{more}"


def side_line(side) -> str:
    """One side of a kink through the equilibrium: where it holds, the field there and its Jacobian."""
    return f"{side.where}: field at (0,0) = {side.field_at_equilibrium}, Jacobian = {side.jacobian}"


def describe(a: Analysis, detail: bool = True, rows: int = 10) -> list[str]:
    """The numbers a person reads, one line each.

    detail=True (the CLI): everything — the Jacobian and its closed-form eigenvalues, one-sided Jacobians, the
    operator's eigenvalues, up to `rows` trajectories (with the status counts once there are more), field
    values and notes. detail=False (the phase page's summary, whose page shows the rest itself): the objective,
    the eigenvalues, the update, its spectral radius, the verdicts and the status counts.
    """
    params = ", ".join(f"{k}={v:g}" for k, v in a.params.items()) or "no parameters"
    up = a.update
    lines = [f"objective: {a.loss} + {a.reg} ({params})"]
    if detail:
        jacobian = a.jacobian.tolist() if a.jacobian is not None else "undefined (non-smooth)"
        lines.append(f"Jacobian at (0, 0): {jacobian}")
    closed = f"   closed form: {a.eigenvalues_latex}" if detail and a.eigenvalues_latex else ""
    lines.append(f"eigenvalues: {complex_list(a.eigenvalues)}{closed}")
    if detail:
        lines += [f"  one side, {side_line(s)}" for s in a.sides]
    alt = f", g_steps={up.g_steps}, d_steps={up.d_steps}" if up.scheme == "alt" else ""
    lines.append(f"update: {up.optimizer}, {up.scheme}, lr_g={up.lr_g:g}, lr_d={up.lr_d:g}{alt}")
    if detail:
        lines.append(f"  operator eigenvalues: {complex_list(up.eigenvalues)}")
    radius = radius_text(a)
    rate = local_rate(up.spectral_radius, a.verdict.discrete)
    lines += [
        f"  spectral radius: {radius}" + (f" ({rate})" if rate else ""),
        f"verdict: continuous time {a.verdict}",
    ]
    n = len(a.trajectories)
    if n and (not detail or n > rows):
        lines.append(f"trajectories: {n} start{'s' if n > 1 else ''}: {status_counts(a)}")
    if detail:
        lines += [trajectory_line(r) for r in a.trajectories[:rows]]
        lines += [f"  v({f.point[0]:g}, {f.point[1]:g}) = ({f.v[0]:.6g}, {f.v[1]:.6g})" for f in a.field]
        if a.note:
            lines.append(f"note: {a.note}")
    return lines
