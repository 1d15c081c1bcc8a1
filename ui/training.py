"""Live training on a page: one models.trainer.Trainer per session, advanced by a fragment while playing.

Play / pause / step / reset are buttons; while playing, `st.fragment(run_every=TICK)` reruns only the training
part of the page, a few rounds at a time, so the rest of the page stays responsive. Its views are charts the
browser draws (ui.live_charts): each tick sends the current curves or samples and only the metric history's new
points, about six times a second.

One thread at a time. Streamlit may start a script run of a session before the previous one has finished, and
runs the playing fragment, a full rerun after a widget change and a download's callable in different threads;
two of them training one Trainer at once corrupt autograd's graph ("modified by an inplace operation") or crash
libtorch. So each Session has a lock (`Session.lock`, re-entrant) held around everything that touches its
trainer or its history: advance, measure, drawing the live part (which reads the networks, e.g. the 2-D heat
map) and the figure/CSV downloads. The fragment's tick takes it without waiting: a tick that finds the session
busy trains nothing and draws the last state under the lock once the other run lets go. Step waits for it.

A control changed while playing: a change of a training setting (data, loss, optimizer, lr, seed, …) or Reset
builds a fresh Session, paused at round 0 (the old one is dropped; a tick still running on it finishes on the
old trainer and touches nothing else); a change of "rounds per update while playing" keeps the same session
playing with the new number from the next tick; typing an exercise answer (or any control that is not a
training setting) keeps it playing unchanged.

Random streams. The Trainer seeds and draws from torch's global random stream, which every session of the
process shares. Each session keeps its own copy of that stream and swaps it in around its training; the swap
and the training (and a Session's construction, which seeds the stream) happen under one process-wide lock,
`STREAM_LOCK`, taken after the session's own lock. So a run with a given seed is reproducible whatever other
sessions do, at the same moment or not, and an exercise's answer (a fresh run) is the seed's. The price: the
training of different sessions takes turns (evaluation and drawing do not); a tick's time budget starts once it
holds the stream lock. The turns are first come, first served (`FairLock`), so every playing run advances however
many play at once, each by at most BUDGET seconds of its thread's CPU time a turn (`time.thread_time`: with P
sessions' threads sharing the GIL, a wall-clock budget trained ~1/P of the rounds a turn, so ~1/P² a run:
bench/bench_play.py); a page whose run waited for others says the server is busy and how many runs wait.
"""

from __future__ import annotations

import math
import threading
import time
import uuid
from dataclasses import dataclass

import numpy as np
import streamlit as st
import torch

from dynamics.contracts import InputError
from models.config import TORCH_OPTIMIZERS, TrainConfig
from models.data import DataError, load
from models.evaluate import evaluate
from models.trainer import LOG_FIELDS, Trainer
from ui import controls, export, live_charts

TICK = 0.15  # seconds between fragment reruns while playing: at least 5 chart updates a second (bench_stream)
# seconds of training (the thread's CPU time) per tick: the tick's evaluation (≈ 60 ms on /train1d) and its payload
# must fit in the rest
BUDGET = 0.06


class FairLock:
    """A first-come, first-served lock: threads get it in the order they asked (threading.Lock promises no order,
    so one busy session could take it again and again while others starve). `waiting` counts the threads in line
    behind the holder; there is at most one per session, as a session trains in one thread at a time."""

    def __init__(self):
        self._cond = threading.Condition(threading.Lock())
        self._issued = 0  # tickets handed out
        self._serving = 0  # the ticket that holds the lock

    def __enter__(self):
        with self._cond:
            ticket = self._issued
            self._issued += 1
            self._cond.wait_for(lambda: self._serving == ticket)

    def __exit__(self, *exc):
        with self._cond:
            self._serving += 1
            self._cond.notify_all()

    def locked(self) -> bool:
        return self._issued > self._serving

    @property
    def waiting(self) -> int:
        return max(0, self._issued - self._serving - 1)


STREAM_LOCK = FairLock()  # torch's global random stream (and thread setting), shared by every session


