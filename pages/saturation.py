"""Page 4: saturating vs non-saturating generator losses — the curves and the gradient magnitudes."""

import numpy as np
import streamlit as st

from dynamics.oned.plotting import saturation_figure
from dynamics.oned.saturation import generator_gradients, loss_curves
from dynamics.oned.specs import parse
from ui import controls, densities, exercises, export

controls.start_page("saturation")
st.markdown(
    "With D = σ(t) the original (minimax) generator minimizes **log(1 − D(G(z)))**; its gradient through the "
    "logit is −D, which vanishes when the discriminator confidently rejects the samples (D(G(z)) ≈ 0, early in "
    "training). The **non-saturating** loss −log D(G(z)) has gradient −(1 − D) ≈ −1 there (Goodfellow et al. "
    "2014, Sec. 3). Right panel: the generator's gradient as the discriminator improves along "
    "D_λ = σ(λ·log(p_data/p_g)), from λ = 0 (D = ½) to λ = 1 (D = D\\*)."
)

with st.sidebar:
    data, gen = densities.densities("far")
    family = controls.select(
        "family",
        "generator parameter θ",
        ["shift", "scale"],
        "shift",
        radio=True,
        fmt={"shift": "location: θ + X", "scale": "scale: m + e^θ·(X − m)"}.get,
    )
    levels = controls.slider("levels", "number of λ values in [0, 1]", 2, 101, 21)


@st.cache_data(max_entries=128, show_spinner=False)
def result(data_spec: str, gen_spec: str, family: str, levels: int) -> dict:
    d = np.linspace(0.005, 0.995, 199)
    grads = generator_gradients(parse(data_spec), parse(gen_spec), np.linspace(0, 1, levels), family)
    return {
        "data": data_spec,
        "gen": gen_spec,
        "param": family,
        "curves": {"d": d, **loss_curves(d)},
        "gradients": grads,
    }


@st.cache_data(max_entries=128, show_spinner=False)
def png(data_spec: str, gen_spec: str, family: str, levels: int) -> bytes:
    return export.figure_bytes(saturation_figure(result(data_spec, gen_spec, family, levels)))


res = result(str(data), str(gen), family, levels)
g = res["gradients"]
ratio = g["grad_ns"][-1] / g["grad_sat"][-1] if g["grad_sat"][-1] > 0 else float("inf")
summary = (
    f"{levels} discriminators D_λ, λ from 0 to 1. "
    f"At D = D* (λ = 1) the mean D(G(z)) is {g['mean_d_g'][-1]:.4g}; the generator's gradient is "
    f"{g['grad_sat'][-1]:.4g} with the saturating loss and {g['grad_ns'][-1]:.4g} with the non-saturating one "
    f"(ratio {ratio:.3g}). At D(G(z)) = 0.01 the logit gradients are −0.01 (saturating) and −0.99 "
    "(non-saturating)."
)
export.show_figure(
    png(str(data), str(gen), family, levels),
    lambda: saturation_figure(res),
    "saturation",
    summary,
    {
        "saturation-gradients.csv": lambda: export.to_csv(
            ["lambda", "mean_d_g", "grad_sat", "grad_ns"],
            zip(g["lambda"], g["mean_d_g"], g["grad_sat"], g["grad_ns"], strict=True),
        ),
        "saturation-curves.csv": lambda: export.to_csv(list(res["curves"]), zip(*res["curves"].values(), strict=True)),
    },
)
rows = list(zip(g["lambda"], g["mean_d_g"], g["grad_sat"], g["grad_ns"], strict=True))
every = max(1, levels // 6)
st.markdown(
    "| λ | mean D(G(z)) | ‖∇θ‖ saturating | ‖∇θ‖ non-saturating |\n|---:|---:|---:|---:|\n"
    + "\n".join(f"| {lam:.2f} | {md:.4g} | {gs:.4g} | {gn:.4g} |" for lam, md, gs, gn in rows[:-1:every] + rows[-1:])
)
st.caption(
    f"λ in steps of {every / (levels - 1):.3g}; the last row is λ = 1 (D = D\\*). All {levels} values of λ are in "
    "the CSV download."
)


def ns_sat_ratio() -> float:
    grads = generator_gradients(parse("normal(0, 1)"), parse("normal(4, 0.5)"), [1.0], "shift")
    return float(grads["grad_ns"][0] / grads["grad_sat"][0])


exercises.show(
    [
        exercises.Exercise(
            "sat_logit",
            "Look at the middle panel: the size of each loss's derivative with respect to the discriminator's logit.",
            "When D(G(z)) = 0.02, what is |∂ loss / ∂ logit| for the saturating loss log(1 − D)?",
            lambda: float(abs(loss_curves(np.array([0.02]))["dloss_dlogit_sat"][0])),
            "d/dt log(1 − σ(t)) = −σ(t) = −D (the summary under the figure gives both derivatives at D(G(z)) = 0.01).",
            "It is D itself, 0.02: when the discriminator rejects the samples, the saturating loss hardly "
            "moves the generator, while −log D has derivative −(1 − D) = −0.98.",
        ),
        exercises.Exercise(
            "sat_ratio",
            "Preset **two Gaussians, far apart** (p_data = normal(0, 1), p_g = normal(4, 0.5)), θ = location.",
            "At λ = 1 (D = D*), how many times larger is the non-saturating gradient than the saturating one?",
            ns_sat_ratio,
            "Divide the last row's two gradient columns (or read the ratio in the summary).",
            "About 90×: with D* nearly 0 on the generated points, the saturating gradient −D is tiny while the "
            "non-saturating −(1 − D) is close to its maximum — which is why the non-saturating loss is used in "
            "practice.",
            needs={"preset": "far", "family": "shift"},
        ),
    ]
)
controls.share_box("saturation")
