"""The figures of the live training pages (1-D density, 2-D mixtures, images), drawn from a ui.training Session.

The pages show these views as browser-drawn charts (ui/live_charts.py); matplotlib draws them for the PNG/SVG
downloads. Fixed layouts; every legend sits outside the axes, under the x label, so the newest
points of a history (at the right end) and the samples stay visible; samples on the discriminator's heat map use
dynamics.palette.ON_HEAT_MAP.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from matplotlib.figure import Figure

from dynamics.oned.distributions import kde
from dynamics.oned.optimal import optimal_discriminator
from dynamics.oned.plotting import DATA, DISC, GEN
from dynamics.palette import BLUE, MODES_ON_HEAT_MAP, ON_HEAT_MAP, VERMILLION, legend_outside
from models.samples import image_grid


def metric_history(ax, s, metric: str, label: str, fraction: str, fraction_label: str) -> None:
    """A run's metric over rounds (solid, circles) with a fraction in [0, 1] on a twin axis (dashed, squares);
    one legend for both under the axes."""
    steps = [r["step"] for r in s.metrics]
    ax.plot(steps, [r[metric] for r in s.metrics], "-o", ms=3, color=BLUE, label=label)
    ax.set_xlabel("round")
    ax.set_ylabel(label)
    twin = ax.twinx()
    twin.plot(steps, [r[fraction] for r in s.metrics], "--s", ms=3, color=VERMILLION, label=fraction_label)
    twin.set_ylim(-0.02, 1.02)
    twin.set_ylabel(fraction_label)
    handles = ax.get_lines()[:1] + twin.get_lines()[:1]
    legend_outside(ax, handles, ncol=2, labels=[label, fraction_label])


@dataclass(frozen=True)
class Curves:
    """A 1-D run's curves on a grid x: p_data, p_g (a KDE of the samples; 0 when they have no spread), the
    discriminator's P(real | x) = σ(−D(x)) and D*(x) = p_data/(p_data + p_g) (NaN where both are 0)."""

    x: np.ndarray
    p_data: np.ndarray
    p_g: np.ndarray
    d: np.ndarray
    d_star: np.ndarray


def density_curves(s, stride: int = 1) -> Curves:
    """The curves of the session's latest evaluation on every stride-th point of its grid (the last one kept)."""
    _, x, (grid, d) = s.latest
    keep = np.unique(np.r_[np.arange(0, len(grid), stride), len(grid) - 1])
    grid, d = grid[keep], np.ravel(d)[keep]
    samples = x.ravel()
    p = s.data.density.pdf(grid)
    pg = kde(samples).pdf(grid) if np.isfinite(samples).all() and samples.std() > 0 else np.zeros_like(grid)
    d_star, _ = optimal_discriminator(p, pg)
    return Curves(grid, p, pg, 1 / (1 + np.exp(np.clip(d, -50, 50))), d_star)


def density_figure(s) -> Figure:
    """1-D run: p_data, the generated density (KDE of the samples), D(x) and D*(x) for the current generator; JS
    over training below."""
    m = s.latest[0]
    c = density_curves(s)
    grid, p, pg, d_star = c.x, c.p_data, c.p_g, c.d_star
    fig = Figure(figsize=(8, 6.6))
    fig.subplots_adjust(left=0.09, right=0.91, bottom=0.13, top=0.95, hspace=0.6)
    top, bottom = fig.subplots(2, 1, height_ratios=[3, 2])
    top.plot(grid, p, **DATA)
    top.plot(grid, pg, **GEN)
    top.set_ylabel("density")
    top.set_xlabel("x")
    twin = top.twinx()
    twin.plot(grid, c.d, **DISC, label="D(x) = P(real | x)")
    twin.plot(grid, d_star, color=VERMILLION, linestyle="-.", label="D*(x)")
    twin.set_ylim(-0.02, 1.02)
    twin.set_ylabel("D(x)")
    handles = top.get_lines() + twin.get_lines()
    legend_outside(top, handles, ncol=4, labels=[h.get_label() for h in handles])
    top.set_title(f"round {s.trainer.step}: JS = {m['js']:.4f}, W1 = {m['w1']:.4f}", fontsize=10)
    steps = [r["step"] for r in s.metrics]
    bottom.plot(steps, [r["js"] for r in s.metrics], marker="o", ms=3, color=BLUE, label="JS (nats)")
    bottom.axhline(np.log(2), color="0.6", linestyle=":", label="log 2")
    bottom.set_xlabel("round")
    legend_outside(bottom, ncol=2)
    return fig


