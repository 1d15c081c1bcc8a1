"""Controls and cached results shared by the Dirac-GAN pages (phase portraits, eigenvalues & stability)."""

from __future__ import annotations

import dataclasses

import numpy as np
import streamlit as st
from matplotlib.figure import Figure

from dynamics.dirac.analysis import Analysis, analyze
from dynamics.dirac.field import Objective, make_objective
from dynamics.dirac.objectives import LOSSES, LOSSES_BY_NAME, REGULARIZERS, REGULARIZERS_BY_NAME, parse_name
from dynamics.dirac.optimizers import OPTIMIZER_TITLES, OPTIMIZERS, SCHEMES, Optimizer
from dynamics.dirac.plotting import (
    FIGURE3,
    WINDOW,
    compare_figure,
    eigen_axes,
    eigenvalue_path_figure,
    fit_window,
    phase_axes,
    radius_figure,
    status_legend,
)
from dynamics.dirac.ranges import (
    BETA,
    CLIP,
    COMPARE,
    D_STEPS,
    G_STEPS,
    LR,
    OBJECTIVE,
    ROUNDS,
    SHARED,
    START_GRID,
    Range,
    affordable_rounds,
)
from dynamics.dirac.stability import converges_from, eigenvalue_paths, max_stable_lr, radius_vs_lr, real_from
from dynamics.dirac.trajectories import Schedule, flow, grid_starts
from dynamics.palette import OKABE_ITO, legend_outside
from ui import charts, controls, xychart

SCHEME_TITLES = {"sim": "simultaneous", "alt": "alternating"}
ALL_NAMES = [loss if reg == "none" else f"{loss}+{reg}" for loss in LOSSES for reg in REGULARIZERS]
# Streamlit keys a cached call by pickling its arguments; the repr of these frozen dataclasses names their fields
# exactly and is cheaper (with the slider change in ui.controls, 13.9 -> 12.1 ms of CPU per cached /phase rerun).
FAST_HASH = {Objective: repr, Schedule: repr, Optimizer: repr}


def cached(max_entries: int):
    """st.cache_data shared by all sessions, bounded, keyed with FAST_HASH."""
    return st.cache_data(max_entries=max_entries, show_spinner=False, hash_funcs=FAST_HASH)


WASSERSTEIN_DIVERGENCE = (
    "**Wasserstein divergence.** With target g₀ = 0 the WGAN-GP penalty becomes γ/2·E‖∇ₓD(x̂)‖²: it no longer "
    "pulls the critic's slope to 1, it only keeps the critic flat. Wu et al. (2018) call the objective "
    "E D(real) − E D(fake) with a penalty k·E‖∇ₓD‖ᵖ the Wasserstein divergence (W-div) and show it is a "
    "divergence with no Lipschitz constraint; g₀ = 0 is its p = 2, k = γ/2 case. In the Dirac-GAN the penalty is "
    "γ/2·ψ², the same as R1's, so the field and eigenvalues above are those of WGAN + R1."
)


def loss_title(name: str) -> str:
    return LOSSES_BY_NAME[name].title


def reg_title(name: str) -> str:
    return REGULARIZERS_BY_NAME[name].title


def ranged(rng: Range, label: str, where=st, key: str | None = None, box: bool = False, show: bool = True):
    """The control of a parameter as dynamics.dirac.ranges shows it (`rng.slider`): a slider, or an integer box;
    the key is the parameter's name unless given (the URL key of rounds is `steps`). A range without a default
    starts at the slider's `off` value, which reads as None (as does a control not shown)."""
    s = rng.slider
    default = s.off if rng.default is None else rng.default
    if box:
        return controls.number(key or rng.name, label, s.low, s.high, default, help=s.note, where=where, show=show)
    value = controls.slider(key or rng.name, label, s.low, s.high, default, s.step, help=s.note, where=where, show=show)
    return None if value == s.off else value


PARAM_LABELS = {
    "gamma": "γ (regularizer weight)",
    "sigma": "σ (instance-noise std)",
    "target": "g₀ (WGAN-GP gradient target)",
}


