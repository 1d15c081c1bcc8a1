"""Train a GAN on 1-D, 2-D or image data with any loss × regularizer: `python -m models.train`.

One round = d_steps discriminator updates, then one generator update (extragradient: one simultaneous
extrapolate-then-update step of both players). Everything a run needs to continue is in DIR/checkpoint.pt
(models, optimizers, step, random streams), so `--resume DIR` continues the exact loss sequence.
Per-step losses and gradient norms go to DIR/log.csv, metrics to DIR/metrics.jsonl, pictures to DIR/samples/.
"""

from __future__ import annotations

import contextlib
import csv
import json
import math
import signal
import sys
import threading
import time
from pathlib import Path

import numpy as np
import torch

from dynamics.cli import InputError, Parser, finite_float, print_json, run_main
from models import checkpoint, nets
from models.data import IMAGES, load
from models.evaluate import evaluate
from models.losses import LOSSES, gen_loss
from models.progress import Bar
from models.regularizers import REGULARIZERS, objectives
from models.samples import save_samples

OPTIMIZERS = ("sgd", "momentum", "adam", "rmsprop", "extragradient")
LOG_FIELDS = ("step", "d_objective", "g_loss", "d_grad_norm", "g_grad_norm", "seconds")
DEFAULTS = {
    "data": "ring8",
    "loss": "gan",
    "reg": "none",
    "gamma": 10.0,
    "sigma": 0.1,
    "clip": None,
    "target": 1.0,
    "optimizer": "adam",
    "lr": None,
    "lr_g": None,
    "lr_d": None,
    "d_steps": 1,
    "steps": 2000,
    "batch": 64,
    "seed": 0,
    "device": "auto",
    "conditional": False,
    "nz": None,
    "width": None,
    "eval_every": 500,
    "ckpt_every": 500,
    "amp": False,
    "channels_last": False,
    "compile": False,
}


class NonFiniteError(RuntimeError):
    """A loss or gradient norm became NaN or inf; the message names the step and the quantity."""


def resolve(cfg):
    """Fill data-dependent defaults and check the combination; raises InputError naming the bad option."""
    cfg = {**DEFAULTS, **{k: v for k, v in cfg.items() if v is not None}}
    image = cfg["data"] in IMAGES
    lr = cfg["lr"] if cfg["lr"] is not None else (2e-4 if image else 1e-3)
    cfg["lr_g"] = cfg["lr_g"] if cfg["lr_g"] is not None else lr
    cfg["lr_d"] = cfg["lr_d"] if cfg["lr_d"] is not None else lr
    cfg["lr"] = lr
    cfg["nz"] = cfg["nz"] or (64 if image else 8)
    cfg["width"] = cfg["width"] or (32 if image else 128)
    if cfg["loss"] not in LOSSES:
        raise InputError(f"--loss must be one of {', '.join(LOSSES)}, got {cfg['loss']!r}")
    if cfg["reg"] not in REGULARIZERS:
        raise InputError(f"--reg must be one of {', '.join(REGULARIZERS)}, got {cfg['reg']!r}")
    if cfg["optimizer"] not in OPTIMIZERS:
        raise InputError(f"--optimizer must be one of {', '.join(OPTIMIZERS)}, got {cfg['optimizer']!r}")
    if cfg["optimizer"] == "extragradient" and cfg["d_steps"] != 1:
        raise InputError("--optimizer extragradient updates both players together; --d-steps must be 1")
    for key in ("d_steps", "batch"):
        if cfg[key] < 1:
            raise InputError(f"--{key.replace('_', '-')} must be at least 1, got {cfg[key]}")
    if cfg["steps"] < 0:
        raise InputError(f"--steps must be ≥ 0, got {cfg['steps']}")
    if cfg["batch"] < 2:
        raise InputError("--batch must be at least 2 (batch norm needs two samples)")
    if cfg["reg"] == "instance-noise" and cfg["sigma"] <= 0:
        raise InputError(f"--sigma must be > 0 with --reg instance-noise, got {cfg['sigma']}")
    if cfg["device"] == "auto":
        cfg["device"] = "cuda" if torch.cuda.is_available() else "cpu"
    if cfg["device"].startswith("cuda") and not torch.cuda.is_available():
        raise InputError("--device cuda: no CUDA device is available (this torch build or machine has none)")
    if cfg["device"] not in ("cpu",) and not cfg["device"].startswith("cuda"):
        raise InputError(f"--device must be auto, cpu or cuda[:N], got {cfg['device']!r}")
    if cfg["amp"] and not cfg["device"].startswith("cuda"):
        raise InputError("--amp (bf16 autocast) is a CUDA option; this run is on the CPU")
    if cfg["channels_last"] and not image:
        raise InputError("--channels-last applies to image data only")
    return cfg


