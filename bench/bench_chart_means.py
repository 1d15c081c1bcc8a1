"""Server cost of one chart update by each means Streamlit offers for browser-drawn figures (issue 11 item 1).

    python -m bench.bench_chart_means [--reps 20]

The same data — the D* page's charts (p_data, p_g, D*, your D on the 2,001-point grid of
dynamics.oned.optimal.summary) and the phase portrait's (one 500-round trajectory and the 21 × 21 field) — turned
into what the server sends: this project's payload for the st.components.v2 canvas (ui.xychart / ui.charts), a
Vega-Lite spec with its data (Altair, what st.altair_chart serialises) and a Plotly figure's JSON (what
st.plotly_chart sends). Median milliseconds over `reps` builds, and the bytes; ratios against the canvas payload.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np


def _timed(make, reps: int) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(reps):
        t0 = time.perf_counter()
        size = len(make())
        times.append(1000 * (time.perf_counter() - t0))
    return statistics.median(times), size


def _optimal_data():
    from dynamics.oned.optimal import summary
    from dynamics.oned.specs import parse

    res = summary(parse("normal(0, 1)"), parse("normal(2, 0.5)"))
    x = res["x"]
    return res, {
        "x": x,
        "p_data": res["p_data"],
        "p_g": res["p_g"],
        "d_star": res["d_star"],
        "yours": 1 / (1 + np.exp(2 * x - 2)),
    }


def _phase_data():
    from dynamics.dirac.field import make_objective
    from dynamics.dirac.optimizers import Optimizer
    from dynamics.dirac.plotting import WINDOW, fit_window
    from dynamics.dirac.trajectories import Schedule, simulate

    obj = make_objective("gan")
    run = simulate(obj, np.array([[1.0, 1.0]]), Schedule(0.1, 0.1), Optimizer())
    return obj, run, fit_window(run, WINDOW, None)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.bench_chart_means", description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=20)
    args = ap.parse_args(argv)
    if not 1 <= args.reps <= 1000:
        ap.error(f"--reps {args.reps}: must be in [1, 1000]")
    import altair as alt
    import pandas as pd
    import plotly.graph_objects as go

    from ui import charts, xychart

    alt.data_transformers.disable_max_rows()  # as st.altair_chart does: it sends the data whatever its size

    res, cols = _optimal_data()
    frame = pd.DataFrame(cols).melt("x", var_name="curve")

    def altair_optimal() -> str:
        return alt.Chart(frame).mark_line().encode(x="x", y="value", color="curve").interactive().to_json()

    def plotly_optimal() -> str:
        fig = go.Figure([go.Scatter(x=cols["x"], y=cols[k], name=k) for k in cols if k != "x"])
        return fig.to_json()

    def canvas_optimal() -> str:
        return xychart.densities_chart(res).to_json() + xychart.discriminator_chart(res, -2.0, 2.0).to_json()

    obj, run, view = _phase_data()
    path = run.paths()[0]
    th, ps = np.meshgrid(np.linspace(*view.window[:2], 21), np.linspace(*view.window[2:], 21))
    u, v = obj.field(th, ps)
    arrows = pd.DataFrame({"theta": th.ravel(), "psi": ps.ravel(), "u": u.ravel(), "v": v.ravel()})
    points = pd.DataFrame({"theta": path[:, 0], "psi": path[:, 1], "k": np.arange(len(path))})

    def altair_phase() -> str:
        line = alt.Chart(points).mark_line().encode(x="theta", y="psi", order="k", tooltip=["k", "theta", "psi"])
        field = alt.Chart(arrows).mark_point(shape="arrow").encode(x="theta", y="psi", angle="u")
        return (field + line).interactive().to_json()

    def plotly_phase() -> str:
        fig = go.Figure([go.Scatter(x=points.theta, y=points.psi, mode="lines", customdata=points.k)])
        fig.add_trace(go.Cone(x=arrows.theta, y=arrows.psi, z=0 * arrows.u, u=arrows.u, v=arrows.v, w=0 * arrows.u))
        return fig.to_json()

    def canvas_phase() -> str:
        return charts.phase_chart(obj, run, view, "sim").to_json()

    rows = []
    for figure, means in (
        ("D* page (4 curves × 2,001 points)", (canvas_optimal, altair_optimal, plotly_optimal)),
        ("phase portrait (500 rounds, 21 × 21 field)", (canvas_phase, altair_phase, plotly_phase)),
    ):
        base = None
        for name, make in zip(
            ("st.components.v2 canvas (ui.charts)", "Altair / Vega-Lite", "Plotly"), means, strict=True
        ):
            make()  # imports, first use
            ms, size = _timed(make, args.reps)
            base = base or ms
            rows.append(f"| {figure} | {name} | {ms:.1f} | {size:,} | {ms / base:.1f}× |")
    print("| figure | means | median ms to build what is sent | bytes | ratio |\n|---|---|---:|---:|---:|")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
