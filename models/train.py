"""Train a GAN on 1-D, 2-D or image data with any loss × regularizer: `python -m models.train`.

One round = d_steps discriminator updates, then one generator update (extragradient: one simultaneous
extrapolate-then-update step of both players). Everything a run needs to continue is in DIR/checkpoint.pt
(models, optimizers, step, random streams), so `--resume DIR` continues the exact loss sequence.
Per-step losses and gradient norms go to DIR/log.csv, metrics to DIR/metrics.jsonl, pictures to DIR/samples/.

This module is the run loop (`train`), its run directory (`RunDir`) and the command line (`main`); the
settings are models.config.TrainConfig, one round of training is models.trainer.Trainer.
"""

from __future__ import annotations

import csv
import json
import math
import signal
import sys
import threading
import time
from pathlib import Path

import torch

from dynamics.cli import Parser, finite_float, print_json, run_main
from dynamics.contracts import InputError
from dynamics.dirac.objectives import LOSSES, REGULARIZERS
from models import checkpoint
from models.config import FLOAT_RANGES, LR_DECAYS, NETS, TORCH_OPTIMIZERS, TrainConfig, flag
from models.data import load
from models.evaluate import evaluate
from models.progress import Bar
from models.samples import save_samples
from models.semisupervised import OBJECTIVES
from models.trainer import LOG_FIELDS, NonFiniteError, Trainer


class RunDir:
    """The run directory: config.json, log.csv, metrics.jsonl, samples/, checkpoint.pt."""

    def __init__(self, path):
        self.path = Path(path)
        (self.path / "samples").mkdir(parents=True, exist_ok=True)
        self.ckpt = self.path / "checkpoint.pt"

    def start(self, cfg: TrainConfig, step):
        """Write the config; keep log rows up to `step` (a resumed run rewrites what follows)."""
        (self.path / "config.json").write_text(json.dumps(cfg.to_dict(), indent=1) + "\n")
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


CHECKPOINT_KEYS = ("G", "D", "opt_g", "opt_d", "step", "rng", "config")


def resumed(resume, given):
    """The checkpoint of the run in `resume` and its settings (with `given`'s steps and device, when given).
    A file that is not a run checkpoint of this program, or whose settings are not valid, raises InputError
    naming it."""
    path = Path(resume) / "checkpoint.pt"
    saved = checkpoint.load(path, keys=CHECKPOINT_KEYS)
    if not isinstance(saved["config"], dict) or type(saved["step"]) is not int or saved["step"] < 0:
        raise InputError(f"checkpoint {path} refused: its 'config' must be a dict and its 'step' an integer ≥ 0")
    changed = {k: v for k, v in given.items() if k in ("steps", "device") and v is not None}
    try:
        return saved, TrainConfig.from_saved({**saved["config"], **changed})
    except InputError as err:
        raise InputError(f"--resume {resume}: {err}") from None
    except (TypeError, AttributeError, ValueError) as err:  # e.g. a setting of the wrong type
        raise checkpoint.refused(path, "its settings are not valid", err) from None


