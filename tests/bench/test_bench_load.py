"""Smoke test of the class load benchmark: 2 students for a few seconds per row (slow: it starts three clusters)."""

import json

import pytest

pytestmark = pytest.mark.slow


def test_bench_load_moves_every_student_without_errors(nginx_present, capsys):
    from bench.bench_load import main

    assert main(["--students", "2", "--seconds", "3", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["page"], r["replicas"]) for r in rows] == [("one-slider page", 1), ("/phase", 1), ("/phase", 2)]
    for r in rows:
        assert r["students"] == 2 and r["moves"] >= 2 and r["errors"] == 0
        assert 0 < r["median_s"] <= r["p95_s"] and r["rss_mib"] > 50
