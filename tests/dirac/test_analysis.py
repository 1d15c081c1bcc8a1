"""The typed analysis: attributes, its JSON form, status counts from the run, and the one text formatter."""

import json

import numpy as np

from dynamics.contracts import to_jsonable
from dynamics.dirac.analysis import Analysis, TrajectoryRow, analyze
from dynamics.dirac.field import make_objective
from dynamics.dirac.optimizers import Optimizer
from dynamics.dirac.report import describe
from dynamics.dirac.status import STATUSES
from dynamics.dirac.trajectories import Schedule


def test_attributes_and_json_agree():
    obj = make_objective("gan", "r1", gamma=0.3)
    a = analyze(obj, Schedule(0.2, 0.2, "alt", rounds=300), Optimizer(), [(-1.0, 0.7), (1.0, 1.0)], [(0.5, 0.5)])
    assert isinstance(a, Analysis) and isinstance(a.trajectories[0], TrajectoryRow)
    assert a.verdict.continuous == "locally convergent" and a.verdict.discrete == "converges"
    assert 0.9 < a.update.spectral_radius < 1 and a.update.eigenvalues.shape == (2,)
    out = a.to_json()
    assert json.loads(json.dumps(out, allow_nan=False)) == out  # JSON-ready as it is
    assert out == to_jsonable(out)
    assert out["update"]["spectral_radius"] == a.update.spectral_radius
    assert [t["steps"] for t in out["trajectories"]] == [r.rounds for r in a.trajectories] == [300, 300]
    assert out["field"][0]["point"] == [0.5, 0.5] and "sides" not in out and "note" not in out


def test_counts_come_from_the_run():
    obj = make_objective("wgan")
    starts = [(1.0, 1.0), (0.5, 0.0), (0.0, 0.2)]
    a = analyze(obj, Schedule(0.5, 0.5, rounds=400), Optimizer(), starts)
    assert a.counts() == a.run.counts() == {**dict.fromkeys(STATUSES, 0), "diverged": 3}
    assert list(a.counts()) == list(STATUSES)
    empty = analyze(obj, Schedule(), Optimizer(), np.zeros((0, 2)))
    assert empty.run is None and empty.trajectories == () and empty.counts() == dict.fromkeys(STATUSES, 0)


def test_non_smooth_sides_and_clip_note():
    a = analyze(make_objective("wgan-gp", clip=0.5), Schedule(), Optimizer(), [(1.0, 1.0)])
    assert a.jacobian is None and a.eigenvalues is None and {s.where for s in a.sides} == {"psi > 0", "psi < 0"}
    assert "clipping" in a.note and a.to_json()["note"] == a.note
    assert [s["where"] for s in a.to_json()["sides"]] == [s.where for s in a.sides]


def test_brief_description_is_a_subset_of_the_full_one():
    """The phase page shows describe(detail=False); every line but the counts is (the start of) a CLI line."""
    obj = make_objective("gan", "r1", gamma=0.3)
    a = analyze(obj, Schedule(0.1, 0.1, "alt"), Optimizer(), [(1.0, 1.0), (-1.0, 0.5)])
    full, brief = describe(a), describe(a, detail=False)
    assert brief[-1] == "trajectories: 2 starts: 2 converged"  # the statuses that occur
    for line in brief[:-1]:
        assert any(f.startswith(line) for f in full), line
    assert not any(line.startswith("trajectories:") for line in full)  # ≤ 10 rows: the rows themselves
    assert len([line for line in full if line.startswith("  start (")]) == 2
    many = analyze(obj, Schedule(0.1, 0.1, rounds=20), Optimizer(), np.full((12, 2), 0.1))
    assert "trajectories: 12 starts: " in "\n".join(describe(many))
