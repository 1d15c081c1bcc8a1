"""ui.charts: the phase chart's payload (checked against the closed-form GAN field) and the `added=` URL key."""

import json
import math
import re

import numpy as np
import pytest

from dynamics.dirac.field import make_objective
from dynamics.dirac.optimizers import Optimizer
from dynamics.dirac.plotting import WINDOW, fit_window
from dynamics.dirac.trajectories import Schedule, simulate
from tests.app.apptest import assert_clean, figures, run_page, shown, warning_text
from ui import charts


def gan_field(theta, psi):
    """v = (−ψ f′(θψ), θ f′(θψ)) for f(t) = −log(1 + e⁻ᵗ), f′(t) = 1/(1 + eᵗ)."""
    fp = 1 / (1 + np.exp(theta * psi))
    return -psi * fp, theta * fp


@pytest.mark.parametrize("rounds,scheme", [(500, "sim"), (1999, "alt")])
def test_payload_samples_the_runs_and_the_field(rounds, scheme):
    obj = make_objective("gan")
    starts = np.array([[1.0, 1.0], [-0.5, 1.5]])
    run = simulate(obj, starts, Schedule(0.1, 0.1, scheme, rounds=rounds), Optimizer())
    chart = charts.phase_chart(obj, run, fit_window(run, WINDOW), scheme)
    assert len(chart.trajectories) == 2
    for i, t in enumerate(chart.trajectories):
        assert t.k[0] == 0 and t.k[-1] == rounds and len(t.k) <= charts.SAMPLES + 2
        assert np.all(np.diff(t.k) > 0)
        np.testing.assert_array_equal(np.stack([t.theta, t.psi], 1), run.path[t.k, i])
        np.testing.assert_allclose(np.stack([t.u, t.v]), gan_field(t.theta, t.psi), rtol=1e-12)
        assert t.status == run.status[i]
    s = chart.slow  # every round of the first run; the discriminator's step starts after the generator's when alt
    assert len(s.theta) == rounds + 1
    at = s.theta[1:] if scheme == "alt" else s.theta[:-1]
    np.testing.assert_allclose(np.stack([s.du, s.dv]), gan_field(at, s.psi[:-1]), rtol=1e-12)
    f = chart.field
    th, ps = np.meshgrid(f.theta, f.psi)
    np.testing.assert_allclose(np.stack([f.u, f.v]), np.stack([g.ravel() for g in gan_field(th, ps)]), rtol=1e-12)


def test_payload_json_is_compact_and_finite():
    obj = make_objective("gan")
    run = simulate(obj, [[1.0, 1.0]], Schedule(rounds=10), Optimizer())
    chart = charts.phase_chart(obj, run, fit_window(run, WINDOW), "sim")
    data = json.loads(chart.to_json())
    assert data["trajectories"][0]["theta"][0] == 1.0
    assert data["trajectories"][0]["u"][0] == float(f"{gan_field(1.0, 1.0)[0]:.6g}")
    assert data["styles"]["cycling"] == {"color": "#E69F00", "dash": [4, 2.5], "marker": "s"}
    assert json.loads(charts._encode(np.array([1.0, np.nan, np.inf, -np.inf, 1e-7, -2.5e20]))) == [
        1.0,
        None,
        None,
        None,
        1e-7,
        -2.5e20,
    ]
    assert json.loads(charts._encode({"m": np.eye(2), "k": np.int64(3), "f": float("nan")})) == {
        "m": [[1, 0], [0, 1]],
        "k": 3,
        "f": None,
    }


def test_a_basin_map_sends_status_codes_and_no_trajectories():
    obj = make_objective("gan", "r1", gamma=1.0)
    from dynamics.dirac.trajectories import grid_starts

    run = simulate(obj, grid_starts(4, WINDOW), Schedule(), Optimizer(), record=False)
    chart = charts.phase_chart(obj, run, fit_window(run, WINDOW, 4), "sim", grid_n=4, clickable=False)
    assert chart.trajectories == () and chart.slow is None
    assert [chart.statuses[c] for c in chart.basins.codes] == list(run.status)


