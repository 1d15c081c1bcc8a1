"""Charts of lines and points that the browser draws (ui/charts.js XYChart, mounted by ui.charts.show_xy): typed
payloads of arrays Python computed, one builder per figure of the theory pages; matplotlib draws the same figures
only for the PNG/SVG downloads.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

from dynamics.dirac.plotting import eigen_reach
from dynamics.oned.optimal import undefined_intervals
from dynamics.palette import BLACK, BLUE, GREEN, OKABE_ITO, ORANGE, PURPLE, SKY, VERMILLION
from ui.charts import dash_pattern, payload_json


@dataclass(frozen=True)
class Series:
    """Points or a line of an XYChart; `hover`: whether the pointer reads out its points."""

    label: str | None
    x: np.ndarray
    y: np.ndarray
    color: str
    mode: str = "line"  # or "points"
    dash: tuple[float, ...] = ()
    marker: str = "o"
    filled: bool = True
    width: float = 1.5
    hover: bool = True
    axis: str = "y"  # or "y2": the right axis of a chart with `window2`
    size: float = 5.0  # marker radius in pixels
    edge: str = ""  # a filled marker's outline colour ("": none)
    edge_width: float = 1.2
    stream: bool = False  # x, y are the points from the chart's `start` on (ui.live_charts)


@dataclass(frozen=True)
class Heat:
    """Values in [0, 1] on n×n cells of `window`, row-major from the lowest y up, drawn under the series in
    `palette` (value v gets palette[floor(v·len)]); hover reads out `label` = v at the pointer."""

    n: int
    window: tuple[float, float, float, float]
    values: np.ndarray
    palette: tuple[str, ...]
    label: str


@dataclass(frozen=True)
class Rule:
    """A vertical (axis "x") or horizontal (axis "y") line across the plot."""

    axis: str
    value: float
    color: str
    label: str | None = None
    dash: tuple[float, ...] = ()
    width: float = 1.0


@dataclass(frozen=True)
class XYChart:
    """Lines and points in a window (x0, x1, y0, y1), equal scales when `equal` (else height = `aspect` × width);
    `note` is written in the plot, `bands` (x intervals) are shaded, y is on a log scale when `ylog`. Hover reads
    out the nearest point, or every series at the nearest x when `readout` is "x". A `clickable` chart sends clicks
    back, a `drag` one drags too. Series on axis "y2" use the right axis (`y2label`, `window2`, linear); `heat` is
    drawn under the series. A chart with a `run` is streamed: its `stream` series carry only the points from index
    `start` of that run's history, which the browser appends to the points it holds (ui.live_charts)."""

    title: str
    xlabel: str
    ylabel: str
    window: tuple[float, float, float, float]
    series: tuple[Series, ...]
    rules: tuple[Rule, ...] = ()
    equal: bool = False
    legend: str = "upper right"
    note: str = ""
    hint: str = ""
    clickable: bool = False
    drag: bool = False
    aspect: float = 0.68
    bands: tuple[tuple[float, float], ...] = ()
    band_label: str = ""
    band_color: str = "#e6e6e6"
    readout: str = "point"
    ylog: bool = False  # y on a log scale (window y bounds > 0, in data units); y ≤ 0 is not drawn
    y2label: str = ""
    window2: tuple[float, float] | None = None
    heat: Heat | None = None
    run: str = ""  # a streamed chart (ui.live_charts): the run its `stream` series belong to, and the index of
    start: int = 0  # their first point in that run's history

    def to_json(self) -> str:
        return payload_json("xy", self)


def eigen_chart(continuous=None, discrete=None) -> XYChart:
    """The eigenvalue plot of dynamics.dirac.plotting.eigen_axes for the browser: Jacobian eigenvalues (stable:
    Re < 0) and the update operator's (stable: inside the unit circle), in the same window."""
    t = np.linspace(0, 2 * np.pi, 129)
    series = [Series("unit circle", np.cos(t), np.sin(t), "#666666", width=1.0, hover=False)]
    if continuous is not None:
        z = np.asarray(continuous)
        series.append(Series("Jacobian (continuous)", z.real, z.imag, OKABE_ITO[3], "points"))
    if discrete is not None:
        z = np.asarray(discrete)
        series.append(
            Series("update operator (discrete)", z.real, z.imag, OKABE_ITO[4], "points", marker="D", filled=False)
        )
    reach = eigen_reach(continuous, discrete)
    return XYChart(
        "Eigenvalues at the equilibrium",
        "Re λ",
        "Im λ",
        (-reach, reach, -reach, reach),
        tuple(series),
        (Rule("x", 0.0, "#b3b3b3"), Rule("y", 0.0, "#b3b3b3")),
        equal=True,
        legend="lower left",
        note=""
        if continuous is not None or discrete is not None
        else "undefined: the objective is not\ndifferentiable at the equilibrium",
        hint="Hover over a point for its value.",
    )


