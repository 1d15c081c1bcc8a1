"""Server cost of one control move, against Streamlit's floor, over the websocket (no browser).

    python -m bench.bench_moves [--moves 20] [--pages phase,stability,optimal,saturation,lipschitz]

For each page a session moves one slider to values not seen before (cache misses: simulation, analysis and the
page's figures all computed), then back over them (cache hits); the baseline is bench/trivial_app.py (one slider
and a tiny image), measured in the same run. Time = from sending the rerun to the server's `script_finished`
(bench.wsclient), plus fetching the images the run showed (/media/…), as a browser must before the update is
complete. For a before/after comparison run the same command in a checkout of the older commit.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
import urllib.request
from dataclasses import dataclass

import numpy as np

from bench.harness import streamlit_server
from bench.wsclient import Session


@dataclass(frozen=True)
class Move:
    """The slider a page's benchmark moves, and the values it walks (none of them the default)."""

    label: str
    values: tuple[float, ...]
    warmup: tuple[float, float]


def _walk(start: float, step: float, n: int) -> tuple[float, ...]:
    return tuple(round(start + step * i, 6) for i in range(n))


def moves_of(page: str, n: int) -> Move:
    if page in ("", "phase", "stability"):
        return Move("learning rate h", _walk(0.11, 0.01, n), (0.5, 0.1))
    if page == "optimal":
        return Move("your D: slope a of σ(a·x + b)", _walk(-1.9, 0.1, n), (5.0, -2.0))
    if page == "saturation":
        return Move("number of λ values in [0, 1]", _walk(22, 1, n), (90, 21))
    if page == "lipschitz":
        return Move("κ (LS-GAN Lipschitz constant)", _walk(1.1, 0.1, n), (9.0, 1.0))
    raise ValueError(f"--pages: no move for {page!r}; allowed: phase, stability, optimal, saturation, lipschitz")


def stats(ms: list[float]) -> dict:
    return {"n": len(ms), "median": statistics.median(ms), "p95": float(np.percentile(ms, 95)), "max": max(ms)}


def _fetch(url: str, paths: list[str]) -> int:
    size = 0
    for path in paths:
        with urllib.request.urlopen(url + path, timeout=60) as r:  # noqa: S310 - the bench's own loopback server
            size += len(r.read())
    return size


async def _move(s: Session, url: str, label: str, value: float) -> tuple[float, int]:
    """Milliseconds from sending the move to the run finished and its images fetched; the images' bytes."""
    t0 = time.perf_counter()
    run = await s.rerun({label: value})
    if run.errors:
        raise RuntimeError(f"/{s.page}: {label} = {value}: {run.errors}")
    size = await asyncio.to_thread(_fetch, url, [m if m.startswith("/") else "/" + m for m in run.media])
    return 1000 * (time.perf_counter() - t0), size


async def session_moves(url: str, page: str, n: int) -> tuple[list[float], list[float], int]:
    """n moves to new values, then the same values again; and the image bytes of the last new move."""
    move = moves_of(page, n)
    s, first = await Session.open(url, page)
    try:
        if first.errors:
            raise RuntimeError(f"/{page}: {first.errors}")
        for value in move.warmup:  # imports, first drawing
            await _move(s, url, move.label, value)
        new = [await _move(s, url, move.label, v) for v in move.values]
        again = [await _move(s, url, move.label, v) for v in move.values]
    finally:
        await s.close()
    return [t for t, _ in new], [t for t, _ in again], new[-1][1]


def measure(script: str, page: str, n: int) -> tuple[list[float], list[float], int]:
    with streamlit_server(script) as url:
        return asyncio.run(session_moves(url, page, n))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.bench_moves", description=__doc__.splitlines()[0])
    ap.add_argument("--moves", type=int, default=20)
    ap.add_argument("--pages", default="phase,stability,optimal,saturation,lipschitz")
    args = ap.parse_args(argv)
    if not 1 <= args.moves <= 200:
        ap.error(f"--moves {args.moves}: must be in [1, 200]")
    pages = args.pages.split(",")
    for page in pages:
        try:
            moves_of(page, 1)
        except ValueError as e:
            ap.error(str(e))
    base_new, base_again, base_bytes = measure("bench/trivial_app.py", "", args.moves)
    floor = stats(base_new + base_again)
    rows = [("baseline: bench/trivial_app.py (one slider, tiny image)", floor, base_bytes)]
    for page in pages:
        new, again, size = measure("app.py", page, args.moves)
        label = moves_of(page, 1).label
        rows += [
            (f"/{page}: new value of '{label}' (computed)", stats(new), size),
            (f"/{page}: revisited (cached)", stats(again), size),
        ]
    lines = [
        f"{args.moves} new values and {args.moves} revisits per page.",
        "",
        "| one move | n | median ms | p95 ms | max ms | image bytes | median / baseline |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, s, size in rows:
        lines.append(
            f"| {name} | {s['n']} | {s['median']:.0f} | {s['p95']:.0f} | {s['max']:.0f} | {size} | "
            f"{s['median'] / floor['median']:.2f}× |"
        )
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
