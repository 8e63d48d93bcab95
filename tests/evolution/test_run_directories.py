"""Run directories at the edges: old ones still load, unknown keys are refused, a run never silently
replaces another, and a second process is kept out of a directory in use."""

from __future__ import annotations

import dataclasses
import json
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import evolution
import scenarios
from evolution import Config, RunResult
from organisms.metrics import log_share_column
from scenarios.app.cli import default_run_dir
from scenarios.engine.measure import LOG_FORMAT, LOG_LABELS
from scenarios.stories import aurora

V1 = Path(__file__).resolve().parents[1] / "fixtures" / "run_v1" / "aurora"
V2_BEFORE_LOG_VERSIONS = Path(__file__).resolve().parents[1] / "fixtures" / "run_v2" / "sweet_tooth"
TINY = Config(seed=1, population=6, generations=2, episodes=1, kinds=("planner",))


@pytest.fixture(scope="module")
def sc():
    return scenarios.get("aurora")


@pytest.fixture(scope="module")
def done(sc, tmp_path_factory):
    """A finished tiny run directory (copy it before changing it)."""
    out = tmp_path_factory.mktemp("done") / "run"
    evolution.evolve(sc, TINY, progress=False, out=out)
    return out


# --- a run directory written by the code before this change ---------------------------------------------

def test_a_version_1_run_directory_loads_assesses_and_reruns_to_its_own_log(sc, tmp_path):
    run = RunResult.load(V1)
    assert json.loads((V1 / "config.json").read_text())["version"] == 1
    # Saved before log versions and routes around harm existed: the scenario reads back in log version 1
    # with shortest-path routes, and is otherwise today's.
    assert run.scenario.log_format == 1 and sc.log_format == LOG_FORMAT > 1
    assert not run.scenario.avoid_harm and sc.avoid_harm
    assert run.scenario == dataclasses.replace(sc, log_format=1, avoid_harm=False)
    assert run.config == Config(population=20, generations=3, seed=1, kinds=("planner",))
    assert run.config.optimizer == "ga" and run.config.optimizer_options == {
        "tournament": 3, "crossover": 0.5, "swap": 0.5, "mutation": 0.2, "sigma": 0.3, "elite": 2}
    table = scenarios.assess(run.scenario, run.population, worlds=5)
    pd.testing.assert_frame_equal(table, scenarios.assess(dataclasses.replace(sc, avoid_harm=False), run.population,
                                                          worlds=5), check_exact=True)
    # The new code repeats the old run bit for bit, in the log version it was saved with.
    again = evolution.evolve(run.scenario, run.config, progress=False)
    pd.testing.assert_frame_equal(again.log, run.log, check_exact=True)
    assert np.array_equal(again.population, run.population)


def test_a_run_directory_saved_before_log_versions_reruns_to_its_own_log(tmp_path):
    """A run directory as the code before log versions wrote it (run format 2, sweet_tooth with both
    kinds, so heuristics are labelled too) reruns to its own log; in today's log version the same run
    relabels its generations and keeps every other column."""
    run = RunResult.load(V2_BEFORE_LOG_VERSIONS)
    assert "log_format" not in json.loads((V2_BEFORE_LOG_VERSIONS / "config.json").read_text())["scenario"]["data"]
    assert run.scenario.log_format == 1
    again = evolution.evolve(run.scenario, run.config, progress=False, out=tmp_path / "again")
    pd.testing.assert_frame_equal(again.log, run.log, check_exact=True)
    # ... and records its scenario as it was saved (so it stays in log version 1 when read again).
    scenario_record = [json.loads((d / "config.json").read_text())["scenario"]
                       for d in (tmp_path / "again", V2_BEFORE_LOG_VERSIONS)]
    assert scenario_record[0] == scenario_record[1]
    today = evolution.evolve(dataclasses.replace(run.scenario, log_format=LOG_FORMAT), run.config, progress=False)
    shares = [log_share_column(label) for label in LOG_LABELS[LOG_FORMAT]]
    kept = [c for c in run.log.columns if c not in shares]
    pd.testing.assert_frame_equal(today.log[kept], run.log[kept], check_exact=True)
    assert not today.log[shares[:3]].equals(run.log[shares[:3]])
    np.testing.assert_allclose(today.log[shares].sum(axis=1), 1.0)  # every organism gets a label now


