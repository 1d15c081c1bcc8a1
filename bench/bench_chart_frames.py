"""Browser cost of one chart by each means (issue 11 item 1): the same figure (bench/chart_means_app.py, the D*
page's four curves on 2,001 points) drawn by this project's st.components.v2 canvas, by Altair / Vega-Lite and by
Plotly, in Chromium.

    python -m bench.bench_chart_frames [--moves 12] [--hovers 60]

Per means: **update** — a key press on the slider (new data) until the page is idle again (Streamlit's run
finished, nothing stale, then two idle callbacks of the browser's main thread); the wall time and the main
thread's busy time over it (Chrome DevTools Protocol `Performance.getMetrics` TaskDuration: script, style,
layout and paint of the page's renderer). **hover** — pointer moves along the plot, each followed by the next
animation frame; the main thread's busy time per move and the wall time per move. Medians; the ratio column is
against the canvas, measured in the same run.
"""

from __future__ import annotations

import argparse
import os
import statistics
from dataclasses import dataclass

from playwright.sync_api import sync_playwright

from bench.harness import chromium, slider, streamlit_server, wait_ready

MEANS = ("canvas", "altair", "plotly")
# Where each means draws (the element the pointer moves over).
TARGET = {
    "canvas": ".gdl-chart canvas",
    "altair": '[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg',
    "plotly": ".js-plotly-plot .nsewdrag",
}
IDLE = (
    "() => new Promise((done) => requestIdleCallback(() => requestIdleCallback(() => done(performance.now()),"
    " {timeout: 2000}), {timeout: 2000}))"
)
SETTLED = (
    "() => !document.querySelector('[data-stale=\"true\"]')"
    " && !document.querySelector('[data-testid=\"stStatusWidget\"]')"
)


@dataclass(frozen=True)
class Row:
    """Medians for one means, milliseconds: wall and main-thread busy time of an update and of a hover move."""

    update_wall: float
    update_busy: float
    hover_wall: float
    hover_busy: float


def busy_ms(cdp) -> float:
    """The renderer main thread's busy time so far (ms)."""
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    return 1000 * metrics["TaskDuration"]


def visible_box(locator, tries: int = 5) -> dict:
    """The element's box once it is laid out: a rerun can remount a chart, so for a moment it has none."""
    for _ in range(tries):
        locator.wait_for(state="visible")
        box = locator.bounding_box()
        if box is not None:
            return box
    raise RuntimeError(f"{locator} never stayed visible long enough to measure")


def measure(page, cdp, means: str, moves: int, hovers: int) -> Row:
    target = page.locator(TARGET[means]).first
    target.wait_for()
    page.evaluate(IDLE)
    update_wall, update_busy = [], []
    thumb = slider(page, "shift of p_g")
    for i in range(moves):
        before = busy_ms(cdp)
        start = page.evaluate("() => performance.now()")
        thumb.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
        page.wait_for_function(SETTLED, polling=10)
        end = page.evaluate(IDLE)
        update_wall.append(end - start)
        update_busy.append(busy_ms(cdp) - before)
    box = visible_box(target)
    hover_wall, hover_busy = [], []
    for i in range(hovers):
        x = box["x"] + box["width"] * (0.15 + 0.7 * i / max(1, hovers - 1))
        before = busy_ms(cdp)
        start = page.evaluate("() => performance.now()")
        page.mouse.move(x, box["y"] + box["height"] * 0.5)
        end = page.evaluate("() => new Promise((done) => requestAnimationFrame(() => done(performance.now())))")
        hover_wall.append(end - start)
        hover_busy.append(busy_ms(cdp) - before)
    med = statistics.median
    return Row(med(update_wall), med(update_busy), med(hover_wall), med(hover_busy))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.bench_chart_frames", description=__doc__.splitlines()[0])
    ap.add_argument("--moves", type=int, default=12, help="slider moves per means (1-200)")
    ap.add_argument("--hovers", type=int, default=60, help="pointer moves per means (1-1000)")
    args = ap.parse_args(argv)
    if not 1 <= args.moves <= 200:
        ap.error(f"--moves {args.moves}: must be in [1, 200]")
    if not 1 <= args.hovers <= 1000:
        ap.error(f"--hovers {args.hovers}: must be in [1, 1000]")
    rows = {}
    with streamlit_server("bench/chart_means_app.py") as url, sync_playwright() as p, chromium(p) as context:
        for means in MEANS:
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Performance.enable")
            page.goto(f"{url}/?means={means}")
            wait_ready(page)
            rows[means] = measure(page, cdp, means, args.moves, args.hovers)
            page.close()
    base = rows["canvas"]
    print(f"load average before: {os.getloadavg()[0]:.1f}; moves {args.moves}, hovers {args.hovers}")
    print(
        "| means | update: wall ms | update: main-thread ms | ratio | hover: wall ms per move "
        "| hover: main-thread ms per move | ratio |\n|---|---:|---:|---:|---:|---:|---:|"
    )
    for means, r in rows.items():
        update, hover = r.update_busy / base.update_busy, r.hover_busy / max(base.hover_busy, 1e-9)
        print(
            f"| {means} | {r.update_wall:.0f} | {r.update_busy:.1f} | {update:.1f}× "
            f"| {r.hover_wall:.1f} | {r.hover_busy:.2f} | {hover:.1f}× |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
