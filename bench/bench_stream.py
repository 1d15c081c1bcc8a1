"""Chart updates per second and bytes per tick of a playing /train1d in Chromium, now and before (the PNG fragment).

    python -m bench.bench_stream [--seconds 10] [--before REV] [--out bench/RESULTS_stream.md]

Each server (this tree, and REV's tree unpacked by `git archive`: by default the last commit whose training page
repainted a PNG every 0.5 s) gets a fresh Chromium page on /train1d?steps=20000; Play is pressed and, from the
first update after it, for `--seconds`: updates (a loaded image of the figure, or a streamed chart payload the
page's component applied, ui/charts.js `data-updates`), bytes received over Streamlit's websocket and bytes of
media (PNG) responses, all counted inside the browser. In-process: the size of the history chart's payload with
its whole history (a fresh component) against the delta of one tick, and the curves chart, against the PNG the
page sent per tick before.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import subprocess  # nosec B404 # git archive of a fixed revision
import sys
import tarfile
import tempfile
import time
from pathlib import Path

from bench.harness import ROOT, WAIT_MS, chromium, streamlit_server, wait_ready
from ui import live_charts, training

COUNT = """() => {
  window.__stream = {images: 0, media: 0};
  document.addEventListener('load', (e) => {
    if (e.target.tagName === 'IMG' && e.target.closest('[data-testid="stMain"] [data-testid="stImage"]'))
      window.__stream.images += 1;
  }, true);
  performance.setResourceTimingBufferSize(100000);
}"""
READ = """() => {
  const deep = (root) => [...root.querySelectorAll('*')]
    .flatMap((e) => (e.shadowRoot ? [e.shadowRoot, ...deep(e.shadowRoot)] : []));
  const charts = [document, ...deep(document)].flatMap((r) => [...r.querySelectorAll('.gdl-chart[data-updates]')]);
  const media = performance.getEntriesByType('resource').filter((r) => r.name.includes('/media/'));
  return {
    at: performance.now(),
    updates: window.__stream.images + charts.reduce((n, c) => Math.max(n, Number(c.dataset.updates)), 0),
    media: media.reduce((n, r) => n + r.encodedBodySize, 0),
    points: charts.reduce((n, c) => Math.max(n, Number(c.dataset.points)), 0),
    round: Number((document.body.innerText.match(/round (\\d+) of/) || [0, 0])[1]),
  };
}"""


def before_rev() -> str:
    """The last commit whose ui/training.py still had TICK = 0.5: the parent of the one that changed it (or HEAD)."""
    out = subprocess.run(  # nosec B603 B607 # fixed argv
        ["git", "log", "-1", "--format=%H", "-S", "TICK = 0.5", "--", "ui/training.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    return f"{out}^" if out else "HEAD"


def unpack(rev: str, into: Path) -> None:
    tar = subprocess.run(["git", "archive", rev], cwd=ROOT, capture_output=True, check=True).stdout  # nosec B603 B607
    with tarfile.open(fileobj=io.BytesIO(tar)) as t:
        t.extractall(into, filter="data")


def play(url: str, seconds: float) -> dict:
    """Press Play on /train1d and count, over `seconds` from the first update, what the browser received."""
    from playwright.sync_api import sync_playwright

    ws_bytes = [0]
    with sync_playwright() as p, chromium(p) as context:
        page = context.new_page()
        page.on("websocket", lambda ws: ws.on("framereceived", lambda f: ws_bytes.__setitem__(0, ws_bytes[0] + len(f))))
        page.goto(f"{url}/train1d?steps=20000")
        wait_ready(page, figure=True)
        page.evaluate(COUNT)
        page.get_by_role("button", name="▶ Play").click()
        page.get_by_role("button", name="⏸ Pause").wait_for(timeout=WAIT_MS)
        page.wait_for_function(f"() => ({READ})().updates > 0", timeout=WAIT_MS, polling=20)
        a, ws0 = page.evaluate(READ), ws_bytes[0]
        page.wait_for_timeout(seconds * 1000)  # the measurement window itself, not a wait for an event
        b, ws1 = page.evaluate(READ), ws_bytes[0]
        page.get_by_role("button", name="⏸ Pause").click()
        page.get_by_role("button", name="▶ Play").wait_for(timeout=WAIT_MS)
        page.close()
    dt = (b["at"] - a["at"]) / 1000
    n = b["updates"] - a["updates"]
    return {
        "seconds": dt,
        "updates": n,
        "per_s": n / dt,
        "ws_per_update": (ws1 - ws0) / max(n, 1),
        "media_per_update": (b["media"] - a["media"]) / max(n, 1),
        "points": b["points"],
        "rounds_per_s": (b["round"] - a["round"]) / dt,
    }


def payload_sizes(ticks: int = 150) -> dict:
    """Bytes of /train1d's payloads after `ticks` ticks of the default run: the history chart whole (a fresh
    component) and as one tick's delta, the curves chart, and the PNG figure the page sent per tick before."""
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    from ui import densities, export, live_figures

    cfg = {"data": str(densities.DATA_PRESETS["bimodal"]), "loss": "gan", "reg": "none", "optimizer": "adam"}
    cfg |= {"lr": 1e-3, "d_steps": 1, "batch": 64, "steps": 20000, "seed": 0}
    s = training.Session(cfg)
    for _ in range(ticks):
        s.advance(100, training.BUDGET)
    chart = live_charts.js_history(s, "h")
    full = chart.to_json()
    live_charts.mark_sent(s, "h", chart)
    s.advance(100, training.BUDGET)
    delta = live_charts.js_history(s, "h").to_json()
    t0 = time.perf_counter()
    curves = live_charts.density_chart(s).to_json()
    t_chart = time.perf_counter() - t0
    t0 = time.perf_counter()
    png = export.figure_bytes(live_figures.density_figure(s))
    t_png = time.perf_counter() - t0
    return {
        "points": len(s.metrics),
        "full": len(full.encode()),
        "delta": len(delta.encode()),
        "curves": len(curves.encode()),
        "png": len(png),
        "t_chart": t_chart,
        "t_png": t_png,
    }