class Session:
    """A trainer, its loss log and its metric history, used by one thread at a time (`lock`). Each session keeps
    its own copy of torch's random stream and trains under STREAM_LOCK, so no other session's training, at the
    same moment or not, changes its run (see the module docstring)."""

    def __init__(self, cfg: dict):
        self.lock = threading.RLock()  # re-entrant: drawing under it may call a locked download's `make`
        self.cfg_in = dict(cfg)  # as the page built it: a different one means a fresh run
        self.cfg = TrainConfig.from_mapping(cfg)
        self.data = load(self.cfg.data)
        with STREAM_LOCK, torch.random.fork_rng(devices=[]):  # the Trainer seeds the global stream: keep a copy
            torch.set_num_threads(1)  # small nets on a shared CPU: one thread was faster on every page (2.9/176 ms)
            self.trainer = Trainer(self.cfg, self.data)
            self.torch_rng = torch.get_rng_state()
        self.log: list[dict] = []
        self.metrics: list[dict] = []
        self.latest = None  # (metrics, samples, 1-D D curve)
        self.run_id = uuid.uuid4().hex[:12]  # names this run's history in the browser (ui.live_charts)
        self.sent: dict[str, int] = {}  # history points sent to the browser, per chart (ui.live_charts)
        self.playing = False
        self.error: str | None = None
        self.waited = 0.0  # seconds the last advance waited for other sessions' training
        self.measure()

    def measure(self) -> None:
        """Evaluate the current networks and append the metrics to the history."""
        with self.lock:
            m, x, curve = evaluate(
                self.trainer.G, self.trainer.D, self.data, self.cfg, self.trainer.device, "runs/.cache"
            )
            self.metrics.append({"step": self.trainer.step, **m})
            self.latest = (m, x.numpy(), curve)

    def advance(self, rounds: int, budget: float | None = None, wait: bool = True, tick: bool = False) -> int | None:
        """Up to `rounds` rounds (or until `budget` seconds of this thread's CPU time pass), then one evaluation;
        stops on NaN or at the end. Returns the rounds trained, or None (nothing done) when `wait` is false and
        another thread holds the session, or when a `tick` finds the run paused once it holds the session (a tick
        that saw it playing may get the session only after Pause has been handled and the page drawn)."""
        if not self.lock.acquire(blocking=wait):
            return None
        try:
            if tick and not self.playing:
                return None
            t0 = time.perf_counter()
            with STREAM_LOCK, torch.random.fork_rng(devices=[]):
                self.waited = time.perf_counter() - t0
                torch.set_rng_state(self.torch_rng)
                done = self._rounds(rounds, budget)
                self.torch_rng = torch.get_rng_state()
            self.measure()
            return done
        finally:
            self.lock.release()

    def locked(self, fn):
        """`fn` run while holding the session (for callables that run later in another thread: downloads)."""

        def run(*args, **kwargs):
            with self.lock:
                return fn(*args, **kwargs)

        return run

    def _rounds(self, rounds: int, budget: float | None) -> int:
        t0 = time.thread_time()
        done = 0
        for _ in range(rounds):
            if self.trainer.step >= self.cfg.steps:
                self.playing = False
                break
            values = self.trainer.round()
            if not all(math.isfinite(v) for v in values):
                self.playing = False
                self.error = f"step {self.trainer.step}: a loss or gradient norm became non-finite; training stopped."
                break
            self.log.append(dict(zip(LOG_FIELDS, [self.trainer.step, *values, 0.0], strict=True)))
            done += 1
            if budget is not None and time.thread_time() - t0 > budget:
                break
        return done


def session(key: str, cfg: dict) -> Session | None:
    """This page's Session, rebuilt when the configuration changes or Reset is pressed; None on bad input."""
    old = st.session_state.get(key)
    if old is not None and old.cfg_in == cfg and not st.session_state.pop(f"{key}_reset", False):
        return old
    try:
        s = Session(cfg)
    except (InputError, DataError) as err:
        st.warning(controls.plain(f"Cannot train this configuration: {err}"))
        return None
    st.session_state[key] = s
    return s


