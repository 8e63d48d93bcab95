"""A run killed for real (SIGKILL) resumes from its last checkpoint and ends exactly as an
uninterrupted run, having lost at most one checkpoint interval of work."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest

import evolution
import scenarios
from evolution import Config, RunResult
from evolution.protocol import CHECK_EVALUATIONS
from scenarios import aurora

GENERATIONS, POPULATION, EVERY = 30, 100, 5


class Counting:
    """A scenario that counts its evaluations (one per generation run)."""

    def __init__(self, scenario):
        self.scenario, self.calls = scenario, -CHECK_EVALUATIONS  # evolve's scenario check evaluates first
        self.name, self.layout = scenario.name, scenario.layout

    def assess(self, *args, **kwargs):
        return self.scenario.assess(*args, **kwargs)

    def from_dict(self, data):
        return self.scenario.from_dict(data)

    def evaluate(self, *args, **kwargs):
        self.calls += 1
        return self.scenario.evaluate(*args, **kwargs)

    def to_dict(self):
        return self.scenario.to_dict()


def kill_as_soon_as(proc: subprocess.Popen, appears) -> None:
    """SIGKILL ``proc`` the moment the path ``appears`` exists (checkpoints appear whole, by rename)."""
    deadline = time.monotonic() + 300
    while not appears.exists():
        if proc.poll() is not None:
            pytest.fail(f"the run ended before {appears.name} appeared: {proc.stderr.read()}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"{appears.name} never appeared")
        time.sleep(0.0005)  # a poll interval, not a wait for the run: the kill follows at once
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
    counting = Counting(sc)
    resumed = evolution.evolve(counting, progress=False, resume=out)
    pd.testing.assert_frame_equal(uninterrupted.log, resumed.log, check_exact=True)
    # Only the generations after the last checkpoint ran again: the kill lost less than EVERY of them.
    assert counting.calls == GENERATIONS - latest
    assert (resumed.population == uninterrupted.population).all()

    assert aurora.main(["--resume", str(tmp_path / "via-cli"), "--quiet", "--assess-worlds", "3",
                        "--formats", "png"]) == 0
    pd.testing.assert_frame_equal(uninterrupted.log, RunResult.load(tmp_path / "via-cli").log, check_exact=True)
