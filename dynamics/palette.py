"""The Okabe–Ito colour-blind-safe palette, shared by every figure of the CLIs and the app, and the two rules that
keep a figure legible: markers that stand out on a colour map, legends outside the data."""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.transforms import ScaledTranslation

BELOW = 30  # points from an axes' bottom edge to a legend under it: room for the tick labels and the x label

BLUE, ORANGE, VERMILLION, GREEN, PURPLE, SKY, YELLOW, BLACK = OKABE_ITO = (
    "#0072B2",
    "#E69F00",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#F0E442",
    "#000000",
)

# Samples drawn over a cividis heat map (dark blue → yellow, every luminance in between, so no single colour
# stands out everywhere): sky-blue dots with a black edge. Against every colour of the map the better of fill and
# edge has WCAG contrast ≥ 3.0 (sky off the dark half, black off the yellow end); orange dots have 1.0 at the
# map's middle, 1.5 with a white edge. Modes: black crosses with a white edge (≥ 4.6).
ON_HEAT_MAP = {"color": SKY, "edgecolors": BLACK, "linewidths": 0.5}
MODES_ON_HEAT_MAP = {"color": BLACK, "marker": "X", "edgecolors": "white", "linewidths": 0.8}


def legend_outside(target, handles=None, ncol: int = 3, side: str = "below", **kw):
    """A legend outside every axes, so it hides no data and no newest point.

    On an Axes it sits under the x label (side="below") or right of the axes, in one column (side="right"); on a
    Figure at the bottom edge ('outside' of a constrained layout; with a fixed layout the caller leaves the bottom
    margin for it)."""
    style = {"fontsize": 8, "frameon": False, "ncol": 1 if side == "right" else ncol} | kw
    if handles is not None:
        style["handles"] = handles
    if isinstance(target, Figure):
        constrained = target.get_layout_engine() is not None
        return target.legend(loc="outside lower center" if constrained else "lower center", **style)
    if side == "right":
        return target.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), **style)
    below = target.transAxes + ScaledTranslation(0, -BELOW / 72, target.figure.dpi_scale_trans)
    return target.legend(loc="upper center", bbox_to_anchor=(0.5, 0.0), bbox_transform=below, **style)
