"""Discrete game dynamics: one step of each optimizer and one round of the simultaneous/alternating scheme.

The state is a tuple of arrays of shape (..., 2): the point x = (θ, ψ) first, then the optimizer's buffers.
Every step follows the field v (ascent for ψ, descent for θ) with per-player step sizes h = (h_θ, h_ψ); a
player whose h is 0 is left untouched, buffers included, which is how alternating updates are built.
The same code advances trajectories and, applied to a linear field, gives the update operator's matrix.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from dynamics.contracts import InputError
from dynamics.dirac.ranges import BETA

OPTIMIZERS = ("gd", "momentum", "adam", "extragradient", "optimistic")
SCHEMES = ("sim", "alt")
BUFFERS = {"gd": 0, "momentum": 1, "adam": 3, "extragradient": 0, "optimistic": 1}
DEFAULT_BETA = {name: rng.default for name, rng in BETA.items()}
OPTIMIZER_TITLES = {
    "gd": "gradient descent",
    "momentum": "heavy-ball momentum",
    "adam": "Adam",
    "extragradient": "extragradient",
    "optimistic": "optimistic gradient",
}


@dataclass(frozen=True)
class Optimizer:
    """An optimizer with its hyper-parameters: beta is the momentum β or Adam's β₁."""

    name: str = "gd"
    beta: float | None = None
    beta2: float = 0.999
    eps: float = 1e-8

    def __post_init__(self):
        if self.name not in OPTIMIZERS:
            raise ValueError(f"unknown optimizer {self.name!r}; allowed: {', '.join(OPTIMIZERS)}")
        if self.beta is None:
            object.__setattr__(self, "beta", DEFAULT_BETA.get(self.name, 0.0))
        rng = BETA.get(self.name, BETA["adam"])  # an optimizer without β keeps 0, which Adam's range allows
        if not rng.contains(self.beta):
            raise InputError(f"beta must be {rng.allowed} for {self.name}, got {self.beta!r}")

    @property
    def linear(self) -> bool:
        """Whether the update is linear in the state for a linear field (Adam's normalisation is not)."""
        return self.name != "adam"


def init_state(opt: Optimizer, x: np.ndarray, field: Callable) -> tuple:
    """Initial state: zero momentum/moments; optimistic starts with g_prev = v(x₀), so step 1 is plain GD."""
    x = np.asarray(x, float)
    if opt.name == "optimistic":
        return (x, field(x))
    return (x, *(np.zeros_like(x) for _ in range(BUFFERS[opt.name])))


def step(opt: Optimizer, state: tuple, field: Callable, h: np.ndarray, project: Callable) -> tuple:
    """One update of the players whose step size in h is non-zero.

    gd:            x ← x + h·v(x)
    momentum:      m ← β·m + v(x);  x ← x + h·m          (heavy ball: x + h·v + β·(x − x_prev))
    adam:          m ← β₁m + (1−β₁)v, s ← β₂s + (1−β₂)v², x ← x + h·m̂/(√ŝ + ε)  (bias-corrected)
    extragradient: x̃ = x + h·v(x);  x ← x + h·v(x̃)
    optimistic:    x ← x + h·(2v(x) − v_prev)
    """
    x, *buffers = state
    active = h != 0
    if opt.name == "extragradient":
        return (project(x + h * field(project(x + h * field(x)))),)
    g = field(x)
    if opt.name == "gd":
        return (project(x + h * g),)
    if opt.name == "momentum":
        m = np.where(active, opt.beta * buffers[0] + g, buffers[0])
        return (project(x + h * m), m)
    if opt.name == "optimistic":
        return (project(x + h * (2 * g - buffers[0])), np.where(active, g, buffers[0]))
    m, s, t = buffers
    t = t + active
    m = np.where(active, opt.beta * m + (1 - opt.beta) * g, m)
    s = np.where(active, opt.beta2 * s + (1 - opt.beta2) * g**2, s)
    with np.errstate(divide="ignore", invalid="ignore"):
        update = (m / (1 - opt.beta**t)) / (np.sqrt(s / (1 - opt.beta2**t)) + opt.eps)
    return (project(x + np.where(active, h * update, 0.0)), m, s, t)


def play_round(
    opt: Optimizer,
    state: tuple,
    field: Callable,
    lr: tuple[float, float],
    scheme: str = "sim",
    g_steps: int = 1,
    d_steps: int = 1,
    project: Callable = lambda x: x,
) -> tuple:
    """One round: a simultaneous step of both players, or g_steps generator steps then d_steps disc steps."""
    lr_g, lr_d = lr
    if scheme == "sim":
        return step(opt, state, field, np.array([lr_g, lr_d]), project)
    for _ in range(g_steps):
        state = step(opt, state, field, np.array([lr_g, 0.0]), project)
    for _ in range(d_steps):
        state = step(opt, state, field, np.array([0.0, lr_d]), project)
    return state


def field_evaluations(opt: Optimizer, scheme: str, g_steps: int = 1, d_steps: int = 1) -> int:
    """Number of field evaluations in one round (extragradient evaluates twice per step)."""
    per_step = 2 if opt.name == "extragradient" else 1
    return per_step * (1 if scheme == "sim" else g_steps + d_steps)
