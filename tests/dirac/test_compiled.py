"""The compiled sweep must give the numpy path's results exactly (same field, same rounds, same status)."""

import itertools

import numpy as np
import pytest

import dynamics.dirac.trajectories as trajectories
from dynamics.dirac.objectives import LOSSES, make_objective
from dynamics.dirac.trajectories import Schedule, grid_starts, simulate


def both_paths(obj, starts, schedule, bound=1e4):
    saved = trajectories.COMPILED_MIN_WORK
    try:
        trajectories.COMPILED_MIN_WORK = 1
        fast = simulate(obj, starts, schedule, record=False, bound=bound)
        trajectories.COMPILED_MIN_WORK = 10**15
        slow = simulate(obj, starts, schedule, record=False, bound=bound)
    finally:
        trajectories.COMPILED_MIN_WORK = saved
    return fast, slow


def assert_same(fast, slow):
    np.testing.assert_allclose(fast.end, slow.end, rtol=1e-9, atol=1e-12)
    np.testing.assert_array_equal(fast.status, slow.status)
    np.testing.assert_array_equal(fast.rounds_run, slow.rounds_run)
    np.testing.assert_array_equal(fast.trend, slow.trend)


CASES = [
    ("gan", "r1", Schedule(0.1, 0.1, "alt", rounds=400), None),
    ("wgan", "none", Schedule(0.5, 0.5, "sim", rounds=300), None),  # every run diverges
    ("wgan-gp", "none", Schedule(0.1, 0.2, "alt", g_steps=2, d_steps=3, rounds=300), None),
    ("wgan", "none", Schedule(0.1, 0.1, "sim", rounds=300), 0.4),  # clipping
    ("loss-sensitive", "consensus", Schedule(0.05, 0.05, "sim", rounds=300), None),
]


@pytest.mark.parametrize(("loss", "reg", "schedule", "clip"), CASES)
def test_compiled_sweep_equals_numpy_path(loss, reg, schedule, clip):
    obj = make_objective(loss, reg, gamma=0.5, clip=clip)
    fast, slow = both_paths(obj, grid_starts(12, (-2, 2, -2, 2)), schedule, bound=1e3)
    assert_same(fast, slow)


@pytest.mark.slow
@pytest.mark.parametrize(("loss", "reg"), list(itertools.product(LOSSES, ["none", "r1", "r2", "consensus"])))
def test_compiled_sweep_equals_numpy_path_everywhere(loss, reg):
    obj = make_objective(loss, reg, gamma=0.7, target=0.8)
    for schedule in (Schedule(0.1, 0.1, "sim", rounds=200), Schedule(0.2, 0.1, "alt", rounds=200)):
        assert_same(*both_paths(obj, grid_starts(10, (-2, 2, -2, 2)), schedule))


def test_large_gd_sweeps_take_the_compiled_path(monkeypatch):
    calls = []
    import dynamics.dirac.compiled

    original = dynamics.dirac.compiled.sweep
    monkeypatch.setattr(dynamics.dirac.compiled, "sweep", lambda *a, **k: calls.append(1) or original(*a, **k))
    simulate(make_objective("gan", "r1"), grid_starts(40, (-1, 1, -1, 1)), Schedule(rounds=1250), record=False)
    assert calls == [1]
    simulate(make_objective("gan", "instance-noise"), [(1, 1)], Schedule(rounds=10), record=False)
    assert calls == [1]
