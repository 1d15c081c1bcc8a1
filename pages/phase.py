"""Page 1: Dirac-GAN phase portraits — vector field, trajectories, status, the derived field and Jacobian."""

import streamlit as st

from dynamics.dirac import report
from dynamics.dirac.analysis import pairs
from dynamics.dirac.field import make_objective
from dynamics.dirac.objectives import symbolic_field
from dynamics.dirac.optimizers import Optimizer
from dynamics.dirac.plotting import WINDOW, fit_window
from dynamics.dirac.stability import radius_vs_lr
from dynamics.dirac.status import STATUS, STATUS_BY_NAME, status_key
from dynamics.dirac.trajectories import Schedule, simulate
from ui import charts, controls, dirac, exercises, export

controls.start_page("phase")
st.markdown(
    "The Dirac-GAN (Mescheder, Geiger & Nowozin 2018) has one generator parameter θ (it puts all its mass at "
    "x = θ) and one discriminator parameter ψ (D(x) = ψ·x); the data is a point mass at 0, so the equilibrium "
    "is (θ, ψ) = (0, 0). Arrows show the gradient vector field v(θ, ψ); lines show discrete training runs, "
    f"drawn by status: {status_key()}."
)


def eigen_caption(cont, disc) -> str:
    """What the eigenvalue plot shows, or why it is empty."""
    if cont is None:
        return "No eigenvalues: the objective is not differentiable at the equilibrium (one-sided Jacobians below)."
    if disc is None:
        return "Green dots: Jacobian eigenvalues. The discrete update has no linearization here (Adam)."
    return (
        "Green dots: Jacobian eigenvalues (continuous time: stable when left of the vertical axis). "
        "Pink diamonds: eigenvalues of one round of the discrete update (stable inside the unit circle)."
    )


with st.sidebar:
    mode = controls.select("mode", "View", ["single", "compare"], "single", radio=True, fmt=str.capitalize)
    obj = dirac.objective_controls(show=mode == "single")
    objs = dirac.compare_controls(show=mode == "compare")
    schedule, opt = dirac.update_controls()
    starts, grid_n = dirac.start_controls()
    schedule = dirac.capped(schedule, opt, [obj] if mode == "single" else objs or [], starts)
    single_curves = mode == "single" and not grid_n  # the flow is drawn on the single view's trajectories
    show_flow = bool(controls.toggle("flow", "overlay the continuous-time flow (h → 0)", show=single_curves))
    charts.added_control(show=mode == "single")


def summary(a, view) -> str:
    """The analysis in words (a subset of the CLI's text: the page shows the rest itself), one line each, and
    the plot window when it had to widen or a trajectory leaves it."""
    lines = report.describe(a, detail=False) + [report.window_line(view, a.trajectories)]
    return "  \n".join(controls.plain(line) for line in lines if line)


def trajectory_table(rows, limit: int = 12) -> str:
    """The first trajectories as a markdown table (cheaper for the browser than a data grid)."""
    lines = [
        "| start (θ, ψ) | status | rounds | end (θ, ψ) | distance to (0, 0) | last-quarter growth |",
        "|---|---|---:|---|---:|---:|",
    ]
    for r in rows[:limit]:
        growth = report.growth_text(r.growth) or "—"
        lines.append(
            f"| ({r.start[0]:.3g}, {r.start[1]:.3g}) | {STATUS_BY_NAME[r.status].symbol} {r.status} "
            f"| {r.rounds} | ({r.end[0]:.4g}, {r.end[1]:.4g}) | {r.distance:.4g} | {growth} |"
        )
    if len(rows) > limit:
        lines.append(f"\n{len(rows) - limit} more in the CSV download.")
    return "\n".join(lines)


def path_csv(run) -> str:
    rows = [(i, k, p[0], p[1], run.status[i]) for i, path in enumerate(run.paths()) for k, p in enumerate(path)]
    return export.to_csv(["trajectory", "sample", "theta", "psi", "status"], rows)


