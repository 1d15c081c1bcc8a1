"""Training throughput (images/s) of the DCGAN step of models.trainer against a plain reference step, same run.

    python -m bench.bench_torch_dcgan [--device auto] [--batch 64] [--steps 10] [--repeat 5] [--threads N] [--json]

reference: eager float32 DCGAN in the shape of the classic PyTorch example (ConvTranspose generator with
           batch norm, conv discriminator ending in a sigmoid, BCE loss, Adam 2e-4/β₁ 0.5, one G forward per
           iteration), written here for comparison only.
ours:      models.trainer.Trainer.round() on the same sizes (32×32×1, nz 100, width 64), gan loss, logging the
           losses and both gradient norms; variants: channels-last, torch.compile(dynamic=False) and, on CUDA,
           bf16 autocast. The two are timed in alternation (median over --repeat blocks of --steps steps), so
           load from other processes hits both alike.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time

import torch
from torch import nn

from dynamics.cli import print_json
from models.config import TrainConfig
from models.data import Data
from models.trainer import Trainer


def reference_nets(nz=100, width=64, channels=1):
    g = nn.Sequential(
        nn.ConvTranspose2d(nz, width * 4, 4, 1, 0, bias=False), nn.BatchNorm2d(width * 4), nn.ReLU(True),
        nn.ConvTranspose2d(width * 4, width * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(width * 2), nn.ReLU(True),
        nn.ConvTranspose2d(width * 2, width, 4, 2, 1, bias=False), nn.BatchNorm2d(width), nn.ReLU(True),
        nn.ConvTranspose2d(width, channels, 4, 2, 1, bias=False), nn.Tanh(),
    )  # fmt: skip
    d = nn.Sequential(
        nn.Conv2d(channels, width, 4, 2, 1, bias=False), nn.LeakyReLU(0.2, True),
        nn.Conv2d(width, width * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(width * 2), nn.LeakyReLU(0.2, True),
        nn.Conv2d(width * 2, width * 4, 4, 2, 1, bias=False), nn.BatchNorm2d(width * 4), nn.LeakyReLU(0.2, True),
        nn.Conv2d(width * 4, 1, 4, 1, 0, bias=False), nn.Sigmoid(), nn.Flatten(0),
    )  # fmt: skip
    return g, d


class Reference:
    """The plain step: D on real (label 1) and detached fake (label 0), then G through D with label 1."""

    def __init__(self, device, batch, nz=100):
        self.g, self.d = (m.to(device) for m in reference_nets(nz))
        self.opt_g = torch.optim.Adam(self.g.parameters(), 2e-4, betas=(0.5, 0.999))
        self.opt_d = torch.optim.Adam(self.d.parameters(), 2e-4, betas=(0.5, 0.999))
        self.bce, self.device, self.batch, self.nz = nn.BCELoss(), device, batch, nz
        self.real = torch.rand(batch, 1, 32, 32, device=device) * 2 - 1
        self.ones, self.zeros = torch.ones(batch, device=device), torch.zeros(batch, device=device)

    def round(self):
        fake = self.g(torch.randn(self.batch, self.nz, 1, 1, device=self.device))
        self.d.zero_grad()
        loss_d = self.bce(self.d(self.real), self.ones) + self.bce(self.d(fake.detach()), self.zeros)
        loss_d.backward()
        self.opt_d.step()
        self.g.zero_grad()
        loss_g = self.bce(self.d(fake), self.ones)
        loss_g.backward()
        self.opt_g.step()
        return loss_d.item(), loss_g.item()


def ours(device, batch, **options):
    images = torch.rand(2048, 1, 32, 32) * 2 - 1
    data = Data("bench", "image", (1, 32, 32), 10, images, torch.zeros(2048, dtype=torch.int64))
    cfg = TrainConfig(data="digits", loss="gan", device=device, batch=batch, nz=100, width=64, **options)
    return Trainer(cfg, data)


def sync(device):
    if device.startswith("cuda"):
        torch.cuda.synchronize()


def time_blocks(runners, device, steps, repeat, warmup):
    """Median seconds per step of each runner, timed block by block in alternation."""
    for r in runners.values():
        for _ in range(warmup):
            r.round()
    sync(device)
    times = {name: [] for name in runners}
    for _ in range(repeat):
        for name, r in runners.items():
            t = time.perf_counter()
            for _ in range(steps):
                r.round()
            sync(device)
            times[name].append((time.perf_counter() - t) / steps)
    return {name: statistics.median(v) for name, v in times.items()}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--device", default="auto")
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--variants", default="eager,channels-last,compile,amp,amp+channels-last+compile")
    p.add_argument("--threads", type=int, default=0, help="torch CPU threads (0: torch's default)")
    p.add_argument("--json", action="store_true")
    a = p.parse_args(argv)
    if a.threads:
        torch.set_num_threads(a.threads)
    device = "cuda" if a.device == "auto" and torch.cuda.is_available() else ("cpu" if a.device == "auto" else a.device)
    torch.manual_seed(0)
    runners = {"reference": Reference(device, a.batch)}
    for v in a.variants.split(","):
        opts = {"channels_last": "channels-last" in v, "compile": "compile" in v, "amp": "amp" in v}
        if opts["amp"] and not device.startswith("cuda"):
            continue
        runners["ours " + v] = ours(device, a.batch, **opts)
    warmup = 3 if not any("compile" in n for n in runners) else 5
    t = time_blocks(runners, device, a.steps, a.repeat, warmup)
    ref = t["reference"]
    rows = [{"step": n, "ms_per_step": 1e3 * s, "images_per_s": a.batch / s, "ratio_vs_reference": ref / s}
            for n, s in t.items()]  # fmt: skip
    machine = (f"{platform.processor() or platform.machine()}, {torch.get_num_threads()} threads, "
               + (torch.cuda.get_device_name() if device.startswith("cuda") else "no GPU"))  # fmt: skip
    if a.json:
        print_json({"device": device, "machine": machine, "torch": torch.__version__, "batch": a.batch, "rows": rows})
        return
    print(f"DCGAN step, 32×32×1, batch {a.batch}, device {device} ({machine}), torch {torch.__version__}")
    print("| step | ms/step | images/s | ratio vs reference |\n|---|---:|---:|---:|")
    for r in rows:
        print(f"| {r['step']} | {r['ms_per_step']:.1f} | {r['images_per_s']:.0f} | {r['ratio_vs_reference']:.2f} |")


if __name__ == "__main__":
    main()
