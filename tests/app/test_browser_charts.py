"""The phase chart in a real browser (ui/charts.js through Chromium): it plays, pauses, shows a round in slow
motion, reads out values under the pointer, and a click on the plane adds a start that joins the URL.

Every wait is for an event (an attribute the chart sets, a URL, a number of animation frames), bounded by WAIT_MS.
The chart lives in a shadow root; Playwright's locators pierce it.
"""

import asyncio
import json
import math
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from playwright.sync_api import expect

from bench.harness import ROOT, WAIT_MS, wait_ready
from bench.wsclient import Session

pytestmark = pytest.mark.browser
# Streamlit's frontend probes /<page>/_stcore/host-config and /health before the root path: 404s of its own.
STREAMLIT_PROBES = re.compile(r"/_stcore/(host-config|health)$")


def collect_errors(page) -> None:
    """From now on, page errors, console errors and failed requests go to page.errors (checked by `clean`)."""
    page.errors = []
    page.on("pageerror", lambda err: page.errors.append(f"pageerror: {err}"))
    page.on("console", lambda msg: msg.type == "error" and page.errors.append(f"console: {msg.text}"))
    page.on("response", lambda r: r.status >= 400 and page.errors.append(f"{r.status} {r.url}"))


@pytest.fixture
def chart(page, server):
    """/phase at its defaults (GAN, simultaneous GD, h = 0.1, one start at (1, 1)), the chart drawn; console
    errors and failed requests collected for `clean`."""
    collect_errors(page)
    page.goto(f"{server}/phase")
    wait_ready(page)
    root = page.locator(".st-key-phase_chart .gdl-chart")
    expect(root).to_have_attribute("data-drawn", re.compile(r"\d+"), timeout=WAIT_MS)
    return root


def clean(page) -> None:
    """No console error, page error or failed request other than Streamlit's own path probes (their 404s log a
    console line 'Failed to load resource' each)."""
    probes = sum(bool(STREAMLIT_PROBES.search(e.split(" ", 1)[1])) for e in page.errors if e[:3].isdigit())
    others = [e for e in page.errors if not (e[:3].isdigit() and STREAMLIT_PROBES.search(e.split(" ", 1)[1]))]
    loads = [e for e in others if "Failed to load resource" in e]
    assert len(loads) <= probes, page.errors
    assert not [e for e in others if "Failed to load resource" not in e], page.errors
    assert page.locator('[data-testid="stException"]').count() == 0


def frames(page, n: int = 30) -> None:
    """Wait for n animation frames of the page (an event, not a fixed time)."""
    page.evaluate(
        "(n) => new Promise((done) => { let i = 0; const f = () => (++i >= n ? done() : requestAnimationFrame(f));"
        " requestAnimationFrame(f); })",
        n,
    )


def attribute_changes(page, root, name: str, before) -> str:
    """Wait until the chart's data-<name> differs from `before`; return it."""
    page.wait_for_function(
        "([el, name, before]) => el.getAttribute(name) !== null && el.getAttribute(name) !== before",
        arg=[root.element_handle(), f"data-{name}", before],
        timeout=WAIT_MS,
        polling=20,
    )
    return root.get_attribute(f"data-{name}")


def pixel(page, root, theta: float, psi: float) -> tuple[float, float]:
    """Page coordinates of (θ, ψ) on the chart's canvas."""
    geo = json.loads(root.get_attribute("data-geo"))
    box = root.locator("canvas").bounding_box()
    return box["x"] + geo["left"] + (theta - geo["x0"]) * geo["scale"], box["y"] + geo["top"] + (geo["y1"] - psi) * geo[
        "scale"
    ]


