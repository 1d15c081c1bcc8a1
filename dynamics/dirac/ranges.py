"""The one table of Dirac-GAN parameter ranges: what the core accepts, the CLI parses and the sliders show.

Every `Range` is what the library accepts: `Schedule`, `Optimizer` and `make_objective` check their values
against it, and `python -m dynamics.phase` parses its flags with it (dynamics.cli.ranged), so the CLI takes
exactly what the core takes. Its `slider` is what the app's control shows, and most sliders deliberately show a
narrower span than the core accepts; the table below is the one place that says so.

The slider spans are those the pages have always shown; for rounds and grid sizes they also bound the work
of one slider move (the 300 ms target of bench/RESULTS_app.md). The URL accepts only what the slider shows
(ui.controls); the CLI reaches the whole range. A slider whose top is lowered for a shared server says so
(`Slider.cap`, shown as the control's help), and the work budget at the end bounds what rounds × steps × starts
× objectives may cost together (bench/bench_limits.py measures every page at its limits).
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

from dynamics.contracts import InputError, bounds, interval

SHARED = "keeps a shared server responsive"


@dataclass(frozen=True)
class Slider:
    """What the app's control shows: [low, high] in steps of `step`. `off` is a value that stands for None
    ("not set", e.g. no clipping) and may sit on an excluded end of the core's range."""

    low: float
    high: float
    step: float
    off: float | None = None
    cap: str | None = None  # what holds the top down on a shared server; shown as the control's help

    @property
    def note(self) -> str | None:
        """The cap as the control's help text shows it: 'max 40: keeps a shared server responsive …'."""
        return None if self.cap is None else f"max {self.high:g}: {self.cap}"


@dataclass(frozen=True)
class Range:
    """The values a parameter accepts: [low, high] (an end excluded when low_open / high_open), integers when
    `integer`; `default` where it has one; `none` says what None means where None is allowed."""

    name: str
    low: float
    high: float
    default: float | int | None
    integer: bool = False
    low_open: bool = False
    high_open: bool = False
    slider: Slider | None = None
    none: str | None = None

    def __post_init__(self):
        s = self.slider
        if s is not None:
            low = s.low if s.off is None or s.off != s.low else s.low + s.step
            if not (self.contains(low) and self.contains(s.high)):  # a programming error, kept under python -O
                raise ValueError(f"{self.name}: slider outside the range")

    @property
    def bounds(self) -> str:
        """'(0, 100]', '[1, 100]'."""
        return bounds(self.low, self.high, self.low_open, self.high_open, self.integer)

    @property
    def allowed(self) -> str:
        """'a finite number in (0, 100]', 'an integer in [1, 100]' (and what None means, if it is allowed)."""
        text = interval(self.low, self.high, self.low_open, self.high_open, self.integer)
        return text if self.none is None else f"{text} (or None: {self.none})"

    def contains(self, value) -> bool:
        kind = numbers.Integral if self.integer else numbers.Real
        if not isinstance(value, kind) or isinstance(value, bool) or not math.isfinite(value):
            return False
        above = value > self.low if self.low_open else value >= self.low
        below = value < self.high if self.high_open else value <= self.high
        return above and below

    def check(self, value, name: str | None = None):
        """`value` unchanged if allowed, else InputError (a ValueError) naming it and the allowed range."""
        if not self.contains(value):
            raise InputError(f"{name or self.name} must be {self.allowed}, got {value!r}")
        return value


GAMMA = Range("gamma", 0.0, 1e6, 1.0, slider=Slider(0.0, 10.0, 0.05))
SIGMA = Range("sigma", 0.0, 100.0, 1.0, slider=Slider(0.0, 3.0, 0.05))
TARGET = Range("target", 0.0, 1e6, 1.0, slider=Slider(0.0, 3.0, 0.05))
CLIP = Range("clip", 0.0, 1e6, None, low_open=True, slider=Slider(0.0, 3.0, 0.05, off=0.0), none="no clipping")
LR = Range("lr", 0.0, 100.0, 0.1, low_open=True, slider=Slider(0.01, 2.0, 0.01))  # lr_g and lr_d alike
G_STEPS = Range("g_steps", 1, 100, 1, integer=True, slider=Slider(1, 10, 1))
D_STEPS = Range("d_steps", 1, 100, 1, integer=True, slider=Slider(1, 10, 1))
ROUNDS = Range(  # CLI --steps, URL steps; the app runs fewer where the work budget below would be passed
    "rounds",
    1,
    100_000,
    500,
    integer=True,
    slider=Slider(10, 2000, 10, cap="fewer run for many starts, steps or objectives"),
)
BETA = {  # momentum β (negative: Gidel et al. 2019) and Adam's β₁; optimizers without β keep 0 in [0, 1)
    "momentum": Range("beta", -1.0, 1.0, 0.9, high_open=True, slider=Slider(0.0, 0.99, 0.01)),
    "adam": Range("beta", 0.0, 1.0, 0.5, high_open=True, slider=Slider(0.0, 0.99, 0.01)),
}
# n×n starting points (a basin map); the CLI draws none unless asked (--start-grid), the app's default is 16.
START_GRID = Range("start_grid", 2, 256, 16, integer=True, slider=Slider(4, 40, 1))

# objectives side by side in the app's compare mode, of the 7 losses × 5 regularizers (the CLI takes any number)
COMPARE = Range("compare", 1, 35, 6, integer=True, slider=Slider(1, 12, 1, cap=SHARED))

OBJECTIVE = {r.name: r for r in (GAMMA, SIGMA, TARGET, CLIP)}  # make_objective's parameters


# ---------- the app's work budget: what one page answer may cost on a shared server ----------
#
# A phase portrait's simulation costs about  calls × (a + n·b)  seconds, where calls = rounds × steps per round ×
# field evaluations per step (2 for extragradient) and n is the number of starting points; a and b, per regularizer,
# were measured on the project's 2-core server (bench/RESULTS.md, "Pages at their limits"). Instance noise (a
# quadrature per evaluation) and consensus (the field's own gradient) cost far more than the others.
CALL_COST = {"instance-noise": (80e-6, 2.9e-6), "consensus": (37e-6, 2.1e-6)}
SMOOTH_COST = (14e-6, 0.02e-6)  # every other regularizer
BUDGET_S = 4.0  # seconds of simulation per answer: the page, its figure and other sessions need the rest of 10 s


def seconds_per_round(regs, n_starts: int, steps_per_round: int, evals_per_step: int) -> float:
    """The estimated simulation time of one round for objectives with these regularizers (summed: compare mode)."""
    calls = steps_per_round * evals_per_step
    return sum(calls * (a + n_starts * b) for a, b in (CALL_COST.get(reg, SMOOTH_COST) for reg in regs))


def affordable_rounds(rounds: int, regs, n_starts: int, steps_per_round: int, evals_per_step: int) -> int:
    """`rounds`, or fewer (at least ROUNDS.slider.low) where their estimated time would pass BUDGET_S."""
    per_round = seconds_per_round(regs, n_starts, steps_per_round, evals_per_step)
    if per_round * rounds <= BUDGET_S:
        return rounds
    return int(max(ROUNDS.slider.low, BUDGET_S // per_round))
