"""The figure of a convergence map: each GAN's status as a coloured cell, the core's predicted region (spectral
radius < 1) hatched over it and its boundary h*(γ) drawn as a line, on log axes."""

from __future__ import annotations

import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from dynamics.dirac.status import STATUS, STATUSES
from models.convergence.maps import ConvergenceMap


def edges(values: np.ndarray) -> np.ndarray:
    """Cell edges of log-spaced centres (geometric midpoints, the ends extended by half a step)."""
    logs = np.log(values)
    step = np.diff(logs).mean() if len(values) > 1 else 1.0
    mid = (logs[1:] + logs[:-1]) / 2
    return np.exp(np.concatenate([[logs[0] - step / 2], mid, [logs[-1] + step / 2]]))


def map_figure(m: ConvergenceMap, title: str | None = None) -> Figure:
    """Observed statuses (colours) with the predicted region (hatched) and the core's boundary h*(γ)."""
    fig = Figure(figsize=(6.4, 4.6), layout="constrained")
    ax = fig.subplots()
    code = {s: i for i, s in enumerate(STATUSES)}
    codes = np.vectorize(code.get)(m.status)
    cmap = ListedColormap([s.color for s in STATUS])
    x, y = edges(m.lr), edges(m.param)
    ax.pcolormesh(x, y, codes, cmap=cmap, vmin=-0.5, vmax=len(STATUSES) - 0.5, alpha=0.75)
    fine = np.repeat(np.repeat(m.predicted, 8, 0), 8, 1).astype(float)  # cell blocks, so the hatch keeps to cells
    xs, ys = (np.exp(np.linspace(np.log(e[0]), np.log(e[-1]), 8 * (len(e) - 1))) for e in (x, y))
    ax.contourf(xs, ys, fine, levels=[0.5, 1.5], colors="none", hatches=["///"])
    ok = np.isfinite(m.critical)
    ax.plot(m.critical[ok], m.param[ok], color="black", lw=2, label="core: h*(γ), ρ = 1")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(x[0], x[-1])
    ax.set_ylim(y[0], y[-1])
    sym = "γ" if m.setup.param == "gamma" else "σ"
    ax.set_xlabel("learning rate h")
    ax.set_ylabel(f"{sym} ({'regularizer weight' if sym == 'γ' else 'instance-noise std'})")
    s = m.setup
    ax.set_title(
        title or f"{s.family}: {s.loss} + {s.reg}, {s.optimizer} {s.scheme}; agreement {m.agreement:.1%}", fontsize=10
    )
    present = [st for st in STATUS if st.name in set(m.status.ravel())]
    handles = [Patch(facecolor=st.color, alpha=0.75, label=st.name) for st in present]
    handles += [
        Patch(facecolor="none", edgecolor="0.15", hatch="///", label="core predicts convergence"),
        Line2D([], [], color="black", lw=2, label="core's boundary h*"),
    ]
    ax.legend(handles=handles, loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8)
    return fig
