"""Atomic checkpoints and random-stream state."""

import os

import numpy as np
import pytest
import torch

from models import checkpoint


def test_round_trip_leaves_no_temporary_files(tmp_path):
    path = checkpoint.save(tmp_path / "c.pt", {"w": torch.arange(3.0), "step": 7})
    saved = checkpoint.load(path)
    assert saved["step"] == 7 and torch.equal(saved["w"], torch.arange(3.0))
    assert os.listdir(tmp_path) == ["c.pt"]


def test_failed_save_keeps_the_previous_checkpoint(tmp_path):
    checkpoint.save(tmp_path / "c.pt", {"step": 1})
    with pytest.raises(Exception):  # noqa: B017 - pickling a lambda fails inside torch.save
        checkpoint.save(tmp_path / "c.pt", {"step": 2, "bad": lambda: 0})
    assert checkpoint.load(tmp_path / "c.pt")["step"] == 1 and os.listdir(tmp_path) == ["c.pt"]


def test_rng_state_restores_every_stream():
    rng = np.random.default_rng(3)
    state = checkpoint.rng_state(rng)
    a = (torch.randn(4), rng.standard_normal(4))
    checkpoint.set_rng_state(state, rng)
    b = (torch.randn(4), rng.standard_normal(4))
    assert torch.equal(a[0], b[0]) and np.array_equal(a[1], b[1])
