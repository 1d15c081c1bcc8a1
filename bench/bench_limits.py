"""Every page at its most expensive allowed settings (issue 10 item 15): does it answer within 10 s, and how long
does it hold up another session?

Each page runs through app.py's router with streamlit.testing.v1.AppTest (the script run a browser's request
starts, without the browser), at its defaults and at its maximum settings (every slider at its top, compare mode
with every objective, the largest grid, the most rounds, steps per round and samples; on the training pages one
Step at the largest batch and discriminator steps). Seconds are the wall time of that script run (of the Step,
on the training pages), each setting on fresh caches; the ratio is max / default, both measured in this run.
'other session' is the time a small request of another session of the same process (a phase portrait of 8 random
starts, new seed each time; a fresh 1-D run trained 10 rounds while a training page trains) takes while the max
run goes on, against the same request alone.

Run: python -m bench.bench_limits              (all pages; --pages phase,images for some; --json for the rows)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
LIMIT = 10.0  # seconds: the answer time of issue 10 item 15


@dataclass(frozen=True)
class Case:
    """A page at one setting: its URL query and, on the training pages, the key of the button pressed after
    loading (the time measured is then the press's)."""

    page: str
    query: dict = field(default_factory=dict)
    press: str | None = None


def max_cases() -> dict[str, tuple[Case, Case]]:
    """(default, max) per page, the max read from the ranges the controls use, so a cap shows up here."""
    from dynamics.dirac.ranges import COMPARE, D_STEPS, G_STEPS, ROUNDS, START_GRID
    from ui import dirac, training

    rounds, grid = int(ROUNDS.slider.high), int(START_GRID.slider.high)
    alt = {"scheme": "alt", "g_steps": int(G_STEPS.slider.high), "d_steps": int(D_STEPS.slider.high)}
    heavy = {"reg": "instance-noise", "optimizer": "extragradient", "steps": rounds, **alt}
    train = {k: training.LIMITS[k].high for k in ("batch", "d_steps")}
    return {
        "phase": (Case("phase"), Case("phase", heavy | {"starts": "grid", "grid": grid})),
        "phase flow": (
            Case("phase", {"starts": "random"}),
            Case("phase", heavy | {"starts": "random", "n_starts": 32, "flow": 1, "lr": 2.0}),
        ),
        "phase compare": (
            Case("phase", {"mode": "compare"}),
            Case(
                "phase",
                {k: v for k, v in heavy.items() if k != "reg"}
                | {"mode": "compare", "compare": ",".join(dirac.ALL_NAMES[: int(COMPARE.slider.high)])}
                | {"starts": "grid", "grid": grid},
            ),
        ),
        "stability": (
            Case("stability"),
            Case("stability", {"reg": "instance-noise", "optimizer": "optimistic", "lr_max": 10, "sweep_max": 10}),
        ),
        "optimal": (Case("optimal"), Case("optimal", {"preset": "bimodal", "figure1": "1"})),
        "saturation": (Case("saturation"), Case("saturation", {"preset": "bimodal", "levels": 101})),
        "lipschitz": (
            Case("lipschitz"),
            Case("lipschitz", {"preset": "bimodal", "samples": 60, "kappa": 10}, press="_kgrad"),
        ),
        "train1d": (
            Case("train1d", press="train1d_step"),
            Case("train1d", train | {"tick": training.LIMITS["tick_1d"].high}, press="train1d_step"),
        ),
        "mixtures": (
            Case("mixtures", {"data": "grid25"}, press="mixtures_step"),
            Case("mixtures", train | {"data": "grid25", "tick": training.LIMITS["tick_2d"].high}, "mixtures_step"),
        ),
        "images": (
            Case("images", press="images_step"),
            Case(
                "images",
                train | {"batch": training.LIMITS["batch_images"].high, "tick": training.LIMITS["tick_images"].high},
                press="images_step",
            ),
        ),
    }


def run_case(case: Case, started: threading.Event | None = None) -> float:
    """Seconds of the script run that answers the case (of the button press, when there is one); `started` is
    set as that run begins."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=900)
    for key, value in case.query.items():
        at.query_params[key] = str(value)
    at.switch_page(f"pages/{case.page}.py")
    started = started or threading.Event()
    if not case.press:
        started.set()
    t0 = time.perf_counter()
    at.run()
    if case.press:
        button = at.button(key=case.press)
        started.set()
        t0 = time.perf_counter()
        button.click().run()
    seconds = time.perf_counter() - t0
    if at.exception:
        raise RuntimeError(f"{case}: {[e.value for e in at.exception]}")
    return seconds


PROBES = iter(range(1, 1_000_000))


def probe(training_page: bool) -> float:
    """A small request of another session of the same server process, made with the library calls its page makes
    (AppTest runs one app at a time): a phase portrait of 8 random starts (new seed: nothing cached) drawn to PNG,
    or, when the page under test trains, a fresh 1-D run and 10 rounds of it (training takes turns under
    ui.training.STREAM_LOCK, so this waits for the other session's Step)."""
    import numpy as np

    seed = next(PROBES)
    t0 = time.perf_counter()
    if training_page:
        from ui.training import Session

        cfg = {"data": "normal(0, 1)", "loss": "gan", "reg": "none", "optimizer": "adam", "lr": 1e-3}
        Session(cfg | {"d_steps": 1, "batch": 64, "steps": 100, "seed": seed}).advance(10)
    else:
        from dynamics.dirac.analysis import analyze
        from dynamics.dirac.field import make_objective
        from dynamics.dirac.optimizers import Optimizer
        from dynamics.dirac.trajectories import Schedule
        from ui.dirac import phase_fig
        from ui.export import figure_bytes

        obj = make_objective("gan")
        starts = np.random.default_rng(seed).uniform(-1.8, 1.8, size=(8, 2))
        figure_bytes(phase_fig(obj, analyze(obj, Schedule(), Optimizer(), starts).run))
    return time.perf_counter() - t0


def with_other_session(case: Case) -> tuple[float, float]:
    """(seconds of the case, seconds of a probe of another session started 0.5 s into it)."""
    result: dict[str, float] = {}
    started = threading.Event()
    worker = threading.Thread(target=lambda: result.setdefault("case", run_case(case, started)))
    worker.start()
    started.wait()
    time.sleep(0.5)  # the probe starts 0.5 s into the measured run (a measurement, not a wait for an event)
    other = probe(case.press is not None and case.press != "_kgrad")
    worker.join()
    return result["case"], other


@dataclass
class Row:
    page: str
    settings: str
    default_s: float
    max_s: float
    ratio: float
    within: bool
    other_alone_s: float
    other_during_s: float


def bench(pages: list[str]) -> list[Row]:
    run_case(Case("home"))  # imports and the router's first run, outside every measurement
    rows = []
    for name, (default, heavy) in max_cases().items():
        if pages and name not in pages:
            continue
        training_page = heavy.press is not None and heavy.press != "_kgrad"
        default_s = run_case(default)
        alone = probe(training_page)
        max_s, during = with_other_session(heavy)
        shown = {k: f"{v.count(',') + 1} objectives" if k == "compare" else v for k, v in heavy.query.items()}
        settings = ", ".join(f"{k}={v}" for k, v in shown.items()) + (f"; press {heavy.press}" * bool(heavy.press))
        rows.append(Row(name, settings, default_s, max_s, max_s / default_s, max_s <= LIMIT, alone, during))
        print(f"  {name}: {max_s:.2f} s", file=sys.stderr, flush=True)
    return rows


def table(rows: list[Row]) -> str:
    head = "| page | max settings | default s | max s | max/default | within 10 s | other session alone / during s |"
    lines = [head, "|---|---|---:|---:|---:|---|---:|"]
    for r in rows:
        lines.append(
            f"| {r.page} | {r.settings or 'defaults'} | {r.default_s:.2f} | {r.max_s:.2f} | ×{r.ratio:.1f} | "
            f"{'yes' if r.within else '**no**'} | {r.other_alone_s:.2f} / {r.other_during_s:.2f} |"
        )
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_limits", description=__doc__.splitlines()[0])
    parser.add_argument("--pages", default="", help="comma-separated names of the table's pages (default: all)")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON instead of a table")
    args = parser.parse_args(argv)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    pages = [p.strip() for p in args.pages.split(",") if p.strip()]
    known = set(max_cases())
    if unknown := [p for p in pages if p not in known]:
        print(f"python -m bench.bench_limits: --pages {unknown} not among {sorted(known)}", file=sys.stderr)
        return 2
    load = os.getloadavg()
    rows = bench(pages)
    if args.json:
        print(json.dumps([asdict(r) for r in rows], indent=1))
    else:
        print(f"load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; after: {os.getloadavg()[0]:.2f}")
        print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
