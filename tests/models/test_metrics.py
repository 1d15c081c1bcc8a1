"""Metrics on constructed cases with known answers."""

import numpy as np
import pytest
import torch

from dynamics.oned.specs import parse
from models import metrics
from models.data import digits, grid25, ring8


def test_samples_exactly_at_the_modes_capture_all_of_them():
    d = ring8()
    m = metrics.modes_2d(np.repeat(d.centers, 2500 // 8 + 1, axis=0)[:2500], d.centers, d.std)
    assert m["modes"] == 8 and m["high_quality"] == 1.0
    assert m["reverse_kl"] == pytest.approx(0.0, abs=1e-5)  # 313 or 312 samples per mode


def test_all_samples_at_one_mode_capture_one_of_eight():
    d = ring8()
    m = metrics.modes_2d(np.tile(d.centers[3], (2500, 1)), d.centers, d.std)
    assert m["modes"] == 1 and m["high_quality"] == 1.0
    assert m["reverse_kl"] == pytest.approx(np.log(8))


def test_high_quality_is_three_sigma_and_grid25_counts_25_modes():
    d = grid25()
    inside = d.centers + [2.9 * d.std, 0]
    outside = d.centers + [3.1 * d.std, 0]
    samples = np.concatenate([np.repeat(inside, 20, 0), np.repeat(outside, 20, 0)])
    m = metrics.modes_2d(samples, d.centers, d.std)
    assert m["modes"] == 25 and m["high_quality"] == pytest.approx(0.5)
    assert metrics.modes_2d(samples, d.centers, d.std, min_count=21)["modes"] == 0


def test_1d_divergences_of_true_and_shifted_samples():
    p = parse("normal(0, 1)")
    rng = np.random.default_rng(0)
    same = metrics.divergences_1d(p, rng.standard_normal(20000))
    shifted = metrics.divergences_1d(p, rng.standard_normal(20000) + 3.0)
    assert same["js"] < 0.005 and same["w1"] < 0.03
    assert shifted["w1"] == pytest.approx(3.0, abs=0.05)
    assert 0.5 < shifted["js"] <= np.log(2)


def test_learned_d_equal_to_dstar_scores_zero():
    p = parse("normal(0, 1)")
    samples = np.random.default_rng(0).normal(1.0, 1.0, 5000)
    x = np.linspace(-5, 6, 801)
    q = metrics.kde(samples).pdf(x)
    dstar = np.clip(p.pdf(x) / (p.pdf(x) + q), 1e-12, 1 - 1e-12)
    d = np.log(1 / dstar - 1)  # sigmoid(−d) = D*
    assert metrics.disc_vs_optimal(d, p, samples, x) == pytest.approx(0.0, abs=1e-6)
    assert metrics.disc_vs_optimal(np.zeros_like(x), p, samples, x) > 0.1


def test_frechet_distance_of_known_gaussians():
    assert metrics.frechet(np.zeros(2), np.eye(2), np.zeros(2), np.eye(2)) == pytest.approx(0.0, abs=1e-5)
    # 1-D: (0 − 1)² + 1 + 4 − 2·√4 = 2
    assert metrics.frechet(np.zeros(1), np.eye(1), np.ones(1), 4 * np.eye(1)) == pytest.approx(2.0, abs=1e-5)


def test_digit_classifier_is_cached_accurate_and_separates_real_from_noise(tmp_path):
    data = digits()
    net, stats = metrics.classifier(data, tmp_path)
    assert (tmp_path / "classifier-digits-v2.pt").exists()
    assert stats["accuracy"] > 0.9
    net2, stats2 = metrics.classifier(data, tmp_path)
    assert stats2["accuracy"] == stats["accuracy"]
    assert all(torch.equal(a, b) for a, b in zip(net.state_dict().values(), net2.state_dict().values(), strict=True))
    real = metrics.image_metrics(net, stats, data.x_test, data.y_test)
    noise = metrics.image_metrics(net, stats, torch.rand(360, 1, 8, 8) * 2 - 1)
    one = metrics.image_metrics(net, stats, data.x_test[data.y_test == 3])
    assert real["fd"] < 1.0 < 100 < noise["fd"]
    assert real["coverage"] == 1.0 and one["coverage"] == 0.1
    assert real["label_accuracy"] == pytest.approx(stats["accuracy"])


def test_an_old_format_or_planted_classifier_cache_is_trained_again_and_replaced(tmp_path):
    data = digits()
    net, stats = metrics.classifier(data, tmp_path)
    path = tmp_path / "classifier-digits-v2.pt"
    torch.save({"model": net.state_dict(), "stats": stats}, path)  # numpy arrays: what the cache held before
    net2, stats2 = metrics.classifier(data, tmp_path)
    assert np.array_equal(stats2["mu"], stats["mu"]) and stats2["accuracy"] == stats["accuracy"]
    assert all(torch.equal(a, b) for a, b in zip(net.state_dict().values(), net2.state_dict().values(), strict=True))
    assert torch.load(path, weights_only=True)["stats"]["cov"].dtype == torch.float64


def test_within_class_diversity_against_hand_computed_distances():
    """Class 0: points 0 and (3, 4) → mean distance 5; class 1: 0, (1, 0), (0, 1) → (1 + 1 + √2)/3.
    Generated: class 0 at distance 1, class 1 collapsed to one point (0)."""
    from models.metrics import within_class_diversity

    real = np.array([[0, 0], [3, 4], [0, 0], [1, 0], [0, 1]], float)
    real_y = np.array([0, 0, 1, 1, 1])
    gen = np.array([[0, 0], [0, 1], [2, 2], [2, 2]], float)
    gen_y = np.array([0, 0, 1, 1])
    expected = (1 + 0) / 2 / ((5 + (2 + np.sqrt(2)) / 3) / 2)
    assert within_class_diversity(gen, gen_y, real, real_y, 2) == pytest.approx(expected, rel=1e-12)
    assert within_class_diversity(real, real_y, real, real_y, 2) == 1.0
