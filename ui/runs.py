"""Reading run directories written by `python -m models.train` (config.json, log.csv, metrics.jsonl, samples/,
checkpoint.pt), for the image-GAN page.

The directory they are read from is the server operator's choice, never a URL's or a student's: the environment
variable GDL_RUNS (a path; a relative one counts from the repository root), else `runs/` in the repository root.
Every path read is resolved first (symlinks, `..`) and refused unless it lies inside that root.
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import numpy as np
import torch
from matplotlib.figure import Figure

from dynamics.numbers import num
from dynamics.palette import OKABE_ITO
from ui.xychart import Series, XYChart, log_span, span

ENV = "GDL_RUNS"
# What a run measures (models.evaluate): images FD, class coverage and the classifier's accuracy; 2-D mixtures
# modes, high-quality fraction and reverse KL; 1-D densities JS and W1. NAMES are their words in text, PLOTTED the
# panel titles of those drawn over training; a run gets the panels of the metrics its metrics.jsonl holds.
NAMES = {
    "fd": "FD",
    "coverage": "class coverage",
    "classifier_accuracy": "classifier accuracy",
    "modes": "modes captured",
    "high_quality": "high-quality fraction",
    "reverse_kl": "reverse KL",
    "js": "JS",
    "w1": "W1",
}
PLOTTED = {
    "fd": "Fréchet distance (lower is better)",
    "modes": "modes captured",
    "high_quality": "high-quality fraction",
    "js": "JS to p_data (nats)",
    "w1": "W1 to p_data",
}
REPO = Path(__file__).resolve().parents[1]


class OutsideRoot(ValueError):
    """A path that resolves (symlinks and `..` followed) to somewhere outside the run-directory root."""


def root() -> Path:
    """The run-directory root, resolved: $GDL_RUNS (relative to the repository root) or <repository>/runs."""
    return (REPO / (os.environ.get(ENV, "").strip() or "runs")).resolve()


def inside(path: Path | str, base: Path | None = None) -> Path:
    """`path` resolved, symlinks and `..` followed; OutsideRoot unless it lies inside `base` (default: root())."""
    base = (base or root()).resolve()
    resolved = Path(path).resolve()
    if not resolved.is_relative_to(base):
        raise OutsideRoot(f"{Path(path).name!r} resolves outside the run-directory root {str(base)!r}")
    return resolved


def find(base: Path | None = None) -> tuple[list[Path], list[str]]:
    """Run directories (holding config.json) directly under `base` (default: root()), newest first, and the
    names of the entries refused because they resolve outside it (nothing under those is looked at)."""
    base = (base or root()).resolve()
    if not base.is_dir():
        return [], []
    found, refused = [], []
    for entry in sorted(base.iterdir()):
        try:
            path = inside(entry, base)
        except OutsideRoot:
            refused.append(entry.name)
            continue
        if path.is_dir() and (path / "config.json").is_file():
            found.append(entry)
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True), refused


def read(path: Path, base: Path | None = None) -> dict:
    """Config, loss log (columns as float arrays), metrics rows and the latest sample picture of one run; every
    file is checked with `inside` (OutsideRoot for one that resolves outside `base`, default root())."""
    base = (base or root()).resolve()
    path = inside(path, base)
    cfg = json.loads(inside(path / "config.json", base).read_text())
    log = {}
    if (csv_path := inside(path / "log.csv", base)).is_file():
        with open(csv_path) as fh:
            rows = list(csv.DictReader(fh))
        log = {k: np.array([float(r[k]) for r in rows]) for k in (rows[0] if rows else {})}
    metrics = []
    if (jsonl := inside(path / "metrics.jsonl", base)).is_file():
        metrics = [json.loads(line) for line in jsonl.read_text().splitlines() if line.strip()]
    pictures = [inside(p, base) for p in sorted(inside(path / "samples", base).glob("step_*.png"))]
    return {"config": cfg, "log": log, "metrics": metrics, "picture": pictures[-1] if pictures else None}


def per_class(path: Path, label: int, n: int = 16, seed: int = 0) -> np.ndarray:
    """n samples of class `label` from a conditional run's checkpoint, as an image grid in [0, 1]. A checkpoint
    that is not one this program wrote raises InputError (a ValueError) naming the file and why."""
    from models import checkpoint
    from models.config import TrainConfig
    from models.data import load
    from models.samples import image_grid
    from models.trainer import build

    ckpt = path / "checkpoint.pt"
    state = checkpoint.load(ckpt, keys=("config", "G"))  # weights only: a planted file runs no code
    try:
        cfg = TrainConfig.from_saved({**state["config"], "device": "cpu", "amp": False})  # CUDA runs read on a CPU
        G, _ = build(cfg, load(cfg.data))
        G.load_state_dict(state["G"])
    except (TypeError, AttributeError, KeyError, RuntimeError, ValueError) as err:
        raise checkpoint.refused(ckpt, "it does not hold a run this page can show", err) from None
    G.eval()
    z = torch.randn(n, cfg.nz, generator=torch.Generator().manual_seed(seed))
    with torch.no_grad():
        x = G(z, torch.full((n,), label, dtype=torch.long))
    return image_grid(x.numpy(), nrow=int(np.sqrt(n)))


def measured(run: dict) -> dict[str, float]:
    """The last value of each metric the run measured (finite numbers only, in the order of NAMES)."""
    last = run["metrics"][-1] if run["metrics"] else {}
    values = {k: float(last[k]) for k in NAMES if isinstance(last.get(k), (int, float)) and np.isfinite(last[k])}
    return values


def metrics_text(run: dict) -> str:
    """'FD 12.3, class coverage 1': the run's last metrics, only those it has ('no metrics yet' otherwise)."""
    return ", ".join(f"{NAMES[k]} {num(v)}" for k, v in measured(run).items()) or "no metrics yet"


