"""The Dirac-GAN objectives, each defined once with sympy; field and Jacobian are derived from that definition.

Setting (Mescheder, Geiger, Nowozin 2018): data δ₀, generator G = θ, discriminator D(x) = ψ·x. The
discriminator maximizes L_D(θ, ψ), the generator minimizes L_G(θ, ψ), and the gradient vector field is
    v(θ, ψ) = (−∂L_G/∂θ, +∂L_D/∂ψ).
Sign convention (../shared/conventions.md): D scores *generated* points high, L = f(D(G)) + f(−D(x_data)).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import sympy as sp
from scipy.special import expit, ndtr

from dynamics.dirac.ranges import OBJECTIVE as RANGES

theta, psi = sp.symbols("theta psi", real=True)
# Instance noise: x_fake = θ + σ·z_g, x_real = σ·z_d with z standard normal.
z_g, z_d = sp.symbols("z_g z_d", real=True)
NOISE = (z_g, z_d)
PARAM_SYMBOLS = {
    "gamma": sp.Symbol("gamma", positive=True),
    "sigma": sp.Symbol("sigma", positive=True),
    "target": sp.Symbol("g_0", positive=True),
}
GAMMA, SIGMA, TARGET = PARAM_SYMBOLS.values()


class Sigmoid(sp.Function):
    """σ(t) = 1/(1 + e^(−t)), kept as one symbol so that the numeric code is overflow-free."""

    def fdiff(self, argindex=1):
        return Sigmoid(self.args[0]) * (1 - Sigmoid(self.args[0]))

    @classmethod
    def eval(cls, t):
        if t.is_zero:
            return sp.S.Half

    def _latex(self, printer, exp=None):
        tex = rf"\operatorname{{sigmoid}}\left({printer._print(self.args[0])}\right)"
        return tex if exp is None else rf"{tex}^{{{exp}}}"


class LogSigmoid(sp.Function):
    """f(t) = log σ(t) = −log(1 + e^(−t)), the f of the standard GAN; f'(t) = σ(−t)."""

    def fdiff(self, argindex=1):
        return Sigmoid(-self.args[0])

    @classmethod
    def eval(cls, t):
        if t.is_zero:
            return -sp.log(2)

    def _latex(self, printer, exp=None):
        tex = rf"\log\operatorname{{sigmoid}}\left({printer._print(self.args[0])}\right)"
        return tex if exp is None else rf"\left({tex}\right)^{{{exp}}}"


def _log_sigmoid(t):
    return -np.logaddexp(0.0, -t)


NUMERIC = {"Sigmoid": expit, "LogSigmoid": _log_sigmoid}


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

REGULARIZER_TITLES = {
    "none": ("no regularizer", ""),
    "r1": ("R1 penalty", "Mescheder et al. 2018"),
    "r2": ("R2 penalty", "Mescheder et al. 2018"),
    "consensus": ("consensus optimization", "Mescheder et al. 2017"),
    "instance-noise": ("instance noise", "Sønderby et al. 2017; Arjovsky & Bottou 2017"),
}
REGULARIZER_PARAMS = {
    "r1": ("gamma",),
    "r2": ("gamma",),
    "consensus": ("gamma",),
    "instance-noise": ("sigma",),
}

LOSSES = tuple(LOSSES_BY_NAME)
REGULARIZERS = tuple(REGULARIZER_TITLES)
DEFAULTS = {"gamma": 1.0, "sigma": 1.0, "target": 1.0, "clip": None}
PARAMS = ("gamma", "sigma", "target", "clip")


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


def objective_exprs(loss: str, reg: str = "none") -> tuple[sp.Expr, sp.Expr]:
    """(L_G, L_D) of the Dirac-GAN as sympy expressions; with instance noise they depend on z_g, z_d.

    R1 = γ/2·E_data‖∇ₓD‖² and R2 = γ/2·E_gen‖∇ₓD‖² are both γ/2·ψ² here since ∇ₓD = ψ everywhere.
    Under instance noise the kinks max(0, ·) of hinge and loss-sensitive are averaged in closed form
    (see `expected_max`); the smooth rest is averaged numerically by Gauss–Hermite quadrature.
    """
    spec = LOSSES_BY_NAME[loss]
    x_fake, x_real = (theta + SIGMA * z_g, SIGMA * z_d) if reg == "instance-noise" else (theta, sp.S.Zero)
    d_fake, d_real = psi * x_fake, psi * x_real
    L_D = spec.disc(d_real, d_fake, sp.Abs(x_fake - x_real))
    if spec.penalty:
        L_D -= spec.penalty(sp.Abs(psi))
    if reg in ("r1", "r2"):
        L_D -= GAMMA / 2 * psi**2
    L_G = spec.gen(d_fake)
    if reg == "instance-noise":
        L_G, L_D = smooth_noise_kinks(L_G), smooth_noise_kinks(L_D)
    return L_G, L_D