def param_controls(names, where=st, show: bool = True) -> dict:
    """Sliders for the parameters the chosen objective(s) use, plus optional weight clipping; the other
    parameters are declared, not shown."""
    params = {
        name: ranged(OBJECTIVE[name], label, where, show=show and name in names) for name, label in PARAM_LABELS.items()
    }
    params = {name: value for name, value in params.items() if name in names}
    params["clip"] = ranged(CLIP, "weight clipping |ψ| ≤ c (0 = off)", where, show=show)
    return params


def used_names(loss: str, reg: str) -> tuple[str, ...]:
    """The parameters (γ, σ, g₀ by name) that the loss and the regularizer use, as their registries list them."""
    return LOSSES_BY_NAME[loss].params + REGULARIZERS_BY_NAME[reg].params


def objective_controls(where=st, show: bool = True):
    """Loss, regularizer and its parameters → an Objective (None when not shown: the controls are declared)."""
    loss = controls.select("loss", "Loss", LOSSES, "gan", fmt=loss_title, where=where, show=show)
    reg = controls.select("reg", "Regularizer", REGULARIZERS, "none", fmt=reg_title, where=where, show=show)
    params = param_controls(used_names(loss, reg) if show else (), where, show)
    return make_objective(loss, reg, **params) if show else None


def compare_controls(where=st, show: bool = True):
    """Several objectives (default: Mescheder et al. 2018, Fig. 3) sharing one set of parameters (None when not
    shown: the controls are declared)."""
    cap = COMPARE.slider
    names = controls.multiselect(
        "compare",
        "Objectives side by side",
        ALL_NAMES,
        FIGURE3,
        help=cap.note,
        where=where,
        show=show,
        most=int(cap.high),
    )
    used = set().union(*(used_names(*parse_name(n)) for n in names)) if names else set()
    params = param_controls(used, where, show)
    return [make_objective(*parse_name(n), **params) for n in names] if show else None


def update_controls(where=st, steps: bool = True):
    """Optimizer, scheme, learning rates and (when `steps`) the number of rounds → (Schedule, Optimizer)."""
    name = controls.select("optimizer", "Optimizer", OPTIMIZERS, "gd", fmt=OPTIMIZER_TITLES.get, where=where)
    betas = {
        opt: ranged(rng, "β (momentum)" if opt == "momentum" else "β₁ (Adam)", where, show=opt == name)
        for opt, rng in BETA.items()
    }
    beta = betas.get(name)
    scheme = controls.select("scheme", "Update scheme", SCHEMES, "sim", radio=True, fmt=SCHEME_TITLES.get, where=where)
    alt = scheme == "alt"
    g_steps = ranged(G_STEPS, "generator steps per round", where, box=True, show=alt)
    d_steps = ranged(D_STEPS, "discriminator steps per round", where, box=True, show=alt)
    g_steps, d_steps = (g_steps, d_steps) if alt else (1, 1)
    lr = ranged(LR, "learning rate h", where)
    two_lr = controls.toggle("two_lr", "separate discriminator learning rate", where=where)
    lr_d = ranged(LR, "discriminator learning rate", where, key="lr_d", show=two_lr)
    lr_d = lr_d if two_lr else lr
    rounds = ranged(ROUNDS, "rounds", where, key="steps") if steps else ROUNDS.default
    return Schedule(lr, lr_d, scheme, g_steps, d_steps, rounds), Optimizer(name, beta)


def start_controls(where=st):
    """Starting points: one point, seeded random points, or a grid (the basin map) → (starts, grid n or None)."""
    mode = controls.select("starts", "Starting points", ["point", "random", "grid"], "point", radio=True, where=where)
    point, random = mode == "point", mode == "random"
    th = controls.slider("theta0", "θ₀ (start)", WINDOW[0], WINDOW[1], 1.0, 0.05, where=where, show=point)
    ps = controls.slider("psi0", "ψ₀ (start)", WINDOW[2], WINDOW[3], 1.0, 0.05, where=where, show=point)
    n = controls.slider("n_starts", "number of random starts", 1, 32, 8, where=where, show=random)
    seed = controls.number("seed", "random seed", 0, 9999, 0, where=where, show=random)
    grid = ranged(START_GRID, "grid size n (n×n starts)", where, key="grid", show=mode == "grid")
    if point:
        return np.array([[th, ps]]), None
    if random:
        return np.random.default_rng(seed).uniform(-1.8, 1.8, size=(n, 2)), None
    return grid_starts(grid, WINDOW), grid


