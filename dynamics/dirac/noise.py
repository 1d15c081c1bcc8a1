"""Instance noise as an exact expectation E_z[·], z_g, z_d ~ N(0, 1): kinks in closed form, the rest by quadrature."""

from __future__ import annotations

import functools

import numpy as np
import sympy as sp
from scipy.special import expit, ndtr

from dynamics.dirac.symbols import NOISE, Sigmoid, almost_everywhere, lambdify, z_d, z_g


def _normal_cdf(x):
    return (1 + sp.erf(x / sp.sqrt(2))) / 2


def _normal_pdf(x):
    return sp.exp(-(x**2) / 2) / sp.sqrt(2 * sp.pi)


def _noise_scale(w: sp.Expr) -> sp.Expr:
    """Standard deviation of the noise part of w, linear in z_g, z_d (a tiny floor keeps it off 0)."""
    return sp.sqrt(sum(sp.diff(w, z) ** 2 for z in NOISE) + sp.Float(1e-24))


def _positive_part_mean(m: sp.Expr, s: sp.Expr) -> sp.Expr:
    """E[max(0, u)] for u ~ N(m, s²): m·Φ(m/s) + s·φ(m/s)."""
    return m * _normal_cdf(m / s) + s * _normal_pdf(m / s)


def expected_max(w: sp.Expr) -> sp.Expr:
    """Exact E_z[max(0, w)] for the two kinds of kink in the Dirac losses under instance noise.

    w linear in the noise (hinge): E = E[u⁺] with u = w. w = c·|u| + d·u with u linear in the noise
    (loss-sensitive margin): E = max(0, c + d)·E[u⁺] + max(0, c − d)·E[u⁻], since w is positively
    homogeneous in u; E[u⁻] = E[u⁺] − E[u].
    """
    noisy_abs = [a for a in w.atoms(sp.Abs) if a.free_symbols & set(NOISE)]
    if not noisy_abs:
        return _positive_part_mean(w.subs({z_g: 0, z_d: 0}), _noise_scale(w))
    (abs_u,) = noisy_abs
    u, A = abs_u.args[0], sp.Dummy("A")
    w = w.xreplace({abs_u: A})
    c = sp.diff(w, A)
    d = sp.cancel(sp.expand(w - c * A) / u)
    if (c.free_symbols | d.free_symbols) & set(NOISE):
        raise NotImplementedError(f"no closed-form Gaussian expectation for max(0, {w})")
    m = u.subs({z_g: 0, z_d: 0})
    plus = _positive_part_mean(m, _noise_scale(u))
    return sp.Max(0, c + d) * plus + sp.Max(0, c - d) * (plus - m)


def smooth_noise_kinks(expr: sp.Expr) -> sp.Expr:
    """Replace every max(0, ·) that depends on the noise by its exact Gaussian expectation."""
    return expr.replace(
        lambda e: isinstance(e, sp.Max) and bool(e.free_symbols & set(NOISE)),
        lambda e: expected_max(sum(a for a in e.args if a != 0)),
    )


@functools.cache
def gauss_hermite(n: int = 64) -> tuple[np.ndarray, np.ndarray]:
    """Nodes and weights for E[g(z)], z ~ N(0, 1): Σ wᵢ g(zᵢ) with Σ wᵢ = 1."""
    nodes, weights = np.polynomial.hermite_e.hermegauss(n)
    return nodes, weights / weights.sum()


@functools.cache
def gauss_laguerre(n: int = 64) -> tuple[np.ndarray, np.ndarray]:
    """Nodes and weights for ∫₀^∞ e^(−u) g(u) du."""
    return np.polynomial.laguerre.laggauss(n)


def _upper_moments(z0: np.ndarray, degree: int) -> list[np.ndarray]:
    """E[z^k · 1(z > z0)] for k = 0..degree, z ~ N(0, 1): M₀ = Q(z0), M₁ = φ(z0), M_k = z0^(k−1)φ(z0) + (k−1)M_(k−2)."""
    pdf = np.exp(-(z0**2) / 2) / np.sqrt(2 * np.pi)
    moments = [ndtr(-z0), pdf]
    for k in range(2, degree + 1):
        moments.append(z0 ** (k - 1) * pdf + (k - 1) * moments[k - 2])
    return moments[: degree + 1]


