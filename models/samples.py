"""Pictures of generated samples, saved as PNG: an image grid, a 2-D scatter over the modes, or a 1-D
histogram against the true density with the learned P(real | x) = sigmoid(−D(x)) and D*(x)."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure


def image_grid(images, nrow=8):
    """(n, c, h, w) in [−1, 1] → one (nrow·h, ncol·w) array in [0, 1] with 1-pixel gaps (first channel)."""
    x = (np.asarray(images, float)[:, 0] + 1) / 2
    n, h, w = x.shape
    ncol = -(-n // nrow)
    grid = np.ones((nrow * (h + 1) - 1, ncol * (w + 1) - 1))
    for i in range(n):
        r, c = divmod(i, ncol)
        grid[r * (h + 1) : r * (h + 1) + h, c * (w + 1) : c * (w + 1) + w] = x[i]
    return grid.clip(0, 1)


def save_samples(path, data, samples, title="", d_curve=None):
    """Write the picture for this data kind to `path` (PNG). d_curve: (x, D(x)) for the 1-D plot."""
    fig = Figure(figsize=(4, 4))
    ax = fig.add_subplot()
    if data.kind == "image":
        ax.imshow(image_grid(samples[:64]), cmap="gray", vmin=0, vmax=1)
        ax.axis("off")
    elif data.kind == "2d":
        ax.scatter(*np.asarray(samples)[:, :2].T, s=2, alpha=0.4, label="generated")
        ax.scatter(*data.centers.T, s=12, c="red", marker="x", label="modes")
        ax.set_aspect("equal")
        ax.legend(loc="upper right", fontsize=7)
    else:
        s = np.asarray(samples).ravel()
        ax.hist(s, bins=60, density=True, alpha=0.5, label="generated")
        lo, hi = data.density.support()
        x = np.linspace(min(lo, s.min()), max(hi, s.max()), 400)
        ax.plot(x, data.density.pdf(x), "k", label="p_data")
        if d_curve is not None:
            ax2 = ax.twinx()
            ax2.plot(d_curve[0], 1 / (1 + np.exp(d_curve[1])), "r", label="sigmoid(−D)")
            ax2.set_ylim(0, 1)
        ax.legend(loc="upper left", fontsize=7)
    ax.set_title(title, fontsize=9)
    fig.savefig(path, dpi=100, bbox_inches="tight")
    return path
