"""ui.gradients: the saved gradient experiments read back, their sentences checked against numbers computed here
from the JSON by hand, and the LS-GAN vs WGAN page showing both figures with those sentences."""

import json
import statistics

import pytest

from models.gradients import GradCurve
from tests.app.apptest import assert_clean, figures, run_page
from tests.legibility import problems
from ui import gradients


@pytest.fixture(scope="module")
def saved():
    return (
        json.loads((gradients.SAVED / "vanishing.json").read_text())["losses"],
        json.loads((gradients.SAVED / "d_steps.json").read_text())["runs"],
    )


def test_trend_names_a_fall_from_the_peak_a_rise_or_the_band():
    xs = [100, 200, 300, 400]
    assert gradients.trend(xs, [1.0, 4.0, 1.0, 0.5], "iteration") == (
        "falls 8-fold, from 4 (iteration 200) to 0.5 (iteration 400)"
    )
    assert gradients.trend(xs, [1.0, 2.0, 3.0, 6.0], "iteration") == (
        "grows 6.0-fold, from 1 (iteration 100) to 6 (iteration 400)"
    )
    assert gradients.trend(xs, [5.0, 4.0, 6.0, 5.5], "round") == "stays between 4 and 6 up to round 400"


def test_vanishing_sentence_skips_the_random_discriminator_of_iteration_0():
    curves = [GradCurve("gan", [0, 10, 20], [1e-3, 2.0, 0.01]), GradCurve("wgan-gp", [0, 10, 20], [1e-3, 5.0, 5.0])]
    assert gradients.vanishing_sentence(curves) == (
        "With the generator frozen and the discriminator trained on (from iteration 10), the saturating GAN's "
        "gradient falls 200-fold, from 2 (iteration 10) to 0.01 (iteration 20); the WGAN-GP's gradient stays "
        "between 5 and 5 up to iteration 20."
    )


def test_saved_files_read_back_as_typed_results(saved):
    losses, runs = saved
    curves = gradients.load_vanishing()
    assert [c.loss for c in curves] == list(losses) == ["gan", "nsgan", "wgan-gp", "loss-sensitive"]
    assert curves[0].grad_norm == losses["gan"]["grad_norm"]
    loaded = gradients.load_d_steps()
    assert [(r.loss, r.k) for r in loaded] == [(r["loss"], r["k"]) for r in runs]
    assert [r.fd for r in loaded] == [r["fd"] for r in runs]


def test_lipschitz_page_shows_both_saved_figures_with_their_numbers(saved):
    losses, runs = saved
    at = run_page("lipschitz")
    assert_clean(at)
    captions = [c.value for c in at.caption]
    vanishing = next(c for c in captions if c.startswith("With the generator frozen"))
    gan = losses["gan"]["grad_norm"][1:]
    peak = max(gan)
    assert f"saturating GAN's gradient falls {peak / gan[-1]:.0f}-fold, from {peak:.3g}" in vanishing
    ls = losses["loss-sensitive"]["grad_norm"]
    assert f"LS-GAN's gradient grows {ls[-1] / ls[1]:.1f}-fold" in vanishing
    d_steps = next(c for c in captions if c.startswith("The LS-GAN's generator gradient over the last third"))
    for r in runs:
        late = statistics.median(r["grad_norm"][-(len(r["grad_norm"]) // 3) :])
        assert f"{late:.3g} (k = {r['k']})" in d_steps
        assert f"{r['fd']:.0f}" in d_steps
    drawn = [json.loads(json.loads(f)) for f in figures(at)]
    logs = {c["title"]: c for c in drawn if c.get("ylog")}
    assert list(logs) == ["Vanishing gradient: G frozen, D trained on", "LS-GAN", "saturating GAN"]
    assert logs["Vanishing gradient: G frozen, D trained on"]["series"][0]["y"][-1] == pytest.approx(gan[-1], rel=1e-5)
    for r in runs:
        (line,) = [s for s in logs[gradients.TITLES[r["loss"]]]["series"] if s["label"] == f"k = {r['k']}"]
        assert line["x"] == r["rounds"] and line["y"] == pytest.approx(r["grad_norm"], rel=1e-5)
        assert min(r["grad_norm"]) > logs["LS-GAN"]["window"][2] and max(r["grad_norm"]) < logs["LS-GAN"]["window"][3]


def test_saved_figures_keep_their_legends_off_the_curves():
    assert problems(gradients.vanishing_figure(gradients.load_vanishing())) == []
    assert problems(gradients.d_steps_figure(gradients.load_d_steps())) == []
