"""The stability page's "theory against networks" section: the core's predicted region and a grid of trained GANs
(models.convergence) in one picture, with a sentence on where they agree, one on where they part and, for a map
that read its networks' effective Dirac-GAN parameters (models.convergence.effective), one on why.

A saved map (models/convergence/saved) loads at once; a live one trains a small Dirac-GAN grid of the page's
objective and optimizer (at most LIVE_MAX × LIVE_MAX GANs) behind a button, with a progress bar. A live map keeps to
the page's 10 s limit by a measurement, not a guess (a round costs several times more with instance noise, consensus
or extragradient, and the server's load changes): PROBE_ROUNDS rounds of the same grid are timed first and scaled to
the run; beyond LIVE_BUDGET_S it is refused with the command that computes it. One live map trains at a time per
server process (first come, first served).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import streamlit as st

from dynamics.contracts import InputError
from dynamics.dirac.optimizers import Optimizer
from dynamics.dirac.trajectories import Schedule
from models.convergence import classify
from models.convergence.engine import Setup
from models.convergence.grid import CORE_OPTIMIZER, check
from models.convergence.maps import ConvergenceMap, compute, load, saved_maps
from models.convergence.plot import map_figure
from ui import controls, export
from ui.training import FairLock

LIVE = "live"
DEFAULT_MAP = "dirac-gan-r1"
LIVE_MIN, LIVE_MAX, LIVE_DEFAULT = 4, 12, 8  # n of an n × n live grid
LIVE_BUDGET_S = 8.0  # seconds of training a live map may take: the page's 10 s limit less probing and drawing
PROBE_ROUNDS = 64  # rounds timed to estimate a live map's seconds
LIVE_KEPT = 4  # live maps kept per browser session (the oldest goes first)
LIVE_LOCK = FairLock()  # one live map trains at a time in this server process
TO_CORE = {core: torch for torch, core in CORE_OPTIMIZER.items()}  # the page's optimizer → the engine's


@dataclass(frozen=True)
class Overlay:
    """How the observed map and the core's prediction compare, cell by cell, and the two sentences that say it."""

    cells: int
    both: int  # the core predicts convergence and the networks converge
    neither: int
    theory_only: int  # predicted to converge, but the networks cycle or diverge
    networks_only: int  # the networks converge where the core predicts they do not
    border: int  # disagreeing cells with a neighbour the core predicts otherwise (on its boundary)
    agree: str
    part: str
    why: str | None  # why they part, from the networks' effective Dirac-GAN parameters (ConvergenceMap.why)


def border_cells(predicted: np.ndarray) -> np.ndarray:
    """True where a cell's prediction differs from one of its four neighbours' (the core's boundary)."""
    p = np.pad(predicted, 1, mode="edge")
    centre = p[1:-1, 1:-1]
    return (centre != p[:-2, 1:-1]) | (centre != p[2:, 1:-1]) | (centre != p[1:-1, :-2]) | (centre != p[1:-1, 2:])


def _span(values: np.ndarray) -> str:
    lo, hi = float(np.min(values)), float(np.max(values))
    return f"{lo:.3g}" if np.isclose(lo, hi) else f"{lo:.3g}–{hi:.3g}"


def overlay(m: ConvergenceMap) -> Overlay:
    """Counts of agreement and disagreement of `m` with its prediction and the sentences of the page."""
    obs, pred, sym = m.observed, m.predicted, "γ" if m.setup.param == "gamma" else "σ"
    n, agree = obs.size, obs == pred
    both, neither = int((obs & pred).sum()), int((~obs & ~pred).sum())
    theory_only, networks_only = int((pred & ~obs).sum()), int((obs & ~pred).sum())
    border = int((~agree & border_cells(pred)).sum())
    agree_text = (
        f"They agree on {int(agree.sum())} of {n} GANs ({m.agreement:.1%}): {both} converge where the core's "
        f"spectral radius ρ < 1 predicts it and {neither} do not converge where ρ ≥ 1."
    )
    if agree.all():
        part = "They part nowhere on this grid: every network ends as the core predicts."
    else:
        rows, cols = np.nonzero(~agree)
        ways = []
        if theory_only:
            classes = [classify.map_class(s) for s in m.status[pred & ~obs]]
            kinds = ", ".join(f"{c} {classes.count(c)}" for c in ("cycling", "diverged") if classes.count(c))
            ways.append(f"{theory_only} where the core predicts convergence but the networks do not ({kinds})")
        if networks_only:
            ways.append(f"{networks_only} where the networks converge although the core predicts they do not")
        k = n - int(agree.sum())
        part = (
            f"They part on {k} GAN{'s' * (k > 1)}: {' and '.join(ways)}; next to the core's boundary (a neighbouring "
            f"cell predicted otherwise): {border} of {k}; at {sym} {_span(m.param[rows])}, h {_span(m.lr[cols])}, "
            f"where the core's ρ is {_span(m.radius[rows, cols])}."
        )
    return Overlay(n, both, neither, theory_only, networks_only, border, agree_text, part, m.why())


def title(name: str, m: ConvergenceMap) -> str:
    """A saved map's label: family (data), objective, optimizer, scheme, grid."""
    s = m.setup
    data = "Dirac-GAN" if s.family == "dirac" else f"MLP GAN on N(0, {s.data_std:g}²)"
    return f"{data}: {s.loss} + {s.reg}, {s.optimizer} {s.scheme}, {len(m.param)}×{len(m.lr)} ({name})"


