"""Sample pictures and the progress bar."""

import io

import numpy as np
import torch

from dynamics.oned.specs import parse
from models.data import Data, ring8
from models.progress import Bar
from models.samples import image_grid, save_samples


def test_image_grid_layout():
    imgs = np.stack([np.full((1, 2, 3), v) for v in (-1.0, 1.0, 0.0)])
    grid = image_grid(imgs, nrow=2)
    assert grid.shape == (2 * 3 - 1, 2 * 4 - 1)
    assert grid[0, 0] == 0.0 and grid[0, 4] == 1.0 and grid[3, 0] == 0.5 and grid[3, 4] == 1.0


def test_pictures_for_every_kind(tmp_path):
    img = Data("x", "image", (1, 8, 8), 10)
    one_d = Data("normal(0, 1)", "1d", (1,), density=parse("normal(0, 1)"))
    x = np.linspace(-3, 3, 50)
    for name, data, s, curve in [
        ("img", img, torch.rand(10, 1, 8, 8).numpy(), None),
        ("ring", ring8(), np.random.default_rng(0).normal(size=(100, 2)), None),
        ("1d", one_d, np.random.default_rng(0).normal(size=100), (x, np.zeros_like(x))),
    ]:
        path = save_samples(tmp_path / f"{name}.png", data, s, name, curve)
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_progress_bar_writes_counts():
    out = io.StringIO()
    bar = Bar(10, stream=out)
    bar.update(10, "D 0.1")
    bar.close()
    assert "10/10" in out.getvalue() and "D 0.1" in out.getvalue() and out.getvalue().endswith("\n")
