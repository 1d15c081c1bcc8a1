"""Run loop and CLI (models.train): determinism, resume equivalence, NaN stop, Ctrl-C, CLI errors, and short runs
that learn."""

import csv
import json
import os
import signal

import numpy as np
import pytest
import torch

from dynamics.cli import run_main
from dynamics.contracts import InputError
from models import checkpoint, nets, semisupervised
from models.data import load
from models.train import main, train
from models.trainer import NonFiniteError
from tests.planted import Planted

FAST = {"eval_every": 10_000, "ckpt_every": 10_000}
CONST = {"lr_decay": "none"}  # a run resumed with more --steps stretches a decaying rate: not the same run


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    """One metric-classifier cache for the module, so the digits classifier is trained once."""
    return tmp_path_factory.mktemp("cache")


def log(run_dir):
    with open(os.path.join(run_dir, "log.csv")) as f:
        return [[float(v) for v in row[1:5]] for row in list(csv.reader(f))[1:]]


def metrics(run_dir):
    with open(os.path.join(run_dir, "metrics.jsonl")) as f:
        return [json.loads(line) for line in f]


def test_same_seed_same_losses_other_seed_other_losses(tmp_path):
    cfg = {"data": "ring8", "loss": "wgan-gp", "reg": "instance-noise", "d_steps": 2, "steps": 15, **FAST}
    a, b = (train(cfg, out=tmp_path / n) for n in "ab")
    c = train({**cfg, "seed": 1}, out=tmp_path / "c")
    assert log(a["run_dir"]) == log(b["run_dir"]) and len(log(a["run_dir"])) == 15
    assert log(a["run_dir"]) != log(c["run_dir"])


@pytest.mark.parametrize(
    "cfg",
    [
        {"data": "ring8", "loss": "wgan-gp", "reg": "instance-noise", "d_steps": 3, "optimizer": "rmsprop", **CONST},
        {"data": "digits", "loss": "nsgan", "reg": "r1", "conditional": True},
        {"data": "digits", "loss": "loss-sensitive", "conditional": True, "optimizer": "momentum"},
        {"data": "grid25", "loss": "hinge", "reg": "consensus", "optimizer": "extragradient", **CONST},
    ],
)
def test_resume_continues_the_exact_loss_sequence(tmp_path, cfg, cache):
    full = train({**cfg, "steps": 12, **FAST}, out=tmp_path / "full", cache_dir=cache)
    half = train({**cfg, "steps": 6, **FAST}, out=tmp_path / "half", cache_dir=cache)
    assert half["step"] == 6
    resumed = train({"steps": 12}, resume=half["run_dir"], cache_dir=cache)
    assert log(resumed["run_dir"]) == log(full["run_dir"])


def test_an_interrupted_run_with_lr_decay_resumes_on_the_same_schedule(tmp_path):
    """The toys' default linear decay: a run stopped after 6 of 12 rounds and resumed logs the full run's rounds."""
    cfg = {"data": "ring8", "steps": 12, "width": 16, "ckpt_every": 3, "eval_every": 10_000}
    full = train(cfg, out=tmp_path / "full")
    half = train(cfg, out=tmp_path / "half", callback=lambda rec: rec["step"] < 6)
    assert half["step"] == 6
    resumed = train({}, resume=half["run_dir"])
    assert json.loads((tmp_path / "full" / "config.json").read_text())["lr_decay"] == "linear"
    assert log(resumed["run_dir"]) == log(full["run_dir"])


def test_nan_stops_naming_step_and_quantity_and_keeps_the_checkpoint(tmp_path):
    cfg = {
        "data": "normal(0, 1)",  # no BatchNorm (PacGAN's ring8 generator would keep its output finite)
        "loss": "wgan",
        "optimizer": "sgd",
        "lr": 1e6,
        "steps": 200,
        "eval_every": 10_000,
        "ckpt_every": 1,
    }
    with pytest.raises(NonFiniteError, match=r"step (\d+): non-finite .*(d_objective|g_loss|grad_norm)") as err:
        train(cfg, out=tmp_path / "run")
    step = int(str(err.value).split()[1].rstrip(":"))
    saved = checkpoint.load(tmp_path / "run" / "checkpoint.pt")
    assert saved["step"] == step - 1
    assert all(torch.isfinite(v).all() for v in saved["G"].values())
    assert len(log(tmp_path / "run")) == step


