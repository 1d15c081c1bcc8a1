"""Everything the CLI and the app report about one objective, gathered in one JSON-ready dict."""

from __future__ import annotations

import numpy as np
import sympy as sp

from dynamics.dirac.objectives import Objective, symbolic_field
from dynamics.dirac.optimizers import Optimizer
from dynamics.dirac.stability import closed_form, discrete_verdict, equilibrium, spectral_radius, update_matrix
from dynamics.dirac.trajectories import Run, Schedule, simulate


def pairs(z) -> list | None:
    """Complex numbers as [[re, im], ...] (JSON has no complex type)."""
    return None if z is None else [[float(c.real), float(c.imag)] for c in np.atleast_1d(z)]


def field_latex(obj: Objective) -> str:
    """v(θ, ψ) in LaTeX; under instance noise, as the expectation over the standard normals z_g, z_d."""
    v = symbolic_field(obj.loss, obj.reg)
    body = sp.latex(v)
    return rf"\mathbb{{E}}_{{z}}\left[{body}\right]" if obj.reg == "instance-noise" else body


def analyze(obj: Objective, schedule: Schedule, opt: Optimizer, starts, evals=(), record: bool = True):
    """The local analysis, the discrete update operator, trajectories and field values.

    Returns (report, run, continuous eigenvalues, discrete eigenvalues) — the report is the JSON object of
    `python -m dynamics.phase --json`.
    """
    eq = equilibrium(obj)
    form = closed_form(obj.loss, obj.reg)
    M = (
        None
        if eq.jacobian is None
        else update_matrix(eq.jacobian, opt, schedule.lr, schedule.scheme, schedule.g_steps, schedule.d_steps)
    )
    disc_eigs = None if M is None else np.linalg.eigvals(M)
    radius = spectral_radius(M)
    run = simulate(obj, starts, schedule, opt, record=record) if len(starts) else None
    evals = np.asarray(evals, float).reshape(-1, 2)
    v = obj.vector(evals) if len(evals) else np.zeros((0, 2))
    report = {
        "loss": obj.loss,
        "reg": obj.reg,
        "params": obj.used_params,
        "jacobian": None if eq.jacobian is None else eq.jacobian.tolist(),
        "eigenvalues": pairs(eq.eigenvalues),
        "eigenvalues_latex": form["eigenvalues_latex"],
        "jacobian_latex": form["jacobian_latex"],
        "field_latex": field_latex(obj),
        "update": {
            "scheme": schedule.scheme,
            "optimizer": opt.name,
            "lr_g": schedule.lr_g,
            "lr_d": schedule.lr_d,
            "g_steps": schedule.g_steps,
            "d_steps": schedule.d_steps,
            "beta": opt.beta if opt.name in ("momentum", "adam") else None,
            "eigenvalues": pairs(disc_eigs),
            "spectral_radius": radius,
        },
        "trajectories": trajectory_rows(run),
        "field": [{"point": p.tolist(), "v": w.tolist()} for p, w in zip(evals, v, strict=True)],
        "verdict": {"continuous": eq.verdict, "discrete": discrete_verdict(M)},
    }
    if eq.sides:
        report["sides"] = [
            {"where": cond, "field_at_equilibrium": value.tolist(), "jacobian": J.tolist()}
            for cond, value, J in eq.sides
        ]
    if eq.clip_note:
        report["note"] = eq.clip_note
    return report, run, eq.eigenvalues, disc_eigs


def trajectory_rows(run: Run | None) -> list:
    if run is None:
        return []
    return [
        {
            "start": s.tolist(),
            "end": e.tolist(),
            "steps": int(k),
            "status": str(st),
            "trend": str(tr),
            "distance": float(d),
        }
        for s, e, k, st, tr, d in zip(
            run.starts, run.end, run.rounds_run, run.status, run.trend, run.distance, strict=True
        )
    ]
