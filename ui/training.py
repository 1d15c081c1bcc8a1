"""Live training on a page: one models.trainer.Trainer per session, advanced by a fragment while playing.

Play / pause / step / reset are buttons; while playing, `st.fragment(run_every=...)` reruns only the training
part of the page, a few rounds at a time, so the rest of the page stays responsive.
"""

from __future__ import annotations

import math
import time

import numpy as np
import streamlit as st
import torch

from dynamics.contracts import InputError
from dynamics.palette import OKABE_ITO
from models.config import TORCH_OPTIMIZERS, TrainConfig
from models.data import DataError, load
from models.evaluate import evaluate
from models.trainer import LOG_FIELDS, Trainer
from ui import controls, export

TICK = 0.5  # seconds between fragment reruns while playing
BUDGET = 0.25  # seconds of training per tick


class Session:
    """A trainer, its loss log and its metric history. Each session keeps its own copy of torch's random stream,
    so sessions (and exercise answers) that train one after the other do not change each other's runs; two
    sessions training at the same moment still share torch's global stream (the Trainer draws from it)."""

    def __init__(self, cfg: dict):
        self.cfg_in = dict(cfg)  # as the page built it: a different one means a fresh run
        self.cfg = TrainConfig.from_mapping(cfg)
        self.data = load(self.cfg.data)
        torch.set_num_threads(1)  # small nets on a shared CPU: one thread was faster on every page (2.9 vs 176 ms)
        with torch.random.fork_rng(devices=[]):  # the Trainer seeds torch's global stream: keep a private copy
            self.trainer = Trainer(self.cfg, self.data)
            self.torch_rng = torch.get_rng_state()
        self.log: list[dict] = []
        self.metrics: list[dict] = []
        self.latest = None  # (metrics, samples, 1-D D curve)
        self.playing = False
        self.error: str | None = None
        self.measure()

    def measure(self):
        m, x, curve = evaluate(self.trainer.G, self.trainer.D, self.data, self.cfg, self.trainer.device, "runs/.cache")
        self.metrics.append({"step": self.trainer.step, **m})
        self.latest = (m, x.numpy(), curve)

    def advance(self, rounds: int, budget: float | None = None) -> None:
        """Up to `rounds` rounds (or until `budget` seconds pass), then one evaluation; stops on NaN or at the end."""
        with torch.random.fork_rng(devices=[]):
            torch.set_rng_state(self.torch_rng)
            self._rounds(rounds, budget)
            self.torch_rng = torch.get_rng_state()
        self.measure()

    def _rounds(self, rounds: int, budget: float | None) -> None:
        t0 = time.perf_counter()
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
            if budget is not None and time.perf_counter() - t0 > budget:
                break


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


def metric_history(
    ax, s: Session, metric: str, label: str, fraction: str, fraction_label: str, legends=("upper left", "lower right")
):
    """A run's metric over rounds (solid, circles) with a fraction in [0, 1] on a twin axis (dashed, squares)."""
    steps = [r["step"] for r in s.metrics]
    ax.plot(steps, [r[metric] for r in s.metrics], "-o", ms=3, color=OKABE_ITO[0], label=label)
    ax.set_xlabel("round")
    ax.set_ylabel(label)
    twin = ax.twinx()
    twin.plot(steps, [r[fraction] for r in s.metrics], "--s", ms=3, color=OKABE_ITO[2], label=fraction_label)
    twin.set_ylim(-0.02, 1.02)
    twin.set_ylabel(fraction_label)
    ax.legend(loc=legends[0], fontsize=8)
    twin.legend(loc=legends[1], fontsize=8)


def show_run(s: Session, name: str, make, summary: str) -> None:
    """A live run's figure and summary, with its metrics and its per-round log as CSV downloads."""
    data = {
        f"{name}-metrics.csv": lambda: export.to_csv(list(s.metrics[0]), [r.values() for r in s.metrics]),
        f"{name}-log.csv": lambda: export.to_csv(list(LOG_FIELDS), [r.values() for r in s.log]),
    }
    export.show_figure(export.figure_bytes(make()), make, name, summary, data)