def build(cfg, data):
    """Generator and discriminator for the data kind; conditional + loss-sensitive gives the CLS-GAN."""
    k = data.n_classes if cfg["conditional"] else 0
    if cfg["conditional"] and data.n_classes == 0:
        raise InputError(f"--conditional needs labelled data; {cfg['data']} has no classes")
    cls = cfg["conditional"] and cfg["loss"] == "loss-sensitive"
    if data.kind == "image":
        size, ch = data.shape[1], data.shape[0]
        norm = "layer" if cfg["loss"] == "wgan-gp" or cfg["reg"] in ("r1", "r2") else "batch"
        G = nets.DCGANGenerator(size, ch, cfg["nz"], k, cfg["width"])
        if cls:
            D = nets.CLSDiscriminator(nets.DCGANDiscriminator(size, ch, 0, cfg["width"], norm, n_out=k))
        else:
            D = nets.DCGANDiscriminator(size, ch, k, cfg["width"], norm)
        G.apply(nets.init_weights)
        D.apply(nets.init_weights)
    else:
        dim = data.shape[0]
        G = nets.MLPGenerator(dim, cfg["nz"], k, cfg["width"])
        D = (
            nets.CLSDiscriminator(nets.MLPDiscriminator(dim, 0, cfg["width"], n_out=k))
            if cls
            else (nets.MLPDiscriminator(dim, k, cfg["width"]))
        )
    return G, D


def optimizer(name, params, lr):
    if name in ("sgd", "extragradient"):
        return torch.optim.SGD(params, lr)
    if name == "momentum":
        return torch.optim.SGD(params, lr, momentum=0.9)
    if name == "adam":
        return torch.optim.Adam(params, lr, betas=(0.5, 0.999))
    return torch.optim.RMSprop(params, lr)


def grad_norm(params):
    return torch.nn.utils.get_total_norm([p.grad for p in params if p.grad is not None])


