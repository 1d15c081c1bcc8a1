"""Benchmark of the Dirac-GAN core, as ratios measured in the same run (issue 11 item 8):

- the basin sweep (64×64 starts × 2,000 alternating rounds of gan+r1) against a plain per-trajectory, per-step
  Python loop with `math` (target ≥ 50×), in-process and as the CLI command end to end;
- the CLI's start-up, `python -m dynamics.phase --loss wgan-gp` with its figure, against a bare
  `python -c "import numpy, matplotlib.pyplot"` (target ≤ 2×), medians of interleaved runs.

Run: python -m bench.bench_phase            (--quick: a smaller loop sample; --before DIR: also time the CLI of
                                             another checkout, e.g. `git archive main | tar -x -C DIR`)
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

import numba
import numpy as np

import dynamics.dirac.compiled as compiled
from dynamics.dirac.field import make_objective
from dynamics.dirac.trajectories import Schedule, grid_starts, simulate

GAMMA, H, ROUNDS, N = 0.3, 0.1, 2000, 64
ROOT = Path(__file__).resolve().parents[1]
SWEEP_TARGET, STARTUP_TARGET = 50.0, 2.0
BARE = [sys.executable, "-c", "import numpy, matplotlib.pyplot"]
CLI = [sys.executable, "-m", "dynamics.phase", "--loss", "wgan-gp", "--out", "/tmp/bench-phase.png"]
CLI_SWEEP = [sys.executable, "-m", "dynamics.phase", "--loss", "gan", "--reg", "r1", "--gamma", str(GAMMA), "--lr"]
CLI_SWEEP += [str(H), "--scheme", "alt", "--steps", str(ROUNDS), "--start-grid", str(N), "--no-plot"]


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


def wall(cmd: list[str], root: Path = ROOT) -> float:
    """Seconds from start to exit of a fresh interpreter running `cmd` in `root` (Agg backend, as the CLI)."""
    env = {**os.environ, "PYTHONPATH": str(root), "MPLBACKEND": "Agg"}
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, env=env, cwd=root)
    return time.perf_counter() - t0


def time_startup(repeats: int, before: Path | None) -> dict[str, list[float]]:
    """Interleaved runs of the bare import and the CLI (and the CLI of `before`), so that load hits all alike."""
    times = {"bare": [], "cli": [], "before": []}
    for _ in range(repeats):
        times["bare"].append(wall(BARE))
        times["cli"].append(wall(CLI))
        if before is not None:
            times["before"].append(wall(CLI, before))
    return times


def time_sweep_engines(starts: np.ndarray) -> dict[str, tuple[float, np.ndarray]]:
    """The compiled path first ever (empty kernel cache), from the disk cache, warm on one thread and on all."""
    out = {}
    with tempfile.TemporaryDirectory() as empty:
        compiled.CACHE = Path(empty)  # first ever: write the kernel, numba compiles it
        out["first"] = time_batched(starts, "compiled")
        compiled.compiled_module.cache_clear()  # a new kernel module, numba already loaded: from its disk cache
        out["disk"] = time_batched(starts, "compiled")
        threads = numba.get_num_threads()
        numba.set_num_threads(1)
        out["one"] = min((time_batched(starts, "compiled") for _ in range(5)), key=lambda r: r[0])
        numba.set_num_threads(threads)
        out["all"] = min((time_batched(starts, "compiled") for _ in range(5)), key=lambda r: r[0])
    return out


FRESH = """
import time
from dynamics.dirac.field import make_objective
from dynamics.dirac.trajectories import Schedule, grid_starts, simulate
obj, starts = make_objective("gan", "r1", gamma={gamma}), grid_starts({n}, (-2, 2, -2, 2))
t0 = time.perf_counter()
simulate(obj, starts, Schedule({h}, {h}, "alt", rounds={rounds}), record=False, engine="compiled")
print(time.perf_counter() - t0)
"""


def time_fresh(repeats: int = 3) -> float:
    """Median seconds of the first sweep in a fresh interpreter (the core already imported): importing numba,
    loading the kernel from its disk cache and the sweep, what a CLI basin map pays beyond its start-up."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    runs = [
        float(subprocess.run(cmd, check=True, capture_output=True, text=True, env=env, cwd=ROOT).stdout)
        for cmd in [[sys.executable, "-c", FRESH.format(gamma=GAMMA, n=N, h=H, rounds=ROUNDS)]] * repeats
    ]
    return statistics.median(runs)


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="time the plain loop on 256 starts and extrapolate")
    parser.add_argument("--repeats", type=int, default=7, help="runs of each start-up command (default 7)")
    parser.add_argument("--before", type=Path, help="another checkout whose CLI start-up is timed alongside")
    args = parser.parse_args(argv)
    load_before = os.getloadavg()
    starts = grid_starts(N, (-2, 2, -2, 2))
    sample = starts[::16] if args.quick else starts
    engines = time_sweep_engines(starts)
    numpy_s, numpy_end = time_batched(starts, "numpy")
    loop_s, loop_end = time_plain_loop(sample)
    loop_full = loop_s * len(starts) / len(sample)
    step = 16 if args.quick else 1
    compiled_end = engines["all"][1]
    agree = max(np.max(np.abs(compiled_end[::step] - loop_end)), np.max(np.abs(numpy_end[::step] - loop_end)))
    fresh = time_fresh()
    cli_sweep = statistics.median(wall(CLI_SWEEP) for _ in range(3))
    startup = time_startup(args.repeats, args.before)
    load_after = os.getloadavg()

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    load = [" ".join(f"{x:.2f}" for x in avg) for avg in (load_before, load_after)]
    print(f"load average (1, 5, 15 min): {load[0]} before, {load[1]} after")
    print(f"workload: {len(starts)} trajectories × {ROUNDS} alternating rounds of gan+r1 (γ={GAMMA}, h={H})")
    print()
    threads = numba.get_num_threads()
    rows = [
        ("plain Python loop (floats, math)" + (f" ({len(sample)} starts, scaled)" if args.quick else ""), loop_full),
        ("simulate, numpy path (vectorized over starts)", numpy_s),
        ("simulate, compiled path, first ever call (+ JIT compile)", engines["first"][0]),
        ("simulate, compiled path, kernel module reloaded from disk cache", engines["disk"][0]),
        ("fresh interpreter: import numba, load the kernel, sweep", fresh),
        ("simulate, compiled path (numba), warm, 1 thread", engines["one"][0]),
        (f"simulate, compiled path (numba), warm, {threads} threads", engines["all"][0]),
        ("the CLI end to end (python -m dynamics.phase ... --start-grid 64)", cli_sweep),
    ]
    print(f"| {'implementation':<66} | {'seconds':>8} | {'speed-up':>8} |")
    print(f"|{'-' * 68}|{'-' * 10}|{'-' * 10}|")
    for name, seconds in rows:
        print(f"| {name:<66} | {seconds:8.3f} | {loop_full / seconds:7.1f}× |")
    print()
    print(f"largest difference between final states (vs the plain loop): {agree:.2e}")
    speedup = loop_full / engines["all"][0]
    print(f"sweep target ≥ {SWEEP_TARGET:g}× the plain loop (warm, {threads} threads as simulate runs): ", end="")
    print(f"{speedup:.1f}×, {verdict(speedup >= SWEEP_TARGET)}")
    print()
    bare, cli = statistics.median(startup["bare"]), statistics.median(startup["cli"])
    print(f"start-up, medians of {args.repeats} interleaved runs:")
    print(f"  python -c 'import numpy, matplotlib.pyplot'      {bare:.3f} s  (runs {fmt(startup['bare'])})")
    print(f"  python -m dynamics.phase --loss wgan-gp (figure)  {cli:.3f} s  (runs {fmt(startup['cli'])})")
    if startup["before"]:
        old = statistics.median(startup["before"])
        print(f"  the same, checkout {args.before}  {old:.3f} s  (runs {fmt(startup['before'])}): {old / bare:.2f}×")
    ratio = cli / bare
    print(f"start-up target ≤ {STARTUP_TARGET:g}× the bare import: {ratio:.2f}×, {verdict(ratio <= STARTUP_TARGET)}")


def fmt(times: list[float]) -> str:
    return " ".join(f"{t:.2f}" for t in times)


if __name__ == "__main__":
    main()
