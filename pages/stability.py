"""Page 2: eigenvalues & stability — continuous-time and discrete eigenvalues, radius vs h, eigenvalue paths."""

import numpy as np
import streamlit as st

from dynamics.dirac.field import make_objective
from dynamics.dirac.optimizers import Optimizer
from dynamics.dirac.report import complex_list
from dynamics.dirac.stability import max_stable_lr, real_from
from ui import charts, controls, convergence, dirac, exercises, export, xychart

controls.start_page("stability")
st.markdown(
    "Near the equilibrium (0, 0) the field is approximately v(x) ≈ J·x. In **continuous time** the dynamics "
    "converge locally when every eigenvalue of the Jacobian J has a negative real part. A **discrete** method "
    "multiplies the state by its update operator every round; it converges when all the operator's "
    "eigenvalues lie inside the unit circle (spectral radius ρ < 1), cycles at ρ = 1 and diverges at ρ > 1."
)

with st.sidebar:
    obj = dirac.objective_controls()
    schedule, opt = dirac.update_controls(steps=False)
    st.divider()
    lr_max = controls.slider("lr_max", "spectral-radius plot: largest h", 0.1, 10.0, 4.0, 0.1)
    sweepable = [p for p in ("gamma", "sigma") if p in dirac.used_names(obj.loss, obj.reg)]
    sweep_max = controls.slider("sweep_max", "eigenvalue paths: largest γ or σ", 0.5, 10.0, 3.0, 0.5)

a = dirac.analysis(obj, schedule, opt, np.zeros((0, 2)))
up = a.update
c, d, rho = a.eigenvalues, up.eigenvalues, up.spectral_radius

left, right = st.columns(2)
with left:
    st.subheader("Eigenvalues now")
    charts.show_figure(
        dirac.eigen_chart_json(c, d),
        "eigen_chart",
        lambda: dirac.eigen_fig(c, d),
        f"eigenvalues-{obj.name}",
        f"Jacobian eigenvalues: {complex_list(c, 4)} → {a.verdict.continuous}. "
        f"Update operator ({up.optimizer}, {dirac.SCHEME_TITLES[up.scheme]}, h_G = {up.lr_g:g}, "
        f"h_D = {up.lr_d:g}) eigenvalues: {complex_list(d, 4)}; spectral radius "
        + ("undefined" if rho is None else f"{rho:.5f}")
        + f" → {a.verdict.local}.",
        {f"eigenvalues-{obj.name}-analysis.json": lambda: export.to_json(a.to_json())},
    )
    if a.jacobian is None:
        st.warning(
            "This objective is not differentiable at the equilibrium, so neither the Jacobian nor the update "
            "operator is defined there (the phase-portrait page shows the one-sided Jacobians)."
        )
    elif opt.name == "adam":
        st.info("Adam's update is not differentiable at v = 0, so it has no update operator to analyse.")
    if obj.loss == "wgan-gp" and obj.params.get("target") == 0:
        st.info(dirac.WASSERSTEIN_DIVERGENCE)

with right:
    st.subheader("Spectral radius against the learning rate")
    lrs, radius = dirac.radius_curve(obj, opt, schedule, lr_max)
    h_star = dirac.critical_lr_of(obj, opt, schedule)

    finite = np.isfinite(radius)
    summary = (
        "The spectral radius is undefined for this objective or optimizer."
        if not finite.any()
        else f"ρ ranges over [{np.min(radius[finite]):.4f}, {np.max(radius[finite]):.4f}] for h in "
        f"(0, {lr_max:g}]; at the current h = {schedule.lr_g:g}, ρ = "
        + ("undefined" if rho is None else f"{rho:.5f}")
        + ". "
        + (
            f"The method stops converging at h = {h_star:.4g}."
            if h_star is not None
            else "It does not converge even for very small h."
            if finite.any() and radius[finite][0] >= 1
            else "It converges for every h up to 100."
        )
    )
    charts.show_figure(
        xychart.radius_chart(
            lrs, radius, schedule.lr_g, h_star, f"{obj.title}: {opt.name}, {dirac.SCHEME_TITLES[schedule.scheme]}"
        ).to_json(),
        "radius_chart",
        lambda: dirac.radius_fig(obj, opt, schedule, lr_max),
        f"radius-{obj.name}",
        summary,
        {
            f"radius-{obj.name}-curve.csv": lambda: export.to_csv(
                ["lr_g", "spectral_radius"], zip(lrs, radius, strict=True)
            )
        },
    )