def buttons(key: str, s: Session, step_rounds: int) -> None:
    """Play/pause, step and reset (the progress bar is drawn with the live part)."""
    play, step, reset = st.columns([1, 1, 1, 4])[:3]
    if play.button("⏸ Pause" if s.playing else "▶ Play", key=f"{key}_play", disabled=s.error is not None):
        s.playing = not s.playing
        st.rerun()
    if step.button(f"Step {step_rounds}", key=f"{key}_step", disabled=s.playing or s.error is not None):
        s.advance(step_rounds)
    if reset.button("↺ Reset", key=f"{key}_reset_button"):
        st.session_state[f"{key}_reset"] = True
        st.rerun()


def show_run(s: Session, name: str, make, summary: str, views: dict) -> None:
    """A live run's views (key → ui.xychart.XYChart, drawn by the browser) and summary, with the figure (matplotlib
    `make`) as PNG/SVG and its metrics and per-round log as CSV downloads (made on click, in another thread: under
    the session's lock)."""
    data = {
        f"{name}-metrics.csv": lambda: export.to_csv(list(s.metrics[0]), [r.values() for r in s.metrics]),
        f"{name}-losses-per-round.csv": lambda: export.to_csv(list(LOG_FIELDS), [r.values() for r in s.log]),
    }
    live_charts.show(s, views)
    st.caption(summary)
    export.downloads(s.locked(make), name, {k: s.locked(f) for k, f in data.items()})


def busy_note(waited: float, waiting: int) -> str | None:
    """A line for a playing run that had to wait its turn (more than one tick's training budget), else None."""
    if waited <= BUDGET:
        return None
    others = f"{waiting} other {'runs wait' if waiting != 1 else 'run waits'}" if waiting else "other runs trained"
    return (
        f"The server is busy: this run waited {waited:.1f} s for its turn ({others}); every playing run trains "
        f"in turn, {BUDGET:g} s at a time, so all of them advance."
    )


def run_live(key: str, s: Session, draw, rounds_per_tick: int) -> None:
    """Draw the session now and, while playing, train and redraw every TICK seconds (fragment reruns only).
    A run that finds the session busy in another thread trains nothing and draws the state that thread leaves."""

    @st.fragment(run_every=TICK if s.playing else None)
    def live():
        if s.playing:
            s.advance(rounds_per_tick, BUDGET, wait=False, tick=True)
            if not s.playing:  # finished or stopped: a full rerun turns the timer off and updates the buttons
                st.rerun()
        with s.lock:
            if s.metrics[-1]["step"] != s.trainer.step:  # defensive: a run stopped between training and evaluating
                s.measure()
            st.progress(min(1.0, s.trainer.step / s.cfg.steps), text=f"round {s.trainer.step} of {s.cfg.steps}")
            if s.error:
                st.error(s.error)
            if s.playing and (note := busy_note(s.waited, STREAM_LOCK.waiting)):
                st.caption(note)
            draw(s)

    with s.lock:  # a full script run: the browser's charts may be fresh, so they get the whole history
        live_charts.send_all(s)
    live()


@dataclass(frozen=True)
class Limit:
    """A training control's slider: [low, high] in steps of `step`; `cap` says why high is lower than the torch
    backend allows (shown next to the control)."""

    low: float
    high: float
    step: float
    cap: str | None = None

    @property
    def help(self) -> str | None:
        return None if self.cap is None else f"max {self.high:g}: {self.cap}"


SHARED = "keeps a shared server responsive (bench/bench_limits.py)"
# The one table of the training pages' slider ranges; `tick_*` is "rounds per update while playing", also the
# rounds of one Step, per page.
LIMITS = {
    "lr": Limit(1e-4, 1e-2, 1e-4),
    "d_steps": Limit(1, 10, 1),
    "batch": Limit(8, 512, 8),
    "batch_images": Limit(8, 256, 8, SHARED),
    "steps": Limit(100, 20000, 100),
    # one Step at the largest batch and discriminator steps: ≈ 33 / 40 / 86 ms a round (bench_limits, 2 cores)
    "tick_1d": Limit(10, 150, 10, SHARED),
    "tick_2d": Limit(10, 150, 10, SHARED),
    "tick_images": Limit(1, 50, 1, SHARED),
}


