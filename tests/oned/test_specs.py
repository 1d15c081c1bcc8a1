"""The spec language: every malformed or out-of-range spec is refused with one line naming the problem."""

import pytest

from dynamics.contracts import InputError
from dynamics.oned.distributions import SpecError
from dynamics.oned.specs import MAX_SPEC_LENGTH, parse


@pytest.mark.parametrize(
    "spec, message",
    [
        ("normal(0, -1)", "sigma must be > 0, got -1"),
        ("normal(0, 0)", "sigma must be > 0, got 0"),
        ("laplace(0, -2)", "b must be > 0, got -2"),
        ("uniform(2, 1)", "a < b, got a=2, b=1"),
        ("uniform(1, 1)", "a < b"),
        ("mixture(-1*normal(0, 1), uniform(0, 1))", "weight must be >= 0, got -1"),
        ("mixture(0*normal(0, 1))", "sum to a positive number"),
        ("normal(0, 1", "expected ')'"),
        ("normal(0 1)", "expected ','"),
        ("gamma(1, 2)", "unknown distribution 'gamma'"),
        ("__import__('os').system('true')", "unexpected character"),
        ("normal(0, 1) + 1", "unexpected character '+'"),
        ("normal(0, 1), normal(1, 1)", "after a complete spec"),
        ("normal(1e999, 1)", "must be a finite number in [-1e+06, 1e+06], got 1e999"),
        ("uniform(-1e308, 1e308)", "got -1e308"),
        ("", "empty"),
        ("x" * (MAX_SPEC_LENGTH + 1), "too long"),
        ("mixture(" * 5 + "normal(0, 1)" + ")" * 5, "nested too deep"),
        ("kde(1, 1, 1)", "bandwidth"),
        ("kde(1, 2, bw=0)", "bandwidth must be > 0"),
    ],
)
def test_rejections(spec, message):
    with pytest.raises(SpecError, match=None) as err:
        parse(spec)
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_spec_error_is_input_error():
    assert issubclass(SpecError, InputError)
