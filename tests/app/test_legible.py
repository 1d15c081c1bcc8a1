"""Legibility (issue 10 item 14): numbers within tolerance of 0 print 0, eigenvalues within rounding error of
the real axis print real, no None or nan where a value is undefined, download labels that name their file."""

import re

from tests.app.apptest import assert_clean, run_page, texts


def test_c_of_g_within_tolerance_of_zero_prints_zero():
    """normal(0, 1) against uniform(10, 11): the quadrature's C(G) is −4.03e−22; exactly it is 0."""
    at = run_page("optimal", preset="custom", data="normal(0, 1)", gen="uniform(10, 11)")
    assert_clean(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["C(G) = V(G, D*)"] == "0"
    shown = texts(at)
    assert "C(G) = V(G, D*) = 0;" in shown
    assert "e-2" not in shown and "e−2" not in shown


def test_eigenvalue_with_rounding_error_prints_real():
    """GAN + R1 at γ = 1: the update operator of GD at h = 0.1 has the double eigenvalue 0.95."""
    at = run_page("phase", reg="r1", gamma="1")
    assert_clean(at)
    shown = texts(at)
    assert "eigenvalues: -0.5, -0.5" in shown
    assert "e-09i" not in shown and "e-08i" not in shown
    at = run_page("stability", reg="r1", gamma="1")
    assert "eigenvalues: +0.95, +0.95" in texts(at)


def test_compare_table_says_why_a_radius_is_undefined():
    at = run_page("phase", mode="compare", compare="gan,wgan-gp", optimizer="gd")
    assert_clean(at)
    radius = list(at.dataframe[0].value["spectral radius"])
    assert radius[0] == "1.00125"
    assert radius[1] == "undefined (non-smooth at (0, 0))"
    at = run_page("phase", mode="compare", compare="gan,wgan", optimizer="adam")
    assert set(at.dataframe[0].value["spectral radius"]) == {"undefined (Adam: no linearization)"}


PAGES = {
    "phase": {},
    "stability": {},
    "optimal": {"figure1": "1"},
    "saturation": {},
    "lipschitz": {},
    "train1d": {},
    "mixtures": {},
    "images": {},
}


def test_every_download_label_names_what_it_holds():
    """No two buttons of a page share a label; each is '<FORMAT>: <what>' (no 'CSV data')."""
    for name, query in PAGES.items():
        at = run_page(name, **query)
        labels = [b.proto.label for b in at.get("download_button")]
        assert labels, name
        assert all(label.split(": ")[0] in {"PNG", "SVG", "CSV", "JSON"} and ": " in label for label in labels), labels
        assert not any(label.endswith(" data") for label in labels), labels
        figures = [label for label in labels if label.startswith("PNG")]
        assert len(set(labels) - {"PNG: figure", "SVG: figure"}) == len(labels) - 2 * len(figures), (name, labels)


def test_the_k_steps_experiment_runs_one_run_per_answer_and_reports_its_measured_time():
    """The button no longer promises a time ('about 20 s' took 35 s): each page run trains one of the 9 runs
    (a few seconds), shows the rows so far, and once all are done says how long they took."""
    at = run_page("lipschitz")
    button = at.button(key="_kgrad")
    assert not re.search(r"\d\s*s\b|second|minute", button.label)  # no time promised
    button.click().run()
    assert_clean(at)
    assert "1 of 9 runs" in texts(at) or any("1 of 9 runs" in str(p.proto) for p in at.get("progress"))
    assert "runs took" not in texts(at)
