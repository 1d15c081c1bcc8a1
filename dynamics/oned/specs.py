"""The spec language that names 1-D densities: "mixture(0.3*normal(-2, 0.5), 0.7*uniform(1, 3))".

Grammar (whitespace is free, numbers are decimal literals such as -1.5 or 2e-3, at most 1e6 in size):

    spec    := dist
    dist    := "normal(" num "," num ")"        mean μ, standard deviation σ > 0
             | "uniform(" num "," num ")"       a < b
             | "laplace(" num "," num ")"       location μ, scale b > 0
             | "mixture(" term ("," term)* ")"  weights ≥ 0, normalised by their positive sum
             | "kde(" num ("," num)* ["," "bw=" num] ")"   Gaussian kernel density estimate
             | "transport(" num "," dist "," dist ")"     law of (1−t)·Q_A(z) + t·Q_B(z), t in [0, 1]
    term    := [num "*"] dist                   a missing weight means 1

The parser is a hand-written recursive descent over a token list; nothing is ever evaluated as Python.
"""

from __future__ import annotations

import math
import re

from dynamics.oned.distributions import (
    KDE,
    Distribution,
    Laplace,
    Mixture,
    Normal,
    SpecError,
    Transport,
    Uniform,
    kde,
    spec_number,
)

MAX_SPEC_LENGTH = 2000
MAX_DEPTH = 4
MAX_COMPONENTS = 64
MAX_ABS = 1e6  # largest |number| in a spec

_TOKEN = re.compile(
    r"\s*(?:(?P<num>[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)|(?P<name>[A-Za-z_]\w*)"
    r"|(?P<sym>[(),*=]))"
)


def _tokenize(text: str) -> list[tuple[str, str, int]]:
    tokens, pos = [], 0
    text = text.replace("\u2212", "-")
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            bad = text[pos:].lstrip()[:1]
            raise SpecError(
                f"unexpected character {bad!r} at position {len(text) - len(text[pos:].lstrip())} in {text!r}"
            )
        kind = m.lastgroup
        tokens.append((kind, m.group(kind), m.start(kind)))
        pos = m.end()
    tokens.append(("end", "", len(text)))
    return tokens


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens = _tokenize(text)
        self.i = 0

    def peek(self):
        return self.tokens[self.i]

    def take(self, kind: str, value: str | None = None):
        tok = self.peek()
        if tok[0] != kind or (value is not None and tok[1] != value):
            want = repr(value) if value else {"num": "a number", "name": "a distribution name"}.get(kind, kind)
            got = "end of text" if tok[0] == "end" else repr(tok[1])
            raise SpecError(f"expected {want} at position {tok[2]}, got {got} in {self.text!r}")
        self.i += 1
        return tok[1]

    def number(self, what: str) -> float:
        text = self.take("num")
        value = float(text)
        if not math.isfinite(value) or abs(value) > MAX_ABS:
            raise SpecError(f"{what} must be a finite number in [-{MAX_ABS:g}, {MAX_ABS:g}], got {text}")
        return value

    def dist(self, depth: int) -> Distribution:
        if depth > MAX_DEPTH:
            raise SpecError(f"spec nested too deep: at most {MAX_DEPTH} levels of mixture(...)/transport(...) allowed")
        name = self.take("name").lower()
        self.take("sym", "(")
        if name in ("normal", "uniform", "laplace"):
            first = self.number(f"{name} first parameter")
            self.take("sym", ",")
            second = self.number(f"{name} second parameter")
            self.take("sym", ")")
            return _simple(name, first, second)
        if name == "mixture":
            return self.mixture(depth)
        if name == "kde":
            return self.kde()
        if name == "transport":
            t = self.number("transport t")
            if not 0 <= t <= 1:
                raise SpecError(f"transport t must be in [0, 1], got {spec_number(t)}")
            self.take("sym", ",")
            start = self.dist(depth + 1)
            self.take("sym", ",")
            end = self.dist(depth + 1)
            self.take("sym", ")")
            return Transport(t, start, end)
        raise SpecError(f"unknown distribution {name!r}; allowed: normal, uniform, laplace, mixture, kde, transport")

    def mixture(self, depth: int) -> Mixture:
        weights, parts = [], []
        while True:
            if self.peek()[0] == "num":
                w = self.number("mixture weight")
                if w < 0:
                    raise SpecError(f"mixture weight must be >= 0, got {spec_number(w)}")
                self.take("sym", "*")
            else:
                w = 1.0
            weights.append(w)
            parts.append(self.dist(depth + 1))
            if len(parts) > MAX_COMPONENTS:
                raise SpecError(f"mixture has more than {MAX_COMPONENTS} components")
            if self.peek()[1] == ")":
                break
            self.take("sym", ",")
        self.take("sym", ")")
        total = sum(weights)
        if not total > 0:
            raise SpecError(f"mixture weights must sum to a positive number, got {spec_number(total)}")
        return Mixture(weights, parts)

    def kde(self) -> KDE:
        points, bandwidth = [], None
        while True:
            if self.peek() == ("name", "bw", self.peek()[2]):
                self.take("name")
                self.take("sym", "=")
                bandwidth = self.number("kde bandwidth")
                if bandwidth <= 0:
                    raise SpecError(f"kde bandwidth must be > 0, got {spec_number(bandwidth)}")
                break
            points.append(self.number("kde sample"))
            if self.peek()[1] == ")":
                break
            self.take("sym", ",")
        self.take("sym", ")")
        return kde(points, bandwidth)


def _simple(name: str, first: float, second: float) -> Distribution:
    if name == "uniform":
        if not first < second:
            raise SpecError(f"uniform(a, b) needs a < b, got a={spec_number(first)}, b={spec_number(second)}")
        return Uniform(first, second)
    label = "sigma" if name == "normal" else "b"
    if not second > 0:
        raise SpecError(f"{name}: {label} must be > 0, got {spec_number(second)}")
    return Normal(first, second) if name == "normal" else Laplace(first, second)


def parse(spec: str) -> Distribution:
    """Parse a spec such as "normal(0, 1)" into a Distribution; raise SpecError with a clear message."""
    if not isinstance(spec, str):
        raise SpecError(f"spec must be text, got {type(spec).__name__}")
    if len(spec) > MAX_SPEC_LENGTH:
        raise SpecError(f"spec too long: {len(spec)} characters, at most {MAX_SPEC_LENGTH} allowed")
    if not spec.strip():
        raise SpecError("spec is empty; try normal(0, 1)")
    parser = _Parser(spec)
    dist = parser.dist(depth=1)
    if parser.peek()[0] != "end":
        tok = parser.peek()
        raise SpecError(f"unexpected {tok[1]!r} at position {tok[2]} after a complete spec in {spec!r}")
    return dist
