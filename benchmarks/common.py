"""Shared pieces of the benchmark scripts: timing by medians, result files, the benchmark worlds.

Benchmarks print ratios measured in one run (the machines here are shared and noisy: compare
within a run, never against a number from another day).
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

import organisms
from scenarios import Feature, ItemKind, Objective, Scenario, WorldSpec

RESULTS = Path(__file__).resolve().parent / "results"

SIZES = {
    "small": ((10, 10), 10),
    "medium": ((12, 12), 20),
    "large": ((16, 16), 30),
}
"""World sizes of the throughput benchmarks: grid and number of items."""


def median_time(fn: Callable[[], object], repeats: int = 5, min_time: float = 0.0) -> float:
    """Median wall time of ``fn`` over ``repeats`` calls (each call repeated until ``min_time``)."""
    times = []
    for _ in range(repeats):
        n, start = 0, time.perf_counter()
        while True:
            fn()
            n += 1
            elapsed = time.perf_counter() - start
            if elapsed >= min_time:
                break
        times.append(elapsed / n)
    return statistics.median(times)


def machine() -> dict:
    return {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
            "processor": platform.processor() or platform.machine()}


def write_result(name: str, data: dict) -> Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps({"machine": machine(), **data}, indent=2) + "\n")
    return path


def bench_scenario(size: tuple[int, int], items: int, steps: int = 40, walls: float = 0.1) -> Scenario:
    """Three item kinds over three features, spread evenly: the planner has real choices to make."""
    per = items // 3
    return Scenario(
        name="bench",
        features=[Feature("a"), Feature("b"), Feature("c")],
        train=WorldSpec(size=size, steps=steps, walls=walls,
                        items=[ItemKind("x", {"a": 1.0, "b": -0.5}, per),
                               ItemKind("y", {"b": 1.0}, per),
                               ItemKind("z", {"c": 1.0, "a": -1.0}, items - 2 * per)]),
        base=Objective({"a": 1.0, "b": 1.0, "c": -1.0}),
    )


def population(sc: Scenario, kind: str, n: int, horizon: int | None = None, seed: int = 0) -> np.ndarray:
    """Random genomes of one kind; ``horizon`` (steps) fixes every planner's horizon."""
    layout = sc.layout
    pop = np.random.default_rng(seed).normal(size=(n, layout.length))
    pop[:, layout.kind] = 1.0 if kind == "planner" else -1.0
    pop[:, layout.mesa] = np.abs(pop[:, layout.mesa])  # planners that want something keep moving
    if horizon is not None:
        # Invert horizon = 1 + floor(sigmoid(g) * 24) at the middle of the step.
        p = min(max((horizon - 0.5) / organisms.HORIZON_CAP, 1e-6), 1 - 1e-6)
        pop[:, layout.horizon] = np.log(p / (1 - p))
    return pop
