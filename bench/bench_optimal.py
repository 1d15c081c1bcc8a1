"""Cost of one D*/divergence update at the app's resolution, against two baselines in the same run.

    python -m bench.bench_optimal [--grid 2001] [--repeat 7]

fast:   optimal.summary(exact=False): densities and D* on the grid, JS, KL both ways, TV, W1 and C(G) by the
        trapezoid rule on grids of n, n/2 and n/4 points (the coarser two give the stated error).
loop:   the same grid numbers computed point by point in a Python loop (a naive implementation).
quad:   optimal.summary(exact=True): the same curves, numbers by scipy.integrate.quad per divergence.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import statistics
import time
from functools import partial

import numpy as np
import scipy

from dynamics.oned.divergences import make_grid
from dynamics.oned.optimal import summary
from dynamics.oned.specs import parse

CASES = [
    ("normal(0, 1)", "normal(2, 0.5)"),
    ("mixture(0.5*normal(-2, 0.5), 0.5*normal(2, 0.5))", "laplace(0, 1)"),
    ("uniform(0, 1)", "uniform(3, 4)"),
    ("normal(0, 1)", "transport(0.5, normal(3, 0.5), normal(0, 1))"),
    ("normal(0, 1)", "transport(0.5, mixture(uniform(0, 1), uniform(3, 4)), normal(0, 1))"),
    (
        "normal(0, 1)",
        "kde(" + ", ".join(f"{v:.3f}" for v in np.random.default_rng(0).normal(1, 1, 200)) + ")",
    ),
]


def naive_update(data, gen, n):
    """Per-point Python loop over the same grids: D*, JS, both KLs, TV, W1 and C(G)."""
    out = {}
    for m in (n, n // 2, n // 4):
        x = make_grid(data, gen, m)
        vals = {"js": 0.0, "kl_pq": 0.0, "kl_qp": 0.0, "tv": 0.0, "w1": 0.0, "c_g": 0.0}
        prev = None
        for xi in x:
            p, q = float(data.pdf(xi)), float(gen.pdf(xi))
            fp, fq = float(data.cdf(xi)), float(gen.cdf(xi))
            d = p / (p + q) if p + q > 0 else math.nan
            mix = 0.5 * (p + q)
            terms = {
                "js": 0.5 * ((p * math.log(p / mix) if p > 0 else 0.0) + (q * math.log(q / mix) if q > 0 else 0.0)),
                "kl_pq": (p * math.log(p / q) if q > 0 else math.inf) if p > 0 else 0.0,
                "kl_qp": (q * math.log(q / p) if p > 0 else math.inf) if q > 0 else 0.0,
                "tv": 0.5 * abs(p - q),
                "w1": abs(fp - fq),
                "c_g": (p * math.log(d) if p > 0 else 0.0) + (q * math.log(q / (p + q)) if q > 0 else 0.0),
            }
            if prev is not None:
                h = xi - prev[0]
                for k in vals:
                    vals[k] += h * (terms[k] + prev[1][k]) / 2
            prev = (xi, terms)
        out[m] = vals
    return out


def best_ms(fn, repeat):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return 1e3 * statistics.median(times)


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m bench.bench_optimal", description=__doc__.split("\n")[0])
    ap.add_argument("--grid", type=int, default=2001)
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args(argv)
    cpu = next((ln.split(":", 1)[1].strip() for ln in open("/proc/cpuinfo") if ln.startswith("model name")), "?")
    print(
        f"machine: {cpu}, {os.cpu_count()} cores, no GPU used; Python {platform.python_version()}, "
        f"numpy {np.__version__}, scipy {scipy.__version__}; grid n = {args.grid}; median of runs"
    )
    print(f"| {'data':<28} | {'gen':<16} | fast ms | loop ms | loop/fast | quad ms | quad/fast |")
    print(f"|{'-' * 30}|{'-' * 18}|--------:|--------:|----------:|--------:|----------:|")
    for a, b in CASES:
        data, gen = parse(a), parse(b)
        few = max(1, args.repeat // 3)
        fast = best_ms(partial(summary, data, gen, args.grid, exact=False), args.repeat)
        loop = best_ms(partial(naive_update, data, gen, args.grid), few)
        quad = best_ms(partial(summary, data, gen, args.grid, exact=True), few)
        short_b = b if len(b) <= 16 else b[:13] + "..."
        short_b = "kde(200 samples)" if b.startswith("kde(") else short_b
        short_b = "kde(200 samples)" if b.startswith("kde(") else short_b
        print(
            f"| {a[:28]:<28} | {short_b:<16} | {fast:7.2f} | {loop:7.1f} | {loop / fast:8.0f}x | "
            f"{quad:7.1f} | {quad / fast:8.0f}x |"
        )


if __name__ == "__main__":
    main()
