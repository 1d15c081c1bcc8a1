"""The command line of the gradient experiments: JSON schema, one-line errors with exit status 2."""

import json

import pytest

from dynamics.cli import run_main
from models.experiments import main


def test_vanishing_json_schema(capsys):
    argv = ["vanishing", "--steps", "2", "--iterations", "4", "--every", "2", "--losses", "gan,nsgan", "--json"]
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"losses"} and set(out["losses"]) == {"gan", "nsgan"}
    for curve in out["losses"].values():
        assert curve["iterations"] == [0, 2, 4] and len(curve["grad_norm"]) == 3


def test_vanishing_text_reads_from_the_first_trained_step_and_names_the_peak(capsys):
    argv = ["vanishing", "--steps", "2", "--iterations", "6", "--every", "2", "--losses", "gan"]
    assert main([*argv, "--json"]) == 0
    g = json.loads(capsys.readouterr().out)["losses"]["gan"]["grad_norm"][1:]
    assert main(argv) == 0
    top = max(g)
    peak_at = 2 * (g.index(top) + 1)
    assert capsys.readouterr().out == (
        f"gan             ‖∇G‖ {g[0]:.3g} at D step 2, peak {top:.3g} at {peak_at}, {g[-1]:.3g} at 6 "
        f"({g[-1] / top:.2g}× the peak)\n"
    )


def test_d_steps_json_schema(capsys):
    argv = ["d-steps", "--data", "ring8", "--steps", "4", "--every", "2", "--ks", "1,2", "--losses", "nsgan", "--json"]
    assert main(argv) == 0
    runs = json.loads(capsys.readouterr().out)["runs"]
    assert [(r["loss"], r["k"]) for r in runs] == [("nsgan", 1), ("nsgan", 2)]
    assert {"loss", "k", "rounds", "grad_norm", "fd"} <= set(runs[0]) and runs[0]["rounds"] == [2, 4]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["vanishing", "--losses", "gann"], "--losses: 'gann' is not one of gan"),
        (["d-steps", "--ks", "0"], "--ks must be an integer ≥ 1, got '0'"),
        (["vanishing", "--iterations", "x"], "--iterations must be an integer ≥ 1, got 'x'"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(argv, message, capsys):
    assert run_main(main, argv, prog="python -m models.experiments") == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_unknown_experiment_exits_2(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["sideways"])
    assert exit_.value.code == 2 and "invalid choice: 'sideways'" in capsys.readouterr().err
