"""A convergence map: a grid of GANs trained at once (engine), judged (classify) and set beside the core's
prediction (grid); timed against training the same GANs one by one; saved and loaded as JSON.

`compute` trains the grid's cells in `chunks` pieces, locally (one vectorized call per chunk) or as Ray tasks
(models.convergence.distributed, imported only then). Every cell draws its random numbers from its own seed,
so the chunks and the backend do not change the result. `sequential_seconds` times `sample` cells (spread
over the grid) trained one by one with the same code unvectorized, scaled to the whole grid.
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from models.convergence import classify, effective, grid
from models.convergence.engine import Setup, Trace, train

SAVED = Path(__file__).parent / "saved"  # the maps shipped with the repository (JSON)
JSON_NAMES = dict(
    zip(
        effective.NAMES,
        ("psi_eff", "curvature", "d_offset", "theta_eff", "spread", "gain_g", "gain_d", "gain_offset"),
        strict=True,
    )
)


@dataclass(frozen=True)
class ConvergenceMap:
    """Observed and predicted convergence on a grid, arrays indexed [γ (or σ) row, h column]."""

    setup: Setup
    lr: np.ndarray
    param: np.ndarray
    critical: np.ndarray  # the core's h*(param) per row (NaN where none)
    radius: np.ndarray  # the core's spectral radius per cell
    predicted: np.ndarray  # radius < 1
    status: np.ndarray  # classify's status per cell
    distance: np.ndarray  # the peak distance over the last quarter, per cell
    seconds: float  # training the grid (all cells), wall clock
    sequential_seconds: float | None  # one by one, scaled up from `sample` cells
    sample: int
    sample_same: float | None  # fraction of the sampled cells with the same status one by one as together
    backend: str  # "vectorized" or "ray"
    chunks: int
    note: str
    start: np.ndarray | None = None  # effective.NAMES of every cell before training, (rows, cols, 8); None: not read
    end: np.ndarray | None = None  # the same after training
    corrected_radius: np.ndarray | None = None  # the core's ρ at the end's effective rates (h·gain_G, h·gain_D)
    start_radius: np.ndarray | None = None  # the core's ρ at the start's effective rates: a prediction before training

    @property
    def observed(self) -> np.ndarray:
        return classify.observed(self.status)

    @property
    def agreement(self) -> float:
        return float(np.mean(self.observed == self.predicted))

    @property
    def gans(self) -> int:
        return int(self.status.size)

    def effective(self, name: str, when: str = "end") -> np.ndarray:
        """One effective Dirac-GAN parameter (effective.NAMES) of every cell, before ('start') or after training."""
        return getattr(self, when)[..., effective.NAMES.index(name)]

    @property
    def corrected(self) -> np.ndarray:
        """The core's verdict at the networks' own effective rates: ρ < 1 (False where a run has no finite end)."""
        with np.errstate(invalid="ignore"):
            return self.corrected_radius < 1

    @property
    def agreement_corrected(self) -> float:
        return float(np.mean(self.observed == self.corrected))

    @property
    def agreement_start(self) -> float:
        """Agreement of the map with the core at the start's effective rates (a prediction before training)."""
        with np.errstate(invalid="ignore"):
            return float(np.mean(self.observed == (self.start_radius < 1)))

    def why(self) -> str | None:
        """One sentence on why the map parts from the prediction, from the effective parameters (module
        effective): the runs that converge beyond the core's boundary and are stable at their own end rates, the
        runs that fail inside it and are unstable at their start rates, and D's bend over the samples. None for
        the Dirac-GAN (its gains are 1), without effective parameters or where map and prediction agree everywhere."""
        if self.setup.family == "dirac" or self.end is None or self.agreement == 1.0:
            return None
        obs, pred = self.observed, self.predicted
        late, early = obs & ~pred, pred & ~obs
        median = lambda a: float(np.median(a)) if a.size else float("nan")  # noqa: E731
        sym, rate = "γ" if self.setup.param == "gamma" else "σ", self.lr * self.param[:, None]
        parts = [
            f"Why: a network moves G's mean θ at h·gain_G and D's slope ψ at h·gain_D, not at h as the Dirac-GAN "
            f"(at the start gain_G ≈ {median(self.effective('gain_g', 'start')):.2g}, "
            f"gain_D ≈ {median(self.effective('gain_d', 'start')):.2g})"
        ]
        if late.any():
            gain_d = self.effective("gain_d")
            step = f"h·gain_D·{sym} = {median((rate * gain_d)[late]):.2g}, not h·{sym} = {median(rate[late]):.2g}"
            parts.append(
                f"{int((late & self.corrected).sum())} of the {int(late.sum())} runs that converge beyond the core's "
                f"boundary are stable at their own end rates (there gain_D ≈ {median(gain_d[late]):.2g}: {step})"
            )
        if early.any():
            unstable = early & ~(self.start_radius < 1)
            parts.append(
                f"{int(unstable.sum())} of the {int(early.sum())} runs that fail inside it are already unstable at "
                "their start rates"
            )
        bend = np.abs(self.effective("curvature")) * self.effective("spread")
        text = f"D's slope changes across G's samples by a median |D''|·spread = {median(bend[obs & pred]):.1g}"
        parts.append(
            text + (f" where both converge, {median(bend[late]):.1g} beyond the boundary" if late.any() else "")
        )
        return "; ".join(parts) + "."

    def disagreements(self) -> list[tuple[float, float, str, float]]:
        """(param, h, observed status, predicted spectral radius) of each cell where map and core part."""
        rows, cols = np.nonzero(self.observed != self.predicted)
        cells = zip(rows, cols, strict=True)
        return [(self.param[i], self.lr[j], str(self.status[i, j]), self.radius[i, j]) for i, j in cells]

    def counts(self) -> dict[str, int]:
        """How many cells fall in each class of the map (converged, cycling, diverged)."""
        names = [classify.map_class(s) for s in self.status.ravel()]
        return {cls: names.count(cls) for cls in classify.CLASSES}

    def to_json(self) -> dict:
        """The issue's keys (lr, gamma, predicted, observed, status, agreement, gans, seconds,
        sequential_seconds) and the rest; `gamma` holds σ for instance noise (named by `param`)."""
        s = self.setup
        return {
            "lr": self.lr,
            "gamma": self.param,
            "predicted": self.predicted,
            "observed": self.observed,
            "status": self.status,
            "agreement": self.agreement,
            "gans": self.gans,
            "seconds": self.seconds,
            "sequential_seconds": self.sequential_seconds,
            "param": s.param,
            "setup": dataclasses.asdict(s),
            "critical_lr": self.critical,
            "spectral_radius": self.radius,
            "distance": self.distance,
            "classes": self.counts(),
            "disagreements": [
                dict(zip((s.param, "lr", "status", "radius"), d, strict=True)) for d in self.disagreements()
            ],
            "sequential_sample": self.sample,
            "sequential_same_status": self.sample_same,
            "speedup": None if not self.sequential_seconds else self.sequential_seconds / self.seconds,
            "backend": self.backend,
            "chunks": self.chunks,
            "note": self.note,
            **self._effective_json(),
        }

    def _effective_json(self) -> dict:
        """The effective Dirac-GAN parameters at the end under JSON_NAMES, the gains at the start, the corrected
        prediction and its agreement, and the sentence `why`; nothing where they were not read."""
        if self.end is None:
            return {}
        out = {key: self.effective(name) for name, key in JSON_NAMES.items()}
        out |= {f"{name}_start": self.effective(name, "start") for name in effective.NAMES[-3:]}
        return out | {
            "corrected_radius": self.corrected_radius,
            "start_radius": self.start_radius,
            "agreement_start": self.agreement_start,
            "corrected": self.corrected,
            "agreement_corrected": self.agreement_corrected,
            "why": self.why(),
        }

    @classmethod
    def from_json(cls, obj: dict) -> ConvergenceMap:
        """Back from `to_json` (a saved map). Raises KeyError/ValueError/TypeError on a malformed one."""
        floats = lambda key: np.array(obj[key], dtype=float)  # noqa: E731 - None (non-finite) becomes NaN
        return cls(
            setup=Setup(**obj["setup"]),
            lr=floats("lr"),
            param=floats("gamma"),
            critical=floats("critical_lr"),
            radius=floats("spectral_radius"),
            predicted=np.array(obj["predicted"], dtype=bool),
            status=np.array(obj["status"], dtype=str),
            distance=floats("distance"),
            seconds=float(obj["seconds"]),
            sequential_seconds=obj["sequential_seconds"],
            sample=int(obj["sequential_sample"]),
            sample_same=obj["sequential_same_status"],
            backend=str(obj["backend"]),
            chunks=int(obj["chunks"]),
            note=str(obj["note"]),
            **_effective_from_json(obj),
        )


