"""ui/live_charts.py: the streamed history protocol (what a fresh component, a tick, a skipped tick, a full rerun, a
gap and a new run get) and the live charts' values against independent computations on short real runs."""

import json
import math
from types import SimpleNamespace

import numpy as np
import pytest
import torch
from scipy import stats

from dynamics.palette import BLACK, SKY
from ui import live_charts
from ui.training import Session

RUN = {"loss": "gan", "reg": "none", "optimizer": "adam", "lr": 1e-3, "d_steps": 1, "batch": 64, "seed": 0}


def history(n: int, run: str = "run-a") -> SimpleNamespace:
    """What history_chart reads of a Session: n evaluations (round 10·i, JS 1/(i + 1)), its run id, what was sent."""
    s = SimpleNamespace(run_id=run, sent={}, metrics=[])
    grow(s, n)
    return s


def grow(s, n: int) -> None:
    for _ in range(n):
        i = len(s.metrics)
        s.metrics.append({"step": 10 * i, "js": 1 / (i + 1), "modes": i % 9, "high_quality": i / 100})


def tick(s, key: str = "h"):
    """One tick: the chart as built, then counted as sent (ui.live_charts.show does both)."""
    chart = live_charts.js_history(s, key)
    live_charts.mark_sent(s, key, chart)
    return chart


def points(chart) -> tuple[list, list]:
    return list(chart.series[0].x), list(chart.series[0].y)


def test_a_fresh_component_gets_the_whole_history():
    s = history(40)
    chart = tick(s)
    assert (chart.run, chart.start) == ("run-a", 0)
    assert points(chart) == ([10.0 * i for i in range(40)], [1 / (i + 1) for i in range(40)])
    assert chart.series[0].stream and chart.window[:2] == (0.0, 390.0)
    assert chart.window[2] <= 0.0 and chart.window[3] >= math.log(2)  # the rule log 2 is in view
    text = json.loads(chart.to_json())
    assert text["run"] == "run-a" and text["start"] == 0 and text["series"][0]["stream"] is True


def test_after_k_ticks_a_payload_holds_the_new_point_and_the_overlap_before_it():
    s = history(40)
    tick(s)
    for k in range(1, 6):
        grow(s, 1)
        chart = tick(s)
        n = 40 + k
        assert chart.start == n - 1 - live_charts.OVERLAP
        assert points(chart)[0] == [10.0 * i for i in range(chart.start, n)]
        assert s.sent["h"] == n


def test_a_tick_that_trained_nothing_or_was_skipped_leaves_no_hole():
    s = history(40)
    tick(s)
    same = tick(s)  # the session was busy: no new point
    assert (same.start, len(same.series[0].x)) == (40 - live_charts.OVERLAP, live_charts.OVERLAP)
    live_charts.js_history(s, "h")  # built but never sent (the run was stopped): not counted
    grow(s, 3)
    chart = tick(s)
    assert chart.start == 40 - live_charts.OVERLAP and points(chart)[0][-3:] == [400.0, 410.0, 420.0]


def test_a_full_rerun_a_gap_and_a_new_run_send_the_whole_history():
    s = history(40)
    tick(s)
    live_charts.send_all(s)  # a full script run: the browser's component may be fresh
    assert tick(s).start == 0
    s.sent.pop("h")  # the browser's gap trigger (ui.live_charts.show's callback)
    assert tick(s).start == 0 and tick(s).start == 40 - live_charts.OVERLAP
    fresh = history(2, run="run-b")  # Reset or a new setting: a new Session
    chart = tick(fresh)
    assert (chart.run, chart.start, len(chart.series[0].x)) == ("run-b", 0, 2)


def test_a_short_history_is_sent_whole_every_tick():
    s = history(3)
    tick(s)
    grow(s, 1)
    assert tick(s).start == 0


def test_the_mixtures_history_puts_the_fraction_on_the_right_axis():
    s = history(30)
    chart = live_charts.history_chart(
        s, "m", "modes", "modes captured", ("high_quality", "high-quality fraction"), window=(-0.5, 8.5)
    )
    modes, fraction = chart.series
    assert (modes.axis, fraction.axis, fraction.stream) == ("y", "y2", True)
    assert list(fraction.y) == [i / 100 for i in range(30)] and chart.window[2:] == (-0.5, 8.5)
    assert chart.window2 == live_charts.FRACTION and chart.y2label == "high-quality fraction"


@pytest.fixture(scope="module")
def run1d():
    s = Session(RUN | {"data": "normal(0, 1)", "steps": 100})
    s.advance(20)
    return s


def test_the_density_chart_against_closed_forms(run1d):
    """p_data = N(0, 1) from scipy; D* = p_data/(p_data + p_g); D(x) = σ(−logit) of the evaluation's own curve."""
    chart = live_charts.density_chart(run1d)
    p, q, d, d_star = chart.series
    grid, logit = run1d.latest[2]
    np.testing.assert_allclose(p.x, grid[::2])
    np.testing.assert_allclose(p.y, stats.norm.pdf(p.x), rtol=1e-9)
    np.testing.assert_allclose(d_star.y, p.y / (p.y + q.y), rtol=1e-9)
    np.testing.assert_allclose(d.y, 1 / (1 + np.exp(np.ravel(logit)[::2])), rtol=1e-6)
    assert (d.axis, d_star.axis, p.axis) == ("y2", "y2", "y") and chart.readout == "x"
    assert chart.title.startswith("round 20: JS = ") and not chart.run  # the curves replace the last: not streamed


def test_the_samples_chart_carries_the_samples_modes_and_the_discriminator():
    s = Session(RUN | {"data": "ring8", "steps": 100, "net": "mlp"})
    s.advance(10)
    chart = live_charts.samples_chart(s)
    samples, modes = chart.series
    np.testing.assert_allclose(np.c_[samples.x, samples.y], s.latest[1], atol=5e-4)
    np.testing.assert_allclose(np.c_[modes.x, modes.y], s.data.centers)
    heat = chart.heat
    r = float(np.abs(s.data.centers).max()) * 1.5 + 0.2
    g = np.linspace(-r, r, heat.n)
    pts = torch.tensor([[x, y] for y in g for x in g], dtype=torch.float32)  # row-major from the lowest y up
    with torch.no_grad():
        expected = torch.sigmoid(-s.trainer.D(pts)).numpy().ravel()
    np.testing.assert_allclose(heat.values, expected, atol=6e-4)
    assert heat.window == chart.window == (-r, r, -r, r) and chart.equal and len(heat.palette) == 32
    assert (samples.color, samples.edge, samples.edge_width) == (SKY, BLACK, 0.5)  # dynamics.palette.ON_HEAT_MAP
