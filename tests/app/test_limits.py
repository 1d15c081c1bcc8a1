"""Caps for a shared server (issue 10 item 15): the limits are those docs/README_app.md states, each capped control
says so next to it, and the phase page runs fewer rounds, with a warning, where the work budget would be passed."""

import re
from pathlib import Path

import pytest

from dynamics.dirac.ranges import BUDGET_S, COMPARE, ROUNDS, affordable_rounds
from tests.app.apptest import assert_clean, run_page, warning_text
from ui import training

DOCS = (Path(__file__).resolve().parents[2] / "docs" / "README_app.md").read_text()


def documented() -> dict[str, str]:
    """The 'allowed' column of the limits table, by the 'where it is set' column's name."""
    section = DOCS.split("### Limits on a shared server", 1)[1].split("###", 1)[0]
    rows = re.findall(r"^\| (.+?) \| (.+?) \| (.+?) \| `(.+?)` `(.+?)` \|$", section, flags=re.M)
    return {f"{name} {pages}": allowed for _, pages, allowed, _, name in rows}


def test_the_caps_are_what_the_docs_say():
    docs = documented()
    assert docs["LIMITS `/train1d`, `/mixtures`"] == f"max {training.LIMITS['tick_1d'].high:g}"
    assert training.LIMITS["tick_2d"].high == training.LIMITS["tick_1d"].high
    assert docs["LIMITS `/images`"] == f"max {training.LIMITS['tick_images'].high:g}"
    assert docs["LIMITS['batch_images'] `/images`"] == f"max {training.LIMITS['batch_images'].high:g}"
    assert docs["COMPARE `/phase` compare mode"] == f"max {COMPARE.slider.high:g}"
    assert docs["BUDGET_S `/phase`"] == (
        f"max {ROUNDS.slider.high:g}; fewer where the simulation would take more than {BUDGET_S:g} s"
    )
    # the exercises' Step sizes stay possible under the caps (Step 100 on train1d/mixtures, Step 50 on images)
    assert training.LIMITS["tick_1d"].high >= 100 and training.LIMITS["tick_images"].high >= 50


def test_a_capped_control_says_so_in_its_help():
    at = run_page("mixtures")
    assert "max 150: keeps a shared server responsive" in at.slider(key="tick").help
    assert "max 256: keeps a shared server responsive" in run_page("images").slider(key="batch").help
    at = run_page("phase", mode="compare")
    assert "max 12: keeps a shared server responsive" in at.multiselect(key="compare").help
    assert "max 2000: fewer run for many starts" in at.slider(key="steps").help


def test_the_budget_lowers_rounds_only_where_needed():
    assert affordable_rounds(2000, ["none"], 1, 1, 1) == 2000  # the default page: untouched
    assert affordable_rounds(500, ["none"] * 6, 256, 1, 1) == 500  # Fig. 3 compare on a 16×16 grid
    # instance noise, extragradient (2 evaluations), alternating 10 + 10 steps, a 40×40 grid: a + n·b per call
    calls = 20 * 2
    per_round = calls * (80e-6 + 1600 * 2.9e-6)
    assert affordable_rounds(2000, ["instance-noise"], 1600, 20, 2) == int(BUDGET_S // per_round) == 21
    assert affordable_rounds(2000, ["instance-noise"] * 12, 1600, 20, 2) == ROUNDS.slider.low  # never below


def test_the_phase_page_runs_fewer_rounds_with_a_warning():
    heavy = {"reg": "instance-noise", "optimizer": "extragradient", "scheme": "alt", "g_steps": 10, "d_steps": 10}
    at = run_page("phase", **heavy, steps=2000, starts="grid", grid=40)
    assert_clean(at)
    assert "Rounds capped at 21 (of 2000) for 1600 start(s) × 20 step(s) per round" in warning_text(at)
    at = run_page("phase")
    assert "Rounds capped" not in warning_text(at)


def test_more_objectives_than_the_cap_in_a_link_are_refused():
    from ui.dirac import ALL_NAMES

    at = run_page("phase", mode="compare", compare=",".join(ALL_NAMES[:13]))
    assert "at most 12 of" in warning_text(at)
    assert len(at.multiselect(key="compare").value) == 6  # the default (Fig. 3) instead


@pytest.mark.slow
def test_the_bench_measures_a_page_at_its_limits(capsys):
    """python -m bench.bench_limits on one page: a row with both timings, the ratio and the verdict."""
    import json

    from bench.bench_limits import LIMIT, main

    assert main(["--pages", "saturation", "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert row["page"] == "saturation" and "levels=101" in row["settings"]
    assert row["default_s"] > 0 and row["max_s"] > 0
    assert row["ratio"] == pytest.approx(row["max_s"] / row["default_s"])
    assert row["within"] == (row["max_s"] <= LIMIT)