@pytest.mark.parametrize(
    "text,canonical", [("1:2", "1:2"), (" -1.23456:0.5 ; 0:0 ", "-1.235:0.5;0:0"), ("", ""), ("8:-8", "8:-8")]
)
def test_parse_added(text, canonical):
    assert charts.parse_added(text) == canonical


@pytest.mark.parametrize(
    "text,why",
    [
        ("1", "'1' is not θ:ψ"),
        ("1:x", "not θ:ψ"),
        ("9:0", re.escape("outside [-8, 8]²")),
        ("nan:0", "outside"),
        (";".join(["0:0"] * 17), "at most 16"),
    ],
)
def test_parse_added_rejects(text, why):
    with pytest.raises(ValueError, match=why):
        charts.parse_added(text)


def payload(at) -> dict:
    """The phase chart's payload (the page's first figure): a JSON text, sent as a JSON string."""
    data = json.loads(json.loads(figures(at)[0]))
    assert data["kind"] == "phase"
    return data


def test_added_starts_from_the_url_join_the_run_the_table_and_the_chart():
    at = run_page("phase", added="-1:0.5;0.25:-1.5")
    assert_clean(at)
    data = payload(at)
    assert [(t["theta"][0], t["psi"][0]) for t in data["trajectories"]] == [(1, 1), (-1, 0.5), (0.25, -1.5)]
    assert data["clickable"] is True
    table = shown(next(m.value for m in at.markdown if "distance to (0, 0)" in m.value))
    assert "| (-1, 0.5) |" in table and "| (0.25, -1.5) |" in table
    assert at.query_params["added"] == "-1:0.5;0.25:-1.5"
    assert "added=-1%3A0.5%3B0.25%3A-1.5" in at.code[0].value  # the share link


@pytest.mark.parametrize("bad", ["-1:0.5;oops", "20:0", ";".join(["0.1:0.1"] * 17)])
def test_bad_added_values_are_warned_about_and_dropped(bad):
    at = run_page("phase", added=bad)
    assert_clean(at)
    assert f"added={bad!r} is not valid" in warning_text(at)
    assert "added" not in at.query_params
    assert len(payload(at)["trajectories"]) == 1


def test_a_locked_or_basin_chart_takes_no_clicks():
    assert payload(run_page("phase", lock="added"))["clickable"] is False
    at = run_page("phase", starts="grid", grid="4", added="-1:0.5")
    data = payload(at)
    assert data["clickable"] is False and data["trajectories"] == [] and len(data["basins"]["codes"]) == 16
    assert math.isclose(data["window"][0], WINDOW[0])


def test_compare_mode_draws_one_chart_per_objective_in_one_window():
    """Compare mode (Mescheder et al. 2018, Fig. 3 by default): browser-drawn, not clickable, one shared window
    that holds every drawn run (the unregularized GAN's default run leaves [-2, 2]², the window widens for all)."""
    at = run_page("phase", mode="compare", compare="gan,gan+r1,wgan-gp")
    assert_clean(at)
    charts_ = [json.loads(json.loads(f)) for f in figures(at)]
    assert [c["kind"] for c in charts_] == ["phase"] * 3
    assert [c["title"] for c in charts_] == [make_objective(*n).title for n in (("gan",), ("gan", "r1"), ("wgan-gp",))]
    assert not any(c["clickable"] for c in charts_)
    (window,) = {tuple(c["window"]) for c in charts_}
    run = simulate(make_objective("gan"), [[1.0, 1.0]], Schedule(), Optimizer())
    assert window == fit_window(run, WINDOW).window != tuple(WINDOW)
    for c in charts_:
        path = np.stack([c["trajectories"][0]["theta"], c["trajectories"][0]["psi"]], 1)
        assert np.all(np.abs(path) <= window[1])


def test_live_charts_carry_a_stub_and_the_page_gets_the_code_once():
    """The loader defines the renderer on window (its own default export draws nothing); the stub is small."""
    from ui import charts

    assert "function render(component)" in charts.LOADER_JS and "window.gdlCharts = render;" in charts.LOADER_JS
    assert charts.LOADER_JS.count("export default") == 1 and "export default function () {}" in charts.LOADER_JS
    assert "window.gdlCharts(component)" in charts.STUB_JS and len(charts.STUB_JS) < 500 < len(charts.JS)
