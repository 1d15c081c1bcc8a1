"""The sympy symbols and functions the Dirac-GAN objectives are written in, and their numeric evaluation.

Shared by the objectives (dynamics.dirac.objectives) and the instance-noise expectation (dynamics.dirac.noise).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

import numpy as np
import sympy as sp
from scipy.special import expit

from dynamics.dirac.objectives import SYMBOLIC

theta, psi = sp.symbols("theta psi", real=True)
# Instance noise: x_fake = θ + σ·z_g, x_real = σ·z_d with z standard normal.
z_g, z_d = sp.symbols("z_g z_d", real=True)
NOISE = (z_g, z_d)
PARAM_SYMBOLS = {
    name: sp.Symbol(printed, positive=True) for name, printed in zip(SYMBOLIC, ("gamma", "sigma", "g_0"), strict=True)
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


def almost_everywhere(expr: sp.Expr) -> sp.Expr:
    """Drop DiracDelta terms (zero off a null set) so the expression can be evaluated numerically."""
    return expr.replace(sp.DiracDelta, lambda *args: sp.S.Zero)


MODULES = [NUMERIC, "scipy", "numpy"]


def lambdify(expr, extra=(), modules=MODULES) -> Callable:
    """Numeric numpy function of (θ, ψ, z_g, z_d, γ, σ, g₀, *extra) for a sympy expression."""
    args = (theta, psi, *NOISE, *PARAM_SYMBOLS.values(), *extra)
    return sp.lambdify(args, almost_everywhere(sp.sympify(expr)), modules=modules)


def source(expr, modules=MODULES) -> str:
    """The expression as the one line of Python that `lambdify` evaluates (names of `modules` unqualified)."""
    return inspect.getsource(lambdify(expr, modules=modules)).strip().splitlines()[-1].strip().removeprefix("return ")
