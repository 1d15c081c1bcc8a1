"""ui.convergence: the overlay's counts and sentences on a hand-made map, the boundary cells, the live setup."""

from dataclasses import replace

import numpy as np
import pytest

from dynamics.contracts import InputError
from dynamics.dirac.field import make_objective
from dynamics.dirac.optimizers import Optimizer
from dynamics.dirac.trajectories import Schedule
from models.convergence.engine import Setup
from models.convergence.maps import ConvergenceMap
from ui.convergence import border_cells, live_setup, overlay


def hand_map(predicted, status) -> ConvergenceMap:
    predicted, status = np.array(predicted, bool), np.array(status, str)
    n_rows, n_cols = predicted.shape
    radius = np.where(predicted, 0.5, 1.5)
    radius[0, 1] = 0.98  # the one predicted cell that parts (below) has ρ = 0.98
    return ConvergenceMap(
        Setup(),
        lr=np.array([0.1, 1.0, 10.0])[:n_cols],
        param=np.array([0.2, 2.0, 20.0])[:n_rows],
        critical=np.full(n_rows, np.nan),
        radius=radius,
        predicted=predicted,
        status=status,
        distance=np.zeros(predicted.shape),
        seconds=1.0,
        sequential_seconds=None,
        sample=0,
        sample_same=None,
        backend="vectorized",
        chunks=1,
        note="",
    )


def test_border_cells():
    predicted = np.array([[1, 1, 0], [1, 0, 0], [1, 0, 0]], bool)
    expected = np.array([[0, 1, 1], [1, 1, 0], [1, 1, 0]], bool)
    assert np.array_equal(border_cells(predicted), expected)
    assert not border_cells(np.ones((3, 4), bool)).any()


def test_overlay_counts_and_sentences():
    # rows γ = 0.2, 2, 20; columns h = 0.1, 1, 10. Cells that part: (0, 1) predicted but cycling,
    # (2, 2) not predicted but converging (far from the boundary: every neighbour is predicted not to converge).
    predicted = [[1, 1, 0], [1, 0, 0], [1, 0, 0]]
    status = [
        ["converged", "cycling", "diverged"],
        ["converging", "diverged", "diverging"],
        ["converged", "stalled", "converging"],
    ]
    o = overlay(hand_map(predicted, status))
    assert (o.cells, o.both, o.neither, o.theory_only, o.networks_only, o.border) == (9, 3, 4, 1, 1, 1)
    assert o.agree.startswith("They agree on 7 of 9 GANs (77.8%): 3 converge") and "4 do not converge" in o.agree
    assert "They part on 2 GANs: 1 where the core predicts convergence but the networks do not (cycling 1)" in o.part
    assert "1 where the networks converge although the core predicts they do not" in o.part
    assert "next to the core's boundary (a neighbouring cell predicted otherwise): 1 of 2;" in o.part
    assert "at γ 0.2–20, h 1–10, where the core's ρ is 0.98–1.5." in o.part


def test_overlay_of_a_perfect_map():
    o = overlay(hand_map([[1, 0], [1, 0]], [["converged", "diverged"], ["converging", "cycling"]]))
    assert (o.both, o.neither, o.theory_only, o.networks_only, o.border) == (2, 2, 0, 0, 0)
    assert "(100.0%)" in o.agree and o.part.startswith("They part nowhere")


def test_live_setup_follows_the_page():
    setup = live_setup(make_objective("nsgan", "r2", gamma=0.3), Optimizer("momentum"), Schedule(scheme="alt"))
    assert setup == Setup("dirac", "nsgan", "r2", "momentum", "alt")
    with pytest.raises(InputError, match="optimizer is adam"):
        live_setup(make_objective("gan", "r1", gamma=0.3), Optimizer("adam"), Schedule())
    with pytest.raises(InputError, match="--reg none has no γ or σ"):
        live_setup(make_objective("gan"), Optimizer(), Schedule())


def test_overlay_says_why_from_the_effective_parameters():
    """The 3 × 3 map above with effective parameters: (2, 2) converges beyond the boundary and is stable at its end
    rates (gain_D 0.001: h·gain_D·γ = 10·0.001·20 = 0.2 against h·γ = 200); (0, 1) fails inside it and is unstable
    at its start rates; |D''| = 0.1 over a spread 0.01, 0.2 at (2, 2)."""
    from models.convergence.effective import NAMES

    m = hand_map(
        [[1, 1, 0], [1, 0, 0], [1, 0, 0]],
        [
            ["converged", "cycling", "diverged"],
            ["converging", "diverged", "diverging"],
            ["converged", "stalled", "converging"],
        ],
    )
    at = {name: i for i, name in enumerate(NAMES)}
    start, end = np.ones((3, 3, len(NAMES))), np.ones((3, 3, len(NAMES)))
    start[..., at["gain_g"]], start[..., at["gain_d"]] = 2.5, 0.8
    end[..., at["gain_d"]] = 0.5
    end[2, 2, at["gain_d"]] = 0.001
    end[..., at["curvature"]], end[..., at["spread"]] = -0.1, 0.01
    end[2, 2, at["curvature"]] = 0.2
    corrected = np.where(m.predicted, 0.5, 1.5)
    corrected[2, 2] = 0.5
    at_start = np.full((3, 3), 0.5)
    at_start[0, 1] = 1.2
    with_why = replace(
        m, setup=Setup(family="mlp"), start=start, end=end, corrected_radius=corrected, start_radius=at_start
    )
    assert overlay(m).why is None and overlay(replace(with_why, setup=Setup())).why is None  # none for the Dirac-GAN
    why = overlay(with_why).why
    assert why.startswith("Why: a network moves G's mean θ at h·gain_G and D's slope ψ at h·gain_D, not at h as")
    assert "(at the start gain_G ≈ 2.5, gain_D ≈ 0.8)" in why
    assert "1 of the 1 runs that converge beyond the core's boundary are stable at their own end rates" in why
    assert "(there gain_D ≈ 0.001: h·gain_D·γ = 0.2, not h·γ = 2e+02)" in why
    assert "1 of the 1 runs that fail inside it are already unstable at their start rates" in why
    assert why.endswith("by a median |D''|·spread = 0.001 where both converge, 0.002 beyond the boundary.")
    assert with_why.agreement_corrected == pytest.approx(8 / 9)
    assert with_why.agreement_start == pytest.approx(5 / 9)  # every cell but (0, 1) predicted at the start's rates
