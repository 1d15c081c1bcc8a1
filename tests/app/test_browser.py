"""The app in a real browser (Debian's Chromium through Playwright): every page, sliders, shared URLs.

The fixtures (server, playwright, browser, page) are in conftest.py; there, why these tests may be skipped.
Screenshots of each page go to test-artifacts/.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from bench.harness import PROBE, ROOT, WAIT_MS, chromium, figure_src, move_slider, slider, wait_chart_above, wait_ready

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


def test_deep_link_as_the_first_request_of_a_fresh_server_goes_through_the_router(fresh_server, page):
    """A new `streamlit run app.py` whose first page ever is /phase (ui.navigation.ensure_router): without the
    guard Streamlit runs pages/phase.py alone in its old multipage mode, and the sidebar lists the files of pages/
    ('home', 'phase', …). Through app.py's router it lists the app's page titles."""
    open_page(page, f"{fresh_server}/phase")
    assert page.inner_text("h1") == "Dirac-GAN phase portraits"
    links = page.locator('[data-testid="stSidebarNavLink"] [data-testid="stMarkdownContainer"]')
    expect(links).to_have_text(
        [
            "Home",
            "Dirac-GAN phase portraits",
            "Eigenvalues & stability",
            "Optimal discriminator",
            "Saturating vs non-saturating",
            "1-D GAN training",
            "2-D mixtures",
            "LS-GAN vs WGAN",
            "Image GANs",
        ],
        timeout=WAIT_MS,
    )
    assert page.url == f"{fresh_server}/phase"
    assert_no_error(page)


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
    page.wait_for_url(lambda url: "lr=" in url and "lr=0.1&" not in url and not url.endswith("lr=0.1"), timeout=WAIT_MS)
    assert_no_error(page)


def test_shared_url_restores_state(page, server):
    open_page(page, f"{server}/phase?loss=wgan&reg=r1&gamma=2.5&lr=0.3&starts=random&seed=7")
    assert float(slider(page, "γ (regularizer weight)").input_value()) == 2.5
    assert float(slider(page, "learning rate h").input_value()) == 0.3
    assert "objective: wgan + r1 (gamma=2.5)" in page.inner_text("body")  # the summary under the figure
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


def selectbox(page, label: str):
    """The sidebar selectbox with this label (a combobox whose value is the option shown)."""
    return page.locator('[data-testid="stSidebar"]').get_by_role("combobox", name=label)


def test_class_link_locks_stay_after_the_sidebar_round_trip(page, server):
    """The class link's page reopens locked when the student comes back through the sidebar (ui.controls.start_page);
    the page visited in between is not locked."""
    open_page(page, f"{server}/stability?loss=wgan&lock=loss")
    expect(selectbox(page, "Loss")).to_be_disabled(timeout=WAIT_MS)
    page.locator('[data-testid="stSidebarNavLink"]', has_text="Dirac-GAN phase portraits").click()
    page.wait_for_url("**/phase", timeout=WAIT_MS)
    wait_ready(page, figure=True, timeout=WAIT_MS)
    expect(selectbox(page, "Loss")).to_be_enabled(timeout=WAIT_MS)
    page.locator('[data-testid="stSidebarNavLink"]', has_text="Eigenvalues & stability").click()
    page.wait_for_url("**/stability?loss=wgan&lock=loss", timeout=WAIT_MS)  # the page puts the link back
    wait_ready(page, figure=True, timeout=WAIT_MS)
    expect(selectbox(page, "Loss")).to_be_disabled(timeout=WAIT_MS)
    expect(selectbox(page, "Loss")).to_have_value("WGAN", timeout=WAIT_MS)
    assert_no_error(page)


@pytest.mark.parametrize("name", ["train1d", "mixtures"])
def test_play_trains_live_and_pause_stops(page, server, name):
    open_page(page, f"{server}/{name}")
    page.get_by_role("button", name="▶ Play").click()
    wait_chart_above(page, f"{name}_history", "points", 1)  # the history chart took a streamed point
    page.wait_for_function("() => /Round [1-9]/.test(document.body.innerText)", timeout=WAIT_MS)
    page.get_by_role("button", name="⏸ Pause").click()
    page.get_by_role("button", name="▶ Play").wait_for(timeout=WAIT_MS)
    assert_no_error(page)
    page.screenshot(path=ARTIFACTS / f"{name}-trained.png", full_page=True)


@pytest.mark.parametrize("name", ["phase", "stability", "optimal"])
def test_downloads_of_the_first_figure(playwright, server, name):
    """PNG, SVG and the first data file (labelled 'CSV: …' or 'JSON: …') of the page's first figure, in a fresh
    browser profile with one tab per download (Chromium holds back further files from a site that has already
    downloaded several). Each file is made on the server when its button is clicked (the PNG and SVG redraw the
    figure): the test waits for the button and then for the download event, with room for a loaded machine, and
    never for a fixed time.

    Streamlit lists a file made on click in no session, so the second clean-up of orphaned files after it (one runs
    whenever a script run ends or a session closes, in any session) deletes it; the browser's fetch then gets a 404
    and no download ever starts (the flaky timeout). The buttons therefore do not rerun the app (ui.export:
    on_click="ignore"), and the tabs stay open until the end, so no session closes in between."""
    checks = {
        "PNG": lambda data, filename: data.startswith(b"\x89PNG") and filename.endswith(".png"),
        "SVG": lambda data, filename: b"<svg" in data[:2000] and filename.endswith(".svg"),
        re.compile(r"^(CSV|JSON): "): lambda data, filename: len(data) > 0 and filename.endswith((".csv", ".json")),
    }
    with chromium(playwright) as context:
        for label, check in checks.items():
            page = context.new_page()
            open_page(page, f"{server}/{name}")
            # the first button with this label in the main area belongs to the first figure
            button = page.locator('[data-testid="stMain"] [data-testid="stDownloadButton"] button', has_text=label)
            expect(button.first).to_be_enabled(timeout=WAIT_MS)
            with page.expect_download(timeout=WAIT_MS) as info:
                button.first.click()
            download = info.value
            data = Path(download.path()).read_bytes()  # waits for the file to be complete
            assert check(data, download.suggested_filename), (label, download.suggested_filename, data[:100])
            assert_no_error(page)
