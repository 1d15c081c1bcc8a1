"""Page 6: GANs on 2-D mixtures (ring8, grid25): discriminator heat map, samples, modes captured over time."""

import numpy as np
import streamlit as st
import torch
from matplotlib.figure import Figure

from dynamics.palette import OKABE_ITO
from ui import controls, exercises, training

KEY = "mixtures"
controls.start_page("mixtures")
st.markdown(
    "The mode-collapse benchmarks of VEEGAN and PacGAN: **ring8** (8 Gaussians of σ = 0.01 on the unit circle) and "
    "**grid25** (25 Gaussians of σ = 0.05 on a 5 × 5 grid). The heat map is the discriminator's P(real | x); dots "
    "are 2,500 generated samples, crosses the modes. A sample is *high quality* within 3σ of its nearest mode; a "
    "mode is *captured* when at least 20 high-quality samples fall on it."
)

with st.sidebar:
    data = controls.select("data", "Data", ["ring8", "grid25"], "ring8", radio=True)
    cfg = training.training_controls({"steps": 5000})
    rounds = controls.slider("tick", "rounds per update while playing", 10, 500, 100, 10)
SMALL = {"net": "mlp"}  # the page's small nets and defaults; PacGAN's (models.config.TOY_DEFAULTS) are the CLI's
cfg |= {"data": data, **SMALL}
s = training.session(KEY, cfg)
if s is None:
    st.stop()
training.buttons(KEY, s, rounds)


def heat(s, n: int = 80):
    """P(real | x) = sigmoid(−D(x)) on an n×n grid over the data's window."""
    r = float(np.abs(s.data.centers).max()) * 1.5 + 0.2
    g = np.linspace(-r, r, n)
    X, Y = np.meshgrid(g, g)
    pts = torch.tensor(np.stack([X.ravel(), Y.ravel()], 1), dtype=torch.float32, device=s.trainer.device)
    with torch.no_grad():
        d = s.trainer.D(pts).float().cpu().numpy().reshape(n, n)
    return (-r, r, -r, r), 1 / (1 + np.exp(np.clip(d, -50, 50)))


def figure(s) -> Figure:
    m, x, _ = s.latest
    extent, p_real = heat(s)
    fig = Figure(figsize=(10, 4.6))
    fig.subplots_adjust(left=0.06, right=0.93, bottom=0.12, top=0.9, wspace=0.35)
    ax, hist = fig.subplots(1, 2, width_ratios=[1, 1.2])
    im = ax.imshow(p_real, origin="lower", extent=extent, cmap="cividis", vmin=0, vmax=1, alpha=0.85)
    fig.colorbar(im, ax=ax, label="D(x) = P(real | x)", fraction=0.046)
    ax.scatter(x[:, 0], x[:, 1], s=2, color=OKABE_ITO[1], alpha=0.5, label="generated")
    ax.scatter(*s.data.centers.T, s=40, color="black", marker="x", label="modes")
    ax.set_xlim(extent[:2])
    ax.set_ylim(extent[2:])
    ax.set_aspect("equal")
    ax.legend(loc="upper right", fontsize=7)
    ax.set_title(f"round {s.trainer.step}: {m['modes']}/{len(s.data.centers)} modes", fontsize=10)
    training.metric_history(hist, s, "modes", "modes captured", "high_quality", "high-quality fraction")
    hist.set_ylim(-0.5, len(s.data.centers) + 0.5)
    return fig


def draw(s) -> None:
    m = s.latest[0]
    training.show_run(
        s,
        "mixtures",
        lambda: figure(s),
        f"Round {s.trainer.step} of {s.cfg.steps}: {m['modes']} of {len(s.data.centers)} modes captured, "
        f"high-quality fraction {m['high_quality']:.3f}, reverse KL of the mode histogram {m['reverse_kl']:.3f}.",
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