def test_ctrl_c_saves_and_stops_cleanly_then_resume_finishes(tmp_path):
    cfg = {"data": "ring8", "steps": 20, **FAST}

    def interrupt(record):
        if record["step"] == 7:
            os.kill(os.getpid(), signal.SIGINT)

    stopped = train(cfg, out=tmp_path / "run", callback=interrupt)
    assert stopped["status"] == "interrupted" and stopped["step"] == 7
    assert checkpoint.load(tmp_path / "run" / "checkpoint.pt")["step"] == 7
    train({}, resume=tmp_path / "run")
    assert log(tmp_path / "run") == log(train(cfg, out=tmp_path / "ref")["run_dir"])


def test_callback_returning_false_stops(tmp_path):
    seen = []
    r = train({"data": "ring8", "steps": 50, **FAST}, out=tmp_path, callback=lambda rec: seen.append(rec) or False)
    assert r["status"] == "interrupted" and r["step"] == 1 and seen[0]["step"] == 1
    assert set(seen[0]) >= {"d_objective", "g_loss", "d_grad_norm", "g_grad_norm"}


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--lr", "-1"], "--lr must be a finite number"),
        (["--gamma", "nan"], "--gamma must be a finite number"),
        (["--beta1", "1"], "--beta1 must be a finite number in [0, 1)"),
        (["--data", "cifar"], "unknown data 'cifar'"),
        (["--data", "normal(0, 1)", "--conditional"], "--conditional needs labelled data"),
        (["--device", "cuda"], "no CUDA device"),
        (["--amp"], "--amp"),
        (["--optimizer", "extragradient", "--d-steps", "3"], "--d-steps must be 1"),
        (["--reg", "instance-noise", "--sigma", "0"], "--sigma must be > 0"),
        (["--batch", "1"], "--batch must be at least 2"),
        (["--resume", "/nonexistent"], "no checkpoint.pt"),
        (["--data", "digits", "--labels", "100"], "--labels 100: the semi-supervised CLS-GAN needs --conditional"),
        (["--data", "digits", "--loss", "loss-sensitive", "--conditional", "--labels", "9"], "in [10, 1330]"),
        (["--data", "digits", "--loss", "loss-sensitive", "--conditional", "--labels", "1331"], "in [10, 1330]"),
    ],
)
def test_bad_input_exits_2_with_one_line(argv, message, capsys, tmp_path):
    if torch.cuda.is_available() and "cuda" in argv:
        pytest.skip("CUDA present")
    assert run_main(main, [*argv, "--out", str(tmp_path / "r"), "--steps", "1"]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_unknown_semi_objective_exits_2_naming_the_choices(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--semi", "mean-teacher"])
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and "--semi: invalid choice: 'mean-teacher' (choose from 'salimans', 'qi')" in err


@pytest.mark.parametrize("steps", ["0", "-3"])
def test_steps_below_one_exits_2_with_one_line_and_writes_no_run_directory(steps, capsys, tmp_path):
    assert run_main(main, ["--steps", steps, "--out", str(tmp_path / "r"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert f"--steps must be at least 1, got {steps}" in err and err.count("\n") == 1
    assert not (tmp_path / "r").exists()


def resume_error(run_dir, capsys):
    """--resume run_dir on the command line: its exit status must be 2; returns the one line it printed."""
    assert run_main(main, ["--resume", str(run_dir), "--steps", "4", "--quiet"], prog="python -m models.train") == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    return err


def test_resume_refuses_a_checkpoint_that_would_run_code(tmp_path, capsys):
    run = tmp_path / "run"
    run.mkdir()
    torch.save({"config": {"data": "ring8"}, "step": 1, "G": Planted(tmp_path / "marker")}, run / "checkpoint.pt")
    err = resume_error(run, capsys)
    assert err.startswith(f"python -m models.train: error: checkpoint {run / 'checkpoint.pt'} refused: it would load ")
    assert not (tmp_path / "marker").exists()
    assert not (run / "log.csv").exists()


@pytest.mark.parametrize(
    ("damage", "why"),
    [
        (lambda s: s["config"].update(gamma=np.float64(10)), "refused: it would load numpy."),  # old format
        (lambda s: s.pop("opt_d"), "refused: it has no 'opt_d'"),
        (lambda s: s.update(step="7"), "its 'step' an integer"),
        (lambda s: s["config"].update(loss="evil"), "--loss must be one of"),
        (lambda s: s["config"].update(batch="64"), "refused: its settings are not valid"),
        (lambda s: s["G"].popitem(), "refused: it does not fit its own settings"),
        (lambda s: s["rng"].update(numpy={"bit_generator": "MT19937"}), "refused: it does not fit its own settings"),
    ],
)
def test_resume_refuses_a_damaged_or_old_format_checkpoint_with_one_line(tmp_path, capsys, damage, why):
    train({"data": "ring8", "steps": 2, **FAST}, out=tmp_path)
    saved = torch.load(tmp_path / "checkpoint.pt", weights_only=True)
    damage(saved)
    torch.save(saved, tmp_path / "checkpoint.pt")  # torch.save itself: the old `save` kept numpy values as they were
    err = resume_error(tmp_path, capsys)
    assert str(tmp_path) in err and why in err


def test_a_checkpoint_holds_only_what_the_weights_only_loader_reads(tmp_path):
    train({"data": "digits", "conditional": True, "steps": 2, **FAST}, out=tmp_path, cache_dir=tmp_path / ".cache")
    saved = torch.load(tmp_path / "checkpoint.pt", weights_only=True)
    assert saved["step"] == 2 and saved["config"]["conditional"] is True
    assert saved["rng"]["torch"].dtype == torch.uint8 and saved["rng"]["numpy"]["bit_generator"] == "PCG64"
    assert torch.load(tmp_path / ".cache" / "classifier-digits-v2.pt", weights_only=True)["stats"]["mu"].ndim == 1


def test_unknown_choice_exits_2(capsys):
    with pytest.raises(SystemExit) as e:
        main(["--loss", "softmax"])
    assert e.value.code == 2 and "invalid choice" in capsys.readouterr().err


def test_resume_refuses_other_settings_and_out_refuses_an_existing_run(tmp_path, capsys):
    assert main(["--steps", "2", "--out", str(tmp_path), "--quiet"]) == 0
    capsys.readouterr()
    assert run_main(main, ["--resume", str(tmp_path), "--loss", "wgan"]) == 2
    assert "drop --loss" in capsys.readouterr().err
    with pytest.raises(InputError, match="already holds a run"):
        train({"steps": 2}, out=tmp_path)


def test_json_prints_one_object_with_metrics_and_run_dir(tmp_path, capsys):
    assert main(["--steps", "3", "--out", str(tmp_path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["status"] == "finished" and out["step"] == 3 and out["run_dir"] == str(tmp_path)
    assert set(out["metrics"]) == {"modes", "high_quality", "reverse_kl"}
    assert (tmp_path / "config.json").exists() and (tmp_path / "samples" / "step_000003.png").exists()


def test_ring8_run_learns_modes(tmp_path):
    cfg = {"data": "ring8", "net": "pacgan", "loss": "nsgan", "batch": 128, "steps": 1500, "eval_every": 1500}
    r = train(cfg, out=tmp_path)
    first, last = metrics(r["run_dir"])
    assert first["high_quality"] == 0.0 and first["modes"] == 0
    # Measured on this project's CI machine (torch 2.13 CPU), seeds 0, 1, 2: 3 of 8 modes and a high-quality
    # fraction of 0.072, 0.098, 0.094 at round 1,500. The bound asks for learning, not for a seed's luck.
    assert last["high_quality"] > 0.05 and last["modes"] >= 2


def test_1d_run_approaches_the_density(tmp_path):
    r = train({"data": "normal(1, 0.5)", "loss": "nsgan", "steps": 600, "eval_every": 600}, out=tmp_path)
    first, last = metrics(r["run_dir"])
    assert first["js"] > 0.3 and last["js"] < 0.05 and last["w1"] < 0.2 and last["d_vs_dstar"] < 0.1


def test_digits_run_lowers_frechet_distance(tmp_path, cache):
    r = train({"data": "digits", "loss": "nsgan", "steps": 300, "eval_every": 300}, out=tmp_path, cache_dir=cache)
    first, last = metrics(r["run_dir"])
    assert last["fd"] < first["fd"] / 3 and last["coverage"] > first["coverage"]


def test_log_has_both_gradient_norms_for_every_round_with_k_disc_steps(tmp_path):
    r = train({"data": "ring8", "loss": "loss-sensitive", "d_steps": 5, "steps": 4, **FAST}, out=tmp_path)
    rows = log(r["run_dir"])
    assert len(rows) == 4 and all(d > 0 and g > 0 for _, _, d, g in rows)


def test_ctrl_c_on_the_command_line_saves_and_exits_130(tmp_path):
    import subprocess
    import sys
    import time

    out = tmp_path / "run"
    cmd = [sys.executable, "-m", "models.train", "--steps", "100000", "--out", str(out), "--quiet"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (out / "log.csv").exists():
        time.sleep(0.2)
    time.sleep(1.0)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    step = checkpoint.load(out / "checkpoint.pt")["step"]
    assert f"interrupted at step {step}" in stdout and f"--resume {out}" in stdout and 0 < step < 100000
    assert len(log(out)) == step and "Traceback" not in stderr


@pytest.mark.slow
def test_ring8_reaches_all_modes(tmp_path):
    """The small MLP GAN without the CLI's R1 and decay, as the /mixtures page trains (the defaults: bench_pacgan)."""
    cfg = {"data": "ring8", "loss": "nsgan", "reg": "none", "lr_decay": "none", "lr": 1e-4, "batch": 256, "steps": 6000}
    cfg["eval_every"] = 6000
    last = metrics(train(cfg, out=tmp_path)["run_dir"])[-1]
    assert last["modes"] == 8 and last["high_quality"] > 0.3


@pytest.mark.slow
@pytest.mark.parametrize("name", ["mnist5k", "fashion-mnist"])
def test_28_pixel_runs_lower_frechet_distance(tmp_path, cache, name):
    r = train({"data": name, "loss": "nsgan", "steps": 300, "eval_every": 300}, out=tmp_path, cache_dir=cache)
    first, last = metrics(r["run_dir"])
    assert last["fd"] < first["fd"] / 3


@pytest.mark.parametrize("semi", ["salimans", "qi"])
def test_semisupervised_run_reports_its_test_error_and_the_supervised_baseline(tmp_path, cache, semi):
    cfg = {"data": "digits", "loss": "loss-sensitive", "conditional": True, "labels": 20, "steps": 3, "semi": semi}
    cfg |= FAST
    m = train(cfg, out=tmp_path / "r", cache_dir=cache)["metrics"]
    D = nets.CLSDiscriminator(nets.DCGANDiscriminator(8, 1, 0, 32, "layer", 10, semisupervised.NOISE))
    D.load_state_dict(checkpoint.load(tmp_path / "r" / "checkpoint.pt", keys=("D",))["D"])
    data = load("digits")
    with torch.no_grad():
        wrong = (D.eval().body(data.x_test).argmax(1) != data.y_test).sum().item()
    assert m["test_error"] == pytest.approx(wrong / len(data.y_test))
    baseline = m["supervised_baseline_error"] * len(data.y_test)  # a count of misclassified test images
    assert 0 < baseline < 0.9 * len(data.y_test) and baseline == pytest.approx(round(baseline), abs=1e-3)
