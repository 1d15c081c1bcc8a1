"""Semi-supervised CLS-GAN (Qi 2017; Salimans et al. 2016): a few labelled images, the rest unlabelled, and one
loss function L(x, y) whose class of minimal loss is the classifier.

L(x, y) = −a_y(x) + log(1 + Σ_k exp a_k(x)) is −log P(y | x) over the K classes and an implicit generated class
(nets.CLSDiscriminator); an unlabelled x gets the marginal loss over the classes, L_u(x) = −log Σ_y exp(−L(x, y))
= −log P(real | x). Two objectives (`OBJECTIVES`, the run's `--semi`):

- "salimans" (default): the loss function minimizes E_l L(x, y) + E_u L_u(x) + E −log P(fake | G(z, y'))
  (`d_cross_entropy`), G matches the mean of D's last hidden layer on real and fake images (`feature_matching`).
- "qi": with λ = 1 the loss function minimizes (`d_objective`)

    E_l L(x, y) + E_l (Δ(x, G(z, y)) + L(x, y) − L(G(z, y), y))₊
      + E_u L_u(x) + E_u (Δ(x, G(z, y')) + L_u(x) − L_u(G(z, y')))₊

  (labelled pairs (x, y) with a fake of the same class; unlabelled x with a fake of a uniform class y'), and G
  minimizes E L(G(z, y), y) + E L_u(G(z, y')) (`g_loss`).
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from dynamics.contracts import InputError
from models.losses import pair_distance

OBJECTIVES = ("salimans", "qi")
# Gaussian noise on D's input and after each block (Salimans 2016: 0.3 on [0, 1] pixels, 0.5 hidden); our
# pixels are in [−1, 1], so 0.6 on the input. The supervised baseline's network has the same noise.
NOISE = (0.6, 0.5)


def label_range(y: torch.Tensor, n_classes: int) -> tuple[int, int]:
    """Allowed numbers of labels: one image per class, up to as many of each class as the smallest class has,
    leaving at least one unlabelled image."""
    return n_classes, min(n_classes * int(torch.bincount(y, minlength=n_classes).min()), len(y) - 1)


def check_labels(n: int, y: torch.Tensor, n_classes: int, data_name: str):
    low, high = label_range(y, n_classes)
    if not low <= n <= high:
        raise InputError(f"--labels must be in [{low}, {high}] for {data_name} ({n_classes} classes), got {n}")


def select_labels(y: torch.Tensor, n: int, n_classes: int, seed: int) -> np.ndarray:
    """Indices of n labelled images: n // K of each class (one more for the first n mod K classes), drawn without
    replacement by `seed`, in increasing order; the same seed gives the same images."""
    rng, y = np.random.default_rng(seed), y.numpy()
    per_class = [n // n_classes + (k < n % n_classes) for k in range(n_classes)]
    picks = [rng.choice(np.flatnonzero(y == k), m, replace=False) for k, m in enumerate(per_class)]
    return np.sort(np.concatenate(picks))


def loss_objective(l_real, l_fake, delta, lu_real, lu_fake, delta_u):
    """What the loss function minimizes, from the per-sample losses of labelled real and fake pairs (L, Δ) and
    of unlabelled real and fake pairs (L_u, Δ_u)."""
    labelled = l_real.mean() + F.relu(delta + l_real - l_fake).mean()
    return labelled + lu_real.mean() + F.relu(delta_u + lu_real - lu_fake).mean()


def d_objective(D, x_l, y_l, x_u, fake_l, fake_u):
    """What D (a nets.CLSDiscriminator) minimizes on one batch: labelled x_l, y_l paired with fake_l = G(z, y_l),
    unlabelled x_u paired with fake_u = G(z', y'); the fakes detached from G."""
    lu_real, lu_fake = D.marginal(x_u), D.marginal(fake_u)
    delta, delta_u = pair_distance(x_l, fake_l), pair_distance(x_u, fake_u)
    return loss_objective(D(x_l, y_l), D(fake_l, y_l), delta, lu_real, lu_fake, delta_u)


def d_cross_entropy(D, x_l, y_l, x_u, fake_u):
    """What D minimizes in the K + 1-class form (Salimans 2016): E_l L(x, y) + E_u L_u(x) + E −log P(fake | G(z)),
    with −log P(fake | x) = −log(1 − e^(−L_u(x))) (nets.CLSDiscriminator.fake_loss); the fakes detached."""
    return D(x_l, y_l).mean() + D.marginal(x_u).mean() + D.fake_loss(fake_u).mean()


def feature_matching(D, x, fake):
    """‖E f(x) − E f(G(z))‖² / dim f: G matches the batch mean of D's last hidden layer f on real images
    (Salimans 2016, Sec. 3.1); real features are constants for G."""
    f_real, f_fake = D.features(x).detach().mean(0), D.features(fake).mean(0)
    return (f_real - f_fake).pow(2).mean()


def g_loss(D, fake_l, y_l, fake_u):
    """What G minimizes: E L(G(z, y), y) + E L_u(G(z', y'))."""
    return D(fake_l, y_l).mean() + D.marginal(fake_u).mean()


@torch.no_grad()
def error(D, x, y, device, batch=500) -> float:
    """Fraction of x whose class of minimal loss is not y (D in eval mode)."""
    was_training = D.training
    D.eval()
    pred = torch.cat([D.classify(x[i : i + batch].to(device)).cpu() for i in range(0, len(x), batch)])
    D.train(was_training)
    return float((pred != y).float().mean())
