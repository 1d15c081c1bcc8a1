"""ui.lsgan and the words of issue 12 item 7 on their pages: LS-GAN's assumption, consistency and pairwise
statistics, allocation on demand with two generators (numbers from the core), the Wasserstein divergence at
WGAN-GP target 0, and Goodfellow et al.'s Proposition 2 along a mixture path."""

import math

import pytest

from dynamics.oned.lipschitz import Allocation
from tests.app.apptest import assert_clean, run_page, texts
from ui import lsgan


def test_allocation_sentence_reads_its_numbers_and_verdict_from_the_rows():
    near, far = Allocation("uniform(0.5, 1.5)", 0.5, 0.25, 0.1), Allocation("uniform(3, 4)", 3.0, 2.0, 0.0)
    sentence = lsgan.allocation_sentence([near, far])
    assert sentence.startswith(
        "The far fake's pairs have a margin 6.0× the near fake's (3 against 0.5), and the least optimal loss "
        "function rises 2 above the real samples on it against 0.25 on the near one (8.0×): the margin gives the "
        "far fake the larger push"
    )
    capped = lsgan.allocation_sentence([near, Allocation("uniform(3, 4)", 3.0, 0.25, 2.0)])
    assert capped.endswith("here the far fake gets no larger push: the κ-Lipschitz bound caps the loss's rise.")
    table = lsgan.allocation_table([near, far])
    assert "| near fake: uniform(0.5, 1.5) | 0.5 | 0.25 | 0.1 |" in table
    assert "| far fake: uniform(3, 4) | 3 | 2 | 0 |" in table
    tiny = lsgan.allocation_table([near, Allocation("uniform(3, 4)", 3.0, 2.0, 9.99e-10)])
    assert "| far fake: uniform(3, 4) | 3 | 2 | 0 |" in tiny  # HiGHS's 1e-9 residue prints 0


def test_lipschitz_page_teaches_the_assumption_statistics_and_allocation_with_two_generators():
    at = run_page("lipschitz", kappa="2", samples="12", seed="3")
    assert_clean(at)
    shown = texts(at)
    assert "∫|p_data(x) − p_G*(x)| dx ≤ 2/λ" in shown and "|p_data(x) − p_data(x′)| ≤ L_m·Δ(x, x′)" in shown
    assert "E_data f(x) − E_g f(G(z))" in shown and "C(a) = a" in shown
    near, far = lsgan.allocations(2.0, 1.0, 12, 3)  # the core, tested by hand in tests/oned/test_lipschitz.py
    assert (near.gen, far.gen) == (lsgan.NEAR, lsgan.FAR)
    assert far.push > 2 * near.push  # with κ = 2 the far fake's loss rises by about its larger margin
    unmet = "0" if far.unmet < 1e-7 else f"{far.unmet:.3g}"
    assert f"| far fake: uniform(3, 4) | {far.margin:.3g} | {far.push:.3g} | {unmet} |" in shown
    assert f"rises {far.push:.3g} above the real samples on it against {near.push:.3g}" in shown


@pytest.mark.parametrize("name", ["phase", "stability"])
def test_dirac_pages_name_the_wasserstein_divergence_at_target_0_only(name):
    at = run_page(name, loss="wgan-gp", target="0", gamma="1")
    assert_clean(at)
    info = " ".join(i.value for i in at.info)
    assert "Wasserstein divergence" in info and "p = 2, k = γ/2 case" in info
    shown = texts(at)  # WGAN + R1's eigenvalues at γ = 1, −γ/2 ± i·√(1 − γ²/4) = −0.5 ± 0.866i, as the note says
    assert "-0.5+0.866" in shown.replace("−", "-") and "-0.5-0.866" in shown.replace("−", "-")
    at = run_page(name, loss="wgan-gp", target="1")
    assert not any("Wasserstein divergence" in i.value for i in at.info)


def test_optimal_page_shows_proposition_2_with_the_closed_form_numbers():
    at = run_page("optimal", preset="disjoint")
    assert_clean(at)
    caption = next(c.value for c in at.caption if c.value.startswith("C falls from"))
    # disjoint supports: C(p_t) = −log 4 + 2·JS with JS by hand (tests/oned/test_optimal.py): at t = 0.1 and 0.9
    js = lambda t: 0.5 * (math.log(2 / (1 + t)) + t * math.log(2 * t / (1 + t)) + (1 - t) * math.log(2))  # noqa: E731
    first, last = math.log(4) - 2 * js(0.1), 2 * js(0.9)  # C(0) − C(0.1) with C(0) = 0; C(0.9) − C(1)
    assert caption.startswith(f"C falls from 0 at t = 0 to {-math.log(4):.6g} = −log 4 at t = 1; convex")
    assert f"lowers C by {first:.4g}, the last by {last:.4g}." in caption
