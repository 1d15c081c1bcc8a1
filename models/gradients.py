"""The two generator-gradient experiments of the seeds, on real networks.

`vanishing` (Arjovsky & Bottou 2017, Fig. 2): train a GAN briefly, freeze G, train a fresh discriminator on
and record ‖∇_θ L_G‖ — the generator's gradient with each loss's own generator loss — on fixed noise. With a
near-optimal D the saturating loss E log(1 − D(G(z))) has a vanishing gradient; a loss whose critic stays
Lipschitz (WGAN-GP, LS-GAN) keeps it.
`d_steps` (Qi 2017, Fig. on the generator's gradient): the loss function trained every iteration, the
generator every k-th, for several k; ‖∇_θ L_G‖ after each generator step, and where the run ends (Fréchet
distance for images, modes for the 2-D toys).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import torch

from models.config import TrainConfig
from models.data import load
from models.evaluate import evaluate
from models.losses import gen_loss
from models.trainer import Trainer, grad_norm

VANISHING_LOSSES = ("gan", "nsgan", "wgan-gp", "loss-sensitive")


@dataclass(frozen=True)
class GradCurve:
    """‖∇_θ L_G‖ of one loss after each recorded discriminator iteration."""

    loss: str
    iterations: list[int]
    grad_norm: list[float]


@dataclass(frozen=True)
class DStepsRun:
    """One run of the k-schedule: ‖∇_θ L_G‖ after the generator step of each recorded round, and its end."""

    loss: str
    k: int
    rounds: list[int]
    grad_norm: list[float]
    fd: float | None
    metrics: dict


def generator_grad_norm(trainer: Trainer, z: torch.Tensor) -> float:
    """‖∇_θ L_G(θ)‖ on the noise z, with the trainer's loss; G and D are left unchanged."""
    loss = gen_loss(trainer.cfg.loss, trainer.D(trainer.G(z)))
    trainer.G.zero_grad(set_to_none=True)
    loss.backward(inputs=trainer.g_params)
    norm = float(grad_norm(trainer.g_params))
    trainer.G.zero_grad(set_to_none=True)
    trainer.D.zero_grad(set_to_none=True)
    return norm


def vanishing(
    cfg: TrainConfig, pretrain: int = 200, iterations: int = 1000, every: int = 50, losses=VANISHING_LOSSES
) -> list[GradCurve]:
    """Train cfg (its loss) for `pretrain` rounds, then for each loss keep that G frozen and train a fresh
    discriminator of the loss for `iterations` steps, recording ‖∇_θ L_G‖ every `every` steps (and at 0)."""
    data = load(cfg.data)
    torch.manual_seed(cfg.seed)
    pre = Trainer(cfg, data)
    for _ in range(pretrain):
        pre.round()
    g_state = {k: v.clone() for k, v in pre.G.state_dict().items()}
    z = torch.randn(500, cfg.nz, generator=torch.Generator().manual_seed(cfg.seed + 1))
    curves = []
    for loss in losses:
        trainer = Trainer(replace(cfg, loss=loss, seed=cfg.seed + 2), data)
        trainer.G.load_state_dict(g_state)
        trainer.G.eval()  # frozen: BatchNorm uses the pretrained running statistics
        its, norms = [0], [generator_grad_norm(trainer, z)]
        for i in range(1, iterations + 1):
            trainer.d_update()
            if i % every == 0:
                its.append(i)
                norms.append(generator_grad_norm(trainer, z))
        curves.append(GradCurve(loss, its, norms))
    return curves


def d_steps(
    cfg: TrainConfig, ks=(1, 3, 5), losses=("loss-sensitive", "gan"), every: int = 10, cache_dir="runs/.cache"
) -> list[DStepsRun]:
    """For each loss and k: cfg trained with k discriminator steps per generator step for cfg.steps rounds,
    ‖∇_θ L_G‖ of the generator step recorded every `every` rounds; the end metrics from models.evaluate."""
    data = load(cfg.data)
    runs = []
    for loss in losses:
        for k in ks:
            c = replace(cfg, loss=loss, d_steps=k)
            trainer = Trainer(c, data)
            rounds, norms = [], []
            for r in range(1, c.steps + 1):
                values = trainer.round()
                if r % every == 0 or r == c.steps:
                    rounds.append(r)
                    norms.append(values[3])
            m, _, _ = evaluate(trainer.G, trainer.D, data, c, trainer.device, Path(cache_dir))
            runs.append(DStepsRun(loss, k, rounds, norms, m.get("fd"), m))
    return runs
