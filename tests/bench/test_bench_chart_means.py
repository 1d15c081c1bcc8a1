"""The chart-means benchmark: a bad --reps is refused with exit status 2; one rep of each means runs (slow)."""

import pytest

from bench.bench_chart_means import main


def test_bad_reps_is_refused(capsys):
    with pytest.raises(SystemExit) as e:
        main(["--reps", "0"])
    assert e.value.code == 2 and "--reps 0: must be in [1, 1000]" in capsys.readouterr().err


@pytest.mark.slow
def test_one_rep_of_each_means(capsys):
    assert main(["--reps", "1"]) == 0
    out = capsys.readouterr().out
    for means in ("st.components.v2 canvas (ui.charts)", "Altair / Vega-Lite", "Plotly"):
        assert out.count(f"| {means} |") == 2, out
