"""Where sweep points run: the executors (worker processes), and the task each worker carries out.

Runs must be one per process: DEAP's operators draw from the global ``random`` module (and its
CMA-ES from numpy's global generator), which the strategies seed from the run's own stream every
generation; two runs in threads of one process
would interleave their draws and neither would be reproducible. So thread executors are refused,
and the default is a process pool started with ``spawn`` (never the global start method: that is
the user's; and ``fork`` after numba or BLAS threads have started is unsafe).

Each worker evaluates on one thread (``Config.workers=1``, which ``evolve`` passes to the
scenario's ``evaluate(parallel=1)``: serial kernels), so points do not fight over cores; results do
not depend on it. Kernels come from numba's on-disk cache, which the
parent warms before any worker starts, so workers load compiled code instead of compiling it.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import socket
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any

import numpy as np
import pandas as pd

from evolution.checkpoint import has_checkpoint
from evolution.config import Config
from evolution.files import write_json
from evolution.loop import evolve
from evolution.rundir import locked

THREADS_REFUSED = (
    "executor: {name} runs tasks in threads of this process; a sweep needs worker processes "
    "because DEAP's operators draw from the global `random` module, which concurrent runs in one "
    "process would share (use concurrent.futures.ProcessPoolExecutor, the default, or "
    "dask.distributed.Client(address).get_executor())"
)


@dataclasses.dataclass(frozen=True)
class Task:
    """Everything a worker needs for one sweep point (picklable)."""

    factory: Callable[..., Any]
    """Builds the scenario from ``knobs``."""
    knobs: dict
    """Scenario keyword arguments of this point."""
    config: Config
    """The point's Config (its seed, grid fields, ``workers=1``)."""
    run_dir: str | None
    """Where to keep the run directory (None: keep nothing)."""
    record: dict
    """What ``point.json`` says once the point is done (see ``sweep``)."""
    assess_worlds: int
    assess_seed: int
    checkpoint_every: int | None


POINT_FILE = "point.json"
"""Written last into a sweep point's run directory: its presence means the point is done."""


def default_executor(points: int) -> ProcessPoolExecutor:
    """A process pool sized to the machine (never more workers than points), started by spawn."""
    workers = max(1, min(os.cpu_count() or 1, points))
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))


def _where() -> tuple[str, int]:
    return socket.gethostname(), os.getpid()


def check_executor(executor: Any) -> None:
    """Refuse anything that is not a process-based ``concurrent.futures.Executor``.

    A ``ProcessPoolExecutor`` is accepted as is. Any other executor (a Dask ``ClientExecutor``, for
    one) is asked where it runs a task: if that is this very process, it is thread-based (or
    inline) and refused.
    """
    name = type(executor).__name__
    if isinstance(executor, ThreadPoolExecutor):
        raise ValueError(THREADS_REFUSED.format(name=name))
    if not isinstance(executor, Executor):
        raise ValueError(f"executor: must be a concurrent.futures.Executor (process-based), got {name}")
    if isinstance(executor, ProcessPoolExecutor):
        return
    if executor.submit(_where).result() == _where():
        raise ValueError(THREADS_REFUSED.format(name=name))


def warm_kernels(scenario: Any) -> None:
    """Compile (or load) the serial kernels once here, so numba's cache is warm before workers
    start: otherwise every worker of a fresh checkout compiles the same kernels at once."""
    pop = np.zeros((2, scenario.layout.length))
    scenario.evaluate(pop, np.random.SeedSequence(0), episodes=1, parallel=False)
    scenario.assess(pop, worlds=1, seed=0)


def run_point(task: Task) -> pd.DataFrame:
    """One sweep point in a worker: evolve (resuming a checkpoint left by a killed sweep), assess,
    and keep the run directory; returns the assessment table."""
    scenario = task.factory(**task.knobs)
    if task.run_dir is None:
        run = evolve(scenario, task.config, progress=False)
        return scenario.assess(run.population, worlds=task.assess_worlds, seed=task.assess_seed)
    with locked(task.run_dir) as run_dir:  # evolve, assessment and point.json: one writer throughout
        resume = run_dir if has_checkpoint(run_dir) else None
        run = evolve(scenario, task.config, progress=False, out=run_dir, checkpoint_every=task.checkpoint_every,
                     resume=resume)
        table = scenario.assess(run.population, worlds=task.assess_worlds, seed=task.assess_seed)
        dataclasses.replace(run, assessment=table).save(run_dir)
        write_json(run_dir / POINT_FILE, task.record)  # last: the point is done
    return table
