"""Reading run directories written by `python -m models.train` (config.json, log.csv, metrics.jsonl, samples/,
checkpoint.pt), for the image-GAN page.

The directory they are read from is the server operator's choice, never a URL's or a student's: the environment
variable GDL_RUNS (a path; a relative one counts from the repository root), else `runs/` in the repository root.
Every path read is resolved first (symlinks, `..`) and refused unless it lies inside that root.
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import numpy as np
import torch

ENV = "GDL_RUNS"
REPO = Path(__file__).resolve().parents[1]


class OutsideRoot(ValueError):
    """A path that resolves (symlinks and `..` followed) to somewhere outside the run-directory root."""


def root() -> Path:
    """The run-directory root, resolved: $GDL_RUNS (relative to the repository root) or <repository>/runs."""
    return (REPO / (os.environ.get(ENV, "").strip() or "runs")).resolve()


def inside(path: Path | str, base: Path | None = None) -> Path:
    """`path` resolved, symlinks and `..` followed; OutsideRoot unless it lies inside `base` (default: root())."""
    base = (base or root()).resolve()
    resolved = Path(path).resolve()
    if not resolved.is_relative_to(base):
        raise OutsideRoot(f"{Path(path).name!r} resolves outside the run-directory root {str(base)!r}")
    return resolved


def find(base: Path | None = None) -> tuple[list[Path], list[str]]:
    """Run directories (holding config.json) directly under `base` (default: root()), newest first, and the
    names of the entries refused because they resolve outside it (nothing under those is looked at)."""
    base = (base or root()).resolve()
    if not base.is_dir():
        return [], []
    found, refused = [], []
    for entry in sorted(base.iterdir()):
        try:
            path = inside(entry, base)
        except OutsideRoot:
            refused.append(entry.name)
            continue
        if path.is_dir() and (path / "config.json").is_file():
            found.append(entry)
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True), refused


def read(path: Path, base: Path | None = None) -> dict:
    """Config, loss log (columns as float arrays), metrics rows and the latest sample picture of one run; every
    file is checked with `inside` (OutsideRoot for one that resolves outside `base`, default root())."""
    base = (base or root()).resolve()
    path = inside(path, base)
    cfg = json.loads(inside(path / "config.json", base).read_text())
    log = {}
    if (csv_path := inside(path / "log.csv", base)).is_file():
        with open(csv_path) as fh:
            rows = list(csv.DictReader(fh))
        log = {k: np.array([float(r[k]) for r in rows]) for k in (rows[0] if rows else {})}
    metrics = []
    if (jsonl := inside(path / "metrics.jsonl", base)).is_file():
        metrics = [json.loads(line) for line in jsonl.read_text().splitlines() if line.strip()]
    pictures = [inside(p, base) for p in sorted(inside(path / "samples", base).glob("step_*.png"))]
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
