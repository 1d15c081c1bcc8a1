"""Slider-to-figure latency of the phase-portrait page in real Chromium, against a trivial page, plus a load test.

    python -m bench.bench_app [--moves 20] [--sessions 20] [--out bench/RESULTS_app.md]

Latency = from the key press on the 'learning rate h' slider to the main figure's change (a new image loaded, or a
chart drawing a new payload) and to the whole update (no element of the page left stale), timed inside the page
(performance.now()). Loopback only; every wait is bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import platform
import statistics
import time

import numpy as np

from bench.harness import (
    CHROMIUM,
    CHROMIUM_ARGS,
    FIGURE,
    FIGURE_CHANGED,
    PROBE,
    chromium,
    move_until_settled,
    streamlit_server,
    wait_ready,
)

NOTES = """Ratios: single-session rows against the trivial page alone; load rows against the trivial page under the
same load.

How it is measured: the 'learning rate h' slider of `/phase` (defaults: GAN, simultaneous GD, one start,
500 rounds) gets a key press; the time runs from the keydown event to the main figure's change (the load event
of a new image, or the browser-drawn chart's 'gdl-chart-drawn' event) and to the whole update: the figure changed
and no element left that Streamlit marks stale (data-stale) until the new run has replaced it; all read with
performance.now() inside the page. 'New value' presses walk to values not seen before
(simulation, analysis and drawing all run); 'revisited' presses walk back over them (cache hits). The baseline
is `bench/trivial_app.py`, the smallest page with the same slider-to-image round trip, measured in the same run:
the floor set by Streamlit, the websocket and the browser.

The load test opens the sessions as tabs of one headless Chromium, each pressing the slider repeatedly at the
same time; the browser's renderers share the 2 cores with the Streamlit server, so the figure is an upper bound
on what students on their own machines would see from one 2-core server. Streamlit runs each session's script
in its own thread of one Python process (the GIL), so concurrent reruns queue for the CPU.

Drawing: the phase page's figures are drawn by the browser from arrays (ui/charts.py, ui/charts.js); matplotlib
draws them only for the PNG/SVG downloads (the table above is what one such drawing costs, and what the page paid
per move before).
"""
LOAD_ARGS = ["--disable-background-timer-throttling", "--disable-renderer-backgrounding"]


def stats(ms: list[float]) -> dict:
    return {"n": len(ms), "median": statistics.median(ms), "p95": float(np.percentile(ms, 95)), "max": max(ms)}


def slider_moves(url: str, path: str, moves: int, figure: bool = True) -> dict[str, list[float]]:
    """`moves` key presses right (new values: cache misses), then the same number left (revisits: cache hits); for
    each, the time to the main figure's change and to the whole update (harness.move_until_settled)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p, chromium(p) as context:
        page = context.new_page()
        page.goto(f"{url}/{path}")
        wait_ready(page, figure=figure)
        page.evaluate(PROBE)
        for key in ("ArrowRight", "ArrowLeft"):  # warm-up: imports, first drawing
            move_until_settled(page, "learning rate h", key)
        new = [move_until_settled(page, "learning rate h", "ArrowRight") for _ in range(moves)]
        back = [move_until_settled(page, "learning rate h", "ArrowLeft") for _ in range(moves)]
        return {
            "new": [f for f, _ in new],
            "new_whole": [w for _, w in new],
            "back": [f for f, _ in back],
            "back_whole": [w for _, w in back],
        }


async def _session(context, url: str, path: str, moves: int, deadline: float) -> list[float]:
    page = await context.new_page()
    await page.goto(f"{url}/{path}", timeout=120_000)
    await page.locator(FIGURE).first.wait_for(timeout=120_000)
    await page.evaluate(PROBE)
    thumb = page.locator('[data-testid="stSlider"]', has_text="learning rate h").get_by_role("slider")
    out = []
    for _ in range(moves):
        if time.time() > deadline:
            break
        before = await page.evaluate(
            "() => { window.__gdl.shown = window.__gdl.chart = 0; const i = document.querySelector("
            '\'[data-testid="stMain"] [data-testid="stImage"] img\'); return i && i.src; }'
        )
        await thumb.press("ArrowRight")
        await page.wait_for_function(FIGURE_CHANGED, arg=before, timeout=120_000, polling=20)
        out.append(await page.evaluate("() => Math.max(window.__gdl.shown, window.__gdl.chart) - window.__gdl.press"))
    await page.close()
    return out


async def _load(url: str, path: str, sessions: int, moves: int, limit_s: float) -> list[float]:
    import tempfile

    from playwright.async_api import async_playwright

    deadline = time.time() + limit_s
    async with async_playwright() as p:
        with tempfile.TemporaryDirectory() as profile:
            context = await p.chromium.launch_persistent_context(
                profile,
                executable_path=CHROMIUM,
                headless=True,
                args=CHROMIUM_ARGS + LOAD_ARGS,
                viewport={"width": 1200, "height": 900},
            )
            try:
                results = await asyncio.gather(
                    *(_session(context, url, path, moves, deadline) for _ in range(sessions))
                )
            finally:
                await context.close()
    return [ms for r in results for ms in r]


