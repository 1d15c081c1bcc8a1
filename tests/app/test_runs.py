"""ui/runs.py: the run-directory root is the operator's (GDL_RUNS, else runs/ in the repository) and nothing that
resolves outside it (a symlink, `..`) is listed or read."""

import json
from pathlib import Path

import numpy as np
import pytest

from ui import runs

REPO = Path(__file__).resolve().parents[2]


def make_run(directory: Path) -> Path:
    directory.mkdir(parents=True)
    (directory / "config.json").write_text(json.dumps({"data": "digits"}))
    return directory


def test_root_defaults_to_runs_in_the_repository_not_the_cwd(monkeypatch, tmp_path):
    monkeypatch.delenv(runs.ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    assert runs.root() == (REPO / "runs").resolve()


def test_the_environment_variable_sets_the_root(monkeypatch, tmp_path):
    monkeypatch.setenv(runs.ENV, str(tmp_path))
    assert runs.root() == tmp_path.resolve()
    make_run(tmp_path / "a")
    assert [p.name for p in runs.find()[0]] == ["a"]
    monkeypatch.setenv(runs.ENV, "elsewhere")  # relative: from the repository root
    assert runs.root() == (REPO / "elsewhere").resolve()


def test_inside_refuses_dotdot_and_symlinks_out(tmp_path):
    base = tmp_path / "root"
    run = make_run(base / "run")
    outside = make_run(tmp_path / "outside")
    (base / "link").symlink_to(outside, target_is_directory=True)
    (base / "etc").symlink_to("/etc", target_is_directory=True)
    (base / "also-run").symlink_to(run, target_is_directory=True)  # a link that stays inside is fine
    assert runs.inside(base / "run", base) == run.resolve()
    assert runs.inside(base / "also-run", base) == run.resolve()
    assert runs.inside(base / "x" / ".." / "run", base) == run.resolve()
    for path in (base / ".." / "outside", base / "run" / ".." / ".." / "outside", base / "link", base / "etc"):
        with pytest.raises(runs.OutsideRoot, match="outside the run-directory root"):
            runs.inside(path, base)
    with pytest.raises(runs.OutsideRoot):
        runs.inside("/etc/passwd", base)


def test_find_lists_runs_inside_and_refuses_links_out(tmp_path):
    base = tmp_path / "root"
    make_run(base / "run")
    (base / "link").symlink_to(make_run(tmp_path / "outside"), target_is_directory=True)
    (base / "etc").symlink_to("/etc", target_is_directory=True)
    found, refused = runs.find(base)
    assert [p.name for p in found] == ["run"]
    assert refused == ["etc", "link"]


def test_read_refuses_a_run_or_a_file_that_resolves_outside(tmp_path):
    base = tmp_path / "root"
    run = make_run(base / "run")
    assert runs.read(run, base)["config"] == {"data": "digits"}
    with pytest.raises(runs.OutsideRoot):
        runs.read(make_run(tmp_path / "outside"), base)
    with pytest.raises(runs.OutsideRoot):
        runs.read(base / ".." / "outside", base)
    (run / "metrics.jsonl").symlink_to("/etc/hostname")
    with pytest.raises(runs.OutsideRoot):
        runs.read(run, base)


def synthetic_run(metrics: list[dict], steps: int = 20) -> dict:
    """What runs.read returns for a run: its log (generator loss, gradient norm) and metric rows."""
    step = np.arange(1, steps + 1, dtype=float)
    log = {"step": step, "g_loss": 1 / step, "g_grad_norm": np.exp(-step / 5)}
    return {"config": {"data": "x"}, "log": log, "metrics": metrics, "picture": None}


IMAGE = synthetic_run([{"step": 10, "fd": 40.0, "coverage": 0.9}, {"step": 20, "fd": 20.0, "coverage": 1.0}])
MIXTURE = synthetic_run([{"step": 20, "modes": 7, "high_quality": 0.8, "reverse_kl": 0.01}])


def test_a_run_shows_only_the_metrics_it_has():
    assert runs.metrics_text(IMAGE) == "FD 20, class coverage 1"
    assert runs.metrics_text(MIXTURE) == "modes captured 7, high-quality fraction 0.8, reverse KL 0.01"
    assert "nan" not in runs.metrics_text(synthetic_run([{"step": 1, "js": float("nan"), "w1": 0.5}]))
    assert runs.metrics_text(synthetic_run([])) == "no metrics yet"


def panels(fig) -> dict[str, int]:
    """Panel title → number of lines drawn in it, for the visible panels."""
    return {ax.get_title(): len(ax.get_lines()) for ax in fig.axes if ax.get_visible()}


def test_the_comparison_draws_a_panel_per_metric_some_run_has():
    only_2d = panels(runs.compare_figure({"ring8": MIXTURE}))
    assert only_2d == {
        "generator loss": 1,
        "generator gradient norm": 1,
        "modes captured": 1,
        "high-quality fraction": 1,
    }
    both = panels(runs.compare_figure({"digits": IMAGE, "ring8": MIXTURE}))
    assert both["Fréchet distance (lower is better)"] == 1  # the image run only: no empty or nan curve
    assert both["modes captured"] == 1 and both["generator loss"] == 2


def test_the_browser_comparison_has_the_same_panels_and_each_runs_values():
    drawn = runs.compare_charts({"digits": IMAGE, "ring8": MIXTURE})
    assert [c.title for c in drawn] == list(panels(runs.compare_figure({"digits": IMAGE, "ring8": MIXTURE})))
    loss, norm, fd, modes, hq = drawn
    assert [s.label for s in loss.series] == ["digits", "ring8"] and not loss.ylog
    np.testing.assert_array_equal(loss.series[0].y, 1 / np.arange(1, 21))
    assert norm.ylog and norm.window[2:] == pytest.approx((np.exp(-4) / 2, 2 * np.exp(-0.2)))  # exp(-step/5), 1..20
    assert [(s.label, list(s.x), list(s.y)) for s in fd.series if s.label] == [("digits", [10, 20], [40, 20])]
    assert {s.color for s in modes.series} == {loss.series[1].color} != {loss.series[0].color}
    assert hq.window[2] < 0.8 < hq.window[3]


def test_the_comparison_legend_names_every_run_outside_the_panels():
    fig = runs.compare_figure({"digits": IMAGE, "ring8": MIXTURE})
    fig.canvas.draw()
    (legend,) = fig.legends
    assert [t.get_text() for t in legend.get_texts()] == ["digits", "ring8"]
    box = legend.get_window_extent()
    assert not any(box.overlaps(ax.get_window_extent()) for ax in fig.axes if ax.get_visible())
