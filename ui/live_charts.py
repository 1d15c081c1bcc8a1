"""The training pages' live views as charts the browser draws (ui.xychart payloads, ui/charts.js), streamed while
playing: the current curves or samples replace the old ones on every tick, the metric history only grows.

The history protocol. A Session's metric history gains one point per evaluation and never changes a point. A
history chart carries the run's id (`Session.run_id`) and `start`: its series hold history[start:], which the
browser writes over its own points from index `start` on (a repeat changes nothing). Python remembers per chart
how many points it has sent (`Session.sent`): a tick (a fragment rerun) sends the points since, and the OVERLAP
points before them again (the browser may not have seen every payload, see OVERLAP); a full script run
(a page load, a control changed, a return from another page: the browser's component may be fresh) and a new
run send all of them; and a browser that would be left with a hole (a payload it missed) draws nothing new and
answers with the trigger `gap`, after which the next payload sends all again.
"""

from __future__ import annotations

import math

import matplotlib as mpl
import numpy as np

from dynamics.palette import BLACK, BLUE, GREEN, SKY, VERMILLION
from ui import charts
from ui.charts import dash_pattern
from ui.live_figures import density_curves, heat
from ui.xychart import Heat, Rule, Series, XYChart, span

CURVE_STRIDE = 2  # every 2nd point of the evaluation's 401-point grid: 201 per curve, finer than the chart's pixels
HEAT_N = 40  # cells per side of the 2-D discriminator's heat map sent to the browser
PALETTE = tuple(mpl.colors.to_hex(c) for c in mpl.colormaps["cividis"](np.linspace(0, 1, 32)))
FRACTION = (-0.02, 1.02)  # the right axis of a fraction in [0, 1]
# History points each tick repeats from the ticks before: Streamlit's frontend hands a component only the latest of
# the payloads that arrived while it was busy (on this 2-core machine, 1 in 2 to 1 in 5 of them under a playing
# /train1d), so a tick's points alone would leave holes; 25 points cover 5 s of ticks missed.
OVERLAP = 25


def start_index(s, key: str) -> int:
    """Where chart `key`'s next payload starts in the history: OVERLAP points before the end of the last one, or 0
    (all of it) when none was sent since the last full script run or gap."""
    return max(0, min(s.sent[key], len(s.metrics)) - OVERLAP) if key in s.sent else 0


def mark_sent(s, key: str, chart: XYChart) -> None:
    """Count a streamed chart's points as sent."""
    if chart.run:
        s.sent[key] = chart.start + len(chart.series[0].x)


def send_all(s) -> None:
    """The next payload of every chart of the session sends its whole history (a full script run)."""
    s.sent.clear()


def history_chart(s, key: str, metric: str, label: str, fraction=None, include=(), rules=(), window=None) -> XYChart:
    """The run's `metric` over rounds (a line on the left axis), and a (field, label) `fraction` in [0, 1] on the
    right axis (dashed), streamed from `start_index`. The axes span the whole history (with `include`), or
    `window` on the left."""
    start = start_index(s, key)
    steps = np.array([r["step"] for r in s.metrics], float)
    values = np.array([r[metric] for r in s.metrics], float)
    series = [Series(label, steps[start:], values[start:], BLUE, stream=True)]
    if fraction is not None:
        field, flabel = fraction
        y = np.array([r[field] for r in s.metrics[start:]], float)
        series.append(Series(flabel, steps[start:], y, VERMILLION, dash=dash_pattern("--"), axis="y2", stream=True))
    return XYChart(
        f"{label} over training",
        "round",
        label,
        (0.0, max(float(steps[-1]), 1.0), *(window or span(values, include=include))),
        tuple(series),
        tuple(rules),
        aspect=0.4,
        readout="x",
        hint="Hover for the values at a round.",
        y2label=fraction[1] if fraction else "",
        window2=FRACTION if fraction else None,
        run=s.run_id,
        start=start,
    )


def density_chart(s) -> XYChart:
    """A 1-D run now: p_data, p_g, the discriminator's P(real | x) and D*(x) (right axis), read out at an x."""
    m = s.latest[0]
    c = density_curves(s, CURVE_STRIDE)
    top = float(np.nanmax(np.r_[c.p_data, c.p_g, 0.0])) or 1.0
    return XYChart(
        f"round {s.trainer.step}: JS = {m['js']:.4f}, W1 = {m['w1']:.4f}",
        "x",
        "density",
        (float(c.x[0]), float(c.x[-1]), 0.0, 1.08 * top),
        (
            Series("p_data", c.x, c.p_data, BLACK, dash=dash_pattern(":"), width=2.0),
            Series("p_g", c.x, c.p_g, GREEN, width=1.8),
            Series("D(x) = P(real | x)", c.x, c.d, BLUE, dash=dash_pattern("--"), width=1.8, axis="y2"),
            Series("D*(x)", c.x, c.d_star, VERMILLION, dash=dash_pattern("-."), width=1.5, axis="y2"),
        ),
        aspect=0.5,
        readout="x",
        hint="Hover for p_data, p_g, D and D* at an x.",
        y2label="D(x)",
        window2=FRACTION,
    )


def js_history(s, key: str) -> XYChart:
    """JS(p_data ‖ p_g) over training, with its bound log 2."""
    rule = Rule("y", math.log(2), "#999999", "log 2", dash_pattern(":"))
    return history_chart(s, key, "js", "JS (nats)", include=(0.0, math.log(2)), rules=(rule,))


def samples_chart(s) -> XYChart:
    """A 2-D run now: the discriminator's P(real | x) as a cividis heat map, the samples and the modes on it (the
    samples outlined as in dynamics.palette.ON_HEAT_MAP, so they stand out on every colour of the map)."""
    m, x, _ = s.latest
    extent, p_real = heat(s, HEAT_N)
    x = np.round(x, 3)  # a thousandth of the data's window: finer than a pixel, a third of the bytes
    return XYChart(
        f"round {s.trainer.step}: {m['modes']}/{len(s.data.centers)} modes",
        "x₁",
        "x₂",
        extent,
        (
            Series("generated", x[:, 0], x[:, 1], SKY, "points", size=2.2, edge=BLACK, edge_width=0.5),
            Series("modes", *s.data.centers.T, BLACK, "points", marker="X", size=6.0),
        ),
        equal=True,
        hint="Hover over a sample or a mode for its position, anywhere for P(real | x).",
        heat=Heat(HEAT_N, extent, np.round(p_real.ravel(), 3), PALETTE, "D(x) = P(real | x)"),
    )


def show(s, charts_: dict[str, XYChart]) -> None:
    """Mount the charts (key → chart) and count a streamed chart's points as sent; its `gap` trigger makes its next
    payload send the whole history. Call under the session's lock."""
    for key, chart in charts_.items():
        charts.show_xy(chart.to_json(), key, on_gap=lambda key=key: s.sent.pop(key, None))
        mark_sent(s, key, chart)  # once the component has it: a run stopped before this sent nothing
