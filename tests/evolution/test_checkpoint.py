"""A run killed for real (SIGKILL) resumes from its last checkpoint and ends exactly as an
uninterrupted run, having lost at most one checkpoint interval of work."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest

import evolution
import scenarios
from evolution import Config, RunResult
from scenarios.stories import aurora
from tests.support.doubles import CountingScenario, Killed

GENERATIONS, POPULATION, EVERY = 30, 100, 5


def wait_for(proc: subprocess.Popen, appears) -> None:
    """Return the moment the path ``appears`` exists (checkpoints appear whole, by rename); fail if the
    run ends first or it never appears."""
    deadline = time.monotonic() + 300
    while not appears.exists():
        if proc.poll() is not None:
            pytest.fail(f"the run ended before {appears.name} appeared: {proc.stderr.read()}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"{appears.name} never appeared")
        time.sleep(0.0005)  # a poll interval, not a wait for the run: what follows follows at once


def kill_as_soon_as(proc: subprocess.Popen, appears) -> None:
    """SIGKILL ``proc`` the moment the path ``appears`` exists."""
    wait_for(proc, appears)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL


def checkpoints(path) -> list[int]:
    return sorted(int(p.name.split("-")[1]) for p in path.glob("checkpoint-*"))


@pytest.mark.slow
def test_a_run_killed_after_a_checkpoint_resumes_to_the_uninterrupted_log(tmp_path):
    out = tmp_path / "run"
    proc = subprocess.Popen(
        [sys.executable, "-m", "scenarios.aurora", "--out", str(out), "--checkpoint-every", str(EVERY),
         "--generations", str(GENERATIONS), "--population", str(POPULATION), "--workers", "1", "--quiet"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    kill_as_soon_as(proc, out / f"checkpoint-{EVERY}")

    assert not (out / "log.csv").exists()  # it died mid-run
    latest = checkpoints(out)[-1]
    assert EVERY <= latest < GENERATIONS
    with pytest.raises(ValueError, match="unfinished run"):
        RunResult.load(out)
    shutil.copytree(out, tmp_path / "via-cli")

    sc = scenarios.get("aurora")
    config = Config.for_scenario(sc, seed=0, generations=GENERATIONS, population=POPULATION, workers=1)
    uninterrupted = evolution.evolve(sc, config, progress=False)
    counting = CountingScenario(sc)
    resumed = evolution.evolve(counting, progress=False, resume=out)
    pd.testing.assert_frame_equal(uninterrupted.log, resumed.log, check_exact=True)
    # Only the generations after the last checkpoint ran again: the kill lost less than EVERY of them.
    assert counting.calls == GENERATIONS - latest
    assert (resumed.population == uninterrupted.population).all()

    assert aurora.main(["--resume", str(tmp_path / "via-cli"), "--quiet", "--assess-worlds", "3",
                        "--formats", "png"]) == 0
    pd.testing.assert_frame_equal(uninterrupted.log, RunResult.load(tmp_path / "via-cli").log, check_exact=True)


# --- a kill during a checkpoint write ------------------------------------------------------------------

SMALL = Config(seed=8, population=10, generations=8, episodes=2)


def killed_on_second_call(monkeypatch, module, name):
    """Make ``module.name`` raise ``Killed`` on its second call (the second checkpoint's write)."""
    original, calls = getattr(module, name), []

    def dying(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise Killed
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, dying)


@pytest.fixture(scope="module")
def uninterrupted():
    sc = scenarios.get("aurora")
    return sc, evolution.evolve(sc, SMALL, progress=False)


def resume_and_compare(sc, uninterrupted_run, out, expected_start):
    counting = CountingScenario(sc)
    resumed = evolution.evolve(counting, SMALL, progress=False, resume=out)
    pd.testing.assert_frame_equal(uninterrupted_run.log, resumed.log, check_exact=True)
    assert (resumed.population == uninterrupted_run.population).all()
    assert counting.calls == SMALL.generations - expected_start
    assert not [p.name for p in out.iterdir() if "checkpoint" in p.name]  # nothing left behind


def test_a_kill_while_a_checkpoint_is_written_leaves_a_temporary_folder_and_resumes_from_the_last(
        uninterrupted, tmp_path, monkeypatch):
    from evolution import checkpoint

    sc, full = uninterrupted
    out = tmp_path / "run"
    killed_on_second_call(monkeypatch, checkpoint, "write_csv")  # arrays written, log not yet
    with pytest.raises(Killed):
        evolution.evolve(sc, SMALL, progress=False, out=out, checkpoint_every=2)
    monkeypatch.undo()
    assert sorted(p.name for p in out.iterdir() if "checkpoint" in p.name) == [".tmp-checkpoint-4",
                                                                             "checkpoint-2"]
    resume_and_compare(sc, full, out, expected_start=2)


def test_a_kill_after_the_rename_leaves_two_checkpoints_and_resumes_from_the_newer(
        uninterrupted, tmp_path, monkeypatch):
    from evolution import checkpoint

    sc, full = uninterrupted
    out = tmp_path / "run"
    killed_on_second_call(monkeypatch, checkpoint, "remove_checkpoints")  # renamed, older not removed
    with pytest.raises(Killed):
        evolution.evolve(sc, SMALL, progress=False, out=out, checkpoint_every=2)
    monkeypatch.undo()
    assert checkpoints(out) == [2, 4]
    resume_and_compare(sc, full, out, expected_start=4)


def state_json(out):
    return out / "checkpoint-4" / "state.json"


@pytest.fixture
def killed_run(uninterrupted, tmp_path):
    sc, _ = uninterrupted
    out = tmp_path / "run"
    with pytest.raises(Killed):
        evolution.evolve(CountingScenario(sc, at=5), SMALL, progress=False, out=out, checkpoint_every=4)
    return sc, out


@pytest.mark.parametrize("key", ["format", "version", "next_generation", "seed", "optimizer", "strategy"])
def test_every_field_a_checkpoint_writes_is_read(killed_run, key):
    sc, out = killed_run
    state = json.loads(state_json(out).read_text())
    assert key in state
    del state[key]
    state_json(out).write_text(json.dumps(state))
    with pytest.raises(ValueError, match=key):
        evolution.evolve(sc, SMALL, progress=False, resume=out)


def test_a_checkpoint_with_a_field_or_array_nobody_reads_is_refused(killed_run):
    sc, out = killed_run
    state = json.loads(state_json(out).read_text())
    state_json(out).write_text(json.dumps({**state, "note": "hello"}))
    with pytest.raises(ValueError, match="note"):
        evolution.evolve(sc, SMALL, progress=False, resume=out)
    state_json(out).write_text(json.dumps(state))
    arrays = dict(np.load(out / "checkpoint-4" / "arrays.npz"))
    np.savez(out / "checkpoint-4" / "arrays.npz", **arrays, extra=np.zeros(3))
    with pytest.raises(ValueError, match="extra"):
        evolution.evolve(sc, SMALL, progress=False, resume=out)


def test_a_checkpoint_of_another_optimizer_is_refused(killed_run):
    sc, out = killed_run
    state = json.loads(state_json(out).read_text())
    state_json(out).write_text(json.dumps({**state, "optimizer": "cmaes"}))
    with pytest.raises(ValueError, match="cmaes"):
        evolution.evolve(sc, SMALL, progress=False, resume=out)


def test_a_checkpoint_written_before_the_strategy_seam_resumes_to_the_identical_log(
        uninterrupted, killed_run):
    """The previous format: population.npz (the bred, clamped population and the hall of fame) and a
    state.json with the RNG keys and the Config, exactly as the GA wrote them then."""
    (sc, full), (_, out) = uninterrupted, killed_run
    ck = out / "checkpoint-4"
    arrays = dict(np.load(ck / "arrays.npz"))
    np.savez(ck / "population.npz", population=arrays["strategy.population"],
             hall_of_fame=arrays["hall_of_fame"], hall_of_fame_fitness=arrays["hall_of_fame_fitness"])
    (ck / "arrays.npz").unlink()
    state_json(out).write_text(json.dumps({"next_generation": 4, "seed": SMALL.seed,
                                           "rng": {"worlds": [0, 4], "variation": [1, 4]},
                                           "config": SMALL.to_dict()}))
    resume_and_compare(sc, full, out, expected_start=4)