def _effective_from_json(obj: dict) -> dict:
    """start, end, corrected_radius and start_radius of a saved map; none of them for a map saved before them."""
    if "psi_eff" not in obj:
        return {}
    floats = lambda key: np.array(obj[key], dtype=float)  # noqa: E731
    end = np.stack([floats(JSON_NAMES[name]) for name in effective.NAMES], -1)
    start = np.full(end.shape, np.nan)
    for name in effective.NAMES[-3:]:
        start[..., effective.NAMES.index(name)] = floats(f"{name}_start")
    radius = {k: floats(k) for k in ("corrected_radius", "start_radius")}
    return {"start": start, "end": end, **radius}


def cells(ax: grid.Axes) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(lr, param, index) of every cell, row by row: cell (i, j) has index i·n + j."""
    L, P = np.meshgrid(ax.lr, ax.param)
    return L.ravel(), P.ravel(), np.arange(L.size)


def split(n_cells: int, chunks: int) -> list[np.ndarray]:
    """The cell indices of each chunk: `chunks` contiguous pieces as equal as possible."""
    return [c for c in np.array_split(np.arange(n_cells), chunks) if c.size]


def compute(
    setup: Setup,
    n: int,
    lr_range=None,
    param_range=None,
    chunks: int = 1,
    ray: str | None = None,
    sample: int = 4,
    progress: Callable[[float], None] | None = None,
) -> ConvergenceMap:
    """Train the n × n grid of `setup` (locally in `chunks` vectorized calls, or as Ray tasks at address `ray`,
    'local' for a local instance), judge every cell and set the map beside the core's prediction."""
    ax = grid.axes(setup, n, lr_range, param_range)
    radius, predicted = grid.predict(setup, ax)
    lr, param, index = cells(ax)
    pieces = split(len(index), chunks)
    start = time.perf_counter()
    if ray is None:
        traces, done, total = [], 0, lr.size * setup.steps
        for piece in pieces:
            k = len(piece)
            tick = None if progress is None else (lambda t, d=done, k=k: progress((d + k * t) / total))
            traces.append(train(setup, lr[piece], param[piece], index[piece], progress=tick))
            done += len(piece) * setup.steps
    else:
        from models.convergence import distributed

        traces = distributed.train_chunks(ray, setup, [(lr[p], param[p], index[p]) for p in pieces])
    trace = Trace.concat(traces)
    seconds = time.perf_counter() - start
    status = classify.classify(trace.mean, trace.std, trace.grad, classify.RULES[setup.family], setup.target_std)
    sequential, same = (None, None) if sample <= 0 else _one_by_one(setup, lr, param, index, status, sample)
    dist = classify.distance(trace.mean, trace.std, trace.grad, setup.target_std)
    k = max(1, (dist.shape[1] - 1) // 4)
    with np.errstate(invalid="ignore"):
        peak = np.where(np.isfinite(dist).all(1), dist[:, -k:].max(1), np.inf)
    start_eff, end_eff = (e.reshape(n, n, -1) for e in (trace.start, trace.end))
    gains = lambda e: tuple(e[..., effective.NAMES.index(k)] for k in ("gain_g", "gain_d"))  # noqa: E731
    corrected, at_start = (grid.predict(setup, ax, gains(e))[0] for e in (end_eff, start_eff))
    return ConvergenceMap(
        setup,
        ax.lr,
        ax.param,
        ax.critical,
        radius,
        predicted,
        status.reshape(n, n),
        peak.reshape(n, n),
        seconds,
        None if sequential is None else sequential * len(index),
        min(sample, len(index)) if sample > 0 else 0,
        same,
        "vectorized" if ray is None else "ray",
        len(pieces),
        ax.note,
        start_eff,
        end_eff,
        corrected,
        at_start,
    )


def _one_by_one(setup, lr, param, index, status, sample) -> tuple[float, float]:
    """Seconds per GAN trained one by one (the same code without vmap, on `sample` cells spread over the grid)
    and the fraction of them whose status equals the vectorized one (rounding differs between the two kernels,
    which matters only where a run is chaotic, e.g. on its way out)."""
    pick = np.unique(np.linspace(0, len(index) - 1, min(sample, len(index))).round().astype(int))
    start = time.perf_counter()
    alone = train(setup, lr[pick], param[pick], index[pick], vectorized=False)
    per_gan = (time.perf_counter() - start) / len(pick)
    again = classify.classify(alone.mean, alone.std, alone.grad, classify.RULES[setup.family], setup.target_std)
    return per_gan, float(np.mean(again == status[pick]))


def saved_maps() -> dict[str, Path]:
    """The maps shipped in SAVED, by file stem."""
    return {p.stem: p for p in sorted(SAVED.glob("*.json"))}


def load(path: Path) -> ConvergenceMap:
    return ConvergenceMap.from_json(json.loads(Path(path).read_text()))
