"""Wall time to train ring8 until all 8 modes are captured (VEEGAN/PacGAN protocol, 2,500 samples), on CPU.

    python -m bench.bench_torch_ring8 [--every 250] [--max-steps 12000] [--seeds 0,1,2] [--json]

Each method trains with models.train.train, evaluated every --every rounds; the clock stops at the first
evaluation with 8/8 modes. The time includes the evaluations (2,500 samples each), as a user would see it.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import tempfile
import time

import torch

from dynamics.cli import print_json
from models.train import train

PLAIN = {"net": "mlp", "reg": "none", "lr_decay": "none"}  # the small MLPs at a constant rate, not the toys' defaults
METHODS = {
    "nsgan, Adam 1e-4, batch 256": {**PLAIN, "loss": "nsgan", "lr": 1e-4, "batch": 256},
    "nsgan, Adam 3e-4, batch 256": {**PLAIN, "loss": "nsgan", "lr": 3e-4, "batch": 256},
    "nsgan + r1 (γ 0.01), Adam 3e-4, batch 256": {**PLAIN, "loss": "nsgan", "reg": "r1", "gamma": 0.01, "lr": 3e-4,
                                                   "batch": 256},
}  # fmt: skip


def time_to_modes(cfg, every, max_steps, seed):
    """(seconds, rounds, metrics at that point) of the first evaluation with 8 modes; None if never."""
    hit = {}
    t0 = time.perf_counter()

    def watch(record):
        m = record.get("metrics")
        if m and m["modes"] == 8:
            hit.update(seconds=time.perf_counter() - t0, step=record["step"], metrics=m)
            return False
        return None

    with tempfile.TemporaryDirectory() as out:
        cfg = {"data": "ring8", "steps": max_steps, "eval_every": every, "ckpt_every": 10**9, "seed": seed,
               "device": "cpu", **cfg}  # fmt: skip
        train(cfg, out=out + "/run", callback=watch)
    return hit or None


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--every", type=int, default=250)
    p.add_argument("--max-steps", type=int, default=12000)
    p.add_argument("--seeds", default="0,1,2")
    p.add_argument("--json", action="store_true")
    a = p.parse_args(argv)
    seeds = [int(s) for s in a.seeds.split(",")]
    rows = []
    for name, cfg in METHODS.items():
        runs = [time_to_modes(cfg, a.every, a.max_steps, s) for s in seeds]
        ok = [r for r in runs if r]
        rows.append({
            "method": name, "reached": f"{len(ok)}/{len(runs)}",
            "median_seconds": statistics.median(r["seconds"] for r in ok) if ok else None,
            "median_rounds": int(statistics.median(r["step"] for r in ok)) if ok else None,
            "runs": runs,
        })  # fmt: skip
    machine = f"{platform.processor() or platform.machine()}, CPU, torch {torch.__version__}"
    if a.json:
        print_json({"machine": machine, "rows": rows})
        return
    print(f"ring8 to 8/8 modes on {machine}; evaluation every {a.every} rounds, seeds {a.seeds}")
    print("| method | reached 8/8 | median s | median rounds | per seed: time @ rounds (high-quality fraction) |")
    print("|---|---|---:|---:|---|")
    for r in rows:
        per = "; ".join(f"{x['seconds']:.1f} s @ {x['step']} (hq {x['metrics']['high_quality']:.2f})" if x
                        else "never" for x in r["runs"])  # fmt: skip
        med = f"{r['median_seconds']:.1f}" if r["median_seconds"] is not None else "–"
        print(f"| {r['method']} | {r['reached']} | {med} | {r['median_rounds'] or '–'} | {per} |")


if __name__ == "__main__":
    main()