def field_from_objective(L_G: sp.Expr, L_D: sp.Expr, reg: str) -> sp.Matrix:
    """v = (−∂L_G/∂θ, ∂L_D/∂ψ); consensus optimization follows v − γ·∇(½‖v‖²) = v − γ·Jᵀv instead."""
    v = sp.Matrix([-sp.diff(L_G, theta), sp.diff(L_D, psi)])
    if reg == "consensus":
        v = v - GAMMA * v.jacobian([theta, psi]).T * v
    return v


@functools.cache
def symbolic_field(loss: str, reg: str = "none") -> sp.Matrix:
    """The vector field as a 2×1 sympy Matrix in θ, ψ (and z_g, z_d under instance noise)."""
    return field_from_objective(*objective_exprs(loss, reg), reg)


@functools.cache
def symbolic_jacobian(loss: str, reg: str = "none") -> sp.Matrix:
    """∂v/∂(θ, ψ) as a 2×2 sympy Matrix (Heaviside/sign at kinks; DiracDelta terms live on null sets)."""
    return symbolic_field(loss, reg).jacobian([theta, psi])


def almost_everywhere(expr: sp.Expr) -> sp.Expr:
    """Drop DiracDelta terms (zero off a null set) so the expression can be evaluated numerically."""
    return expr.replace(sp.DiracDelta, lambda *args: sp.S.Zero)


def lambdify(expr, extra=()) -> Callable:
    """Numeric numpy function of (θ, ψ, z_g, z_d, γ, σ, g₀, *extra) for a sympy expression."""
    args = (theta, psi, *NOISE, *PARAM_SYMBOLS.values(), *extra)
    return sp.lambdify(args, almost_everywhere(sp.sympify(expr)), modules=[NUMERIC, "scipy", "numpy"])


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


def _numeric(expr: sp.Expr, noisy: bool) -> Callable:
    if noisy:
        return GaussianExpectation(expr)
    fn = lambdify(expr)
    return lambda th, ps, *params: fn(th, ps, 0.0, 0.0, *params)


@functools.cache
def numeric_field(loss: str, reg: str = "none") -> tuple[Callable, Callable]:
    """(v_θ, v_ψ) as numpy functions of (θ, ψ, γ, σ, g₀); instance noise as an exact expectation."""
    v = symbolic_field(loss, reg)
    return tuple(_numeric(component, reg == "instance-noise") for component in v)


@functools.cache
def numeric_jacobian(loss: str, reg: str = "none") -> tuple[Callable, ...]:
    """The four Jacobian entries (row-major) as numpy functions of (θ, ψ, γ, σ, g₀)."""
    J = symbolic_jacobian(loss, reg)
    return tuple(_numeric(entry, reg == "instance-noise") for entry in J)


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
    def title(self) -> str:
        title = LOSSES_BY_NAME[self.loss].title
        if self.reg != "none":
            title += " + " + REGULARIZER_TITLES[self.reg][0]
        if self.params.get("clip") is not None:
            title += f", clip {self.params['clip']:g}"
        return title

    @property
    def used_params(self) -> dict:
        """The parameters this objective actually depends on (plus clip when set)."""
        names = LOSSES_BY_NAME[self.loss].params + REGULARIZER_PARAMS.get(self.reg, ())
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
    if reg not in REGULARIZER_TITLES:
        raise ValueError(f"unknown regularizer {reg!r}; allowed: {', '.join(REGULARIZERS)}")
    unknown = set(params) - set(PARAMS)
    if unknown:
        raise ValueError(f"unknown parameter {sorted(unknown)[0]!r}; allowed: {', '.join(PARAMS)}")
    values = {**DEFAULTS, **{k: v for k, v in params.items() if v is not None}}
    for name, rng in RANGES.items():  # dynamics.dirac.ranges: InputError (a ValueError) naming the value
        if values[name] is not None:
            values[name] = float(rng.check(values[name]))
    return Objective(loss, reg, values)
