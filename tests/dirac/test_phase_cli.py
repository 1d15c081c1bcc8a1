"""`python -m dynamics.phase` as a user runs it: JSON numbers, figures on disk, one-line errors."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from dynamics.cli import run_main
from dynamics.phase import PROG, main

ROOT = Path(__file__).resolve().parents[2]


def cli(*args, cwd=None):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MPLBACKEND": "Agg"}
    return subprocess.run(
        [sys.executable, "-m", "dynamics.phase", *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=120
    )


def run_json(capsys, *args):
    assert main([*args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_json_report_for_r1(capsys):
    out = run_json(
        capsys,
        "--loss",
        "gan",
        "--reg",
        "r1",
        "--gamma",
        "0.3",
        "--scheme",
        "alt",
        "--lr",
        "0.2",
        "--start=-1,0.7",
        "--start",
        "1,1",
        "--eval",
        "0.5,0.5",
        "--no-plot",
    )
    assert out["loss"] == "gan" and out["reg"] == "r1" and out["params"] == {"gamma": 0.3}
    assert out["jacobian"] == [[0.0, -0.5], [0.5, -0.3]]
    root = (0.25 - 0.3**2 / 4) ** 0.5
    np.testing.assert_allclose(sorted(out["eigenvalues"]), [[-0.15, -root], [-0.15, root]], rtol=1e-12)
    assert "gamma" in out["eigenvalues_latex"]
    up = out["update"]
    assert (up["scheme"], up["optimizer"], up["lr_g"], up["lr_d"], up["g_steps"], up["d_steps"]) == (
        "alt",
        "gd",
        0.2,
        0.2,
        1,
        1,
    )
    assert 0.9 < up["spectral_radius"] < 1 and len(up["eigenvalues"]) == 2
    assert [t["start"] for t in out["trajectories"]] == [[-1.0, 0.7], [1.0, 1.0]]
    assert all(t["status"] == "converged" and t["steps"] == 500 for t in out["trajectories"])
    (field,) = out["field"]
    assert field["point"] == [0.5, 0.5]
    # v = (−ψσ(−ψθ), θσ(−ψθ) − γψ) at (0.5, 0.5)
    s = 1 / (1 + 2.718281828459045**0.25)
    assert field["v"] == pytest.approx([-0.5 * s, 0.5 * s - 0.15], rel=1e-12)
    assert out["verdict"] == {"continuous": "locally convergent", "discrete": "converges"}


def test_json_for_non_smooth_wgan_gp(capsys):
    out = run_json(capsys, "--loss", "wgan-gp", "--no-plot")
    assert out["jacobian"] is None and out["eigenvalues"] is None
    assert out["verdict"] == {"continuous": "undefined (non-smooth)", "discrete": "undefined"}
    assert {s["where"] for s in out["sides"]} == {"psi > 0", "psi < 0"}
    assert out["update"]["spectral_radius"] is None


def test_default_figure_lands_in_figures(tmp_path):
    """Without --out the figure goes to figures/ under the working directory (created; git-ignored in the repo)."""
    result = cli("--loss", "wgan-gp", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "figures" / "phase-wgan-gp.png").stat().st_size > 10_000
    assert "undefined (non-smooth)" in result.stdout and "figure: figures/phase-wgan-gp.png" in result.stdout
    assert [p.name for p in tmp_path.iterdir()] == ["figures"]


@pytest.mark.parametrize(
    ("args", "status", "verdict"),
    [([], "diverging", "diverges"), (["--optimizer", "extragradient", "--steps", "2000"], "converging", "converges")],
)
def test_json_status_agrees_with_the_verdict(args, status, verdict, capsys):
    """Issue 10 item 5: GD at h = 0.1 (ρ = 1.00125) read 'cycling' with trend 'growing'; extragradient
    (ρ = 0.99875) 'cycling', 'shrinking'. One status now, from the statuses of dynamics.dirac.status."""
    out = run_json(capsys, *args, "--no-plot")
    (row,) = out["trajectories"]
    assert row["status"] == status and out["verdict"]["discrete"] == verdict and "trend" not in row
    assert (row["growth"] > 1.01) if status == "diverging" else (row["growth"] < 0.99)
    assert "window" not in out  # only with a figure


def test_text_and_window_of_the_default_run(tmp_path, capsys):
    """The default run spirals out to |θ| = 2.25: the figure's window widens to ±2.5 and both outputs say so."""
    assert main(["--out", str(tmp_path / "p.png")]) == 0
    text = capsys.readouterr().out
    assert "spectral radius: 1.001249 (near (0, 0) the distance grows ×1.00125 per round" in text
    assert "verdict: continuous time not locally convergent; discrete diverges locally" in text
    assert "after 500 rounds: diverging (distance 2.25, last-quarter growth ×1.115)" in text
    assert text.rstrip().endswith("plot window widened to θ ∈ [-2.5, 2.5], ψ ∈ [-2.5, 2.5] to hold every trajectory")
    assert "cycling" not in text
    out = run_json(capsys, "--out", str(tmp_path / "p.png"))
    assert out["window"] == {"bounds": [-2.5, 2.5, -2.5, 2.5], "outside": []}
    out = run_json(capsys, "--compare", "gan+r1", "wgan", "--out", str(tmp_path / "c.png"))
    assert [p["window"] for p in out["compare"]] == [
        {"bounds": [-2.0, 2.0, -2.0, 2.0], "outside": []},  # R1 converges inside the window
        {"bounds": [-8.0, 8.0, -8.0, 8.0], "outside": [0]},  # WGAN: r = √2·1.01^250 = 17 at the end, past 4×
    ]


