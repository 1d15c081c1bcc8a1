"""ui/runs.py: the run-directory root is the operator's (GDL_RUNS, else runs/ in the repository) and nothing that
resolves outside it (a symlink, `..`) is listed or read."""

import json
from pathlib import Path

import pytest

from ui import runs

REPO = Path(__file__).resolve().parents[2]


def make_run(directory: Path) -> Path:
    directory.mkdir(parents=True)
    (directory / "config.json").write_text(json.dumps({"data": "digits"}))
    return directory


def test_root_defaults_to_runs_in_the_repository_not_the_cwd(monkeypatch, tmp_path):
    monkeypatch.delenv(runs.ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    assert runs.root() == (REPO / "runs").resolve()


def test_the_environment_variable_sets_the_root(monkeypatch, tmp_path):
    monkeypatch.setenv(runs.ENV, str(tmp_path))
    assert runs.root() == tmp_path.resolve()
    make_run(tmp_path / "a")
    assert [p.name for p in runs.find()[0]] == ["a"]
    monkeypatch.setenv(runs.ENV, "elsewhere")  # relative: from the repository root
    assert runs.root() == (REPO / "elsewhere").resolve()


def test_inside_refuses_dotdot_and_symlinks_out(tmp_path):
    base = tmp_path / "root"
    run = make_run(base / "run")
    outside = make_run(tmp_path / "outside")
    (base / "link").symlink_to(outside, target_is_directory=True)
    (base / "etc").symlink_to("/etc", target_is_directory=True)
    (base / "also-run").symlink_to(run, target_is_directory=True)  # a link that stays inside is fine
    assert runs.inside(base / "run", base) == run.resolve()
    assert runs.inside(base / "also-run", base) == run.resolve()
    assert runs.inside(base / "x" / ".." / "run", base) == run.resolve()
    for path in (base / ".." / "outside", base / "run" / ".." / ".." / "outside", base / "link", base / "etc"):
        with pytest.raises(runs.OutsideRoot, match="outside the run-directory root"):
            runs.inside(path, base)
    with pytest.raises(runs.OutsideRoot):
        runs.inside("/etc/passwd", base)


def test_find_lists_runs_inside_and_refuses_links_out(tmp_path):
    base = tmp_path / "root"
    make_run(base / "run")
    (base / "link").symlink_to(make_run(tmp_path / "outside"), target_is_directory=True)
    (base / "etc").symlink_to("/etc", target_is_directory=True)
    found, refused = runs.find(base)
    assert [p.name for p in found] == ["run"]
    assert refused == ["etc", "link"]


def test_read_refuses_a_run_or_a_file_that_resolves_outside(tmp_path):
    base = tmp_path / "root"
    run = make_run(base / "run")
    assert runs.read(run, base)["config"] == {"data": "digits"}
    with pytest.raises(runs.OutsideRoot):
        runs.read(make_run(tmp_path / "outside"), base)
    with pytest.raises(runs.OutsideRoot):
        runs.read(base / ".." / "outside", base)
    (run / "metrics.jsonl").symlink_to("/etc/hostname")
    with pytest.raises(runs.OutsideRoot):
        runs.read(run, base)
