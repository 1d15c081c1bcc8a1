"""A training page in a real browser, used while it plays: controls and exercise answers change during training.

Each change reruns the script while the playing fragment trains; two runs training one Trainer at once raised
"modified by an inplace operation" or crashed the server (ui.training keeps one thread per session). Fixtures in
conftest.py.
"""

import urllib.request

import pytest

from bench.harness import PROBE, WAIT_MS, slider, wait_ready

pytestmark = [pytest.mark.browser, pytest.mark.stress]
# In the page: every exception element or traceback that ever appears, even one the next tick replaces.
WATCH_ERRORS = """() => {
  window.__errors = [];
  const look = () => {
    for (const e of document.querySelectorAll('[data-testid="stException"]')) window.__errors.push(e.innerText);
    if (document.body.innerText.includes('Traceback')) window.__errors.push('Traceback');
  };
  new MutationObserver(look).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""
# a figure (an image, or a chart's payload) shown after the last key press
SHOWN_AFTER_PRESS = "() => Math.max(window.__gdl.shown, window.__gdl.chart) > window.__gdl.press"
IDLE = "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"


def settle(page) -> None:
    """Wait until a figure has loaded after the last key press and no script run is shown as running; no error
    may have appeared on the way."""
    page.wait_for_function(f"() => window.__errors.length || ({SHOWN_AFTER_PRESS})()", timeout=WAIT_MS, polling=50)
    page.wait_for_function(IDLE, timeout=WAIT_MS, polling=50)
    assert page.evaluate("() => window.__errors") == []


@pytest.mark.parametrize("name", ["train1d", "mixtures"])
def test_controls_and_answers_while_playing(page, server, name):
    page.goto(f"{server}/{name}?steps=20000")  # a run that outlasts the test: a finished run draws no new figure
    wait_ready(page, figure=True)
    page.evaluate(PROBE)
    page.evaluate(WATCH_ERRORS)
    page.get_by_role("button", name="▶ Play").click()
    page.get_by_role("button", name="⏸ Pause").wait_for(timeout=WAIT_MS)
    thumb = slider(page, "rounds per update while playing")
    answer = page.get_by_label("Your answer")
    for move in range(30):
        right = move % 2 == 0  # 100 → 110 → 100 …: the URL has tick=110, then no tick (the default)
        thumb.press("ArrowRight" if right else "ArrowLeft")
        page.wait_for_url(lambda url, right=right: ("tick=110" in url) == right, timeout=WAIT_MS)
        settle(page)
        if move % 6 == 5:  # 5 answers, typed between the moves
            answer.fill(f"0.{move}")
            answer.press("Enter")
            settle(page)
            assert answer.input_value() == f"0.{move}"
    assert page.evaluate("() => window.__errors") == []
    assert page.locator('[data-testid="stException"]').count() == 0
    assert "Traceback" not in page.inner_text("body")
    assert page.get_by_role("button", name="⏸ Pause").is_visible()  # still playing
    assert urllib.request.urlopen(f"{server}/_stcore/health", timeout=30).status == 200
    page.get_by_role("button", name="⏸ Pause").click()
    page.get_by_role("button", name="▶ Play").wait_for(timeout=WAIT_MS)
