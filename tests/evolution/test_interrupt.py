"""Ctrl-C (SIGINT, the notebook's stop button) ends a long call cleanly: the run directory keeps its
last checkpoint and no half-written file, the command line says how to resume, and resuming gives
the uninterrupted run's log. Where SIGINT is ignored, a run leaves it ignored and runs to its end.

Each test sets up the SIGINT disposition it is about: the test run itself may have been started
with SIGINT ignored (a background job of a non-interactive shell, nohup, some CI runners), and
Python then leaves it ignored, in this process and in every child it starts.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest

import evolution
import scenarios
from evolution import Config
from tests.evolution.test_checkpoint import wait_for
from tests.support.doubles import CountingScenario

GENERATIONS, POPULATION, EVERY = 30, 100, 5


def with_python_sigint(module: str, *args: str) -> list[str]:
    """The command ``python -m module args...``, with Python's own SIGINT handler installed first,
    whatever disposition the test run inherited and passes on (a wrapper rather than ``preexec_fn``,
    which is unsafe in a process running threads, as numba's)."""
    start = ("import runpy, signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
             "sys.argv = sys.argv[1:]; runpy.run_module(sys.argv[0], run_name='__main__', alter_sys=True)")
    return [sys.executable, "-c", start, module, *args]


@pytest.fixture
def sigint(request):
    """SIGINT handled as the test asks (``request.param``; Python's default handler unless given)
    for the test's duration, then the test run's own disposition again."""
    before = signal.signal(signal.SIGINT, getattr(request, "param", signal.default_int_handler))
    yield
    signal.signal(signal.SIGINT, before)


def interrupt_after(proc: subprocess.Popen, appears, grace: float = 0.05) -> None:
    """SIGINT ``proc`` shortly after ``appears`` exists, as a user pressing Ctrl-C mid-run would."""
    wait_for(proc, appears)
    time.sleep(grace)
    proc.send_signal(signal.SIGINT)


@pytest.mark.slow
def test_ctrl_c_leaves_the_last_checkpoint_and_no_partial_files_and_resumes_exactly(tmp_path):
    out = tmp_path / "run"
    proc = subprocess.Popen(
        with_python_sigint("scenarios.aurora", "--out", str(out), "--checkpoint-every", str(EVERY),
                           "--generations", str(GENERATIONS), "--population", str(POPULATION), "--workers", "1"),
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        interrupt_after(proc, out / f"checkpoint-{EVERY}")
        _, err = proc.communicate(timeout=120)
    finally:
        proc.kill()  # a no-op if it ended; else no run outlives a failed test
        proc.wait()

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


def test_ctrl_c_inside_a_generation_stops_after_it_with_its_checkpoint_written(tmp_path, sigint):
    sc = scenarios.get("aurora")
    config = Config.for_scenario(sc, seed=1, generations=8, population=20, workers=1)
    interrupted = CountingScenario(sc, at=3, act=lambda: os.kill(os.getpid(), signal.SIGINT))
    with pytest.raises(KeyboardInterrupt):
        evolution.evolve(interrupted, config, progress=False, out=tmp_path / "run", checkpoint_every=1)
    # The generation in flight finished and was checkpointed; no later one started.
    assert interrupted.calls == 4
    assert sorted(p.name for p in (tmp_path / "run").glob("checkpoint-*")) == ["checkpoint-4"]
    # The handler is restored: a Ctrl-C now is an ordinary KeyboardInterrupt again.
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    resumed = evolution.evolve(sc, progress=False, resume=tmp_path / "run")
    pd.testing.assert_frame_equal(resumed.log, evolution.evolve(sc, config, progress=False).log, check_exact=True)


@pytest.mark.parametrize("sigint", [signal.SIG_IGN], indirect=True)
def test_a_run_started_with_sigint_ignored_leaves_it_ignored_and_runs_to_its_end(tmp_path, sigint):
    sc = scenarios.get("aurora")
    config = Config.for_scenario(sc, seed=1, generations=5, population=12, workers=1)
    pressed = CountingScenario(sc, at=2, act=lambda: os.kill(os.getpid(), signal.SIGINT))
    run = evolution.evolve(pressed, config, progress=False, out=tmp_path / "run", checkpoint_every=1)
    assert pressed.calls == config.generations  # the Ctrl-C never arrived: every generation ran
    assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    assert list((tmp_path / "run").glob("checkpoint-*")) == []  # a finished run, not an interrupted one
    uninterrupted = evolution.evolve(sc, config, progress=False)
    pd.testing.assert_frame_equal(run.log, uninterrupted.log, check_exact=True)
    assert np.array_equal(run.population, uninterrupted.population)
