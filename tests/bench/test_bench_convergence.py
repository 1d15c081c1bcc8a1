"""The convergence benchmark runs end to end (a tiny grid, without Ray) and reports ratios against one by one."""

import json

import pytest

from bench import bench_convergence


def test_table_has_ratios_against_one_by_one(capsys):
    bench_convergence.main(["--family", "dirac", "--grid", "2", "--steps", "8", "--sample", "2", "--no-ray", "--json"])
    out = json.loads(capsys.readouterr().out)
    rows = {r["way"]: r for r in out["rows"]}
    assert list(rows) == ["one by one", "vectorized (torch.func.vmap)"] and out["gans"] == 4
    assert rows["one by one"]["vs_one_by_one"] == 1.0
    vec = rows["vectorized (torch.func.vmap)"]
    assert vec["vs_one_by_one"] == pytest.approx(rows["one by one"]["seconds"] / vec["seconds"])
    assert rows["one by one"]["measured"] == "2 of 4 GANs timed, × 2"