st.subheader("Eigenvalue paths")
param = controls.select(
    "sweep", "vary", sweepable or ["gamma", "sigma"], [*sweepable, "gamma"][0], radio=True, show=bool(sweepable)
)
if not sweepable:
    st.info(
        f"{obj.title} has no γ or σ to vary: choose a regularizer (R1, R2, consensus, instance noise) or "
        "WGAN-GP to see where the eigenvalues become real and where the method starts to converge."
    )
else:
    values, eig, real, stable = dirac.eigen_path(obj, param, sweep_max)

    undefined = np.isnan(eig.real).any(axis=1)
    if undefined[1:].all():
        summary = (
            f"For every {param} > 0 the objective is not differentiable at the equilibrium, so J and its "
            f"eigenvalues are undefined there (see the one-sided Jacobians on the phase-portrait page); only "
            f"{param} = 0 has eigenvalues."
        )
    else:
        summary = (
            f"As {param} runs over [0, {sweep_max:g}]: "
            + (f"both eigenvalues are real from {param} = {real:.4g}" if real is not None else "they never turn real")
            + "; "
            + (
                "the real parts never all become negative."
                if stable is None
                else "all real parts are negative (local convergence) "
                + (f"for every {param} > 0." if stable == 0.0 else f"from {param} ≈ {stable:.4g}.")
            )
            + (f" J is undefined (non-smooth) at {undefined.sum()} of the values." if undefined.any() else "")
        )
    rows = [(v, *(f(e) for e in pair for f in (np.real, np.imag))) for v, pair in zip(values, eig, strict=True)]
    header = [param, "re1", "im1", "re2", "im2"]
    charts.show_figure(
        xychart.path_chart(values, eig, param, real, f"{obj.title}: eigenvalues of J against {param}").to_json(),
        "path_chart",
        lambda: dirac.path_fig(obj, param, sweep_max),
        f"eigenpaths-{obj.name}-{param}",
        summary,
        {f"eigenpaths-{obj.name}-{param}-eigenvalues.csv": lambda: export.to_csv(header, rows)},
    )

convergence.section(obj, opt, schedule)

exercises.show(
    [
        exercises.Exercise(
            "stab_real_gamma",
            "Choose the **GAN (minimax)** loss with the **R1 penalty** and watch the eigenvalue paths against γ.",
            "What is the smallest γ for which both eigenvalues of the Jacobian are real?",
            lambda: real_from("gan", "r1", "gamma"),
            "The Jacobian is [[0, −½], [½, −γ]]: its eigenvalues are real when trace² ≥ 4·det. The summary under the "
            "eigenvalue-path plot says from which γ they are.",
            "trace = −γ and det = ¼, so the discriminant γ² − 1 vanishes at γ = 1: below it the eigenvalues "
            "are −γ/2 ± i·√(1 − γ²)/2 (a damped spiral), above it both are real and negative (no rotation).",
            needs={"loss": "gan", "reg": "r1"},
        ),
        exercises.Exercise(
            "stab_critical_lr",
            "GAN + **R1** with **γ = 0.3**, gradient descent, **simultaneous** updates. Move the learning rate "
            "and watch the spectral radius plot.",
            "At which learning rate h does simultaneous GD stop converging? (1 % tolerance)",
            lambda: max_stable_lr(make_objective("gan", "r1", gamma=0.3), Optimizer()),
            "Find where the curve crosses ρ = 1 (the summary under the plot gives that h). The operator I + hJ has "
            "eigenvalues 1 + hλ.",
            "|1 + hλ| < 1 ⇔ h < −2·Re λ / |λ|². With γ < 1, |λ|² = det J = ¼ and Re λ = −γ/2, so the "
            "method converges for h < 4γ = 1.2 and oscillates outward beyond it.",
            rel_tol=0.01,
            needs={"loss": "gan", "reg": "r1", "gamma": 0.3, "optimizer": "gd", "scheme": "sim", "two_lr": False},
        ),
        exercises.Exercise(
            "stab_real_sigma",
            "Switch to **instance noise** on the GAN loss and vary σ.",
            "From which noise level σ are both eigenvalues real?",
            lambda: real_from("gan", "instance-noise", "sigma"),
            "Here J = [[0, −½], [½, −σ²/2]]. The summary under the eigenvalue-path plot says from which σ they are "
            "real.",
            "The discriminant σ⁴/4 − 1 vanishes at σ = √2 ≈ 1.414: instance noise acts like an R1 penalty "
            "with γ = σ²/2 near the equilibrium.",
            needs={"loss": "gan", "reg": "instance-noise"},
        ),
    ]
)
controls.share_box("stability")
