"""Trajectory statuses: the one table, the rule on hand-made trajectories of known growth, and the verdict and
statuses of the cases issue 10 item 5 named, which must not contradict each other."""

import math
from types import SimpleNamespace

import numpy as np
import pytest

from dynamics.dirac.analysis import analyze
from dynamics.dirac.field import make_objective
from dynamics.dirac.optimizers import Optimizer
from dynamics.dirac.plotting import STATUS_STYLE
from dynamics.dirac.report import describe, local_rate
from dynamics.dirac.status import STATUS, STATUSES, status_key
from dynamics.dirac.trajectories import Schedule, simulate

H = 0.1


class Linear:
    """A hand-made objective: with simultaneous GD at step H one round is x ← s·R(φ)·x exactly, so r is
    multiplied by s a round (v = (s·R(φ) − I)·x / H); `nan` makes the field non-finite."""

    params: dict = {}
    regularizer = SimpleNamespace(noisy=False)

    def __init__(self, scale: float, turn: float = 0.3, nan: bool = False):
        c, s = math.cos(turn), math.sin(turn)
        self.M = scale * np.array([[c, -s], [s, c]])
        self.nan = nan

    def vector(self, x):
        v = (x @ self.M.T - x) / H
        return v * np.nan if self.nan else v


def run_of(scale, start=(1.0, 0.0), rounds=500, **kwargs):
    return simulate(Linear(scale, **kwargs), [start], Schedule(H, H, rounds=rounds), engine="numpy")


# (scale per round, start, turn per round, expected): growth over a quarter of 500 rounds is scale^125.
HAND_MADE = [
    (0.9, (1.0, 0.0), 0.3, "converged"),  # r = 0.9^500 ≈ 1e-23
    (0.999, (1.0, 0.0), 0.3, "converging"),  # r = 0.999^500 = 0.61, growth 0.999^125 = 0.88
    (0.98 ** (1 / 125), (1.0, 0.0), 0.3, "converging"),  # growth 0.98: past 1 − 1 %
    (0.995 ** (1 / 125), (1.0, 0.0), 0.3, "cycling"),  # growth 0.995: within 1 %
    (1.0, (1.0, 0.0), 0.3, "cycling"),  # r = 1 throughout
    (1.005 ** (1 / 125), (1.0, 0.0), 0.3, "cycling"),  # growth 1.005: within 1 %
    (1.001, (1.0, 0.0), 0.3, "diverging"),  # growth 1.001^125 = 1.13, r = 1.65
    (1.001, (1e-6, 0.0), 0.3, "diverging"),  # below tol, but growing: not converged
    (1.1, (1.0, 0.0), 0.3, "diverged"),  # r passes 10⁴ after ⌈ln 10⁴ / ln 1.1⌉ = 97 rounds
    (1.0, (1.0, 0.0), 0.0, "stalled"),  # v = 0: never moves
    (1.0, (1.0, 0.0), 5e-5, "stalled"),  # travels 125·5e-5 = 0.6 % of r over the last quarter
    (1.0, (1.0, 0.0), 1e-4, "cycling"),  # travels 125·1e-4 = 1.25 % of r: still moving
]


@pytest.mark.parametrize(("scale", "start", "turn", "expected"), HAND_MADE)
def test_rule_on_hand_made_trajectories(scale, start, turn, expected):
    run = run_of(scale, start, turn=turn)
    assert run.status[0] == expected
    if expected != "diverged":
        assert run.distance[0] == pytest.approx(math.hypot(*start) * scale**500, rel=1e-9)
        assert run.growth[0] == pytest.approx(scale**125, rel=1e-9)


def test_hand_made_divergence():
    run = run_of(1.1)
    assert run.rounds_run[0] == math.ceil(math.log(1e4) / math.log(1.1)) - 1 and np.isnan(run.growth[0])
    nan = run_of(1.0, nan=True)
    assert nan.status[0] == "diverged" and nan.rounds_run[0] == 0 and np.all(np.isfinite(nan.path))


def test_one_table_of_statuses():
    """Every status has its own colour, line style, marker and symbol; the figures and the key use the table."""
    assert STATUSES == ("converged", "converging", "cycling", "stalled", "diverging", "diverged")
    for field in ("color", "marker", "symbol", "look"):
        assert len({getattr(s, field) for s in STATUS}) == len(STATUS), field
    assert len({str(s.linestyle) for s in STATUS}) == len(STATUS)
    for s in STATUS:
        assert STATUS_STYLE[s.name] == {"color": s.color, "linestyle": s.linestyle, "marker": s.marker}
        assert f"{s.look} {s.symbol}: {s.name}" in status_key()


# The cases of issue 10, item 5, with the spectral radius from the eigenvalues of the update at (0, 0), by hand:
# GAN, J = [[0, −½], [½, 0]]: GD  I + hJ → 1 ± 0.05i, |·| = √1.0025; extragradient I + hJ + h²J² →
# 0.9975 ± 0.05i, |·| = √0.99750625.
ISSUE_CASES = [
    ("gan", "none", Schedule(), "gd", math.sqrt(1.0025), "diverges", "diverging"),
    ("gan", "none", Schedule(rounds=2000), "extragradient", math.sqrt(0.99750625), "converges", "converging"),
    ("gan", "r1", Schedule(scheme="alt"), "gd", None, "converges", "converged"),
    ("wgan", "none", Schedule(), "gd", math.sqrt(1.01), "diverges", "diverging"),
]


@pytest.mark.parametrize(("loss", "reg", "schedule", "opt", "radius", "verdict", "status"), ISSUE_CASES)
def test_verdict_and_status_agree(loss, reg, schedule, opt, radius, verdict, status):
    a = analyze(make_objective(loss, reg, gamma=1.0), schedule, Optimizer(opt), [(1.0, 1.0)])
    if radius is not None:
        assert a.update.spectral_radius == pytest.approx(radius, rel=1e-12)
    assert a.verdict.discrete == verdict and a.trajectories[0].status == status
    text = "\n".join(describe(a, detail=False))
    assert f"discrete {verdict} locally" in text and f"trajectories: 1 start: 1 {status}" in text
    assert "cycling" not in text


def test_wgan_grows_by_the_spectral_radius():
    """Simultaneous GD on WGAN multiplies r by √(1 + h²) a round exactly: over a quarter of 500 rounds 1.01^62.5."""
    a = analyze(make_objective("wgan"), Schedule(), Optimizer(), [(1.0, 1.0)])
    assert a.trajectories[0].growth == pytest.approx(1.01**62.5, rel=1e-12)


def test_local_rate_in_words():
    """ρ = √1.0025: r doubles in ln 2 / ln ρ = 2·0.693147 / ln 1.0025 = 555.2 rounds; ρ < 1 halves."""
    assert local_rate(math.sqrt(1.0025), "diverges") == (
        "near (0, 0) the distance grows ×1.00125 per round, doubling in ≈ 555 rounds"
    )
    assert local_rate(0.5, "converges") == "near (0, 0) the distance shrinks ×0.5 per round, halving in ≈ 1 round"
    assert local_rate(1.0, "cycles") == "near (0, 0) the distance neither grows nor shrinks"
    assert local_rate(None, "undefined") == "" and local_rate(0.0, "converges").endswith("within two rounds")
