"""AppTest for the training pages (1-D, 2-D, images): defaults, step/reset, widget extremes, URL state (their exercises:
test_exercises.py)."""

import json

import pytest
import torch

from models.config import TrainConfig
from tests.app.apptest import assert_clean, figures, run_page, texts, warning_text
from tests.planted import Planted

PAGES = ["train1d", "mixtures", "images"]


@pytest.mark.parametrize("name", PAGES)
def test_training_page_loads_steps_and_resets(name):
    at = run_page(name)
    assert_clean(at, name)
    before = figures(at)[0]  # a chart drawn by the browser (the images page: its sample grid)
    at.button(key=f"{name}_step").click().run()
    assert_clean(at, name)
    assert figures(at)[0] != before
    assert "Round 0 " not in at.caption[0].value
    at.button(key=f"{name}_reset_button").click().run()
    assert at.caption[0].value.startswith("Round 0 ")


@pytest.mark.parametrize("name", PAGES)
def test_training_widgets_at_min_and_max(name):
    at = run_page(name)
    for key in [w.key for w in at.slider] + [w.key for w in at.number_input]:
        for end in ("min", "max"):
            widget = at.slider(key=key) if key in [w.key for w in at.slider] else at.number_input(key=key)
            widget.set_value(getattr(widget, end)).run()
            assert_clean(at, f"{name} {key}={end}")


def test_training_query_parameters_restore_the_state():
    at = run_page("mixtures", data="grid25", loss="nsgan", reg="r1", gamma="2", seed="3", steps="700")
    assert_clean(at)
    assert at.radio(key="data").value == "grid25"
    assert at.selectbox(key="loss").value == "nsgan"
    assert at.slider(key="gamma").value == 2.0
    assert at.number_input(key="seed").value == 3
    assert "of 25 modes" in at.caption[0].value and "of 700" in at.caption[0].value


def test_mixtures_page_trains_its_small_defaults_not_the_cli_toy_defaults():
    """The CLI's ring8/grid25 defaults run 100,000 rounds with R1 and a decaying rate; the page keeps the GAN at a
    constant learning rate 0.001, batch 64 and 5,000 rounds, so a Step stays well inside the page's time limits."""
    cfg = run_page("mixtures").session_state["mixtures"].cfg
    assert (cfg.net, cfg.width, cfg.lr, cfg.batch, cfg.steps) == ("mlp", 128, 1e-3, 64, 5000)
    assert (cfg.loss, cfg.reg, cfg.lr_decay) == ("gan", "none", "none")


def test_training_bad_url_value_warns():
    at = run_page("train1d", density="custom", data="normal(0, -1)", lr="7")
    assert_clean(at)
    text = warning_text(at)
    assert "data='normal(0, -1)'" in text and "lr='7'" in text


@pytest.fixture(scope="module")
def trained_run(tmp_path_factory):
    """A run root holding one short conditional run made by models.train."""
    from models.train import train

    base = tmp_path_factory.mktemp("runs")
    train(
        {"data": "digits", "loss": "hinge", "conditional": True, "steps": 10, "eval_every": 5, "ckpt_every": 10},
        out=str(base / "digits-cgan"),
        cache_dir=str(base.parent / ".cache"),
    )
    return base


def test_images_page_reads_run_directories(trained_run, monkeypatch):
    monkeypatch.setenv("GDL_RUNS", str(trained_run))
    at = run_page("images")
    assert_clean(at)
    assert at.multiselect(key="_runs").value == ["digits-cgan"]
    assert any("digits-cgan: FD " in c.value for c in at.caption)
    titles = [json.loads(json.loads(f))["title"] for f in figures(at) if f.startswith('"')]
    first = titles.index("generator loss")  # the runs tab's comparison, after the live tab's history chart
    assert titles[first : first + 3] == [
        "generator loss",
        "generator gradient norm",
        "Fréchet distance (lower is better)",
    ]
    images = len(at.get("image"))
    at.slider(key="_cond_class").set_value(7).run()
    assert_clean(at)
    assert len(at.get("image")) == images
    assert any("class 7" in str(i.proto) for i in at.get("image"))


