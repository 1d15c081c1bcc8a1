"""Figures of the Dirac-GAN dynamics, shared by the CLI and the app: matplotlib Figures, no pyplot state.

Colour-blind-safe (Okabe–Ito) colours, and every status also has its own line style and marker.
"""

from __future__ import annotations

import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from dynamics.dirac.field import Objective
from dynamics.dirac.trajectories import STATUSES, Run
from dynamics.palette import OKABE_ITO

STATUS_STYLE = {
    "converged": {"color": OKABE_ITO[0], "linestyle": "-", "marker": "o"},
    "cycling": {"color": OKABE_ITO[1], "linestyle": "--", "marker": "s"},
    "diverged": {"color": OKABE_ITO[2], "linestyle": ":", "marker": "X"},
}
WINDOW = (-2.0, 2.0, -2.0, 2.0)  # (θ_min, θ_max, ψ_min, ψ_max): the default plot window of the CLI and the app
# The six panels of Mescheder, Geiger & Nowozin 2018, Figure 3: the default of every side-by-side comparison.
FIGURE3 = ("gan", "wgan", "wgan-gp", "gan+consensus", "gan+instance-noise", "gan+r1")


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
    codes = np.searchsorted(np.array(STATUSES), run.status).reshape(n, n)
    cmap = ListedColormap([STATUS_STYLE[s]["color"] for s in STATUSES])
    ax.imshow(
        codes,
        origin="lower",
        extent=window,
        cmap=cmap,
        vmin=-0.5,
        vmax=2.5,
        alpha=0.35,
        interpolation="nearest",
        aspect="auto",
    )


def draw_trajectories(ax, run: Run, max_lines: int = 64) -> None:
    """Trajectory lines styled by status, with the start (hollow) and the end (filled) marked."""
    for i, path in enumerate(run.paths()[:max_lines]):
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
) -> None:
    """A phase portrait on one axes: field, basins (for a start grid), trajectories, flow, equilibrium."""
    if run is not None and grid_n:
        draw_basins(ax, run, grid_n, window)
    draw_field(ax, obj, window)
    if run is not None and run.path is not None and not grid_n:
        draw_trajectories(ax, run)
    for path in flows:
        ax.plot(path[:, 0], path[:, 1], color="black", lw=1.0, linestyle="-.", alpha=0.8)
    ax.plot(0, 0, marker="*", color="black", ms=12, linestyle="none")
    ax.set_xlim(window[0], window[1])
    ax.set_ylim(window[2], window[3])
    ax.set_xlabel("θ (generator)")
    ax.set_ylabel("ψ (discriminator)")
    ax.set_title(title or obj.title, fontsize=10)
    ax.set_aspect("equal", adjustable="box")


def status_legend(ax, flows: bool = False) -> None:
    handles = [Line2D([], [], label=s, **STATUS_STYLE[s]) for s in STATUSES]
    handles.append(Line2D([], [], color="black", marker="*", linestyle="none", ms=10, label="equilibrium"))
    if flows:
        handles.append(Line2D([], [], color="black", linestyle="-.", label="continuous flow (h → 0)"))
    ax.legend(handles=handles, loc="upper right", fontsize=8, framealpha=0.85)


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
    ax.legend(loc="lower left", fontsize=8, framealpha=0.85)


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
    status_legend(ax_phase, flows=bool(flows))
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
    status_legend(axes[0])
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
    ax.legend()
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
    ax.legend(fontsize=8)
    return fig
