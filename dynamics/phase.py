"""`python -m dynamics.phase`: Dirac-GAN phase portraits, eigenvalues and trajectory status, headless."""

from __future__ import annotations

from dynamics.cli import (
    InputError,
    Parser,
    figure_path,
    finite_float,
    point,
    print_json,
    ranged,
    run_main,
    save_figure,
    tool_parser,
)
from dynamics.dirac.analysis import analyze
from dynamics.dirac.field import make_objective
from dynamics.dirac.objectives import LOSSES, REGULARIZERS, parse_name
from dynamics.dirac.optimizers import OPTIMIZERS, SCHEMES, Optimizer
from dynamics.dirac.plotting import FIGURE3, WINDOW, compare_figure, fit_window, phase_figure
from dynamics.dirac.ranges import BETA, CLIP, D_STEPS, G_STEPS, GAMMA, LR, ROUNDS, SIGMA, START_GRID, TARGET
from dynamics.dirac.report import describe, window_line
from dynamics.dirac.trajectories import Schedule, flow, grid_starts

EXAMPLES = """examples:
  python -m dynamics.phase --loss gan --reg r1 --gamma 0.3
  python -m dynamics.phase --loss wgan-gp --json --no-plot
  python -m dynamics.phase --loss gan --scheme alt --lr 0.2 --start=-1,0.7 --start 1,1 --eval 0.5,0.5
  python -m dynamics.phase --loss gan --reg r1 --start-grid 64 --scheme alt --steps 2000
  python -m dynamics.phase --compare            (the six panels of Mescheder et al. 2018, Figure 3)
  python -m dynamics.phase --compare wgan wgan+r1 hinge --out compare.svg
"""


PROG = "python -m dynamics.phase"


def span(rng, default: bool = True) -> str:
    """A range for --help: '[0, 1e+06] (default 1)'."""
    return f"{rng.bounds} (default {rng.default:g})" if default and rng.default is not None else rng.bounds


def build_parser() -> Parser:
    p = tool_parser(PROG, __doc__, EXAMPLES, "phase-<loss>[+<reg>].png (phase-compare.png with --compare)")
    p.add_argument("--loss", default="gan", help=f"one of {', '.join(LOSSES)} (default gan)")
    p.add_argument("--reg", default="none", help=f"one of {', '.join(REGULARIZERS)} (default none)")
    p.add_argument("--gamma", default=str(GAMMA.default), help=f"regularizer weight γ in {span(GAMMA)}")
    p.add_argument("--sigma", default=str(SIGMA.default), help=f"instance-noise std σ in {span(SIGMA)}")
    p.add_argument("--clip", default=None, help=f"WGAN weight clipping |ψ| ≤ c, c in {span(CLIP)}")
    p.add_argument("--target", default=str(TARGET.default), help=f"WGAN-GP gradient target g₀ in {span(TARGET)}")
    p.add_argument("--lr", default=str(LR.default), help=f"learning rate of both players, in {span(LR)}")
    p.add_argument("--lr-g", default=None, help="generator learning rate (overrides --lr)")
    p.add_argument("--lr-d", default=None, help="discriminator learning rate (overrides --lr)")
    p.add_argument("--scheme", default="sim", help="sim (simultaneous) or alt (alternating); default sim")
    p.add_argument(
        "--g-steps", default=str(G_STEPS.default), help=f"generator steps per alternating round, {span(G_STEPS)}"
    )
    p.add_argument(
        "--d-steps", default=str(D_STEPS.default), help=f"discriminator steps per alternating round, {span(D_STEPS)}"
    )
    p.add_argument("--optimizer", default="gd", help=f"one of {', '.join(OPTIMIZERS)} (default gd)")
    momentum, adam = BETA["momentum"], BETA["adam"]
    p.add_argument("--beta", default=None, help=f"momentum β in {span(momentum)} or Adam's β₁ in {span(adam)}")
    p.add_argument("--steps", default=str(ROUNDS.default), help=f"number of rounds, {span(ROUNDS)}")
    p.add_argument(
        "--start",
        action="append",
        default=None,
        metavar="θ,ψ",
        help="starting point, repeatable; negative values: --start=-1,0.7 (default 1,1)",
    )
    p.add_argument(
        "--start-grid",
        default=None,
        metavar="N",
        help=f"N×N starts over the window (basin map), N in {span(START_GRID, False)}",
    )
    p.add_argument(
        "--window",
        default=None,
        metavar="θ0,θ1,ψ0,ψ1",
        help=f"plot window (default {','.join(f'{w:g}' for w in WINDOW)})",
    )
    p.add_argument("--eval", action="append", default=[], metavar="θ,ψ", help="print the field there")
    p.add_argument("--flow", action="store_true", help="overlay the continuous-time flow from each start")
    p.add_argument(
        "--compare",
        nargs="*",
        default=None,
        metavar="LOSS[+REG]",
        help="one figure, several objectives (no names: Mescheder et al. 2018, Figure 3)",
    )
    return p