@st.fragment
def phase_view(obj, schedule, opt, starts, grid_n, show_flow) -> None:
    """The chart and what is read from its runs (summary, downloads, status counts, table): a click on the plane
    reruns only this part."""
    clickable = not grid_n and not controls.held("added")
    starts = charts.with_added(starts, grid_n)
    a = dirac.analysis(obj, schedule, opt, starts, record=not grid_n)
    run = a.run
    view = fit_window(run, WINDOW, grid_n)
    charts.show_phase(dirac.phase_chart_json(obj, schedule, opt, starts, grid_n, show_flow, clickable))
    st.caption(summary(a, view))
    if clickable and st.session_state.get("added"):
        st.button("Remove the starts added by clicking", on_click=charts.clear_added)
    data = {f"phase-{obj.name}-analysis.json": lambda: export.to_json({**a.to_json(), "window": view.to_json()})}
    if run.path is not None:
        data[f"phase-{obj.name}-paths.csv"] = lambda: path_csv(run)
    export.downloads(
        lambda: dirac.phase_fig(obj, run, grid_n, dirac.flows_for(obj, schedule, starts, grid_n) if show_flow else []),
        f"phase-{obj.name}",
        data,
    )
    n = len(starts)
    st.markdown(f"Trajectory status ({n} start{'s' if n > 1 else ''}): {report.status_counts(a, bold=True)}")
    if not grid_n:
        st.markdown(trajectory_table(a.trajectories))


if mode == "single":
    a = dirac.analysis(obj, schedule, opt, starts, record=not grid_n)
    cont, disc = a.eigenvalues, a.update.eigenvalues
    left, right = st.columns([5, 4])
    with left:
        phase_view(obj, schedule, opt, starts, grid_n, show_flow)
    with right:
        charts.show_figure(
            dirac.eigen_chart_json(cont, disc),
            "eigen_chart",
            lambda: dirac.eigen_fig(cont, disc),
            f"eigenvalues-{obj.name}",
            eigen_caption(cont, disc),
            {
                f"eigenvalues-{obj.name}-eigenvalues.json": lambda: export.to_json(
                    {"continuous": pairs(cont), "discrete": pairs(disc)}
                )
            },
        )
    with st.expander("What the statuses mean"):
        st.markdown(
            "Judged on each run from its distance to (0, 0), as it ends and over the last two quarters of the "
            "run:\n\n"
            + "\n".join(f"- {s.symbol} **{s.name}**: {s.meaning}" for s in STATUS)
            + "\n\nThe verdict above is local: what the linearized update does near (0, 0). A run that starts "
            "farther out can do otherwise."
        )

    st.subheader("The derived field and Jacobian")
    st.markdown("The field v = (−∂L_G/∂θ, ∂L_D/∂ψ), derived symbolically from the objective:")
    st.latex(r"v(\theta, \psi) = " + dirac.readable_tex(a.field_latex))
    if "Heaviside" in str(symbolic_field(obj.loss, obj.reg)):
        st.caption("H is the Heaviside step function (H(u) = 1 for u > 0, 0 for u < 0).")
    if a.jacobian_latex:
        st.markdown("Jacobian at the equilibrium (0, 0) and its eigenvalues:")
        st.latex(r"J = " + a.jacobian_latex)
        st.latex(r"\lambda_{1,2} = " + a.eigenvalues_latex)
    elif a.jacobian is not None:
        st.markdown("Jacobian at (0, 0), numerically (the noise average has no closed form):")
        st.latex(r"J \approx " + dirac.matrix_tex(a.jacobian))
    else:
        st.markdown(
            "The objective is **not differentiable at (0, 0)**: the Jacobian is undefined there. "
            "On each side of the kink:"
        )
        for side in a.sides:
            st.markdown(f"- where {report.side_line(side)}")
    if a.note:
        st.caption(a.note)
    if obj.loss == "wgan-gp" and obj.params.get("target") == 0:
        st.info(dirac.WASSERSTEIN_DIVERGENCE)
