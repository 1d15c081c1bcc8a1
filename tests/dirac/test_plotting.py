"""The figures show what the numbers say: trajectory lines are the simulated paths, styles follow status, and
the window holds the trajectories or says which leave it."""

import numpy as np
import pytest
from matplotlib.colors import to_hex
from matplotlib.lines import Line2D

from dynamics.dirac.analysis import analyze
from dynamics.dirac.field import make_objective
from dynamics.dirac.optimizers import Optimizer
from dynamics.dirac.plotting import WINDOW, compare_figure, fit_window, phase_figure, radius_figure
from dynamics.dirac.report import window_line
from dynamics.dirac.status import STATUS_BY_NAME, STATUSES
from dynamics.dirac.trajectories import Schedule, grid_starts, simulate


def test_phase_figure_draws_the_simulated_paths_in_status_style():
    """GD on the GAN at h = 0.1: (1, 1) spirals out, (0, 0) stays, (2, 2) (saturated, slow) keeps its distance."""
    obj = make_objective("gan")
    run = simulate(obj, [(1.0, 1.0), (0.0, 0.0), (2.0, 2.0)], Schedule(), record=True)
    assert list(run.status) == ["diverging", "converged", "cycling"]
    fig = phase_figure(obj, run, continuous=np.array([1j, -1j]), discrete=np.array([1 + 0.5j, 1 - 0.5j]))
    ax_phase, ax_eig = fig.axes
    lines = [line for line in ax_phase.get_lines() if len(line.get_xdata()) > 1]
    assert len(lines) == 3
    ends = [line for line in ax_phase.get_lines() if line.get_marker() not in ("None", "o", "*")]
    for line, path, status in zip(lines, run.paths(), run.status, strict=True):
        style = STATUS_BY_NAME[status]
        np.testing.assert_array_equal(line.get_xydata(), path)
        assert to_hex(line.get_color()) == to_hex(style.color)
        assert line.get_linestyle() == Line2D([], [], linestyle=style.linestyle).get_linestyle()
        assert np.all(np.isfinite(line.get_xydata()))
    assert [line.get_marker() for line in ends] == ["^", "s"]  # diverging, cycling ('o' is also converged's)
    legend = [t.get_text() for t in ax_phase.get_legend().get_texts()]
    assert legend == ["converged", "cycling", "diverging", "equilibrium"]  # the statuses drawn, in table order
    discrete = [line for line in ax_eig.get_lines() if line.get_label() == "update operator (discrete)"]
    np.testing.assert_allclose(discrete[0].get_xydata(), [[1, 0.5], [1, -0.5]])


def test_basin_map_codes_each_start_by_the_table():
    """GD on the GAN over a 5×5 grid: the origin converges, saturated corners cycle, the rest spirals out; each
    cell shows its start's status in that status's colour."""
    obj = make_objective("gan")
    run = simulate(obj, grid_starts(5, (-2, 2, -2, 2)), Schedule(), record=False)
    assert {"converged", "cycling", "diverging"} == set(run.status)
    fig = phase_figure(obj, run, grid_n=5)
    (image,) = fig.axes[0].get_images()
    codes = np.asarray(image.get_array())
    assert codes.shape == (5, 5)
    for code, status in zip(codes.ravel(), run.status, strict=True):
        assert STATUSES[code] == status
        assert to_hex(image.cmap(image.norm(code))) == to_hex(STATUS_BY_NAME[status].color)
    assert fig.axes[0].get_xlim() == (-2.0, 2.0)


def test_window_widens_to_hold_a_spiral():
    """Default page: GD on the GAN from (1, 1) reaches |θ| = 2.248 (end (2.236, 0.28)): 1.05·2.248/2 = 1.18, so
    the window grows by the next quarter step, 1.25, to ±2.5, and the summary says so."""
    a = analyze(make_objective("gan"), Schedule(), Optimizer(), [(1.0, 1.0)])
    assert np.abs(a.run.path).max() == pytest.approx(2.2477, abs=1e-4)
    view = fit_window(a.run)
    assert view.window == (-2.5, 2.5, -2.5, 2.5) and view.widened and view.outside == ()
    fig = phase_figure(make_objective("gan"), a.run)
    assert fig.axes[0].get_xlim() == (-2.5, 2.5) and fig.axes[0].get_ylim() == (-2.5, 2.5)
    assert window_line(view, a.trajectories) == (
        "plot window widened to θ ∈ [-2.5, 2.5], ψ ∈ [-2.5, 2.5] to hold every trajectory"
    )


