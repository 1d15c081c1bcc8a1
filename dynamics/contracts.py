"""What library code, CLIs and pages share at their boundaries: the error for bad input, and JSON-safe values."""

from __future__ import annotations

import math


class InputError(ValueError):
    """Bad user input; the message names the value and what is allowed (a CLI prints it as one line, exit 2)."""


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
