"""The numeric side of an objective: its field and Jacobian as numpy functions, and `Objective`, a loss ×
regularizer with validated parameters (make_objective), which every trajectory, figure and analysis takes.

Both come from the one sympy definition in dynamics.dirac.objectives: generated ahead (dynamics.dirac.forms, no
sympy import) when current, else lambdified here; under instance noise each entry is the exact Gaussian expectation
of dynamics.dirac.noise.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from dynamics.dirac.forms import form
from dynamics.dirac.objectives import (
    DEFAULTS,
    LOSSES,
    LOSSES_BY_NAME,
    PARAMS,
    REGULARIZERS,
    REGULARIZERS_BY_NAME,
    SYMBOLIC,
    Regularizer,
    symbolic_field,
    symbolic_jacobian,
)
from dynamics.dirac.ranges import OBJECTIVE as RANGES


def _numeric(expr, noisy: bool) -> Callable:
    if noisy:
        from dynamics.dirac.noise import GaussianExpectation

        return GaussianExpectation(expr)
    from dynamics.dirac.symbols import lambdify

    return _noise_free(lambdify(expr))


def _noise_free(fn: Callable) -> Callable:
    """f(θ, ψ, γ, σ, g₀) from a function of (θ, ψ, z_g, z_d, γ, σ, g₀)."""
    return lambda th, ps, *params: fn(th, ps, 0.0, 0.0, *params)


@functools.cache
def numeric_field(loss: str, reg: str = "none") -> tuple[Callable, Callable]:
    """(v_θ, v_ψ) as numpy functions of (θ, ψ, γ, σ, g₀); instance noise as an exact expectation."""
    generated = form(loss, reg)
    if generated is not None:
        return tuple(_noise_free(fn) for fn in generated.field)
    return tuple(_numeric(component, REGULARIZERS_BY_NAME[reg].noisy) for component in symbolic_field(loss, reg))


@functools.cache
def numeric_jacobian(loss: str, reg: str = "none") -> tuple[Callable, ...]:
    """The four Jacobian entries (row-major) as numpy functions of (θ, ψ, γ, σ, g₀)."""
    generated = form(loss, reg)
    if generated is not None:
        return tuple(_noise_free(fn) for fn in generated.jacobian)
    return tuple(_numeric(entry, REGULARIZERS_BY_NAME[reg].noisy) for entry in symbolic_jacobian(loss, reg))


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
    def symbol_values(self) -> tuple[float, float, float]:
        """(γ, σ, g₀) in the order of dynamics.dirac.objectives.SYMBOLIC: the trailing arguments of every
        lambdified field, Jacobian and kernel."""
        return tuple(self.params[name] for name in SYMBOLIC)

    def field(self, th, ps) -> tuple[np.ndarray, np.ndarray]:
        """(v_θ, v_ψ) at the given points (numpy broadcasting)."""
        v_th, v_ps = numeric_field(self.loss, self.reg)
        shape = np.broadcast(np.asarray(th), np.asarray(ps)).shape
        return tuple(np.broadcast_to(fn(th, ps, *self.symbol_values), shape) for fn in (v_th, v_ps))

    def vector(self, x: np.ndarray) -> np.ndarray:
        """The field on an array of points x[..., 2] = (θ, ψ); returns an array of the same shape. (Written into
        one array, not stacked: a trajectory calls it every round, and this is 2.5× as fast on one point.)"""
        v_th, v_ps = numeric_field(self.loss, self.reg)
        th, ps, values = x[..., 0], x[..., 1], self.symbol_values
        out = np.empty(np.shape(x))
        out[..., 0] = v_th(th, ps, *values)
        out[..., 1] = v_ps(th, ps, *values)
        return out

    def jacobian(self, th, ps) -> np.ndarray:
        """The numeric Jacobian ∂v/∂(θ, ψ) at the given points, shape (..., 2, 2); valid off kinks."""
        shape = np.broadcast(np.asarray(th), np.asarray(ps)).shape
        entries = [
            np.broadcast_to(fn(th, ps, *self.symbol_values), shape) for fn in numeric_jacobian(self.loss, self.reg)
        ]
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