def table(before: dict, after: dict, sizes: dict, rev: str, seconds: float) -> str:
    rows = [
        f"| /train1d playing, one student | before: PNG fragment, tick 0.5 s | after: streamed charts, tick"
        f" {training.TICK:g} s | after / before |",
        "|---|---|---|---|",
        f"| figure updates per second | {before['per_s']:.2f} | {after['per_s']:.2f} |"
        f" {after['per_s'] / before['per_s']:.2f}× |",
    ]
    for key, label in (("ws_per_update", "websocket bytes per update"), ("media_per_update", "PNG bytes per update")):
        ratio = f"{after[key] / before[key]:.2f}×" if before[key] else "—"
        rows.append(f"| {label} | {before[key]:,.0f} | {after[key]:,.0f} | {ratio} |")
    tb = before["ws_per_update"] + before["media_per_update"]
    ta = after["ws_per_update"] + after["media_per_update"]
    rows.append(f"| all bytes per update | {tb:,.0f} | {ta:,.0f} | {ta / tb:.2f}× |")
    rows.append(
        f"| rounds trained per second | {before['rounds_per_s']:.0f} | {after['rounds_per_s']:.0f} |"
        f" {after['rounds_per_s'] / before['rounds_per_s']:.2f}× |"
    )
    rows.append(
        f"| updates counted (window s) | {before['updates']} ({before['seconds']:.1f}) |"
        f" {after['updates']} ({after['seconds']:.1f}) | |"
    )
    rows += [
        "",
        f"In-process, the default run after {sizes['points']} history points (`payload_sizes`):",
        "",
        "| payload | bytes | build ms |",
        "|---|---|---|",
        f"| history chart, whole history (a fresh component) | {sizes['full']:,} | |",
        f"| history chart, one tick's delta (its new point, {live_charts.OVERLAP} repeated) | {sizes['delta']:,} | |",
        f"| curves chart (p_data, p_g, D, D*; 201 points each; replaces the last) | {sizes['curves']:,} |"
        f" {1000 * sizes['t_chart']:.0f} |",
        f"| before: the PNG figure of one tick | {sizes['png']:,} | {1000 * sizes['t_png']:.0f} |",
        "",
        f"Before = `{rev}`; window {seconds:g} s from the first update after Play; {platform.node()},"
        f" {os.cpu_count()} CPUs, Python {platform.python_version()}.",
    ]
    return "\n".join(rows)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.bench_stream", description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--before", default=None, help="git revision of the PNG baseline (default: see above)")
    ap.add_argument("--out", default=None, help="also write the table to this file")
    args = ap.parse_args(argv)
    if not 1 <= args.seconds <= 120:
        print(f"--seconds {args.seconds:g} is outside [1, 120]", file=sys.stderr)
        return 2
    rev = args.before or before_rev()
    with tempfile.TemporaryDirectory() as tmp:
        try:
            unpack(rev, Path(tmp))
        except subprocess.CalledProcessError:
            print(f"--before {rev!r} is not a revision of this repository", file=sys.stderr)
            return 2
        with streamlit_server(cwd=tmp) as url:
            before = play(url, args.seconds)
    with streamlit_server() as url:
        after = play(url, args.seconds)
    text = table(before, after, payload_sizes(), rev, args.seconds)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
