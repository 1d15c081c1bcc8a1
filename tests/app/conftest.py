"""Fixtures for the browser tests: a Streamlit server of app.py and Debian's Chromium through Playwright.

Without /usr/bin/chromium the browser tests are skipped, unless GDL_REQUIRE_BROWSER=1 (CI), where that is a failure.
"""

import os
from pathlib import Path

import pytest

from bench.harness import CHROMIUM, chromium, streamlit_server


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
