"""PacGAN's Table 1 protocol (Lin et al. 2018) on our objectives: where runs END, over several seeds.

    python -m bench.bench_pacgan [--data ring8,grid25] [--seeds 0,1,2] [--steps N] [--methods default,pacgan,...]

Every run trains one method for the full budget: `default` is the CLI's defaults (models.config.TOY_DEFAULTS:
nsgan with R1 at γ = 0.1 on the small MLPs, Adam 1e-3 decayed linearly to 0, 100,000 rounds), `no-r1` and
`no-decay` leave one of its parts out, `gan` swaps in the saturating loss; `pacgan` is PacGAN's GAN at its protocol
(models.config.PACGAN_DEFAULTS: its nets, noise N(0, I₂), Adam 1e-4 with β₁ = 0.8, 20,000 rounds here),
`pacgan-gan` with the saturating loss, `pacgan-pack2` with its packing. Each run is measured once, at its last
round (2,500 samples; modes with ≥ 20 high-quality samples, a sample being high quality within 3σ of a mode;
reverse KL of the mode histogram to uniform). No run stops early and no best-of is taken. The table gives
mean ± std over seeds and the seconds per run.
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

METHODS = {
    "default": {},  # the CLI's defaults (models.config.TOY_DEFAULTS): nsgan + R1, small MLPs, linear decay
    "no-r1": {"reg": "none"},
    "no-decay": {"lr_decay": "none"},
    "gan": {"loss": "gan", "reg": "r1"},
    "pacgan": {"net": "pacgan"},  # PacGAN's GAN at its protocol (models.config.PACGAN_DEFAULTS), 20,000 rounds
    "pacgan-gan": {"net": "pacgan", "loss": "gan"},
    "pacgan-pack2": {"net": "pacgan", "pack": 2},
}


def final_metrics(data, method, seed, steps=None):
    """The metrics at the last round of one run (and its seconds)."""
    cfg = {"data": data, "seed": seed, "device": "cpu", **METHODS[method]}
    if steps is not None:
        cfg["steps"] = steps
    with tempfile.TemporaryDirectory() as out:
        t0 = time.perf_counter()
        cfg["eval_every"] = cfg["ckpt_every"] = 10**9  # evaluated once, at the end
        result = train(cfg, out=out + "/run")
        return {**result["metrics"], "seconds": time.perf_counter() - t0, "steps": result["step"]}


def mean_std(values):
    return statistics.mean(values), (statistics.stdev(values) if len(values) > 1 else 0.0)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", default="ring8,grid25")
    p.add_argument("--methods", default="default,pacgan", help=", ".join(METHODS))
    p.add_argument("--seeds", default="0,1,2")
    p.add_argument("--steps", type=int, help="rounds per run (default: the data's default)")
    p.add_argument("--json", action="store_true")
    a = p.parse_args(argv)
    torch.set_num_threads(1)
    seeds = [int(s) for s in a.seeds.split(",")]
    unknown = [m for m in a.methods.split(",") if m not in METHODS]
    if unknown:
        p.error(f"--methods {unknown[0]!r} is not one of {', '.join(METHODS)}")
    rows = []
    if not a.json:
        print("| data | method | rounds | modes | high quality % | reverse KL | s per run | per seed: modes (HQ) |")
        print("|---|---|---:|---:|---:|---:|---:|---|")
    for data in a.data.split(","):
        for method in a.methods.split(","):
            runs = [final_metrics(data, method, s, a.steps) for s in seeds]
            rows.append({"data": data, "method": method, "runs": runs})
            if not a.json:
                m, hq, kl = (mean_std([r[k] for r in runs]) for k in ("modes", "high_quality", "reverse_kl"))
                per = ", ".join(f"{r['modes']} ({r['high_quality']:.2f})" for r in runs)
                print(f"| {data} | {method} | {runs[0]['steps']} | {m[0]:.1f} ± {m[1]:.1f} | "
                      f"{100 * hq[0]:.1f} ± {100 * hq[1]:.1f} | {kl[0]:.2f} ± {kl[1]:.2f} | "
                      f"{statistics.mean(r['seconds'] for r in runs):.0f} | {per} |", flush=True)  # fmt: skip
    machine = f"{platform.processor() or platform.machine()}, CPU, torch {torch.__version__}"
    if a.json:
        print_json({"machine": machine, "seeds": seeds, "rows": rows})


if __name__ == "__main__":
    main()