def test_default_compare_figure_lands_in_figures(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    out = run_json(capsys, "--compare", "wgan", "--steps", "5")
    assert out["figure"] == "figures/phase-compare.png" and (tmp_path / out["figure"]).exists()


def test_start_grid_compare_and_svg(tmp_path, capsys):
    out = run_json(
        capsys,
        "--loss",
        "gan",
        "--reg",
        "r1",
        "--start-grid",
        "8",
        "--scheme",
        "alt",
        "--steps",
        "300",
        "--out",
        str(tmp_path / "grid.svg"),
    )
    assert len(out["trajectories"]) == 64 and out["figure"].endswith("grid.svg")
    assert (tmp_path / "grid.svg").read_text().startswith("<?xml")
    out = run_json(
        capsys,
        "--compare",
        "wgan",
        "gan+r1",
        "--start-grid",
        "6",
        "--steps",
        "50",
        "--out",
        str(tmp_path / "basins.png"),
    )
    assert [len(p["trajectories"]) for p in out["compare"]] == [36, 36]
    out = run_json(capsys, "--compare", "--steps", "50", "--out", str(tmp_path / "cmp.png"))
    assert [(p["loss"], p["reg"]) for p in out["compare"]] == [
        ("gan", "none"),
        ("wgan", "none"),
        ("wgan-gp", "none"),
        ("gan", "consensus"),
        ("gan", "instance-noise"),
        ("gan", "r1"),
    ]
    assert (tmp_path / "cmp.png").exists()


def test_optimizers_in_json(capsys):
    out = run_json(
        capsys, "--loss", "wgan", "--optimizer", "momentum", "--beta", "-0.5", "--scheme", "alt", "--no-plot"
    )
    assert out["update"]["beta"] == -0.5 and len(out["update"]["eigenvalues"]) == 4
    out = run_json(capsys, "--loss", "wgan", "--optimizer", "adam", "--no-plot")
    assert out["update"]["spectral_radius"] is None and out["verdict"]["discrete"] == "undefined"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--loss", "foo"], "unknown loss 'foo'; allowed: gan, nsgan, wgan, wgan-gp"),
        (["--reg", "r3"], "unknown regularizer 'r3'; allowed: none, r1, r2, consensus, instance-noise"),
        (["--lr", "0"], "--lr must be a finite number in (0, 100], got '0'"),
        (["--lr-d", "inf"], "--lr-d must be a finite number in (0, 100], got 'inf'"),
        (["--lr", "abc"], "--lr must be a number, got 'abc'"),
        (["--gamma", "-1"], "--gamma must be a finite number in [0, 1e+06], got '-1'"),
        (["--sigma", "-0.5"], "--sigma must be a finite number in [0, 100], got '-0.5'"),
        (["--start", "1;2"], "--start must be two numbers 'θ,ψ' such as 1,-0.5, got '1;2'"),
        (["--start=1,x"], "--start must be a number, got 'x'"),
        (["--steps", "2.5"], "--steps must be an integer in [1, 100000], got '2.5'"),
        (["--scheme", "both"], "--scheme must be sim or alt, got 'both'"),
        (["--optimizer", "sgd"], "--optimizer must be one of gd, momentum, adam, extragradient, optimistic"),
        (["--out", "x.jpg"], "--out must end in .png, .svg or .pdf, got 'x.jpg'"),
        (["--clip", "0"], "--clip must be a finite number in (0, 1e+06], got '0'"),
        (["--compare", "gan+r9"], "unknown regularizer 'r9'"),
        (["--window", "1,0,0,1"], "--window must be θ0,θ1,ψ0,ψ1 with θ0 < θ1 and ψ0 < ψ1"),
        (["--start-grid", "1"], "--start-grid must be a finite number in [2, 256], got '1'"),
        (["--start-grid", "4", "--start", "1,1"], "give either --start or --start-grid, not both"),
        (["--start-grid", "4", "--flow"], "--flow draws one curve per --start"),
        (["--eval", "0.5"], "--eval must be two numbers"),
        (["--target", "-1"], "--target must be a finite number in [0, 1e+06], got '-1'"),
        (["--optimizer", "momentum", "--beta", "1"], "beta must be a finite number in [-1, 1) for momentum, got 1.0"),
        (["--beta", "0.5"], "--beta applies to --optimizer momentum or adam, not gd"),
    ],
)
def test_bad_input_exits_2_with_one_line(args, message, capsys):
    try:
        code = run_main(main, [*args, "--no-plot"] if "--out" not in args else args, prog=PROG)
    except SystemExit as exit:  # argparse's own errors
        code = exit.code
    captured = capsys.readouterr()
    assert code == 2
    assert message in captured.err
    assert len(captured.err.strip().splitlines()) == 1
    assert captured.out == ""


def test_bad_input_from_the_shell_has_no_traceback():
    result = cli("--lr", "-1")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert (
        result.stderr.strip() == "python -m dynamics.phase: error: --lr must be a finite number in (0, 100], got '-1'"
    )


def test_negative_start_is_accepted(capsys):
    out = run_json(capsys, "--start=-1,-0.7", "--steps", "5", "--no-plot")
    assert out["trajectories"][0]["start"] == [-1.0, -0.7]


def test_help_lists_every_option():
    text = cli("--help").stdout
    for option in [
        "--loss",
        "--reg",
        "--gamma",
        "--sigma",
        "--clip",
        "--target",
        "--lr-g",
        "--lr-d",
        "--scheme",
        "--d-steps",
        "--g-steps",
        "--optimizer",
        "--steps",
        "--start",
        "--start-grid",
        "--eval",
        "--out",
        "--compare",
        "--no-plot",
        "--json",
        "examples:",
    ]:
        assert option in text
