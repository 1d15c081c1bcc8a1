"""The class-pressing-Play benchmark's figures on hand-made runs, and a smoke run of 2 players (slow: two servers)."""

import json

import pytest

from bench.bench_play import Player, last_round, player, row, table
from bench.wsclient import Rerun


def test_player_counts_rounds_over_the_window_and_the_busy_note():
    from ui.training import busy_note

    note = busy_note(0.4, 1)  # the page's own words: the benchmark must recognise them
    after = Rerun(0.3, texts=["round 14 of 20000"])
    ticks = [
        Rerun(0.2, texts=["round 20 of 20000", note]),
        Rerun(0.5, ["ValueError: x"], texts=["round 44 of 20000"]),
    ]
    p = player(after, ticks, seconds=3.0)
    assert p.rounds_per_s == pytest.approx(10.0)  # (44 - 14) rounds in 3 s
    assert (p.ticks, p.tick_s, p.busy, p.errors) == (2, (0.2, 0.5), True, ("ValueError: x",))


def test_a_player_whose_page_shows_no_round_did_not_advance():
    p = player(Rerun(0.3, texts=["Cannot train"]), [Rerun(0.2, texts=["a caption"])], seconds=3.0)
    assert (p.rounds_per_s, p.busy) == (0.0, False)
    assert last_round([Rerun(0.1, texts=["round 3 of 9", "round 7 of 9"])]) == 7


def test_row_summarizes_players_and_the_mover():
    players = [
        Player(10.0, 6, (0.2, 0.5), True, ()),
        Player(0.0, 0, (), False, ("TimeoutError: ",)),
        Player(20.0, 9, (0.1, 0.3), False, ()),
    ]
    r = row(1, players, 3.0, [0.1, 0.3, 0.2], errors=1, rss=512.0, threads=40)
    assert (r.players, r.rounds_median, r.rounds_min, r.advanced, r.busy) == (3, 10.0, 0.0, 2, 1)
    assert r.ticks_per_s == pytest.approx(2.0)  # median of 6/3, 0/3, 9/3
    assert r.tick_p95_s == pytest.approx(0.47)  # [0.1, 0.2, 0.3, 0.5] at 0.95 * 3 = 2.85: 0.3 + 0.85 * 0.2
    assert (r.moves, r.move_median_s, r.move_p95_s) == (3, 0.2, pytest.approx(0.29))
    assert (r.errors, r.rss_mib, r.threads) == (2, 512.0, 40)
    base = row(1, [], 3.0, [0.1, 0.145, 0.2], errors=0, rss=300.0, threads=8)
    assert base.advanced == 0 and base.moves == 3
    lines = table([base, r]).splitlines()
    assert lines[1].split()[11] == "1.00x" and lines[2].split()[11] == f"{0.29 / base.move_p95_s:.2f}x"


@pytest.mark.slow
def test_bench_play_advances_every_player_without_errors(nginx_present, capsys):
    from bench.bench_play import main

    assert main(["--players", "0,2", "--seconds", "4", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["players"], r["replicas"]) for r in rows] == [(0, 1), (2, 1)]
    assert rows[1]["advanced"] == 2 and rows[1]["rounds_min"] > 0 and rows[1]["ticks_per_s"] > 0
    for r in rows:
        assert r["errors"] == 0 and r["moves"] >= 1 and r["threads"] > 0 and r["rss_mib"] > 50
