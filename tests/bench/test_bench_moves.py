"""The websocket move benchmark: a bad page is refused with exit status 2; one move per page runs (slow: it
starts Streamlit servers)."""

import pytest

from bench.bench_moves import main


def test_unknown_page_is_refused(capsys):
    with pytest.raises(SystemExit) as e:
        main(["--pages", "phase,nowhere"])
    assert e.value.code == 2
    assert "no move for 'nowhere'" in capsys.readouterr().err


def test_moves_out_of_range_are_refused(capsys):
    with pytest.raises(SystemExit) as e:
        main(["--moves", "0"])
    assert e.value.code == 2 and "--moves 0: must be in [1, 200]" in capsys.readouterr().err


@pytest.mark.slow
def test_one_move_on_two_pages(capsys):
    assert main(["--moves", "1", "--pages", "phase,optimal"]) == 0
    out = capsys.readouterr().out
    assert "| baseline: bench/trivial_app.py" in out
    assert "| /phase: new value of 'learning rate h' (computed) | 1 |" in out
    assert "| /optimal: revisited (cached) | 1 |" in out
