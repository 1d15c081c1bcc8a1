"""Fixtures for tests/app: AppTest runs that go through app.py's router like a running server's, and for the
browser tests a Streamlit server of app.py and Debian's Chromium through Playwright.

Without /usr/bin/chromium the browser tests are skipped, unless GDL_REQUIRE_BROWSER=1 (CI), where that is a failure.
"""

import os
from pathlib import Path

import pytest

from bench.harness import CHROMIUM, chromium, streamlit_server


@pytest.fixture(autouse=True)
def router_already_ran(monkeypatch):
    """Every AppTest run resets Streamlit's old-multipage flag (PagesManager.uses_pages_directory) as if the server
    had just started, so each run would first go through ui.navigation.ensure_router's rerun, and a rerun drops the
    button click of that run (Check, Step 100, Reset). A server clears the flag once, on its first run; here each
    run starts with it cleared, as on a server that has served a page before. The guard itself is tested in a real
    browser (test_browser.py, test_deep_link_on_a_fresh_server_goes_through_the_router)."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import app_test

    class RouterAlreadyRan(PagesManager):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            PagesManager.uses_pages_directory = False

    monkeypatch.setattr(app_test, "PagesManager", RouterAlreadyRan)


@pytest.fixture(scope="session")
def chromium_present():
    if not Path(CHROMIUM).exists():
        message = f"{CHROMIUM} is missing (apt-get install chromium)"
        if os.environ.get("GDL_REQUIRE_BROWSER") == "1":
            pytest.fail(message + " and GDL_REQUIRE_BROWSER=1")
        pytest.skip(message)


@pytest.fixture(scope="module")
def server(chromium_present):
    """One `streamlit run app.py` for the test module; yields its base URL."""
    with streamlit_server() as url:
        yield url


@pytest.fixture
def fresh_server(chromium_present):
    """A server of its own for one test, so that the test's request is the first the process ever serves."""
    with streamlit_server() as url:
        yield url


@pytest.fixture(scope="module")
def playwright(chromium_present):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def browser(playwright):
    with chromium(playwright) as context:
        yield context


@pytest.fixture
def page(browser):
    page = browser.new_page()
    yield page
    page.close()