def test_a_version_1_run_directory_resumes_nothing_and_is_left_unchanged(sc, tmp_path):
    copy = tmp_path / "v1"
    shutil.copytree(V1, copy)
    before = {p.name: p.read_bytes() for p in copy.iterdir()}
    with pytest.raises(ValueError, match="finished run"):
        evolution.evolve(RunResult.load(V1).scenario, progress=False, resume=copy)
    with pytest.raises(ValueError, match="different scenario"):  # today's log version is another run
        evolution.evolve(sc, progress=False, resume=copy)
    with pytest.raises(ValueError, match="different run"):
        evolution.evolve(sc, Config(seed=2, population=20, generations=3), progress=False, out=copy)
    assert {p.name: p.read_bytes() for p in copy.iterdir() if p.name != ".lock"} == before


# --- unknown keys and the scenario key --------------------------------------------------------------------

def test_config_from_dict_refuses_unknown_keys_naming_them():
    with pytest.raises(ValueError, match=r"\['popsize'\]"):
        Config.from_dict({**Config().to_dict(), "popsize": 40})
    assert Config.from_dict({"population": 40}) == Config(population=40)  # missing fields: defaults


@pytest.mark.parametrize("where, key", [("top", "comment"), ("config", "tournament_size"),
                                        ("scenario", "module")])
def test_a_run_directory_with_an_unknown_key_is_refused_naming_it(done, tmp_path, where, key):
    run_dir = tmp_path / "run"
    shutil.copytree(done, run_dir)
    head = json.loads((run_dir / "config.json").read_text())
    (head if where == "top" else head[where])[key] = 1
    (run_dir / "config.json").write_text(json.dumps(head))
    with pytest.raises(ValueError, match=key):
        RunResult.load(run_dir)


def test_a_population_file_with_an_array_nobody_reads_is_refused(done, tmp_path):
    run_dir = tmp_path / "run"
    shutil.copytree(done, run_dir)
    arrays = dict(np.load(run_dir / "population.npz"))
    np.savez(run_dir / "population.npz", **arrays, elites=arrays["population"][:2])
    with pytest.raises(ValueError, match="elites"):
        RunResult.load(run_dir)


def test_config_json_records_the_scenario_by_key_not_by_module_path(done):
    head = json.loads((done / "config.json").read_text())
    assert head["version"] == 2
    assert set(head["scenario"]) == {"key", "data"} and head["scenario"]["key"] == "scenario"
    assert "scenarios." not in json.dumps(head)


def test_a_scenario_key_nobody_registered_is_a_clear_error(done, tmp_path):
    run_dir = tmp_path / "run"
    shutil.copytree(done, run_dir)
    head = json.loads((run_dir / "config.json").read_text())
    head["scenario"]["key"] = "orchard"
    (run_dir / "config.json").write_text(json.dumps(head))
    with pytest.raises(ValueError, match="no scenario class registered as 'orchard'"):
        RunResult.load(run_dir)


# --- a run never silently replaces another -----------------------------------------------------------------

def test_evolving_into_a_different_run_is_refused_unless_overwrite(sc, done, tmp_path):
    run_dir = tmp_path / "run"
    shutil.copytree(done, run_dir)
    first = RunResult.load(run_dir)
    dataclasses.replace(first, assessment=sc.assess(first.population, worlds=2)).save(run_dir)
    other = TINY.replace(seed=2)
    with pytest.raises(ValueError, match="different run.*overwrite"):
        evolution.evolve(sc, other, progress=False, out=run_dir)
    with pytest.raises(ValueError, match="different run"):
        evolution.evolve(scenarios.get("aurora", banner_reliability=0.5), TINY, progress=False, out=run_dir)
    pd.testing.assert_frame_equal(RunResult.load(run_dir).log, first.log, check_exact=True)  # untouched
    replaced = evolution.evolve(sc, other, progress=False, out=run_dir, overwrite=True)
    loaded = RunResult.load(run_dir)
    assert loaded.config == other and loaded.assessment is None  # the old run's assessment went with it
    pd.testing.assert_frame_equal(loaded.log, replaced.log, check_exact=True)


def test_the_same_run_may_be_written_again(sc, done, tmp_path):
    run_dir = tmp_path / "run"
    shutil.copytree(done, run_dir)
    again = evolution.evolve(sc, TINY.replace(workers=1), progress=False, out=run_dir)
    pd.testing.assert_frame_equal(RunResult.load(run_dir).log, again.log, check_exact=True)