def compare_figure(chosen: dict[str, dict]) -> Figure:
    """Generator loss and gradient norm of each chosen run, then one panel per metric that some run measured
    (PLOTTED), each run drawn only where it has the metric; one legend of the runs above the panels."""
    metrics = [k for k in PLOTTED if any(k in measured(r) for r in chosen.values())]
    n = 2 + len(metrics)
    cols = min(n, 3)
    rows = -(-n // cols)
    fig = Figure(figsize=(3.4 * cols, 2.9 * rows + 0.5), layout="constrained")
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    for ax in axes[n:]:
        ax.set_visible(False)
    loss_ax, norm_ax, *metric_axes = axes[:n]
    for (name, r), color, style in zip(chosen.items(), OKABE_ITO, ("-", "--", "-.", ":") * 2, strict=False):
        log = r["log"]
        if log:
            loss_ax.plot(log["step"], log["g_loss"], color=color, ls=style, lw=1, label=name)
            norm_ax.semilogy(log["step"], np.maximum(log["g_grad_norm"], 1e-12), color=color, ls=style, lw=1)
        for ax, key in zip(metric_axes, metrics, strict=True):
            points = [(m["step"], m[key]) for m in r["metrics"] if key in m]
            if points:
                ax.plot(*zip(*points, strict=True), marker="o", ms=3, color=color, ls=style, label=name)
    titles = ["generator loss", "generator gradient norm"] + [PLOTTED[k] for k in metrics]
    for ax, title in zip(axes[:n], titles, strict=True):
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("round")
    lines = {line.get_label(): line for ax in (loss_ax, *metric_axes) for line in ax.get_lines()}
    if lines:
        fig.legend(lines.values(), lines.keys(), loc="outside upper center", ncol=min(len(lines), 4), fontsize=8)
    return fig


def compare_charts(chosen: dict[str, dict]) -> tuple[XYChart, ...]:
    """`compare_figure` for the browser: generator loss, its gradient norm (log scale), then one chart per metric
    some run measured (PLOTTED), each run drawn only where it has the metric, in the same colour everywhere."""
    colors = dict(zip(chosen, OKABE_ITO, strict=False))
    logged = {name: r["log"] for name, r in chosen.items() if r["log"]}

    def chart(title, short, series, ylog=False):
        xs = [s.x for s in series] or [np.zeros(1)]
        window = (float(min(x.min() for x in xs)), float(max(max(x.max() for x in xs), 1.0)))
        ys = np.concatenate([s.y for s in series]) if series else np.ones(1)
        window += log_span(ys, empty=(0.5, 2.0)) if ylog else span(ys)
        return XYChart(title, "round", short, window, tuple(series), ylog=ylog, aspect=0.6)

    out = [
        chart("generator loss", "L_G", [Series(n, log["step"], log["g_loss"], colors[n]) for n, log in logged.items()]),
        chart(
            "generator gradient norm",
            "‖∇θ L_G‖",
            [Series(n, log["step"], np.asarray(log["g_grad_norm"]), colors[n]) for n, log in logged.items()],
            ylog=True,
        ),
    ]
    for key, title in PLOTTED.items():
        series = []
        for name, r in chosen.items():
            points = np.array([(m["step"], m[key]) for m in r["metrics"] if key in m], float).reshape(-1, 2)
            if len(points):
                series.append(Series(name, points[:, 0], points[:, 1], colors[name]))
                series.append(Series(None, points[:, 0], points[:, 1], colors[name], "points", hover=False))
        if series:
            out.append(chart(title, NAMES[key], series))
    return tuple(out)
