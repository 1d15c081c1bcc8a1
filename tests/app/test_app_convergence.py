"""AppTest of the stability page's "theory against networks" section: saved maps from their JSON, a live map."""

import json

import pytest

from models.convergence.maps import SAVED
from tests.app.apptest import assert_clean, run_page, shown


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
    assert f"dl_convergence-{name or 'dirac-gan-r1'}-map.json" in [b.key for b in at.get("download_button")]


def test_live_map_trains_on_click():
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
