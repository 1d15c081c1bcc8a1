"""Reading run directories written by `python -m models.train` (config.json, log.csv, metrics.jsonl, samples/,
checkpoint.pt), for the image-GAN page."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import torch


def find(root: str) -> list[Path]:
    """Run directories (holding config.json) directly under `root`, newest first."""
    base = Path(root)
    if not base.is_dir():
        return []
    runs = [p for p in base.iterdir() if (p / "config.json").is_file()]
    return sorted(runs, key=lambda p: p.stat().st_mtime, reverse=True)


def read(path: Path) -> dict:
    """Config, loss log (columns as float arrays), metrics rows and the latest sample picture of one run."""
    cfg = json.loads((path / "config.json").read_text())
    log = {}
    if (path / "log.csv").is_file():
        with open(path / "log.csv") as fh:
            rows = list(csv.DictReader(fh))
        log = {k: np.array([float(r[k]) for r in rows]) for k in (rows[0] if rows else {})}
    metrics = []
    if (path / "metrics.jsonl").is_file():
        metrics = [json.loads(line) for line in (path / "metrics.jsonl").read_text().splitlines() if line.strip()]
    pictures = sorted((path / "samples").glob("step_*.png"))
    return {"config": cfg, "log": log, "metrics": metrics, "picture": pictures[-1] if pictures else None}


def per_class(path: Path, label: int, n: int = 16, seed: int = 0) -> np.ndarray:
    """n samples of class `label` from a conditional run's checkpoint, as an image grid in [0, 1]. A checkpoint
    that is not one this program wrote raises InputError (a ValueError) naming the file and why."""
    from models import checkpoint
    from models.config import TrainConfig
    from models.data import load
    from models.samples import image_grid
    from models.trainer import build

    ckpt = path / "checkpoint.pt"
    state = checkpoint.load(ckpt, keys=("config", "G"))  # weights only: a planted file runs no code
    try:
        cfg = TrainConfig.from_mapping({**state["config"], "device": "cpu", "amp": False})  # CUDA runs read on a CPU
        G, _ = build(cfg, load(cfg.data))
        G.load_state_dict(state["G"])
    except (TypeError, AttributeError, KeyError, RuntimeError, ValueError) as err:
        raise checkpoint.refused(ckpt, "it does not hold a run this page can show", err) from None
    G.eval()
    z = torch.randn(n, cfg.nz, generator=torch.Generator().manual_seed(seed))
    with torch.no_grad():
        x = G(z, torch.full((n,), label, dtype=torch.long))
    return image_grid(x.numpy(), nrow=int(np.sqrt(n)))
