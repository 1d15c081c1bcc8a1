"""Page 7: LS-GAN vs WGAN — Lipschitz-constrained critics and the gradient they give the generator."""

import streamlit as st

from dynamics.oned.lipschitz import compare
from dynamics.oned.plotting import lipschitz_figure
from dynamics.oned.specs import parse
from ui import charts, controls, densities, exercises, export, gradients, lsgan, training, xychart

NAMES = {
    "wgan": "WGAN critic",
    "lsgan_lower": "LS-GAN, lower bound",
    "lsgan_upper": "LS-GAN, upper bound",
    "gan_saturating": "GAN with D*, saturating",
    "gan_non_saturating": "GAN with D*, non-saturating",
}

controls.start_page("lipschitz")
st.markdown(
    "Both constrain the discriminator to be Lipschitz. The **WGAN** critic (Arjovsky et al. 2017) is the "
    "Kantorovich potential with f′ = sign(F_g − F_data); it attains W1. The **loss-sensitive GAN** "
    "(LS-GAN, Qi 2017) learns a κ-Lipschitz loss L ≥ 0, smaller on real points by the margin |x − z|; from "
    "samples, every optimal L lies between two cone-shaped bounds. Both give a generated point a velocity of "
    "size 1 or κ almost everywhere, while the classic GAN's D* gives **zero** gradient on disjoint supports."
)

with st.sidebar:
    data, gen = densities.densities("disjoint")
    kappa = controls.slider("kappa", "κ (LS-GAN Lipschitz constant)", 0.1, 10.0, 1.0, 0.1)
    lam = controls.slider("lam", "λ (LS-GAN margin weight)", 0.1, 10.0, 1.0, 0.1)
    samples = controls.slider("samples", "samples of each law", 3, 60, 20)
    seed = controls.number("seed", "random seed", 0, 9999, 0)


@st.cache_data(max_entries=128, show_spinner=False)
def result(data_spec: str, gen_spec: str, samples: int, kappa: float, lam: float, seed: int) -> dict:
    return compare(parse(data_spec), parse(gen_spec), samples, kappa, lam, seed=seed)


@st.cache_data(max_entries=128, show_spinner=False)
def chart_json(*args) -> list[str]:
    return [c.to_json() for c in xychart.lipschitz_charts(result(*args))]


args = (str(data), str(gen), samples, kappa, lam, seed)
res = result(*args)
gen_rows = res["generator"]
summary = (
    f"W1 = {res['w1']:.4g}; E_data f − E_g f for the WGAN critic = {res['w1_from_critic']:.4g}; W1 of the "
    f"{samples} + {samples} samples = {res['w1_samples']:.4g}. Mean |gradient| on p_g: "
    + ", ".join(f"{NAMES[k]} {v['mean_abs_gradient']:.3g}" for k, v in gen_rows.items())
    + "."
)
columns = ["x", "p_data", "p_g", "wgan_critic", "lsgan_lower", "lsgan_upper"]
for payload, key in zip(chart_json(*args), ("samples_chart", "critic_chart", "velocity_chart"), strict=True):
    charts.show_xy(payload, key)
st.caption(summary)
export.downloads(
    lambda: lipschitz_figure(res),
    "lipschitz",
    {
        "lipschitz-curves.csv": lambda: export.to_csv(
            columns + [f"velocity_{k}" for k in res["velocity"]],
            zip(*(res[c] for c in columns), *res["velocity"].values(), strict=True),
        ),
        "lipschitz-numbers.json": lambda: export.to_json(
            {k: v for k, v in res.items() if k not in columns and k != "velocity"}
        ),
    },
)

st.subheader("Critic slopes: κ = 1, 3, 5")
st.markdown(
    "The same densities and samples, with the LS-GAN loss constrained to κ = 1, 3 and 5. The generator's mean "
    "|gradient| under the LS-GAN grows with κ, the WGAN critic's stays 1, and the classic GAN's stays 0 where "
    "the supports do not overlap."
)
table = {k: result(str(data), str(gen), samples, float(k), lam, seed)["generator"] for k in (1, 3, 5)}
st.markdown(
    "| critic | κ = 1 | κ = 3 | κ = 5 |\n|---|---:|---:|---:|\n"
    + "\n".join(
        f"| {title} | " + " | ".join(f"{table[k][name]['mean_abs_gradient']:.4g}" for k in (1, 3, 5)) + " |"
        for name, title in NAMES.items()
    )
)
st.caption("Entries: mean |−∂x loss| over p_g (the speed at which generated points are pushed).")


st.subheader("What the LS-GAN assumes, and where it puts its effort")
st.markdown(lsgan.ASSUMPTION)
st.markdown(lsgan.STATISTICS)
st.markdown(
    f"**Allocation on demand.** Two generators against the same {samples} real samples of {lsgan.DATA}: a near "
    f"fake {lsgan.NEAR} and a far fake {lsgan.FAR}, each with the least optimal loss function of Qi's linear "
    "program (κ and λ from the sidebar)."
)


