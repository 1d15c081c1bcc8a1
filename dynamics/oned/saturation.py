"""Saturating vs non-saturating generator loss (Goodfellow et al. 2014, Sec. 3; NIPS 2016 tutorial, Fig. 16).

With D = σ(t) (t the discriminator's logit) the generator minimizes, per generated point,
    saturating:      log(1 − D)   with d/dD = −1/(1 − D),  d/dt = −D
    non-saturating:  −log D       with d/dD = −1/D,        d/dt = −(1 − D)
Early in training D(G(z)) ≈ 0, so the saturating loss's gradient through the logit, −D, vanishes while the
non-saturating one stays near −1.

For a generator G_θ(z) and a discriminator held fixed during the generator step, the pathwise gradient is
    ∂/∂θ E_z[loss(D(G_θ(z)))] = E_{x~p_g}[ dloss/dt · t'(x) · ∂x/∂θ ].
The discriminator "gets better" along D_λ = σ(λ·log(p_data/p_g)), λ from 0 (D = ½) to 1 (D = D*).

"""

from __future__ import annotations

import numpy as np

from dynamics.contracts import InputError
from dynamics.oned.distributions import Distribution


def loss_curves(d):
    """The two generator losses and their derivatives, as functions of D = D(G(z)) in (0, 1)."""
    d = np.asarray(d, dtype=float)
    return {
        "loss_sat": np.log1p(-d),
        "loss_ns": -np.log(d),
        "dloss_dd_sat": -1.0 / (1.0 - d),
        "dloss_dd_ns": -1.0 / d,
        "dloss_dlogit_sat": -d,
        "dloss_dlogit_ns": -(1.0 - d),
    }


def score(dist: Distribution, x, rel_step: float = 1e-5):
    """d/dx log p(x) by a central difference of logpdf (step rel_step·std); NaN where logpdf is not finite."""
    x = np.asarray(x, dtype=float)
    h = rel_step * max(dist.std, 1e-12)
    with np.errstate(invalid="ignore"):
        s = (dist.logpdf(x + h) - dist.logpdf(x - h)) / (2 * h)
    return np.where(np.isfinite(s), s, np.nan)


def generator_gradients(data: Distribution, gen: Distribution, lambdas, param: str = "shift", n: int = 4001):
    """|∂/∂θ E_z[loss]| under each loss for D_λ = σ(λ·log(p_data/p_g)), for each λ in `lambdas`.

    param 'shift': G_θ(z) = θ + X(z), ∂x/∂θ = 1.  param 'scale': G_θ(z) = m + e^θ·(X(z) − m) at θ = 0,
    ∂x/∂θ = x − m with m the generator's mean. Points where D is exactly 0 or 1 (one density vanishes) have
    D locally constant and contribute no gradient. Expectations use the trapezoid rule over p_g's support.
    """
    if param not in ("shift", "scale"):
        raise InputError(f"--gen-family must be 'shift' or 'scale', got {param!r}")
    lo, hi = gen.support()
    x = np.unique(np.concatenate([np.linspace(lo, hi, n), [b for b in gen.breakpoints() if lo < b < hi]]))
    pg = gen.pdf(x)
    with np.errstate(invalid="ignore"):
        log_ratio = data.logpdf(x) - gen.logpdf(x)
        slope = score(data, x) - score(gen, x)
    dx_dtheta = np.ones_like(x) if param == "shift" else x - gen.mean
    out = {"lambda": [], "mean_d_g": [], "grad_sat": [], "grad_ns": []}
    for lam in np.asarray(lambdas, dtype=float):
        with np.errstate(invalid="ignore", over="ignore"):
            t = lam * log_ratio if lam > 0 else np.zeros_like(x)
            d = 1.0 / (1.0 + np.exp(-t))
            t_prime = lam * slope
            ok = np.isfinite(t) & np.isfinite(t_prime) & (pg > 0)
            sat = np.where(ok, -d * t_prime * dx_dtheta, 0.0)
            ns = np.where(ok, -(1.0 - d) * t_prime * dx_dtheta, 0.0)
        out["lambda"].append(float(lam))
        out["mean_d_g"].append(float(np.trapezoid(pg * np.nan_to_num(d, nan=0.5), x)))
        out["grad_sat"].append(abs(float(np.trapezoid(pg * sat, x))))
        out["grad_ns"].append(abs(float(np.trapezoid(pg * ns, x))))
    return {k: np.array(v) for k, v in out.items()}


def expected_loss(data: Distribution, gen: Distribution, lam: float, theta: float, param: str, n: int = 20001):
    """E_z[loss(D_λ(G_θ(z)))] for both losses, D_λ built for θ = 0 and held fixed (for gradient checks)."""
    lo, hi = gen.support()
    z = np.linspace(lo, hi, n)
    pz = gen.pdf(z)
    x = z + theta if param == "shift" else gen.mean + np.exp(theta) * (z - gen.mean)
    with np.errstate(invalid="ignore", divide="ignore"):
        t = lam * (data.logpdf(x) - gen.logpdf(x))
    log_d, log_1md = -np.logaddexp(0, -t), -np.logaddexp(0, t)
    return float(np.trapezoid(pz * log_1md, z)), float(np.trapezoid(pz * -log_d, z))
