"""The app in a real browser (Debian's Chromium through Playwright): every page, sliders, shared URLs.

The fixtures (server, playwright, browser, page) are in conftest.py; there, why these tests may be skipped.
Screenshots of each page go to test-artifacts/.
"""

from pathlib import Path

import pytest

from bench.harness import PROBE, ROOT, chromium, figure_src, move_slider, slider, wait_ready

pytestmark = pytest.mark.browser
ARTIFACTS = ROOT / "test-artifacts"
PAGES = {
    "home": "GAN Dynamics Lab",
    "phase": "Dirac-GAN phase portraits",
    "stability": "Eigenvalues & stability",
    "optimal": "Optimal discriminator",
    "saturation": "Saturating vs non-saturating",
    "lipschitz": "LS-GAN vs WGAN",
    "train1d": "1-D GAN training",
    "mixtures": "2-D mixtures",
    "images": "Image GANs",
}


def open_page(page, url: str, figure: bool = True) -> None:
    page.goto(url)
    wait_ready(page, figure)
    page.evaluate(PROBE)


def assert_no_error(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0
    assert "Traceback" not in page.inner_text("body")


@pytest.mark.parametrize("name", PAGES)
def test_every_page_loads(page, server, name):
    open_page(page, f"{server}/{'' if name == 'home' else name}", figure=name != "home")  # home is served at /
    assert PAGES[name] in page.inner_text("h1")
    assert_no_error(page)
    assert "Page not found" not in page.inner_text("body")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)


def test_home_navigates_to_pages(page, server):
    open_page(page, server, figure=False)
    page.get_by_role("link", name="Eigenvalues & stability").first.click()
    page.wait_for_url("**/stability**")
    wait_ready(page)
    assert "Eigenvalues & stability" in page.inner_text("h1")


@pytest.mark.parametrize("query", ["lr=0.5&steps=1000", "hide=all&lr=0.5"])
def test_sidebar_navigation_opens_the_next_page_at_its_defaults(page, server, query):
    """Pages share control names with other ranges (lr, steps): no value may leak into the next page."""
    open_page(page, f"{server}/phase?{query}")
    page.get_by_role("link", name="1-D GAN training").first.click()
    page.wait_for_url("**/train1d**")
    wait_ready(page)
    assert_no_error(page)
    assert "lr=" not in page.url and "steps=" not in page.url and "optimizer=" not in page.url
    assert float(slider(page, "learning rate").input_value()) == 0.001


@pytest.mark.parametrize("name", ["phase", "stability"])
def test_slider_changes_figure_and_url(page, server, name):
    open_page(page, f"{server}/{name}")
    before = figure_src(page)
    ms = move_slider(page, "learning rate h", "PageUp")  # a big step: the eigenvalue plot moves visibly too
    assert figure_src(page) != before and ms > 0
    page.wait_for_url(lambda url: "lr=" in url and "lr=0.1&" not in url and not url.endswith("lr=0.1"), timeout=10_000)
    assert_no_error(page)


def test_shared_url_restores_state(page, server):
    open_page(page, f"{server}/phase?loss=wgan&reg=r1&gamma=2.5&lr=0.3&starts=random&seed=7")
    assert float(slider(page, "γ (regularizer weight)").input_value()) == 2.5
    assert float(slider(page, "learning rate h").input_value()) == 0.3
    body = page.inner_text("body")
    assert "WGAN + R1 penalty" in body or "wgan+r1" in body
    assert "gamma=2.5" in page.url and "seed=7" in page.url
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "phase-shared.png", full_page=True)


def test_bad_url_value_is_reported(page, server):
    open_page(page, f"{server}/phase?reg=r1&gamma=abc")
    assert "gamma='abc' is not valid" in page.inner_text("body")
    assert_no_error(page)


def test_custom_spec_in_shared_url(page, server):
    open_page(page, f"{server}/optimal?preset=custom&data=uniform(0,%201)&gen=uniform(3,%204)")
    assert "JS = 0.693147" in page.inner_text("body")
    assert_no_error(page)


def test_locked_control_is_disabled(page, server):
    open_page(page, f"{server}/phase?lock=lr&hide=loss")
    assert slider(page, "learning rate h").is_disabled()
    assert not slider(page, "rounds").is_disabled()
    assert page.locator('[data-testid="stSelectbox"]', has_text="Loss").count() == 0


@pytest.mark.parametrize("name", ["train1d", "mixtures"])
def test_play_trains_live_and_pause_stops(page, server, name):
    open_page(page, f"{server}/{name}")
    before = figure_src(page)
    page.get_by_role("button", name="▶ Play").click()
    page.wait_for_function(
        '(b) => { const i = document.querySelector(\'[data-testid="stMain"] [data-testid="stImage"] img\');'
        " return i && i.src !== b && /Round [1-9]/.test(document.body.innerText); }",
        arg=before,
        timeout=90_000,
    )
    page.get_by_role("button", name="⏸ Pause").click()
    page.get_by_role("button", name="▶ Play").wait_for(timeout=60_000)
    assert_no_error(page)
    page.screenshot(path=ARTIFACTS / f"{name}-trained.png", full_page=True)


@pytest.mark.parametrize("name", ["phase", "stability", "optimal"])
def test_downloads_of_the_first_figure(playwright, server, name):
    """PNG, SVG and the first data file of the page's first figure, in a fresh browser profile with one tab per
    download (Chromium holds back further files from a site that has already downloaded several)."""
    with chromium(playwright) as context:
        for i, label in enumerate(["PNG", "SVG", None]):
            page = context.new_page()
            open_page(page, f"{server}/{name}")
            buttons = page.locator('[data-testid="stMain"] [data-testid="stDownloadButton"] button')
            button = buttons.nth(i) if label else buttons.filter(has_text="data").first
            assert label is None or button.inner_text() == label
            with page.expect_download(timeout=30_000) as info:
                button.click()
            data = Path(info.value.path()).read_bytes()
            assert data
            if label == "PNG":
                assert data.startswith(b"\x89PNG")
            elif label == "SVG":
                assert b"<svg" in data[:2000]
            else:
                assert info.value.suggested_filename.endswith((".csv", ".json"))
            assert_no_error(page)
            page.close()
