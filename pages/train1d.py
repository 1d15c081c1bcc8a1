"""Page 5: a small neural GAN trained live on a 1-D density — Goodfellow et al. (2014) Figure 1 as it trains."""

import streamlit as st

from ui import controls, densities, exercises, live_charts, live_figures, training

KEY = "train1d"
controls.start_page("train1d")
st.markdown(
    "A generator (MLP, 8-dimensional noise) and a discriminator (MLP) trained on a 1-D density with the losses of "
    "the Dirac-GAN pages. As in Goodfellow et al. (2014), Figure 1: the data density (dotted), the generated "
    "density (a KDE of 5,000 samples, solid), the discriminator's P(real | x) (dashed) and, for the same "
    "generator, the optimal D*(x) = p_data/(p_data + p_g) (dash-dot). Below: JS(p_data ‖ p_g) over training. "
    "Hover over a chart for its values."
)

with st.sidebar:
    data = densities.density("bimodal")
    cfg = training.training_controls({"steps": 3000})
    rounds = training.limited("tick", "rounds per update while playing", 100, "tick_1d")
cfg["data"] = str(data)
s = training.session(KEY, cfg)
if s is None:
    st.stop()
training.buttons(KEY, s, rounds)


def draw(s) -> None:
    m = s.latest[0]
    training.show_run(
        s,
        "train1d",
        lambda: live_figures.density_figure(s),
        f"Round {s.trainer.step} of {s.cfg.steps}: JS(p_data ‖ p_g) = {m['js']:.4f} nats, W1 = {m['w1']:.4f}"
        + (f", mean |D − D*| = {m['d_vs_dstar']:.4f}" if "d_vs_dstar" in m else "")
        + ".",
        {
            "train1d_curves": live_charts.density_chart(s),
            "train1d_history": live_charts.js_history(s, "train1d_history"),
        },
    )


training.run_live(KEY, s, draw, rounds)
DEFAULT = {"data": densities.DATA_PRESETS["bimodal"], "loss": "gan", "reg": "none", "optimizer": "adam", "lr": 1e-3}
DEFAULT |= {"d_steps": 1, "batch": 64, "steps": 3000, "seed": 0}
exercises.show(
    [
        exercises.Exercise(
            "train1d_js",
            "Reset to the defaults (bimodal data, GAN, Adam, learning rate 0.001, batch 64, seed 0) and press "
            "*Step 100* five times.",
            "What is JS(p_data ‖ p_g) after 500 rounds? (10 % tolerance)",
            lambda: training.metric_after(DEFAULT, 500, "js"),
            "Read it in the summary under the figure.",
            "The JS divergence drops from near log 2 (the initial generator puts its mass in one narrow place) to "
            "a few hundredths once both modes are covered. The learned D(x) hovers around ½ where p_g matches "
            "p_data, as Goodfellow et al. (2014) Fig. 1(d) shows for the ideal case; with finite training it is "
            "not D*.",
            rel_tol=0.1,
            needs=DEFAULT | {"density": "bimodal"},
        )
    ]
)
controls.share_box("train1d")