else:
    if not objs:
        st.info("Pick at least one objective to compare.")
        st.stop()
    analyses = [dirac.analysis(o, schedule, opt, starts, record=not grid_n) for o in objs]
    views = [fit_window(a.run, WINDOW, grid_n) for a in analyses]
    charts.show_grid(
        dirac.compare_charts_json(objs, schedule, opt, starts, grid_n),
        "compare_chart",
        [controls.plain(str(a.verdict)) for a in analyses],
    )
    st.caption("\n\n".join(summary(a, v) for a, v in zip(analyses, views, strict=True)))
    export.downloads(
        lambda: dirac.compare_fig(objs, schedule, opt, starts, grid_n),
        "phase-compare",
        {
            "phase-compare-analyses.json": lambda: export.to_json(
                {"compare": [{**a.to_json(), "window": v.to_json()} for a, v in zip(analyses, views, strict=True)]}
            )
        },
    )
    st.dataframe(
        [
            {
                "objective": o.title,
                "continuous time": a.verdict.continuous,
                "spectral radius": report.radius_text(a, 5),
                "discrete": a.verdict.local,
                **a.counts(),
            }
            for o, a in zip(objs, analyses, strict=True)
        ],
        hide_index=True,
    )


def wgan_growth() -> float:
    """Growth factor per step of simultaneous GD on the WGAN at h = 0.1: the spectral radius √(1 + h²)."""
    return float(radius_vs_lr(make_objective("wgan"), [0.1], Optimizer())[0])


def alt_distance() -> float:
    """Distance to the equilibrium after 500 alternating rounds of GD on the unregularized GAN from (1, 1)."""
    run = simulate(make_objective("gan"), [(1.0, 1.0)], Schedule(0.1, 0.1, "alt"), Optimizer(), record=False)
    return float(run.distance[0])


exercises.show(
    [
        exercises.Exercise(
            "phase_wgan_growth",
            "Set the loss to **WGAN**, no regularizer, gradient descent, **simultaneous** updates, h = 0.1.",
            "By what factor does the distance to the equilibrium grow per step (near the equilibrium)?",
            wgan_growth,
            "The update x ← x + h·J·x multiplies the distance by the modulus of the eigenvalues of I + hJ; "
            "read the spectral radius in the summary under the figure.",
            "J has eigenvalues ±i, so I + hJ has eigenvalues 1 ± ih with modulus √(1 + h²) ≈ 1.005 > 1: "
            "simultaneous GD spirals outward for every h > 0, although the continuous flow circles forever.",
            rel_tol=1e-4,
            needs={
                "mode": "single",
                "loss": "wgan",
                "reg": "none",
                "optimizer": "gd",
                "scheme": "sim",
                "lr": 0.1,
                "two_lr": False,
            },
        ),
        exercises.Exercise(
            "phase_alt_cycle",
            "Now the **GAN (minimax)** loss, no regularizer, gradient descent with **alternating** updates, "
            "h = 0.1, 500 rounds, one start at (θ₀, ψ₀) = (1, 1).",
            "How far from the equilibrium (0, 0) is the run after 500 rounds? (2 % tolerance)",
            alt_distance,
            "Look at the 'distance to (0, 0)' column of the trajectory table.",
            "Alternating GD neither converges nor diverges here: near the equilibrium its update operator has "
            "eigenvalues on the unit circle (for h < 2/|f′(0)|), so the run keeps cycling at about its starting "
            "distance. For gradient descent, simultaneous or alternating, only a regularizer such as R1 or "
            "instance noise makes the equilibrium attractive; extragradient and optimistic GD make it attractive "
            "without one (simultaneous, h = 0.1: spectral radius 0.99875 < 1, so runs shrink, slowly).",
            needs={
                "mode": "single",
                "loss": "gan",
                "reg": "none",
                "optimizer": "gd",
                "scheme": "alt",
                "g_steps": 1,
                "d_steps": 1,
                "lr": 0.1,
                "two_lr": False,
                "steps": 500,
                "starts": "point",
                "theta0": 1.0,
                "psi0": 1.0,
            },
        ),
    ]
)
controls.share_box("phase")