def render_cost(repeats: int = 7) -> dict:
    """Milliseconds to draw the default phase portrait to PNG in process: the page's way (one panel, fixed layout,
    PNG at dpi 80 shown with st.image) against st.pyplot's defaults and the CLI's two-panel constrained figure."""
    from streamlit.logger import set_log_level

    set_log_level("error")  # ui.dirac's caches warn that there is no Streamlit runtime here
    from dynamics.dirac.analysis import analyze
    from dynamics.dirac.field import make_objective
    from dynamics.dirac.optimizers import Optimizer
    from dynamics.dirac.plotting import WINDOW, phase_figure
    from dynamics.dirac.trajectories import Schedule
    from ui.dirac import phase_fig

    obj = make_objective("gan")
    a = analyze(obj, Schedule(), Optimizer(), np.array([[1.0, 1.0]]))
    run, cont, disc = a.run, a.eigenvalues, a.update.eigenvalues
    ways = {
        "page figure → PNG dpi 80 → st.image (what the app does)": (lambda: phase_fig(obj, run), {"dpi": 80}),
        "page figure → st.pyplot defaults (dpi 200, tight bbox)": (
            lambda: phase_fig(obj, run),
            {"dpi": 200, "bbox_inches": "tight"},
        ),
        "CLI two-panel constrained figure → PNG dpi 80": (
            lambda: phase_figure(obj, run, cont, disc, WINDOW),
            {"dpi": 80},
        ),
    }
    out = {}
    for name, (make, kwargs) in ways.items():
        times = []
        for _ in range(repeats):
            t = time.perf_counter()
            buf = io.BytesIO()
            make().savefig(buf, format="png", **kwargs)
            times.append(1000 * (time.perf_counter() - t))
        out[name] = (statistics.median(times), len(buf.getvalue()))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.bench_app", description=__doc__.splitlines()[0])
    ap.add_argument("--moves", type=int, default=20)
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--load-moves", type=int, default=5, help="slider moves per session in the load test")
    ap.add_argument("--load-limit", type=float, default=240.0, help="seconds; the load test stops after this")
    ap.add_argument("--out", default="bench/RESULTS_app.md")
    args = ap.parse_args(argv)
    if not (1 <= args.moves <= 200 and 1 <= args.sessions <= 50 and 1 <= args.load_moves <= 50):
        ap.error("--moves must be in [1, 200], --sessions in [1, 50], --load-moves in [1, 50]")

    rows = []
    with streamlit_server("app.py") as url:
        phase = slider_moves(url, "phase", args.moves)
        rows.append(("phase page, new slider value (computed): figure changed", stats(phase["new"])))
        rows.append(("phase page, new slider value (computed): whole update", stats(phase["new_whole"])))
        rows.append(("phase page, revisited value (cached): figure changed", stats(phase["back"])))
        rows.append(("phase page, revisited value (cached): whole update", stats(phase["back_whole"])))
        load = asyncio.run(_load(url, "phase", args.sessions, args.load_moves, args.load_limit))
    with streamlit_server("bench/trivial_app.py") as url:
        trivial = slider_moves(url, "", args.moves, figure=True)
        base_load = asyncio.run(_load(url, "", args.sessions, args.load_moves, args.load_limit))
    base = stats(trivial["new_whole"] + trivial["back_whole"])
    what = f"{args.sessions} concurrent sessions × {args.load_moves} moves"
    loads = [(f"load: {what}, phase page", stats(load)), (f"load baseline: {what}, trivial page", stats(base_load))]

    lines = [
        "| measurement | n | median ms | p95 ms | max ms | median / baseline |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    table = [*rows, ("baseline: trivial page (slider → tiny PNG), whole update", base), *loads]
    for name, s in table:
        ref = loads[1][1] if name.startswith("load") else base
        lines.append(
            f"| {name} | {s['n']} | {s['median']:.0f} | {s['p95']:.0f} | {s['max']:.0f} | "
            f"{s['median'] / ref['median']:.1f}× |"
        )
    render = render_cost()
    lines += ["", "| drawing the default phase portrait (in process) | median ms | PNG bytes |", "|---|---:|---:|"]
    lines += [f"| {name} | {ms:.0f} | {size} |" for name, (ms, size) in render.items()]
    table = "\n".join(lines)
    print(table)
    machine = f"{os.cpu_count()} CPU cores, no GPU, {platform.platform()}, Python {platform.python_version()}"
    whole = rows[1][1]
    verdict = "meets" if whole["p95"] <= 250 else "misses"
    text = (
        "# App benchmark: slider move → updated figure\n\n"
        f"Command: `python -m bench.bench_app` (moves={args.moves}, sessions={args.sessions}, "
        f"load moves={args.load_moves}).  \nMachine: {machine}; Debian Chromium headless, Streamlit server on "
        f"loopback.  \nDate: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}\n\n"
        f"{table}\n\n"
        f"Target (issue 11 item 4): key press → whole update p95 ≤ 250 ms for new values on the phase page — this "
        f"run **{verdict}** it (p95 {whole['p95']:.0f} ms, median {whole['median']:.0f} ms).\n\n" + NOTES
    )
    if args.out:
        with open(args.out, "w") as fh:
            fh.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
