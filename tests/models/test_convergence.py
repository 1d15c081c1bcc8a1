"""models.convergence: the vectorized grid of GANs against the core (trajectories and map), determinism and
chunking, the saved maps, the command line and its bad input, and Ray (slow)."""

import json
import subprocess
import sys

import numpy as np
import pytest

from dynamics.dirac.field import make_objective
from dynamics.dirac.optimizers import Optimizer
from dynamics.dirac.stability import max_stable_lr
from dynamics.dirac.trajectories import Schedule, simulate
from models.convergence import grid
from models.convergence.__main__ import main
from models.convergence.engine import Setup, train
from models.convergence.maps import compute, load, saved_maps
from models.convergence.plot import map_figure

PROG = "python -m models.convergence"
CORE = {"sgd": "gd", "momentum": "momentum", "extragradient": "extragradient"}


@pytest.mark.parametrize(
    ("loss", "reg", "optimizer", "scheme", "value"),
    [
        ("gan", "r1", "sgd", "sim", 0.5),
        ("nsgan", "r2", "sgd", "alt", 0.3),
        ("gan", "r1", "momentum", "sim", 2.0),
        ("least-squares", "r1", "extragradient", "alt", 0.4),
        ("wgan", "consensus", "sgd", "sim", 0.5),
        ("gan", "instance-noise", "extragradient", "sim", 0.9),
    ],
)
def test_dirac_cell_follows_the_cores_trajectory(loss, reg, optimizer, scheme, value):
    """Each Dirac-GAN cell, trained by autograd through the torch objectives, retraces the core's numpy
    simulation from (1, 1): θ = G's mean and |ψ| = D's input gradient, round by round."""
    setup = Setup("dirac", loss, reg, optimizer, scheme, steps=40)
    lrs = [0.05, 0.3]
    trace = train(setup, lrs, [value, value], [0, 1], records=40)
    params = {setup.param: value}
    for k, h in enumerate(lrs):
        run = simulate(
            make_objective(loss, reg, **params),
            [(1.0, 1.0)],
            Schedule(h, h, scheme, rounds=40),
            Optimizer(CORE[optimizer]),
        )
        path = run.path[:, 0]
        tol = 1e-9 if reg == "instance-noise" else 1e-12
        assert trace.mean[k] == pytest.approx(path[:, 0], abs=tol)
        assert trace.grad[k] == pytest.approx(np.abs(path[:, 1]), abs=tol)
        assert np.all(trace.std[k] == 0)


def test_dirac_map_agrees_with_the_core_on_a_small_grid():
    m = compute(Setup("dirac", "gan", "r1", steps=1000), 8, sample=0)
    assert m.gans == 64
    assert m.agreement >= 0.95
    # the γ axis spans ×10 around γ = 1 (eigenvalues turn real); the h axis ¼ min h* to 4 max h*
    assert m.param[0] == pytest.approx(0.1) and m.param[-1] == pytest.approx(10)
    h_star = [max_stable_lr(make_objective("gan", "r1", gamma=g), Optimizer()) for g in m.param]
    assert m.critical == pytest.approx(h_star)
    assert m.lr[0] == pytest.approx(min(h_star) / 4) and m.lr[-1] == pytest.approx(max(h_star) * 4)
    # sim GD on GAN + R1 with γ < 1 converges for h < 4γ (stability page, exercise 2)
    assert m.critical[0] == pytest.approx(0.4, rel=1e-6)
    assert m.predicted[0] == pytest.approx(m.lr < 0.4)


def test_prediction_is_the_update_operators_spectral_radius():
    """sim GD: the operator is I + hJ; J = [[0, −½], [½, −γ]] for GAN + R1, so ρ = max |1 + hλ|."""
    setup = Setup("dirac", "gan", "r1")
    ax = grid.Axes(np.array([0.1, 1.0, 3.0]), np.array([0.2, 2.0]), "gamma", np.array([np.nan, np.nan]), "")
    radius, converges = grid.predict(setup, ax)
    for i, g in enumerate(ax.param):
        lam = np.linalg.eigvals(np.array([[0, -0.5], [0.5, -g]]))
        expected = [np.max(np.abs(1 + h * lam)) for h in ax.lr]
        assert radius[i] == pytest.approx(expected, rel=1e-12)
        assert list(converges[i]) == [r < 1 for r in expected]


def test_mlp_runs_are_deterministic_and_independent_of_chunking():
    setup = Setup("mlp", "gan", "r1", steps=40, width=8, batch=16)
    lr, param, index = np.array([0.05, 0.5, 3.0, 0.2]), np.array([0.1, 1.0, 10.0, 2.0]), np.arange(4)
    whole = train(setup, lr, param, index)
    again = train(setup, lr, param, index)
    pieces = [train(setup, lr[a:b], param[a:b], index[a:b]) for a, b in [(0, 1), (1, 3), (3, 4)]]
    for key in ("mean", "std", "grad"):
        assert np.array_equal(getattr(whole, key), getattr(again, key), equal_nan=True)
        joined = np.concatenate([getattr(p, key) for p in pieces])
        assert np.array_equal(getattr(whole, key), joined, equal_nan=True)
    other = train(Setup("mlp", "gan", "r1", steps=40, width=8, batch=16, seed=1), lr, param, index)
    assert not np.allclose(whole.mean[:, 1:], other.mean[:, 1:])


