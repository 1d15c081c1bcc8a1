"""Metrics without downloaded weights.

2-D (VEEGAN/PacGAN protocol): a sample is high quality within 3σ of its nearest mode; a mode is captured
when at least `min_count` high-quality samples fall on it; reverse KL = KL(q ‖ uniform) of the histogram q
of nearest modes. 1-D: JS (natural log) between the true density and a Gaussian KDE of the samples, W1 = ∫|F −
F_n| against the empirical CDF, and the learned P(real | x) = sigmoid(−D(x)) against D*(x) = p/(p + p_g).
Images: Fréchet distance between Gaussian fits of a small classifier's features, class coverage, and the
classifier's test accuracy; the classifier is trained once with a fixed seed and cached on disk.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from scipy import linalg
from scipy.spatial.distance import pdist
from torch import nn

from dynamics.contracts import InputError
from dynamics.oned.distributions import kde
from models import checkpoint


def modes_2d(samples, centers, std, min_count=20):
    """{"modes": captured modes, "high_quality": fraction within 3σ, "reverse_kl": KL(q ‖ uniform)}."""
    samples, centers = np.asarray(samples, float), np.asarray(centers, float)
    dist = np.linalg.norm(samples[:, None, :] - centers[None], axis=2)
    nearest, near = dist.argmin(1), dist.min(1)
    hq = near <= 3 * std
    counts = np.bincount(nearest[hq], minlength=len(centers))
    q = np.bincount(nearest, minlength=len(centers)) / len(samples)
    q = q[q > 0]
    return {
        "modes": int((counts >= min_count).sum()),
        "high_quality": float(hq.mean()),
        "reverse_kl": float((q * np.log(q * len(centers))).sum()),
    }


def grid_1d(density, samples, n=2001):
    lo, hi = density.support()
    lo, hi = min(lo, float(np.min(samples))), max(hi, float(np.max(samples)))
    pad = 0.1 * (hi - lo)
    return np.linspace(lo - pad, hi + pad, n)


def divergences_1d(density, samples, x=None):
    """{"js": JS(p ‖ KDE of samples), "w1": ∫|F_p − F_samples|} on a grid covering both."""
    samples = np.asarray(samples, float).ravel()
    if not np.isfinite(samples).all():
        return {"js": float("nan"), "w1": float("nan")}
    x = grid_1d(density, samples) if x is None else x
    p, q = np.asarray(density.pdf(x), float), np.asarray(kde(samples).pdf(x), float)
    m = (p + q) / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        kl = lambda a: np.where(a > 0, a * np.log(a / m), 0.0)  # noqa: E731
        js = 0.5 * np.trapezoid(kl(p) + kl(q), x)
    ecdf = np.searchsorted(np.sort(samples), x, side="right") / len(samples)
    w1 = np.trapezoid(np.abs(np.asarray(density.cdf(x), float) - ecdf), x)
    return {"js": float(min(max(js, 0.0), np.log(2))), "w1": float(w1)}


def disc_vs_optimal(d_values, density, samples, x):
    """Mean |sigmoid(−d(x)) − D*(x)| weighted by the mixture (p + p_g)/2, with p_g the samples' KDE."""
    p, q = np.asarray(density.pdf(x), float), np.asarray(kde(np.ravel(samples)).pdf(x), float)
    dstar = p / np.maximum(p + q, 1e-300)
    learned = 1 / (1 + np.exp(np.asarray(d_values, float)))
    w = (p + q) / 2
    return float(np.trapezoid(np.abs(learned - dstar) * w, x) / np.trapezoid(w, x))


class Classifier(nn.Module):
    """Two conv blocks and a 128-feature layer; works for 8×8 and 28×28 inputs (adaptive max pooling to 4×4)."""

    def __init__(self, channels=1, n_classes=10):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(channels, 32, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1),
            nn.ReLU(),
            nn.AdaptiveMaxPool2d(4),
            nn.Flatten(),
            nn.Linear(1024, 128),
            nn.ReLU(),
        )
        self.head = nn.Linear(128, n_classes)

    def features(self, x):
        return self.body(x)

    def forward(self, x):
        return self.head(self.body(x))


EPOCHS = {"digits": 40, "mnist5k": 10, "fashion-mnist": 2}