def span(*arrays, include=(), pad: float = 0.05) -> tuple[float, float]:
    """The finite values' span (with `include`), padded by `pad` of its width on each side."""
    values = np.concatenate([np.ravel(a) for a in arrays] + [np.asarray(include, float)])
    values = values[np.isfinite(values)]
    if not values.size:
        return (0.0, 2.0)
    lo, hi = float(values.min()), float(values.max())
    margin = pad * (hi - lo) if hi > lo else 0.5
    return (lo - margin, hi + margin)


def log_span(*arrays, empty: tuple[float, float] = (1e-3, 1.0)) -> tuple[float, float]:
    """A log-scale y span: half the smallest finite positive value to twice the largest (`empty` when none)."""
    values = np.concatenate([np.ravel(np.asarray(a, float)) for a in arrays])
    values = values[np.isfinite(values) & (values > 0)]
    return (float(values.min()) / 2, float(values.max()) * 2) if values.size else empty


def radius_chart(lrs, radius, h: float, h_star: float | None, title: str) -> XYChart:
    """Spectral radius ρ against h (ui.dirac.radius_fig for the browser): ρ = 1, the current h and the h where
    convergence stops marked."""
    rules = [Rule("y", 1.0, OKABE_ITO[2], "ρ = 1", dash_pattern("--"), 1.5)]
    rules.append(Rule("x", h, OKABE_ITO[3], f"current h = {h:g}", dash_pattern(":"), 1.5))
    if h_star is not None and h_star <= lrs[-1]:
        rules.append(Rule("x", h_star, OKABE_ITO[4], f"stops converging: h = {h_star:.4g}", dash_pattern("-."), 1.5))
    finite = np.isfinite(radius).any()
    return XYChart(
        title,
        "learning rate h",
        "spectral radius ρ",
        (0.0, float(lrs[-1]), *span(radius, include=[1.0])),
        (Series("ρ(h)", lrs, radius, OKABE_ITO[0]),),
        tuple(rules),
        note="" if finite else "undefined: no update operator here",
    )


def path_chart(values, eigenvalues, param: str, real: float | None, title: str) -> XYChart:
    """Real and imaginary parts of the Jacobian's eigenvalues against γ or σ (ui.dirac.path_fig for the browser),
    with the value where they turn real marked."""
    series = []
    for k, dash in ((0, ()), (1, dash_pattern("--"))):
        series.append(Series(f"Re λ{k + 1}", values, eigenvalues[:, k].real, OKABE_ITO[0], dash=dash))
        series.append(Series(f"Im λ{k + 1}", values, eigenvalues[:, k].imag, OKABE_ITO[1], dash=dash))
    rules = [Rule("y", 0.0, "#999999")]
    if real is not None and real <= values[-1]:
        rules.append(Rule("x", real, OKABE_ITO[4], f"real from {param} = {real:.4g}", dash_pattern("-."), 1.5))
    return XYChart(
        title,
        param,
        "eigenvalue",
        (float(values[0]), float(values[-1]), *span(eigenvalues.real, eigenvalues.imag, include=[0.0])),
        tuple(series),
        tuple(rules),
    )


def densities_chart(res: dict) -> XYChart:
    """The upper panel of dynamics.oned.plotting.optimal_figure: p_data and p_g (`summary`'s grid), where D* is
    undefined shaded."""
    x = res["x"]
    top = float(np.nanmax(np.r_[res["p_data"], res["p_g"], 0.0])) or 1.0
    return XYChart(
        "p_data and p_g",
        "x",
        "density",
        (float(x[0]), float(x[-1]), 0.0, 1.08 * top),
        (
            Series("p_data", x, res["p_data"], BLACK, dash=dash_pattern(":"), width=2.0),
            Series("p_g", x, res["p_g"], GREEN, width=1.8),
        ),
        aspect=0.45,
        bands=tuple((a, b) for a, b in res["d_star_undefined"]),
        band_label="D* undefined",
        readout="x",
    )


