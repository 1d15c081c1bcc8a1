"""Page 3: the optimal discriminator D*, the divergences, and C(G) = −log 4 + 2·JS; a movable D to compare."""

import streamlit as st

from dynamics.numbers import num
from dynamics.oned.divergences import js
from dynamics.oned.optimal import figure1_stages, line_logit, logistic_through, mixture_path, summary, value
from dynamics.oned.plotting import figure1, mixture_path_figure, optimal_figure
from dynamics.oned.specs import parse
from ui import charts, controls, densities, exercises, export, xychart

controls.start_page("optimal")
st.markdown(
    "For a fixed generator the discriminator that maximizes V(G, D) = E_data[log D] + E_g[log(1 − D)] is "
    "**D\\*(x) = p_data(x) / (p_data(x) + p_g(x))** (Goodfellow et al. 2014, Prop. 1), and at D\\* the value is "
    "the virtual criterion **C(G) = −log 4 + 2·JS(p_data ‖ p_g)**. Move the logistic discriminator "
    "D(x) = σ(a·x + b) below: its V(G, D) never exceeds C(G)."
)

with st.sidebar:
    data, gen = densities.densities()
    a = controls.slider("a", "your D: slope a of σ(a·x + b)", -10.0, 10.0, -2.0, 0.1)
    b = controls.slider("b", "your D: offset b", -10.0, 10.0, 2.0, 0.1)
    show_fig1 = controls.toggle("figure1", "show Goodfellow et al. (2014), Figure 1")


@st.cache_data(max_entries=64, show_spinner=False)
def numbers(data_spec: str, gen_spec: str):
    """The curves, divergences and C(G) of a pair of laws, and the densities chart (JSON): one per pair."""
    res = summary(parse(data_spec), parse(gen_spec))
    return res, xychart.densities_chart(res).to_json()


@st.cache_data(max_entries=256, show_spinner=False)
def yours(data_spec: str, gen_spec: str, a: float, b: float):
    """V(G, D) of D = σ(a·x + b) with its quadrature error, and the D chart (JSON)."""
    v, err = value(parse(data_spec), parse(gen_spec), line_logit(a, b))
    return v, err, xychart.discriminator_chart(numbers(data_spec, gen_spec)[0], a, b).to_json()


def steer(points) -> None:
    """A click (one point) or drag (two) on the D chart: your D through them, a and b on their sliders' grid."""
    if controls.held("a") or controls.held("b"):
        return
    a, b = logistic_through(points, st.session_state["a"])
    st.session_state["a"], st.session_state["b"] = (round(min(max(v, -10.0), 10.0), 1) for v in (a, b))


@st.cache_data(max_entries=32, show_spinner=False)
def figure1_json(data_spec: str, gen_spec: str) -> list[str]:
    return [c.to_json() for c in xychart.figure1_charts(figure1_stages(parse(data_spec), parse(gen_spec)))]


d_spec, g_spec = str(data), str(gen)
res, densities_json = numbers(d_spec, g_spec)
v, v_err, d_json = yours(d_spec, g_spec, a, b)
summary_text = (
    f"JS = {num(res['js'], 6)} nats (log 2 = 0.693147 is its maximum), KL(data‖g) = {num(res['kl_data_gen'])}, "
    f"KL(g‖data) = {num(res['kl_gen_data'])}, TV = {num(res['tv'])}, W1 = {num(res['w1'])}. "
    f"C(G) = V(G, D*) = {num(res['c_g'], 6)}; −log 4 + 2·JS = {num(res['c_g_identity'], 6)}. "
    f"Your D = σ({a:g}·x + {b:g}) reaches V(G, D) = {num(v, 6)}, "
    f"{num(res['c_g'] - v)} below C(G)."
    + (" D* is undefined where both densities vanish (shaded)." if res["d_star_undefined"] else "")
)
columns = ["x", "p_data", "p_g", "d_star"]
charts.show_xy(densities_json, "densities_chart")
charts.show_figure(
    d_json,
    "discriminator_chart",
    lambda: optimal_figure(res, line_logit(a, b)),
    "optimal-discriminator",
    summary_text,
    {
        "optimal-discriminator-curves.csv": lambda: export.to_csv(
            columns, zip(*(res[c] for c in columns), strict=True)
        ),
        "optimal-discriminator-numbers.json": lambda: export.to_json(
            {k: val for k, val in res.items() if k not in columns}
            | {"your_d": {"a": a, "b": b, "V": v, "error": v_err}}
        ),
    },
    on_click=steer,
)
c1, c2, c3 = st.columns(3)
c1.metric("C(G) = V(G, D*)", num(res["c_g"], 6))
c2.metric("−log 4 + 2·JS", num(res["c_g_identity"], 6))
c3.metric("V(G, your D)", num(v, 6), f"{num(v - res['c_g'])} vs D*")
st.caption(f"Numbers by {res['method']}.")