def train(cfg, out=None, resume=None, callback=None, progress=False, cache_dir=None):
    """Run (or continue) training; returns {"status", "step", "run_dir", "metrics", "message"}.

    cfg: a TrainConfig, or a mapping of overrides of its defaults (TrainConfig.from_mapping); with
    `resume`, the run's saved settings are used and only cfg's steps and device (when given) change.
    status: "finished", "interrupted" (Ctrl-C or the callback returned False; a checkpoint is saved) or
    raises NonFiniteError. callback(record) is called after every round with the logged values (and
    "metrics" when evaluated).
    """
    given = cfg.to_dict() if isinstance(cfg, TrainConfig) else cfg
    if resume is not None:
        saved, cfg = resumed(resume, given)
        out = resume
    else:
        cfg = TrainConfig.from_mapping(given)
    if resume is None and out is not None and (Path(out) / "checkpoint.pt").exists():
        raise InputError(f"--out {out} already holds a run; continue it with --resume {out} or pick another --out")
    data = load(cfg.data)
    threads = torch.get_num_threads()
    if data.kind != "image" and cfg.device == "cpu":
        torch.set_num_threads(1)  # tiny MLPs: intra-op threads only add overhead (measured 10×+ on 2 cores)
    trainer = Trainer(cfg, data)
    if resume is not None:
        try:
            trainer.load_state(saved)
        except (KeyError, TypeError, ValueError, RuntimeError, AttributeError, IndexError) as err:
            raise checkpoint.refused(Path(resume) / "checkpoint.pt", "it does not fit its own settings", err) from None
    out = out or f"runs/{cfg.data.split('(')[0]}-{cfg.loss}-{cfg.reg}-{time.strftime('%Y%m%d-%H%M%S')}"
    run = RunDir(out)
    cache_dir = cache_dir or run.path.parent / ".cache"
    run.start(cfg, trainer.step)
    stop = {"flag": False}
    handler_installed = threading.current_thread() is threading.main_thread()
    if handler_installed:
        previous = signal.signal(signal.SIGINT, lambda *_: stop.update(flag=True))
    bar = Bar(cfg.steps, trainer.step) if progress else None
    t0, latest, status = time.perf_counter(), {}, "finished"

    def save_checkpoint():
        checkpoint.save(run.ckpt, trainer.state())

    def measure():
        m, x, curve = evaluate(trainer.G, trainer.D, data, cfg, trainer.device, cache_dir)
        if cfg.labels is not None:
            m |= trainer.semisupervised_metrics()
        run.metrics.write(json.dumps({"step": trainer.step, **m}) + "\n")
        run.metrics.flush()
        save_samples(
            run.path / "samples" / f"step_{trainer.step:06d}.png",
            data,
            x.numpy(),
            f"{cfg.data} {cfg.loss}/{cfg.reg} step {trainer.step}",
            curve,
        )
        return m

    try:
        if trainer.step == 0:
            latest = measure()
        while trainer.step < cfg.steps:
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
            if trainer.step % cfg.eval_every == 0 or trainer.step == cfg.steps:
                latest = record["metrics"] = measure()
            if trainer.step % cfg.ckpt_every == 0 and trainer.step < cfg.steps:
                run.log.flush()
                save_checkpoint()
            if bar:
                bar.update(trainer.step, f"D {values[0]:.3f} G {values[1]:.3f}")
            if callback is not None and callback(record) is False:
                stop["flag"] = True
            if stop["flag"] and trainer.step < cfg.steps:
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
    p.add_argument("--loss", choices=LOSSES, help="default gan; ring8/grid25 nsgan")
    p.add_argument("--reg", choices=REGULARIZERS, help="default none; r1 for the ring8/grid25 MLP runs with nsgan")
    p.add_argument("--gamma", help="weight of wgan-gp, r1, r2 and consensus (default 10; r1 on ring8/grid25 0.1)")
    p.add_argument("--sigma", help="instance-noise standard deviation (default 0.1)")
    p.add_argument("--clip", help="WGAN weight clipping c: D's weights clamped to [−c, c] after each D step")
    p.add_argument("--target", help="wgan-gp target gradient norm g₀ (default 1)")
    p.add_argument("--optimizer", choices=TORCH_OPTIMIZERS, help="default adam (β₂ = 0.999)")
    p.add_argument("--beta1", help="Adam's β₁ in [0, 1) (default 0.5; --net pacgan 0.8, as PacGAN)")
    p.add_argument("--lr", help="both learning rates (default 2e-4 images, --net pacgan 1e-4, 1e-3 otherwise)")
    p.add_argument("--lr-g", help="generator learning rate")
    p.add_argument("--lr-d", help="discriminator learning rate (default --lr; loss-sensitive on images 10 × --lr)")
    p.add_argument(
        "--lr-decay",
        choices=LR_DECAYS,
        help="linear: both rates fall linearly to 0 at --steps (default none; ring8/grid25 linear)",
    )
    p.add_argument("--d-steps", type=int, help="discriminator steps per generator step (default 1)")
    p.add_argument(
        "--steps", type=int, help="rounds (total, also resuming; default 2000, ring8/grid25 100000, --net pacgan 20000)"
    )
    p.add_argument("--batch", type=int, help="batch size (default 64, ring8/grid25 100)")
    p.add_argument("--seed", type=int, help="seed of every random stream (default 0)")
    p.add_argument("--device", help="auto (CUDA when present), cpu or cuda")
    p.add_argument(
        "--conditional",
        action="store_true",
        default=None,
        help="class-conditional G and D (Mirza & Osindero); with loss-sensitive: CLS-GAN (Qi)",
    )
    p.add_argument(
        "--reuse-fake",
        action="store_true",
        default=None,
        help="G's step reuses D's last fake batch instead of fresh noise (Qi's Algorithm 1 draws fresh)",
    )
    p.add_argument(
        "--no-batchnorm",
        dest="batchnorm",
        action="store_false",
        default=None,
        help="no BatchNorm in G or D (image data and --net pacgan's generator)",
    )
    p.add_argument(
        "--net",
        choices=NETS,
        help="networks: dcgan (images), mlp (small MLPs, all other data), pacgan (PacGAN's ring8/grid25 protocol)",
    )
    p.add_argument(
        "--labels",
        type=int,
        help="semi-supervised CLS-GAN: train with this many labelled images (10 per class for 100), the rest "
        "unlabelled; reports test_error and supervised_baseline_error (needs --conditional --loss loss-sensitive)",
    )
    p.add_argument(
        "--semi",
        choices=OBJECTIVES,
        help="objective of --labels: salimans (default: D's K+1-class cross-entropy, G's feature matching) or qi "
        "(Qi's margins; G minimizes its samples' loss)",
    )
    p.add_argument(
        "--pack",
        type=int,
        help="PacGAN packing (with --net pacgan): D sees --batch inputs of m samples concatenated (default 1)",
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


def main(argv=None):
    a = parse_args(argv)
    cfg = {k: v for k, v in vars(a).items() if k not in ("out", "resume", "json", "quiet", "cache")}
    for key, bounds in FLOAT_RANGES.items():
        if cfg[key] is not None:
            cfg[key] = finite_float(cfg[key], flag(key), *bounds)
    if a.resume is not None:
        given = [k for k, v in cfg.items() if v is not None and k not in ("steps", "device")]
        if given:
            raise InputError(f"--resume continues a run with its own settings; drop {flag(given[0])}")
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
