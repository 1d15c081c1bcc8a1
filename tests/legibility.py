"""What makes a figure illegible, measured on the drawn figure (a shared helper of the plotting tests): a legend
that hides plotted data or is cut off by the figure's edge, and markers that vanish against a colour map."""

from __future__ import annotations

import io

import numpy as np
from matplotlib.collections import PathCollection
from matplotlib.legend import Legend


def legends(fig) -> list[Legend]:
    found = list(fig.legends) + [ax.get_legend() for ax in fig.axes]
    return [lg for lg in found if lg is not None and lg.get_visible()]


def data_points(ax) -> np.ndarray:
    """Display coordinates of every plotted point of the axes: line vertices (dense lines resampled so a segment
    crossing a legend counts) and scatter points."""
    points = []
    for line in ax.get_lines():
        if not line.get_visible():
            continue
        xy = np.asarray(line.get_xydata(), float)
        xy = xy[np.all(np.isfinite(xy), axis=1)]
        if len(xy) > 1 and line.get_linestyle() not in ("None", "none", ""):
            t = np.linspace(0, 1, 8)[:, None, None]
            xy = (xy[:-1] + t * (xy[1:] - xy[:-1])).reshape(-1, 2)  # 8 points per segment
        if len(xy):
            points.append(line.get_transform().transform(xy))
    for coll in ax.collections:
        if isinstance(coll, PathCollection) and coll.get_visible() and len(coll.get_offsets()):
            points.append(coll.get_offset_transform().transform(np.asarray(coll.get_offsets(), float)))
    return np.concatenate(points) if points else np.zeros((0, 2))


def inside(box, pts: np.ndarray) -> np.ndarray:
    return (pts[:, 0] >= box.x0) & (pts[:, 0] <= box.x1) & (pts[:, 1] >= box.y0) & (pts[:, 1] <= box.y1)


def problems(fig) -> list[str]:
    """Legends that hide plotted data (with how many points), cover an axis label or title, or reach past the
    figure's edge; [] when legible.
    Only points inside their axes count (data clipped away is not shown)."""
    fig.savefig(io.BytesIO(), format="png", dpi=fig.dpi)  # lays the figure out and draws it, as the app does
    out = []
    frame = fig.bbox
    for legend in legends(fig):
        box = legend.get_window_extent()
        texts = [t.get_text() for t in legend.get_texts()]
        if box.x0 < frame.x0 - 1 or box.y0 < frame.y0 - 1 or box.x1 > frame.x1 + 1 or box.y1 > frame.y1 + 1:
            out.append(f"legend {texts} is cut off by the figure's edge")
        for ax in fig.axes:
            if not ax.get_visible():
                continue
            for label in (ax.xaxis.label, ax.yaxis.label, ax.title):
                if label.get_text() and label.get_visible() and box.overlaps(label.get_window_extent()):
                    out.append(f"legend {texts} covers the label {label.get_text()!r}")
            pts = data_points(ax)
            hidden = inside(box, pts) & inside(ax.bbox, pts)
            if hidden.any():
                out.append(f"legend {texts} hides {int(hidden.sum())} plotted points of {ax.get_title()!r}")
    return out


def luminance(color) -> float:
    """WCAG relative luminance of an RGB colour in [0, 1]."""
    c = np.asarray(color, float)[:3]
    c = np.where(c <= 0.03928, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return float(c @ [0.2126, 0.7152, 0.0722])


def contrast(a, b) -> float:
    """WCAG contrast ratio of two colours, 1 (none) to 21 (black on white)."""
    la, lb = sorted((luminance(a), luminance(b)))
    return (lb + 0.05) / (la + 0.05)
