"""Sweeps: the Cartesian product of a parameter grid times a list of seeds, each point one
``evolve`` and one assessment, run on worker processes and returned as one tidy table.

    import functools, evolution, scenarios
    table = evolution.sweep(functools.partial(scenarios.get, "aurora"),
                            grid={"banner_reliability": [0.5, 1.0], "population": [50, 100]},
                            seeds=range(5), config=evolution.Config(generations=40), out="study")
    table.groupby(["banner_reliability", "population", "distribution"])["agreement"].mean()

A script that runs a sweep on the default process pool must guard its entry point with
``if __name__ == "__main__":`` (worker processes are started by spawn and import the script).
"""

from __future__ import annotations

import inspect
import itertools
import json
import pickle
import re
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from evolution.config import OPTION_ALIASES, Config
from evolution.files import read_json
from evolution.loop import show_progress
from evolution.protocol import check_scenario
from evolution.result import RunResult
from evolution.workers import POINT_FILE, Task, check_executor, default_executor, run_point, warm_kernels
from organisms.records import jsonable
from organisms.seeding import run_assessment_seed
from organisms.validation import is_integer

POINT_FORMAT = "basemesa-sweep-point"
RESERVED = {"seed": "seeds come from the seeds argument", "workers": "each point runs on one worker thread"}
"""Config fields a grid may not vary, and why."""


@dataclass(frozen=True)
class Point:
    """One point of a sweep: grid values and a seed, resolved into a scenario and a Config."""

    name: str
    """Readable and stable; the point's run directory under ``out``."""
    values: dict
    """Grid key -> value, in grid order."""
    seed: int
    knobs: dict
    """The scenario's share of ``values``."""
    scenario: Any
    config: Config


def _grid_value(value: Any) -> Any:
    """A grid value as JSON gives it back, but with lists as tuples: hashable, and named by ``_slug``."""
    value = jsonable(value)
    return tuple(_grid_value(v) for v in value) if isinstance(value, list) else value


def _check_grid(grid: Any) -> dict[str, list]:
    if not isinstance(grid, Mapping):
        raise ValueError(f"grid: must be a mapping of key -> list of values, got {type(grid).__name__}")
    checked = {}
    for key, values in grid.items():
        if not isinstance(key, str):
            raise ValueError(f"grid: keys must be strings, got {key!r}")
        if key in RESERVED:
            raise ValueError(f"grid[{key!r}]: not allowed in a grid ({RESERVED[key]})")
        if isinstance(values, (str, bytes, Mapping)) or not isinstance(values, Iterable):
            raise ValueError(f"grid[{key!r}]: must be a list of values, got {values!r}")
        values = [_grid_value(v) for v in values]
        if not values:
            raise ValueError(f"grid[{key!r}]: empty list of values; give at least one")
        for v in values:
            try:
                json.dumps(v, allow_nan=False)
            except (TypeError, ValueError):
                raise ValueError(f"grid[{key!r}]: values must be numbers, strings, booleans or tuples of "
                                 f"them, got {v!r}") from None
        if len({json.dumps(v) for v in values}) != len(values):
            raise ValueError(f"grid[{key!r}]: values must be distinct, got {values}")
        checked[key] = values
    return checked


def _check_seeds(seeds: Any) -> list[int]:
    if isinstance(seeds, (str, bytes)) or not isinstance(seeds, Iterable):
        raise ValueError(f"seeds: must be a list of integers >= 0 (e.g. range(5)), got {seeds!r}")
    seeds = list(seeds)
    if not seeds:
        raise ValueError("seeds: empty; give at least one seed (e.g. range(5))")
    for s in seeds:
        if not is_integer(s) or s < 0:
            raise ValueError(f"seeds: must be integers >= 0, got {s!r}")
    if len(set(seeds)) != len(seeds):
        raise ValueError(f"seeds: must be distinct, got {seeds}")
    return [int(s) for s in seeds]


