"""The run directory as a place: its header (config.json), who may write into it, and its lock.

config.json holds the Config and the scenario, so a loaded run can be assessed again. The scenario
is recorded by a stable key, not by a module path: ``{"key": "scenario", "data": {...}}``, where
the key names an entry point of the group ``basemesa.scenarios`` (declared in ``pyproject.toml``)
whose object is the scenario's class, rebuilt by its ``from_dict``. ``evolution`` never imports
``scenarios``: the entry point resolves the key at load time, survives the class moving to another
module (only the one line in ``pyproject.toml`` follows it), and lets another package register a
scenario class of its own. Run directories of version 1 recorded ``"loader": "<module>:<class>
.from_dict"``; those paths are mapped to their keys, so the old directories still load.

A run never silently destroys another: ``claim`` refuses to write into a directory that holds a
different run (or files that are not a run) unless asked to overwrite, and ``locked`` keeps a
second process out of a directory in use (``fcntl.flock`` on ``.lock``; the kernel releases it
when the process ends, crash or not).
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

from evolution.checkpoint import PREFIX, TEMPORARY
from evolution.config import Config
from evolution.files import read_json, write_json
from organisms.records import check_keys, jsonable

FORMAT = "basemesa-run"
"""Marker in config.json that tells a run directory from any other folder."""
VERSION = 2
"""2: the scenario recorded by key, Config with optimizer fields. 1: by module path (still read)."""
SCENARIO_GROUP = "basemesa.scenarios"
"""Entry-point group naming the scenario classes a run directory can rebuild."""
FIRST_FORMAT_LOADERS = {"scenarios.engine.scenario:Scenario.from_dict": "scenario"}
"""Version 1's loader paths and the keys they stand for (the paths are history, never imported)."""
LOCK = ".lock"
RUN_FILES = ("log.csv", "population.npz", "summary.json", "assessment.csv")
"""What a finished run leaves beside config.json (figures and point.json belong to their writers)."""

_held: dict[Path, tuple[int, int]] = {}
"""Run directories this process has locked: path -> (file descriptor, nesting depth)."""


def _registered() -> dict[str, Any]:
    return {ep.name: ep for ep in entry_points(group=SCENARIO_GROUP)}


def scenario_record(scenario: Any) -> dict:
    """How config.json stores a scenario: its key (None when its class is not registered, e.g. a
    test's wrapper: such a run cannot be loaded back) and its data."""
    key = next((name for name, ep in _registered().items() if ep.load() is type(scenario)), None)
    return {"key": key, "data": scenario.to_dict()}


def load_scenario(record: Any) -> Any:
    """Rebuild a scenario from ``scenario_record`` output (or a version-1 record)."""
    if isinstance(record, dict) and "loader" in record:
        record = check_keys(record, "config.json scenario", ("loader", "data"), ("loader", "data"))
        key = FIRST_FORMAT_LOADERS.get(record["loader"])
    else:
        record = check_keys(record, "config.json scenario", ("key", "data"), ("key", "data"))
        key = record["key"]
    found = _registered()
    if key not in found:
        raise ValueError(f"config.json: no scenario class registered as {key!r} (entry points "
                         f"{SCENARIO_GROUP!r}: {sorted(found)}); is basemesa installed?")
    return found[key].load().from_dict(record["data"])


def read_run_header(path: str | Path) -> tuple[Config, dict]:
    """The Config and scenario record of a run directory, checking it is one."""
    path = Path(path)
    if not path.is_dir():
        raise ValueError(f"{path}: not a directory; expected a basemesa run directory")
    head = read_json(path / "config.json")
    if not isinstance(head, dict) or head.get("format") != FORMAT:
        raise ValueError(f"{path / 'config.json'}: not a basemesa run (no format marker {FORMAT!r})")
    if head.get("version") not in (1, VERSION):
        raise ValueError(f"{path}: run format version {head.get('version')!r}, this basemesa reads 1 and {VERSION}")
    keys = ("format", "version", "config", "scenario")
    check_keys(head, str(path / "config.json"), keys, keys)
    try:
        config = Config.from_dict(head["config"])
    except TypeError as exc:
        raise ValueError(f"{path / 'config.json'}: malformed config ({exc})") from None
    return config, head["scenario"]


def write_run_header(path: Path, config: Config, scenario: Any) -> None:
    write_json(Path(path) / "config.json", {
        "format": FORMAT, "version": VERSION, "config": config.to_dict(),
        "scenario": scenario_record(scenario),
    })


def same_run(path: Path, config: Config, scenario: Any) -> bool:
    """Whether the run directory holds a run of this Config (``workers`` aside: it does not change
    results) on this scenario: one that this run would repeat bit for bit."""
    saved, record = read_run_header(path)
    data = record.get("data") if isinstance(record, dict) else None
    return saved.replace(workers=config.workers) == config and data == jsonable(scenario.to_dict())


def claim(path: Path, config: Config, scenario: Any, overwrite: bool) -> bool:
    """Check that this run may write into ``path``; returns whether it holds another run (or other
    files) that ``overwrite`` allows replacing. Refused with a ``ValueError`` otherwise."""
    if not path.exists():
        return False
    if not path.is_dir():
        raise ValueError(f"out: {path} exists and is not a directory")
    if not any(p.name != LOCK for p in path.iterdir()):
        return False
    try:
        if same_run(path, config, scenario):
            return False
        what = "a different run"
    except ValueError:
        what = "files that are not a basemesa run"
    if overwrite:
        return True
    raise ValueError(f"out: {path} holds {what}; choose another directory, or overwrite it on purpose "
                     f"(overwrite=True, --overwrite on the command line)")


def clear_run(path: Path) -> None:
    """Remove what a previous run left in ``path`` (results, checkpoints, temporary folders), so a
    fresh run's directory never mixes with an old one's."""
    for name in RUN_FILES:
        (path / name).unlink(missing_ok=True)
    for p in [*path.glob(PREFIX + "*"), *path.glob(TEMPORARY + "*")]:
        shutil.rmtree(p, ignore_errors=True)


@contextmanager
def locked(path: str | Path) -> Iterator[Path]:
    """Hold the run directory's lock (creating the directory); a directory another process holds is a
    ``ValueError``. Re-entrant within a process."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    key = path.resolve()
    if key in _held:
        fd, depth = _held[key]
        _held[key] = (fd, depth + 1)
    else:
        fd = os.open(path / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 64).decode(errors="replace").strip() or "?"
            os.close(fd)
            raise ValueError(f"out: {path} is in use by another process (pid {holder}); wait for it to "
                             f"finish or write elsewhere") from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        _held[key] = (fd, 1)
    try:
        yield path
    finally:
        fd, depth = _held[key]
        if depth > 1:
            _held[key] = (fd, depth - 1)
        else:
            del _held[key]
            os.close(fd)  # closing the descriptor releases the lock
