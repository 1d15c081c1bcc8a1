"""The Dirac-GAN a trained network pair acts as: its effective parameters, read from each cell of a grid.

The Dirac-GAN's analysis assumes D(x) = ψ·x and G a point θ, each moved by its own parameter at rate h. A network
pair near equilibrium is read as such a game (per cell, by torch.func over the stacked parameters):

    ψ_eff = D'(0)          the slope of D at the data mean       offset = D(0)   (the Dirac-GAN's D has none)
    θ_eff = mean G(z)      spread = std G(z)   over the fixed N(0, 1) probe quantiles of z
    κ = Σ (x − x̄)(D'(x) − D̄') ÷ Σ (x − x̄)²   D's curvature over the samples, x the data's and G's probe points:
                                              → D''(0) for a smooth D on a narrow span; for the LeakyReLU MLPs,
                                              whose D'' is 0 between kinks, the mean change of slope over the span
    gain_g = ‖∇_{w_G} θ_eff‖², gain_d = ‖∇_{w_D} ψ_eff‖², gain_offset = ‖∇_{w_D} D(0)‖²

A gradient step of size h on the weights moves θ_eff by h·gain_g·(its Dirac-GAN gradient) and ψ_eff by
h·gain_d·(its gradient), to first order: the network is the Dirac-GAN with learning rates (h·gain_g, h·gain_d)
(its tangent kernel on these two directions). For the Dirac-GAN itself every gain is 1 and κ = offset = spread = 0.
"""

from __future__ import annotations

import torch
from torch.func import functional_call, grad

from models.losses import input_grad

NAMES = ("psi", "curvature", "offset", "theta", "spread", "gain_g", "gain_d", "gain_offset")


def _sq(tree: dict) -> torch.Tensor:
    return sum(v.pow(2).sum() for v in tree.values())


def read(G, D, pg: dict, pd: dict, probes: dict) -> torch.Tensor:
    """The NAMES of one cell (G, D with parameters pg, pd) as one vector; `probes` holds z (latent probe codes),
    x (the data's probe points) and w (their weights), as engine._probes."""
    zero = torch.zeros(1, 1, dtype=probes["z"].dtype)
    w = probes["w"]

    def theta(p):
        return (w * functional_call(G, p, (probes["z"],))[:, 0]).sum()

    def offset(p):
        return functional_call(D, p, (zero,))[0]

    def slope(p, x=zero):
        return input_grad(lambda u: functional_call(D, p, (u,)), x)[:, 0]

    out = functional_call(G, pg, (probes["z"],))[:, 0]
    mean = (w * out).sum()
    spread = (w * (out - mean) ** 2).sum().sqrt()
    xs = torch.cat([probes["x"], out.detach()[:, None]])
    ws = torch.cat([w, w]) / 2
    ds = slope(pd, xs)
    dx = xs[:, 0] - (ws * xs[:, 0]).sum()
    curvature = (ws * dx * (ds - (ws * ds).sum())).sum() / (ws * dx**2).sum().clamp_min(1e-30)
    gains = (_sq(grad(theta)(pg)), _sq(grad(lambda p: slope(p)[0])(pd)), _sq(grad(offset)(pd)))
    return torch.stack([slope(pd)[0], curvature, offset(pd), mean, spread, *gains])