@st.cache_data(show_spinner=False)
def saved(name: str) -> ConvergenceMap:
    return load(saved_maps()[name])


@st.cache_data(show_spinner=False, max_entries=16)
def saved_png(name: str) -> bytes:
    return export.figure_bytes(map_figure(saved(name)))


def live_setup(obj, opt: Optimizer, schedule: Schedule) -> Setup:
    """The page's objective, optimizer and scheme as a Dirac-GAN grid; InputError where the grid cannot take them."""
    if opt.name not in TO_CORE:
        raise InputError(
            f"the live map trains with {', '.join(TO_CORE)}; the page's optimizer is {opt.name} "
            "(it has no update operator to predict from, or the torch backend has no grid for it)"
        )
    setup = Setup(family="dirac", loss=obj.loss, reg=obj.reg, optimizer=TO_CORE[opt.name], scheme=schedule.scheme)
    check(setup)
    return setup


def estimate(setup: Setup, n: int) -> float:
    """Seconds the n × n grid of `setup` would train here now: PROBE_ROUNDS rounds timed, scaled to setup.steps
    (after 8 rounds of a 2 × 2 grid, so that torch's first-call set-up is not scaled up with them)."""
    compute(replace(setup, steps=8), 2, sample=0)
    return compute(replace(setup, steps=PROBE_ROUNDS), n, sample=0).seconds * setup.steps / PROBE_ROUNDS


def command(setup: Setup, n: int) -> str:
    """The command line that computes the same map."""
    s = setup
    return (
        f"python -m models.convergence --family dirac --loss {s.loss} --reg {s.reg} --optimizer {s.optimizer} "
        f"--scheme {s.scheme} --grid {n}"
    )


def _live(obj, opt: Optimizer, schedule: Schedule) -> tuple[str, ConvergenceMap, bytes] | None:
    """The controls of a live map and, once computed, its name, the map and its figure (kept for the browser
    session)."""
    try:
        setup = live_setup(obj, opt, schedule)
    except InputError as err:
        st.info(f"No live map for these settings: {controls.plain(err)}. Choose a saved map instead.")
        return None
    n = controls.slider(
        "conv_grid",
        "live map: grid size n (n × n GANs)",
        LIVE_MIN,
        LIVE_MAX,
        LIVE_DEFAULT,
        help=f"At most {LIVE_MAX} × {LIVE_MAX} on a shared server, and a grid estimated to train longer than "
        f"{LIVE_BUDGET_S:g} s is refused with the command that computes it (python -m models.convergence takes up "
        "to 256 × 256).",
    )
    key = (setup, n)
    store = st.session_state.setdefault("_convergence_live", {})
    st.caption(
        f"Trains {n * n} Dirac-GANs ({setup.loss} + {setup.reg}, {setup.optimizer}, {setup.scheme}, h_G = h_D, "
        f"one step each per round, {setup.steps} rounds) from the sidebar's settings, all at once."
    )
    if key not in store and st.button(f"Train the {n} × {n} grid", key="conv_train"):
        if LIVE_LOCK.locked():
            st.caption(f"Another live map is training; {LIVE_LOCK.waiting + 1} ahead of yours. It waits its turn.")
        with LIVE_LOCK:
            seconds = estimate(setup, n)
            if seconds > LIVE_BUDGET_S:
                st.info(
                    f"This grid would train for about {seconds:.0f} s on this server now, more than the page allows "
                    f"({LIVE_BUDGET_S:g} s): choose a smaller n or a saved map, or run it from the command line: "
                    f"`{command(setup, n)}`"
                )
                return None
            bar = st.progress(0.0, "training…")
            m = compute(setup, n, sample=0, progress=lambda f: bar.progress(min(f, 1.0), "training…"))
            store[key] = (m, export.figure_bytes(map_figure(m)))
            while len(store) > LIVE_KEPT:
                store.pop(next(iter(store)))
            bar.empty()
    if key not in store:
        return None
    return (f"live-{setup.loss}+{setup.reg}-{n}", *store[key])


def section(obj, opt: Optimizer, schedule: Schedule) -> None:
    """The section: a choice of map, the overlay figure, its two sentences and downloads."""
    st.subheader("Theory against networks")
    st.markdown(
        "A grid of GANs over learning rate h × regularizer weight γ (σ for instance noise), each trained from "
        "the same start and judged converged / cycling / diverged, coloured; hatched where the core predicts "
        "convergence (ρ < 1), with its boundary h*(γ). `python -m models.convergence` computes such maps."
    )
    names = list(saved_maps())
    choice = controls.select(
        "conv_map",
        "convergence map",
        [*names, LIVE],
        DEFAULT_MAP,
        fmt=lambda k: "live: a small Dirac-GAN grid of the sidebar's settings" if k == LIVE else title(k, saved(k)),
    )
    if choice == LIVE:
        found = _live(obj, opt, schedule)
        if found is None:
            return
        name, m, png = found
    else:
        name, m, png = choice, saved(choice), saved_png(choice)
    o = overlay(m)
    summary = f"{o.agree} {o.part}" + (f" {o.why}" if o.why else "")
    if m.sequential_seconds:
        summary += (
            f" Trained in {m.seconds:.1f} s all at once; one by one ≈ {m.sequential_seconds:.0f} s "
            f"(scaled from {m.sample} GANs timed)."
        )
    export.show_figure(
        png,
        lambda: map_figure(m),
        f"convergence-{name}",
        summary,
        {f"convergence-{name}-map.json": lambda: export.to_json(m.to_json())},
    )
