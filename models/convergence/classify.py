"""How a trained GAN of a grid is judged: converged, cycling or diverged, in the status vocabulary of the core.

Distance to equilibrium, from what `engine.train` reads every few rounds: the generator's distribution against
the data (mean m and std s of G's samples against N(0, s₀²): the 2-Wasserstein distance of the two Gaussians,
√(m² + (s − s₀)²); |θ| in the Dirac-GAN) and the RMS of D's input gradient at the data g (|ψ| in the Dirac-GAN):

    r = √(m² + (s − s₀)² + g²)                 (the Dirac-GAN's distance √(θ² + ψ²) to (0, 0))

Over the last quarter of the records, with its peak r̂ and growth = r̂ ÷ the peak over the quarter before (both
raised to tol at least: ups and downs below the tolerance, a minibatch's noise floor, are no growth),
dynamics.dirac.status.classify gives the status, the first that holds:

    diverged    r non-finite or past BOUND at any record
    converged   r̂ < tol and growth ≤ 1 + change
    stalled     travel over the last quarter < change·r̂
    diverging   growth > 1 + change
    converging  growth < 1 − change
    cycling     otherwise

and a run still farther from equilibrium than it started (r̂ ≥ r at the start) is not converging but cycling:
a nonlinear GAN whose linearisation diverges often settles on a large orbit, whose peaks may still shrink.

The dirac family uses the core's tol = 10⁻³ and change = 1 %; minibatch noise keeps an MLP GAN at a noise floor
(r ≈ 0.05 on narrow data, 0.1–0.4 on N(0, 1) data, growing with h), so the mlp family uses a quarter of the run's
starting distance r₀ (≈ 1–1.4) as tol and change = 10 %. A cell counts as
converged on the map (`observed`) when its status is converged or converging, the three classes of the map being
converged (converged, converging), cycling (cycling, stalled) and diverged (diverging, diverged).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dynamics.dirac import status

CONVERGED = ("converged", "converging")
CLASSES = {"converged": CONVERGED, "cycling": ("cycling", "stalled"), "diverged": ("diverging", "diverged")}


@dataclass(frozen=True)
class Rule:
    """The thresholds of the rule: `tol` on the peak distance, `change` on growth and travel, `bound`."""

    tol: float
    change: float
    relative: bool = False  # tol is a fraction of the run's starting distance
    bound: float = status.BOUND


RULES = {"dirac": Rule(status.TOL, status.CHANGE), "mlp": Rule(0.25, 0.1, relative=True)}


def distance(mean, std, grad, target_std: float = 0.0) -> np.ndarray:
    """r = √(m² + (s − s₀)² + g²) per record (module docstring)."""
    with np.errstate(invalid="ignore", over="ignore"):
        return np.sqrt(mean**2 + (std - target_std) ** 2 + grad**2)


def classify(mean, std, grad, rule: Rule, target_std: float = 0.0) -> np.ndarray:
    """The status of each run from its records, arrays (runs, records) with at least 2 records after the start."""
    mean, std, grad = (np.asarray(a, float) for a in (mean, std, grad))
    with np.errstate(invalid="ignore", over="ignore"):
        r = distance(mean, std, grad, target_std)
        alive = np.all(np.isfinite(r) & (r <= rule.bound), axis=1)
        tol = rule.tol * r[:, 0] if rule.relative else np.full(len(r), rule.tol)
        k = max(1, (r.shape[1] - 1) // 4)
        last, before = r[:, -k:], r[:, -2 * k : -k]
        peak = np.where(alive, last.max(1), np.inf)
        growth = np.where(alive, np.maximum(peak, tol) / np.maximum(before.max(1), tol), np.nan)
        points = np.stack([mean, std, grad], -1)[:, -k - 1 :]
        travel = np.where(alive, np.linalg.norm(np.diff(points, axis=1), axis=2).sum(1), np.nan)
    out = status.classify(peak, growth, travel, alive, tol, rule.change)
    return np.where((out == "converging") & ~(peak < r[:, 0]), "cycling", out)


def observed(statuses) -> np.ndarray:
    """True where the status counts as converged (converged or converging)."""
    return np.isin(statuses, CONVERGED)


def map_class(name: str) -> str:
    """converged, cycling or diverged: the map's class of a status."""
    return next(cls for cls, names in CLASSES.items() if name in names)
