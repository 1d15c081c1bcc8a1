"""The trajectory statuses, defined once: name, meaning, how figures and tables draw them, and the rule.

The rule (`classify`, docs/conventions.md), on a run's final distance r to (0, 0), its `growth` (peak r over
the last quarter of the run ÷ the peak over the quarter before) and its `travel` (path length over the last
quarter), the first that holds:

    diverged    r passed BOUND or turned non-finite
    converged   r < TOL and growth ≤ 1 + CHANGE
    stalled     travel < CHANGE·r
    diverging   growth > 1 + CHANGE
    converging  growth < 1 − CHANGE
    cycling     otherwise
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dynamics.palette import BLUE, GREEN, ORANGE, PURPLE, SKY, VERMILLION

TOL = 1e-3  # converged: final distance to (0, 0) below this
BOUND = 1e4  # diverged: distance past this (or non-finite)
CHANGE = 0.01  # growth beyond 1 ± CHANGE is growing/shrinking; travel under CHANGE·r is stalled


@dataclass(frozen=True)
class Status:
    """One trajectory status: its name, the rule in words, and how every figure and table draws it."""

    name: str
    meaning: str
    color: str
    linestyle: str | tuple  # matplotlib line style
    marker: str  # matplotlib marker at the end point
    symbol: str  # the marker as a character, for text tables
    look: str  # the line in words


PCT = f"{CHANGE:.0%}"
MOVING = f"still moving (more than {PCT} of its distance over the last quarter)"
# From best to worst: the order of counts, legends and basin-map colours. Each meaning excludes the others.
STATUS = (
    Status("converged", f"ended within {TOL:g} of (0, 0), not growing", BLUE, "-", "o", "●", "solid blue"),
    Status(
        "converging",
        f"shrinking — its peak distance fell by more than {PCT} from the second-last quarter of the run to the "
        f"last — but not yet within {TOL:g}; {MOVING}",
        GREEN,
        (0, (8, 3)),
        "v",
        "▼",
        "long-dashed green",
    ),
    Status(
        "cycling",
        f"neither: its peak distance changed by at most {PCT} between the last two quarters; {MOVING}",
        ORANGE,
        "--",
        "s",
        "■",
        "dashed orange",
    ),
    Status(
        "stalled",
        f"stuck away from (0, 0): it moved less than {PCT} of its distance over the last quarter",
        SKY,
        "-.",
        "D",
        "◆",
        "dash-dotted sky blue",
    ),
    Status(
        "diverging",
        f"growing — its peak distance rose by more than {PCT} between the last two quarters — but not past "
        f"{BOUND:g} yet; {MOVING}",
        PURPLE,
        (0, (5, 1.5, 1, 1.5, 1, 1.5)),
        "^",
        "▲",
        "dash-dot-dotted purple",
    ),
    Status(
        "diverged",
        f"its distance passed {BOUND:g} or turned non-finite; drawn up to there",
        VERMILLION,
        ":",
        "X",
        "✖",
        "dotted vermillion",
    ),
)
STATUSES = tuple(s.name for s in STATUS)
STATUS_BY_NAME = {s.name: s for s in STATUS}


def classify(distance, growth, travel, alive, tol: float = TOL, change: float = CHANGE) -> np.ndarray:
    """Each run's status, the first rule that holds: diverged (not alive), converged (distance < tol, not
    growing), stalled (travel < change·distance), diverging (growth > 1 + change), converging (growth < 1 − change),
    else cycling. Arrays of shape (n,); growth may be NaN where a run did not survive. Noisy runs (networks on
    minibatches, models.convergence) pass a larger `change`."""
    growing, shrinking = growth > 1 + change, growth < 1 - change
    rules = {
        "diverged": ~alive,
        "converged": (distance < tol) & ~growing,
        "stalled": travel < change * distance,
        "diverging": growing,
        "converging": shrinking,
    }
    return np.select(list(rules.values()), list(rules), "cycling")


def status_key() -> str:
    """How the figures draw each status: 'solid blue ●: converged; ...'."""
    return "; ".join(f"{s.look} {s.symbol}: {s.name}" for s in STATUS)
