"""One table of parameter ranges: the core, the CLI and the sliders agree with it."""

import re

import pytest

from dynamics.cli import ranged
from dynamics.contracts import InputError
from dynamics.dirac import ranges
from dynamics.dirac.field import make_objective
from dynamics.dirac.objectives import DEFAULTS
from dynamics.dirac.optimizers import DEFAULT_BETA, Optimizer
from dynamics.dirac.trajectories import Schedule

SCALARS = [ranges.GAMMA, ranges.SIGMA, ranges.TARGET, ranges.CLIP, ranges.LR, ranges.G_STEPS, ranges.D_STEPS]
ALL = [*SCALARS, ranges.ROUNDS, ranges.START_GRID, *ranges.BETA.values()]


@pytest.mark.parametrize("rng", ALL, ids=lambda r: r.name)
def test_slider_lies_within_the_range_and_holds_the_default(rng):
    s = rng.slider
    assert rng.contains(s.high) and (s.low == s.off or rng.contains(s.low))
    default = s.off if rng.default is None else rng.default
    assert s.low <= default <= s.high
    assert isinstance(default, int) == rng.integer  # the slider is an int slider exactly for integer ranges


def test_defaults_are_the_cores_defaults():
    assert DEFAULTS == {"gamma": 1.0, "sigma": 1.0, "target": 1.0, "clip": None}  # docs/conventions.md
    assert DEFAULT_BETA == {"momentum": 0.9, "adam": 0.5}
    s = Schedule()
    assert (s.lr_g, s.lr_d, s.g_steps, s.d_steps, s.rounds) == (0.1, 0.1, 1, 1, 500)


@pytest.mark.parametrize("rng", ALL, ids=lambda r: r.name)
def test_cli_parses_exactly_what_the_range_contains(rng):
    step = 1 if rng.integer else 1e-9 * max(1.0, abs(rng.high))
    ends = [(rng.low, rng.low_open), (rng.high, rng.high_open)]
    inside = [end for end, open_ in ends if not open_] + [rng.high - step, rng.low + step]
    outside = [end for end, open_ in ends if open_] + [rng.high + step, rng.low - step]
    for value in inside:
        assert ranged(repr(value), rng, "--x") == value and rng.contains(value)
    for value in outside:
        assert not rng.contains(value)
        # out of bounds reads 'a finite number in [1, 100]' for integers too, as the CLI always said
        with pytest.raises(InputError, match=re.escape(f"--x must be a finite number in {rng.bounds}, got")):
            ranged(repr(value), rng, "--x")


def test_core_checks_read_the_table():
    with pytest.raises(ValueError, match=re.escape("rounds must be an integer in [1, 100000], got 100001")):
        Schedule(rounds=ranges.ROUNDS.high + 1)
    Schedule(rounds=ranges.ROUNDS.high, g_steps=ranges.G_STEPS.high, lr_g=ranges.LR.high)
    with pytest.raises(ValueError, match=re.escape("gamma must be a finite number in [0, 1e+06], got 2000000.0")):
        make_objective("gan", "r1", gamma=2e6)
    with pytest.raises(ValueError, match=re.escape("beta must be a finite number in [0, 1) for adam, got -0.5")):
        Optimizer("adam", -0.5)
    assert Optimizer("momentum", -1.0).beta == -1.0
    with pytest.raises(ValueError, match="lr_d must be"):
        Schedule(lr_d=True)  # a bool is no number
