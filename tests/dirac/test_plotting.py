"""The figures show what the numbers say: trajectory lines are the simulated paths, styles follow status."""

import numpy as np
from matplotlib.colors import to_hex

from dynamics.dirac.field import make_objective
from dynamics.dirac.plotting import STATUS_STYLE, compare_figure, phase_figure, radius_figure
from dynamics.dirac.trajectories import Schedule, grid_starts, simulate


def test_phase_figure_draws_the_simulated_paths_in_status_style():
    obj = make_objective("wgan")
    run = simulate(obj, [(1.0, 0.5), (0.2, 0.1)], Schedule(0.5, 0.5, rounds=300), record=True)
    fig = phase_figure(obj, run, continuous=np.array([1j, -1j]), discrete=np.array([1 + 0.5j, 1 - 0.5j]))
    ax_phase, ax_eig = fig.axes
    long_lines = [line for line in ax_phase.get_lines() if len(line.get_xdata()) > 2]
    assert len(long_lines) == 2
    for line, path, status in zip(long_lines, run.paths(), run.status, strict=True):
        np.testing.assert_array_equal(line.get_xydata(), path)
        assert to_hex(line.get_color()) == to_hex(STATUS_STYLE[status]["color"])
        assert line.get_linestyle() == {"-": "-", "--": "--", ":": ":"}[STATUS_STYLE[status]["linestyle"]]
        assert np.all(np.isfinite(line.get_xydata()))
    assert set(run.status) == {"diverged"}
    discrete = [line for line in ax_eig.get_lines() if line.get_label() == "update operator (discrete)"]
    np.testing.assert_allclose(discrete[0].get_xydata(), [[1, 0.5], [1, -0.5]])


def test_basin_map_codes_each_start():
    obj = make_objective("gan", "r1", gamma=0.3)
    run = simulate(obj, grid_starts(6, (-2, 2, -2, 2)), Schedule(0.1, 0.1, rounds=200), record=False)
    fig = phase_figure(obj, run, grid_n=6)
    (image,) = fig.axes[0].get_images()
    assert image.get_array().shape == (6, 6)


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
