"""`python -m dynamics.saturation`: the command-line tool over dynamics.oned.saturation."""

from __future__ import annotations

import numpy as np

from dynamics.cli import InputError, Parser, add_densities, figure_path, print_json, run_main, save_figure, tool_parser
from dynamics.oned.saturation import generator_gradients, loss_curves
from dynamics.oned.specs import parse

DESCRIPTION = (
    "Saturating vs non-saturating generator loss (Goodfellow et al. 2014, Sec. 3; NIPS 2016 tutorial, Fig. 16)."
)
EXAMPLES = """examples:
  python -m dynamics.saturation
  python -m dynamics.saturation --data "normal(0, 1)" --gen "normal(4, 0.5)" --json --no-plot
  python -m dynamics.saturation --data "mixture(normal(-2, 0.5), normal(2, 0.5))" --gen "laplace(5, 1)" \\
      --gen-family scale --out saturation.svg
"""


def build_parser() -> Parser:
    ap = tool_parser(
        "python -m dynamics.saturation",
        DESCRIPTION,
        EXAMPLES,
        "saturation.png",
    )
    add_densities(ap, "normal(0, 1)", "normal(4, 0.5)", "starting p_g spec")
    ap.add_argument(
        "--gen-family",
        "--param",
        dest="param",
        default="shift",
        help="generator family G_θ and its parameter θ: shift (θ + X) or scale (m + e^θ·(X − m))",
    )
    ap.add_argument("--levels", type=int, default=21, help="number of λ values in [0, 1] (default 21)")
    return ap


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    figure_path(args.out)
    data, gen = parse(args.data), parse(args.gen)
    if not 2 <= args.levels <= 1001:
        raise InputError(f"--levels must be in [2, 1001], got {args.levels}")
    d = np.linspace(0.005, 0.995, 199)
    curves = {"d": d, **loss_curves(d)}
    grads = generator_gradients(data, gen, np.linspace(0, 1, args.levels), args.param)
    res = {"data": str(data), "gen": str(gen), "param": args.param, "curves": curves, "gradients": grads}
    out = None
    if not args.no_plot:
        from dynamics.oned import plotting

        out = save_figure(plotting.saturation_figure(res), args.out, "saturation.png")
    res["figure"] = out
    if args.json:
        print_json(res)
    else:
        print(f"data: {res['data']}   gen: {res['gen']}   θ = {args.param}")
        print("  λ      mean D(G(z))   |grad| saturating   |grad| non-saturating")
        for lam, md, gs, gn in zip(
            grads["lambda"], grads["mean_d_g"], grads["grad_sat"], grads["grad_ns"], strict=True
        ):
            print(f"  {lam:4.2f}   {md:12.6f}   {gs:18.6g}   {gn:22.6g}")
        if out:
            print(f"  figure: {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(run_main(main, prog="python -m dynamics.saturation"))