def run_live(key: str, s: Session, draw, rounds_per_tick: int) -> None:
    """Draw the session now and, while playing, train and redraw every TICK seconds (fragment reruns only)."""

    @st.fragment(run_every=TICK if s.playing else None)
    def live():
        if s.playing:
            s.advance(rounds_per_tick, BUDGET)
            if not s.playing:  # finished or stopped: a full rerun turns the timer off and updates the buttons
                st.rerun()
        elif s.metrics[-1]["step"] != s.trainer.step:  # a pause arrived between training and evaluating
            s.measure()
        st.progress(min(1.0, s.trainer.step / s.cfg.steps), text=f"round {s.trainer.step} of {s.cfg.steps}")
        if s.error:
            st.error(s.error)
        draw(s)

    live()


def training_controls(defaults: dict) -> dict:
    """Loss, regularizer, optimizer and schedule of a torch run, bound to the URL like every control."""
    from dynamics.dirac.objectives import LOSSES, REGULARIZERS
    from ui import dirac

    cfg = {
        "loss": controls.select("loss", "Loss", LOSSES, defaults.get("loss", "gan"), fmt=dirac.loss_title),
        "reg": controls.select("reg", "Regularizer", REGULARIZERS, defaults.get("reg", "none"), fmt=dirac.reg_title),
    }
    used = dirac.used_names(cfg["loss"], cfg["reg"])
    if "gamma" in used:
        cfg["gamma"] = controls.slider("gamma", "γ (regularizer weight)", 0.0, 20.0, 10.0, 0.5)
    if "sigma" in used:
        cfg["sigma"] = controls.slider("sigma", "σ (instance noise)", 0.01, 2.0, 0.1, 0.01)
    cfg["optimizer"] = controls.select("optimizer", "Optimizer", TORCH_OPTIMIZERS, defaults.get("optimizer", "adam"))
    lr = defaults.get("lr", 1e-3)
    cfg["lr"] = controls.slider("lr", "learning rate", 1e-4, 1e-2, lr, 1e-4, format="%.4f")
    cfg["d_steps"] = controls.slider("d_steps", "discriminator steps per round", 1, 10, 1)
    cfg["batch"] = controls.slider("batch", "batch size", 8, 512, defaults.get("batch", 64), 8)
    cfg["steps"] = controls.slider("steps", "rounds in the run", 100, 20000, defaults.get("steps", 3000), 100)
    cfg["seed"] = controls.number("seed", "random seed", 0, 9999, 0)
    if cfg["optimizer"] == "extragradient":
        cfg["d_steps"] = 1
    return cfg


@st.cache_data(show_spinner=False)
def d_steps_experiment(data: str = "digits", ks=(1, 3, 5), losses=("gan", "nsgan", "loss-sensitive"), steps=300):
    """Median and minimum generator gradient norm over the last third of `steps` rounds, for k discriminator
    steps per round (the check of docs/README_torch.md, on the Trainer directly: no run directory)."""
    torch.set_num_threads(1)
    d = load(data)
    rows = []
    for loss in losses:
        for k in ks:
            trainer = Trainer(TrainConfig(data=data, loss=loss, d_steps=k, steps=steps, device="cpu"), d)
            norms = [trainer.round()[3] for _ in range(steps)][-steps // 3 :]
            rows.append({"loss": loss, "k": k, "median": float(np.median(norms)), "min": float(np.min(norms))})
    return rows


@st.cache_data(show_spinner=False)
def metric_after(cfg: dict, rounds: int, name: str) -> float:
    """A metric of a fresh run of `cfg` after `rounds` rounds (the answer of a training exercise)."""
    s = Session(cfg)
    s.advance(rounds)
    return float(s.latest[0][name])
