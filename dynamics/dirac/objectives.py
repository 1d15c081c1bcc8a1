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
from dataclasses import dataclass, field

import numpy as np
import sympy as sp

from dynamics.dirac.noise import GaussianExpectation, smooth_noise_kinks
from dynamics.dirac.ranges import OBJECTIVE as RANGES
from dynamics.dirac.symbols import GAMMA, SIGMA, TARGET, LogSigmoid, lambdify, psi, theta, z_d, z_g
from dynamics.dirac.symbols import PARAM_SYMBOLS as PARAM_SYMBOLS  # re-exported: γ, σ, g₀ by parameter name


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


f = LogSigmoid
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
            penalty=lambda norm: GAMMA / 2 * (norm - TARGET) ** 2,
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
    return v - GAMMA * v.jacobian([theta, psi]).T * v


def _grad_sq_penalty(norm):
    """γ/2·‖∇ₓD‖² (R1 and R2)."""
    return GAMMA / 2 * norm**2


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


def objective_exprs(loss: str, reg: str = "none") -> tuple[sp.Expr, sp.Expr]:
    """(L_G, L_D) of the Dirac-GAN as sympy expressions; with instance noise they depend on z_g, z_d.

    R1 = γ/2·E_data‖∇ₓD‖² and R2 = γ/2·E_gen‖∇ₓD‖² are both γ/2·ψ² here since ∇ₓD = ψ everywhere.
    Under instance noise the kinks max(0, ·) of hinge and loss-sensitive are averaged in closed form
    (`dynamics.dirac.noise.expected_max`); the smooth rest is averaged numerically by quadrature.
    """
    spec, regularizer = LOSSES_BY_NAME[loss], REGULARIZERS_BY_NAME[reg]
    x_fake, x_real = (theta + SIGMA * z_g, SIGMA * z_d) if regularizer.noisy else (theta, sp.S.Zero)
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
    v = sp.Matrix([-sp.diff(L_G, theta), sp.diff(L_D, psi)])
    transform = REGULARIZERS_BY_NAME[reg].transform
    return transform(v) if transform else v


@functools.cache
def symbolic_field(loss: str, reg: str = "none") -> sp.Matrix:
    """The vector field as a 2×1 sympy Matrix in θ, ψ (and z_g, z_d under instance noise)."""
    return field_from_objective(*objective_exprs(loss, reg), reg)


@functools.cache
def symbolic_jacobian(loss: str, reg: str = "none") -> sp.Matrix:
    """∂v/∂(θ, ψ) as a 2×2 sympy Matrix (Heaviside/sign at kinks; DiracDelta terms live on null sets)."""
    return symbolic_field(loss, reg).jacobian([theta, psi])


def _numeric(expr: sp.Expr, noisy: bool) -> Callable:
    if noisy:
        return GaussianExpectation(expr)
    fn = lambdify(expr)
    return lambda th, ps, *params: fn(th, ps, 0.0, 0.0, *params)


@functools.cache
def numeric_field(loss: str, reg: str = "none") -> tuple[Callable, Callable]:
    """(v_θ, v_ψ) as numpy functions of (θ, ψ, γ, σ, g₀); instance noise as an exact expectation."""
    v = symbolic_field(loss, reg)
    return tuple(_numeric(component, REGULARIZERS_BY_NAME[reg].noisy) for component in v)


@functools.cache
def numeric_jacobian(loss: str, reg: str = "none") -> tuple[Callable, ...]:
    """The four Jacobian entries (row-major) as numpy functions of (θ, ψ, γ, σ, g₀)."""
    J = symbolic_jacobian(loss, reg)
    return tuple(_numeric(entry, REGULARIZERS_BY_NAME[reg].noisy) for entry in J)


def parse_name(text: str) -> tuple[str, str]:
    """'gan+r1' → ('gan', 'r1'); a bare loss gets reg 'none'."""
    loss, _, reg = str(text).partition("+")
    return loss, reg or "none"


@dataclass(frozen=True)
class Objective:
    """A loss × regularizer with numeric parameters: the numeric field and Jacobian of the Dirac-GAN."""

    loss: str
    reg: str = "none"
    params: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.loss if self.reg == "none" else f"{self.loss}+{self.reg}"

    @property
    def regularizer(self) -> Regularizer:
        return REGULARIZERS_BY_NAME[self.reg]

    @property
    def title(self) -> str:
        title = LOSSES_BY_NAME[self.loss].title
        if self.reg != "none":
            title += " + " + self.regularizer.title
        if self.params.get("clip") is not None:
            title += f", clip {self.params['clip']:g}"
        return title

    @property
    def used_params(self) -> dict:
        """The parameters this objective actually depends on (plus clip when set)."""
        names = LOSSES_BY_NAME[self.loss].params + self.regularizer.params
        used = {k: self.params[k] for k in PARAMS if k in names}
        if self.params.get("clip") is not None:
            used["clip"] = self.params["clip"]
        return used

    @property
    def _args(self) -> tuple[float, float, float]:
        return self.params["gamma"], self.params["sigma"], self.params["target"]

    def field(self, th, ps) -> tuple[np.ndarray, np.ndarray]:
        """(v_θ, v_ψ) at the given points (numpy broadcasting)."""
        v_th, v_ps = numeric_field(self.loss, self.reg)
        shape = np.broadcast(np.asarray(th), np.asarray(ps)).shape
        return tuple(np.broadcast_to(fn(th, ps, *self._args), shape) for fn in (v_th, v_ps))

    def vector(self, x: np.ndarray) -> np.ndarray:
        """The field on an array of points x[..., 2] = (θ, ψ); returns an array of the same shape."""
        v_th, v_ps = self.field(x[..., 0], x[..., 1])
        return np.stack([v_th, v_ps], axis=-1)

    def jacobian(self, th, ps) -> np.ndarray:
        """The numeric Jacobian ∂v/∂(θ, ψ) at the given points, shape (..., 2, 2); valid off kinks."""
        shape = np.broadcast(np.asarray(th), np.asarray(ps)).shape
        entries = [np.broadcast_to(fn(th, ps, *self._args), shape) for fn in numeric_jacobian(self.loss, self.reg)]
        return np.stack(entries, axis=-1).reshape(*shape, 2, 2)


def make_objective(loss: str, reg: str = "none", **params) -> Objective:
    """Validate names and parameters and build an Objective; raises ValueError naming the bad value."""
    if loss not in LOSSES_BY_NAME:
        raise ValueError(f"unknown loss {loss!r}; allowed: {', '.join(LOSSES)}")
    if reg not in REGULARIZERS_BY_NAME:
        raise ValueError(f"unknown regularizer {reg!r}; allowed: {', '.join(REGULARIZERS)}")
    unknown = set(params) - set(PARAMS)
    if unknown:
        raise ValueError(f"unknown parameter {sorted(unknown)[0]!r}; allowed: {', '.join(PARAMS)}")
    values = {**DEFAULTS, **{k: v for k, v in params.items() if v is not None}}
    for name, rng in RANGES.items():  # dynamics.dirac.ranges: InputError (a ValueError) naming the value
        if values[name] is not None:
            values[name] = float(rng.check(values[name]))
    return Objective(loss, reg, values)
