"""A class pressing Play (issue 11 item 5): P students train on `/train1d` at once while one more moves "learning
rate h" on `/phase`; does every run advance, does the mover stay responsive, does the page say the server is busy,
and do the server's threads stay bounded (ui/training.py: one fair queue, STREAM_LOCK, for all training)?

Each student is a websocket session (bench/wsclient.py, no browser) behind deploy.serve's nginx: it opens
/train1d?steps=20000 (a run longer than the window), presses "▶ Play" and then sends the fragment's auto reruns
every TICK as the browser's timer does, for `--seconds`. Per student: rounds a second (the progress bar's "round X
of Y" at the end against the one after Play, over the window), ticks finished a second, each tick's latency (from
the earliest timer request a fragment run answered to its end) and whether a tick showed the busy note. The mover
is bench_load's student on /phase (a move every 0.5-1.5 s, timed from sending to the finished rerun); its ratio
column is its p95 against the row without players on as many replicas, measured in the same run. Server memory
and threads (/proc/<pid>/status) are read at the end of the window, before the players' sessions close, summed over
replicas. All clients share this process (one asyncio loop) and the machine's cores with the servers.

Run: python -m bench.bench_play                                  (0, 10 and 30 players, 30 s per row)
     python -m bench.bench_play --players 0,10,30 --seconds 30 --replicas 1,2 --json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import statistics
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.bench_load import p95, rss_mib, student
from bench.wsclient import Rerun, Session, cookie_of
from deploy.serve import free_port, serve

PAGE, QUERY, PLAY = "train1d", "steps=20000", "▶ Play"
ROUND = re.compile(r"round (\d+) of (\d+)")
BUSY = "The server is busy"  # ui.training.busy_note's first words


@dataclass(frozen=True)
class Player:
    """One student's Play over the window."""

    rounds_per_s: float
    ticks: int
    tick_s: tuple[float, ...]  # each finished tick's latency
    busy: bool  # a tick showed the busy note
    errors: tuple[str, ...]


@dataclass(frozen=True)
class Row:
    players: int
    replicas: int
    rounds_median: float  # rounds a second per player: median and least over players
    rounds_min: float
    advanced: int  # players whose run advanced at all
    ticks_per_s: float  # median over players
    tick_p95_s: float  # over every tick of every player
    busy: int  # players that saw the busy note
    moves: int  # the /phase mover's
    move_median_s: float
    move_p95_s: float
    errors: int  # exceptions shown (or raised by a client) over players and mover
    rss_mib: float  # summed over replicas, at the end of the window
    threads: int


def last_round(runs: list[Rerun]) -> int | None:
    """The last "round X of Y" a run showed, or None."""
    rounds = [int(m[1]) for r in runs for t in r.texts if (m := ROUND.search(t))]
    return rounds[-1] if rounds else None


def player(after_play: Rerun, ticks: list[Rerun], seconds: float) -> Player:
    """A student's figures from the run that Play started and the ticks that followed over `seconds`."""
    first, last = last_round([after_play]), last_round([after_play, *ticks])
    rate = (last - first) / seconds if first is not None and last is not None else 0.0
    return Player(
        rate,
        len(ticks),
        tuple(t.seconds for t in ticks),
        any(t.startswith(BUSY) for r in ticks for t in r.texts),
        tuple(e for r in (after_play, *ticks) for e in r.errors),
    )


def row(replicas: int, players: list[Player], seconds: float, moves: list[float], errors: int, rss, threads) -> Row:
    """A row from each player's figures and the mover's move times; `errors` counts those outside the players."""
    rates = [p.rounds_per_s for p in players]
    ticks = [s for p in players for s in p.tick_s]
    nan = float("nan")
    return Row(
        len(players),
        replicas,
        statistics.median(rates) if rates else nan,
        min(rates, default=nan),
        sum(r > 0 for r in rates),
        statistics.median(p.ticks / seconds for p in players) if players else nan,
        p95(ticks) if ticks else nan,
        sum(p.busy for p in players),
        len(moves),
        statistics.median(moves) if moves else nan,
        p95(moves) if moves else nan,
        errors + sum(len(p.errors) for p in players),
        rss,
        threads,
    )


