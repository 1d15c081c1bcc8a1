"""Semi-supervised CLS-GAN (models.semisupervised): label selection, the loss function's objective on a
hand-computed case, the classifier's error, and bad --labels values."""

import math

import numpy as np
import pytest
import torch

from dynamics.contracts import InputError
from models import nets, semisupervised


def test_hundred_labels_are_ten_per_class_and_fixed_by_the_seed():
    y = torch.arange(1000) % 10
    a, b = (semisupervised.select_labels(y, 100, 10, seed=3) for _ in range(2))
    other = semisupervised.select_labels(y, 100, 10, seed=4)
    assert np.array_equal(a, b) and not np.array_equal(a, other)
    assert len(np.unique(a)) == 100 and np.bincount(y[a].numpy(), minlength=10).tolist() == [10] * 10


def test_labels_not_a_multiple_of_the_classes_give_the_first_classes_one_more():
    y = torch.arange(60) % 3
    idx = semisupervised.select_labels(y, 8, 3, seed=0)
    assert np.bincount(y[idx].numpy(), minlength=3).tolist() == [3, 3, 2]


@pytest.mark.parametrize("n", [9, 0, -1, 1000])
def test_labels_out_of_range_name_the_value_and_the_range(n):
    y = torch.arange(1000) % 10  # 100 per class, so [10, 999]: one image must stay unlabelled
    with pytest.raises(InputError, match=rf"^--labels must be in \[10, 999\] for toy \(10 classes\), got {n}$"):
        semisupervised.check_labels(n, y, 10, "toy")
    semisupervised.check_labels(999, y, 10, "toy")


def test_labels_limited_by_the_smallest_class():
    y = torch.tensor([0] * 5 + [1] * 20)
    assert semisupervised.label_range(y, 2) == (2, 10)


def test_loss_objective_on_a_hand_computed_batch():
    """Labelled: mean L 1.5 + hinges (1 + 1 − 1.5)₊ = 0.5, (1 + 2 − 5)₊ = 0 → 1.75; unlabelled: mean L_u 0.5 +
    hinges (0.5 + 0.5 − 0.2)₊ = 0.8, (0.5 + 0.5 − 3)₊ = 0 → 0.9; total 2.65."""
    t = torch.tensor
    value = semisupervised.loss_objective(
        t([1.0, 2.0]), t([1.5, 5.0]), t([1.0, 1.0]), t([0.5, 0.5]), t([0.2, 3.0]), t([0.5, 0.5])
    )
    assert value.item() == pytest.approx(2.65)


class Logits(torch.nn.Module):
    """A 'network' whose logits are the input itself: x of shape (n, K)."""

    def forward(self, x):
        return x


def test_d_objective_and_g_loss_from_the_cls_losses():
    """a = (0, log 3) for every image: L(x, 0) = log 5, L(x, 1) = log(5/3), L_u = log(5/4); a = (log 4, 0) for the
    fakes: L(·, 0) = log(6/4), L_u = log(6/5); Δ = mean |x − fake| per pair."""
    D = nets.CLSDiscriminator(Logits())
    real, fake = torch.tensor([[0.0, math.log(3)]] * 2), torch.tensor([[math.log(4), 0.0]] * 2)
    y = torch.tensor([0, 1])
    delta = ((real - fake).abs().mean(1)).tolist()
    l_real, l_fake, lu_real, lu_fake = (
        [math.log(5), math.log(5 / 3)],
        [math.log(1.5), math.log(6)],
        math.log(1.25),
        math.log(1.2),
    )
    expected = np.mean(l_real) + np.mean([max(0, d + r - f) for d, r, f in zip(delta, l_real, l_fake, strict=True)])
    expected += lu_real + np.mean([max(0, d + lu_real - lu_fake) for d in delta])
    assert semisupervised.d_objective(D, real, y, real, fake, fake).item() == pytest.approx(expected, rel=1e-6)
    assert semisupervised.g_loss(D, fake, y, fake).item() == pytest.approx(np.mean(l_fake) + lu_fake, rel=1e-6)
    # K + 1-class form: −log P(fake | G(z)) with P(fake | ·) = 1 / (1 + 4 + 1) = 1/6 for the fakes
    expected = np.mean(l_real) + lu_real + math.log(6)
    assert semisupervised.d_cross_entropy(D, real, y, real, fake).item() == pytest.approx(expected, rel=1e-6)


def test_error_counts_images_whose_class_of_minimal_loss_is_wrong():
    D = nets.CLSDiscriminator(Logits())
    x = torch.tensor([[2.0, 0.0, 1.0], [0.0, 0.0, 3.0], [0.0, 5.0, 1.0], [1.0, 0.0, 0.0]])
    assert semisupervised.error(D, x, torch.tensor([0, 2, 0, 1]), "cpu") == 0.5


class Features(torch.nn.Module):
    """A stand-in CLS loss function whose last hidden layer is the input itself."""

    def features(self, x):
        return x


def test_feature_matching_is_the_mean_squared_gap_of_batch_mean_features_and_moves_only_the_fakes():
    """Real features mean (1, 1), fake (0.5, 2.5): ((0.5)² + (−1.5)²) / 2 = 1.25; ∂/∂fake_i = 2(m_f − m_r)/(2·n)."""
    real = torch.tensor([[0.0, 2.0], [2.0, 0.0]], requires_grad=True)
    fake = torch.tensor([[0.0, 2.0], [1.0, 3.0]], requires_grad=True)
    value = semisupervised.feature_matching(Features(), real, fake)
    assert value.item() == pytest.approx(1.25)
    value.backward()
    assert real.grad is None or torch.equal(real.grad, torch.zeros(2, 2))
    assert torch.allclose(fake.grad, torch.tensor([[-0.25, 0.75]] * 2))