def read_settings(args):
    """Turn the parsed strings into an objective, a schedule, an optimizer and starting points."""
    params = {
        name: None if text is None else ranged(text, rng, f"--{name}")
        for name, text, rng in (
            ("gamma", args.gamma, GAMMA),
            ("sigma", args.sigma, SIGMA),
            ("target", args.target, TARGET),
            ("clip", args.clip, CLIP),
        )
    }
    lr = ranged(args.lr, LR, "--lr")
    lr_g = lr if args.lr_g is None else ranged(args.lr_g, LR, "--lr-g")
    lr_d = lr if args.lr_d is None else ranged(args.lr_d, LR, "--lr-d")
    if args.scheme not in SCHEMES:
        raise InputError(f"--scheme must be {' or '.join(SCHEMES)}, got {args.scheme!r}")
    schedule = Schedule(
        lr_g,
        lr_d,
        args.scheme,
        ranged(args.g_steps, G_STEPS, "--g-steps"),
        ranged(args.d_steps, D_STEPS, "--d-steps"),
        ranged(args.steps, ROUNDS, "--steps"),
    )
    if args.optimizer not in OPTIMIZERS:
        raise InputError(f"--optimizer must be one of {', '.join(OPTIMIZERS)}, got {args.optimizer!r}")
    # β's range depends on the optimizer (ranges.BETA): Optimizer checks it and names both.
    beta = None if args.beta is None else finite_float(args.beta, "--beta")
    if beta is not None and args.optimizer not in BETA:
        raise InputError(f"--beta applies to --optimizer momentum or adam, not {args.optimizer}")
    try:
        opt = Optimizer(args.optimizer, beta)
    except ValueError as err:
        raise InputError(str(err)) from None
    window = WINDOW
    if args.window:
        window = tuple(finite_float(t, "--window") for t in args.window.split(","))
        if len(window) != 4 or window[0] >= window[1] or window[2] >= window[3]:
            raise InputError(f"--window must be θ0,θ1,ψ0,ψ1 with θ0 < θ1 and ψ0 < ψ1, got {args.window!r}")
    grid_n = None if args.start_grid is None else ranged(args.start_grid, START_GRID, "--start-grid")
    if grid_n and args.start:
        raise InputError("give either --start or --start-grid, not both")
    if grid_n and args.flow:
        raise InputError("--flow draws one curve per --start; it does not combine with --start-grid")

    if grid_n:
        starts = grid_starts(grid_n, window)
    else:
        starts = [point(s, "--start") for s in (args.start or ["1,1"])]
    evals = [point(s, "--eval") for s in args.eval]
    figure_path(args.out)
    return params, schedule, opt, starts, evals, window, grid_n


def objective(name_or_loss: str, reg: str, params: dict):
    try:
        return make_objective(name_or_loss, reg, **params)
    except ValueError as err:
        raise InputError(str(err)) from None


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    params, schedule, opt, starts, evals, window, grid_n = read_settings(args)
    if args.compare is not None:
        return compare(args, params, schedule, opt, starts, window, grid_n)
    obj = objective(args.loss, args.reg, params)
    a = analyze(obj, schedule, opt, starts, evals, record=not grid_n)
    report, lines = a.to_json(), describe(a)
    if not args.no_plot:
        flows = [flow(obj, s, schedule.rounds, speed=schedule.speed) for s in starts] if args.flow else []
        fig = phase_figure(obj, a.run, a.eigenvalues, a.update.eigenvalues, window, grid_n, flows)
        report["figure"] = save_figure(fig, args.out, f"phase-{obj.name}.png")
        lines.append(f"figure: {report['figure']}")
        lines += plot_window(a, window, grid_n, report)
    if args.json:
        print_json(report)
    else:
        print("\n".join(lines))
    return 0


def plot_window(a, window, grid_n, report: dict) -> list[str]:
    """The window the figure shows and the trajectories that leave it: into `report` as "window" (JSON), and
    as a line of text when it differs from the one asked for or a trajectory leaves it."""
    view = fit_window(a.run, window, grid_n)
    report["window"] = view.to_json()
    line = window_line(view, a.trajectories)
    return [line] if line else []


def compare(args, params, schedule, opt, starts, window, grid_n) -> int:
    names = args.compare or FIGURE3
    panels, analyses = [], []
    for name in names:
        obj = objective(*parse_name(name), params)
        a = analyze(obj, schedule, opt, starts, record=not grid_n)
        analyses.append(a)
        panels.append((obj, a.run, str(a.verdict)))
    reports, texts = [a.to_json() for a in analyses], [describe(a) for a in analyses]
    result = {"compare": reports}
    if not args.no_plot:
        result["figure"] = save_figure(compare_figure(panels, window, grid_n=grid_n), args.out, "phase-compare.png")
        for a, report, lines in zip(analyses, reports, texts, strict=True):
            lines += plot_window(a, window, grid_n, report)
    if args.json:
        print_json(result)
    else:
        print("\n\n".join("\n".join(lines) for lines in texts))
        if "figure" in result:
            print(f"figure: {result['figure']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(run_main(main, prog=PROG))
