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
# In the page: the time of the last key press, and of the last time the main figure finished loading a new src.
PROBE = """() => {
  window.__gdl = {press: 0, shown: 0, src: null};
  document.addEventListener('keydown', () => { window.__gdl.press = performance.now(); }, true);
  const seen = new WeakSet();
  const watch = () => {
    const img = document.querySelector('[data-testid="stMain"] [data-testid="stImage"] img');
    if (img && !seen.has(img)) {
      seen.add(img);
      img.addEventListener('load', () => { window.__gdl.shown = performance.now(); window.__gdl.src = img.src; });
    }
  };
  new MutationObserver(watch).observe(document.body, {subtree: true, childList: true, attributes: true});
  watch();
}"""


@contextmanager
def streamlit_server(script: str = "app.py", timeout: float = 60.0, env: dict | None = None):
    """`streamlit run` on a free loopback port; yields the base URL and stops the server (by its pid) after."""
    port = free_port()
    log = tempfile.TemporaryFile()
    env = {**os.environ, **(env or {})}
    url = f"http://127.0.0.1:{port}"
    try:
        with process(replica_cmd(script, port), log, env) as proc:
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
    """Wait until the page has run: a title (and the main figure) shown and Streamlit's 'running' indicator gone."""
    page.wait_for_selector("h1", timeout=timeout)
    if figure:
        page.wait_for_selector('[data-testid="stMain"] [data-testid="stImage"] img', timeout=timeout)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout, polling=100
    )


def figure_src(page) -> str | None:
    img = page.query_selector('[data-testid="stMain"] [data-testid="stImage"] img')
    return img.get_attribute("src") if img else None


def slider(page, label: str):
    """The thumb (role=slider) of the slider whose label is `label`."""
    return page.locator('[data-testid="stSlider"]', has_text=label).get_by_role("slider")


def move_slider(page, label: str, key: str = "ArrowRight", timeout: float = WAIT_MS) -> float:
    """Press a key on a slider and wait until the main figure has loaded a new image; returns milliseconds from
    the key press to the new figure's load event, both measured inside the page."""
    before = figure_src(page)
    page.evaluate("() => { window.__gdl.shown = 0; }")
    slider(page, label).press(key)
    page.wait_for_function(
        "(before) => window.__gdl.shown > window.__gdl.press && window.__gdl.src !== before",
        arg=before,
        timeout=timeout,
        polling=10,
    )
    return page.evaluate("() => window.__gdl.shown - window.__gdl.press")