def limited(key: str, label: str, default, limit: str | None = None, **kw):
    """The slider of a training control, over its range in LIMITS (`limit` names the row when it is not the key),
    with the cap, if any, as its help text."""
    lim = LIMITS[limit or key]
    return controls.slider(key, label, lim.low, lim.high, default, lim.step, help=lim.help, **kw)


def training_controls(defaults: dict, batch: str = "batch") -> dict:
    """Loss, regularizer, optimizer and schedule of a torch run, bound to the URL like every control; `batch` names
    the LIMITS row of the batch size."""
    from dynamics.dirac.objectives import LOSSES, REGULARIZERS
    from ui import dirac

    cfg = {
        "loss": controls.select("loss", "Loss", LOSSES, defaults.get("loss", "gan"), fmt=dirac.loss_title),
        "reg": controls.select("reg", "Regularizer", REGULARIZERS, defaults.get("reg", "none"), fmt=dirac.reg_title),
    }
    used = dirac.used_names(cfg["loss"], cfg["reg"])
    for key, value in (
        ("gamma", controls.slider("gamma", "γ (regularizer weight)", 0.0, 20.0, 10.0, 0.5, show="gamma" in used)),
        ("sigma", controls.slider("sigma", "σ (instance noise)", 0.01, 2.0, 0.1, 0.01, show="sigma" in used)),
    ):
        if key in used:
            cfg[key] = value
    cfg["optimizer"] = controls.select("optimizer", "Optimizer", TORCH_OPTIMIZERS, defaults.get("optimizer", "adam"))
    cfg["lr"] = limited("lr", "learning rate", defaults.get("lr", 1e-3), format="%.4f")
    cfg["d_steps"] = limited("d_steps", "discriminator steps per round", 1)
    cfg["batch"] = limited("batch", "batch size", defaults.get("batch", 64), batch)
    cfg["steps"] = limited("steps", "rounds in the run", defaults.get("steps", 3000))
    cfg["seed"] = controls.number("seed", "random seed", 0, 9999, 0)
    if cfg["optimizer"] == "extragradient":
        cfg["d_steps"] = 1
    return cfg


KSTEPS = tuple((loss, k) for loss in ("gan", "nsgan", "loss-sensitive") for k in (1, 3, 5))  # the runs, in order


@st.cache_data(show_spinner=False)
def k_steps_run(loss: str, k: int, data: str = "digits", steps: int = 300) -> dict:
    """One run of the k-steps experiment (the check of docs/README_torch.md, on the Trainer directly: no run
    directory): the median and minimum generator gradient norm over the last third of `steps` rounds with k
    discriminator steps per round, and the seconds it took. The Trainer seeds and draws from torch's global stream,
    so the run holds STREAM_LOCK (on a copy of the stream): live sessions wait for it, a few seconds."""
    t0 = time.perf_counter()
    with STREAM_LOCK, torch.random.fork_rng(devices=[]):
        torch.set_num_threads(1)
        trainer = Trainer(TrainConfig(data=data, loss=loss, d_steps=k, steps=steps, device="cpu"), load(data))
        norms = [trainer.round()[3] for _ in range(steps)][-steps // 3 :]
    median, least = float(np.median(norms)), float(np.min(norms))
    return {"loss": loss, "k": k, "median": median, "min": least, "seconds": time.perf_counter() - t0}


@st.cache_data(show_spinner=False)
def metric_after(cfg: dict, rounds: int, name: str) -> float:
    """A metric of a fresh run of `cfg` after `rounds` rounds (the answer of a training exercise)."""
    s = Session(cfg)
    s.advance(rounds)
    return float(s.latest[0][name])
