"""The torch benchmarks run end to end (tiny sizes) and report what they claim."""

import json

from bench import bench_torch_dcgan, bench_torch_ring8


def test_dcgan_benchmark_reports_ratios_against_the_reference(capsys):
    bench_torch_dcgan.main(["--batch", "4", "--steps", "1", "--repeat", "1", "--variants", "eager", "--json"])
    out = json.loads(capsys.readouterr().out)
    names = [r["step"] for r in out["rows"]]
    assert names == ["reference", "ours eager"] and out["rows"][0]["ratio_vs_reference"] == 1.0
    assert all(r["images_per_s"] > 0 for r in out["rows"])


def test_ring8_benchmark_reports_never_when_the_budget_is_too_small():
    assert bench_torch_ring8.time_to_modes({"loss": "nsgan"}, every=5, max_steps=5, seed=0) is None
