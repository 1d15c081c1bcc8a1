"""A Streamlit server and Debian's Chromium on loopback, shared by the browser tests and the app benchmark."""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

from deploy.serve import free_port, process, replica_cmd, wait_healthy

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
WAIT_MS = 180_000  # upper bound of any wait for an event (an element, a download, a rerun): room for a loaded 2-core CI
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# In the page: the time of the last key press; of the last time the main figure (an image) finished loading a new
# src; of the last new payload a chart drew (ui/charts.js announces it); and of the last time no element was left
# stale (Streamlit marks the previous run's elements data-stale until the new run has replaced them).
PROBE = """() => {
  window.__gdl = {press: 0, shown: 0, src: null, chart: 0, settled: 0};
  document.addEventListener('keydown', () => { window.__gdl.press = performance.now(); }, true);
  window.addEventListener('gdl-chart-drawn', (e) => { window.__gdl.chart = e.detail.at; });
  const seen = new WeakSet();
  const watch = () => {
    const img = document.querySelector('[data-testid="stMain"] [data-testid="stImage"] img');
    if (img && !seen.has(img)) {
      seen.add(img);
      img.addEventListener('load', () => { window.__gdl.shown = performance.now(); window.__gdl.src = img.src; });
    }
  };
  new MutationObserver(watch).observe(document.body, {subtree: true, childList: true, attributes: true});
  new MutationObserver(() => {
    if (!document.querySelector('[data-stale="true"]')) window.__gdl.settled = performance.now();
  }).observe(document.body, {subtree: true, childList: true, attributes: true, attributeFilter: ['data-stale']});
  watch();
}"""
FIGURE = '[data-testid="stMain"] [data-testid="stImage"] img, [data-testid="stMain"] .gdl-chart canvas'


@contextmanager
def streamlit_server(script: str = "app.py", timeout: float = 60.0, env: dict | None = None, cwd=ROOT):
    """`streamlit run` in `cwd` on a free loopback port; yields the base URL and stops the server (by its pid)
    after."""
    port = free_port()
    log = tempfile.TemporaryFile()
    env = {**os.environ, **(env or {})}
    url = f"http://127.0.0.1:{port}"
    try:
        with process(replica_cmd(script, port), log, env, cwd) as proc:
            try:
                wait_healthy(url, proc, timeout)
            except RuntimeError as err:
                log.seek(0)
                tail = log.read().decode(errors="replace")[-2000:]
                raise RuntimeError(f"streamlit did not start ({err}): {tail}") from None
            yield url
    finally:
        log.close()


@contextmanager
def chromium(playwright, width: int = 1400, height: int = 1000):
    """A headless Chromium context with a fresh user-data-dir."""
    with tempfile.TemporaryDirectory() as profile:
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": width, "height": height},
        )
        context.set_default_timeout(WAIT_MS)  # Playwright's implicit waits (click, fill, expect) included
        context.set_default_navigation_timeout(WAIT_MS)
        try:
            yield context
        finally:
            context.close()


def wait_ready(page, figure: bool = False, timeout: float = WAIT_MS) -> None:
    """Wait until the page has run: a title (and the main figure, an image or a chart) shown and Streamlit's
    'running' indicator gone."""
    page.wait_for_selector("h1", timeout=timeout)
    if figure:
        page.locator(FIGURE).first.wait_for(timeout=timeout)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout, polling=100
    )


def figure_src(page) -> str | None:
    """What the main figure shows: the page's first figure in document order, an image's src or a chart's payload
    id (a page may hold both, e.g. /stability's charts above its convergence-map image)."""
    first = page.locator('[data-testid="stMain"] [data-testid="stImage"] img, [data-testid="stMain"] .gdl-chart')
    if not first.count():
        return None
    return first.first.evaluate("e => e.tagName === 'IMG' ? e.getAttribute('src') : e.getAttribute('data-payload')")


# The chart of the element keyed `key`, looked up again at each poll: Streamlit may mount a chart afresh while a run
# plays (a streamed chart keeps its points, ui/charts.js STREAMS), which leaves an element handle detached.
CHART_ABOVE = """([key, name, v]) => {
  const find = (root) => {
    const chart = root.querySelector('.gdl-chart');
    if (chart) return chart;
    for (const e of root.querySelectorAll('*')) if (e.shadowRoot) { const c = find(e.shadowRoot); if (c) return c; }
    return null;
  };
  const host = document.querySelector(`.st-key-${key}`);
  const chart = host && find(host);
  return !!chart && Number(chart.getAttribute(name)) > v;
}"""


def wait_chart_above(page, key: str, name: str, value: float, timeout: float = WAIT_MS) -> None:
    """Wait until the chart keyed `key` has data-<name> above `value` (e.g. a streamed chart's updates, points)."""
    page.wait_for_function(CHART_ABOVE, arg=[key, f"data-{name}", value], timeout=timeout, polling=20)


def slider(page, label: str):
    """The thumb (role=slider) of the slider whose label is `label`."""
    return page.locator('[data-testid="stSlider"]', has_text=label).get_by_role("slider")


FIGURE_CHANGED = (
    "(before) => (window.__gdl.shown > window.__gdl.press && window.__gdl.src !== before)"
    " || window.__gdl.chart > window.__gdl.press"
)


def move_slider(page, label: str, key: str = "ArrowRight", timeout: float = WAIT_MS) -> float:
    """Press a key on a slider and wait until the main figure has changed (a new image loaded, or a chart drew a
    new payload); returns milliseconds from the key press to that, both measured inside the page."""
    before = figure_src(page)
    page.evaluate("() => { window.__gdl.shown = 0; window.__gdl.chart = 0; }")
    slider(page, label).press(key)
    page.wait_for_function(FIGURE_CHANGED, arg=before, timeout=timeout, polling=10)
    return page.evaluate("() => Math.max(window.__gdl.shown, window.__gdl.chart) - window.__gdl.press")


def move_until_settled(page, label: str, key: str = "ArrowRight", timeout: float = WAIT_MS) -> tuple[float, float]:
    """Press a key on a slider and wait for the whole update: the main figure changed and no element of the page
    left stale. Returns milliseconds from the key press to the figure's change and to the last of these events."""
    before = figure_src(page)
    page.evaluate("() => { window.__gdl.shown = 0; window.__gdl.chart = 0; window.__gdl.settled = 0; }")
    slider(page, label).press(key)
    page.wait_for_function(
        f"(before) => ({FIGURE_CHANGED})(before) && !document.querySelector('[data-stale=\"true\"]')",
        arg=before,
        timeout=timeout,
        polling=10,
    )
    return page.evaluate(
        "() => { const g = window.__gdl, first = Math.max(g.shown, g.chart);"
        " return [first - g.press, Math.max(first, g.settled) - g.press]; }"
    )
