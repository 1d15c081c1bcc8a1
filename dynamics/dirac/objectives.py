"""The Dirac-GAN objectives, each defined once with sympy; field and Jacobian are derived from that definition.

Setting (Mescheder, Geiger, Nowozin 2018): data δ₀, generator G = θ, discriminator D(x) = ψ·x. The
discriminator maximizes L_D(θ, ψ), the generator minimizes L_G(θ, ψ), and the gradient vector field is
    v(θ, ψ) = (−∂L_G/∂θ, +∂L_D/∂ψ).
Sign convention (docs/conventions.md): D scores *generated* points high, L = f(D(G)) + f(−D(x_data)).
Losses and regularizers are registries (`LOSSES_BY_NAME`, `REGULARIZERS_BY_NAME`); the symbols and sympy
functions live in dynamics.dirac.symbols, the instance-noise expectation in dynamics.dirac.noise.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from dynamics.dirac.ranges import OBJECTIVE as RANGES
from dynamics.lazy import Lazy

sp = Lazy("sympy")  # the registry imports without sympy: a CLI run with generated forms never derives
sym = Lazy("dynamics.dirac.symbols")


@dataclass(frozen=True)
class Loss:
    """A GAN loss in terms of the discriminator's outputs d_real = D(x), d_fake = D(G(z)).

    `disc(d_real, d_fake, margin)` is maximized by D (margin = |x − G(z)|, used by the loss-sensitive GAN),
    `gen(d_fake)` is minimized by G, `penalty(grad_norm)` (if any) is subtracted from the disc objective.
    """

    name: str
    title: str
    disc: Callable
    gen: Callable
    penalty: Callable | None = None
    params: tuple[str, ...] = ()
    cite: str = ""


def f(t):
    """log σ(t), the f of the standard GAN (symbols.LogSigmoid)."""
    return sym.LogSigmoid(t)


LOSSES_BY_NAME = {
    loss.name: loss
    for loss in [
        Loss(
            "gan",
            "GAN (minimax)",
            disc=lambda r, g, m: f(g) + f(-r),
            gen=lambda g: f(g),
            cite="Goodfellow et al. 2014",
        ),
        Loss(
            "nsgan",
            "Non-saturating GAN",
            disc=lambda r, g, m: f(g) + f(-r),
            gen=lambda g: -f(-g),
            cite="Goodfellow et al. 2014",
        ),
        Loss("wgan", "WGAN", disc=lambda r, g, m: g - r, gen=lambda g: g, cite="Arjovsky et al. 2017"),
        Loss(
            "wgan-gp",
            "WGAN-GP",
            disc=lambda r, g, m: g - r,
            gen=lambda g: g,
            penalty=lambda norm: sym.GAMMA / 2 * (norm - sym.TARGET) ** 2,
            params=("gamma", "target"),
            cite="Gulrajani et al. 2017",
        ),
        Loss(
            "least-squares",
            "Least-squares GAN",
            disc=lambda r, g, m: -((g - 1) ** 2) / 2 - (r + 1) ** 2 / 2,
            gen=lambda g: (g + 1) ** 2 / 2,
            cite="Mao et al. 2017",
        ),
        Loss(
            "hinge",
            "Hinge GAN",
            disc=lambda r, g, m: -sp.Max(0, 1 - g) - sp.Max(0, 1 + r),
            gen=lambda g: g,
            cite="Lim & Ye 2017; Miyato et al. 2018",
        ),
        Loss(
            "loss-sensitive",
            "Loss-sensitive GAN",
            disc=lambda r, g, m: -r - sp.Max(0, m + r - g),
            gen=lambda g: g,
            cite="Qi 2017",
        ),
    ]
}


@dataclass(frozen=True)
class Regularizer:
    """A regularizer and how it acts, as data (the torch backend, models.regularizers, reads the same entries).

    `penalty(grad_norm)` (if any) is subtracted from D's objective, with ∇ₓD taken at the samples named by
    `penalty_on` ("real" for R1, "fake" for R2; ∇ₓD = ψ everywhere in the Dirac-GAN); `transform(v)` (if any)
    is the field the players follow instead of v; `noisy` adds N(0, σ²) to real and generated samples, which
    makes L_G, L_D expectations over the noise (dynamics.dirac.noise).
    """

    name: str
    title: str
    params: tuple[str, ...] = ()
    cite: str = ""
    penalty: Callable | None = None
    penalty_on: str = ""
    transform: Callable | None = None
    noisy: bool = False


def _consensus(v: sp.Matrix) -> sp.Matrix:
    """v − γ·∇(½‖v‖²) = v − γ·Jᵀv (consensus optimization)."""
    return v - sym.GAMMA * v.jacobian([sym.theta, sym.psi]).T * v


def _grad_sq_penalty(norm):
    """γ/2·‖∇ₓD‖² (R1 and R2)."""
    return sym.GAMMA / 2 * norm**2


REGULARIZERS_BY_NAME = {
    reg.name: reg
    for reg in [
        Regularizer("none", "no regularizer"),
        Regularizer(
            "r1",
            "R1 penalty",
            params=("gamma",),
            penalty=_grad_sq_penalty,
            penalty_on="real",
            cite="Mescheder et al. 2018",
        ),
        Regularizer(
            "r2",
            "R2 penalty",
            params=("gamma",),
            penalty=_grad_sq_penalty,
            penalty_on="fake",
            cite="Mescheder et al. 2018",
        ),
        Regularizer(
            "consensus",
            "consensus optimization",
            params=("gamma",),
            transform=_consensus,
            cite="Mescheder et al. 2017",
        ),
        Regularizer(
            "instance-noise",
            "instance noise",
            params=("sigma",),
            noisy=True,
            cite="Sønderby et al. 2017; Arjovsky & Bottou 2017",
        ),
    ]
}

LOSSES = tuple(LOSSES_BY_NAME)
REGULARIZERS = tuple(REGULARIZERS_BY_NAME)
PARAMS = tuple(RANGES)  # gamma, sigma, target, clip
DEFAULTS = {name: rng.default for name, rng in RANGES.items()}
SYMBOLIC = ("gamma", "sigma", "target")  # the parameters the field takes as symbols, in argument order (γ, σ, g₀)


def objective_exprs(loss: str, reg: str = "none") -> tuple[sp.Expr, sp.Expr]:
    """(L_G, L_D) of the Dirac-GAN as sympy expressions; with instance noise they depend on z_g, z_d.

    R1 = γ/2·E_data‖∇ₓD‖² and R2 = γ/2·E_gen‖∇ₓD‖² are both γ/2·ψ² here since ∇ₓD = ψ everywhere.
    Under instance noise the kinks max(0, ·) of hinge and loss-sensitive are averaged in closed form
    (`dynamics.dirac.noise.expected_max`); the smooth rest is averaged numerically by quadrature.
    """
    from dynamics.dirac.noise import smooth_noise_kinks

    spec, regularizer = LOSSES_BY_NAME[loss], REGULARIZERS_BY_NAME[reg]
    theta, psi, sigma = sym.theta, sym.psi, sym.SIGMA
    x_fake, x_real = (theta + sigma * sym.z_g, sigma * sym.z_d) if regularizer.noisy else (theta, sp.S.Zero)
    d_fake, d_real = psi * x_fake, psi * x_real
    L_D = spec.disc(d_real, d_fake, sp.Abs(x_fake - x_real))
    if spec.penalty:
        L_D -= spec.penalty(sp.Abs(psi))
    if regularizer.penalty:
        L_D -= regularizer.penalty(sp.Abs(psi))
    L_G = spec.gen(d_fake)
    if regularizer.noisy:
        L_G, L_D = smooth_noise_kinks(L_G), smooth_noise_kinks(L_D)
    return L_G, L_D


def field_from_objective(L_G: sp.Expr, L_D: sp.Expr, reg: str) -> sp.Matrix:
    """v = (−∂L_G/∂θ, ∂L_D/∂ψ), or the regularizer's map of it (consensus: v − γ·Jᵀv)."""
    v = sp.Matrix([-sp.diff(L_G, sym.theta), sp.diff(L_D, sym.psi)])
    transform = REGULARIZERS_BY_NAME[reg].transform
    return transform(v) if transform else v


@functools.cache
def symbolic_field(loss: str, reg: str = "none") -> sp.Matrix:
    """The vector field as a 2×1 sympy Matrix in θ, ψ (and z_g, z_d under instance noise)."""
    return field_from_objective(*objective_exprs(loss, reg), reg)


@functools.cache
def symbolic_jacobian(loss: str, reg: str = "none") -> sp.Matrix:
    """∂v/∂(θ, ψ) as a 2×2 sympy Matrix (Heaviside/sign at kinks; DiracDelta terms live on null sets)."""
    return symbolic_field(loss, reg).jacobian([sym.theta, sym.psi])


def parse_name(text: str) -> tuple[str, str]:
    """'gan+r1' → ('gan', 'r1'); a bare loss gets reg 'none'."""
    loss, _, reg = str(text).partition("+")
    return loss, reg or "none"