def capped(schedule: Schedule, opt: Optimizer, objs, starts, where=st.sidebar) -> Schedule:
    """The schedule with its rounds lowered, and a warning under the controls saying so, where the simulation of
    these objectives from these starts would pass the app's work budget (dynamics.dirac.ranges.affordable_rounds)."""
    steps = schedule.g_steps + schedule.d_steps if schedule.scheme == "alt" else 1
    evals = 2 if opt.name == "extragradient" else 1
    regs = [o.reg for o in objs]
    rounds = affordable_rounds(schedule.rounds, regs, len(starts), steps, evals)
    if rounds >= schedule.rounds:
        return schedule
    where.warning(
        f"Rounds capped at {rounds} (of {schedule.rounds}) for {len(starts)} start(s) × {steps} step(s) per round"
        + (f" × {len(objs)} objectives" if len(objs) > 1 else "")
        + f": {SHARED}. Fewer starts, steps per round or objectives leave room for more rounds."
    )
    return dataclasses.replace(schedule, rounds=rounds)


@cached(256)
def analysis(obj, schedule, opt, starts, record: bool = True) -> Analysis:
    """`dynamics.dirac.analysis.analyze`, cached."""
    return analyze(obj, schedule, opt, starts, record=record)


def flows_for(obj, schedule, starts, grid_n):
    """Continuous-time flows (h → 0) from up to 8 starts, over the same time as the discrete run."""
    if grid_n:
        return []
    t_end = schedule.rounds * float(np.sqrt(schedule.lr_g * schedule.lr_d))
    return [flow(obj, s, t_end) for s in starts[:8]]


def phase_fig(obj, run, grid_n=None, flows=()):
    """The phase portrait alone, with a fixed layout: about half the drawing time of a constrained two-panel
    figure, which keeps slider moves under the 300 ms target (bench/RESULTS_app.md)."""
    fig = Figure(figsize=(5.6, 5.8))
    fig.subplots_adjust(left=0.13, right=0.97, bottom=0.19, top=0.94)
    ax = fig.subplots()
    phase_axes(ax, obj, run, WINDOW, grid_n, flows)
    status_legend(fig, [run], flows=bool(flows))
    return fig


def eigen_fig(cont, disc):
    """Continuous-time and update-operator eigenvalues with the unit circle."""
    fig = Figure(figsize=(4.6, 5.1))
    fig.subplots_adjust(left=0.16, right=0.97, bottom=0.2, top=0.94)
    eigen_axes(fig.subplots(), cont, disc)
    return fig


def compare_fig(objs, schedule, opt, starts, grid_n):
    panels = []
    for obj in objs:
        a = analysis(obj, schedule, opt, starts, record=not grid_n)
        panels.append((obj, a.run, str(a.verdict)))
    fig = compare_figure(panels, WINDOW, grid_n=grid_n)
    return fig


@cached(256)
def phase_chart_json(obj, schedule, opt, starts, grid_n, show_flow, clickable) -> str:
    """The phase chart's payload (ui.charts.PhaseChart as JSON), computed once for all sessions."""
    run = analysis(obj, schedule, opt, starts, record=not grid_n).run
    flows = flows_for(obj, schedule, starts, grid_n) if show_flow else []
    view = fit_window(run, WINDOW, grid_n)
    return charts.phase_chart(obj, run, view, schedule.scheme, grid_n, flows, clickable).to_json()


