"""AppTest of the stability page's "theory against networks" section: saved maps from their JSON, a live map."""

import json
from pathlib import Path

import pytest

from models.convergence.__main__ import build_parser, read
from models.convergence.maps import SAVED
from tests.app.apptest import assert_clean, run_page, shown
from ui import convergence


def overlay_caption(at) -> str:
    return next(shown(c.value) for c in at.caption if c.value.startswith("They agree on"))


@pytest.mark.parametrize("name", [None, "mlp-wide-gan-r1", "dirac-gan-instance-noise"])
def test_saved_map_shows_its_agreement(name):
    """The default map (dirac-gan-r1) and chosen ones: the caption's agreement and counts are the JSON's."""
    at = run_page("stability") if name is None else run_page("stability", conv_map=name)
    assert_clean(at)
    saved = json.loads((SAVED / f"{name or 'dirac-gan-r1'}.json").read_text())
    text = overlay_caption(at)
    cells = [
        (p, o)
        for rp, ro in zip(saved["predicted"], saved["observed"], strict=True)
        for p, o in zip(rp, ro, strict=True)
    ]
    same = sum(p == o for p, o in cells)
    assert f"They agree on {same} of {saved['gans']} GANs ({saved['agreement']:.1%})" in text
    assert f"one by one ≈ {saved['sequential_seconds']:.0f} s" in text
    assert f"They part on {saved['gans'] - same} GANs" in text
    assert (
        saved.get("why") or "no why"
    ) in text or "why" not in saved  # an mlp map says why, from its effective fields
    assert ("Why: a network moves" in text) == (name == "mlp-wide-gan-r1")
    assert f"dl_convergence-{name or 'dirac-gan-r1'}-map.json" in [b.key for b in at.get("download_button")]


def test_live_map_trains_on_click(monkeypatch):
    monkeypatch.setattr(convergence, "LIVE_BUDGET_S", 1e9)  # this test is not about the server's load
    at = run_page("stability", reg="r1", conv_map="live", conv_grid="4")
    assert_clean(at)
    assert not any(c.value.startswith("They agree on") for c in at.caption)  # nothing trains before the click
    at.button(key="conv_train").click().run()
    assert_clean(at)
    assert "They agree on 16 of 16 GANs" in overlay_caption(at)
    at.run()  # the map is kept for the session: shown again without its button, not trained again
    assert "They agree on 16 of 16 GANs" in overlay_caption(at)
    assert not [b for b in at.button if b.key == "conv_train"]


def test_live_map_explains_what_it_cannot_train():
    at = run_page("stability", conv_map="live", optimizer="adam", reg="r1")
    assert_clean(at)
    assert any("No live map for these settings" in i.value and "adam" in i.value for i in at.info)


def test_live_map_over_the_budget_is_refused_with_its_command(monkeypatch):
    monkeypatch.setattr(convergence, "LIVE_BUDGET_S", 0.0)
    at = run_page("stability", loss="nsgan", reg="r2", optimizer="momentum", conv_map="live", conv_grid="5")
    at.button(key="conv_train").click().run()
    assert_clean(at)
    info = next(shown(i.value) for i in at.info if "more than the page allows" in i.value)
    assert not any(c.value.startswith("They agree on") for c in at.caption)
    cmd = info.split("`")[1]
    assert cmd.startswith("python -m models.convergence ")
    setup, options = read(build_parser().parse_args(cmd.split()[3:]))  # the command computes this very grid
    assert (setup.family, setup.loss, setup.reg, setup.optimizer, setup.scheme) == (
        "dirac",
        "nsgan",
        "r2",
        "momentum",
        "sim",
    )
    assert options["n"] == 5


def test_the_live_cap_is_what_the_limits_table_says():
    docs = (Path(__file__).resolve().parents[2] / "docs" / "README_app.md").read_text()
    row = next(line for line in docs.splitlines() if line.startswith("| live convergence map"))
    assert f"max {convergence.LIVE_MAX} × {convergence.LIVE_MAX} GANs" in row
    assert f"estimated over {convergence.LIVE_BUDGET_S:g} s" in row
