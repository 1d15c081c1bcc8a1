"""Checkpoints written atomically (temporary file in the same directory, fsync, then rename), so a crash or
Ctrl-C while saving never leaves a half-written file in place of the last good one."""

from __future__ import annotations

import os
import tempfile

import numpy as np
import torch


def rng_state(rng: np.random.Generator):
    """Every random stream a run draws from: torch CPU (and CUDA), and the numpy data sampler."""
    state = {"torch": torch.get_rng_state(), "numpy": rng.bit_generator.state}
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def set_rng_state(state, rng: np.random.Generator):
    torch.set_rng_state(state["torch"])
    rng.bit_generator.state = state["numpy"]
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])


def save(path, obj):
    """torch.save to `path` atomically."""
    path = os.fspath(path)
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path) or ".", prefix=".ckpt-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            torch.save(obj, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path


def load(path, device="cpu"):
    return torch.load(path, map_location=device, weights_only=False)
