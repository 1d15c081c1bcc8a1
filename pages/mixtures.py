"""Page 6: GANs on 2-D mixtures (ring8, grid25): discriminator heat map, samples, modes captured over time."""

import streamlit as st

from ui import controls, exercises, live_charts, live_figures, training

KEY = "mixtures"
controls.start_page("mixtures")
st.markdown(
    "The mode-collapse benchmarks of VEEGAN and PacGAN: **ring8** (8 Gaussians of σ = 0.01 on the unit circle) and "
    "**grid25** (25 Gaussians of σ = 0.05 on a 5 × 5 grid). The heat map is the discriminator's P(real | x); dots "
    "are 2,500 generated samples, crosses the modes. A sample is *high quality* within 3σ of its nearest mode; a "
    "mode is *captured* when at least 20 high-quality samples fall on it. Hover over a chart for its values."
)

with st.sidebar:
    data = controls.select("data", "Data", ["ring8", "grid25"], "ring8", radio=True)
    cfg = training.training_controls({"steps": 5000})
    rounds = training.limited("tick", "rounds per update while playing", 100, "tick_2d")
SMALL = {"net": "mlp", "lr_decay": "none"}  # the page's small nets at a constant rate; TOY_DEFAULTS are the CLI's
cfg |= {"data": data, **SMALL}
s = training.session(KEY, cfg)
if s is None:
    st.stop()
training.buttons(KEY, s, rounds)


def draw(s) -> None:
    m = s.latest[0]
    training.show_run(
        s,
        "mixtures",
        lambda: live_figures.mixture_figure(s),
        f"Round {s.trainer.step} of {s.cfg.steps}: {m['modes']} of {len(s.data.centers)} modes captured, "
        f"high-quality fraction {m['high_quality']:.3f}, reverse KL of the mode histogram {m['reverse_kl']:.3f}.",
        {
            "mixtures_samples": live_charts.samples_chart(s),
            "mixtures_history": live_charts.history_chart(
                s,
                "mixtures_history",
                "modes",
                "modes captured",
                ("high_quality", "high-quality fraction"),
                window=(-0.5, len(s.data.centers) + 0.5),
            ),
        },
    )


training.run_live(KEY, s, draw, rounds)
DEFAULT = {"data": "ring8", "loss": "gan", "reg": "none", "optimizer": "adam", "lr": 1e-3}
DEFAULT |= {"d_steps": 1, "batch": 64, "steps": 5000, "seed": 0}
exercises.show(
    [
        exercises.Exercise(
            "mixtures_hq",
            "Defaults: ring8, GAN, Adam, learning rate 0.001, batch 64, seed 0. Train 1,000 rounds (*Step 100* ten "
            "times).",
            "What fraction of the samples is high quality after 1,000 rounds? (0.02 absolute tolerance)",
            lambda: training.metric_after(DEFAULT | SMALL, 1000, "high_quality"),
            "The summary under the figure gives the high-quality fraction.",
            "Early on the generator spreads its samples between the modes (low quality) or piles them on a few "
            "modes (few modes captured): quality and coverage are separate numbers, which is why the VEEGAN and "
            "PacGAN protocol reports both.",
            rel_tol=0.0,
            abs_tol=0.02,
            needs=DEFAULT,
        )
    ]
)
controls.share_box("mixtures")
