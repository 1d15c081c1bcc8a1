"""`python -m dynamics.lipschitz`: the command-line tool over dynamics.oned.lipschitz."""

from __future__ import annotations

from dynamics.cli import (
    InputError,
    Parser,
    add_densities,
    figure_path,
    finite_float,
    print_json,
    run_main,
    save_figure,
    tool_parser,
)
from dynamics.oned.lipschitz import compare
from dynamics.oned.specs import parse

DESCRIPTION = (
    "Optimal critics under a Lipschitz constraint in 1-D, WGAN (Arjovsky et al. 2017) and LS-GAN (Qi 2017), "
    "and the gradient each gives the generator."
)
EXAMPLES = """examples:
  python -m dynamics.lipschitz --data "uniform(0, 1)" --gen "uniform(3, 4)"
  python -m dynamics.lipschitz --data "normal(0, 1)" --gen "normal(4, 0.5)" --samples 30 --kappa 2 \\
      --json --no-plot
  python -m dynamics.lipschitz --data "mixture(normal(-2, 0.5), normal(2, 0.5))" --gen "laplace(6, 1)" \\
      --out lip.svg
"""


def build_parser() -> Parser:
    ap = tool_parser(
        "python -m dynamics.lipschitz",
        DESCRIPTION,
        EXAMPLES,
        "lipschitz.png",
    )
    add_densities(ap, "uniform(0, 1)", "uniform(3, 4)")
    ap.add_argument("--samples", type=int, default=20, help="samples of each law for LS-GAN (default 20)")
    ap.add_argument("--kappa", default="1", help="Lipschitz constant κ of the LS-GAN loss (default 1)")
    ap.add_argument("--lam", default="1", help="LS-GAN weight λ of the margin hinge term (default 1)")
    ap.add_argument("--seed", type=int, default=0, help="random seed for the samples (default 0)")
    return ap


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    figure_path(args.out)
    data, gen = parse(args.data), parse(args.gen)
    kappa = finite_float(args.kappa, "--kappa", 0, 1e6, low_open=True)
    lam = finite_float(args.lam, "--lam", 0, 1e6, low_open=True)
    if not 1 <= args.samples <= 200:
        raise InputError(f"--samples must be in [1, 200], got {args.samples}")
    res = compare(data, gen, args.samples, kappa, lam, seed=args.seed)
    out = None
    if not args.no_plot:
        from dynamics.oned import plotting

        out = save_figure(plotting.lipschitz_figure(res), args.out, "lipschitz.png")
    res["figure"] = out
    if args.json:
        print_json(res)
    else:
        print(f"data: {res['data']}   gen: {res['gen']}")
        print(f"  LS-GAN: κ = {kappa:g}, λ = {lam:g}, {args.samples} samples of each law (seed {args.seed})")
        print(
            f"  W1 = {res['w1']:.10g} (± {res['w1_error']:.1e});  E_data f − E_g f for the critic = "
            f"{res['w1_from_critic']:.6g};  W1 of the samples = {res['w1_samples']:.6g}"
        )
        print("  generator under each critic (velocity = −∂x loss, averaged over p_g; + moves right):")
        for name, s in res["generator"].items():
            v, g = s["shift_velocity"], s["mean_abs_gradient"]
            print(f"    {name:20s} mean velocity {v:+.6g}   mean |gradient| {g:.6g}")
        if out:
            print(f"  figure: {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(run_main(main, prog="python -m dynamics.lipschitz"))