def discriminator_chart(res: dict, a: float, b: float) -> XYChart:
    """The lower panel of optimal_figure: D*(x) = p_data/(p_data + p_g) and the movable D(x) = σ(a·x + b); a click
    or a drag on it sets the movable D (ui.charts.show_xy's on_click)."""
    x = res["x"]
    return XYChart(
        "the optimal discriminator and yours",
        "x",
        "D(x) = P(real | x)",
        (float(x[0]), float(x[-1]), -0.05, 1.05),
        (
            Series("D*(x)", x, res["d_star"], BLUE, dash=dash_pattern("--"), width=1.8),
            Series("σ(a·x + b)", x, special.expit(a * x + b), ORANGE, dash=dash_pattern("-."), width=1.5),
        ),
        (Rule("y", 0.5, "#999999", dash=dash_pattern(":"), width=0.8),),
        aspect=0.4,
        bands=tuple((lo, hi) for lo, hi in res["d_star_undefined"]),
        band_label="D* undefined",
        readout="x",
        hint="Click: your D passes through the point (slope a kept). Drag: it passes through both ends.",
        clickable=True,
        drag=True,
    )


def _pair(title, xlabel, ylabel, x, sat, ns, labels, window=None, legend_note="") -> XYChart:
    """Saturating (vermillion, solid) against non-saturating (blue, dashed) over the same x."""
    return XYChart(
        title,
        xlabel,
        ylabel,
        window or (float(x[0]), float(x[-1]), *span(sat, ns, include=[0.0])),
        (
            Series(labels[0], x, sat, VERMILLION, width=1.8),
            Series(labels[1], x, ns, BLUE, dash=dash_pattern("--"), width=1.8),
        ),
        aspect=0.75,
        readout="x",
        hint=legend_note,
    )


def saturation_charts(res: dict) -> tuple[XYChart, ...]:
    """The panels of dynamics.oned.plotting.saturation_figure for the browser: the two generator losses and their
    logit derivatives against D(G(z)); the generator's gradient under each loss and the mean D(G(z)) against λ
    (D_λ = σ(λ·log(p_data/p_g)), λ = 1 is D*)."""
    c, g = res["curves"], res["gradients"]
    lam = np.asarray(g["lambda"])
    return (
        _pair(
            "generator losses",
            "D(G(z))",
            "loss (minimized)",
            c["d"],
            c["loss_sat"],
            c["loss_ns"],
            ("saturating: log(1 − D)", "non-saturating: −log D"),
        ),
        _pair(
            "size of the logit gradient",
            "D(G(z))",
            "|d loss / d logit|",
            c["d"],
            np.abs(c["dloss_dlogit_sat"]),
            np.abs(c["dloss_dlogit_ns"]),
            ("saturating: |−D|", "non-saturating: |−(1 − D)|"),
            window=(0.0, 1.0, -0.05, 1.05),
        ),
        _pair(
            f"generator gradient, θ = {res['param']}",
            "λ (λ = 1 is D*)",
            "|∂ E[loss] / ∂θ|",
            lam,
            g["grad_sat"],
            g["grad_ns"],
            ("saturating", "non-saturating"),
        ),
        XYChart(
            "mean D on generated points",
            "λ (λ = 1 is D*)",
            "E_g[D(x)]",
            (float(lam[0]), float(lam[-1]), 0.0, 1.0),
            (Series("E_g[D]", lam, np.asarray(g["mean_d_g"]), "#737373", dash=dash_pattern(":"), width=1.8),),
            aspect=0.45,
            readout="x",
        ),
    )


VELOCITIES = (
    ("wgan", "WGAN: f′(x)", BLUE, "--"),
    ("lsgan_lower", "LS-GAN: −L_lower′(x)", VERMILLION, "-"),
    ("lsgan_upper", "LS-GAN: −L_upper′(x)", PURPLE, "-."),
    ("gan_saturating", "GAN (D*), saturating", ORANGE, ":"),
    ("gan_non_saturating", "GAN (D*), non-saturating", SKY, (0, (5, 1, 1, 1))),
)