@cached(64)
def compare_charts_json(objs, schedule, opt, starts, grid_n) -> list[str]:
    """One phase chart's payload per objective (not clickable), all in one window: the widest any of them needs,
    so that the panels compare at one scale (Mescheder et al. 2018, Fig. 3)."""
    runs = [analysis(obj, schedule, opt, starts, record=not grid_n).run for obj in objs]
    views = [fit_window(run, WINDOW, grid_n) for run in runs]
    widest = max(views, key=lambda v: v.window[1] - v.window[0])
    return [
        charts.phase_chart(obj, run, widest, schedule.scheme, grid_n, (), False).to_json()
        for obj, run in zip(objs, runs, strict=True)
    ]


@cached(256)
def eigen_chart_json(continuous, discrete) -> str:
    """The eigenvalue chart's payload (ui.xychart.eigen_chart as JSON), computed once for all sessions."""
    return xychart.eigen_chart(continuous, discrete).to_json()


@cached(256)
def radius_curve(obj, opt, schedule, lr_max: float, n: int = 200):
    """Spectral radius against h ∈ (0, lr_max] (lr_d/lr_g kept at the schedule's ratio)."""
    lrs = np.linspace(lr_max / n, lr_max, n)
    ratio = schedule.lr_d / schedule.lr_g
    rho = radius_vs_lr(obj, lrs, opt, schedule.scheme, schedule.g_steps, schedule.d_steps, ratio)
    return lrs, rho


@cached(256)
def critical_lr_of(obj, opt, schedule):
    ratio = schedule.lr_d / schedule.lr_g
    return max_stable_lr(obj, opt, schedule.scheme, schedule.g_steps, schedule.d_steps, ratio)


@cached(256)
def eigen_path(obj, param: str, high: float, n: int = 200):
    """Continuous-time eigenvalues as `param` runs over [0, high], with the closed-form threshold where they
    turn real and the first value where all real parts are negative."""
    values = np.linspace(0.0, high, n + 1)
    others = {k: v for k, v in obj.params.items() if k != param}
    eig = eigenvalue_paths(obj.loss, obj.reg, param, values, **others)
    real = real_from(obj.loss, obj.reg, param, **others)
    stable = converges_from(obj.loss, obj.reg, param, high, **others)
    return values, eig, real, stable


def readable_tex(tex: str) -> str:
    """sympy prints the Heaviside step as θ(·), which reads like the generator parameter θ: write H(·)."""
    return tex.replace(r"\theta\left(", r"H\left(")


def matrix_tex(rows) -> str:
    """A numeric matrix as LaTeX."""
    body = r" \\ ".join(" & ".join(f"{x:.4g}" for x in row) for row in rows)
    return r"\begin{pmatrix}" + body + r"\end{pmatrix}"


def radius_fig(obj, opt, schedule, lr_max: float):
    """Spectral radius against h, with the current h and the h where convergence stops marked."""
    lrs, radius = radius_curve(obj, opt, schedule, lr_max)
    h_star = critical_lr_of(obj, opt, schedule)
    fig = radius_figure(lrs, radius, f"{obj.title}: {opt.name}, {SCHEME_TITLES[schedule.scheme]}")
    ax = fig.axes[0]
    ax.axvline(schedule.lr_g, color=OKABE_ITO[3], linestyle=":", label=f"current h = {schedule.lr_g:g}")
    if h_star is not None and h_star <= lr_max:
        ax.axvline(h_star, color=OKABE_ITO[4], linestyle="-.", label=f"stops converging: h = {h_star:.4g}")
    legend_outside(ax)
    return fig


def path_fig(obj, param: str, high: float):
    """Eigenvalues of J against γ or σ, with the value where they turn real marked."""
    values, eig, real, _ = eigen_path(obj, param, high)
    fig = eigenvalue_path_figure(values, eig, param, f"{obj.title}: eigenvalues of J against {param}")
    if real is not None and real <= high:
        ax = fig.axes[0]
        ax.axvline(real, color=OKABE_ITO[4], linestyle="-.", label=f"real from {param} = {real:.4g}")
        legend_outside(ax, ncol=5)
    return fig