def test_play_moves_the_dots_and_pause_stops_them(page, chart):
    play = chart.locator('button[data-role="play"]')
    play.click()
    expect(chart).to_have_attribute("data-playing", "1", timeout=WAIT_MS)
    first = attribute_changes(page, chart, "dots", None)
    second = attribute_changes(page, chart, "dots", first)
    (a,), (b,) = json.loads(first), json.loads(second)
    assert a != b and all(math.isfinite(x) and abs(x) < 3 for x in a + b)  # the GAN run circles near radius √2
    play.click()
    expect(chart).to_have_attribute("data-playing", "0", timeout=WAIT_MS)
    paused = chart.get_attribute("data-dots")
    frames(page)
    assert chart.get_attribute("data-dots") == paused
    assert play.inner_text() == "▶ Play"
    clean(page)


def test_slow_motion_moves_the_generator_then_the_discriminator(page, chart):
    chart.get_by_label("slow motion").check()
    expect(chart).to_have_attribute("data-slow", "0:generator", timeout=WAIT_MS)
    chart.locator('button[data-role="play"]').click()
    assert attribute_changes(page, chart, "slow", "0:generator") == "0:discriminator"
    assert attribute_changes(page, chart, "slow", "0:discriminator") == "1:generator"
    chart.locator('button[data-role="play"]').click()
    expect(chart).to_have_attribute("data-playing", "0", timeout=WAIT_MS)
    chart.locator("button", has_text="◀ round").click()  # back to round 0, which starts at (1, 1)
    expect(chart).to_have_attribute("data-slow", "0:generator", timeout=WAIT_MS)
    text = chart.locator(".gdl-readout").inner_text()
    assert "Round 0 → 1" in text and "generator step θ 1 →" in text and "discriminator step ψ 1 →" in text, text
    clean(page)


def test_hover_reads_out_the_point_its_round_and_the_field(page, chart):
    """At the start (1, 1) of the default run: round 0 and v = (−ψ f′(θψ), θ f′(θψ)) with f′(t) = 1/(1 + eᵗ)
    for the GAN, so v(1, 1) = (−0.2689, 0.2689)."""
    x, y = pixel(page, chart, 1.0, 1.0)
    page.mouse.move(x, y)
    text = attribute_changes(page, chart, "hover", None)
    fp = 1 / (1 + math.e)
    assert f"round k = 0: θ = 1, ψ = 1, v(θ, ψ) = ({-fp:.4g}, {fp:.4g})" in text, text
    x, y = pixel(page, chart, -1.5, -1.8)  # far from the run: the pointer and the nearest arrow
    page.mouse.move(x, y)
    text = attribute_changes(page, chart, "hover", text)
    assert text.startswith("pointer θ = -1.5") and "at the nearest arrow" in text, text
    clean(page)


def test_click_adds_a_start_near_the_point_and_puts_it_in_the_url(page, chart):
    before = chart.get_attribute("data-payload")
    x, y = pixel(page, chart, -1.0, 0.5)
    page.mouse.click(x, y)
    page.wait_for_url(re.compile(r"added="), timeout=WAIT_MS)
    attribute_changes(page, chart, "payload", before)
    expect(chart).to_have_attribute("data-trajectories", "2", timeout=WAIT_MS)
    (added,) = re.findall(r"added=([^&]+)", page.url)
    theta, psi = (float(v) for v in added.replace("%3A", ":").split(":"))
    assert abs(theta + 1.0) < 0.05 and abs(psi - 0.5) < 0.05, added
    expect(page.get_by_text("Trajectory status (2 starts)")).to_be_visible(timeout=WAIT_MS)
    page.reload()  # the URL reproduces it
    wait_ready(page)
    expect(page.locator(".st-key-phase_chart .gdl-chart")).to_have_attribute("data-trajectories", "2", timeout=WAIT_MS)
    page.get_by_role("button", name="Remove the starts added by clicking").click()
    page.wait_for_url(lambda url: "added=" not in url, timeout=WAIT_MS)
    expect(page.locator(".st-key-phase_chart .gdl-chart")).to_have_attribute("data-trajectories", "1", timeout=WAIT_MS)
    clean(page)


