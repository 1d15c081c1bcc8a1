"""Atomic checkpoints and random-stream state."""

import os

import numpy as np
import pytest
import torch

from dynamics.contracts import InputError
from models import checkpoint
from tests.planted import Planted


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


def test_a_pickle_that_would_run_code_is_refused_naming_the_file(tmp_path):
    path = tmp_path / "c.pt"
    torch.save({"step": 1, "G": Planted(tmp_path / "marker")}, path)
    with pytest.raises(InputError, match=r"^checkpoint .*c\.pt refused: it would load io\.open, ") as err:
        checkpoint.load(path)
    assert "\n" not in str(err.value)
    assert not (tmp_path / "marker").exists()


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"", "it is empty or cut short"),
        (b"not a checkpoint", "it is not a checkpoint this program wrote"),
    ],
)
def test_an_unreadable_file_is_refused_with_one_line(tmp_path, content, why):
    (tmp_path / "c.pt").write_bytes(content)
    with pytest.raises(InputError, match=rf"^checkpoint .*c\.pt refused: {why}") as err:
        checkpoint.load(tmp_path / "c.pt")
    assert "\n" not in str(err.value)


def test_numpy_values_are_saved_as_tensors_and_plain_numbers(tmp_path):
    mu = np.linspace(0, 1, 5)
    saved = checkpoint.load(checkpoint.save(tmp_path / "c.pt", {"mu": mu, "n": np.int64(3), "t": (np.float32(0.5),)}))
    assert torch.equal(saved["mu"], torch.from_numpy(mu)) and saved["mu"].dtype == torch.float64
    assert saved["n"] == 3 and type(saved["n"]) is int and saved["t"] == (0.5,)


def test_an_old_format_file_with_numpy_arrays_is_refused(tmp_path):
    torch.save({"stats": {"mu": np.zeros(3)}}, tmp_path / "c.pt")  # what `save` wrote before it converted arrays
    with pytest.raises(InputError, match=r"refused: it would load numpy\..*_reconstruct, and a checkpoint may hold"):
        checkpoint.load(tmp_path / "c.pt")


def test_a_value_the_loader_would_refuse_is_refused_at_save_time(tmp_path):
    with pytest.raises(TypeError, match=r"checkpoint\['x'\]\[1\] is a set"):
        checkpoint.save(tmp_path / "c.pt", {"x": [1, {2}]})
    assert os.listdir(tmp_path) == []


def test_required_keys(tmp_path):
    checkpoint.save(tmp_path / "c.pt", {"G": {}})
    assert checkpoint.load(tmp_path / "c.pt", keys=("G",)) == {"G": {}}
    with pytest.raises(InputError, match=r"refused: it has no 'config' \(it needs G, config\)"):
        checkpoint.load(tmp_path / "c.pt", keys=("G", "config"))
