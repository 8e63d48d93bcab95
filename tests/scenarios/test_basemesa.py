"""``basemesa``: one command with a subcommand per job, each documented, each mistake one line."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pandas as pd
import pytest

import scenarios
from scenarios.app.main import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "sweep.toml"
COMMANDS = ("list", "run", "assess", "report", "sweep")


def call(argv, capsys) -> tuple[int, str, str]:
    try:
        code = main([str(a) for a in argv])
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def test_the_console_script_is_installed_and_its_help_lists_every_subcommand():
    [script] = [e for e in entry_points(group="console_scripts") if e.name == "basemesa"]
    assert script.value == "scenarios.app.main:main"
    installed = Path(sys.executable).parent / "basemesa"
    command = [str(installed)] if installed.exists() else [sys.executable, "-m", "scenarios.app.main"]
    proc = subprocess.run([*command, "--help"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    for name in COMMANDS:
        assert f"    {name}" in proc.stdout, name


@pytest.mark.parametrize(("command", "words"), [
    ("list", ["scenarios"]),
    ("run", ["NAME", *scenarios.names()]),
    ("assess", ["DIR", "--worlds", "--seed", "--behavior", "--no-figures"]),
    ("report", ["DIR", "report.html"]),
    ("sweep", ["FILE.toml", "--out", "--check", "[grid]", "[config]", "executor"]),
])
def test_every_subcommand_has_help(command, words, capsys):
    code, out, _ = call([command, "--help"], capsys)
    assert code == 0
    for word in words:
        assert word in out, word


def test_run_takes_the_options_of_the_scenario_module(capsys):
    code, out, _ = call(["run", "aurora", "--help"], capsys)
    assert code == 0
    for word in ["--generations", "--set", "--resume", *scenarios.knob_names("aurora")]:
        assert word in out, word
    code, _, err = call(["run", "aurora", "--set", "banner_reliabilty=0.5"], capsys)
    assert code == 2 and "banner_reliability" in err and err.count("\n") == 1


@pytest.mark.parametrize("argv", [[], ["frobnicate"], ["run", "aurra"], ["assess"]])
def test_a_mistake_is_one_line_and_exit_status_two(argv, capsys):
    code, out, err = call(argv, capsys)
    assert code == 2 and out == "" and err.count("\n") == 1 and "error" in err


def test_list_names_every_scenario_and_its_knobs(capsys):
    code, out, _ = call(["list"], capsys)
    assert code == 0
    for name in scenarios.names():
        assert name in out and ", ".join(scenarios.knob_names(name)) in out


def test_assess_reproduces_the_runs_own_assessment_and_another_seed_changes_it(tiny_run, run_copy, capsys):
    code, out, _ = call(["assess", run_copy, "--worlds", "3", "--seed", "0", "--no-figures"], capsys)
    assert code == 0 and "brotherhood_war" in out and "report.html" in out
    own = pd.read_csv(tiny_run / "assessment.csv")
    pd.testing.assert_frame_equal(pd.read_csv(run_copy / "assessment.csv"), own)
    code, _, _ = call(["assess", run_copy, "--worlds", "3", "--seed", "1", "--quiet"], capsys)
    assert code == 0
    again = pd.read_csv(run_copy / "assessment.csv")
    assert not again["oracle_base"].equals(own["oracle_base"])
    assert (run_copy / "report.html").read_bytes() != (tiny_run / "report.html").read_bytes()


def test_assess_of_a_folder_that_is_not_a_run_is_one_line(tmp_path, capsys):
    code, _, err = call(["assess", tmp_path], capsys)
    assert code == 2 and err.startswith("basemesa assess: error:") and err.count("\n") == 1


@pytest.mark.slow
def test_the_example_sweep_file_runs_and_a_second_run_loads_its_points(tmp_path, capsys):
    out = tmp_path / "sweep"
    code, stdout, err = call(["sweep", EXAMPLE, "--out", out], capsys)
    assert code == 0, err
    table = pd.read_csv(out / "sweep.csv")
    assert sorted(table["banner_reliability"].unique()) == [0.5, 1.0]
    assert set(table["distribution"]) == {"train", "brotherhood_war"}
    points = [p for p in out.iterdir() if p.is_dir()]
    assert len(points) == 2 and all((p / "report.html").is_file() for p in points)
    assert "banner_reliability" in stdout
    stamps = {p: (p / "log.csv").stat().st_mtime_ns for p in points}
    assert call(["sweep", EXAMPLE, "--out", out, "--quiet"], capsys)[0] == 0
    assert {p: (p / "log.csv").stat().st_mtime_ns for p in points} == stamps  # loaded, not run again
    pd.testing.assert_frame_equal(pd.read_csv(out / "sweep.csv"), table)


GOOD = EXAMPLE.read_text()


@pytest.mark.parametrize(("change", "named"), [
    (lambda t: t.replace("seeds =", "sedes ="), "sedes"),
    (lambda t: t.replace('scenario = "aurora"', 'scenario = "aurra"'), "aurra"),
    (lambda t: t.replace("banner_reliability = [0.5, 1.0]", "banner_reliability = 0.5"),
     "grid.banner_reliability"),
    (lambda t: t.replace("banner_reliability = [0.5, 1.0]", "banner_reliabilty = [0.5, 1.0]"), "banner_reliabilty"),
    (lambda t: t.replace("seeds = [0]", 'seeds = "many"'), "seeds"),
    (lambda t: t.replace("population = 8", "populaton = 8"), "populaton"),
    (lambda t: t.replace("population = 8", "population = 1"), "Config.population"),
    (lambda t: t.replace("population = 8", "seed = 3"), "config.seed"),
    (lambda t: t.replace('executor = "serial"', 'executor = "threads"'), "executor"),
    (lambda t: t.replace("assess_worlds = 10", "assess_worlds = 0"), "assess_worlds"),
    (lambda t: t + "\n[knobs]\nsensor_cots = 0.1\n", "knobs.sensor_cots"),
    (lambda t: t.replace("[grid]", "[grid"), "not valid TOML"),
])
def test_a_bad_sweep_file_is_one_line_naming_the_bad_key(change, named, tmp_path, capsys):
    path = tmp_path / "bad.toml"
    path.write_text(change(GOOD))
    code, out, err = call(["sweep", path, "--check"], capsys)
    assert code == 2 and out == "", err
    assert err.startswith("basemesa sweep: error:") and named in err and err.count("\n") == 1, err


def test_check_validates_the_example_without_running_it(tmp_path, capsys):
    code, out, _ = call(["sweep", EXAMPLE, "--check", "--out", tmp_path / "never"], capsys)
    assert code == 0 and "2 point(s)" in out
    assert not (tmp_path / "never").exists()


@pytest.mark.slow
def test_a_sweep_file_naming_a_dask_scheduler_gives_the_serial_table(tmp_path, capsys):
    distributed = pytest.importorskip("distributed")
    assert call(["sweep", EXAMPLE, "--out", tmp_path / "serial", "--quiet"], capsys)[0] == 0
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        path = tmp_path / "dask.toml"
        path.write_text(GOOD.replace('executor = "serial"', f'executor = "{cluster.scheduler_address}"'))
        code, _, err = call(["sweep", path, "--out", tmp_path / "dask", "--quiet"], capsys)
    assert code == 0, err
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "dask" / "sweep.csv"),
                                  pd.read_csv(tmp_path / "serial" / "sweep.csv"), check_exact=True)