def threads_of(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("Threads:"):
            return int(line.split()[1])
    return 0


async def open_player(url: str) -> tuple[Session, Rerun]:
    loop = asyncio.get_running_loop()
    cookie = await loop.run_in_executor(None, cookie_of, url)
    return await Session.open(url, PAGE, QUERY, cookie=cookie)


async def press_play(session: Session, first: Rerun, seconds: float) -> Player:
    after = await session.click(PLAY)
    after.errors[:0] = first.errors
    return player(after, await session.follow(seconds), seconds)


async def classroom(url: str, n: int, seconds: float, pids: list[int]) -> tuple:
    """n players press Play at once and one student moves on /phase, for `seconds`; returns the players, the
    mover's move times, the errors outside the players, and the servers' RSS and threads at the end."""
    opened = await asyncio.gather(*(open_player(url) for _ in range(n)), return_exceptions=True)
    sessions = [o for o in opened if not isinstance(o, BaseException)]
    errors = len(opened) - len(sessions)
    mover = asyncio.create_task(student(url, "phase", seconds, 0))
    played = await asyncio.gather(*(press_play(s, first, seconds) for s, first in sessions), return_exceptions=True)
    try:
        times, mover_errors = await mover
    except Exception as err:  # noqa: BLE001 - a failed mover is a row's error, not the benchmark's end
        times, mover_errors = [], [f"{type(err).__name__}: {err}"]
    rss, threads = sum(rss_mib(p) for p in pids), sum(threads_of(p) for p in pids)
    for s, _ in sessions:
        await s.close()
    players = [p for p in played if isinstance(p, Player)]
    failed = [f"{type(p).__name__}: {p}" for p in played if not isinstance(p, Player)]
    for e in sorted({*failed, *mover_errors, *(e for p in players for e in p.errors)})[:5]:
        print(f"  {n} players: {e}", file=sys.stderr)
    players += [Player(0.0, 0, (), False, (f,)) for f in failed]
    return players, times, errors + len(mover_errors), rss, threads


def measure(n: int, replicas: int, seconds: float) -> Row:
    with tempfile.TemporaryFile() as log, serve(replicas, free_port(), log=log) as cluster:
        pids = [p.pid for p in cluster.procs[:replicas]]
        players, times, errors, rss, threads = asyncio.run(classroom(cluster.url, n, seconds, pids))
    return row(replicas, players, seconds, times, errors, rss, threads)


def table(rows: list[Row]) -> str:
    head = (
        f"{'players':>7} {'replicas':>8} {'rounds/s med':>12} {'min':>6} {'advanced':>8} {'ticks/s':>7} "
        f"{'tick p95 s':>10} {'busy':>4} {'moves':>5} {'move med s':>10} {'move p95 s':>10} {'ratio':>6} "
        f"{'errors':>6} {'RSS MiB':>7} {'threads':>7}"
    )
    lines = [head]
    for r in rows:
        base = next((b for b in rows if b.players == 0 and b.replicas == r.replicas), None)
        ratio = r.move_p95_s / base.move_p95_s if base else float("nan")
        lines.append(
            f"{r.players:>7} {r.replicas:>8} {r.rounds_median:>12.1f} {r.rounds_min:>6.1f} "
            f"{r.advanced:>4}/{r.players:<3} {r.ticks_per_s:>7.1f} {r.tick_p95_s:>10.2f} {r.busy:>4} {r.moves:>5} "
            f"{r.move_median_s:>10.3f} {r.move_p95_s:>10.3f} {ratio:>5.2f}x {r.errors:>6} {r.rss_mib:>7.0f} "
            f"{r.threads:>7}"
        )
    return "\n".join(lines)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.bench_play", description=__doc__.splitlines()[0])
    p.add_argument("--players", default="0,10,30", help="comma-separated numbers of players (default 0,10,30)")
    p.add_argument("--seconds", type=float, default=30.0, help="length of each row's window (default 30)")
    p.add_argument("--replicas", default="1", help="comma-separated replica counts (default 1)")
    p.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = p.parse_args(argv)
    try:
        sizes = [int(s) for s in args.players.split(",")]
        replicas = [int(s) for s in args.replicas.split(",")]
    except ValueError:
        p.error(f"--players and --replicas take comma-separated integers, got {args.players!r}, {args.replicas!r}")
    if min(sizes) < 0 or max(sizes) > 200 or min(replicas) < 1 or max(replicas) > 8 or not 1 <= args.seconds <= 3600:
        p.error("--players in 0..200, --replicas in 1..8, --seconds in 1..3600")
    rows = []
    for k in replicas:
        for n in sizes:
            rows.append(measure(n, k, args.seconds))
            print(f"  done: {n} players x{k}", file=sys.stderr, flush=True)
    print(json.dumps([asdict(r) for r in rows], indent=1) if args.json else table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
