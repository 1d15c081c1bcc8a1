"""dynamics.numbers: zero within tolerance, real eigenvalues, words for what is undefined."""

import numpy as np

from dynamics.dirac.field import make_objective
from dynamics.dirac.optimizers import Optimizer
from dynamics.dirac.report import complex_list
from dynamics.dirac.stability import equilibrium, update_matrix
from dynamics.numbers import EIGEN, ZERO, cnum, cnums, num
from dynamics.oned.optimal import summary
from dynamics.oned.specs import parse


def test_values_within_tolerance_print_zero():
    assert num(-4.0314977175011794e-22) == "0"
    assert num(ZERO) == "0"
    assert num(-3 * ZERO) == "-3e-12"
    assert num(-0.4376795386628332) == "-0.4377"
    assert num(0.4376795386628332, 6) == "0.43768"


def test_missing_and_infinite_values_are_words():
    assert num(None) == "undefined"
    assert num(float("nan"), missing="—") == "—"
    assert num(float("inf")) == "+∞"
    assert num(-float("inf")) == "−∞"


def test_c_of_g_for_disjoint_laws_prints_zero():
    """normal(0, 1) against uniform(10, 11): quadrature gives C(G) ≈ −4e−22 where the exact value is
    −log 4 + 2·log 2 = 0."""
    c_g = summary(parse("normal(0, 1)"), parse("uniform(10, 11)"))["c_g"]
    assert c_g != 0.0 and abs(c_g) < 1e-20
    assert num(c_g) == "0"


def test_eigenvalue_with_rounding_error_in_its_imaginary_part_prints_real():
    """GAN + R1 at γ = 1 has the double eigenvalue −½ (J = [[0, −½], [½, −1]]), so simultaneous GD at h = 0.1
    has the double eigenvalue 0.95; numpy's eigenvalues carry an imaginary part of about √ε."""
    M = update_matrix(equilibrium(make_objective("gan", "r1", gamma=1.0)).jacobian, Optimizer(), (0.1, 0.1))
    eig = np.linalg.eigvals(M)
    assert np.allclose(eig, 0.95, atol=1e-7)
    assert cnums(eig) == "+0.95, +0.95"
    assert complex_list(eig, 4) == "+0.95, +0.95"


def test_complex_numbers_keep_parts_beyond_tolerance():
    assert cnum(complex(-0.15, 0.47697)) == "-0.15+0.477i"
    assert cnum(complex(0.0, -0.5)) == "-0.5i"
    assert cnum(complex(1e-9, 1e-9)) == "+0"
    assert cnum(complex(1.0, 10 * EIGEN)) == "+1+1e-06i"
    assert cnums(None) == "undefined" and cnums([]) == "undefined"
