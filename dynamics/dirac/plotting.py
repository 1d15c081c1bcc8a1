"""Figures of the Dirac-GAN dynamics, shared by the CLI and the app: matplotlib Figures, no pyplot state.

Colour-blind-safe (Okabe–Ito) colours, and every status also has its own line style and marker (the table
`trajectories.STATUS`). A phase portrait keeps its window unless a drawn trajectory leaves it: then the window
grows about its centre to hold them, at most WIDEN times, and `fit_window` names those still outside.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from dynamics.dirac.field import Objective
from dynamics.dirac.status import STATUS, STATUSES
from dynamics.dirac.trajectories import Run
from dynamics.palette import OKABE_ITO, legend_outside

STATUS_STYLE = {s.name: {"color": s.color, "linestyle": s.linestyle, "marker": s.marker} for s in STATUS}
WINDOW = (-2.0, 2.0, -2.0, 2.0)  # (θ_min, θ_max, ψ_min, ψ_max): the default plot window of the CLI and the app
WIDEN = 4.0  # a window grows to at most WIDEN times its width and height to hold the drawn trajectories
MAX_LINES = 64  # trajectories drawn per phase portrait (the first ones)
# The six panels of Mescheder, Geiger & Nowozin 2018, Figure 3: the default of every side-by-side comparison.
FIGURE3 = ("gan", "wgan", "wgan-gp", "gan+consensus", "gan+instance-noise", "gan+r1")


@dataclass(frozen=True)
class View:
    """The window a phase portrait shows, and the drawn trajectories (indices into the run) that leave it."""

    window: tuple[float, float, float, float]
    widened: bool
    outside: tuple[int, ...]

    def to_json(self) -> dict:
        """The "window" entry of the phase JSON (CLI with a figure, and the page's download)."""
        return {"bounds": list(self.window), "outside": list(self.outside)}


def fit_window(run: Run | None, window=WINDOW, grid_n: int | None = None) -> View:
    """`window` scaled about its centre by s = 1 or, when a drawn trajectory leaves it, by the smallest quarter
    step s ≥ 1.05·(its largest excursion ÷ the half-width) up to WIDEN; trajectories that need more are outside.
    A basin map (grid_n) draws no trajectories and keeps the window of its start grid."""
    window = tuple(float(w) for w in window)
    if run is None or run.path is None or grid_n:
        return View(window, False, ())
    centre = np.array([window[0] + window[1], window[2] + window[3]]) / 2
    half = np.array([window[1] - window[0], window[3] - window[2]]) / 2
    need = np.array([np.max(np.abs(path - centre) / half) for path in run.paths()[:MAX_LINES]])
    scale = 1.0 if need.max() <= 1 else min(math.ceil(4 * 1.05 * need.max()) / 4, WIDEN)
    low, high = centre - scale * half, centre + scale * half
    outside = tuple(int(i) for i in np.flatnonzero(need > scale))
    return View((float(low[0]), float(high[0]), float(low[1]), float(high[1])), scale > 1, outside)


def draw_field(ax, obj: Objective, window=WINDOW, n: int = 21) -> None:
    """Normalised arrows of the vector field on an n×n grid (length ∝ log(1 + |v|) so all stay visible)."""
    th, ps = np.meshgrid(np.linspace(window[0], window[1], n), np.linspace(window[2], window[3], n))
    with np.errstate(all="ignore"):
        u, v = obj.field(th, ps)
    norm = np.hypot(u, v)
    scale = np.where(norm > 0, np.log1p(norm) / np.maximum(norm, 1e-300), 0.0)
    ax.quiver(th, ps, u * scale, v * scale, color="0.55", angles="xy", pivot="mid", width=0.003)


def draw_basins(ax, run: Run, n: int, window=WINDOW) -> None:
    """The status of each of n×n starting points as a translucent map: where do runs converge?"""
    code = {s: i for i, s in enumerate(STATUSES)}
    codes = np.array([code[s] for s in run.status]).reshape(n, n)
    cmap = ListedColormap([STATUS_STYLE[s]["color"] for s in STATUSES])
    ax.imshow(
        codes,
        origin="lower",
        extent=window,
        cmap=cmap,
        vmin=-0.5,
        vmax=len(STATUSES) - 0.5,
        alpha=0.35,
        interpolation="nearest",
        aspect="auto",
    )


def draw_trajectories(ax, run: Run) -> None:
    """The first MAX_LINES trajectories styled by status, with the start (hollow) and the end (filled) marked."""
    for i, path in enumerate(run.paths()[:MAX_LINES]):
        style = STATUS_STYLE[run.status[i]]
        ax.plot(path[:, 0], path[:, 1], color=style["color"], linestyle=style["linestyle"], lw=1.4)
        ax.plot(*path[0], marker="o", mfc="white", mec=style["color"], ms=6)
        ax.plot(*path[-1], marker=style["marker"], color=style["color"], ms=7)


def phase_axes(
    ax,
    obj: Objective,
    run: Run | None = None,
    window=WINDOW,
    grid_n: int | None = None,
    flows=(),
    title: str | None = None,
) -> View:
    """A phase portrait on one axes: field, basins (for a start grid), trajectories, flow, equilibrium; in the
    window `fit_window` gives, which it returns."""
    view = fit_window(run, window, grid_n)
    if run is not None and grid_n:
        draw_basins(ax, run, grid_n, window)
    draw_field(ax, obj, view.window)
    if run is not None and run.path is not None and not grid_n:
        draw_trajectories(ax, run)
    for path in flows:
        ax.plot(path[:, 0], path[:, 1], color="black", lw=1.0, linestyle="-.", alpha=0.8)
    ax.plot(0, 0, marker="*", color="black", ms=12, linestyle="none")
    ax.set_xlim(view.window[0], view.window[1])
    ax.set_ylim(view.window[2], view.window[3])
    ax.set_xlabel("θ (generator)")
    ax.set_ylabel("ψ (discriminator)")
    ax.set_title(title or obj.title, fontsize=10)
    ax.set_aspect("equal", adjustable="box")
    return view


def status_legend(target, runs=(), flows: bool = False) -> None:
    """The statuses that occur in `runs` (in the order of STATUSES), the equilibrium and the flow if drawn; under
    the axes or the figure `target`, never over a trajectory."""
    present = {s for run in runs if run is not None for s in run.status}
    handles = [Line2D([], [], label=s, **STATUS_STYLE[s]) for s in STATUSES if s in present]
    handles.append(Line2D([], [], color="black", marker="*", linestyle="none", ms=10, label="equilibrium"))
    if flows:
        handles.append(Line2D([], [], color="black", linestyle="-.", label="continuous flow (h → 0)"))
    legend_outside(target, handles, ncol=4)


def eigen_axes(ax, continuous=None, discrete=None) -> None:
    """Eigenvalues in the complex plane: continuous time (stable: Re < 0) and the discrete update operator
    (stable: inside the unit circle)."""
    t = np.linspace(0, 2 * np.pi, 256)
    ax.plot(np.cos(t), np.sin(t), color="0.4", lw=1, label="unit circle")
    ax.axvline(0, color="0.7", lw=0.8)
    ax.axhline(0, color="0.7", lw=0.8)
    if continuous is not None:
        ax.plot(
            np.real(continuous),
            np.imag(continuous),
            "o",
            color=OKABE_ITO[3],
            ms=8,
            label="Jacobian (continuous)",
        )
    if discrete is not None:
        ax.plot(
            np.real(discrete),
            np.imag(discrete),
            "D",
            mfc="none",
            mec=OKABE_ITO[4],
            mew=2,
            ms=8,
            label="update operator (discrete)",
        )
    if continuous is None and discrete is None:
        ax.text(0, 0.35, "undefined: the objective is not\ndifferentiable at the equilibrium", ha="center", fontsize=9)
    points = [np.asarray(z) for z in (continuous, discrete) if z is not None]
    reach = max([1.2] + [1.15 * float(np.max(np.abs(z))) for z in points if z.size])
    ax.set_xlim(-reach, reach)
    ax.set_ylim(-reach, reach)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlabel("Re λ")
    ax.set_ylabel("Im λ")
    ax.set_title("Eigenvalues at the equilibrium", fontsize=10)
    legend_outside(ax, ncol=2)


def phase_figure(
    obj: Objective,
    run: Run | None,
    continuous=None,
    discrete=None,
    window=WINDOW,
    grid_n: int | None = None,
    flows=(),
) -> Figure:
    """Phase portrait with trajectories next to the eigenvalue plot."""
    fig = Figure(figsize=(11, 5), layout="constrained")
    ax_phase, ax_eig = fig.subplots(1, 2)
    phase_axes(ax_phase, obj, run, window, grid_n, flows)
    status_legend(ax_phase, [run], flows=bool(flows))
    eigen_axes(ax_eig, continuous, discrete)
    return fig


def compare_figure(panels, window=WINDOW, columns: int = 3, grid_n: int | None = None) -> Figure:
    """Several objectives side by side; panels = [(objective, run, subtitle)]; basin maps for a start grid."""
    rows = -(-len(panels) // columns)
    fig = Figure(figsize=(4.2 * columns, 4.2 * rows), layout="constrained")
    axes = np.atleast_1d(fig.subplots(rows, columns)).ravel()
    for ax, (obj, run, subtitle) in zip(axes, panels, strict=False):
        phase_axes(ax, obj, run, window, grid_n, title=f"{obj.title}\n{subtitle}")
    for ax in axes[len(panels) :]:
        ax.set_visible(False)
    status_legend(fig, [run for _, run, _ in panels])
    return fig


def radius_figure(lrs, radius, title: str = "") -> Figure:
    """Spectral radius of the update operator against the learning rate, with the stability line ρ = 1."""
    fig = Figure(figsize=(6, 4), layout="constrained")
    ax = fig.subplots()
    ax.plot(lrs, radius, color=OKABE_ITO[0], marker=".", lw=1.5)
    ax.axhline(1.0, color=OKABE_ITO[2], linestyle="--", label="ρ = 1")
    if not np.isfinite(radius).any():
        ax.set_xlim(0, float(np.max(lrs)))
        ax.set_ylim(0, 2)
        ax.text(0.5, 0.6, "undefined: no update operator here", transform=ax.transAxes, ha="center")
    ax.set_xlabel("learning rate h")
    ax.set_ylabel("spectral radius ρ")
    ax.set_title(title, fontsize=10)
    legend_outside(ax)
    return fig


def eigenvalue_path_figure(values, eigenvalues, param: str, title: str = "") -> Figure:
    """Real and imaginary parts of the continuous-time eigenvalues against a parameter."""
    fig = Figure(figsize=(7, 4), layout="constrained")
    ax = fig.subplots()
    for k, marker in ((0, "-"), (1, "--")):
        ax.plot(values, eigenvalues[:, k].real, marker, color=OKABE_ITO[0], label=f"Re λ{k + 1}")
        ax.plot(values, eigenvalues[:, k].imag, marker, color=OKABE_ITO[1], label=f"Im λ{k + 1}")
    ax.axhline(0, color="0.6", lw=0.8)
    ax.set_xlabel(param)
    ax.set_ylabel("eigenvalue")
    ax.set_title(title, fontsize=10)
    legend_outside(ax, ncol=4)
    return fig
