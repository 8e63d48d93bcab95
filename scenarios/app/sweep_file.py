"""A sweep declared in a TOML file, for ``basemesa sweep FILE.toml``. Every mistake is a
``ValueError`` that names the file and the bad key. An example::

    scenario = "aurora"                 # a built-in scenario (basemesa list)
    seeds = [0, 1]                      # run seeds (or a count: 5 means 0..4)
    executor = "process"                # "process", "serial" or a Dask scheduler address
    out = "runs/sweep-aurora"           # where each point's run directory goes
    assess_worlds = 300                 # worlds per distribution in each point's assessment

    [grid]                              # scenario knobs and Config fields, each a list of values
    banner_reliability = [0.5, 1.0]

    [knobs]                             # scenario knobs held fixed
    sensor_cost = 0.2

    [config]                            # Config fields held fixed (over the scenario's recommended ones)
    generations = 40
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - the dependency is declared for Python < 3.11 only
    import tomli as tomllib

EXECUTORS = ("process", "serial")
"""Named executors; any other value of ``executor`` must be a Dask scheduler address (``tcp://host:port``)."""


@dataclass(frozen=True)
class SweepFile:
    """A validated sweep file: what ``evolution.sweep`` is called with."""

    scenario: str
    """A built-in scenario name."""
    grid: dict
    """Key -> list of values; keys are the scenario's knobs or Config fields."""
    seeds: list
    """Run seeds; every grid combination runs once per seed."""
    knobs: dict = field(default_factory=dict)
    """Scenario knobs held fixed at every point."""
    config: dict = field(default_factory=dict)
    """Config fields held fixed at every point (over the scenario's recommended Config)."""
    executor: str = "process"
    """"process" (a pool of worker processes), "serial" (one worker process, points one after
    another) or a Dask scheduler address (``tcp://host:8786``; ``out`` must be on a filesystem the
    workers share)."""
    workers: int | None = None
    """Worker processes of the "process" executor (None: one per core, at most one per point)."""
    out: str | None = None
    """The folder each point's run directory goes into (relative to the current directory); a
    killed sweep started again resumes there. None: ``runs/sweep-<file name>``."""
    assess_worlds: int = 300
    """Worlds per distribution in each point's assessment."""
    assess_seed: int = 0
    """The assessment seed, the same for every point."""
    checkpoint_every: int | None = 10
    """Each run's checkpoint interval in generations."""


KEYS = tuple(SweepFile.__dataclass_fields__)
"""The keys a sweep file may hold."""


def _check_int(value: Any, where: str, lo: int, allow_none: bool = False) -> None:
    if allow_none and value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < lo:
        raise ValueError(f"{where}: must be an integer >= {lo}, got {value!r}")


def _check_table(value: Any, where: str) -> dict:
    if not isinstance(value, dict):
        raise ValueError(f"{where}: must be a table ([{where.rsplit(' ', 1)[-1]}] with key = value lines), "
                         f"got {value!r}")
    return value


def parse_sweep(data: dict, source: str) -> SweepFile:
    """A ``SweepFile`` from a parsed TOML document; ``source`` names the file in errors."""
    from scenarios.registry import knob_names, names

    unknown = [k for k in data if k not in KEYS]
    if unknown:
        raise ValueError(f"{source}: unknown key(s) {unknown}; valid keys are {list(KEYS)}")
    for key in ("scenario", "grid", "seeds"):
        if key not in data:
            raise ValueError(f"{source}: key {key!r} is missing (a sweep needs scenario, grid and seeds)")
    name = data["scenario"]
    if name not in names():
        raise ValueError(f"{source}: key 'scenario': unknown scenario {name!r}; valid names are {names()}")
    grid = _check_table(data["grid"], f"{source}: key grid")
    for key, values in grid.items():
        if not isinstance(values, list):
            raise ValueError(f"{source}: key grid.{key}: must be a list of values, got {values!r}")
    seeds = data["seeds"]
    if isinstance(seeds, int) and not isinstance(seeds, bool):
        _check_int(seeds, f"{source}: key 'seeds'", 1)
        seeds = list(range(seeds))
    elif not isinstance(seeds, list) or not all(isinstance(s, int) and not isinstance(s, bool) for s in seeds):
        raise ValueError(f"{source}: key 'seeds': must be a list of integers >= 0 or a count, got {seeds!r}")
    knobs = _check_table(data.get("knobs", {}), f"{source}: key knobs")
    valid = knob_names(name)
    for key in knobs:
        if key not in valid:
            raise ValueError(f"{source}: key knobs.{key}: not a knob of {name}; its knobs are {valid}")
        if key in grid:
            raise ValueError(f"{source}: key knobs.{key}: also in [grid]; give it in one of them")
    config = _check_table(data.get("config", {}), f"{source}: key config")
    for key in ("seed", "workers"):
        if key in config:
            why = "seeds come from the key seeds" if key == "seed" else "each point runs on one worker thread"
            raise ValueError(f"{source}: key config.{key}: not allowed ({why})")
    executor = data.get("executor", "process")
    if not isinstance(executor, str) or not (executor in EXECUTORS or "://" in executor):
        raise ValueError(f"{source}: key 'executor': must be one of {list(EXECUTORS)} or a Dask scheduler "
                         f"address such as 'tcp://host:8786', got {executor!r}")
    _check_int(data.get("workers"), f"{source}: key 'workers'", 1, allow_none=True)
    if data.get("workers") is not None and executor != "process":
        raise ValueError(f"{source}: key 'workers': only for executor = \"process\", not {executor!r}")
    out = data.get("out")
    if out is not None and (not isinstance(out, str) or not out):
        raise ValueError(f"{source}: key 'out': must be a folder path (a string), got {out!r}")
    _check_int(data.get("assess_worlds", 300), f"{source}: key 'assess_worlds'", 1)
    _check_int(data.get("assess_seed", 0), f"{source}: key 'assess_seed'", 0)
    _check_int(data.get("checkpoint_every", 10), f"{source}: key 'checkpoint_every'", 1)
    return SweepFile(**{**data, "grid": dict(grid), "seeds": seeds, "knobs": dict(knobs), "config": dict(config)})


def read_sweep(path: str | Path) -> SweepFile:
    """Read and validate a sweep file (a missing file or bad TOML is a ``ValueError`` too)."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValueError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path}: not valid TOML ({exc})") from None
    return parse_sweep(data, str(path))


def sweep_arguments(spec: SweepFile, source: str = "sweep file") -> dict[str, Any]:
    """The checked keyword arguments of ``evolution.sweep`` (but ``executor`` and ``out``): the
    factory, grid, seeds, Config and assessment settings. A grid key or Config field that the
    sweep refuses is a ``ValueError`` naming it."""
    import functools

    from evolution import Config
    from evolution.sweeps import plan
    from scenarios.registry import get

    factory = functools.partial(get, spec.scenario, **spec.knobs)
    try:
        config = Config.for_scenario(factory(), **spec.config)
    except ValueError as exc:
        raise ValueError(f"{source}: [config] or [knobs]: {exc}") from None
    try:
        plan(factory, spec.grid, spec.seeds, config)  # every point resolves before any runs
    except ValueError as exc:
        raise ValueError(f"{source}: [grid] or seeds: {exc}") from None
    return {"factory": factory, "grid": spec.grid, "seeds": spec.seeds, "config": config,
            "assess_worlds": spec.assess_worlds, "assess_seed": spec.assess_seed,
            "checkpoint_every": spec.checkpoint_every}
