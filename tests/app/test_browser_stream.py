"""The training pages' streamed charts in a real browser (ui.live_charts through ui/charts.js): Play makes the
history chart take new points several times a second without a full rerun, Pause stops it, hover reads out values,
and nothing logs an error. Every wait is for an event, bounded by WAIT_MS. Fixtures in conftest.py."""

import math
import re

import pytest
from playwright.sync_api import expect

from bench.harness import WAIT_MS, wait_chart_above, wait_ready
from tests.app.test_browser_charts import clean, collect_errors, frames, xy_chart, xy_pixel

pytestmark = pytest.mark.browser
# No script run in progress (Streamlit's running indicator appears only after a delay, so it may be absent while a
# run that ended with st.rerun() hands over to the next).
IDLE = '() => !!document.querySelector(\'[data-testid="stApp"][data-test-script-state="notRunning"]\')'


def number(root, name: str) -> int:
    return int(root.get_attribute(f"data-{name}") or 0)


def hover_text(page, root, x: float, y: float) -> str:
    """Move the pointer to data point (x, y) of an XYChart and return its read-out once the chart has set it."""
    root.evaluate("el => el.removeAttribute('data-hover')")
    page.mouse.move(*xy_pixel(root, x, y))
    page.wait_for_function(
        "el => !!el.getAttribute('data-hover')", arg=root.element_handle(), timeout=WAIT_MS, polling=20
    )
    return root.get_attribute("data-hover")


def test_train1d_streams_while_playing_and_pause_stops_it(page, server):
    collect_errors(page)
    page.goto(f"{server}/train1d?steps=20000")  # a run that outlasts the test
    wait_ready(page, figure=True)
    history, curves = xy_chart(page, "train1d_history"), xy_chart(page, "train1d_curves")
    expect(history).to_have_attribute("data-points", "1", timeout=WAIT_MS)  # round 0's evaluation
    updates, run = number(history, "updates"), history.get_attribute("data-run")

    page.get_by_role("button", name="▶ Play").click()
    page.get_by_role("button", name="⏸ Pause").wait_for(timeout=WAIT_MS)
    wait_chart_above(page, "train1d_history", "updates", updates + 2)  # three streamed payloads applied
    wait_chart_above(page, "train1d_history", "points", 3)
    assert history.get_attribute("data-run") == run  # the same run, appended to

    page.get_by_role("button", name="⏸ Pause").click()
    page.get_by_role("button", name="▶ Play").wait_for(timeout=WAIT_MS)
    page.wait_for_function(IDLE, timeout=WAIT_MS, polling=50)
    shown = int(re.search(r"round (\d+) of", page.inner_text('[data-testid="stMain"]')).group(1))
    expect(history).to_have_attribute("data-last", str(shown), timeout=WAIT_MS)  # the paused run's last round drawn
    paused = number(history, "points")
    frames(page, 90)  # well over the 0.15 s tick of a playing run
    page.wait_for_function(IDLE, timeout=WAIT_MS, polling=50)
    assert (number(history, "points"), history.get_attribute("data-last")) == (paused, str(shown))  # stopped

    rounds = number(history, "points")
    assert rounds >= 4
    text = hover_text(page, history, 0.0, 0.3)  # round 0: the first evaluation
    assert re.fullmatch(r"round = 0: JS \(nats\) = [0-9.e-]+", text), text
    js0 = float(text.rsplit("= ", 1)[1])
    assert 0 < js0 <= math.log(2) + 1e-6

    text = hover_text(page, curves, 2.0, 0.1)  # the bimodal default: p_data = ½N(−2, ½²) + ½N(2, ½²)
    m = re.fullmatch(
        r"x = ([-0-9.e]+): p_data = ([0-9.e-]+), p_g = ([0-9.e-]+), D\(x\) = P\(real \| x\) = ([0-9.e-]+), "
        r"D\*\(x\) = ([0-9.e-]+)",
        text,
    )
    assert m, text
    x, p, q, _, d_star = map(float, m.groups())
    assert abs(x - 2.0) < 0.1
    expected = 0.5 * math.exp(-((x - 2) ** 2) / (2 * 0.25)) / math.sqrt(2 * math.pi * 0.25)
    assert p == pytest.approx(expected, rel=2e-3, abs=1e-3)
    assert d_star == pytest.approx(p / (p + q), rel=2e-3, abs=1e-3)
    clean(page)


@pytest.mark.parametrize("path,keys", [("mixtures", ["mixtures_samples", "mixtures_history"])])
def test_mixtures_charts_draw_and_read_out_the_heat_map(page, server, path, keys):
    collect_errors(page)
    page.goto(f"{server}/{path}")
    wait_ready(page, figure=True)
    samples, _ = (xy_chart(page, k) for k in keys)
    text = hover_text(page, samples, 0.0, 0.0)
    assert re.search(r"D\(x\) = P\(real \| x\) = [0-9.e-]+ at the pointer$", text), text
    clean(page)
