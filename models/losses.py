"""GAN losses on torch tensors, with the sign convention of docs/conventions.md: d = D(x) scores generated
points high, the discriminator maximizes `disc_objective`, the generator minimizes `gen_loss`.

f(t) = −log(1 + e^(−t)) = logsigmoid(t). Every objective is an expectation over pairs (real_i, fake_i); the
optional `weights` turn the plain batch mean into a weighted sum (used for exact quadrature in tests).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from dynamics.dirac.objectives import LOSSES


def expect(terms: torch.Tensor, weights: torch.Tensor | None = None) -> torch.Tensor:
    """E[terms] over the batch: the mean, or Σ wᵢ·termsᵢ when probability weights are given."""
    return terms.mean() if weights is None else (terms * weights).sum()


def input_grad(D, x: torch.Tensor) -> torch.Tensor:
    """∇ₓD(x) per sample, kept in the graph so that penalties on it can be differentiated.

    A vector-Jacobian product with ones (torch.func.vjp): differentiable by plain autograd (the trainer) and
    composable with torch.func's grad and vmap (models.convergence trains whole grids of GANs at once)."""
    scores, pullback = torch.func.vjp(D, x)
    (grad,) = pullback(torch.ones_like(scores))
    return grad.reshape(grad.shape[0], -1)


def pair_distance(real: torch.Tensor, fake: torch.Tensor) -> torch.Tensor:
    """Δ(x, G(z)) = mean |x − G(z)| over the coordinates of each pair (|x − θ| in the Dirac-GAN)."""
    return (real - fake).abs().reshape(real.shape[0], -1).mean(1)


def disc_objective(loss, D, real, fake, d_real=None, d_fake=None, weights=None, gamma=1.0, target=1.0):
    """The objective the discriminator maximizes; D maps a batch to scores of shape (n,).

    gan/nsgan: E f(d_fake) + E f(−d_real); wgan: E d_fake − E d_real; wgan-gp: wgan − γ/2·E(‖∇D(x̂)‖ − g₀)²;
    least-squares: −½E(d_fake − 1)² − ½E(d_real + 1)²; hinge: −E max(0, 1 − d_fake) − E max(0, 1 + d_real);
    loss-sensitive (Qi 2017, λ = 1): −E d_real − E max(0, Δ(x, G(z)) + d_real − d_fake).
    """
    d_real = D(real) if d_real is None else d_real
    d_fake = D(fake) if d_fake is None else d_fake
    if loss in ("gan", "nsgan"):
        terms = F.logsigmoid(d_fake) + F.logsigmoid(-d_real)
    elif loss in ("wgan", "wgan-gp"):
        terms = d_fake - d_real
    elif loss == "least-squares":
        terms = -0.5 * (d_fake - 1) ** 2 - 0.5 * (d_real + 1) ** 2
    elif loss == "hinge":
        terms = -F.relu(1 - d_fake) - F.relu(1 + d_real)
    elif loss == "loss-sensitive":
        terms = -d_real - F.relu(pair_distance(real, fake) + d_real - d_fake)
    else:
        raise ValueError(f"unknown loss {loss!r}; choose from {', '.join(LOSSES)}")
    objective = expect(terms, weights)
    if loss == "wgan-gp":
        u = torch.rand((real.shape[0],) + (1,) * (real.dim() - 1), device=real.device, dtype=real.dtype)
        mix = u * real.detach() + (1 - u) * fake.detach()
        norm = input_grad(D, mix).norm(dim=1)
        objective = objective - gamma / 2 * expect((norm - target) ** 2, weights)
    return objective


def gen_loss(loss, d_fake, weights=None):
    """The loss the generator minimizes: gan E f(d_fake); nsgan E softplus(d_fake) = E[−f(−d_fake)];
    least-squares ½E(d_fake + 1)²; wgan, wgan-gp, hinge and loss-sensitive E d_fake."""
    if loss == "gan":
        terms = F.logsigmoid(d_fake)
    elif loss == "nsgan":
        terms = F.softplus(d_fake)
    elif loss == "least-squares":
        terms = 0.5 * (d_fake + 1) ** 2
    elif loss in ("wgan", "wgan-gp", "hinge", "loss-sensitive"):
        terms = d_fake
    else:
        raise ValueError(f"unknown loss {loss!r}; choose from {', '.join(LOSSES)}")
    return expect(terms, weights)
