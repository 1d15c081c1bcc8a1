"""`python -m models.convergence`: a grid of GANs over learning rate × γ (σ), trained at once, beside the
Dirac-GAN's prediction."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from dynamics.cli import Parser, figure_path, finite_float, integer, print_json, run_main
from dynamics.contracts import InputError, to_jsonable
from dynamics.dirac.objectives import LOSSES, REGULARIZERS
from dynamics.dirac.optimizers import SCHEMES
from dynamics.dirac.ranges import LR
from dynamics.dirac.status import STATUS_BY_NAME
from models.convergence.engine import FAMILIES, OPTIMIZERS, Setup
from models.convergence.maps import ConvergenceMap, compute

PROG = "python -m models.convergence"
EXAMPLES = """examples:
  python -m models.convergence --family dirac --loss gan --reg r1 --grid 16
  python -m models.convergence --family mlp --loss gan --reg r1 --grid 16 --json
  python -m models.convergence --family mlp --data-std 1 --reg instance-noise --grid 8 --steps 1000
  python -m models.convergence --family dirac --grid 32 --ray local --chunks 4
  python -m models.convergence --family dirac --grid 16 --out models/convergence/saved/dirac-gan-r1.json
"""


def build_parser() -> Parser:
    p = Parser(
        prog=PROG,
        description="Train an N × N grid of GANs (learning rate h × regularizer weight γ, or σ for instance noise) "
        "in one vectorized computation, classify each as converged / cycling / diverged, and compare the map "
        "with the Dirac-GAN's prediction (spectral radius of the update operator < 1).",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--family", default="dirac", help=f"{' | '.join(FAMILIES)} (default dirac)")
    p.add_argument("--loss", default="gan", help=f"{', '.join(LOSSES)} (default gan)")
    p.add_argument("--reg", default="r1", help=f"{', '.join(REGULARIZERS)} (default r1)")
    p.add_argument("--optimizer", default="sgd", help=f"{', '.join(OPTIMIZERS)} (default sgd)")
    p.add_argument("--scheme", default="sim", help=f"{' | '.join(SCHEMES)} (default sim)")
    p.add_argument("--grid", default="16", help="N: the grid is N × N GANs, N in [2, 256] (default 16)")
    p.add_argument("--steps", default="2000", help="rounds per GAN, in [8, 100000] (default 2000)")
    p.add_argument("--seed", default="0", help="seed of every cell's random stream (default 0)")
    p.add_argument("--data-std", default="0.01", help="mlp: the data are N(0, s²), s in (0, 100] (default 0.01)")
    p.add_argument("--width", default="16", help="mlp: hidden units per layer, in [1, 512] (default 16)")
    p.add_argument("--batch", default="64", help="mlp: samples per round, in [1, 4096] (default 64)")
    p.add_argument("--lr-range", help="LO,HI: the h axis instead of the one around the core's boundary")
    p.add_argument("--param-range", help="LO,HI: the γ (σ) axis instead of the one around the core's boundary")
    p.add_argument("--chunks", default="1", help="cut the grid into this many chunks (Ray tasks), in [1, N²]")
    p.add_argument("--ray", metavar="ADDRESS", help="run the chunks as Ray tasks: 'local' or a cluster address")
    p.add_argument("--sample", default="4", help="GANs timed one by one for sequential_seconds, [0, N²] (0: none)")
    p.add_argument("--out", help="write the map as JSON (.json) or its figure (.png/.svg/.pdf)")
    p.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object instead of text; with each cell's effective Dirac-GAN parameters at the end "
        "(psi_eff, curvature, d_offset, theta_eff, spread, gain_g, gain_d, gain_offset; gain_*_start), the core's "
        "radius at the networks' own rates h·gain at the end (corrected_radius, corrected, agreement_corrected) and "
        "at the start (start_radius, agreement_start), and the sentence why",
    )
    return p


def span(text: str | None, name: str, high: float) -> tuple[float, float] | None:
    """'LO,HI' with 0 < LO < HI ≤ high."""
    if text is None:
        return None
    parts = text.split(",")
    if len(parts) != 2:
        raise InputError(f"{name} must be two numbers LO,HI such as 0.01,10, got {text!r}")
    lo, hi = (finite_float(x.strip(), name, 0, high, low_open=True) for x in parts)
    if lo >= hi:
        raise InputError(f"{name} must have LO < HI, got {text!r}")
    return lo, hi


def read(args) -> tuple[Setup, dict]:
    n = integer(args.grid, "--grid", 2, 256)
    setup = Setup(
        family=args.family,
        loss=args.loss,
        reg=args.reg,
        optimizer=args.optimizer,
        scheme=args.scheme,
        steps=integer(args.steps, "--steps", 8, 100_000),
        seed=integer(args.seed, "--seed", 0, 2**31 - 1),
        data_std=finite_float(args.data_std, "--data-std", 0, 100, low_open=True),
        width=integer(args.width, "--width", 1, 512),
        batch=integer(args.batch, "--batch", 1, 4096),
    )
    if args.out is not None and not args.out.lower().endswith(".json"):
        figure_path(args.out)
    options = {
        "n": n,
        "lr_range": span(args.lr_range, "--lr-range", LR.high),
        "param_range": span(args.param_range, "--param-range", 1e6),
        "chunks": integer(args.chunks, "--chunks", 1, n * n),
        "ray": args.ray,
        "sample": integer(args.sample, "--sample", 0, n * n),
    }
    return setup, options


def describe(m: ConvergenceMap) -> list[str]:
    """The map in text: settings, axes, timing, classes, agreement, the cells that differ, the map itself."""
    s, sym = m.setup, "γ" if m.setup.param == "gamma" else "σ"
    data = "Dirac-GAN (data at 0)" if s.family == "dirac" else f"MLP width {s.width} on N(0, {s.data_std:g}²)"
    lines = [
        f"{s.family}: {data}, {s.loss} + {s.reg}, {s.optimizer}, {s.scheme}, {s.steps} rounds, seed {s.seed}",
        f"grid: {len(m.param)} {sym} × {len(m.lr)} h = {m.gans} GANs; {m.note}",
        f"trained in {m.seconds:.1f} s ({m.backend}, {m.chunks} chunk{'s' if m.chunks > 1 else ''})",
    ]
    if m.sequential_seconds:
        lines.append(
            f"one by one: {m.sequential_seconds:.0f} s ({m.sample} GANs timed, {m.sequential_seconds / m.gans:.2f} s "
            f"each, scaled to {m.gans}) → vectorized {m.sequential_seconds / m.seconds:.1f}× faster; "
            f"{m.sample_same:.0%} of them end with the same status as in the grid"
        )
    lines.append("classes: " + ", ".join(f"{k} {v}" for k, v in m.counts().items()))
    differ = m.disagreements()
    lines.append(f"agreement with the Dirac-GAN prediction: {m.agreement:.1%} ({len(differ)} cells differ)")
    for value, h, status, radius in differ:
        lines.append(f"  {sym} = {value:<8.4g} h = {h:<8.4g} observed {status:<10} core ρ = {radius:.4f}")
    if m.why() is not None:
        lines.append(m.why())
    lines.append(f"map: rows {sym} (top: smallest), columns h (left: smallest); after each row the core's ✓ / ·")
    for i, value in enumerate(m.param):
        row = "".join(STATUS_BY_NAME[x].symbol for x in m.status[i])
        lines.append(f"  {value:8.4g}  {row}  {''.join('✓' if p else '·' for p in m.predicted[i])}")
    lines.append("  " + "; ".join(f"{st.symbol} {st.name}" for st in STATUS_BY_NAME.values()))
    return lines


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    setup, options = read(args)
    m = compute(setup, **options)
    report = m.to_json()
    if args.out is not None:
        path = Path(args.out)
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix.lower() == ".json":
            path.write_text(json.dumps(to_jsonable(report), allow_nan=False) + "\n")
        else:
            from models.convergence.plot import map_figure

            map_figure(m).savefig(path, dpi=150)
        report["out"] = str(path)
    if args.json:
        print_json(report)
    else:
        print("\n".join(describe(m) + ([f"written: {report['out']}"] if "out" in report else [])))
    return 0


if __name__ == "__main__":
    raise SystemExit(run_main(main, prog=PROG))