def lipschitz_charts(res: dict) -> tuple[XYChart, XYChart, XYChart]:
    """The panels of dynamics.oned.plotting.lipschitz_figure for the browser: densities and samples; the WGAN
    critic, the LS-GAN bounds and l* at the samples; the generator velocity −∂x loss under each (the GAN's only
    where p_g exceeds 0.1 % of its peak, shaded: that is where generated points are)."""
    x = res["x"]
    xs = (float(x[0]), float(x[-1]))
    zeros = lambda a: np.zeros_like(np.asarray(a, dtype=float))  # noqa: E731
    top = float(np.nanmax(np.r_[res["p_data"], res["p_g"], 0.0])) or 1.0
    densities = XYChart(
        f"W1 = {res['w1']:.4g}; LS-GAN κ = {res['kappa']:g}, λ = {res['lam']:g}",
        "x",
        "density",
        (*xs, -0.06 * top, 1.08 * top),
        (
            Series("p_data", x, res["p_data"], BLACK, dash=dash_pattern(":"), width=2.0, hover=False),
            Series("p_g", x, res["p_g"], GREEN, width=1.8, hover=False),
            Series("real samples", res["x_data"], zeros(res["x_data"]), BLACK, "points", marker="o"),
            Series("generated samples", res["x_gen"], zeros(res["x_gen"]), GREEN, "points", marker="X"),
        ),
        aspect=0.35,
        hint="Hover over a sample for its x.",
    )
    curves = (res["wgan_critic"], res["lsgan_lower"], res["lsgan_upper"], res["l_data"], res["l_gen"])
    critic = XYChart(
        "critics",
        "x",
        "critic / loss value",
        (*xs, *span(*curves)),
        (
            Series("WGAN critic f", x, res["wgan_critic"], BLUE, dash=dash_pattern("--"), hover=False),
            Series("LS-GAN lower bound", x, res["lsgan_lower"], VERMILLION, hover=False),
            Series("LS-GAN upper bound", x, res["lsgan_upper"], PURPLE, dash=dash_pattern("-."), hover=False),
            Series("l* at real samples", res["x_data"], res["l_data"], BLACK, "points", marker="o"),
            Series("l* at generated samples", res["x_gen"], res["l_gen"], GREEN, "points", marker="s"),
        ),
        aspect=0.45,
        hint="Hover over a sample for l* there.",
    )
    v = res["velocity"]
    live = res["p_g"] > 1e-3 * np.max(res["p_g"])
    lines = tuple(
        Series(
            label,
            x,
            v[key] if key.startswith(("wgan", "lsgan")) else np.where(live, v[key], np.nan),
            color,
            dash=dash_pattern(style),
        )
        for key, label, color, style in VELOCITIES
    )
    velocity = XYChart(
        "generator velocity",
        "x",
        "−∂x loss",
        (*xs, *span(*(s.y for s in lines), include=[0.0])),
        lines,
        aspect=0.45,
        bands=tuple(tuple(band) for band in undefined_intervals(x, ~live)),  # the runs where p_g lives
        band_label="where p_g > 0.1 % of peak",
        band_color="#e5f5ef",
        readout="x",
    )
    return densities, critic, velocity


def mixture_path_chart(path) -> XYChart:
    """C(p_t) along p_t = (1 − t)·p_g + t·p_data (dynamics.oned.plotting.mixture_path_figure for the browser):
    the curve, its chord (convex: the curve stays below it) and the minimum −log 4."""
    t, c = np.asarray(path.t), np.asarray(path.criterion)
    return XYChart(
        "Proposition 2 along the path",
        "t   (p_t = (1 − t)·p_g + t·p_data)",
        "C",
        (-0.02, 1.02, *span(c, include=[-np.log(4)])),
        (
            Series("C(p_t) = V(p_t, D*_t)", t, c, BLUE, width=1.8, hover=False),
            Series("C at t", t, c, BLUE, "points"),
            Series("chord", t[[0, -1]], c[[0, -1]], ORANGE, dash=dash_pattern("--"), width=1.2, hover=False),
        ),
        (Rule("y", -np.log(4), BLACK, "−log 4", dash_pattern(":"), 1.2),),
        aspect=0.45,
        hint="Hover over a point for C(p_t).",
    )


def figure1_charts(stages: list[dict]) -> tuple[XYChart, ...]:
    """Goodfellow et al. 2014, Fig. 1, one chart per stage (a)–(d): p_data and p_g scaled by their common peak, D,
    and the map from z (lower line) to x = G(z) (upper line) as segments (dynamics.oned.plotting.figure1)."""
    top = max(max(np.max(s["p_data"]), np.max(s["p_g"])) for s in stages)
    out = []
    for s in stages:
        x = np.asarray(s["x"])
        lo, hi = float(x[0]), float(x[-1])
        z_at = lo + np.asarray(s["z"]) * (hi - lo)
        n = len(z_at)
        seg_x = np.column_stack([z_at, s["g_of_z"], np.full(n, np.nan)]).ravel()
        seg_y = np.tile([-0.35, -0.1, np.nan], n)
        out.append(
            XYChart(
                f"{s['label']} {s['caption']}",
                "x",
                "",
                (lo, hi, -0.48, 1.08),
                (
                    Series("p_data", x, s["p_data"] / top, BLACK, dash=dash_pattern(":"), width=2.0),
                    Series("p_g", x, s["p_g"] / top, GREEN, width=1.8),
                    Series("D(x)", x, s["d"], BLUE, dash=dash_pattern("--"), width=1.8),
                    Series("z → x = G(z)", seg_x, seg_y, GREEN, width=0.8, hover=False),
                ),
                (Rule("y", -0.35, "#666666"), Rule("y", -0.1, "#666666")),
                legend="lower center",
                aspect=0.9,
                readout="x",
            )
        )
    return tuple(out)
