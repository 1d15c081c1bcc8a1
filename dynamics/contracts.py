"""What library code, CLIs and pages share at their boundaries: the error for bad input, and JSON-safe values."""

from __future__ import annotations

import math


class InputError(ValueError):
    """Bad user input; the message names the value and what is allowed (a CLI prints it as one line, exit 2)."""


def bounds(low: float, high: float, low_open: bool = False, high_open: bool = False, integer: bool = False) -> str:
    """An interval as messages and help texts write it: '(0, 100]', '[0, 1e+06]', '[1, 100000]' for integers."""
    if integer:
        return f"[{low}, {high}]"
    return f"{'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"


def interval(low: float, high: float, low_open: bool = False, high_open: bool = False, integer: bool = False) -> str:
    """What a range allows, as error messages write it: 'a finite number in (0, 100]', 'an integer in [1, 10]'."""
    kind = "an integer" if integer else "a finite number"
    return f"{kind} in {bounds(low, high, low_open, high_open, integer)}"


def to_jsonable(obj):
    """Replace non-finite floats by None and numpy scalars/arrays by Python values, recursively."""
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    if hasattr(obj, "tolist"):
        return to_jsonable(obj.tolist())
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj
