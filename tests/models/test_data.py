"""Loaders: shapes, ranges, labels, and the messages of data that cannot be found."""

import gzip

import numpy as np
import pytest

from dynamics.contracts import InputError
from models import data


def test_ring8_and_grid25_modes():
    r, g = data.ring8(), data.grid25()
    assert np.allclose(np.linalg.norm(r.centers, axis=1), 1.0) and len(r.centers) == 8 and r.std == 0.01
    assert sorted(set(g.centers.ravel())) == [-4, -2, 0, 2, 4] and len(g.centers) == 25 and g.std == 0.05
    x, y = r.sample(4000, np.random.default_rng(0))
    spread = x.numpy() - r.centers[y.numpy()]
    assert x.shape == (4000, 2) and spread.std() == pytest.approx(0.01, rel=0.05)


@pytest.mark.parametrize(("name", "shape", "n_train"), [("digits", (1, 8, 8), 1437), ("mnist5k", (1, 28, 28), 4000)])
def test_bundled_images(name, shape, n_train):
    d = data.load(name)
    assert d.kind == "image" and d.shape == shape and d.x.shape == (n_train, *shape) and d.n_classes == 10
    assert d.x.min() == -1.0 and d.x.max() == 1.0 and set(d.y.tolist()) == set(range(10))
    x, y = d.sample(5, np.random.default_rng(0))
    assert x.shape == (5, *shape) and y.shape == (5,)


def test_fashion_mnist_missing_names_the_debian_package(tmp_path, monkeypatch):
    monkeypatch.setenv("GDL_FASHION_MNIST", str(tmp_path))
    with pytest.raises(data.DataError, match="apt-get install dataset-fashion-mnist"):
        data.load("fashion-mnist")


def test_idx_reader_round_trip(tmp_path):
    a = np.arange(24, dtype=np.uint8).reshape(2, 3, 4)
    path = tmp_path / "x-idx3-ubyte.gz"
    with gzip.open(path, "wb") as f:
        f.write(b"\0\0\x08\x03" + np.array([2, 3, 4], ">u4").tobytes() + a.tobytes())
    assert np.array_equal(data.read_idx(path), a)
    (tmp_path / "bad").write_bytes(b"\x01\x02\x03\x04")
    with pytest.raises(data.DataError, match="not an uint8 IDX"):
        data.read_idx(tmp_path / "bad")


def test_one_d_density_and_bad_names():
    d = data.load("mixture(0.25*normal(-2, 0.5), 0.75*normal(2, 0.5))")
    x, y = d.sample(20000, np.random.default_rng(0))
    assert d.kind == "1d" and x.shape == (20000, 1) and y is None
    assert float((x > 0).float().mean()) == pytest.approx(0.75, abs=0.01)
    with pytest.raises(InputError, match="unknown data 'cifar'"):
        data.load("cifar")
    with pytest.raises(InputError, match="--data"):
        data.load("normal(0, -1)")
