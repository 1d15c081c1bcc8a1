"""The generator-gradient experiments as commands: `python -m models.experiments vanishing|d-steps [--json]`.

vanishing: Arjovsky & Bottou (2017, Fig. 2) — a briefly trained G frozen, a fresh D trained on, ‖∇_θ L_G‖
per loss: {"losses": {LOSS: {"iterations": [...], "grad_norm": [...]}}}.
d-steps: Qi (2017) — D every iteration, G every k: {"runs": [{"loss", "k", "rounds", "grad_norm", "fd"}]}.
The computation is models.gradients; this module parses options and prints.
"""

from __future__ import annotations

import sys
from dataclasses import asdict

import torch

from dynamics.cli import Parser, print_json, run_main
from dynamics.contracts import InputError
from dynamics.dirac.objectives import LOSSES
from models import gradients
from models.config import TrainConfig

DEFAULTS = {
    "vanishing": {"data": "digits", "steps": 50, "iterations": 3000, "every": 100, "width": None, "lr": 1e-3},
    "d-steps": {"data": "digits", "steps": 300, "iterations": 1, "every": 10, "width": None, "lr": None},
}


def positive(text, name):
    """An integer ≥ 1 from the command line, or InputError naming the option."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise InputError(f"{name} must be an integer ≥ 1, got {text!r}")
    return value


def parse_args(argv):
    p = Parser(prog="python -m models.experiments", description=__doc__.splitlines()[0])
    p.add_argument("experiment", choices=tuple(DEFAULTS))
    p.add_argument("--data", help="ring8, grid25, digits, … (default digits)")
    p.add_argument("--steps", help="pretraining rounds (vanishing 50) or rounds (d-steps 300)")
    p.add_argument("--iterations", help="vanishing: D steps with G frozen (3000)")
    p.add_argument("--every", help="record every N iterations/rounds (100 / 10)")
    p.add_argument("--losses", help="comma-separated losses (vanishing: gan,nsgan,wgan-gp,loss-sensitive; "
                   "d-steps: loss-sensitive,gan)")  # fmt: skip
    p.add_argument("--ks", help="d-steps: comma-separated k (default 1,3,5)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--json", action="store_true", help="print one JSON object")
    return p.parse_args(argv)


def names(text, allowed, flag):
    items = [s.strip() for s in text.split(",") if s.strip()]
    bad = [s for s in items if s not in allowed] or ([] if items else [text])
    if bad:
        raise InputError(f"{flag}: {bad[0]!r} is not one of {', '.join(allowed)}")
    return items


def run(a) -> dict:
    """The experiment's result as the JSON object the command prints."""
    d = DEFAULTS[a.experiment]
    opt = {k: d[k] if getattr(a, k) is None else getattr(a, k) for k in ("data", "steps", "iterations", "every")}
    opt.update({k: positive(opt[k], "--" + k) for k in ("steps", "iterations", "every")})
    cfg = TrainConfig(  # the losses alone at a constant rate, also on ring8/grid25 (whose defaults add R1, a decay)
        data=opt["data"], steps=opt["steps"], seed=a.seed, device="cpu", width=d["width"], lr=d["lr"], loss="nsgan",
        reg="none", lr_decay="none",
    )  # fmt: skip
    if a.experiment == "vanishing":
        losses = names(a.losses, LOSSES, "--losses") if a.losses else gradients.VANISHING_LOSSES
        curves = gradients.vanishing(cfg, opt["steps"], opt["iterations"], opt["every"], losses)
        return {"losses": {c.loss: {"iterations": c.iterations, "grad_norm": c.grad_norm} for c in curves}}
    losses = names(a.losses, LOSSES, "--losses") if a.losses else ("loss-sensitive", "gan")
    ks = [positive(k, "--ks") for k in a.ks.split(",")] if a.ks else (1, 3, 5)
    runs = gradients.d_steps(cfg, ks, losses, opt["every"])
    return {"runs": [asdict(r) for r in runs]}


def main(argv=None):
    a = parse_args(argv)
    torch.set_num_threads(1)
    result = run(a)
    if a.json:
        print_json(result)
    elif a.experiment == "vanishing":
        for loss, c in result["losses"].items():  # from the first D step recorded after the untrained D of step 0
            its, g = c["iterations"][1:] or c["iterations"], c["grad_norm"][1:] or c["grad_norm"]
            top = max(range(len(g)), key=g.__getitem__)
            print(
                f"{loss:15s} ‖∇G‖ {g[0]:.3g} at D step {its[0]}, peak {g[top]:.3g} at {its[top]}, "
                f"{g[-1]:.3g} at {its[-1]} ({g[-1] / g[top]:.2g}× the peak)"
            )
    else:
        for r in result["runs"]:
            g = r["grad_norm"]
            print(f"{r['loss']:15s} k={r['k']} ‖∇G‖ first {g[0]:.3g} last {g[-1]:.3g}  fd {r['fd']}")
    return 0


if __name__ == "__main__":
    sys.exit(run_main(main, prog="python -m models.experiments"))