class Trainer:
    """The models, optimizers and random streams of one run, and one training round."""

    def __init__(self, cfg, data):
        self.cfg, self.data = cfg, data
        self.device = torch.device(cfg["device"])
        torch.manual_seed(cfg["seed"])
        self.rng = np.random.default_rng(cfg["seed"])
        self.G, self.D = (m.to(self.device) for m in build(cfg, data))
        if cfg["channels_last"]:
            self.G, self.D = (m.to(memory_format=torch.channels_last) for m in (self.G, self.D))
        self.g_params, self.d_params = list(self.G.parameters()), list(self.D.parameters())
        self.opt_g = optimizer(cfg["optimizer"], self.g_params, cfg["lr_g"])
        self.opt_d = optimizer(cfg["optimizer"], self.d_params, cfg["lr_d"])
        compile_ = (lambda m: torch.compile(m, dynamic=False)) if cfg["compile"] else (lambda m: m)
        self.g_fn, self.d_fn = compile_(self.G), compile_(self.D)
        self.step = 0

    def state(self):
        return {
            "G": self.G.state_dict(),
            "D": self.D.state_dict(),
            "opt_g": self.opt_g.state_dict(),
            "opt_d": self.opt_d.state_dict(),
            "step": self.step,
            "rng": checkpoint.rng_state(self.rng),
            "config": self.cfg,
        }

    def load_state(self, s):
        self.G.load_state_dict(s["G"])
        self.D.load_state_dict(s["D"])
        self.opt_g.load_state_dict(s["opt_g"])
        self.opt_d.load_state_dict(s["opt_d"])
        self.step = s["step"]
        checkpoint.set_rng_state(s["rng"], self.rng)

    def batch(self):
        """Real samples, their labels (conditional runs), and latent codes."""
        x, y = self.data.sample(self.cfg["batch"], self.rng)
        x = x.to(self.device, non_blocking=True)
        if self.cfg["channels_last"]:
            x = x.contiguous(memory_format=torch.channels_last)
        y = y.to(self.device) if self.cfg["conditional"] else None
        return x, y, torch.randn(self.cfg["batch"], self.cfg["nz"], device=self.device)

    def autocast(self):
        if self.cfg["amp"]:
            return torch.autocast("cuda", dtype=torch.bfloat16)
        return contextlib.nullcontext()

    def objectives(self, real, y, fake):
        c = self.cfg
        D = self.d_fn if y is None else (lambda x: self.d_fn(x, y))
        return objectives(
            c["loss"],
            c["reg"],
            D,
            real,
            fake,
            gamma=c["gamma"],
            sigma=c["sigma"],
            target=c["target"],
            g_params=self.g_params,
            d_params=self.d_params,
        )

    def d_update(self):
        """One discriminator step; returns its objective, gradient norm, and the fake batch (with G's graph)."""
        real, y, z = self.batch()
        with self.autocast():
            fake = self.g_fn(z, y)
            obj_d, _ = self.objectives(real, y, fake if self.cfg["reg"] == "consensus" else fake.detach())
        self.opt_d.zero_grad(set_to_none=True)
        (-obj_d).backward(inputs=self.d_params)
        norm = grad_norm(self.d_params)
        self.opt_d.step()
        if self.cfg["clip"] is not None:
            with torch.no_grad():
                for p in self.d_params:
                    p.clamp_(-self.cfg["clip"], self.cfg["clip"])
        return obj_d.detach(), norm, fake, y

    def g_update(self, fake, y):
        """One generator step on the last D step's fake batch (as in DCGAN: one G forward per round);
        consensus needs real data and the field at the current point, so it draws a fresh batch."""
        c = self.cfg
        with self.autocast():
            if c["reg"] == "consensus":
                real, y, z = self.batch()
                _, loss_g = self.objectives(real, y, self.g_fn(z, y))
            else:
                if c["reg"] == "instance-noise":
                    fake = fake + c["sigma"] * torch.randn_like(fake)
                loss_g = gen_loss(c["loss"], self.d_fn(fake) if y is None else self.d_fn(fake, y))
        self.opt_g.zero_grad(set_to_none=True)
        loss_g.backward(inputs=self.g_params)
        norm = grad_norm(self.g_params)
        self.opt_g.step()
        return loss_g.detach(), norm

    def extragradient_update(self):
        """x½ = x − h·g(x), then x ← x − h·g(x½), both players together, on one batch."""
        real, y, z = self.batch()
        start = [p.detach().clone() for p in self.g_params + self.d_params]
        for phase in range(2):
            with self.autocast():
                obj_d, loss_g = self.objectives(real, y, self.g_fn(z, y))
            grads = torch.autograd.grad(loss_g, self.g_params, retain_graph=True, allow_unused=True)
            grads += torch.autograd.grad(-obj_d, self.d_params, allow_unused=True)
            with torch.no_grad():
                if phase == 1:
                    for p, p0 in zip(self.g_params + self.d_params, start, strict=True):
                        p.copy_(p0)
                for p, g in zip(self.g_params + self.d_params, grads, strict=True):
                    p.grad = g
            if phase == 0:
                out = (obj_d.detach(), loss_g.detach(), grad_norm(self.d_params), grad_norm(self.g_params))
            self.opt_g.step()
            self.opt_d.step()
        return out

    def round(self):
        """One round; returns (d_objective, g_loss, d_grad_norm, g_grad_norm) of its last updates."""
        if self.cfg["optimizer"] == "extragradient":
            vals = self.extragradient_update()
        else:
            for _ in range(self.cfg["d_steps"]):
                obj_d, norm_d, fake, y = self.d_update()
            loss_g, norm_g = self.g_update(fake, y)
            vals = (obj_d, loss_g, norm_d, norm_g)
        self.step += 1
        return torch.stack([v.float() for v in vals]).tolist()


class RunDir:
    """The run directory: config.json, log.csv, metrics.jsonl, samples/, checkpoint.pt."""

    def __init__(self, path):
        self.path = Path(path)
        (self.path / "samples").mkdir(parents=True, exist_ok=True)
        self.ckpt = self.path / "checkpoint.pt"

    def start(self, cfg, step):
        """Write the config; keep log rows up to `step` (a resumed run rewrites what follows)."""
        (self.path / "config.json").write_text(json.dumps(cfg, indent=1) + "\n")
        self._truncate("log.csv", step, lambda line: int(line.split(",")[0]), header=",".join(LOG_FIELDS))
        self._truncate("metrics.jsonl", step, lambda line: json.loads(line)["step"])
        self.log = open(self.path / "log.csv", "a", newline="")  # noqa: SIM115 - closed in close()
        self.writer = csv.writer(self.log)
        self.metrics = open(self.path / "metrics.jsonl", "a")  # noqa: SIM115

    def _truncate(self, name, step, step_of, header=None):
        path = self.path / name
        lines = path.read_text().splitlines() if path.exists() else ([header] if header else [])
        body = [ln for ln in lines[1 if header else 0 :] if ln and step_of(ln) <= step]
        path.write_text("\n".join(([header] if header else []) + body) + ("\n" if header or body else ""))

    def close(self):
        self.log.close()
        self.metrics.close()


