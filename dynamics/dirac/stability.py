"""Local stability at the equilibrium (0, 0): the Jacobian and its eigenvalues in closed form and numerically,
the discrete update operators of every optimizer, and sweeps over learning rate and regularizer weight.

Non-smooth objectives are analysed side by side: every kink (|·|, max) of the objective that passes through
the equilibrium splits its neighbourhood into sides; on each side the objective is smooth and gets its own
field and Jacobian. The Jacobian is reported only where all sides agree and the field vanishes at (0, 0);
otherwise the sides are reported and the verdict is "undefined (non-smooth)" — never a number that
sympy's convention Heaviside(0) = 1/2 would invent.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np

from dynamics.dirac.field import Objective, make_objective
from dynamics.dirac.forms import form
from dynamics.dirac.objectives import REGULARIZERS_BY_NAME, SYMBOLIC, field_from_objective, objective_exprs
from dynamics.dirac.optimizers import BUFFERS, Optimizer, play_round
from dynamics.lazy import Lazy

sp = Lazy("sympy")  # only the symbolic analysis needs it; `equilibrium` takes the generated forms when current
sym = Lazy("dynamics.dirac.symbols")
REPRESENTATIVE = dict(zip(SYMBOLIC, (0.7, 0.9, 0.8), strict=True))  # generic values of (γ, σ, g₀)
DIRECTIONS = [(math.cos((2 * k + 1) * math.pi / 8), math.sin((2 * k + 1) * math.pi / 8)) for k in range(8)]
TOL = 1e-9


def _branch(atom, point) -> tuple[sp.Expr, str]:
    """The smooth expression `atom` equals near `point`, and the condition that selects it."""
    values = [float(a.subs(point)) for a in atom.args]
    if isinstance(atom, (sp.Max, sp.Min)):
        pick = int(np.argmax(values) if isinstance(atom, sp.Max) else np.argmin(values))
        others = [a for i, a in enumerate(atom.args) if i != pick]
        cmp = ">" if isinstance(atom, sp.Max) else "<"
        return atom.args[pick], " and ".join(f"{sp.sstr(atom.args[pick])} {cmp} {sp.sstr(o)}" for o in others)
    (u,) = atom.args
    sign = 1 if values[0] > 0 else -1
    return sign * u, f"{sp.sstr(u)} {'>' if sign > 0 else '<'} 0"


def resolve_kinks(exprs, point) -> tuple[list, frozenset]:
    """Replace every non-smooth atom (innermost first) by its branch at `point`; return the conditions."""
    exprs, conditions = list(exprs), set()
    nonsmooth = (sp.Abs, sp.Max, sp.Min)  # the kinks objectives are written with (their derivatives come later)
    while True:
        atoms = set().union(*(e.atoms(*nonsmooth) for e in exprs))
        atoms = [a for a in atoms if not any(b.atoms(*nonsmooth) for b in a.args)]
        if not atoms:
            return exprs, frozenset(conditions)
        atom = atoms[0]
        branch, condition = _branch(atom, point)
        conditions.add(condition)
        exprs = [e.xreplace({atom: branch}) for e in exprs]


def gaussian_mean(expr: sp.Expr) -> sp.Expr | None:
    """E[expr] over z_g, z_d iid N(0, 1) when expr is a polynomial in them (E[z^k] = (k−1)!! for even k)."""
    try:
        poly = sp.Poly(sp.expand(expr), *sym.NOISE)
    except sp.PolynomialError:
        return None
    if any(c.free_symbols & set(sym.NOISE) for c in poly.coeffs()):
        return None
    moment = lambda k: 0 if k % 2 else sp.factorial2(k - 1)  # noqa: E731
    return sp.simplify(sum(c * moment(i) * moment(j) for (i, j), c in poly.terms()))


def _tidy(e: sp.Expr) -> sp.Expr:
    """Simplify; a parameter-free entry (e.g. erf(10¹²) from the noise floor) becomes a clean rational."""
    if not e.free_symbols:
        return sp.nsimplify(float(e), tolerance=1e-12, rational=True)
    return sp.simplify(e)


@dataclass(frozen=True)
class Side:
    """The smooth piece of the objective on one side of the kinks through the equilibrium."""

    condition: str
    value: sp.Matrix  # the field at (0, 0); None entries when only numeric
    jacobian: sp.Matrix | None  # closed form at (0, 0), or None when only numeric
    numeric: tuple  # numpy functions (value_θ, value_ψ, J00, J01, J10, J11) of (γ, σ, g₀)
    raw: tuple  # those six as sympy expressions (in the noise too, under instance noise)


class _NumericAtEquilibrium:
    """A field or Jacobian entry at (θ, ψ) = (0, 0), averaged over the noise by quadrature when needed."""

    def __init__(self, expr, noisy):
        self.fn = Lazy("dynamics.dirac.noise").GaussianExpectation(expr) if noisy else sym.lambdify(expr)
        self.noisy = noisy

    def __call__(self, *params):
        if self.noisy:
            return float(self.fn(0.0, 0.0, *params))
        return float(self.fn(0.0, 0.0, 0.0, 0.0, *params))


@functools.cache
def sides(loss: str, reg: str = "none") -> tuple[Side, ...]:
    """The distinct smooth sides of the objective around (0, 0) (one side when it is smooth there)."""
    L_G, L_D = objective_exprs(loss, reg)
    branches = {}
    generic = {sym.PARAM_SYMBOLS[name]: value for name, value in REPRESENTATIVE.items()}
    for c, s in DIRECTIONS:
        point = {sym.theta: 1e-4 * c, sym.psi: 1e-4 * s, **generic, **dict.fromkeys(sym.NOISE, 0.0)}
        resolved, condition = resolve_kinks([L_G, L_D], point)
        branches.setdefault(condition, resolved)
    found: list[Side] = []
    for condition, (l_g, l_d) in branches.items():
        side = _side(" and ".join(sorted(condition)), l_g, l_d, reg)
        if not any(_same_side(other, side) for other in found):
            found.append(side)
    return tuple(found)


def _side(condition: str, l_g: sp.Expr, l_d: sp.Expr, reg: str) -> Side:
    """Field value and Jacobian at (0, 0) of one smooth piece, in closed form where possible."""
    noisy = REGULARIZERS_BY_NAME[reg].noisy
    v = field_from_objective(l_g, l_d, reg)
    J = v.jacobian([sym.theta, sym.psi])
    at_eq = {sym.theta: 0, sym.psi: 0}
    v0, J0 = v.subs(at_eq), J.subs(at_eq)
    raw = [*v0, *J0]
    if noisy:
        v0, J0 = v0.applyfunc(gaussian_mean), J0.applyfunc(gaussian_mean)
        v0 = v0 if all(e is not None for e in v0) else None
        J0 = J0 if all(e is not None for e in J0) else None
    if J0 is not None:
        J0 = J0.applyfunc(_tidy)
    return Side(condition, v0, J0, tuple(_NumericAtEquilibrium(e, noisy) for e in raw), tuple(raw))


def _same_side(a: Side, b: Side) -> bool:
    params = list(REPRESENTATIVE.values())
    va = np.array([fn(*params) for fn in a.numeric])
    vb = np.array([fn(*params) for fn in b.numeric])
    return bool(np.allclose(va, vb, rtol=1e-10, atol=1e-12))


def closed_form(loss: str, reg: str = "none") -> dict:
    """Closed-form Jacobian at (0, 0) and its eigenvalues (sympy, in γ, σ, g₀) with LaTeX strings.

    For generic parameter values; `jacobian` is None where the objective is non-smooth at (0, 0) or the
    noise average has no closed form (then `sides` lists the one-sided Jacobians where known). Derived once per
    (loss, reg) in a process (sympy's simplify costs milliseconds per call); each call gets its own dict.
    """
    return dict(_closed_form(loss, reg))


@functools.cache
def _closed_form(loss: str, reg: str) -> dict:
    found = sides(loss, reg)
    smooth = len(found) == 1 and found[0].value is not None and all(sp.simplify(e) == 0 for e in found[0].value)
    J = found[0].jacobian if smooth else None
    eig = None
    if J is not None:
        eig = [sp.simplify(e) for e, mult in J.eigenvals().items() for _ in range(mult)]
    return {
        "jacobian": J,
        "eigenvalues": eig,
        "jacobian_latex": sp.latex(J) if J is not None else None,
        "eigenvalues_latex": ", ".join(sp.latex(e) for e in eig) if eig else None,
        "sides": [(s.condition, s.jacobian) for s in found] if not smooth else [],
    }


def side_functions(loss: str, reg: str = "none") -> tuple[tuple[str, tuple], ...]:
    """(condition, numeric (v_θ, v_ψ, J₀₀, J₀₁, J₁₀, J₁₁) at (0, 0) as functions of (γ, σ, g₀)) for each side:
    from the generated forms (dynamics.dirac.forms) when current, else `sides`."""
    generated = form(loss, reg)
    if generated is None:
        return tuple((s.condition, s.numeric) for s in sides(loss, reg))
    return tuple((condition, tuple(_at_equilibrium(fn) for fn in fns)) for condition, fns in generated.sides)


def _at_equilibrium(fn):
    return lambda *params: float(fn(0.0, 0.0, 0.0, 0.0, *params))


@dataclass(frozen=True)
class Equilibrium:
    """Numeric local analysis at (0, 0) for given parameters."""

    jacobian: np.ndarray | None
    eigenvalues: np.ndarray | None
    sides: list  # [(condition, field value at (0,0), one-sided Jacobian)] when non-smooth
    clip_note: str | None = None

    @property
    def verdict(self) -> str:
        if self.jacobian is None:
            return "undefined (non-smooth)"
        return "locally convergent" if np.max(self.eigenvalues.real) < -TOL else "not locally convergent"


def equilibrium(obj: Objective) -> Equilibrium:
    """Jacobian and eigenvalues at (0, 0), or the one-sided pieces where the field is not smooth there."""
    params = obj.symbol_values
    evaluated = []
    for condition, numeric in side_functions(obj.loss, obj.reg):
        numbers = np.array([fn(*params) for fn in numeric])
        evaluated.append((condition, numbers[:2], numbers[2:].reshape(2, 2)))
    values = np.array([v for _, v, _ in evaluated])
    jacs = np.array([J for _, _, J in evaluated])
    note = None
    if obj.params.get("clip") is not None:
        note = f"clipping |ψ| ≤ {obj.params['clip']:g} is inactive at (0, 0): the local analysis is unchanged"
    smooth = np.all(np.abs(values) < 1e-12) and np.allclose(jacs, jacs[0], rtol=1e-10, atol=1e-12)
    if not smooth:
        return Equilibrium(None, None, evaluated, note)
    J = jacs[0]
    return Equilibrium(J, np.linalg.eigvals(J), [], note)


# ---------- discrete update operators ----------


def update_matrix(
    J: np.ndarray,
    opt: Optimizer,
    lr: tuple[float, float],
    scheme: str = "sim",
    g_steps: int = 1,
    d_steps: int = 1,
) -> np.ndarray | None:
    """The Jacobian of one round of updates at the equilibrium, on the state augmented with the buffers.

    Built by playing one round of the optimizer on the linearized field v(x) = J·x from each basis state,
    so it is exactly the map the simulation applies. None for Adam (not differentiable at v = 0).
    """
    if not opt.linear:
        return None
    n = 2 * (1 + BUFFERS[opt.name])
    basis = np.eye(n)
    state = tuple(basis[:, 2 * k : 2 * k + 2] for k in range(n // 2))
    out = play_round(opt, state, lambda x: x @ J.T, lr, scheme, g_steps, d_steps)
    return np.concatenate(out, axis=1).T


def discrete_verdict(M: np.ndarray | None) -> str:
    """converges (ρ < 1), diverges (ρ > 1) or cycles, for the update operator M.

    Within 10⁻⁶ of ρ = 1 the eigenvalues of a defective M (a Jordan block on the unit circle) are only
    known to ~10⁻⁸, so there the growth of ‖M^k‖ decides: linear growth diverges, bounded powers cycle."""
    radius = spectral_radius(M)
    if radius is None or not np.isfinite(radius):
        return "undefined"
    if abs(radius - 1) > 1e-6:
        return "converges" if radius < 1 else "diverges"
    return "diverges" if np.linalg.norm(np.linalg.matrix_power(M, 1 << 14), 2) > 1e3 else "cycles"


def spectral_radius(M: np.ndarray | None) -> float | None:
    return None if M is None else float(np.max(np.abs(np.linalg.eigvals(M))))


def radius_vs_lr(
    obj: Objective, lrs, opt: Optimizer, scheme: str = "sim", g_steps: int = 1, d_steps: int = 1, ratio=1.0
) -> np.ndarray:
    """Spectral radius of the update operator for each learning rate (lr_d = ratio·lr_g); NaN if undefined."""
    J = equilibrium(obj).jacobian
    if J is None or not opt.linear:
        return np.full(len(lrs), np.nan)
    return np.array([_radius(J, opt, lr, scheme, g_steps, d_steps, ratio) for lr in lrs])


def _radius(J, opt, lr, scheme, g_steps, d_steps, ratio) -> float:
    return spectral_radius(update_matrix(J, opt, (lr, ratio * lr), scheme, g_steps, d_steps))


def eigenvalue_paths(loss: str, reg: str, param: str, values, **params) -> np.ndarray:
    """Continuous-time eigenvalues (n, 2) complex as `param` runs over `values`; NaN where undefined."""
    out = np.full((len(values), 2), complex(np.nan, np.nan))
    for i, value in enumerate(values):
        eq = equilibrium(make_objective(loss, reg, **{**params, param: float(value)}))
        if eq.eigenvalues is not None:
            out[i] = np.sort_complex(eq.eigenvalues)
    return out


def critical_values(loss: str, reg: str, param: str) -> dict:
    """Closed-form threshold in `param` where the eigenvalues turn real: the discriminant (tr J)² − 4 det J
    and its roots, the other parameters kept symbolic."""
    J, symbol = closed_form(loss, reg)["jacobian"], sym.PARAM_SYMBOLS.get(param)
    if J is None or symbol is None:
        return {}
    disc = sp.simplify(J.trace() ** 2 - 4 * J.det())
    return {
        "discriminant": disc,
        "real_from": [s for s in sp.solve(sp.Eq(disc, 0), symbol) if s.is_real is not False],
    }


def real_from(loss: str, reg: str, param: str, **params) -> float | None:
    """Smallest value of `param` ≥ 0 at which both Jacobian eigenvalues are real, from the closed-form roots
    of `critical_values` with the other parameters substituted; None if there is none."""
    subs = {sym.PARAM_SYMBOLS[k]: v for k, v in params.items() if k in SYMBOLIC and k != param}
    roots = [complex(sp.N(r.subs(subs))) for r in critical_values(loss, reg, param).get("real_from", [])]
    roots = [r.real for r in roots if abs(r.imag) < 1e-12 and r.real >= 0]
    return min(roots) if roots else None


def converges_from(loss: str, reg: str, param: str, high: float = 10.0, **params) -> float | None:
    """Where continuous-time convergence (every Re λ < 0) starts as `param` runs over (0, high]: the infimum of
    the converging values, from a grid of 2000 values refined by bisection. 0.0 when every value on the grid
    converges; None when none does."""

    def stable(value):
        eq = equilibrium(make_objective(loss, reg, **{**params, param: float(value)}))
        return eq.eigenvalues is not None and np.max(eq.eigenvalues.real) < -TOL

    grid = np.linspace(0, high, 2001)[1:]
    ok = [stable(v) for v in grid]
    if not any(ok):
        return None
    i = ok.index(True)
    if i == 0:
        return 0.0
    lo, hi = grid[i - 1], grid[i]
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (lo, mid) if stable(mid) else (mid, hi)
    return float(hi)


def max_stable_lr(
    obj: Objective, opt: Optimizer, scheme: str = "sim", g_steps: int = 1, d_steps: int = 1, ratio=1.0, high=100.0
) -> float | None:
    """The learning rate h* at which a method that converges for small h stops converging: the first h with
    spectral radius ρ ≥ 1, found on a log grid from 10⁻⁴ to `high` and refined by bisection. None if it does
    not converge for small h (or has no update operator), or still converges at `high`."""
    J = equilibrium(obj).jacobian
    if J is None or not opt.linear:
        return None
    rho = lambda h: _radius(J, opt, h, scheme, g_steps, d_steps, ratio)  # noqa: E731
    grid = np.geomspace(1e-4, high, 400)
    bad = np.flatnonzero([rho(h) >= 1 - TOL for h in grid])
    if not bad.size or bad[0] == 0:
        return None
    lo, hi = grid[bad[0] - 1], grid[bad[0]]
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (lo, mid) if rho(mid) >= 1 else (mid, hi)
    return float(hi)
