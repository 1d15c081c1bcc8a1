"""Figures the browser draws: the phase plane as a Streamlit custom component (st.components.v2, the <canvas>
code in ui/charts.js, no build step). Python computes and sends arrays (a typed `PhaseChart`, as JSON); the
browser draws them, plays dots along the trajectories, shows one round in slow motion, reads out values under
the pointer, and sends a click on the plane back as a trigger value (`added=θ:ψ;…` in the URL).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, fields, is_dataclass
from pathlib import Path

import numpy as np
import streamlit as st

from dynamics.dirac.field import Objective
from dynamics.dirac.plotting import MAX_LINES, WIDEN, WINDOW, View
from dynamics.dirac.status import STATUS, STATUSES
from dynamics.dirac.trajectories import Run
from ui import controls, export

SAMPLES = 400  # points per trajectory sent to the browser: every stride-th round, the last one always
FIELD_N = 21  # arrows per side of the field grid
MAX_ADDED = 16  # starts a student may add by clicking
# The plane a click may add a start in: the default window widened as far as any view widens it.
ADDED_BOUND = WIDEN * max(abs(w) for w in WINDOW)
JS = (Path(__file__).with_name("charts.js")).read_text()
CSS = """
.gdl-chart { font: 12px sans-serif; color: var(--st-text-color, #222); }
.gdl-bar { display: flex; flex-wrap: wrap; gap: 6px 10px; align-items: center; margin: 4px 0; }
.gdl-bar button { font: inherit; padding: 2px 8px; border: 1px solid #999; border-radius: 4px;
  background: var(--st-background-color, #fff); color: inherit; cursor: pointer; }
.gdl-bar button:disabled { opacity: 0.5; cursor: default; }
.gdl-chart canvas { display: block; width: 100%; cursor: crosshair; touch-action: none; }
.gdl-readout { min-height: 2.6em; font-variant-numeric: tabular-nums; }
.gdl-legend { display: flex; flex-wrap: wrap; gap: 2px 14px; margin: 2px 0 0 54px; }
.gdl-legend-item { display: inline-flex; align-items: center; gap: 4px; }
"""
HTML = '<div class="gdl-chart"></div>'


def dash_pattern(style) -> tuple[float, ...]:
    """A matplotlib line style as a canvas dash pattern in units of the line width."""
    named = {"-": (), "--": (4, 2.5), "-.": (5, 2, 1, 2), ":": (1, 2)}
    if isinstance(style, str):
        return named[style]
    return tuple(float(x) for x in style[1])


@dataclass(frozen=True)
class LineStyle:
    """How the browser draws one status: Okabe–Ito colour, dash pattern (× line width), end marker."""

    color: str
    dash: tuple[float, ...]
    marker: str


STYLES = {s.name: LineStyle(s.color, dash_pattern(s.linestyle), s.marker) for s in STATUS}


@dataclass(frozen=True)
class Trajectory:
    """One discrete run as sent: round k of each sample, its point, the field v there, and the run's status."""

    status: str
    k: np.ndarray
    theta: np.ndarray
    psi: np.ndarray
    u: np.ndarray
    v: np.ndarray


@dataclass(frozen=True)
class SlowMotion:
    """Every round of the first run, split for the slow-motion view: the generator moves θ_k → θ_{k+1} (ψ held),
    then the discriminator moves ψ_k → ψ_{k+1}. (u, v) is the field at each point; (du, dv) the field where the
    discriminator's step starts, (θ_{k+1}, ψ_k) when alternating and (θ_k, ψ_k) when simultaneous."""

    scheme: str
    theta: np.ndarray
    psi: np.ndarray
    u: np.ndarray
    v: np.ndarray
    du: np.ndarray
    dv: np.ndarray


@dataclass(frozen=True)
class Field:
    """The field v = (u, v) on a grid: u[j·n + i] at (theta[i], psi[j])."""

    theta: np.ndarray
    psi: np.ndarray
    u: np.ndarray
    v: np.ndarray


@dataclass(frozen=True)
class Basins:
    """The status of each of n×n starts (a basin map), as indices into `statuses`, row-major in ψ then θ."""

    n: int
    window: tuple[float, float, float, float]
    codes: np.ndarray


@dataclass(frozen=True)
class PhaseChart:
    """Everything the browser needs to draw, animate and read out one phase portrait."""

    title: str
    window: tuple[float, float, float, float]
    field: Field
    trajectories: tuple[Trajectory, ...]
    slow: SlowMotion | None
    basins: Basins | None
    flows: tuple[np.ndarray, ...]
    statuses: tuple[str, ...]
    styles: dict[str, LineStyle]
    clickable: bool

    def to_json(self) -> str:
        return payload_json("phase", self)


def payload_json(kind: str, chart) -> str:
    """Compact JSON, `kind` first (ui/charts.js picks the drawing by it): arrays with 6 significant digits,
    non-finite numbers as null."""
    return '{"kind":' + json.dumps(kind) + "," + _encode(chart)[1:]


_six = "{:.6g}".format


def _encode(obj) -> str:
    """JSON of dataclasses, dicts, sequences, numbers and strings; numpy arrays formatted in one join (a per-number
    Python round trip cost a third of a move on the Lipschitz page)."""
    if is_dataclass(obj):
        obj = {f.name: getattr(obj, f.name) for f in fields(obj)}
    if isinstance(obj, np.ndarray):
        if obj.ndim > 1:
            return _encode(list(obj))
        text = ",".join(map(_six, obj.astype(float).tolist()))
        return "[" + text.replace("-inf", "null").replace("inf", "null").replace("nan", "null") + "]"
    if isinstance(obj, dict):
        return "{" + ",".join(json.dumps(str(k)) + ":" + _encode(v) for k, v in obj.items()) + "}"
    if isinstance(obj, (list, tuple)):
        return "[" + ",".join(_encode(v) for v in obj) + "]"
    if isinstance(obj, (float, np.floating)):
        return json.dumps(float(obj)) if math.isfinite(obj) else "null"
    if isinstance(obj, np.integer):
        return str(int(obj))
    return json.dumps(obj)


def field_grid(obj: Objective, window, n: int = FIELD_N) -> Field:
    th, ps = np.linspace(window[0], window[1], n), np.linspace(window[2], window[3], n)
    with np.errstate(all="ignore"):
        u, v = obj.field(*np.meshgrid(th, ps))
    return Field(th, ps, u.ravel(), v.ravel())


def sampled(obj: Objective, path: np.ndarray, status: str, samples: int = SAMPLES) -> Trajectory:
    """A path of k + 1 points cut to at most `samples` + 1 (every stride-th round and the last)."""
    stride = max(1, math.ceil((len(path) - 1) / samples))
    k = np.unique(np.r_[np.arange(0, len(path), stride), len(path) - 1])
    with np.errstate(all="ignore"):
        w = obj.vector(path[k])
    return Trajectory(status, k, path[k, 0], path[k, 1], w[:, 0], w[:, 1])


def slow_motion(obj: Objective, path: np.ndarray, scheme: str) -> SlowMotion:
    with np.errstate(all="ignore"):
        w = obj.vector(path)
        start = np.stack([path[1:, 0] if scheme == "alt" else path[:-1, 0], path[:-1, 1]], axis=-1)
        d = obj.vector(start) if len(start) else np.zeros((0, 2))
    return SlowMotion(scheme, path[:, 0], path[:, 1], w[:, 0], w[:, 1], d[:, 0], d[:, 1])


def phase_chart(
    obj: Objective, run: Run | None, view: View, scheme: str, grid_n: int | None = None, flows=(), clickable=True
) -> PhaseChart:
    """The payload of a phase portrait: field in the view's window, the first MAX_LINES runs (or the basin map of
    a start grid), the h → 0 flows, and the first run round by round for slow motion."""
    paths = [] if run is None or run.path is None or grid_n else run.paths()[:MAX_LINES]
    basins = None
    if grid_n and run is not None:
        code = {s: i for i, s in enumerate(STATUSES)}
        basins = Basins(grid_n, WINDOW, np.array([code[s] for s in run.status]))
    return PhaseChart(
        title=obj.title,
        window=view.window,
        field=field_grid(obj, view.window),
        trajectories=tuple(sampled(obj, p, str(run.status[i])) for i, p in enumerate(paths)),
        slow=slow_motion(obj, paths[0], scheme) if paths else None,
        basins=basins,
        flows=tuple(np.asarray(f) for f in flows),
        statuses=STATUSES,
        styles=STYLES,
        clickable=clickable,
    )


def parse_added(text: str) -> str:
    """'θ:ψ;θ:ψ;…' → the same list written canonically; ValueError naming the first bad entry."""
    points = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        try:
            th, ps = (float(x) for x in part.split(":"))
        except ValueError:
            raise ValueError(f"{part!r} is not θ:ψ") from None
        if not all(math.isfinite(x) and abs(x) <= ADDED_BOUND for x in (th, ps)):
            raise ValueError(f"{part!r} is outside [-{ADDED_BOUND:g}, {ADDED_BOUND:g}]²")
        points.append(f"{th:.4g}:{ps:.4g}")
    if len(points) > MAX_ADDED:
        raise ValueError(f"{len(points)} starts, at most {MAX_ADDED}")
    return ";".join(points)


def added_points(text: str) -> np.ndarray:
    """The starts of an `added` text (already canonical) as an (n, 2) array."""
    pairs = [[float(x) for x in p.split(":")] for p in text.split(";") if p]
    return np.array(pairs, float).reshape(-1, 2)


def added_control(show: bool = True) -> np.ndarray:
    """Starts added by clicks on the phase plane, bound to the URL as `added=θ:ψ;…` like every control (checked on
    load: a bad value is warned about and dropped). No widget: the chart sets it, 'clear' empties it."""
    allowed = f"up to {MAX_ADDED} points θ:ψ separated by ';', each coordinate in [-{ADDED_BOUND:g}, {ADDED_BOUND:g}]"
    text = controls.state("added", "starts added by clicking the plane", "", parse_added, allowed, show=show)
    return added_points(text or "")


def with_added(starts: np.ndarray, grid_n: int | None) -> np.ndarray:
    """The page's starts followed by those added by clicking (none on a basin map: its starts are the grid)."""
    added = added_points(st.session_state.get("added", ""))
    return starts if grid_n or not len(added) else np.vstack([starts, added])


def add_start(key: str) -> None:
    """Callback of a click on the plane: append the clicked (θ, ψ) to `added` (the oldest goes past MAX_ADDED)."""
    click = st.session_state[key].get("click")
    if not click:
        return
    try:
        th, ps = float(click["theta"]), float(click["psi"])
    except (KeyError, TypeError, ValueError):
        return
    if not all(math.isfinite(x) and abs(x) <= ADDED_BOUND for x in (th, ps)):
        return
    old = [p for p in st.session_state.get("added", "").split(";") if p]
    controls.set_state("added", ";".join([*old, f"{th:.4g}:{ps:.4g}"][-MAX_ADDED:]))


def clear_added() -> None:
    controls.set_state("added", "")


# Streamlit sends a component's code with every element it draws (35 kB here), so a page of three charts would
# carry it three times a run and a chart a fragment redraws five times a second five times a second. Each chart
# carries a stub instead, which draws with the code that one `gdl_charts_code` element per full run (`load_code`,
# from the router) put on `window.gdlCharts`.
LOADER_JS = JS.replace("export default function (component)", "function render(component)") + (
    "\nwindow.gdlCharts = render;\nexport default function () {}\n"
)
STUB_JS = """export default function (component) {
  let stop = null, gone = false;
  const run = () => {
    if (gone) return;
    if (window.gdlCharts) stop = window.gdlCharts(component);
    else setTimeout(run, 20);
  };
  run();
  return () => { gone = true; if (stop) stop(); };
}
"""
_loader = st.components.v2.component("gdl_charts_code", html="", js=LOADER_JS)
_chart = st.components.v2.component("gdl_chart", html=HTML, css=CSS, js=STUB_JS)


def load_code() -> None:
    """Put the chart code on the page (in the sidebar, out of the main area's figures): app.py calls it once per
    full run, before the page, so that every chart's stub finds it."""
    with st.sidebar:
        _loader(key="gdl_charts_code")


def show_phase(payload: str, key: str = "phase_chart", height="content"):
    """Mount the phase chart with a JSON payload (from `PhaseChart.to_json`, usually cached)."""
    return _chart(data=payload, key=key, height=height, on_click_change=lambda: add_start(key))


def show_figure(payload: str, key: str, make, name: str, summary: str, data: dict, on_click=None) -> None:
    """An XYChart drawn by the browser, its summary, and the downloads of ui.export (PNG/SVG drawn with matplotlib
    by `make` only when clicked)."""
    show_xy(payload, key, on_click)
    st.caption(summary)
    export.downloads(make, name, data)


def clicked_points(click) -> list[tuple[float, float]]:
    """The points of an XYChart's click trigger ({points: [[x, y]]}, two for a drag); [] for anything else (the
    browser's message is untrusted)."""
    try:
        points = [(float(x), float(y)) for x, y in click["points"]]
    except (KeyError, TypeError, ValueError):
        return []
    ok = 1 <= len(points) <= 2 and all(math.isfinite(v) for p in points for v in p)
    return points if ok else []


def show_xy(payload: str, key: str, on_click=None, on_gap=None):
    """Mount an XYChart (its JSON); `on_click(points)` runs when the chart is clickable and clicked (one point)
    or dragged (two: start, end); `on_gap()` when a streamed chart missed points (ui.live_charts)."""

    def clicked():
        points = clicked_points(st.session_state[key].get("click"))
        if on_click and points:
            on_click(points)

    def gap():
        if on_gap:
            on_gap()

    return _chart(data=payload, key=key, height="content", on_click_change=clicked, on_gap_change=gap)


def show_grid(payloads: list[str], key: str, captions: list[str] = (), per_row: int = 3) -> None:
    """Charts (phase or XY payloads) in rows of `per_row` columns, keyed `key`_0, `key`_1, …, each with its caption
    when given."""
    per_row = max(1, min(per_row, len(payloads)))
    for row in range(0, len(payloads), per_row):
        for i, col in zip(range(row, min(row + per_row, len(payloads))), st.columns(per_row), strict=False):
            with col:
                _chart(data=payloads[i], key=f"{key}_{i}", height="content")
                if i < len(captions):
                    st.caption(captions[i])
