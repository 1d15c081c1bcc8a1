"""models.convergence.classify on hand-made trajectories: each status of the rule, the Dirac-GAN distance, the
mlp family's noise floor, and the map's three classes."""

import numpy as np
import pytest

from models.convergence.classify import RULES, Rule, classify, distance, map_class, observed

ROUNDS = np.arange(201)


def spiral(rate, radius=1.0, turn=0.3):
    """θ_t, ψ_t on a spiral r·rate^t (rate 1: a circle): as the dirac family reads them (mean θ, std 0, |ψ|)."""
    r = radius * rate**ROUNDS
    theta, psi = r * np.cos(turn * ROUNDS), r * np.sin(turn * ROUNDS)
    return theta, np.zeros_like(theta), np.abs(psi)


def judge(*runs, rule=RULES["dirac"], target_std=0.0):
    mean, std, grad = (np.stack([run[k] for run in runs]) for k in range(3))
    return list(classify(mean, std, grad, rule, target_std))


def test_distance_is_the_dirac_gans_and_the_gaussians_w2():
    assert distance(np.array(3.0), np.array(0.0), np.array(4.0)) == 5.0  # √(θ² + ψ²)
    # N(m, s²) against N(0, s₀²): W2² = m² + (s − s₀)²; with D's gradient g added in quadrature
    assert distance(np.array(1.0), np.array(3.0), np.array(2.0), target_std=1.0) == pytest.approx(3.0)


def test_each_status_of_the_dirac_rule():
    runs = {
        "converged": spiral(0.95),  # ends at 0.95^200 ≈ 3.5e-5 < 1e-3
        "converging": spiral(0.995),  # 0.37 at the end, peaks shrink ×0.78 per quarter
        "cycling": spiral(1.0),  # a circle
        "diverging": spiral(1.004),  # grows ×1.2 per quarter, still below 1e4
        "diverged": spiral(1.06),  # passes 1e4
        "stalled": (np.full(201, 0.5), np.zeros(201), np.full(201, 0.2)),  # stuck away from (0, 0)
    }
    assert judge(*runs.values()) == list(runs)


def test_non_finite_is_diverged_and_a_large_shrinking_orbit_is_cycling():
    nan = spiral(0.9)
    nan[0][150:] = np.nan
    # peaks shrink by 2 % per quarter, but at ≈ 6, far beyond the start (√2 ≈ 1.41): a large orbit, not convergence
    theta = 6 * 0.9999**ROUNDS * np.cos(0.3 * ROUNDS)
    orbit = (
        np.concatenate([[1.0], theta[1:]]),
        np.zeros(201),
        np.concatenate([[1.0], np.abs(6 * np.sin(0.3 * ROUNDS[1:]))]),
    )
    assert judge(nan, orbit) == ["diverged", "cycling"]


def test_mlp_noise_floor_counts_as_converged():
    rng = np.random.default_rng(0)
    decay = 0.98**ROUNDS
    floor = 0.05 * np.abs(rng.standard_normal(201))  # a minibatch's ups and downs below tol
    converged = (decay + floor, 0.01 + 0 * decay, 0.5 * decay + floor)
    noisy_far = (0.6 + 0.1 * rng.standard_normal(201), 0.01 + 0 * decay, 0.5 + 0 * decay)  # stays at r ≈ 0.8
    blown = (np.exp(ROUNDS / 10.0), 0 * decay, 0 * decay)
    assert judge(converged, noisy_far, blown, rule=RULES["mlp"], target_std=0.01) == [
        "converged",
        "cycling",
        "diverged",
    ]
    # the dirac rule (tol 1e-3, change 1 %) would not call the noisy floor converged
    assert judge(converged, rule=RULES["dirac"], target_std=0.01) != ["converged"]


def test_relative_tolerance_scales_with_the_start():
    run = (np.concatenate([[10.0], np.full(200, 2.0)]), np.zeros(201), np.zeros(201))
    rule = Rule(0.25, 0.1, relative=True)  # tol = 0.25 · 10 = 2.5 > 2
    assert judge(run, rule=rule) == ["converged"]
    assert judge(run, rule=Rule(0.25, 0.1)) == ["stalled"]


def test_observed_and_classes():
    names = ["converged", "converging", "cycling", "stalled", "diverging", "diverged"]
    assert list(observed(np.array(names))) == [True, True, False, False, False, False]
    assert [map_class(n) for n in names] == ["converged"] * 2 + ["cycling"] * 2 + ["diverged"] * 2