def test_images_root_from_the_url_is_ignored(trained_run, monkeypatch):
    """?root= is no longer a key: the page reads only the operator's root (GDL_RUNS), never /etc."""
    monkeypatch.setenv("GDL_RUNS", str(trained_run))
    at = run_page("images", root="/etc")
    assert_clean(at)
    assert "root" not in [w.key for w in at.text_input]
    assert at.multiselect(key="_runs").options == ["digits-cgan"]
    assert "/etc" not in texts(at) and "/etc" not in warning_text(at)
    assert f"Run directories are read from {trained_run.resolve()}." in texts(at)
    assert "GDL_RUNS" in texts(at)


def test_images_page_refuses_run_directories_linked_outside_the_root(tmp_path, monkeypatch):
    base = tmp_path / "root"
    base.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "config.json").write_text('{"data": "digits", "loss": "gan", "reg": "none", "optimizer": "adam"}')
    (base / "stolen").symlink_to(outside, target_is_directory=True)
    (base / "etc").symlink_to("/etc", target_is_directory=True)
    monkeypatch.setenv("GDL_RUNS", str(base))
    at = run_page("images")
    assert_clean(at)
    assert "Not read: 'etc', 'stolen'" in warning_text(at) and "outside the run-directory root" in warning_text(at)
    assert "_runs" not in [m.key for m in at.multiselect] and "No run directories" in texts(at)
    # a run inside the root whose checkpoint links outside it: listed and read, the checkpoint refused
    (base / "cgan").mkdir()
    (base / "cgan" / "config.json").write_text(
        '{"data": "digits", "loss": "gan", "reg": "none", "optimizer": "adam", "conditional": true}'
    )
    (base / "cgan" / "checkpoint.pt").symlink_to("/etc/hostname")
    at = run_page("images")
    assert_clean(at)
    assert at.multiselect(key="_runs").value == ["cgan"]
    assert "checkpoint of 'cgan' cannot be loaded ('checkpoint.pt' resolves outside" in warning_text(at)


def test_images_page_warns_about_a_planted_checkpoint_and_runs_none_of_it(tmp_path, monkeypatch):
    run = tmp_path / "planted"
    run.mkdir()
    config = TrainConfig(data="digits", conditional=True, device="cpu").to_dict()
    (run / "config.json").write_text(json.dumps(config))
    torch.save({"config": config, "G": Planted(tmp_path / "marker")}, run / "checkpoint.pt")
    monkeypatch.setenv("GDL_RUNS", str(tmp_path))
    at = run_page("images")
    assert_clean(at)
    assert "cannot be loaded" in warning_text(at) and "refused: it would load" in warning_text(at)
    assert not (tmp_path / "marker").exists()


def test_images_conditional_live_and_a_broken_run_directory(tmp_path, monkeypatch):
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "config.json").write_text("{not json")
    monkeypatch.setenv("GDL_RUNS", str(tmp_path))
    at = run_page("images", conditional="1")
    assert_clean(at)
    assert any("broken" in w.value and "cannot be read" in w.value for w in at.warning)
    at.button(key="images_step").click().run()
    assert_clean(at)
    assert "coverage" in at.caption[0].value


def test_warning_keeps_the_spec_copyable():
    """A default spec in a warning keeps its '*' (escaped from markdown emphasis) so it can be pasted back."""
    at = run_page("train1d", density="custom", data="normal(0,-1)")
    raw = " ".join(w.value for w in at.warning)
    assert r"mixture(0.5\*normal(-2, 0.5), 0.5\*normal(2, 0.5))" in raw
    assert "mixture(0.5*normal(-2, 0.5), 0.5*normal(2, 0.5))" in warning_text(at)
