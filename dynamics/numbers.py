"""Numbers as a person reads them, the same on every page and in every CLI: a value within the computation's
tolerance of 0 prints as 0, an eigenvalue whose imaginary part is within tolerance prints as real, and a value
that does not exist prints as a word instead of None or nan.

Tolerances (absolute, for values of order 1):
    ZERO  = 1e-12  the 1-D integrals (dynamics/oned/divergences.py asks quad for epsabs 1e-13, epsrel 1e-12), so
                   C(G) = −4.03e−22 for disjoint laws prints 0;
    EIGEN = 1e-7   numpy's eigenvalues: at a double (defective) eigenvalue, such as the update operator's at γ = 1,
                   a rounding error ε of the matrix moves them by √ε ≈ 1.5e−8, so 0.95 + 2.4e−09i prints 0.95.
"""

from __future__ import annotations

import math

ZERO = 1e-12
EIGEN = 1e-7
UNDEFINED = "undefined"


def num(x, digits: int = 4, tol: float = ZERO, missing: str = UNDEFINED) -> str:
    """`x` to `digits` significant digits; '0' when |x| ≤ tol, '+∞'/'−∞' for infinities, `missing` for None or
    nan (a value the computation does not define)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return missing
    x = float(x)
    if math.isinf(x):
        return "+∞" if x > 0 else "−∞"
    if abs(x) <= tol:
        return "0"
    return f"{x:.{digits}g}"


def signed(x, digits: int = 4, tol: float = ZERO) -> str:
    """`num` with its sign always written: '+0.95', '-0.15', '+0'."""
    text = num(x, digits, tol)
    return text if text.startswith(("-", "+", "−")) else "+" + text


def cnum(z, digits: int = 4, tol: float = EIGEN) -> str:
    """A complex number as '+0.95', '-0.15+0.477i' or '+0.5i': a part within tol·max(1, |z|) of 0 is left out
    (both within: '+0')."""
    z = complex(z)
    scale = tol * max(1.0, abs(z))
    re, im = abs(z.real) > scale, abs(z.imag) > scale
    if not im:
        return signed(z.real if re else 0.0, digits, 0.0)
    return (signed(z.real, digits, 0.0) if re else "") + signed(z.imag, digits, 0.0) + "i"


def cnums(zs, digits: int = 4, tol: float = EIGEN) -> str:
    """Complex numbers joined by ', ' ('undefined' for None or none at all)."""
    if zs is None or len(zs) == 0:
        return UNDEFINED
    return ", ".join(cnum(z, digits, tol) for z in zs)