def xy_pixel(root, x: float, y: float) -> tuple[float, float]:
    """Page coordinates of (x, y) on an XYChart's canvas (scrolled into view: the mouse reaches only the viewport)."""
    root.locator("canvas").scroll_into_view_if_needed()
    geo = json.loads(root.get_attribute("data-geo"))
    box = root.locator("canvas").bounding_box()
    up = math.log10(y) if geo.get("ylog") else y
    return box["x"] + geo["left"] + (x - geo["x0"]) * geo["sx"], box["y"] + geo["top"] + (geo["y1"] - up) * geo["sy"]


def xy_chart(page, key: str):
    root = page.locator(f".st-key-{key} .gdl-chart")
    expect(root).to_have_attribute("data-drawn", re.compile(r"\d+"), timeout=WAIT_MS)
    return root


def test_eigenvalue_chart_hover_reads_out_an_eigenvalue(page, chart):
    """The GAN's Jacobian at (0, 0) has eigenvalues ±i/2."""
    eigen = xy_chart(page, "eigen_chart")
    page.mouse.move(*xy_pixel(eigen, 0.0, 0.5))
    text = attribute_changes(page, eigen, "hover", None)
    assert text == "Jacobian (continuous): Re λ = 0, Im λ = 0.5", text
    clean(page)


@pytest.mark.parametrize(
    "path,keys",
    [
        ("phase", ["phase_chart", "eigen_chart"]),
        ("phase?starts=grid&grid=8", ["phase_chart", "eigen_chart"]),
        ("phase?reg=r1&flow=1&starts=random", ["phase_chart", "eigen_chart"]),
        ("phase?mode=compare", [f"compare_chart_{i}" for i in range(6)]),
        ("stability?reg=r1", ["eigen_chart", "radius_chart", "path_chart"]),
        ("optimal", ["densities_chart", "discriminator_chart"]),
        ("optimal?preset=disjoint", ["densities_chart", "discriminator_chart", "path_chart"]),
        ("optimal?figure1=1", ["path_chart", *(f"figure1_chart_{i}" for i in range(4))]),
        ("saturation", ["loss_chart", "logit_chart", "gradient_chart", "mean_d_chart"]),
        ("lipschitz", ["samples_chart", "critic_chart", "velocity_chart", "vanishing_chart", "d_steps_chart_1"]),
    ],
)
def test_every_chart_draws_without_console_errors(page, server, path, keys):
    collect_errors(page)
    page.goto(f"{server}/{path}")
    wait_ready(page)
    for key in keys:
        expect(page.locator(f".st-key-{key} .gdl-chart")).to_have_attribute(
            "data-drawn", re.compile(r"\d+"), timeout=WAIT_MS
        )
    clean(page)


@pytest.fixture
def optimal(page, server):
    """/optimal at its defaults: p_data = normal(0, 1), p_g = normal(2, 0.5), your D = σ(−2x + 2)."""
    collect_errors(page)
    page.goto(f"{server}/optimal")
    wait_ready(page)
    return xy_chart(page, "discriminator_chart")


def normal_pdf(x: float, mu: float, sigma: float) -> float:
    return math.exp(-0.5 * ((x - mu) / sigma) ** 2) / (sigma * math.sqrt(2 * math.pi))


def test_discriminator_hover_reads_out_d_star_and_yours_at_x(page, optimal):
    """D*(x) = p_data/(p_data + p_g) and σ(−2x + 2) at the grid point nearest the pointer."""
    page.mouse.move(*xy_pixel(optimal, 1.0, 0.5))
    text = attribute_changes(page, optimal, "hover", None)
    found = re.fullmatch(r"x = (\S+): D\*\(x\) = (\S+), σ\(a·x \+ b\) = (\S+)", text)
    assert found, text
    x, d_star, d_line = (float(v) for v in found.groups())
    assert abs(x - 1.0) < 0.02
    p, q = normal_pdf(x, 0, 1), normal_pdf(x, 2, 0.5)
    assert math.isclose(d_star, p / (p + q), rel_tol=2e-3), (d_star, p / (p + q))
    assert math.isclose(d_line, 1 / (1 + math.exp(2 * x - 2)), rel_tol=2e-3)
    clean(page)


