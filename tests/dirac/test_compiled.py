"""The compiled sweep must give the numpy path's results exactly (same field, same rounds, same status)."""

import itertools
import math

import numpy as np
import pytest

import dynamics.dirac.compiled as compiled
from dynamics.dirac.field import make_objective
from dynamics.dirac.objectives import LOSSES
from dynamics.dirac.optimizers import Optimizer
from dynamics.dirac.trajectories import COMPILED_MIN_WORK, Schedule, grid_starts, simulate


def both_paths(obj, starts, schedule, bound=1e4):
    fast = simulate(obj, starts, schedule, record=False, bound=bound, engine="compiled")
    slow = simulate(obj, starts, schedule, record=False, bound=bound, engine="numpy")
    return fast, slow


def assert_same(fast, slow):
    np.testing.assert_allclose(fast.end, slow.end, rtol=1e-9, atol=1e-12)
    np.testing.assert_array_equal(fast.status, slow.status)
    np.testing.assert_array_equal(fast.rounds_run, slow.rounds_run)
    np.testing.assert_allclose(fast.growth, slow.growth, rtol=1e-9, equal_nan=True)


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


def compiled_calls() -> int:
    """How many sweeps have run compiled so far (every compiled sweep looks its kernel up in this cache)."""
    info = compiled.compiled_module.cache_info()
    return info.hits + info.misses


def test_engine_auto_runs_large_gd_sweeps_compiled_and_the_rest_with_numpy():
    big, rounds = grid_starts(40, (-1, 1, -1, 1)), 1250
    assert len(big) * rounds == COMPILED_MIN_WORK
    obj = make_objective("gan", "r1")
    before = compiled_calls()
    simulate(obj, big, Schedule(rounds=rounds), record=False)
    assert compiled_calls() == before + 1
    simulate(obj, big, Schedule(rounds=rounds - 1), record=False)  # just under the threshold
    simulate(obj, big, Schedule(rounds=rounds), record=False, engine="numpy")
    simulate(make_objective("gan", "instance-noise"), [(1, 1)], Schedule(rounds=10), record=False)
    assert compiled_calls() == before + 1
    simulate(obj, [(1, 1)], Schedule(rounds=10), record=False, engine="compiled")  # small, but asked for
    assert compiled_calls() == before + 2


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"engine": "numba"}, "engine must be one of 'auto', 'numpy', 'compiled', got 'numba'"),
        ({"engine": "compiled", "record": True}, "engine='compiled' runs plain GD only"),
        ({"engine": "compiled", "opt": Optimizer("momentum")}, "engine='compiled' runs plain GD only"),
        ({"engine": "compiled", "obj": make_objective("gan", "instance-noise")}, "engine='compiled' runs plain GD"),
    ],
)
def test_engine_is_validated(kwargs, message):
    call = {"obj": make_objective("gan"), "starts": [(1.0, 1.0)], "schedule": Schedule(rounds=10), "record": False}
    with pytest.raises(ValueError, match=message):
        simulate(**(call | kwargs))


def test_kernel_exp_is_within_two_ulp_of_math_exp():
    """The kernels' own exp (it vectorizes, libm's does not) against math.exp, over its whole range and edges."""
    exp = compiled.compiled_module("gan", "none").exp
    rng = np.random.default_rng(3)
    xs = np.concatenate([rng.uniform(-745, 709.7, 20_000), rng.uniform(-1, 1, 20_000), np.arange(-20, 21) * np.log(2)])
    for x in xs:
        expected = math.exp(x)
        assert abs(exp(x) - expected) <= 2 * math.ulp(expected), x
    assert [exp(x) for x in (710.0, math.inf, -746.0, -math.inf, 0.0)] == [math.inf, math.inf, 0.0, 0.0, 1.0]
    assert math.isnan(exp(math.nan))


def test_sweeps_from_several_threads_equal_the_sequential_ones():
    """App sessions sweep from their own threads: the parallel kernel must give each its own result."""
    from concurrent.futures import ThreadPoolExecutor

    objs = [make_objective("gan", "r1", gamma=g) for g in (0.1, 0.5, 1.0, 2.0)]
    starts, schedule = grid_starts(12, (-2, 2, -2, 2)), Schedule(0.1, 0.1, "alt", rounds=300)

    def run(obj):
        return simulate(obj, starts, schedule, record=False, engine="compiled")

    sequential = [run(obj) for obj in objs]
    with ThreadPoolExecutor(4) as pool:
        concurrent = list(pool.map(run, objs))
    for a, b in zip(sequential, concurrent, strict=True):
        np.testing.assert_array_equal(a.end, b.end)
        np.testing.assert_array_equal(a.status, b.status)
    assert len({tuple(r.end[0]) for r in sequential}) == len(objs)  # four different sweeps, not one result
