"""Benchmark of the Dirac-GAN core: the basin sweep (64×64 starts × 2,000 alternating rounds of gan+r1)
against a plain per-trajectory, per-step Python loop, and the default CLI run end to end.

Run: python -m bench.bench_phase            (add --quick for a smaller loop sample)
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

import dynamics.dirac.compiled as compiled
from dynamics.dirac.field import make_objective
from dynamics.dirac.trajectories import Schedule, grid_starts, simulate

GAMMA, H, ROUNDS, N = 0.3, 0.1, 2000, 64
ROOT = Path(__file__).resolve().parents[1]


def plain_round(th: float, ps: float) -> tuple[float, float]:
    """One alternating round of gan+r1 with floats and math: v = (−ψσ(−ψθ), θσ(−ψθ) − γψ)."""
    th += H * (-ps / (1 + math.exp(ps * th)))
    ps += H * (th / (1 + math.exp(ps * th)) - GAMMA * ps)
    return th, ps


def time_plain_loop(starts: np.ndarray) -> tuple[float, np.ndarray]:
    t0 = time.perf_counter()
    ends = []
    for th, ps in starts:
        th, ps = float(th), float(ps)
        for _ in range(ROUNDS):
            th, ps = plain_round(th, ps)
        ends.append((th, ps))
    return time.perf_counter() - t0, np.array(ends)


def time_batched(starts: np.ndarray, engine: str) -> tuple[float, np.ndarray]:
    """One call of `simulate` on the whole grid with the given engine ("compiled" or "numpy")."""
    obj = make_objective("gan", "r1", gamma=GAMMA)
    t0 = time.perf_counter()
    run = simulate(obj, starts, Schedule(H, H, "alt", rounds=ROUNDS), record=False, engine=engine)
    return time.perf_counter() - t0, run.end


def time_cli(repeats: int = 5) -> list[float]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MPLBACKEND": "Agg"}
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "dynamics.phase", "--loss", "wgan-gp", "--out", "/tmp/bench-phase.png"],
            check=True,
            capture_output=True,
            env=env,
        )
        times.append(time.perf_counter() - t0)
    return times


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="time the plain loop on 256 starts and extrapolate")
    args = parser.parse_args(argv)
    starts = grid_starts(N, (-2, 2, -2, 2))
    sample = starts[::16] if args.quick else starts
    with tempfile.TemporaryDirectory() as empty:
        compiled.CACHE = Path(empty)  # first ever: lambdify, write the kernel, numba compiles it
        first_s, _ = time_batched(starts, "compiled")
        compiled.compiled_sweep.cache_clear()  # as a new process: the kernel comes from numba's disk cache
        disk_s, _ = time_batched(starts, "compiled")
        compiled_s, compiled_end = time_batched(starts, "compiled")
    numpy_s, numpy_end = time_batched(starts, "numpy")
    loop_s, loop_end = time_plain_loop(sample)
    loop_full = loop_s * len(starts) / len(sample)
    step = 16 if args.quick else 1
    agree = max(np.max(np.abs(compiled_end[::step] - loop_end)), np.max(np.abs(numpy_end[::step] - loop_end)))
    cli = time_cli()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"workload: {len(starts)} trajectories × {ROUNDS} alternating rounds of gan+r1 (γ={GAMMA}, h={H})")
    print()
    rows = [
        ("plain Python loop (floats, math)" + (f" ({len(sample)} starts, scaled)" if args.quick else ""), loop_full),
        ("simulate, numpy path (vectorized over starts)", numpy_s),
        ("simulate, compiled path, first ever call (+ JIT compile)", first_s),
        ("simulate, compiled path, new process (kernel from disk cache)", disk_s),
        ("simulate, compiled path (numba), warm", compiled_s),
    ]
    print(f"| {'implementation':<62} | {'seconds':>8} | {'speed-up':>8} |")
    print(f"|{'-' * 64}|{'-' * 10}|{'-' * 10}|")
    for name, seconds in rows:
        print(f"| {name:<62} | {seconds:8.3f} | {loop_full / seconds:7.1f}× |")
    print()
    print(f"largest difference between final states (vs the plain loop): {agree:.2e}")
    print(
        f"`python -m dynamics.phase --loss wgan-gp` (start-up and figure): median {statistics.median(cli):.2f} s, "
        f"max {max(cli):.2f} s over {len(cli)} runs"
    )


if __name__ == "__main__":
    main()
