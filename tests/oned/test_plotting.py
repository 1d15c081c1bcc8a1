"""dynamics/oned/plotting.py: no legend hides a density, a discriminator or a sample (issue 10 item 14)."""

import numpy as np
import pytest

from dynamics.oned.lipschitz import compare
from dynamics.oned.optimal import figure1_stages, line_logit, mixture_path, summary
from dynamics.oned.plotting import figure1, lipschitz_figure, mixture_path_figure, optimal_figure, saturation_figure
from dynamics.oned.saturation import generator_gradients, loss_curves
from dynamics.oned.specs import parse
from tests.legibility import problems

PAIRS = [("normal(0, 1)", "normal(2, 0.5)"), ("uniform(0, 1)", "uniform(3, 4)"), ("normal(0, 1)", "normal(0, 1)")]


@pytest.mark.parametrize(("data", "gen"), PAIRS)
def test_no_legend_hides_data(data, gen):
    """These legends sat inside the axes (upper right / upper left / best) over the densities and D."""
    p, q = parse(data), parse(gen)
    d = np.linspace(0.005, 0.995, 199)
    grads = generator_gradients(p, q, np.linspace(0, 1, 21), "shift")
    figures = {
        "optimal": optimal_figure(summary(p, q), line_logit(-2, 2)),
        "figure1": figure1(figure1_stages(p, q)),
        "lipschitz": lipschitz_figure(compare(p, q, 20, 1.0, 1.0, seed=0)),
        "proposition2": mixture_path_figure(mixture_path(p, q, n=5)),
        "saturation": saturation_figure(
            {"data": data, "gen": gen, "param": "shift", "curves": {"d": d, **loss_curves(d)}, "gradients": grads}
        ),
    }
    for name, fig in figures.items():
        assert problems(fig) == [], name


def test_figure1_legend_names_each_curve_once():
    fig = figure1(figure1_stages(parse("normal(0, 1)"), parse("normal(2, 0.5)")))
    (legend,) = fig.legends
    assert [t.get_text() for t in legend.get_texts()] == ["p_data", "p_g", "D(x)"]
