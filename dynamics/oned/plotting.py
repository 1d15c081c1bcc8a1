"""Figures for the 1-D theory tools, as matplotlib Figure objects (no pyplot state), shared by CLI and app.

Colours are the Okabe–Ito colour-blind-safe palette; every curve also has its own line style or marker.
Where D* is undefined (both densities zero) its curve holds NaN, which matplotlib draws as a gap.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from dynamics.numbers import num
from dynamics.palette import BLACK, BLUE, GREEN, ORANGE, PURPLE, SKY, VERMILLION, legend_outside

DATA = {"color": BLACK, "linestyle": ":", "linewidth": 2.0, "label": "p_data"}
GEN = {"color": GREEN, "linestyle": "-", "linewidth": 1.8, "label": "p_g"}
DISC = {"color": BLUE, "linestyle": "--", "linewidth": 1.8}


def _shade_undefined(ax, intervals):
    for k, (a, b) in enumerate(intervals):
        ax.axvspan(a, b, color="0.9", zorder=0, label="D* undefined" if k == 0 else None)


def optimal_figure(res: dict, line_logit=None) -> Figure:
    """Top: p_data and p_g. Bottom: D*(x) = p_data/(p_data + p_g), a gap where it is undefined (shaded)."""
    fig = Figure(figsize=(8, 5.6), layout="constrained")
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=[3, 2])
    x = res["x"]
    top.plot(x, res["p_data"], **DATA)
    top.plot(x, res["p_g"], **GEN)
    top.set_ylabel("density")
    bottom.plot(x, res["d_star"], **DISC, label="D*(x)")
    if line_logit is not None:
        with np.errstate(over="ignore"):
            d_line = 1.0 / (1.0 + np.exp(-line_logit(x)))
        bottom.plot(x, d_line, color=ORANGE, linestyle="-.", linewidth=1.5, label="σ(a·x + b)")
    bottom.axhline(0.5, color="0.6", linewidth=0.8, linestyle=(0, (1, 3)))
    bottom.set_ylim(-0.05, 1.05)
    bottom.set_ylabel("D(x) = P(real | x)")
    bottom.set_xlabel("x")
    for ax in (top, bottom):
        _shade_undefined(ax, res["d_star_undefined"])
    handles = {}
    for ax in (top, bottom):
        handles |= dict(zip(*ax.get_legend_handles_labels()[::-1], strict=True))
    legend_outside(fig, list(handles.values()), ncol=len(handles), labels=list(handles))
    top.set_title(
        f"JS = {num(res['js'])} nats,  C(G) = {num(res['c_g'], 6)}  "
        f"(−log 4 + 2·JS = {num(res['c_g_identity'], 6)})\n"
        f"KL(data‖g) = {num(res['kl_data_gen'])},  KL(g‖data) = {num(res['kl_gen_data'])},  "
        f"TV = {num(res['tv'])},  W1 = {num(res['w1'])}",
        fontsize=9,
    )
    return fig


def mixture_path_figure(path) -> Figure:
    """C(p_t) along p_t = (1 − t)·p_g + t·p_data (Goodfellow et al. 2014, Prop. 2), its chord (convexity: the
    curve stays below it) and the minimum −log 4."""
    fig = Figure(figsize=(6.5, 3.6), layout="constrained")
    ax = fig.subplots()
    t, c = np.asarray(path.t), np.asarray(path.criterion)
    ax.plot(t, c, color=BLUE, marker="o", markersize=4, label="C(p_t) = V(p_t, D*_t)")
    ax.plot([t[0], t[-1]], [c[0], c[-1]], color=ORANGE, linestyle="--", linewidth=1.2, label="chord")
    ax.axhline(-np.log(4), color=BLACK, linestyle=":", linewidth=1.2, label="−log 4")
    ax.set_xlabel("t   (p_t = (1 − t)·p_g + t·p_data)")
    ax.set_ylabel("C")
    legend_outside(ax, ncol=3)
    return fig


def figure1(stages: list[dict]) -> Figure:
    """Goodfellow et al. 2014 Fig. 1: p_data (dotted), p_g (solid), D (dashed), the map x = G(z); (a)–(d)."""
    fig = Figure(figsize=(13, 3.6), layout="constrained")
    axes = fig.subplots(1, len(stages), sharey=True)
    top = max(max(np.max(s["p_data"]), np.max(s["p_g"])) for s in stages)
    for ax, s in zip(axes, stages, strict=True):
        x = s["x"]
        scale = 1.0 / top
        ax.plot(x, s["p_data"] * scale, **DATA)
        ax.plot(x, s["p_g"] * scale, **GEN)
        ax.plot(x, s["d"], **DISC, label="D(x)")
        lo, hi = x[0], x[-1]
        z_pos = lo + s["z"] * (hi - lo)
        ax.hlines([-0.35, -0.1], lo, hi, color="0.4", linewidth=0.8)
        for zp, gx in zip(z_pos, s["g_of_z"], strict=True):
            ax.annotate(
                "",
                xy=(gx, -0.1),
                xytext=(zp, -0.35),
                arrowprops={"arrowstyle": "->", "color": GREEN, "linewidth": 0.8},
            )
        ax.text(lo, -0.42, "z", fontsize=8, va="top")
        ax.text(lo, -0.06, "x", fontsize=8)
        ax.set_title(f"{s['label']} {s['caption']}", fontsize=9)
        ax.set_ylim(-0.48, 1.08)
        ax.set_yticks([0, 0.5, 1])
        ax.set_xlabel("x")
    handles, labels = axes[0].get_legend_handles_labels()
    legend_outside(fig, handles, labels=labels)
    return fig


def saturation_figure(res: dict) -> Figure:
    """Left: the two generator losses vs D(G(z)). Middle: |d loss / d logit|. Right: |∂θ E[loss]| vs λ."""
    fig = Figure(figsize=(13, 3.8), layout="constrained")
    ax1, ax2, ax3 = fig.subplots(1, 3)
    c, g = res["curves"], res["gradients"]
    sat = {"color": VERMILLION, "linestyle": "-", "marker": "o", "markevery": 20, "markersize": 4}
    ns = {"color": BLUE, "linestyle": "--", "marker": "s", "markevery": 20, "markersize": 4}
    ax1.plot(c["d"], c["loss_sat"], **sat, label="saturating: log(1 − D)")
    ax1.plot(c["d"], c["loss_ns"], **ns, label="non-saturating: −log D")
    ax1.set_xlabel("D(G(z))")
    ax1.set_ylabel("generator loss (minimized)")
    legend_outside(ax1, ncol=1)
    ax2.plot(c["d"], np.abs(c["dloss_dlogit_sat"]), **sat, label="saturating: |−D|")
    ax2.plot(c["d"], np.abs(c["dloss_dlogit_ns"]), **ns, label="non-saturating: |−(1 − D)|")
    ax2.set_xlabel("D(G(z))")
    ax2.set_ylabel("|d loss / d logit|")
    legend_outside(ax2, ncol=1)
    marks = max(1, len(g["lambda"]) // 10)
    ax3.plot(g["lambda"], g["grad_sat"], **{**sat, "markevery": marks}, label="saturating")
    ax3.plot(g["lambda"], g["grad_ns"], **{**ns, "markevery": marks}, label="non-saturating")
    ax3.set_xlabel("λ  (D = σ(λ·log(p_data/p_g)); λ = 1 is D*)")
    ax3.set_ylabel(f"|∂ E[loss] / ∂θ|, θ = {res['param']}")
    ax3b = ax3.twinx()
    ax3b.plot(g["lambda"], g["mean_d_g"], color="0.45", linestyle=":", label="E_g[D]")
    ax3b.set_ylabel("E_g[D(x)], mean D on generated points", color="0.45")
    ax3b.set_ylim(0, 1)
    h1, l1 = ax3.get_legend_handles_labels()
    h2, l2 = ax3b.get_legend_handles_labels()
    legend_outside(ax3, h1 + h2, ncol=2, labels=l1 + l2)
    fig.suptitle(f"data {res['data']},  generator {res['gen']}", fontsize=9)
    return fig


def lipschitz_figure(res: dict) -> Figure:
    """Top: densities and samples. Middle: WGAN critic and LS-GAN bounds. Bottom: generator velocities."""
    fig = Figure(figsize=(9, 8), layout="constrained")
    top, mid, bottom = fig.subplots(3, 1, sharex=True, height_ratios=[2, 3, 3])
    x = res["x"]
    top.plot(x, res["p_data"], **DATA)
    top.plot(x, res["p_g"], **GEN)
    top.plot(res["x_data"], np.zeros_like(res["x_data"]), "|", color=BLACK, markersize=12, label="real samples")
    top.plot(res["x_gen"], np.zeros_like(res["x_gen"]), "x", color=GREEN, markersize=6, label="generated samples")
    top.set_ylabel("density")
    legend_outside(top, side="right")
    top.set_title(f"W1 = {res['w1']:.4g},  LS-GAN κ = {res['kappa']:g}, λ = {res['lam']:g}", fontsize=9)
    mid.plot(x, res["wgan_critic"], color=BLUE, linestyle="--", label="WGAN critic f (Kantorovich potential)")
    mid.plot(x, res["lsgan_lower"], color=VERMILLION, linestyle="-", label="LS-GAN lower bound L_lower")
    mid.plot(x, res["lsgan_upper"], color=PURPLE, linestyle="-.", label="LS-GAN upper bound L_upper")
    mid.plot(res["x_data"], res["l_data"], "o", color=BLACK, markersize=4, label="l* at real samples")
    mid.plot(res["x_gen"], res["l_gen"], "s", color=GREEN, markersize=4, label="l* at generated samples")
    mid.set_ylabel("critic / loss value")
    legend_outside(mid, side="right")
    v = res["velocity"]
    styles = [
        ("wgan", "WGAN: f'(x)", BLUE, "--"),
        ("lsgan_lower", "LS-GAN: −L_lower'(x)", VERMILLION, "-"),
        ("lsgan_upper", "LS-GAN: −L_upper'(x)", PURPLE, "-."),
        ("gan_saturating", "GAN (D*), saturating", ORANGE, ":"),
        ("gan_non_saturating", "GAN (D*), non-saturating", SKY, (0, (5, 1, 1, 1))),
    ]
    gen_support = res["p_g"] > 1e-3 * np.max(res["p_g"])
    for key, label, color, ls in styles:
        curve = v[key] if key.startswith(("wgan", "lsgan")) else np.where(gen_support, v[key], np.nan)
        bottom.plot(x, curve, color=color, linestyle=ls, linewidth=1.5, label=label)
    bottom.fill_between(
        x,
        0,
        1,
        where=gen_support,
        color=GREEN,
        alpha=0.08,
        label="where p_g > 0.1 % of peak",
        transform=bottom.get_xaxis_transform(),
    )
    bottom.set_ylabel("generator velocity −∂x loss")
    bottom.set_title("GAN curves drawn only where p_g lives: that is where generated points are", fontsize=8)
    bottom.set_xlabel("x")
    legend_outside(bottom, side="right")
    return fig
