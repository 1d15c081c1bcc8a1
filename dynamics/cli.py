"""Shared command-line plumbing: argument parsing that fails with one clear line (exit 2), and output."""

from __future__ import annotations

import argparse
import json
import math
import os
import sys

from dynamics.contracts import InputError, interval, to_jsonable


class Parser(argparse.ArgumentParser):
    """argparse that reports bad input as one line on stderr with exit status 2, never a traceback."""

    def error(self, message: str):  # noqa: D102 - argparse hook
        self.exit(2, f"{self.prog}: error: {message}\n")


FIGURES = "figures"  # where a CLI writes its figure without --out: relative to the working directory, git-ignored


def tool_parser(prog: str, doc: str, examples: str, figure: str) -> Parser:
    """The parser every figure-writing CLI starts from: its help text, and --out, --json and --no-plot.
    `figure` is the default file name, in the folder FIGURES."""
    ap = Parser(prog=prog, description=doc, epilog=examples, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", help=f"figure file, .png/.svg/.pdf (default {FIGURES}/{figure}, folder created)")
    ap.add_argument("--json", action="store_true", help="print one JSON object with the numbers instead of text")
    ap.add_argument("--no-plot", action="store_true", help="do not write a figure")
    return ap


def add_densities(ap: Parser, data: str, gen: str, gen_help: str = "p_g spec") -> None:
    """--data and --gen: two 1-D densities in the spec language of dynamics.oned.distributions."""
    ap.add_argument("--data", default=data, help=f"p_data spec (default: {data})")
    ap.add_argument("--gen", default=gen, help=f"{gen_help} (default: {gen})")


def run_main(main, argv=None, prog: str = "gdl") -> int:
    """Run `main(argv)`, turning InputError into a one-line message and exit status 2."""
    try:
        return main(argv) or 0
    except InputError as err:
        print(f"{prog}: error: {err}", file=sys.stderr)
        return 2


def finite_float(
    text: str,
    name: str = "value",
    low: float = -math.inf,
    high: float = math.inf,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """Parse a finite float in [low, high] (an end is excluded when low_open or high_open)."""
    try:
        value = float(text)
    except (TypeError, ValueError):
        raise InputError(f"{name} must be a number, got {text!r}") from None
    bad_low = value <= low if low_open else value < low
    bad_high = value >= high if high_open else value > high
    if not math.isfinite(value) or bad_low or bad_high:
        raise InputError(f"{name} must be {interval(low, high, low_open, high_open)}, got {text!r}")
    return value


def integer(text: str, name: str, low: int, high: int) -> int:
    """Parse an integer in [low, high] ('2.0' is 2; '2.5' is an error)."""
    value = finite_float(text, name, low, high)
    if value != int(value):
        raise InputError(f"{name} must be {interval(low, high, integer=True)}, got {text!r}")
    return int(value)


def ranged(text: str, rng, name: str):
    """Parse a value of a parameter range (dynamics.dirac.ranges.Range): an int or a float within its bounds."""
    if rng.integer:
        return integer(text, name, rng.low, rng.high)
    return finite_float(text, name, rng.low, rng.high, rng.low_open, rng.high_open)


def point(text: str, name: str = "point") -> tuple[float, float]:
    """Parse 'a,b' into two finite floats (negative values allowed: use --start=-1,0.7)."""
    parts = str(text).split(",")
    if len(parts) != 2:
        raise InputError(f"{name} must be two numbers 'θ,ψ' such as 1,-0.5, got {text!r}")
    return tuple(finite_float(p.strip(), name) for p in parts)


def print_json(obj) -> None:
    """Print exactly one JSON object on stdout."""
    print(json.dumps(to_jsonable(obj), allow_nan=False))


def figure_path(out: str | None) -> None:
    """Reject a figure name with an unsupported extension before any work is done."""
    if out is not None and out.rsplit(".", 1)[-1].lower() not in ("png", "svg", "pdf"):
        raise InputError(f"--out must end in .png, .svg or .pdf, got {out!r}")


def save_figure(fig, out: str | None, default: str) -> str:
    """Save a matplotlib Figure to png/svg/pdf, chosen by the file name: to `out` (--out) when given, else to
    FIGURES/`default` (the folder is created). Returns the path written."""
    path = out
    if path is None:
        os.makedirs(FIGURES, exist_ok=True)
        path = os.path.join(FIGURES, default)
    figure_path(path)
    fig.savefig(path, dpi=150)
    return path