def url_value(page, key: str) -> float:
    page.wait_for_url(re.compile(rf"[?&]{key}="), timeout=WAIT_MS)
    return float(re.findall(rf"[?&]{key}=([^&]+)", page.url)[0])


def test_click_sets_your_d_through_the_point_with_its_slope(page, optimal):
    """A click at (1, 0.75) keeps a = −2 and sets b = logit 0.75 + 2 = 3.0986, on the slider's 0.1 grid."""
    before = optimal.get_attribute("data-payload")
    page.mouse.click(*xy_pixel(optimal, 1.0, 0.75))
    b = url_value(page, "b")
    assert abs(b - (math.log(3) + 2)) <= 0.1, page.url
    assert "a=" not in page.url  # a kept at its default
    attribute_changes(page, optimal, "payload", before)
    clean(page)


def test_drag_sets_your_d_through_both_ends(page, optimal):
    """From (−1, 0.2) to (2, 0.9): a = (logit 0.9 − logit 0.2)/3 = 1.1945, b = logit 0.2 + a = −0.1918."""
    before = optimal.get_attribute("data-payload")
    page.mouse.move(*xy_pixel(optimal, -1.0, 0.2))
    page.mouse.down()
    page.mouse.move(*xy_pixel(optimal, 2.0, 0.9), steps=5)
    page.mouse.up()
    a, b = url_value(page, "a"), url_value(page, "b")
    slope = (math.log(9) - math.log(0.25)) / 3
    assert abs(a - slope) <= 0.1 and abs(b - (math.log(0.25) + slope)) <= 0.15, page.url
    attribute_changes(page, optimal, "payload", before)
    clean(page)


def test_log_scale_chart_reads_out_the_saved_gradient_at_its_point(page, server):
    """/lipschitz's vanishing-gradient chart (log y): the pointer on the saturating GAN's last saved point reads out
    that point's iteration and gradient norm, as saved in models/saved/vanishing.json."""
    collect_errors(page)
    page.goto(f"{server}/lipschitz")
    wait_ready(page)
    root = xy_chart(page, "vanishing_chart")
    gan = json.loads((ROOT / "models" / "saved" / "vanishing.json").read_text())["losses"]["gan"]
    x, y = gan["iterations"][-1], gan["grad_norm"][-1]
    page.mouse.move(*xy_pixel(root, x, y))
    text = attribute_changes(page, root, "hover", None)
    found = re.fullmatch(r"saturating GAN: .* = (\S+), .* = (\S+)", text)
    assert found, text
    assert float(found[1]) == x and math.isclose(float(found[2]), y, rel_tol=2e-3), (text, x, y)
    clean(page)


def test_a_run_sends_the_chart_code_once_and_every_chart_a_stub(server):
    """Streamlit sends a component's code with each element: a page's run carries the 35 kB chart code in one
    element (the router's), and each chart only the stub that draws with it; a second run the same."""
    from ui import charts

    async def runs(page: str, query: str):
        session, first = await Session.open(server, page, query)
        try:
            return first, await session.rerun({})
        finally:
            await session.close()

    for page, query in (("phase", ""), ("stability", "reg=r1"), ("optimal", "")):
        with ThreadPoolExecutor(1) as pool:  # Playwright's sync API keeps an event loop running in this thread
            both = pool.submit(asyncio.run, runs(page, query)).result()
        for run in both:
            code = [size for kind, size in run.components if kind == "gdl_charts_code"]
            stubs = [size for kind, size in run.components if kind == "gdl_chart"]
            assert code == [len(charts.LOADER_JS)], (page, run.components)
            assert len(stubs) >= 2 and set(stubs) == {len(charts.STUB_JS)}, (page, run.components)