st.subheader("Proposition 2: p_g moves towards p_data while D stays optimal")
st.markdown(
    "Goodfellow et al. (2014, Prop. 2): if D reaches D\\*_G after every step and p_g takes small steps that lower "
    "C, then p_g converges to p_data. The reason: for a fixed D, V(p_g, D) is linear in p_g, so "
    "C(p_g) = sup_D V(p_g, D) is **convex** in p_g, with its one minimum −log 4 at p_g = p_data. Below, p_g "
    "moves along the straight path p_t = (1 − t)·p_g + t·p_data and D is re-optimized (D\\*_t) at every t."
)


@st.cache_data(max_entries=64, show_spinner=False)
def path_of(data_spec: str, gen_spec: str):
    return mixture_path(parse(data_spec), parse(gen_spec))


@st.cache_data(max_entries=64, show_spinner=False)
def path_json(data_spec: str, gen_spec: str) -> str:
    return xychart.mixture_path_chart(path_of(data_spec, gen_spec)).to_json()


path = path_of(d_spec, g_spec)
charts.show_figure(
    path_json(d_spec, g_spec),
    "path_chart",
    lambda: mixture_path_figure(path),
    "proposition2",
    path.sentence(),
    {"proposition2-path.json": lambda: export.to_json(path.__dict__)},
)

if show_fig1:
    st.subheader("Goodfellow et al. (2014), Figure 1")
    st.markdown(
        "The generator pushes uniform z through x = G(z) (here the quantile-transform path from p_g towards "
        "p_data): (a) D partially accurate, (b) D trained to D\\*, (c) G moves towards the data, (d) p_g = p_data "
        "and D = ½ everywhere."
    )
    charts.show_grid(figure1_json(d_spec, g_spec), "figure1_chart", per_row=2)
    st.caption("Stages (a)–(d): p_data dotted, p_g solid, D dashed; the lines below map z to x = G(z).")
    export.downloads(
        lambda: figure1(figure1_stages(data, gen)),
        "goodfellow-figure1",
        {"goodfellow-figure1-stages.json": lambda: export.to_json(figure1_stages(data, gen))},
    )

exercises.show(
    [
        exercises.Exercise(
            "opt_cg",
            "Choose the preset **two Gaussians, overlapping** (p_data = normal(0, 1), p_g = normal(2, 0.5)).",
            "What is C(G) = max_D V(G, D)? (4 decimals)",
            lambda: summary(parse("normal(0, 1)"), parse("normal(2, 0.5)"))["c_g"],
            "Read the JS divergence and use C(G) = −log 4 + 2·JS, or read C(G) off the metrics.",
            "C(G) = −log 4 + 2·JS ≈ −1.3863 + 2·0.4743 ≈ −0.4377. It is the value of the game once the "
            "discriminator is optimal; it reaches its minimum −log 4 only when p_g = p_data.",
            rel_tol=1e-3,
            needs={"preset": "gaussians"},
        ),
        exercises.Exercise(
            "opt_disjoint_js",
            "Choose **disjoint supports** (uniform(0, 1) against uniform(3, 4)). Then move p_g further away "
            "(custom: p_g = uniform(10, 11)) and watch JS.",
            "What is JS(p_data ‖ p_g) in nats when the supports do not overlap?",
            lambda: js(parse("uniform(0, 1)"), parse("uniform(3, 4)")).value,
            "JS = ½KL(p‖m) + ½KL(q‖m) with m = (p + q)/2: where only p lives, m = p/2. The summary under the figure "
            "gives JS.",
            "On disjoint supports JS = log 2 ≈ 0.6931 whatever the distance between them: the divergence is "
            "constant, so a generator trained against D* gets no signal about which way to move (Arjovsky & "
            "Bottou 2017). W1, by contrast, grows with the distance.",
            rel_tol=1e-3,
            needs={"preset": "disjoint"},
        ),
    ]
)
controls.share_box("optimal")
