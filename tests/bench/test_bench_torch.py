"""The torch benchmarks run end to end (tiny sizes) and report what they claim."""

import json

from bench import bench_pacgan, bench_torch_dcgan, bench_torch_ring8


def test_dcgan_benchmark_reports_ratios_against_the_reference(capsys):
    bench_torch_dcgan.main(["--batch", "4", "--steps", "1", "--repeat", "1", "--variants", "eager", "--json"])
    out = json.loads(capsys.readouterr().out)
    names = [r["step"] for r in out["rows"]]
    assert names == ["reference", "ours eager"] and out["rows"][0]["ratio_vs_reference"] == 1.0
    assert all(r["images_per_s"] > 0 for r in out["rows"])


def test_ring8_benchmark_reports_never_when_the_budget_is_too_small():
    assert bench_torch_ring8.time_to_modes({"loss": "nsgan"}, every=5, max_steps=5, seed=0) is None


def test_pacgan_benchmark_measures_each_run_once_at_its_last_round(capsys):
    """Tiny budget: one row per data × method with every seed's end metrics, the CLI defaults as `default`."""
    argv = ["--data", "ring8", "--methods", "default,pacgan-pack2", "--seeds", "0,1", "--steps", "3", "--json"]
    bench_pacgan.main(argv)
    out = json.loads(capsys.readouterr().out)
    assert [(r["data"], r["method"]) for r in out["rows"]] == [("ring8", "default"), ("ring8", "pacgan-pack2")]
    for row in out["rows"]:
        assert [r["steps"] for r in row["runs"]] == [3, 3]
        assert all(0 <= r["high_quality"] <= 1 and 0 <= r["modes"] <= 8 and r["reverse_kl"] >= 0 for r in row["runs"])