def heat(s, n: int = 80):
    """P(real | x) = sigmoid(−D(x)) on an n×n grid over the data's window: (extent, n×n array)."""
    r = float(np.abs(s.data.centers).max()) * 1.5 + 0.2
    g = np.linspace(-r, r, n)
    X, Y = np.meshgrid(g, g)
    pts = torch.tensor(np.stack([X.ravel(), Y.ravel()], 1), dtype=torch.float32, device=s.trainer.device)
    with torch.no_grad():
        d = s.trainer.D(pts).float().cpu().numpy().reshape(n, n)
    return (-r, r, -r, r), 1 / (1 + np.exp(np.clip(d, -50, 50)))


def mixture_figure(s) -> Figure:
    """2-D run: the discriminator's P(real | x) as a cividis heat map, the samples and the modes on it; modes
    captured and the high-quality fraction over training."""
    m, x, _ = s.latest
    extent, p_real = heat(s)
    fig = Figure(figsize=(10, 5.2))
    fig.subplots_adjust(left=0.06, right=0.93, bottom=0.22, top=0.91, wspace=0.35)
    ax, hist = fig.subplots(1, 2, width_ratios=[1, 1.2])
    im = ax.imshow(p_real, origin="lower", extent=extent, cmap="cividis", vmin=0, vmax=1)
    fig.colorbar(im, ax=ax, label="D(x) = P(real | x)", fraction=0.046)
    ax.scatter(x[:, 0], x[:, 1], s=7, label="generated", **ON_HEAT_MAP)
    ax.scatter(*s.data.centers.T, s=50, label="modes", **MODES_ON_HEAT_MAP)
    ax.set_xlim(extent[:2])
    ax.set_ylim(extent[2:])
    ax.set_aspect("equal")
    legend_outside(ax, ncol=2, markerscale=1.5)
    ax.set_title(f"round {s.trainer.step}: {m['modes']}/{len(s.data.centers)} modes", fontsize=10)
    metric_history(hist, s, "modes", "modes captured", "high_quality", "high-quality fraction")
    hist.set_ylim(-0.5, len(s.data.centers) + 0.5)
    return fig


def sample_grid(s, scale: int = 4) -> tuple[np.ndarray, str]:
    """Image run: the grid of samples of image_figure, each pixel a scale × scale block (so the browser shows it
    sharp), and its title."""
    _, x, _ = s.latest
    if s.cfg.conditional:
        grid, title = image_grid(x[:100], nrow=10), f"round {s.trainer.step}: column k = class k"
    else:
        grid, title = image_grid(x[:64]), f"round {s.trainer.step}"
    return np.kron(grid, np.ones((scale, scale))), title


def image_figure(s) -> Figure:
    """Image run: a grid of samples (conditional: column k shows class k) and FD and class coverage over
    training."""
    fig = Figure(figsize=(9, 4.5))
    fig.subplots_adjust(left=0.02, right=0.93, bottom=0.22, top=0.9, wspace=0.3)
    ax, curve = fig.subplots(1, 2, width_ratios=[1, 1.3])
    grid, title = sample_grid(s, 1)  # conditional: evaluation labels are i mod 10, so column k shows class k
    ax.imshow(grid, cmap="gray", vmin=0, vmax=1)
    ax.set_title(title, fontsize=10)
    ax.axis("off")
    metric_history(curve, s, "fd", "FD (lower is better)", "coverage", "class coverage")
    return fig
