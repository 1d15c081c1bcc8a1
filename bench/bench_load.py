"""A class on one server (issue 11 item 5): N simulated students, each moving "learning rate h" on `/phase` about
once a second, against the one-slider page (bench/trivial_app.py) under the same load, on 1 and 2 replicas.

Each student is a websocket session (bench/wsclient.py, no browser) behind deploy.serve's nginx with its own
replica cookie, as a browser would hold one. A student waits 0.5-1.5 s, moves the slider to a value drawn from
the slider's steps, and waits for the whole rerun to finish before the next move; the time of a move is from
sending it to the server's 'script finished'. All students run in this process (one asyncio loop), which shares
the machine's cores with the servers; the ratio column is p95 / the one-slider page's p95 on one replica,
measured in the same run. Memory is each replica's resident size after its load.

Run: python -m bench.bench_load                      (30 students, 40 s per row)
     python -m bench.bench_load --students 30,60 --seconds 60 --json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.wsclient import Session, cookie_of
from deploy.serve import free_port, serve

PAGES = {"one-slider page": "bench/trivial_app.py", "/phase": "app.py"}
LABEL = "learning rate h"
VALUES = [round(0.01 * k, 2) for k in range(1, 101)]  # the slider's steps from 0.01 to 1.0


@dataclass(frozen=True)
class Row:
    page: str
    replicas: int
    students: int
    moves: int
    errors: int
    median_s: float
    p95_s: float
    rss_mib: float  # summed over the replicas, after the load


def p95(xs: list[float]) -> float:
    return statistics.quantiles(xs, n=20, method="inclusive")[-1] if len(xs) > 1 else (xs or [float("nan")])[0]


async def student(url: str, page: str, seconds: float, seed: int) -> tuple[list[float], list[str]]:
    """One student's tab: open the page, then move the slider every 0.5-1.5 s until `seconds` have passed."""
    rng = random.Random(seed)
    loop = asyncio.get_running_loop()
    cookie = await loop.run_in_executor(None, cookie_of, url)
    session, first = await Session.open(url, page, cookie=cookie)
    times, errors = [], list(first.errors)
    end = loop.time() + seconds
    try:
        while loop.time() < end:
            await asyncio.sleep(rng.uniform(0.5, 1.5))
            run = await session.rerun({LABEL: rng.choice(VALUES)})
            times.append(run.seconds)
            errors += run.errors
    finally:
        await session.close()
    return times, errors


async def classroom(url: str, page: str, students: int, seconds: float) -> tuple[list[float], list[str]]:
    results = await asyncio.gather(
        *(student(url, page, seconds, seed) for seed in range(students)), return_exceptions=True
    )
    times, errors = [], []
    for r in results:
        if isinstance(r, BaseException):
            errors.append(f"{type(r).__name__}: {r}")
        else:
            times += r[0]
            errors += r[1]
    return times, errors


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure(name: str, replicas: int, students: int, seconds: float) -> Row:
    script = PAGES[name]
    page = "" if script != "app.py" else "phase"
    with tempfile.TemporaryFile() as log, serve(replicas, free_port(), script, log=log) as cluster:
        times, errors = asyncio.run(classroom(cluster.url, page, students, seconds))
        rss = sum(rss_mib(p.pid) for p in cluster.procs[:replicas])
    for e in sorted(set(errors))[:5]:
        print(f"  {name} x{replicas}, {students} students: {e}", file=sys.stderr)
    return Row(name, replicas, students, len(times), len(errors), statistics.median(times), p95(times), rss)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.bench_load", description=__doc__.splitlines()[0])
    p.add_argument("--students", default="30", help="comma-separated class sizes (default 30)")
    p.add_argument("--seconds", type=float, default=40.0, help="length of each load, per row (default 40)")
    p.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = p.parse_args(argv)
    sizes = [int(s) for s in args.students.split(",")]
    rows = []
    for n in sizes:
        for name, replicas in (("one-slider page", 1), ("/phase", 1), ("/phase", 2)):
            rows.append(measure(name, replicas, n, args.seconds))
            print(f"  done: {name} x{replicas}, {n} students", file=sys.stderr, flush=True)
    if args.json:
        print(json.dumps([asdict(r) for r in rows], indent=1))
        return 0
    print(
        f"{'page':<16} {'replicas':>8} {'students':>8} {'moves':>6} {'errors':>6} {'median s':>9} {'p95 s':>7} "
        f"{'p95 ratio':>9} {'RSS MiB':>8}"
    )
    for r in rows:
        base = next(b for b in rows if b.students == r.students and b.page == "one-slider page")
        print(
            f"{r.page:<16} {r.replicas:>8} {r.students:>8} {r.moves:>6} {r.errors:>6} {r.median_s:>9.3f} "
            f"{r.p95_s:>7.3f} {r.p95_s / base.p95_s:>8.2f}x {r.rss_mib:>8.0f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
