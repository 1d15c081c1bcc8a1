import json
import math
import subprocess
import sys

import pytest

from dynamics import lipschitz, optimal, saturation
from dynamics.cli import run_main


def run_json(module, argv, capsys):
    assert run_main(module.main, [*argv, "--json", "--no-plot"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1
    return json.loads(out[0])


@pytest.mark.parametrize(
    "module, argv, fragment",
    [
        ("dynamics.optimal", ["--data", "normal(0, -1)"], "sigma must be > 0, got -1"),
        ("dynamics.saturation", ["--gen", "uniform(2, 1)"], "a < b, got a=2, b=1"),
        ("dynamics.lipschitz", ["--kappa", "0"], "--kappa must be a finite number in (0"),
        ("dynamics.optimal", ["--grid", "many"], "invalid int value"),
    ],
)
def test_bad_input_exits_2_with_one_line(module, argv, fragment):
    proc = subprocess.run([sys.executable, "-m", module, *argv, "--no-plot"], capture_output=True, text=True)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr
    assert fragment in lines[0]
    assert proc.stdout == ""


@pytest.mark.parametrize("module", [optimal, saturation, lipschitz])
def test_help_has_examples(module, capsys):
    with pytest.raises(SystemExit) as done:
        module.main(["--help"])
    assert done.value.code == 0
    text = capsys.readouterr().out
    assert "examples:" in text and "--out" in text and "--json" in text


def test_optimal_json_disjoint_uniforms(capsys):
    res = run_json(optimal, ["--data", "uniform(0, 1)", "--gen", "uniform(3, 4)", "--discriminator=-2,4"], capsys)
    for key in ("js", "kl_data_gen", "kl_gen_data", "tv", "w1", "c_g", "c_g_identity", "grid", "errors"):
        assert key in res
    assert res["js"] == pytest.approx(math.log(2), abs=1e-12)
    assert res["kl_data_gen"] is None and res["kl_gen_data"] is None  # +inf is written as null
    assert res["tv"] == pytest.approx(1) and res["w1"] == pytest.approx(3)
    assert res["c_g"] == pytest.approx(0, abs=1e-12) and res["c_g_identity"] == pytest.approx(0, abs=1e-12)
    assert res["v_line"]["value"] < res["c_g"]
    assert res["grid"]["n"] >= 2001
    assert len(res["d_star_undefined"]) == 3


def test_optimal_json_normals_fast_and_exact(capsys):
    argv = ["--data", "normal(0, 1)", "--gen", "normal(1, 2)"]
    exact, fast = run_json(optimal, argv, capsys), run_json(optimal, [*argv, "--fast"], capsys)
    kl_ref = math.log(2) + (1 + 1) / 8 - 0.5
    assert exact["kl_data_gen"] == pytest.approx(kl_ref, rel=1e-10)
    assert fast["kl_data_gen"] == pytest.approx(kl_ref, rel=1e-5)
    assert exact["c_g"] == pytest.approx(-math.log(4) + 2 * exact["js"], abs=1e-10)


def test_saturation_json(capsys):
    res = run_json(saturation, ["--levels", "5"], capsys)
    g = res["gradients"]
    assert g["lambda"] == [0, 0.25, 0.5, 0.75, 1]
    assert all(n > s for n, s in zip(g["grad_ns"][1:], g["grad_sat"][1:], strict=True))
    assert len(res["curves"]["d"]) == len(res["curves"]["loss_sat"]) == 199
    assert run_main(saturation.main, ["--gen-family", "width", "--no-plot"]) == 2
    assert "--gen-family must be 'shift' or 'scale', got 'width'" in capsys.readouterr().err
    scale = run_json(saturation, ["--gen-family", "scale", "--levels", "3"], capsys)
    assert scale["param"] == "scale" and scale["gradients"]["grad_ns"][2] > 0


def test_lipschitz_json(capsys):
    res = run_json(lipschitz, ["--samples", "10"], capsys)
    assert res["w1"] == pytest.approx(3)
    assert res["generator"]["wgan"]["shift_velocity"] == pytest.approx(-1, abs=1e-6)
    assert res["generator"]["gan_saturating"]["mean_abs_gradient"] == 0
    assert len(res["x_data"]) == len(res["l_data"]) == 10
    assert run_main(lipschitz.main, ["--samples", "0", "--no-plot"]) == 2


@pytest.mark.parametrize(
    "module, argv",
    [
        (optimal, []),
        (optimal, ["--figure1"]),
        (saturation, ["--levels", "3"]),
        (lipschitz, ["--samples", "5"]),
    ],
)
def test_figures_are_written(module, argv, tmp_path, capsys):
    out = tmp_path / "fig.svg"
    assert run_main(module.main, [*argv, "--out", str(out)]) == 0
    assert out.stat().st_size > 1000
    assert str(out) in capsys.readouterr().out


@pytest.mark.parametrize(
    "module, argv, name",
    [
        (optimal, ["--grid", "101"], "dstar.png"),
        (optimal, ["--grid", "101", "--figure1"], "figure1.png"),
        (saturation, ["--levels", "3"], "saturation.png"),
        (lipschitz, ["--samples", "5"], "lipschitz.png"),
    ],
)
def test_default_figure_lands_in_figures(module, argv, name, tmp_path, monkeypatch, capsys):
    """Without --out: figures/<name> under the working directory (a tmp dir here, so the repo stays clean)."""
    monkeypatch.chdir(tmp_path)
    assert run_main(module.main, argv) == 0
    assert (tmp_path / "figures" / name).stat().st_size > 1000
    assert f"figures/{name}" in capsys.readouterr().out
    assert [p.name for p in tmp_path.iterdir()] == ["figures"]


def test_bad_figure_name(tmp_path, capsys):
    assert run_main(optimal.main, ["--out", str(tmp_path / "fig.jpg")]) == 2
    assert "--out must end in .png, .svg or .pdf" in capsys.readouterr().err
