"""The figure uses the width it is given and the tables stay usable, on a 1920×1080 screen and a 390×844 phone
(issue 10 item 14), in Chromium. Screenshots go to test-artifacts/layout-<page>-<width>.png."""

import pytest

from bench.harness import WAIT_MS, chromium, wait_ready
from tests.app.test_browser import ARTIFACTS, assert_no_error

pytestmark = pytest.mark.browser
VIEWPORTS = [(1920, 1080), (390, 844)]
# (page, query): the phase page with its trajectory table (12 random starts) and compare mode with its data table
VIEWS = [("phase", "?starts=random&n_starts=12"), ("phase", "?mode=compare"), ("optimal", "")]

# Every figure of the main area: images, and the canvases of browser-drawn charts (ui/charts.js, inside the
# components' shadow roots), each with the width of the element container that holds it.
WIDTHS = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const figures = [...main.querySelectorAll('[data-testid="stImage"] img')].map(img => [img, img]);
  for (const host of main.querySelectorAll('*')) {
    const canvases = host.shadowRoot ? [...host.shadowRoot.querySelectorAll('.gdl-chart canvas')] : [];
    figures.push(...canvases.map(c => [c, host]));
  }
  return figures.map(([figure, outer]) => {
    const box = outer.closest('[data-testid="stElementContainer"]') || outer.parentElement;
    return [figure.getBoundingClientRect().width, box.getBoundingClientRect().width];
  });
}"""
TABLES = """() => [...document.querySelectorAll('[data-testid="stMain"] table, [data-testid="stMain"] \
[data-testid="stDataFrame"]')].map(t => {
  let e = t, scrolls = false;
  for (; e && e !== document.body; e = e.parentElement) {
    const s = getComputedStyle(e);
    if (e.scrollWidth > e.clientWidth + 1 && ['auto', 'scroll'].includes(s.overflowX)) { scrolls = true; break; }
  }
  const r = t.getBoundingClientRect();
  return {right: r.right, width: r.width, scrolls: scrolls || t.dataset.testid === 'stDataFrame'};
})"""


@pytest.mark.parametrize(("width", "height"), VIEWPORTS)
@pytest.mark.parametrize(("name", "query"), VIEWS)
def test_figures_fill_their_column_and_tables_stay_reachable(playwright, server, width, height, name, query):
    with chromium(playwright, width=width, height=height) as context:
        page = context.new_page()
        page.goto(f"{server}/{name}{query}")
        wait_ready(page, figure=True)
        page.wait_for_function(
            '() => [...document.querySelectorAll(\'[data-testid="stMain"] [data-testid="stImage"] img\')]'
            ".every(i => i.complete && i.naturalWidth > 0)",
            timeout=WAIT_MS,
        )
        # the charts size their canvases to their column once mounted (a ResizeObserver): wait for that event
        page.wait_for_function(
            f"() => {{ const w = ({WIDTHS})(); return w.length > 0 && w.every(([s, c]) => s >= 0.95 * c); }}",
            timeout=WAIT_MS,
            polling=100,
        )
        assert_no_error(page)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"layout-{name}{'-compare' if 'compare' in query else ''}-{width}.png")
        widths = page.evaluate(WIDTHS)
        assert widths, "no figure"
        for shown, column in widths:
            assert shown >= 0.95 * column, (shown, column, widths)  # fills its column: no blank half page
            assert shown <= width, (shown, width)  # never wider than the screen
        viewport = page.evaluate("() => document.documentElement.clientWidth")
        for table in page.evaluate(TABLES):
            # a table either fits the screen or scrolls inside its own box: nothing is cut off unreachably
            assert table["right"] <= viewport + 1 or table["scrolls"], (table, viewport)
        page_scroll = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert page_scroll <= 1, "the page itself scrolls sideways"
