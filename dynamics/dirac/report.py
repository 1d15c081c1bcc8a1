"""An `Analysis` as text: the terminal output of `python -m dynamics.phase` and the phase page's summary."""

from __future__ import annotations

from dynamics.dirac.analysis import Analysis


def complex_list(z, digits: int = 6) -> str:
    """Complex numbers as 'a+bi, c+di' ('undefined' for None or none at all)."""
    if z is None or len(z) == 0:
        return "undefined"
    return ", ".join(f"{c.real:+.{digits}g}{c.imag:+.{digits}g}i" for c in z)


def status_counts(a: Analysis, bold: bool = False) -> str:
    """'3 converged, 1 cycling, 0 diverged' (Run.counts is the one count); bold for markdown."""
    mark = "**" if bold else ""
    return ", ".join(f"{mark}{v} {k}{mark}" for k, v in a.counts().items())


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
    radius = "undefined" if up.spectral_radius is None else f"{up.spectral_radius:.6f}"
    lines += [
        f"  spectral radius: {radius}",
        f"verdict: continuous time {a.verdict}",
    ]
    n = len(a.trajectories)
    if n and (not detail or n > rows):
        lines.append(f"trajectories: {n} start{'s' if n > 1 else ''}: {status_counts(a)}")
    if detail:
        lines += [
            f"  start ({r.start[0]:g}, {r.start[1]:g}) -> ({r.end[0]:.4g}, {r.end[1]:.4g})"
            f" after {r.rounds} rounds: {r.status} ({r.trend}, distance {r.distance:.3g})"
            for r in a.trajectories[:rows]
        ]
        lines += [f"  v({f.point[0]:g}, {f.point[1]:g}) = ({f.v[0]:.6g}, {f.v[1]:.6g})" for f in a.field]
        if a.note:
            lines.append(f"note: {a.note}")
    return lines