def test_mlp_starts_with_the_generator_near_one_and_reads_its_distribution():
    trace = train(Setup("mlp", "gan", "r1", steps=8, width=8, data_std=1.0), [0.01], [1.0], [5])
    assert 0.5 < trace.mean[0, 0] < 1.5  # G's last bias starts at +1, as θ₀ = 1
    assert trace.std[0, 0] > 0 and trace.grad[0, 0] > 0


def test_map_round_trips_through_json(tmp_path):
    m = compute(Setup("dirac", "wgan", "consensus", steps=60), 3, sample=2)
    path = tmp_path / "m.json"
    assert (
        main(
            ["--family", "dirac", "--loss", "wgan", "--reg", "consensus", "--grid", "3", "--steps", "60"]
            + ["--sample", "2", "--out", str(path)]
        )
        == 0
    )
    back = load(path)
    assert np.array_equal(back.status, m.status) and np.array_equal(back.predicted, m.predicted)
    assert back.lr == pytest.approx(m.lr) and back.agreement == m.agreement
    assert back.sample == 2 and back.sample_same == 1.0


def test_json_has_the_issues_keys(capsys):
    assert main(["--grid", "2", "--steps", "16", "--sample", "1", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    for key in ("lr", "gamma", "predicted", "observed", "status", "agreement", "gans", "seconds", "sequential_seconds"):
        assert key in out
    assert out["gans"] == 4 and len(out["lr"]) == 2 and len(out["gamma"]) == 2
    assert all(isinstance(v, bool) for row in out["predicted"] + out["observed"] for v in row)
    assert out["agreement"] == np.mean(np.array(out["predicted"]) == np.array(out["observed"]))
    assert out["sequential_seconds"] > 0 and out["param"] == "gamma"


def test_text_lists_the_cells_that_differ(capsys):
    assert main(["--grid", "4", "--steps", "40", "--sample", "0", "--lr-range", "0.5,3", "--param-range", "0.2,2"]) == 0
    text = capsys.readouterr().out
    assert "grid: 4 γ × 4 h = 16 GANs; ranges as given" in text
    assert "agreement with the Dirac-GAN prediction:" in text
    assert text.count("✓") + text.count("·") >= 16


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--grid", "0"], "--grid must be a finite number in [2, 256], got '0'"),
        (["--lr-range=-1,2"], "--lr-range must be a finite number in (0, 100], got '-1'"),
        (["--lr-range", "2,1"], "--lr-range must have LO < HI, got '2,1'"),
        (["--family", "cnn"], "--family must be one of dirac, mlp, got 'cnn'"),
        (["--reg", "none"], "--reg none has no γ or σ to vary; choose one of r1, r2, consensus, instance-noise"),
        (["--optimizer", "adam"], "--optimizer must be one of sgd, momentum, extragradient (adam and rmsprop"),
        (["--loss", "wgan-gp"], "--loss wgan-gp is not differentiable at the equilibrium"),
        (["--steps", "2"], "--steps must be a finite number in [8, 100000], got '2'"),
        (["--out", "map.txt"], "--out must end in .png, .svg or .pdf, got 'map.txt'"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args, message):
    proc = subprocess.run(
        [sys.executable, "-m", "models.convergence", *args], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{PROG}: error: {message}")


def test_saved_maps_load_and_match_a_fresh_prediction():
    maps = saved_maps()
    assert {"dirac-gan-r1", "mlp-narrow-gan-r1", "mlp-wide-gan-r1"} <= set(maps)
    for name, path in maps.items():
        m = load(path)
        assert m.gans >= 256, name
        ax = grid.axes(m.setup, len(m.lr))
        assert ax.lr == pytest.approx(m.lr) and ax.param == pytest.approx(m.param)
        assert np.array_equal(grid.predict(m.setup, ax)[1], m.predicted), name
        if m.setup.family == "dirac":
            assert m.agreement >= 0.95, name


def test_figure_draws_the_cores_boundary():
    m = load(saved_maps()["dirac-gan-r1"])
    fig = map_figure(m)
    (line,) = fig.axes[0].get_lines()
    assert line.get_xdata() == pytest.approx(m.critical[np.isfinite(m.critical)])
    assert fig.axes[0].get_xscale() == "log"


def test_default_path_does_not_import_ray():
    code = "import sys, models.convergence.__main__ as m; m.main(['--grid', '2', '--steps', '8', '--sample', '0']); "
    code += "print('ray' in sys.modules)"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.stdout.strip().splitlines()[-1] == "False"


@pytest.mark.slow
@pytest.mark.parametrize("seed", [0, 5])
def test_ray_local_gives_the_local_map(seed):
    """Ray tasks on a local instance (3 chunks) give the map of one local call, bit for bit, for each seed."""
    pytest.importorskip("ray", reason="Ray is optional: pip install -r requirements-ray.txt")
    setup = Setup("mlp", "gan", "r1", steps=64, seed=seed, width=8, batch=16)
    local = compute(setup, 4, sample=0)
    remote = compute(setup, 4, chunks=3, ray="local", sample=0)
    assert remote.backend == "ray" and remote.chunks == 3
    assert np.array_equal(local.status, remote.status)
    assert np.array_equal(local.distance, remote.distance)


def test_ray_missing_is_one_line(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray now raises ImportError, installed or not
    from dynamics.cli import run_main

    assert run_main(main, ["--grid", "2", "--steps", "8", "--ray", "local"], PROG) == 2
    assert capsys.readouterr().err == f"{PROG}: error: --ray needs Ray: pip install -r requirements-ray.txt\n"


def test_ray_address_that_does_not_answer_is_one_line(capsys):
    """Ray would retry an address that refuses for minutes; the command says so at once, in one line."""
    pytest.importorskip("ray", reason="Ray is optional: pip install -r requirements-ray.txt")
    import socket

    from dynamics.cli import run_main

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again below: nothing listens there
    assert run_main(main, ["--grid", "2", "--steps", "8", "--ray", f"127.0.0.1:{port}"], PROG) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{PROG}: error: --ray 127.0.0.1:{port}: cannot connect (") and err.count("\n") == 1


def test_predict_with_gains_is_the_prediction_at_scaled_learning_rates():
    """gains (c, c) on every cell: the operator at h·c, i.e. the plain prediction on the axis c·h."""
    setup = Setup("dirac", "gan", "r1")
    ax = grid.Axes(np.array([0.1, 0.5, 2.0]), np.array([0.2, 3.0]), "gamma", np.array([np.nan, np.nan]), "")
    scaled = grid.Axes(2.5 * ax.lr, ax.param, "gamma", ax.critical, "")
    ones = np.ones((2, 3))
    radius, converges = grid.predict(setup, ax, (2.5 * ones, 2.5 * ones))
    assert radius == pytest.approx(grid.predict(setup, scaled)[0], rel=1e-12)
    # sim GD, J = [[0, −½], [½, −γ]]: rates (h·a, h·b) give I + diag(h·a, h·b)·J
    nan_gain = ones.copy()
    nan_gain[1, 2] = np.nan
    radius, converges = grid.predict(setup, ax, (0.5 * ones, nan_gain))
    J = np.array([[0, -0.5], [0.5, -0.2]])
    want = np.max(np.abs(np.linalg.eigvals(np.eye(2) + np.diag([0.5 * 0.5, 0.5]) @ J)))
    assert radius[0, 1] == pytest.approx(want, rel=1e-12)
    assert np.isnan(radius[1, 2]) and not converges[1, 2]


def test_dirac_map_reads_itself_as_its_own_effective_game():
    """The Dirac-GAN's gains are 1 (∂θ/∂θ = ∂ψ/∂ψ = 1, wherever a run ends), so its corrected prediction is its
    prediction."""
    m = compute(Setup("dirac", "gan", "r1", steps=200), 4, sample=0)
    assert np.all(m.effective("gain_g") == 1) and np.all(m.effective("gain_d") == 1)
    assert np.all(m.effective("gain_d", "start") == 1) and np.all(m.effective("theta", "start") == 1)
    assert m.corrected_radius == pytest.approx(m.radius, rel=1e-9)
    assert np.array_equal(m.corrected, m.predicted) and m.why() is None


def test_mlp_map_json_has_the_effective_parameters_and_round_trips(tmp_path, capsys):
    args = ["--family", "mlp", "--grid", "3", "--steps", "64", "--sample", "0", "--width", "8"]
    path = tmp_path / "m.json"
    assert main([*args, "--json", "--out", str(path)]) == 0
    out = json.loads(capsys.readouterr().out)
    for key in ("psi_eff", "curvature", "d_offset", "theta_eff", "spread", "gain_g", "gain_d", "gain_offset"):
        assert np.array(out[key], dtype=float).shape == (3, 3), key
    assert np.array(out["gain_g_start"], dtype=float).shape == (3, 3)
    corrected = np.array(out["corrected"])
    assert out["agreement_corrected"] == pytest.approx(np.mean(corrected == np.array(out["observed"])))
    radius = np.array(out["corrected_radius"], dtype=float)
    assert np.array_equal(corrected, np.nan_to_num(radius, nan=2.0) < 1)
    back = load(path)
    assert back.effective("psi") == pytest.approx(np.array(out["psi_eff"], dtype=float), nan_ok=True)
    assert back.agreement_corrected == out["agreement_corrected"] and back.why() == out["why"]


def test_a_map_saved_without_effective_parameters_still_loads():
    old = json.loads(saved_maps()["dirac-gan-r1"].read_text())
    for key in [k for k in old if k.startswith(("psi_eff", "gain_", "corrected"))]:
        del old[key]
    from models.convergence.maps import ConvergenceMap

    m = ConvergenceMap.from_json(old)
    assert m.end is None and m.why() is None
