"""Ctrl-C (SIGINT, the notebook's stop button) ends a long call cleanly: the run directory keeps its
last checkpoint and no half-written file, the command line says how to resume, and resuming gives
the uninterrupted run's log."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pandas as pd
import pytest

import evolution
import scenarios
from evolution import Config

GENERATIONS, POPULATION, EVERY = 30, 100, 5


def interrupt_after(proc: subprocess.Popen, appears, grace: float = 0.05) -> None:
    """SIGINT ``proc`` shortly after ``appears`` exists, as a user pressing Ctrl-C mid-run would."""
    deadline = time.monotonic() + 300
    while not appears.exists():
        if proc.poll() is not None:
            pytest.fail(f"the run ended before {appears.name} appeared: {proc.stderr.read()}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"{appears.name} never appeared")
        time.sleep(0.001)
    time.sleep(grace)
    proc.send_signal(signal.SIGINT)


@pytest.mark.slow
def test_ctrl_c_leaves_the_last_checkpoint_and_no_partial_files_and_resumes_exactly(tmp_path):
    out = tmp_path / "run"
    proc = subprocess.Popen(
        [sys.executable, "-m", "scenarios.aurora", "--out", str(out), "--checkpoint-every", str(EVERY),
         "--generations", str(GENERATIONS), "--population", str(POPULATION), "--workers", "1"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    interrupt_after(proc, out / f"checkpoint-{EVERY}")
    _, err = proc.communicate(timeout=120)

    assert proc.returncode == 130, err  # the shell's convention for "stopped by Ctrl-C"
    assert "Traceback" not in err
    assert "--resume" in err  # it says how to continue
    assert not (out / "log.csv").exists()
    # Nothing half-written: no temporary file or folder, one whole checkpoint.
    leftovers = [p.name for p in out.iterdir() if p.name.startswith(".") and not p.name.endswith(".lock")]
    assert leftovers == []
    assert len(list(out.glob("checkpoint-*"))) == 1

    sc = scenarios.get("aurora")
    config = Config.for_scenario(sc, seed=0, generations=GENERATIONS, population=POPULATION, workers=1)
    resumed = evolution.evolve(sc, progress=False, resume=out)
    uninterrupted = evolution.evolve(sc, config, progress=False)
    pd.testing.assert_frame_equal(uninterrupted.log, resumed.log, check_exact=True)
