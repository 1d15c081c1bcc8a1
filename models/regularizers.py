"""Regularizers, one at a time, and the two players' objectives for one batch with the regularizer applied.

Names, titles, parameters and how each acts come from the registry `REGULARIZERS_BY_NAME` of
dynamics.dirac.objectives. The discriminator maximizes L_D − R; r1 = γ/2·E_real‖∇ₓD‖², r2 = γ/2·E_fake‖∇ₓD‖²
(Mescheder 2018: the entry's `penalty_on`); consensus (Mescheder 2017, the entry with a field `transform`):
with v = (−∇_G L_G, +∇_D L_D), G minimizes L_G + γ/2‖v‖², D maximizes L_D − γ/2‖v‖², so both follow
v − γ·∇½‖v‖²; instance-noise (the `noisy` entry) adds N(0, σ²) to real and generated samples before D.
"""

from __future__ import annotations

import torch

from dynamics.dirac.objectives import REGULARIZERS, REGULARIZERS_BY_NAME
from models.losses import disc_objective, expect, gen_loss, input_grad


def grad_penalty(D, x, gamma, weights=None):
    """γ/2·E‖∇ₓD(x)‖²."""
    return gamma / 2 * expect(input_grad(D, x).pow(2).sum(1), weights)


def half_sq_field(loss_g, obj_d, g_params, d_params):
    """½‖v‖² with v = (−∇_G L_G, ∇_D L_D), differentiable (create_graph) for consensus optimization."""
    g_params, d_params = list(g_params), list(d_params)
    grads = torch.autograd.grad(loss_g, g_params, create_graph=True, allow_unused=True)
    grads += torch.autograd.grad(obj_d, d_params, create_graph=True, allow_unused=True)
    return 0.5 * sum(g.pow(2).sum() for g in grads if g is not None)


def objectives(
    loss,
    reg,
    D,
    real,
    fake,
    *,
    gamma=1.0,
    sigma=0.0,
    target=1.0,
    weights=None,
    noise=None,
    g_params=(),
    d_params=(),
):
    """(objective D maximizes, loss G minimizes) on one batch of pairs, regularizer included.

    noise: optional standard-normal tensors (real, fake) for instance-noise instead of fresh draws;
    g_params/d_params: the players' parameters, needed by consensus only.
    """
    if reg not in REGULARIZERS_BY_NAME:
        raise ValueError(f"unknown regularizer {reg!r}; choose from {', '.join(REGULARIZERS)}")
    spec = REGULARIZERS_BY_NAME[reg]
    if spec.noisy:
        n_real, n_fake = noise if noise is not None else (torch.randn_like(real), torch.randn_like(fake))
        real, fake = real + sigma * n_real, fake + sigma * n_fake
    d_fake = D(fake)
    obj_d = disc_objective(loss, D, real, fake, d_fake=d_fake, weights=weights, gamma=gamma, target=target)
    loss_g = gen_loss(loss, d_fake, weights)
    if spec.penalty_on:
        obj_d = obj_d - grad_penalty(D, {"real": real, "fake": fake}[spec.penalty_on], gamma, weights)
    if spec.transform:  # consensus' v − γ·∇½‖v‖², as ±γ·½‖v‖² on the two objectives
        sq = half_sq_field(loss_g, obj_d, g_params, d_params)
        obj_d, loss_g = obj_d - gamma * sq, loss_g + gamma * sq
    return obj_d, loss_g
