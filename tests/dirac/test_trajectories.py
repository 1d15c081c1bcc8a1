"""Batched trajectories: status detection, clean divergence, closed orbits, agreement with a plain loop and with
the continuous-time flow."""

import math
import re

import numpy as np
import pytest

from dynamics.dirac.field import make_objective
from dynamics.dirac.optimizers import Optimizer, init_state, play_round
from dynamics.dirac.trajectories import Schedule, flow, grid_starts, simulate


def test_statuses():
    starts = [(1.0, 1.0), (-1.0, 0.7)]
    conv = simulate(make_objective("gan", "r1", gamma=0.5), starts, Schedule(0.2, 0.2, rounds=500))
    assert list(conv.status) == ["converged", "converged"] and np.all(conv.distance < 1e-3)
    cyc = simulate(make_objective("gan"), starts, Schedule(0.1, 0.1, "alt", rounds=500))
    assert list(cyc.status) == ["cycling", "cycling"]
    div = simulate(make_objective("wgan"), starts, Schedule(0.5, 0.5, rounds=500))
    assert list(div.status) == ["diverged", "diverged"]


def test_divergence_stops_cleanly_without_nan():
    run = simulate(make_objective("wgan"), [(1.0, 1.0)], Schedule(0.5, 0.5, rounds=2000), bound=1e3)
    assert run.status[0] == "diverged" and np.isnan(run.growth[0])
    # |1 + h·i| = √1.25 per step: r_k = √2·1.25^(k/2) passes 10³ after k = 59 steps
    assert run.rounds_run[0] == math.ceil(2 * math.log(1e3 / math.sqrt(2)) / math.log(1.25)) - 1
    assert np.all(np.isfinite(run.path)) and np.all(np.isfinite(run.end))
    assert np.hypot(*run.end[0]) <= 1e3
    assert len(run.paths()[0]) == run.rounds_run[0] + 1


def test_alternating_gd_stays_on_a_closed_orbit():
    """Mescheder et al. 2018: alternating GD on the unregularized Dirac-GAN neither converges nor diverges for
    small steps; the distance to (0, 0) keeps oscillating within the same band."""
    run = simulate(make_objective("gan"), [(1.0, 0.0)], Schedule(0.05, 0.05, "alt", rounds=20000))
    r = np.hypot(run.path[:, 0, 0], run.path[:, 0, 1])
    first, last = r[:5000], r[-5000:]
    assert last.max() == pytest.approx(first.max(), rel=2e-3)
    assert last.min() == pytest.approx(first.min(), rel=2e-3)
    assert run.status[0] == "cycling" and run.growth[0] == pytest.approx(1, abs=0.01)


@pytest.mark.parametrize("engine", ["numpy", "compiled"])
def test_alternating_gd_on_the_gan_ends_where_a_hand_written_loop_does(engine):
    """The phase page's exercise phase_alt_cycle: 500 alternating GD rounds on the GAN from (1, 1) at h = 0.1 (the
    page's call). 1.41544436227066 is the plain float loop of tests/app/test_app.py (EXERCISES), computed once."""
    run = simulate(make_objective("gan"), [(1, 1)], Schedule(0.1, 0.1, "alt"), Optimizer(), record=False, engine=engine)
    assert run.distance[0] == pytest.approx(1.41544436227066, rel=1e-9)


def test_simultaneous_gd_spirals_out_on_wgan_exactly():
    """Simultaneous GD on WGAN multiplies the distance by √(1 + h²) every step (I + hJ is a scaled rotation)."""
    h, n = 0.1, 200
    run = simulate(make_objective("wgan"), [(0.3, 0.4)], Schedule(h, h, rounds=n))
    assert run.distance[0] == pytest.approx(0.5 * (1 + h * h) ** (n / 2), rel=1e-12)


def plain_loop_r1(th, ps, gamma, h, rounds):
    """Alternating GD on gan+r1 written by hand with floats and math (v from Mescheder et al. 2018)."""
    for _ in range(rounds):
        th += h * (-ps / (1 + math.exp(ps * th)))
        ps += h * (th / (1 + math.exp(ps * th)) - gamma * ps)
    return th, ps


@pytest.mark.parametrize("engine", ["numpy", "compiled"])
def test_batched_alternating_run_matches_a_plain_loop(engine):
    starts = grid_starts(5, (-2, 2, -2, 2))
    schedule = Schedule(0.1, 0.1, "alt", rounds=300)
    run = simulate(make_objective("gan", "r1", gamma=0.3), starts, schedule, record=False, engine=engine)
    expected = [plain_loop_r1(th, ps, 0.3, 0.1, 300) for th, ps in starts]
    np.testing.assert_allclose(run.end, expected, rtol=1e-10, atol=1e-13)


def test_small_steps_follow_the_continuous_flow():
    obj = make_objective("gan", "r1", gamma=0.3)
    t_end = 5.0
    exact = flow(obj, (1.0, 1.0), t_end, n_points=2)[-1]
    errors = []
    for h in (0.01, 0.005):
        end = simulate(obj, [(1.0, 1.0)], Schedule(h, h, rounds=round(t_end / h)), record=False).end[0]
        errors.append(np.linalg.norm(end - exact))
    assert errors[0] < 5e-3
    assert errors[1] == pytest.approx(errors[0] / 2, rel=0.1)  # Euler's method is first order


