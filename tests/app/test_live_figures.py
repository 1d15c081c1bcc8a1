"""ui/live_figures.py: the training pages' figures hide no data under a legend and keep their samples visible on
the heat map (issue 10 item 14), checked on the drawn figures of real (short) runs."""

import matplotlib as mpl
import numpy as np
import pytest
from matplotlib.colors import to_rgb

from dynamics.palette import MODES_ON_HEAT_MAP, ON_HEAT_MAP
from tests.legibility import contrast, problems
from ui import live_figures
from ui.training import Session

RUN = {"loss": "gan", "reg": "none", "optimizer": "adam", "lr": 1e-3, "d_steps": 1, "batch": 64, "seed": 0}
FIGURES = {
    "normal(0, 1)": live_figures.density_figure,
    "ring8": live_figures.mixture_figure,
    "digits": live_figures.image_figure,
}


@pytest.fixture(scope="module", params=list(FIGURES))
def trained(request):
    """A session of each kind after three evaluations (the history has points up to its right end)."""
    s = Session(RUN | {"data": request.param, "steps": 100})
    s.advance(10)
    s.advance(10)
    return request.param, s


def test_no_legend_hides_data_or_is_cut_off(trained):
    data, s = trained
    assert problems(FIGURES[data](s)) == []


def test_the_newest_history_point_is_drawn_and_visible(trained):
    data, s = trained
    fig = FIGURES[data](s)
    history = fig.axes[-1] if data != "normal(0, 1)" else fig.axes[1]
    steps = [line.get_xdata()[-1] for line in history.get_lines() if len(line.get_xdata())]
    assert max(steps) == s.trainer.step == 20


def test_samples_stand_out_on_every_colour_of_the_heat_map():
    """WCAG contrast against every colour of cividis (from the colour map's own RGB values) of the better of a
    marker's fill and edge: at least 3 for the samples and 4.5 for the modes. Orange dots, the old style, reach
    only 1.0 (no edge) and 1.5 (white-edged)."""
    cmap = mpl.colormaps["cividis"](np.linspace(0, 1, 256))

    def worst(fill, edge=None):
        parts = [to_rgb(fill)] + ([to_rgb(edge)] if edge else [])
        return min(max(contrast(part, c) for part in parts) for c in cmap)

    assert worst(ON_HEAT_MAP["color"], ON_HEAT_MAP["edgecolors"]) >= 3.0
    assert worst(MODES_ON_HEAT_MAP["color"], MODES_ON_HEAT_MAP["edgecolors"]) >= 4.5
    assert worst("#E69F00") < 1.1
    assert worst("#E69F00", "white") < 2.0
    assert worst("#D55E00", "white") < 2.0  # vermillion fails too: the edge must be dark where the map is light


def test_the_mixture_figure_draws_the_samples_with_the_heat_map_style():
    s = Session(RUN | {"data": "ring8", "steps": 100})
    fig = live_figures.mixture_figure(s)
    samples = fig.axes[0].collections[0]
    assert len(samples.get_offsets()) == 2500
    assert np.allclose(samples.get_facecolor()[0][:3], to_rgb(ON_HEAT_MAP["color"]))
    assert np.allclose(samples.get_edgecolor()[0][:3], to_rgb(ON_HEAT_MAP["edgecolors"]))
