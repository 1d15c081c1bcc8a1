"""Smoke test of the app benchmark: one move, one session, no results file (slow: it starts two servers)."""

import os
from pathlib import Path

import pytest

from bench.harness import CHROMIUM

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def test_bench_app_runs(capsys):
    if not Path(CHROMIUM).exists():
        if os.environ.get("GDL_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is missing and GDL_REQUIRE_BROWSER=1")
        pytest.skip(f"{CHROMIUM} is missing")
    from bench.bench_app import main

    assert main(["--moves", "2", "--sessions", "2", "--load-moves", "1", "--out", ""]) == 0
    out = capsys.readouterr().out
    assert "phase page, new slider value" in out and "baseline" in out and "load: 2 concurrent" in out
