"""Benchmark of convergence maps (models.convergence): one grid of GANs trained in one vectorized call, one by one
(a sample of cells timed and scaled to the grid, as the CLI's sequential_seconds), and as Ray tasks on a local
Ray instance (started before the clock runs; its start-up is reported apart), twice: the first call also starts
the worker processes, the second finds them up. The Ray map must equal the local one.

Run: python -m bench.bench_convergence                 (mlp family, 16 × 16 grid, 2000 rounds)
     python -m bench.bench_convergence --family dirac --no-ray
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from dataclasses import asdict, dataclass

import numpy as np
import torch

from models.convergence.engine import Setup
from models.convergence.maps import compute


@dataclass(frozen=True)
class Row:
    """One way of training the grid: wall-clock seconds and the speed-up against one by one."""

    way: str
    seconds: float
    vs_one_by_one: float
    measured: str


def run(setup: Setup, n: int, sample: int, chunks: int, ray: bool) -> tuple[list[Row], dict]:
    """The table's rows and the facts beside it (equal maps, Ray's start-up, agreement)."""
    local = compute(setup, n, sample=sample)
    base = local.sequential_seconds
    rows = [
        Row("one by one", base, 1.0, f"{local.sample} of {local.gans} GANs timed, × {local.gans / local.sample:g}"),
        Row("vectorized (torch.func.vmap)", local.seconds, base / local.seconds, f"all {local.gans} GANs"),
    ]
    facts = {"gans": local.gans, "agreement": local.agreement, "sample_same_status": local.sample_same}
    if ray:
        from models.convergence import distributed

        start = time.perf_counter()
        distributed.connect("local")
        facts["ray_start_seconds"] = time.perf_counter() - start
        for when in ("first call: workers start", "again: workers up"):
            remote = compute(setup, n, chunks=chunks, ray="local", sample=0)
            row = Row(
                f"Ray local, {chunks} tasks ({when})", remote.seconds, base / remote.seconds, f"all {remote.gans} GANs"
            )
            rows.append(row)
        facts["ray_equals_local"] = bool(
            np.array_equal(remote.status, local.status) and np.array_equal(remote.distance, local.distance)
        )
    return rows, facts


def table(rows: list[Row]) -> str:
    lines = ["| way | seconds | × faster than one by one | measured |", "|---|---:|---:|---|"]
    lines += [f"| {r.way} | {r.seconds:.1f} | {r.vs_one_by_one:.1f} | {r.measured} |" for r in rows]
    return "\n".join(lines)


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--family", default="mlp", choices=("dirac", "mlp"))
    p.add_argument("--grid", type=int, default=16, help="N: an N × N grid (default 16)")
    p.add_argument("--steps", type=int, default=2000, help="rounds per GAN (default 2000)")
    p.add_argument("--sample", type=int, default=8, help="GANs timed one by one (default 8)")
    p.add_argument("--chunks", type=int, default=2, help="Ray tasks (default 2, one per core here)")
    p.add_argument("--no-ray", action="store_true", help="leave Ray out")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    args = p.parse_args(argv)
    torch.set_num_threads(1)
    setup = Setup(family=args.family, loss="gan", reg="r1", steps=args.steps)
    rows, facts = run(setup, args.grid, args.sample, args.chunks, not args.no_ray)
    info = {
        "setup": asdict(setup),
        "grid": args.grid,
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, torch {torch.__version__}",
        "threads": torch.get_num_threads(),
        **facts,
    }
    if args.json:
        print(json.dumps({"rows": [asdict(r) for r in rows], **info}))
        return
    print(f"{args.family} gan + r1, {args.grid} × {args.grid} GANs, {args.steps} rounds; {info['machine']}, 1 thread")
    print(table(rows))
    print(
        f"agreement with the core: {facts['agreement']:.1%}; the one-by-one sample ends with the same status in "
        f"{facts['sample_same_status']:.0%} of its cells"
    )
    if "ray_start_seconds" in facts:
        print(
            f"Ray: local instance started in {facts['ray_start_seconds']:.1f} s (not in the table); map equal to "
            f"the vectorized one: {facts['ray_equals_local']}"
        )


if __name__ == "__main__":
    main()