def test_window_stays_when_runs_stay_inside_and_names_runs_that_leave():
    inside = simulate(make_objective("gan", "r1"), [(1.0, 1.0), (-1.0, 0.5)], Schedule(), record=True)
    assert fit_window(inside).window == WINDOW and not fit_window(inside).widened
    assert window_line(fit_window(inside), []) == ""
    a = analyze(make_objective("wgan"), Schedule(0.5, 0.5, rounds=300), Optimizer(), [(1.0, 0.5), (0.2, 0.1)])
    view = fit_window(a.run)
    assert view.window == (-8.0, 8.0, -8.0, 8.0) and view.outside == (0, 1)  # widened 4×, and still left
    assert window_line(view, a.trajectories) == (
        "plot window θ ∈ [-8, 8], ψ ∈ [-8, 8]: 2 trajectories leave it, from (1, 0.5) diverged, (0.2, 0.1) diverged"
    )
    basins = simulate(make_objective("wgan"), grid_starts(4, WINDOW), Schedule(0.5, 0.5), record=False)
    assert fit_window(basins, WINDOW, grid_n=4).window == WINDOW


def test_compare_figure_has_one_panel_per_objective():
    panels = []
    for name in ["gan", "wgan", "gan+r1", "wgan-gp"]:
        obj = make_objective(*name.split("+")) if "+" in name else make_objective(name)
        panels.append((obj, simulate(obj, [(1, 1)], Schedule(rounds=20)), "subtitle"))
    fig = compare_figure(panels)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(visible) == 4
    assert visible[2].get_title().startswith("GAN (minimax) + R1 penalty")


def test_radius_figure_marks_rho_one():
    fig = radius_figure([0.1, 0.2], [0.9, 1.1])
    assert any(np.allclose(line.get_ydata(), 1.0) for line in fig.axes[0].get_lines())


def test_radius_figure_says_undefined_instead_of_an_empty_zoom():
    from dynamics.dirac.plotting import radius_figure

    ax = radius_figure(np.linspace(0.04, 4, 100), np.full(100, np.nan)).axes[0]
    assert ax.get_xlim() == (0.0, 4.0)
    assert any("undefined" in t.get_text() for t in ax.texts)


LEGIBLE = [("gan", "none", [(1.0, 1.0)]), ("gan", "r1", [(1.0, 1.0), (-1.0, 0.5)]), ("wgan", "none", [(1.5, 1.5)])]


@pytest.mark.parametrize(("loss", "reg", "starts"), LEGIBLE)
def test_no_legend_hides_a_trajectory_the_unit_circle_or_a_curve(loss, reg, starts):
    """The status legend used to sit over the trajectories (upper right) and the eigenvalue legend over the unit
    circle (lower left): every legend of the Dirac figures now lies outside the data, and inside the figure."""
    from tests.legibility import problems
    from ui import dirac

    obj, schedule, opt = make_objective(loss, reg), Schedule(), Optimizer()
    a = analyze(obj, schedule, opt, np.array(starts))
    figures = {
        "phase page": dirac.phase_fig(obj, a.run),
        "eigenvalues": dirac.eigen_fig(a.eigenvalues, a.update.eigenvalues),
        "radius": dirac.radius_fig(obj, opt, schedule, 4.0),
        "CLI": phase_figure(obj, a.run, a.eigenvalues, a.update.eigenvalues),
        "compare": compare_figure([(obj, a.run, "x"), (make_objective("wgan"), a.run, "y")]),
    }
    if reg != "none":
        figures["eigenvalue paths"] = dirac.path_fig(obj, "gamma", 3.0)
    for name, fig in figures.items():
        assert problems(fig) == [], name
        assert fig.legends or any(ax.get_legend() for ax in fig.axes), name