def _factory_knobs(factory: Callable[..., Any]) -> list[str] | None:
    """The keyword arguments the factory takes: its named parameters, or for a ``**knobs`` factory
    (``functools.partial(scenarios.get, name)``) the knobs its default scenario records; None when
    neither tells."""
    try:
        params = list(inspect.signature(factory).parameters.values())
    except (TypeError, ValueError):
        return None
    if not any(p.kind is p.VAR_KEYWORD for p in params):
        return [p.name for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
    try:
        knobs = getattr(factory(), "knobs", None)
    except Exception:  # the factory needs arguments: its knobs cannot be listed
        return None
    return list(knobs) if isinstance(knobs, Mapping) and knobs else None


def _slug(value: Any) -> str:
    text = "+".join(_slug(v) for v in value) if isinstance(value, tuple) else str(value)
    return re.sub(r"[^A-Za-z0-9._+]", "_", text)


def point_name(scenario_name: str, values: Mapping[str, Any], seed: int) -> str:
    """``<scenario>-<key>=<value>-...-seed=<seed>``: the point's run directory name."""
    parts = [_slug(scenario_name)] + [f"{k}={_slug(v)}" for k, v in values.items()] + [f"seed={seed}"]
    return "-".join(parts)


def _scenario(factory: Callable[..., Any], knobs: dict, fields: list[str]) -> Any:
    try:
        sc = factory(**knobs)
    except TypeError as exc:
        raise ValueError(f"grid: key(s) {sorted(knobs)} are not Config fields {fields}, and the scenario "
                         f"factory refused them ({exc})") from None
    check_scenario(sc)
    return sc


def plan(factory: Callable[..., Any], grid: Mapping[str, Iterable], seeds: Iterable[int],
         config: Config | None = None) -> list[Point]:
    """The sweep's points, validated, in order: grid values in product order, seeds innermost."""
    if not callable(factory):
        raise ValueError(f"factory: must be a callable returning a Scenario, got {factory!r}")
    try:
        pickle.dumps(factory)
    except Exception as exc:
        raise ValueError(f"factory: must be picklable to reach worker processes (a module-level function "
                         f"or functools.partial of one), got {factory!r} ({exc})") from None
    if config is not None and not isinstance(config, Config):
        raise ValueError(f"config: must be an evolution.Config or None, got {type(config).__name__}")
    grid = _check_grid(grid)
    seeds = _check_seeds(seeds)
    fields = [f for f in [*Config.field_names(), *OPTION_ALIASES] if f not in RESERVED]
    knob_names = _factory_knobs(factory)
    scenario_keys = [k for k in grid if k not in fields]
    unknown = [k for k in scenario_keys if knob_names is not None and k not in knob_names]
    if unknown:
        raise ValueError(f"grid: unknown key(s) {unknown}; Config fields are {fields}, "
                         f"scenario knobs are {knob_names}")
    scenarios: dict[str, Any] = {}
    points = []
    for combo in itertools.product(*grid.values()):
        values = dict(zip(grid, combo))
        knobs = {k: v for k, v in values.items() if k in scenario_keys}
        overrides = {k: v for k, v in values.items() if k not in scenario_keys}
        key = json.dumps(knobs, sort_keys=True)
        if key not in scenarios:
            scenarios[key] = _scenario(factory, knobs, fields)
        sc = scenarios[key]
        for seed in seeds:
            cfg = (Config.for_scenario(sc, **overrides, seed=seed, workers=1) if config is None
                   else config.replace(**overrides, seed=seed, workers=1))
            name = point_name(getattr(sc, "name", "scenario"), values, seed)
            points.append(Point(name, values, seed, knobs, sc, cfg))
    names = [p.name for p in points]
    if len(set(names)) != len(names):
        raise ValueError(f"grid: values that differ only in punctuation give clashing point names "
                         f"{sorted({n for n in names if names.count(n) > 1})}")
    return points


def _record(point: Point, assess_worlds: int, assess_seed: int) -> dict:
    """What a finished point's ``point.json`` holds (as read back from JSON)."""
    return json.loads(json.dumps({
        "format": POINT_FORMAT, "values": point.values, "seed": point.seed,
        "config": point.config.to_dict(), "scenario": point.scenario.to_dict(),
        "assess_worlds": assess_worlds, "assess_seed": assess_seed,
    }))


def _finished(run_dir: Path, record: dict) -> pd.DataFrame | None:
    """A done point's assessment table, None if the point is not done; another point's directory
    in its place is a ``ValueError``."""
    if not (run_dir / POINT_FILE).exists():
        return None
    saved = read_json(run_dir / POINT_FILE)
    if isinstance(saved, dict) and isinstance(saved.get("config"), dict):
        try:  # a point saved before a Config field existed: compare the Configs, not their dicts
            saved = {**saved, "config": Config.from_dict(saved["config"]).to_dict()}
        except (ValueError, TypeError):
            pass  # left as it is, so it differs and is reported below
    if saved != record:
        differ = sorted(k for k in record if not isinstance(saved, dict) or saved.get(k) != record[k])
        raise ValueError(f"{run_dir}: holds a sweep point that differs in {differ}; remove it or sweep "
                         f"into another out folder")
    run = RunResult.load(run_dir)
    if run.assessment is None:
        raise ValueError(f"{run_dir}: marked done but holds no assessment.csv; remove it to run it again")
    return run.assessment


def _check_int(value: Any, name: str, allow_none: bool = False) -> None:
    if value is None and allow_none:
        return
    if not is_integer(value) or value < (0 if name == "assess_seed" else 1):
        bound = ">= 0" if name == "assess_seed" else ">= 1"
        raise ValueError(f"{name}: must be an integer {bound}{' or None' if allow_none else ''}, got {value!r}")


def _tidy(points: list[Point], tables: dict[int, pd.DataFrame]) -> pd.DataFrame:
    frames = []
    for i, p in enumerate(points):
        table = tables[i]
        clash = [c for c in (*p.values, "seed") if c in table.columns]
        if clash:
            raise ValueError(f"grid: key(s) {clash} clash with assessment columns; rename the knob")
        front = pd.DataFrame({**{k: [v] * len(table) for k, v in p.values.items()},
                              "seed": np.full(len(table), p.seed, dtype=np.int64)}, index=table.index)
        frames.append(pd.concat([front, table], axis=1))
    return pd.concat(frames, ignore_index=True)


def sweep(factory: Callable[..., Any], grid: Mapping[str, Iterable], seeds: Iterable[int],
          config: Config | None = None, executor: Any = None, out: str | Path | None = None, *,
          assess_worlds: int = 300, assess_seed: int = 0, checkpoint_every: int | None = 10,
          progress: bool | None = None, resample_worlds: bool = False) -> pd.DataFrame:
    """Evolve and assess every point of ``grid`` × ``seeds`` on worker processes.

    Args:
        factory: a picklable callable taking the grid's scenario keys as keyword arguments and
            returning a Scenario (``functools.partial(scenarios.get, "aurora")``).
        grid: key -> list of values. Keys that are Config fields (but ``seed`` and ``workers``) go
            to the config; the others to the factory; any other key is a ``ValueError``. With
            ``optimizer`` in the grid, a point whose optimizer differs from ``config``'s runs it at
            its default options (``Config.replace``); one that matches keeps ``config``'s options.
        seeds: run seeds; every grid combination runs once per seed.
        config: the Config each point starts from (None: the scenario's recommended one).
        executor: a process-based ``concurrent.futures.Executor`` (a Dask cluster:
            ``dask.distributed.Client(address).get_executor()``, with ``out`` on a filesystem the
            workers share). None: a process pool sized to the machine. Thread executors are refused.
        out: a folder; each point's run directory (with its assessment) is kept there as
            ``out/<point name>``, points already done are loaded instead of run again, and a point
            cut off mid-run resumes from its last checkpoint. So a killed sweep resumes where it was.
        assess_worlds: worlds per distribution in each point's assessment.
        assess_seed: the assessment seed (the same for every point, so points compare on equal worlds).
        resample_worlds: assess each point on worlds of its own, fixed by ``assess_seed`` and the
            point's run seed (``organisms.seeding.run_assessment_seed``), so that a summary over seeds
            includes the sampling of assessment worlds; the same for every grid point of one seed.
        checkpoint_every: with ``out``, each run's checkpoint interval in generations (None: none).
        progress: a progress bar over points (None: only when stderr is a terminal).

    Returns:
        The tidy table: every point's assessment rows (one per organism × distribution, the
        ``scenarios.assess`` columns) with the grid keys and ``seed`` as leading columns; rows in
        point order (grid product order, seeds innermost), whatever order points finished in. The
        same seed gives the same table, bit for bit, whatever the executor and its worker count.
    """
    _check_int(assess_worlds, "assess_worlds")
    _check_int(assess_seed, "assess_seed")
    _check_int(checkpoint_every, "checkpoint_every", allow_none=True)
    points = plan(factory, grid, seeds, config)
    if executor is not None:
        check_executor(executor)
    out = None if out is None else Path(out)
    if out is not None and out.exists() and not out.is_dir():
        raise ValueError(f"out: {out} exists and is not a folder")
    tables: dict[int, pd.DataFrame] = {}
    pending: list[tuple[int, Task]] = []
    if not isinstance(resample_worlds, bool):
        raise ValueError(f"resample_worlds: must be True or False, got {resample_worlds!r}")
    for i, p in enumerate(points):
        point_seed = run_assessment_seed(assess_seed, p.seed) if resample_worlds else assess_seed
        record = _record(p, assess_worlds, point_seed)
        run_dir = None if out is None else out / p.name
        done = None if run_dir is None else _finished(run_dir, record)
        if done is not None:
            tables[i] = done
            continue
        pending.append((i, Task(factory, p.knobs, p.config, None if run_dir is None else str(run_dir),
                                record, assess_worlds, point_seed, checkpoint_every)))
    bar = tqdm(total=len(points), initial=len(tables), disable=not show_progress(progress),
               desc="sweep", unit="point")
    if pending:
        warm_kernels(points[pending[0][0]].scenario)
        own = executor is None
        pool = default_executor(len(pending)) if own else executor
        futures = {}
        try:
            futures = {pool.submit(run_point, task): i for i, task in pending}
            for fut in as_completed(futures):
                tables[futures[fut]] = fut.result()
                bar.update(1)
        except BaseException:
            for fut in futures:
                fut.cancel()
            if own:
                pool.shutdown(wait=False, cancel_futures=True)
            raise
        if own:
            pool.shutdown(wait=True)
    bar.close()
    return _tidy(points, tables)
