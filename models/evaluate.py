"""Metrics of a generator (and, in 1-D, its discriminator) for each data kind, on fixed evaluation noise
drawn from its own seeded generator, so evaluating never disturbs the training random streams."""

from __future__ import annotations

import numpy as np
import torch

from models import metrics

N_EVAL = {"1d": 5000, "2d": 2500, "image": 1000}


@torch.no_grad()
def generate(G, n, nz, device, seed, n_classes=0, batch=500):
    """n samples on fixed noise (seed), labels i mod n_classes for conditional G; G in eval mode."""
    z = torch.randn(n, nz, generator=torch.Generator().manual_seed(seed))
    y = torch.arange(n) % n_classes if n_classes else None
    was_training = G.training
    G.eval()
    out = [
        G(z[i : i + batch].to(device), None if y is None else y[i : i + batch].to(device)).float().cpu()
        for i in range(0, n, batch)
    ]
    G.train(was_training)
    return torch.cat(out), y


@torch.no_grad()
def evaluate(G, D, data, cfg, device, cache_dir):
    """(metrics dict, samples, 1-D (x, D(x)) curve or None) of the run configured by `cfg` (a TrainConfig)."""
    n_classes = data.n_classes if cfg.conditional else 0
    x, y = generate(G, N_EVAL[data.kind], G.nz, device, cfg.seed + 7919, n_classes)
    curve = None
    if data.kind == "2d":
        out = metrics.modes_2d(x.numpy(), data.centers, data.std)
    elif data.kind == "1d":
        s = x.numpy().ravel()
        out = metrics.divergences_1d(data.density, s)
        grid = metrics.grid_1d(data.density, s, 401)
        D.eval()
        d = D(torch.tensor(grid, dtype=torch.float32, device=device)[:, None]).float().cpu().numpy()
        D.train()
        curve = (grid, d)
        if cfg.loss in ("gan", "nsgan"):
            out["d_vs_dstar"] = metrics.disc_vs_optimal(d, data.density, s, grid)
    else:
        net, stats = metrics.classifier(data, cache_dir)
        out = metrics.image_metrics(net, stats, x, y, data.n_classes)
        if y is not None:
            out["within_class_diversity"] = metrics.within_class_diversity(
                x, y, data.x_test, data.y_test, data.n_classes
            )
        if cfg.conditional and cfg.loss == "loss-sensitive":
            D.eval()
            pred = torch.cat(
                [D.classify(data.x_test[i : i + 500].to(device)).cpu() for i in range(0, len(data.x_test), 500)]
            )
            D.train()
            out["cls_accuracy"] = float((pred == data.y_test).float().mean())
    return {k: float(v) if isinstance(v, (float, np.floating)) else v for k, v in out.items()}, x, curve
