"""One figure — the D* page's four curves on 2,001 points — drawn by the means named in the URL (`?means=canvas`,
`altair` or `plotly`), for bench/bench_chart_frames.py. The slider shifts p_g's mean so every move sends new data."""

import altair as alt
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from scipy import stats

from ui import charts, xychart

means = st.query_params.get("means", "canvas")
st.title(f"Chart means: {means}")
shift = st.slider("shift of p_g", 0.0, 4.0, 2.0, 0.05)
x = np.linspace(-4.0, 6.0, 2001)
p, q = stats.norm(0, 1).pdf(x), stats.norm(shift, 0.5).pdf(x)
curves = {"p_data": p, "p_g": q, "D*": p / (p + q), "your D": 1 / (1 + np.exp(2 * x - 2))}
if means == "canvas":
    charts.load_code()
    colors = ["#000000", "#009E73", "#0072B2", "#E69F00"]
    series = tuple(xychart.Series(k, x, v, c) for (k, v), c in zip(curves.items(), colors, strict=True))
    charts.show_xy(xychart.XYChart("D*", "x", "value", (-4.0, 6.0, -0.05, 1.05), series, readout="x").to_json(), "c")
elif means == "altair":
    frame = pd.DataFrame({"x": x, **curves}).melt("x", var_name="curve")
    nearest = alt.selection_point(nearest=True, on="pointerover", fields=["x"], empty=False)
    lines = alt.Chart(frame).mark_line().encode(x="x", y="value", color="curve")
    shown = alt.condition(nearest, alt.value(1), alt.value(0))
    hover = lines.mark_point().encode(opacity=shown, tooltip=["x", "value"])
    st.altair_chart((lines + hover.add_params(nearest)).interactive(), width="stretch")
else:
    fig = go.Figure([go.Scatter(x=x, y=v, name=k, mode="lines") for k, v in curves.items()])
    fig.update_layout(hovermode="x", height=420)
    st.plotly_chart(fig, width="stretch")