def train(cfg, out=None, resume=None, callback=None, progress=False, cache_dir=None):
    """Run (or continue) training; returns {"status", "step", "run_dir", "metrics", "message"}.

    status: "finished", "interrupted" (Ctrl-C or the callback returned False; a checkpoint is saved) or
    raises NonFiniteError. callback(record) is called after every round with the logged values (and
    "metrics" when evaluated).
    """
    if resume is not None:
        saved = checkpoint.load(Path(resume) / "checkpoint.pt")
        cfg = {
            **saved["config"],
            **{k: v for k, v in cfg.items() if k in ("steps", "device") and v is not None},
        }
        out = resume
    cfg = resolve(cfg)
    if resume is None and out is not None and (Path(out) / "checkpoint.pt").exists():
        raise InputError(f"--out {out} already holds a run; continue it with --resume {out} or pick another --out")
    data = load(cfg["data"])
    threads = torch.get_num_threads()
    if data.kind != "image" and cfg["device"] == "cpu":
        torch.set_num_threads(1)  # tiny MLPs: intra-op threads only add overhead (measured 10×+ on 2 cores)
    trainer = Trainer(cfg, data)
    if resume is not None:
        trainer.load_state(saved)
    out = out or f"runs/{cfg['data'].split('(')[0]}-{cfg['loss']}-{cfg['reg']}-{time.strftime('%Y%m%d-%H%M%S')}"
    run = RunDir(out)
    cache_dir = cache_dir or run.path.parent / ".cache"
    run.start(cfg, trainer.step)
    stop = {"flag": False}
    handler_installed = threading.current_thread() is threading.main_thread()
    if handler_installed:
        previous = signal.signal(signal.SIGINT, lambda *_: stop.update(flag=True))
    bar = Bar(cfg["steps"], trainer.step) if progress else None
    t0, latest, status = time.perf_counter(), {}, "finished"

    def save_checkpoint():
        checkpoint.save(run.ckpt, trainer.state())

    def measure():
        m, x, curve = evaluate(trainer.G, trainer.D, data, cfg, trainer.device, cache_dir)
        run.metrics.write(json.dumps({"step": trainer.step, **m}) + "\n")
        run.metrics.flush()
        save_samples(
            run.path / "samples" / f"step_{trainer.step:06d}.png",
            data,
            x.numpy(),
            f"{cfg['data']} {cfg['loss']}/{cfg['reg']} step {trainer.step}",
            curve,
        )
        return m

    try:
        if trainer.step == 0:
            latest = measure()
        while trainer.step < cfg["steps"]:
            values = trainer.round()
            record = dict(zip(LOG_FIELDS, [trainer.step, *values, round(time.perf_counter() - t0, 4)], strict=True))
            run.writer.writerow(record.values())
            bad = [name for name, v in zip(LOG_FIELDS[1:5], values, strict=True) if not math.isfinite(v)]
            if bad:
                run.log.flush()
                kept = f"the last checkpoint in {run.ckpt} is kept" if run.ckpt.exists() else "no checkpoint yet"
                raise NonFiniteError(
                    f"step {trainer.step}: non-finite {', '.join(f'{n} = {record[n]}' for n in bad)}; stopped ({kept})"
                )
            if trainer.step % cfg["eval_every"] == 0 or trainer.step == cfg["steps"]:
                latest = record["metrics"] = measure()
            if trainer.step % cfg["ckpt_every"] == 0 and trainer.step < cfg["steps"]:
                run.log.flush()
                save_checkpoint()
            if bar:
                bar.update(trainer.step, f"D {values[0]:.3f} G {values[1]:.3f}")
            if callback is not None and callback(record) is False:
                stop["flag"] = True
            if stop["flag"] and trainer.step < cfg["steps"]:
                run.log.flush()
                save_checkpoint()
                status = "interrupted"
                break
    finally:
        if bar:
            bar.close()
        run.close()
        if handler_installed:
            signal.signal(signal.SIGINT, previous)
        torch.set_num_threads(threads)
    if status == "finished":
        save_checkpoint()
    message = (
        f"interrupted at step {trainer.step}; checkpoint saved, continue with --resume {run.path}"
        if status == "interrupted"
        else f"finished {trainer.step} steps in {run.path}"
    )
    return {
        "status": status,
        "step": trainer.step,
        "run_dir": str(run.path),
        "metrics": latest,
        "message": message,
    }