def test_saving_over_a_different_run_is_refused_unless_overwrite(sc, done, tmp_path):
    run_dir = tmp_path / "run"
    shutil.copytree(done, run_dir)
    other = evolution.evolve(sc, TINY.replace(seed=3), progress=False)
    with pytest.raises(ValueError, match="different run"):
        other.save(run_dir)
    other.save(run_dir, overwrite=True)
    assert RunResult.load(run_dir).config.seed == 3


def test_a_folder_holding_other_files_is_refused(sc, tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(ValueError, match="not a basemesa run"):
        evolution.evolve(sc, TINY, progress=False, out=tmp_path)
    assert (tmp_path / "notes.txt").read_text() == "mine"


# --- a second process is kept out ------------------------------------------------------------------------

HOLD = "import sys\nfrom evolution.rundir import locked\nwith locked(sys.argv[1]):\n" \
       "    print('locked', flush=True)\n    sys.stdin.read()\n"


@pytest.fixture
def holder(tmp_path):
    """Another process holding the lock of ``tmp_path / "run"`` until it is killed."""
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(tmp_path / "run")], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline() == "locked\n"
    yield proc
    proc.kill()
    proc.wait(timeout=30)


def test_a_directory_in_use_by_another_process_is_refused_until_that_process_dies(sc, tmp_path, holder):
    out = tmp_path / "run"
    with pytest.raises(ValueError, match=f"in use by another process \\(pid {holder.pid}\\)"):
        evolution.evolve(sc, TINY, progress=False, out=out)
    run = evolution.evolve(sc, TINY, progress=False)
    with pytest.raises(ValueError, match="in use"):
        run.save(out)
    holder.send_signal(signal.SIGKILL)  # a crash: the kernel releases the lock
    holder.wait(timeout=30)
    evolution.evolve(sc, TINY, progress=False, out=out)
    assert RunResult.load(out).config == TINY


def test_the_command_line_refuses_a_directory_in_use_in_one_line(tmp_path, holder):
    proc = subprocess.run([sys.executable, "-m", "scenarios.aurora", "--out", str(tmp_path / "run"),
                           "--generations", "1", "--population", "4", "--episodes", "1", "--quiet"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "in use by another process" in proc.stderr, proc.stderr


# --- default run directories on the command line ---------------------------------------------------------

def test_default_run_directories_differ_whenever_knobs_or_options_differ():
    knobs_cls = aurora.Knobs
    names = {
        default_run_dir("aurora", {}, knobs_cls, {}, 0),
        default_run_dir("aurora", {"banner_reliability": 0.5}, knobs_cls, {}, 0),
        default_run_dir("aurora", {"banner_reliability": 0.5, "sensor_cost": 0.1}, knobs_cls, {}, 0),
        default_run_dir("aurora", {}, knobs_cls, {"generations": 5}, 0),
        default_run_dir("aurora", {}, knobs_cls, {}, 1),
    }
    assert len(names) == 5
    assert default_run_dir("aurora", {}, knobs_cls, {}, 0) == Path("runs/aurora-seed0")
    # A knob set to its default value is the default run, and the order knobs were given in is no matter.
    assert default_run_dir("aurora", {"banner_reliability": 1.0}, knobs_cls, {}, 0) == Path("runs/aurora-seed0")
    assert (default_run_dir("aurora", {"sensor_cost": 0.1, "banner_reliability": 0.5}, knobs_cls, {}, 0)
            == default_run_dir("aurora", {"banner_reliability": 0.5, "sensor_cost": 0.1}, knobs_cls, {}, 0))


def test_the_command_line_keeps_runs_with_different_knobs_apart_and_overwrites_only_when_asked(
        tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    tiny = ["--generations", "1", "--population", "4", "--episodes", "1", "--assess-worlds", "2",
            "--formats", "png", "--quiet"]
    assert aurora.main(tiny) == 0
    assert aurora.main([*tiny, "--set", "banner_reliability=0.5"]) == 0
    runs = sorted(p.name for p in (tmp_path / "runs").iterdir())
    assert len(runs) == 2 and any("banner_reliability=0.5" in r for r in runs)
    first = tmp_path / "runs" / runs[0]
    capsys.readouterr()
    assert aurora.main([*tiny, "--seed", "4", "--out", str(first)]) == 2
    assert "different run" in capsys.readouterr().err
    assert aurora.main([*tiny, "--seed", "4", "--out", str(first), "--overwrite"]) == 0
    assert RunResult.load(first).config.seed == 4
