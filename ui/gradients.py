"""The saved generator-gradient experiments as figures and sentences for the LS-GAN vs WGAN page.

`python -m models.experiments vanishing|d-steps --json` writes models/saved/vanishing.json and d_steps.json
(minutes of training); the page reads those files, so it shows the runs instantly and never retrains them.
Every number a sentence quotes is read from the curves here, never written by hand.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from dynamics.palette import OKABE_ITO, legend_outside
from models.gradients import DStepsRun, GradCurve
from ui.xychart import Series, XYChart, log_span

SAVED = Path(__file__).resolve().parents[1] / "models" / "saved"
TITLES = {
    "gan": "saturating GAN",
    "nsgan": "non-saturating GAN",
    "wgan-gp": "WGAN-GP",
    "loss-sensitive": "LS-GAN",
    "wgan": "WGAN",
    "hinge": "hinge",
    "least-squares": "least-squares GAN",
}


def load_vanishing(path: Path = SAVED / "vanishing.json") -> list[GradCurve]:
    """The curves of `models.experiments vanishing --json`: {"losses": {LOSS: {"iterations", "grad_norm"}}}."""
    losses = json.loads(Path(path).read_text())["losses"]
    return [GradCurve(loss, c["iterations"], c["grad_norm"]) for loss, c in losses.items()]


def load_d_steps(path: Path = SAVED / "d_steps.json") -> list[DStepsRun]:
    """The runs of `models.experiments d-steps --json`: {"runs": [{"loss", "k", "rounds", "grad_norm", "fd"}]}."""
    runs = json.loads(Path(path).read_text())["runs"]
    return [DStepsRun(r["loss"], r["k"], r["rounds"], r["grad_norm"], r["fd"], r.get("metrics", {})) for r in runs]


def trend(xs: list[int], g: list[float], unit: str) -> str:
    """How a gradient curve moves, in words with its numbers: a fall of more than 2× from its peak to its end,
    else a rise of more than 2× from its start to its end, else the band it stays in."""
    g = np.asarray(g, float)
    peak, first, last = int(np.argmax(g)), g[0], g[-1]
    if last < g[peak] / 2:
        return (
            f"falls {g[peak] / last:.0f}-fold, from {g[peak]:.3g} ({unit} {xs[peak]}) to {last:.3g} ({unit} {xs[-1]})"
        )
    if last > 2 * first:
        return f"grows {last / first:.1f}-fold, from {first:.3g} ({unit} {xs[0]}) to {last:.3g} ({unit} {xs[-1]})"
    return f"stays between {g.min():.3g} and {g.max():.3g} up to {unit} {xs[-1]}"


def vanishing_sentence(curves: list[GradCurve]) -> str:
    """One sentence: each loss's generator gradient while the discriminator trains on against a frozen G, from
    the first recorded iteration after 0 (at 0 the discriminator is still its random initialisation)."""
    parts = [
        f"the {TITLES.get(c.loss, c.loss)}'s gradient {trend(c.iterations[1:], c.grad_norm[1:], 'iteration')}"
        for c in curves
    ]
    start = curves[0].iterations[1]
    return (
        f"With the generator frozen and the discriminator trained on (from iteration {start}), "
        + "; ".join(parts)
        + "."
    )


def late_median(run: DStepsRun) -> float:
    """Median ‖∇_θ L_G‖ over the last third of the recorded rounds (where the run has settled)."""
    return float(np.median(run.grad_norm[-max(1, len(run.grad_norm) // 3) :]))


def d_steps_sentence(runs: list[DStepsRun]) -> str:
    """One sentence per loss: the late median gradient for each k, and the Fréchet distance where runs end."""
    sentences = []
    for loss in dict.fromkeys(r.loss for r in runs):
        mine = sorted((r for r in runs if r.loss == loss), key=lambda r: r.k)
        medians = ", ".join(f"{late_median(r):.3g} (k = {r.k})" for r in mine)
        fds = ", ".join(f"{r.fd:.0f}" if r.fd is not None else "–" for r in mine)
        sentences.append(
            f"The {TITLES.get(loss, loss)}'s generator gradient over the last third of {mine[0].rounds[-1]} rounds "
            f"has median {medians}; Fréchet distance at the end {fds}."
        )
    return " ".join(sentences)


def vanishing_figure(curves: list[GradCurve]) -> Figure:
    """‖∇_θ L_G‖ on a log scale against discriminator iterations, one line per loss (Arjovsky & Bottou, Fig. 2)."""
    fig = Figure(figsize=(8, 4), layout="constrained")
    ax = fig.subplots()
    for i, c in enumerate(curves):
        ax.plot(c.iterations, c.grad_norm, color=OKABE_ITO[i % len(OKABE_ITO)], label=TITLES.get(c.loss, c.loss))
    ax.set_yscale("log")
    ax.set_xlabel("discriminator iterations with G frozen")
    ax.set_ylabel("generator gradient norm ‖∇θ L_G‖")
    legend_outside(ax, side="right")
    ax.set_title("Vanishing gradient: G frozen, D trained on", fontsize=10)
    return fig


def d_steps_figure(runs: list[DStepsRun]) -> Figure:
    """‖∇_θ L_G‖ on a log scale over rounds, one panel per loss, one line per k (Qi 2017's figure)."""
    losses = list(dict.fromkeys(r.loss for r in runs))
    fig = Figure(figsize=(5 * len(losses), 4.4), layout="constrained")
    axes = np.atleast_1d(fig.subplots(1, len(losses), sharey=True))
    ks = sorted({r.k for r in runs})
    for ax, loss in zip(axes, losses, strict=True):
        for r in sorted((r for r in runs if r.loss == loss), key=lambda r: r.k):
            ax.plot(r.rounds, r.grad_norm, color=OKABE_ITO[ks.index(r.k) % len(OKABE_ITO)], label=f"k = {r.k}")
        ax.set_yscale("log")
        ax.set_xlabel("round (k discriminator steps, 1 generator step)")
        ax.set_title(TITLES.get(loss, loss), fontsize=10)
    axes[0].set_ylabel("generator gradient norm ‖∇θ L_G‖")
    handles = [Line2D([], [], color=OKABE_ITO[i % len(OKABE_ITO)], label=f"k = {k}") for i, k in enumerate(ks)]
    legend_outside(fig, handles, ncol=len(ks))
    return fig


def _log_window(xs: list, ys: list) -> tuple[float, float, float, float]:
    """x from the first to the last x; y on a log scale (ui.xychart.log_span)."""
    return (float(min(min(x) for x in xs)), float(max(max(x) for x in xs)), *log_span(*ys))


def _line(label: str, x: list, y: list, color: str) -> Series:
    return Series(label, np.asarray(x, float), np.asarray(y, float), color)


def vanishing_chart(curves: list[GradCurve]) -> XYChart:
    """`vanishing_figure` for the browser: ‖∇_θ L_G‖ on a log scale against discriminator iterations."""
    return XYChart(
        "Vanishing gradient: G frozen, D trained on",
        "discriminator iterations with G frozen",
        "generator gradient norm ‖∇θ L_G‖",
        _log_window([c.iterations for c in curves], [c.grad_norm for c in curves]),
        tuple(
            _line(TITLES.get(c.loss, c.loss), c.iterations, c.grad_norm, color)
            for c, color in zip(curves, OKABE_ITO, strict=False)
        ),
        ylog=True,
        aspect=0.5,
        hint="Hover over a line for its gradient norm.",
    )


def d_steps_charts(runs: list[DStepsRun]) -> tuple[XYChart, ...]:
    """`d_steps_figure` for the browser: one chart per loss, one line per k, all on one log-scale y window."""
    losses = list(dict.fromkeys(r.loss for r in runs))
    ks = sorted({r.k for r in runs})
    window = _log_window([r.rounds for r in runs], [r.grad_norm for r in runs])
    return tuple(
        XYChart(
            TITLES.get(loss, loss),
            "round (k discriminator steps, 1 generator step)",
            "generator gradient norm ‖∇θ L_G‖",
            window,
            tuple(
                _line(f"k = {r.k}", r.rounds, r.grad_norm, OKABE_ITO[ks.index(r.k) % len(OKABE_ITO)])
                for r in sorted((r for r in runs if r.loss == loss), key=lambda r: r.k)
            ),
            ylog=True,
            aspect=0.6,
            hint="Hover over a line for its gradient norm.",
        )
        for loss in losses
    )