@torch.no_grad()
def _apply(fn, x, batch=1000):
    return torch.cat([fn(x[i : i + batch]) for i in range(0, len(x), batch)])


def cached(path: Path, net: nn.Module):
    """The cached real-feature statistics, with the cached weights loaded into `net`; None when the file is
    missing or is not a classifier cache this program wrote (a planted or old-format file: it is never
    unpickled beyond plain data, and the classifier is trained again and replaces it)."""
    if not path.exists():
        return None
    try:
        saved = checkpoint.load(path, keys=("model", "stats"))
        s = saved["stats"]
        stats = {"mu": s["mu"].numpy(), "cov": s["cov"].numpy(), "accuracy": float(s["accuracy"])}
        net.load_state_dict(saved["model"])
    except (InputError, KeyError, TypeError, AttributeError, RuntimeError, ValueError):
        return None
    return stats


def classifier(data, cache_dir):
    """The data set's feature classifier and real-feature statistics, trained once (seed 0) and cached (the
    statistics' numpy arrays are saved as tensors: see models.checkpoint)."""
    path = Path(cache_dir) / f"classifier-{data.name}-v2.pt"
    with torch.random.fork_rng(devices=[]), torch.enable_grad():
        torch.manual_seed(0)
        net = Classifier(data.shape[0], data.n_classes)
        stats = cached(path, net)
        if stats is not None:
            return net.eval(), stats
        torch.manual_seed(0)  # a refused file may have changed some weights: start from the fresh net again
        net = Classifier(data.shape[0], data.n_classes)
        opt = torch.optim.Adam(net.parameters(), 1e-3)
        order = np.random.default_rng(0)
        for _ in range(EPOCHS.get(data.name, 5)):
            for idx in np.array_split(order.permutation(len(data.x)), max(1, len(data.x) // 128)):
                opt.zero_grad()
                F.cross_entropy(net(data.x[idx]), data.y[idx]).backward()
                opt.step()
    net.eval()
    feats = _apply(net.features, data.x_test).double().numpy()
    acc = float((_apply(net, data.x_test).argmax(1) == data.y_test).float().mean())
    stats = {"mu": feats.mean(0), "cov": np.cov(feats, rowvar=False), "accuracy": acc}
    path.parent.mkdir(parents=True, exist_ok=True)
    checkpoint.save(path, {"model": net.state_dict(), "stats": stats})
    return net, stats


def frechet(mu1, cov1, mu2, cov2):
    """‖μ₁ − μ₂‖² + tr(Σ₁ + Σ₂ − 2(Σ₁Σ₂)^½), with 10⁻⁶·I added to both covariances (dead ReLU features)."""
    eye = 1e-6 * np.eye(len(cov1))
    cov1, cov2 = cov1 + eye, cov2 + eye
    root = linalg.sqrtm(cov1 @ cov2)
    root = root.real if np.iscomplexobj(root) else root
    return float(((mu1 - mu2) ** 2).sum() + np.trace(cov1 + cov2 - 2 * root))


def image_metrics(net, stats, images, labels=None, n_classes=10):
    """Fréchet distance to the real test features, class coverage (classes given ≥ half their uniform
    share of the samples), and for conditional samples the fraction classified as their label."""
    images = images.float().cpu()
    feats = _apply(net.features, images).double().numpy()
    pred = _apply(net, images).argmax(1)
    share = np.bincount(pred.numpy(), minlength=n_classes) / len(pred)
    out = {
        "fd": frechet(feats.mean(0), np.cov(feats, rowvar=False), stats["mu"], stats["cov"]),
        "coverage": float((share >= 0.5 / n_classes).mean()),
        "classifier_accuracy": stats["accuracy"],
    }
    if labels is not None:
        out["label_accuracy"] = float((pred == labels.cpu()).float().mean())
    return out


def within_class_diversity(gen, gen_labels, real, real_labels, n_classes=10):
    """Mean pairwise Euclidean distance of samples of one class, averaged over the classes, generated ÷ real
    (1: as varied as the data; near 0: one image per class). Classes with fewer than two samples are skipped."""

    def spread(x, y):
        x, y = np.asarray(x, float).reshape(len(x), -1), np.asarray(y)
        return np.mean([pdist(x[y == k]).mean() for k in range(n_classes) if (y == k).sum() >= 2])

    return float(spread(gen, gen_labels) / spread(real, real_labels))
