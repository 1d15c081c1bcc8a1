"""The generated forms (forms_table.py) are current and equal what sympy derives from the one definition."""

import itertools
import subprocess
import sys

import numpy as np
import pytest
import sympy as sp

import dynamics.dirac.forms as forms
from dynamics.dirac.field import make_objective, numeric_field
from dynamics.dirac.objectives import LOSSES, REGULARIZERS, REGULARIZERS_BY_NAME, symbolic_field, symbolic_jacobian
from dynamics.dirac.stability import closed_form, sides
from dynamics.dirac.symbols import lambdify, source
from tests.dirac.test_phase_cli import ROOT

SMOOTH_REGS = [r for r in REGULARIZERS if not REGULARIZERS_BY_NAME[r].noisy]
OBJECTIVES = list(itertools.product(LOSSES, SMOOTH_REGS))


def random_args(seed: int, n: int = 200) -> tuple:
    """(θ, ψ, z_g, z_d, γ, σ, g₀) at n random points: θ, ψ in [−3, 3], parameters in [0.05, 3]."""
    rng = np.random.default_rng(seed)
    th, ps = rng.uniform(-3, 3, (2, n))
    gamma, sigma, target = rng.uniform(0.05, 3, (3, n))
    return th, ps, 0.0, 0.0, gamma, sigma, target


def close(fast, slow, n: int = 200):
    fast, slow = np.broadcast_to(fast, (n,)), np.broadcast_to(slow, (n,))
    np.testing.assert_allclose(fast, slow, rtol=1e-12, atol=1e-12)


def test_table_is_current():
    assert forms.table() is not None, "dynamics/dirac/forms_table.py is stale: run python -m dynamics.dirac.forms"


@pytest.mark.parametrize(("loss", "reg"), OBJECTIVES)
def test_field_and_jacobian_equal_sympy(loss, reg):
    form = forms.form(loss, reg)
    args = random_args(hash((loss, reg)) % 2**32)
    sympy_side = list(symbolic_field(loss, reg)) + list(symbolic_jacobian(loss, reg))
    for fast, expr in zip(form.field + form.jacobian, sympy_side, strict=True):
        close(fast(*args), lambdify(expr)(*args))


@pytest.mark.parametrize(("loss", "reg"), OBJECTIVES)
def test_sides_kernel_and_latex_equal_sympy(loss, reg):
    form, derived = forms.form(loss, reg), sides(loss, reg)
    assert [condition for condition, _ in form.sides] == [s.condition for s in derived]
    _, _, _, _, *params = random_args(7, 50)
    for (_, fns), side in zip(form.sides, derived, strict=True):
        for fast, slow in zip(fns, side.raw, strict=True):
            close(fast(0.0, 0.0, 0.0, 0.0, *params), lambdify(slow)(0.0, 0.0, 0.0, 0.0, *params), 50)
    assert form.kernel == tuple(source(c, "math") for c in symbolic_field(loss, reg))
    closed = closed_form(loss, reg)
    assert form.field_latex == sp.latex(symbolic_field(loss, reg))
    assert (form.jacobian_latex, form.eigenvalues_latex) == (closed["jacobian_latex"], closed["eigenvalues_latex"])


def test_sigmoids_match_scipy_without_overflow():
    from scipy.special import expit

    t = np.array([-800.0, -40.0, -1.0, 0.0, 1e-3, 2.0, 40.0, 800.0])
    with np.errstate(over="raise", invalid="raise"):
        np.testing.assert_allclose(forms.Sigmoid(t), expit(t), rtol=1e-15, atol=0)
        np.testing.assert_allclose(forms.LogSigmoid(t[1:-1]), np.log(expit(t[1:-1])), rtol=1e-14, atol=1e-15)
        assert forms.LogSigmoid(-800.0) == -800.0


def test_instance_noise_and_a_stale_table_derive_with_sympy(monkeypatch):
    assert forms.form("gan", "instance-noise") is None
    monkeypatch.setattr(forms, "source_hash", lambda: "edited")
    forms.table.cache_clear()
    try:
        assert forms.form("gan", "r1") is None
        v_th, v_ps = numeric_field.__wrapped__("gan", "r1")  # the sympy path, uncached
        obj = make_objective("gan", "r1", gamma=0.3)
        np.testing.assert_allclose(v_ps(0.5, -1.0, *obj.symbol_values), obj.field(0.5, -1.0)[1], rtol=1e-14)
    finally:
        monkeypatch.undo()
        forms.table.cache_clear()
    assert forms.form("gan", "r1") is not None


def test_cli_run_imports_neither_sympy_nor_scipy(tmp_path):
    code = (
        "import sys; from dynamics.phase import main; "
        f"main(['--loss', 'wgan-gp', '--reg', 'r1', '--out', {str(tmp_path / 'p.png')!r}]); "
        "print(sorted(m for m in ('sympy', 'scipy', 'numba', 'streamlit', 'matplotlib.pyplot') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"
    assert (tmp_path / "p.png").stat().st_size > 10_000