def test_clipping_keeps_psi_in_the_box():
    run = simulate(make_objective("wgan", clip=0.3), [(1.5, 0.0), (-1.0, 0.2)], Schedule(0.1, 0.1, rounds=400))
    assert np.abs(run.path[:, :, 1]).max() <= 0.3 + 1e-15
    assert np.abs(run.path[:, :, 1]).max() == pytest.approx(0.3)


@pytest.mark.parametrize("name", ["momentum", "adam", "optimistic", "extragradient"])
def test_alternating_rounds_leave_the_idle_player_untouched(name):
    obj = make_objective("gan", "r1")
    opt = Optimizer(name)
    state = init_state(opt, np.array([[0.5, -0.4]]), obj.vector)
    state = play_round(opt, state, obj.vector, (0.1, 0.1), "alt", g_steps=0, d_steps=1)  # buffers now non-zero
    after_g = play_round(opt, state, obj.vector, (0.1, 0.1), "alt", g_steps=1, d_steps=0)
    assert after_g[0][0, 1] == state[0][0, 1] and after_g[0][0, 0] != state[0][0, 0]
    for before, after in zip(state[1:], after_g[1:], strict=True):  # the discriminator's buffers too
        assert after[0, 1] == before[0, 1]


def test_adam_takes_normalized_steps():
    """Adam's first step moves each coordinate by ≈ h·sign(v) (m̂/√ŝ = v/|v|)."""
    obj = make_objective("wgan")
    opt = Optimizer("adam")
    x0 = np.array([[0.5, -0.4]])
    state = play_round(opt, init_state(opt, x0, obj.vector), obj.vector, (0.01, 0.01))
    np.testing.assert_allclose(state[0] - x0, 0.01 * np.sign(obj.vector(x0)), rtol=1e-6)


def test_schedule_validation():
    with pytest.raises(ValueError, match=re.escape("lr_g must be a finite number in (0, 100], got -0.1")):
        Schedule(lr_g=-0.1)
    with pytest.raises(ValueError, match="unknown scheme 'both'"):
        Schedule(scheme="both")
    with pytest.raises(ValueError, match=re.escape("d_steps must be an integer in [1, 100], got 0")):
        Schedule(d_steps=0)
    with pytest.raises(ValueError, match=re.escape("rounds must be an integer in [1, 100000], got 2.5")):
        Schedule(rounds=2.5)
    with pytest.raises(ValueError, match="beta must be a finite number in"):
        Optimizer("adam", beta=1.5)


def test_clipped_flow_stays_in_the_box():
    path = flow(make_objective("wgan", clip=0.3), (1.0, 0.0), 10.0)
    assert np.abs(path[:, 1]).max() <= 0.3 + 1e-6
    assert np.abs(path[:, 1]).max() > 0.29


def test_flow_with_unequal_rates_is_the_limit_of_alternating_steps():
    """With h_g ≠ h_d (and g/d steps per round) the limit is ẋ = diag(g·h_g, d·h_d)·v in rounds."""
    obj = make_objective("gan", "r1", gamma=0.3)
    ends = []
    for scale in (1, 2):
        schedule = Schedule(0.005 / scale, 0.02 / scale, "alt", g_steps=2, d_steps=1, rounds=400 * scale)
        ends.append(simulate(obj, [(1.0, 1.0)], schedule, record=False).end[0])
    exact = flow(obj, (1.0, 1.0), 400, n_points=2, speed=(2 * 0.005, 0.02))[-1]
    errors = [np.linalg.norm(e - exact) for e in ends]
    assert errors[0] < 2e-2 and errors[1] == pytest.approx(errors[0] / 2, rel=0.15)


def test_growing_run_near_the_equilibrium_is_diverging_not_converged():
    """Simultaneous GD spirals out of WGAN's equilibrium: even below tol it must not read as converged, and it
    grows ×√(1 + h²) a round, ×1.01^25 over the last quarter of 200 rounds: diverging (it read 'cycling')."""
    run = simulate(make_objective("wgan"), [(1e-4, 0.0)], Schedule(0.1, 0.1, rounds=200))
    assert run.distance[0] < 1e-3 and run.growth[0] == pytest.approx(1.01**25, rel=1e-12)
    assert run.status[0] == "diverging"


@pytest.mark.parametrize(("steps", "lr"), [(100, 0.3), (150, 0.3), (333, 0.3), (100, 0.8), (1000, 0.05)])
def test_closed_orbit_reads_steady_at_any_phase(steps, lr):
    """(At h = 0.8 the orbit of the nonlinear GAN does widen over hundreds of rounds: its peak distance grows
    1.45 → 1.67 → 1.98 over 50, 500, 777 rounds — there "growing" is the right word.)"""
    run = simulate(make_objective("gan"), [(1.0, 1.0)], Schedule(lr, lr, "alt", rounds=steps))
    assert abs(run.growth[0] - 1) <= 0.01 and run.status[0] == "cycling"


def test_one_round_compares_start_and_end():
    run = simulate(make_objective("gan", "r1", gamma=2.0), [(1.0, 1.0)], Schedule(0.1, 0.1, rounds=1))
    # one simultaneous step of v = (−ψσ(−θψ), θσ(−θψ) − γψ) from (1, 1): σ(−1) = 1/(1 + e)
    s = 1 / (1 + math.e)
    end = (1 - 0.1 * s, 1 + 0.1 * (s - 2.0))
    assert run.distance[0] == pytest.approx(math.hypot(*end), rel=1e-12)
    assert run.growth[0] == pytest.approx(math.hypot(*end) / math.sqrt(2), rel=1e-12)
    assert run.status[0] == "converging"