def parse_args(argv):
    p = Parser(prog="python -m models.train", description=__doc__.splitlines()[0])
    p.add_argument(
        "--data",
        help="ring8, grid25, digits, mnist5k, fashion-mnist, or a 1-D density spec "
        "such as 'mixture(0.5*normal(-2, 0.5), 0.5*normal(2, 0.5))' (default ring8)",
    )
    p.add_argument("--loss", choices=LOSSES, help="default gan")
    p.add_argument("--reg", choices=REGULARIZERS, help="default none")
    p.add_argument("--gamma", help="weight of wgan-gp, r1, r2 and consensus (default 10)")
    p.add_argument("--sigma", help="instance-noise standard deviation (default 0.1)")
    p.add_argument("--clip", help="WGAN weight clipping c: D's weights clamped to [−c, c] after each D step")
    p.add_argument("--target", help="wgan-gp target gradient norm g₀ (default 1)")
    p.add_argument("--optimizer", choices=OPTIMIZERS, help="default adam (β = 0.5, 0.999)")
    p.add_argument("--lr", help="both learning rates (default 2e-4 for images, 1e-3 otherwise)")
    p.add_argument("--lr-g", help="generator learning rate")
    p.add_argument("--lr-d", help="discriminator learning rate")
    p.add_argument("--d-steps", type=int, help="discriminator steps per generator step (default 1)")
    p.add_argument("--steps", type=int, help="rounds to train (total, also when resuming; default 2000)")
    p.add_argument("--batch", type=int, help="batch size (default 64)")
    p.add_argument("--seed", type=int, help="seed of every random stream (default 0)")
    p.add_argument("--device", help="auto (CUDA when present), cpu or cuda")
    p.add_argument(
        "--conditional",
        action="store_true",
        default=None,
        help="class-conditional G and D (Mirza & Osindero); with loss-sensitive: CLS-GAN (Qi)",
    )
    p.add_argument("--eval-every", type=int, help="rounds between metrics and sample pictures (default 500)")
    p.add_argument("--ckpt-every", type=int, help="rounds between checkpoints (default 500)")
    p.add_argument("--amp", action="store_true", default=None, help="bf16 autocast (CUDA)")
    p.add_argument("--channels-last", action="store_true", default=None, help="channels-last memory format")
    p.add_argument("--compile", action="store_true", default=None, help="torch.compile(dynamic=False)")
    p.add_argument("--out", help="run directory (default runs/DATA-LOSS-REG-TIME)")
    p.add_argument("--resume", help="continue the run in this directory (only --steps/--device may change)")
    p.add_argument("--cache", help="directory of cached metric classifiers (default RUNS_ROOT/.cache)")
    p.add_argument("--json", action="store_true", help="print one JSON object with the result")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    return p.parse_args(argv)


FLOATS = {
    "gamma": (0, math.inf, False),
    "sigma": (0, math.inf, False),
    "clip": (0, math.inf, True),
    "target": (0, math.inf, False),
    "lr": (0, math.inf, True),
    "lr_g": (0, math.inf, True),
    "lr_d": (0, math.inf, True),
}


def main(argv=None):
    a = parse_args(argv)
    cfg = {k: v for k, v in vars(a).items() if k not in ("out", "resume", "json", "quiet", "cache")}
    for key, (low, high, low_open) in FLOATS.items():
        if cfg[key] is not None:
            cfg[key] = finite_float(cfg[key], "--" + key.replace("_", "-"), low, high, low_open)
    for key in ("eval_every", "ckpt_every"):
        if cfg[key] is not None and cfg[key] < 1:
            raise InputError(f"--{key.replace('_', '-')} must be at least 1, got {cfg[key]}")
    if a.resume is not None:
        given = [k for k, v in cfg.items() if v is not None and k not in ("steps", "device")]
        if given:
            raise InputError(f"--resume continues a run with its own settings; drop --{given[0].replace('_', '-')}")
        if not (Path(a.resume) / "checkpoint.pt").exists():
            raise InputError(f"--resume: no checkpoint.pt in {a.resume}")
    try:
        result = train(cfg, a.out, a.resume, progress=not a.quiet and sys.stderr.isatty(), cache_dir=a.cache)
    except NonFiniteError as err:
        if a.json:
            print_json({"status": "non-finite", "message": str(err)})
        print(f"python -m models.train: {err}", file=sys.stderr)
        return 1
    if a.json:
        print_json(result)
    else:
        print(result["message"])
        print(json.dumps(result["metrics"]))
    return 130 if result["status"] == "interrupted" else 0


if __name__ == "__main__":
    sys.exit(run_main(main, prog="python -m models.train"))