@st.cache_data(max_entries=64, show_spinner=False)
def allocations(kappa: float, lam: float, samples: int, seed: int):
    return lsgan.allocations(kappa, lam, samples, seed)


rows = allocations(kappa, lam, samples, seed)
st.markdown(lsgan.allocation_table(rows))
st.caption(lsgan.allocation_sentence(rows))

st.subheader("Torch experiments: the generator's gradient on real networks")
st.markdown(
    "Saved runs of `python -m models.experiments vanishing --json` and `d-steps --json` (DCGAN on 8×8 digits, "
    "one seed; the commands and what they show are in docs/README_torch.md). **Vanishing gradient** (Arjovsky & "
    "Bottou 2017, Fig. 2): a briefly trained generator is frozen and a fresh discriminator of each loss is trained "
    "on; the classic GAN's D approaches D*, where log(1 − D(G(z))) is flat. **k steps** (Qi 2017): the loss "
    "function is trained every iteration and the generator every k-th."
)
curves, runs = gradients.load_vanishing(), gradients.load_d_steps()


charts.show_figure(
    gradients.vanishing_chart(curves).to_json(),
    "vanishing_chart",
    lambda: gradients.vanishing_figure(curves),
    "vanishing",
    gradients.vanishing_sentence(curves),
    {"vanishing-curves.json": lambda: (gradients.SAVED / "vanishing.json").read_text()},
)
charts.show_grid([c.to_json() for c in gradients.d_steps_charts(runs)], "d_steps_chart", per_row=2)
st.caption(gradients.d_steps_sentence(runs))
export.downloads(
    lambda: gradients.d_steps_figure(runs),
    "d_steps",
    {"d_steps-runs.json": lambda: (gradients.SAVED / "d_steps.json").read_text()},
)
if st.button("Run the experiment (9 runs, one after the other)", key="_kgrad"):
    st.session_state["_kgrad_rows"] = []
if "_kgrad_rows" in st.session_state:
    rows = st.session_state["_kgrad_rows"]

    @st.fragment(run_every=0.1 if len(rows) < len(training.KSTEPS) else None)
    def experiment():
        """One run per fragment rerun (a few seconds each), so the page and the server stay responsive."""
        if len(rows) < len(training.KSTEPS):
            rows.append(training.k_steps_run(*training.KSTEPS[len(rows)]))
            if len(rows) == len(training.KSTEPS):
                st.rerun()  # a full rerun turns the timer off
        done = len(rows) == len(training.KSTEPS)
        st.progress(len(rows) / len(training.KSTEPS), text=f"{len(rows)} of {len(training.KSTEPS)} runs")
        st.markdown(
            "| loss | k | median ‖∇_G‖ | min ‖∇_G‖ |\n|---|---:|---:|---:|\n"
            + "\n".join(f"| {r['loss']} | {r['k']} | {r['median']:.3g} | {r['min']:.3g} |" for r in rows)
        )
        if done:
            st.caption(
                "In runs this short no generator gradient vanishes for any loss: the discriminator is not trained "
                "close enough to D* for the saturating effect; the LS-GAN's gradient grows fastest with k. The 9 "
                f"runs took {sum(r['seconds'] for r in rows):.0f} s of training on this server when first run; "
                "their results are kept for every visitor."
            )

    experiment()


def ls_gradient() -> float:
    return result("uniform(0, 1)", "uniform(3, 4)", 20, 3.0, 1.0, 0)["generator"]["lsgan_upper"]["mean_abs_gradient"]


exercises.show(
    [
        exercises.Exercise(
            "lip_w1",
            "Preset **disjoint supports**: p_data = uniform(0, 1), p_g = uniform(3, 4).",
            "What is the Wasserstein-1 distance between them?",
            lambda: result("uniform(0, 1)", "uniform(3, 4)", 20, 1.0, 1.0, 0)["w1"],
            "W1 = ∫|F_data − F_g| dx; for two equal shapes it is the distance every bit of mass must travel. The "
            "summary under the figure gives W1.",
            "W1 = 3: every point moves 3 to the left. Unlike JS (log 2 for any disjoint pair), W1 says how far "
            "apart the laws are, so its critic gives the generator a useful direction.",
            rel_tol=1e-3,
            needs={"preset": "disjoint"},
        ),
        exercises.Exercise(
            "lip_kappa",
            "Same densities, LS-GAN with **κ = 3**, 20 samples, seed 0.",
            "What is the generator's mean |gradient| under the LS-GAN loss (upper bound)?",
            ls_gradient,
            "The optimal loss has slope ±κ almost everywhere between the samples. The summary under the figure gives "
            "each critic's mean |gradient|, and so does the table's κ = 3 column.",
            "It is κ = 3: the LS-GAN's loss keeps a slope of κ over the generated points, so the generator keeps "
            "a gradient even when the loss is trained to optimality — the GAN's D* gives 0 here.",
            rel_tol=1e-3,
            needs={"preset": "disjoint", "kappa": 3.0, "lam": 1.0, "samples": 20, "seed": 0},
        ),
    ]
)
controls.share_box("lipschitz")