class SteepSigmoidTerm:
    """E[P(z)·sigmoid(c + d·z)], z ~ N(0, 1), P a polynomial — accurate however steep the sigmoid is.

    Gauss–Hermite needs the integrand smooth on the node spacing, which fails once |d| ≳ 2 (sigmoid of
    large noisy logits). Then sigmoid(t) = H(t) + r(t): the step H gives truncated-Gaussian moments in closed
    form, and r(t) = ∓sigmoid(−|t|) decays like e^(−|t|) on each side of the kink z₀ = −c/d, so
    E[P·r] = sign(d)/|d| · ∫₀^∞ sigmoid(−u)·[F(z₀ − u/|d|) − F(z₀ + u/|d|)] du with F = P·φ (Gauss–Laguerre).
    """

    STEEP = 2.0

    def __init__(self, coeffs, c, d, noise):
        self.coeffs, self.c, self.d, self.noise = coeffs, c, d, noise

    @staticmethod
    def match(term: sp.Expr, z: sp.Symbol):
        """(coefficient functions, c, d) if term = P(z)·sigmoid(c + d·z), else None."""
        sigmoids = [a for a in term.atoms(Sigmoid) if z in a.free_symbols]
        if len(sigmoids) != 1:
            return None
        (sig,) = sigmoids
        arg, rest = sig.args[0], sp.cancel(term / sig)
        if sp.diff(arg, z, 2) != 0 or any(z in a.free_symbols for a in rest.atoms(Sigmoid)):
            return None
        try:
            poly = sp.Poly(rest, z)
        except sp.PolynomialError:
            return None
        if any(co.free_symbols & set(NOISE) for co in poly.all_coeffs()):
            return None
        coeffs = [lambdify(co) for co in reversed(poly.all_coeffs())]
        return coeffs, lambdify(arg.subs(z, 0)), lambdify(sp.diff(arg, z))

    def __call__(self, th, ps, params, nodes, weights):
        args = (th, ps, 0.0, 0.0, *params)
        a = [np.broadcast_to(f(*args), th.shape)[..., None] for f in self.coeffs]
        c, d = (np.broadcast_to(f(*args), th.shape) for f in (self.c, self.d))

        def P(z):
            return sum(ak * z**k for k, ak in enumerate(a))

        gentle = (P(nodes) * expit(c[..., None] + d[..., None] * nodes)) @ weights
        steep = np.abs(d) > self.STEEP
        if not steep.any():
            return gentle
        d = np.where(steep, d, 1.0)
        z0 = -c / d
        full = [float(k % 2 == 0) * _double_factorial(k - 1) for k in range(len(a))]
        tails = [np.where(d > 0, m, f - m) for m, f in zip(_upper_moments(z0, len(a) - 1), full, strict=True)]
        step_part = sum(ak[..., 0] * t for ak, t in zip(a, tails, strict=True))
        u, w = gauss_laguerre()
        zc, offset = z0[..., None], u / np.abs(d)[..., None]

        def F(z):
            return P(z) * np.exp(-(z**2) / 2) / np.sqrt(2 * np.pi)

        r_part = np.sign(d) / np.abs(d) * (((F(zc - offset) - F(zc + offset)) / (1 + np.exp(-u))) @ w)
        return np.where(steep, step_part + r_part, gentle)


def _double_factorial(n: int) -> int:
    return 1 if n <= 0 else n * _double_factorial(n - 2)


class GaussianExpectation:
    """Numeric E_z[expr(θ, ψ, z_g, z_d)] for z_g, z_d iid N(0, 1).

    The expression is split into its additive terms; terms that involve one noise variable use a 1-D rule
    and only terms coupling both use the 2-D tensor rule, so the usual GAN losses cost n, not n², evaluations.
    Terms P(z)·sigmoid(c + d·z) go to `SteepSigmoidTerm`; the rest use Gauss–Hermite (exact for polynomials).
    """

    def __init__(self, expr: sp.Expr, n: int = 64):
        groups: dict[frozenset, list] = {}
        self.sigmoid_terms = []
        for term in sp.Add.make_args(sp.expand(almost_everywhere(expr), deep=False)):
            noise = frozenset(term.free_symbols & set(NOISE))
            matched = SteepSigmoidTerm.match(term, next(iter(noise))) if len(noise) == 1 else None
            if matched:
                self.sigmoid_terms.append(SteepSigmoidTerm(*matched, noise))
            else:
                groups.setdefault(noise, []).append(term)
        self.terms = [(noise, lambdify(sp.Add(*terms))) for noise, terms in groups.items()]
        self.n = n

    def __call__(self, th, ps, *params):
        nodes, weights = gauss_hermite(self.n)
        th, ps = np.broadcast_arrays(np.asarray(th, float), np.asarray(ps, float))
        total = np.zeros(th.shape)
        for term in self.sigmoid_terms:
            total = total + term(th, ps, params, nodes, weights)
        for noise, fn in self.terms:
            if not noise:
                total = total + fn(th, ps, 0.0, 0.0, *params)
                continue
            if len(noise) == 1:
                z, w = nodes, weights
                zg, zd = (z, 0.0) if z_g in noise else (0.0, z)
            else:
                zg, zd = (a.ravel() for a in np.meshgrid(nodes, nodes, indexing="ij"))
                w = np.outer(weights, weights).ravel()
            values = fn(th[..., None], ps[..., None], zg, zd, *params)
            total = total + np.broadcast_to(values, (*total.shape, len(w))) @ w
        return total
