"""`python -m dynamics.optimal`: the command-line tool over dynamics.oned.optimal."""

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
from dynamics.oned.optimal import figure1_stages, line_logit, summary, value
from dynamics.oned.specs import parse

DESCRIPTION = "Optimal discriminator D*, value function V(G, D), virtual criterion C(G) (Goodfellow et al. 2014)."
EXAMPLES = """examples:
  python -m dynamics.optimal --data "normal(0, 1)" --gen "normal(2, 0.5)"
  python -m dynamics.optimal --data "uniform(0, 1)" --gen "uniform(3, 4)" --json --no-plot
  python -m dynamics.optimal --data "mixture(0.5*normal(-2, 0.5), 0.5*normal(2, 0.5))" \\
      --gen "laplace(0, 1)" --discriminator 1.5,-0.2 --out dstar.svg
  python -m dynamics.optimal --data "normal(0, 1)" --gen "normal(3, 0.5)" --figure1 --out fig1.png
"""


def build_parser() -> Parser:
    ap = tool_parser(
        "python -m dynamics.optimal",
        DESCRIPTION,
        EXAMPLES,
        "dstar.png (figure1.png with --figure1)",
    )
    add_densities(ap, "normal(0, 1)", "normal(2, 0.5)")
    ap.add_argument("--discriminator", metavar="A,B", help="also evaluate V(G, D) for D(x) = σ(A·x + B)")
    ap.add_argument("--grid", type=int, default=2001, help="points of the plotted grid (default 2001)")
    ap.add_argument("--fast", action="store_true", help="grid numbers (the app's live path) instead of quadrature")
    ap.add_argument("--figure1", action="store_true", help="draw Goodfellow et al. 2014 Fig. 1, stages (a)-(d)")
    return ap


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    figure_path(args.out)
    data, gen = parse(args.data), parse(args.gen)
    if not 11 <= args.grid <= 200_001:
        raise InputError(f"--grid must be in [11, 200001], got {args.grid}")
    res = summary(data, gen, args.grid, exact=not args.fast)
    if args.discriminator:
        parts = args.discriminator.split(",")
        if len(parts) != 2:
            raise InputError(f"--discriminator must be two numbers 'A,B', got {args.discriminator!r}")
        a, b = (finite_float(t.strip(), "--discriminator") for t in parts)
        v, err = value(data, gen, line_logit(a, b))
        res["v_line"] = {"a": a, "b": b, "value": v, "error": err, "gap_to_c_g": res["c_g"] - v}
    out = None
    if not args.no_plot:
        from dynamics.oned import plotting

        if args.figure1:
            fig = plotting.figure1(figure1_stages(data, gen))
            out = save_figure(fig, args.out, "figure1.png")
        else:
            line = res.get("v_line")
            fig = plotting.optimal_figure(res, line_logit(line["a"], line["b"]) if line else None)
            out = save_figure(fig, args.out, "dstar.png")
    public = {k: v for k, v in res.items() if k not in ("x", "p_data", "p_g", "d_star")}
    public["figure"] = out
    if args.json:
        print_json(public)
    else:
        print(f"data: {public['data']}   gen: {public['gen']}   ({public['method']})")
        for key in ("js", "kl_data_gen", "kl_gen_data", "tv", "w1", "c_g"):
            print(f"  {key:12s} = {public[key]:.12g}   (± {public['errors'][key]:.1e})")
        print(f"  {'c_g_identity':12s} = {public['c_g_identity']:.12g}   (−log 4 + 2·js)")
        if "v_line" in public:
            vl = public["v_line"]
            line = f"V(G, σ({vl['a']:g}·x + {vl['b']:g}))"
            print(f"  {line} = {vl['value']:.12g}, below C(G) by {vl['gap_to_c_g']:.3g}")
        if public["d_star_undefined"]:
            spans = ", ".join(f"[{a:.4g}, {b:.4g}]" for a, b in public["d_star_undefined"])
            print(f"  D* undefined (both densities 0) on {spans}")
        if out:
            print(f"  figure: {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(run_main(main, prog="python -m dynamics.optimal"))
