"""Smoke test of the chart-means browser benchmark: every means draws, updates and takes hover moves (slow: a
server and Chromium)."""

import re

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def test_bench_chart_frames_measures_every_means(capsys):
    from bench.bench_chart_frames import main

    assert main(["--moves", "1", "--hovers", "3"]) == 0
    rows = [line for line in capsys.readouterr().out.splitlines() if line.startswith("| ") and "ms" not in line]
    assert [r.split(" | ")[0][2:] for r in rows] == ["canvas", "altair", "plotly"]
    for row in rows:
        numbers = [float(v) for v in re.findall(r"\d+\.?\d*(?=×? )", row)]
        assert len(numbers) == 6 and all(v > 0 for v in numbers), row
