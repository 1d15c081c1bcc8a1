"""The grid of a convergence map and the Dirac-GAN's prediction on it, from the core (dynamics.dirac).

Axes: the regularizer weight γ (σ for instance noise) and the learning rate h = h_G = h_D, both log-spaced. The
γ axis spans a factor 10 either side of the core's critical value (where the Jacobian's eigenvalues turn real,
`real_from`; 1 when there is none); the h axis spans from ¼ of the smallest to 4× the largest critical
learning rate h*(γ) (`max_stable_lr`, where the update operator's spectral radius reaches 1) over that γ axis.

Prediction: cell (γ, h) converges when the spectral radius of the discrete update operator at the equilibrium,
`update_matrix(J(γ), optimizer, (h, h), scheme)`, is below 1 (`discrete_verdict`: 'converges').
Arrays are indexed [γ row, h column].
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from dynamics.contracts import InputError
from dynamics.dirac.field import make_objective
from dynamics.dirac.objectives import LOSSES, REGULARIZERS, REGULARIZERS_BY_NAME
from dynamics.dirac.optimizers import SCHEMES, Optimizer
from dynamics.dirac.ranges import LR, OBJECTIVE
from dynamics.dirac.stability import discrete_verdict, equilibrium, max_stable_lr, real_from, update_matrix
from models.convergence.engine import FAMILIES, OPTIMIZERS, Setup

CORE_OPTIMIZER = {"sgd": "gd", "momentum": "momentum", "extragradient": "extragradient"}
SPAN = 10.0  # the γ axis: critical value ÷ SPAN to × SPAN
MARGIN = 4.0  # the h axis: min h* ÷ MARGIN to max h* × MARGIN


@dataclass(frozen=True)
class Axes:
    """The grid: learning rates (columns), γ or σ values (rows), and the core's h*(γ) on each row."""

    lr: np.ndarray
    param: np.ndarray
    name: str  # "gamma" or "sigma"
    critical: np.ndarray  # h*(param) per row; NaN where the core finds none
    note: str  # how the ranges were chosen, in a sentence


def core_objective(setup: Setup, value: float):
    return make_objective(setup.loss, setup.reg, **{setup.param: float(value)})


def check(setup: Setup) -> None:
    """InputError naming the first value the grid cannot take (a family, loss, regularizer, optimizer or scheme
    the core cannot predict for, or a γ-free objective)."""
    for name, value, allowed in (
        ("--family", setup.family, FAMILIES),
        ("--loss", setup.loss, LOSSES),
        ("--reg", setup.reg, REGULARIZERS),
        ("--optimizer", setup.optimizer, OPTIMIZERS),
        ("--scheme", setup.scheme, SCHEMES),
    ):
        if value not in allowed:
            extra = " (adam and rmsprop have no update operator to predict from)" if name == "--optimizer" else ""
            raise InputError(f"{name} must be one of {', '.join(allowed)}{extra}, got {value!r}")
    if setup.param not in REGULARIZERS_BY_NAME[setup.reg].params:
        raise InputError(
            f"--reg {setup.reg} has no γ or σ to vary; choose one of "
            f"{', '.join(r for r in REGULARIZERS if REGULARIZERS_BY_NAME[r].params)}"
        )
    if equilibrium(core_objective(setup, 0.7)).jacobian is None:
        at = [equilibrium(core_objective(replace(setup, loss=loss), 0.7)) for loss in LOSSES]
        smooth = [loss for loss, eq in zip(LOSSES, at, strict=True) if eq.jacobian is not None]
        raise InputError(
            f"--loss {setup.loss} is not differentiable at the equilibrium, so the core predicts nothing there; "
            f"choose one of {', '.join(smooth)}"
        )


def critical_lr(setup: Setup, value: float) -> float:
    """h*(γ): where the core's update operator stops converging; NaN if it never converges or always does."""
    opt = Optimizer(CORE_OPTIMIZER[setup.optimizer])
    h = max_stable_lr(core_objective(setup, value), opt, setup.scheme, high=LR.high)
    return np.nan if h is None else h


def axes(setup: Setup, n: int, lr_range=None, param_range=None) -> Axes:
    """n γ values × n learning rates around the predicted boundary (module docstring), or the given ranges."""
    check(setup)
    notes = []
    if param_range is None:
        centre = real_from(setup.loss, setup.reg, setup.param) or 1.0
        param_range = (centre / SPAN, min(centre * SPAN, OBJECTIVE[setup.param].high))
        notes.append(f"{setup.param} from {param_range[0]:.4g} to {param_range[1]:.4g} (×{SPAN:g} around {centre:.4g})")
    param = np.geomspace(*param_range, n)
    critical = np.array([critical_lr(setup, v) for v in param])
    if lr_range is None:
        found = critical[np.isfinite(critical)]
        if found.size:
            lr_range = (found.min() / MARGIN, min(found.max() * MARGIN, LR.high))
            notes.append(f"h from {lr_range[0]:.4g} to {lr_range[1]:.4g} (÷{MARGIN:g} and ×{MARGIN:g} the core's h*)")
        else:
            lr_range = (0.01, 10.0)
            notes.append("h from 0.01 to 10 (the core finds no critical h on this γ axis)")
    lr = np.geomspace(*lr_range, n)
    return Axes(lr, param, setup.param, critical, "; ".join(notes) or "ranges as given")


def predict(setup: Setup, ax: Axes, gains=None) -> tuple[np.ndarray, np.ndarray]:
    """(spectral radius, converges) of the core's update operator at every cell, arrays [γ row, h column].
    `gains` (gain_G, gain_D), arrays of the grid's shape: the players' learning rates are h·gain_G and h·gain_D
    instead of h (models.convergence.effective); NaN radius and False where a gain is not finite."""
    opt = Optimizer(CORE_OPTIMIZER[setup.optimizer])
    shape = (len(ax.param), len(ax.lr))
    gain_g, gain_d = (np.ones(shape), np.ones(shape)) if gains is None else gains
    radius = np.full(shape, np.nan)
    converges = np.zeros(shape, bool)
    for i, value in enumerate(ax.param):
        J = equilibrium(core_objective(setup, value)).jacobian
        for j, h in enumerate(ax.lr):
            rates = (float(h * gain_g[i, j]), float(h * gain_d[i, j]))
            if not np.all(np.isfinite(rates)):
                continue
            M = update_matrix(J, opt, rates, setup.scheme)
            radius[i, j] = np.max(np.abs(np.linalg.eigvals(M)))
            converges[i, j] = discrete_verdict(M) == "converges"
    return radius, converges
