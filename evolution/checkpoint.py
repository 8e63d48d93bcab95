"""Checkpoints of a run in progress: the strategy's state, the hall of fame and the log so far.

``checkpoint-<g>/`` in the run directory holds what is needed to evaluate generation g next:

    state.json   format marker, next generation, seed, optimizer name, the state's JSON fields
    arrays.npz   the state's arrays (``strategy.<field>``), ``hall_of_fame``, ``hall_of_fame_fitness``
    log.csv      the log of generations 0 .. g-1

Every field written is read back and checked; an unknown one is refused. That is the whole RNG
state too: every random draw derives from (seed, generation) through ``organisms.seeding``, so no
generator state needs saving. A checkpoint is written whole into ``.tmp-checkpoint-<g>/`` and then
renamed, so it exists complete or not at all; the older ones are removed after the rename. A kill
at any moment therefore leaves the latest complete checkpoint (maybe beside an older one, or a
temporary folder, both ignored and cleared by the next write). Checkpoints of the previous format
(``population.npz``, written by the GA before the strategy seam) are read as the GA's state.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from evolution.files import (
    read_csv,
    read_json,
    read_npz,
    write_csv,
    write_json,
    write_npz,
)
from evolution.strategy import Strategy
from organisms.records import check_keys, jsonable

PREFIX = "checkpoint-"
TEMPORARY = ".tmp-" + PREFIX
FORMAT = "basemesa-checkpoint"
VERSION = 2
STATE_KEYS = ("format", "version", "next_generation", "seed", "optimizer", "strategy")
HALL_OF_FAME = ("hall_of_fame", "hall_of_fame_fitness")
STRATEGY_ARRAY = "strategy."


def checkpoints(path: str | Path) -> list[tuple[int, Path]]:
    """The complete checkpoints in a run directory, as (next generation, folder), oldest first."""
    found = []
    for p in Path(path).glob(PREFIX + "*"):
        suffix = p.name[len(PREFIX):]
        if p.is_dir() and suffix.isdigit():
            found.append((int(suffix), p))
    return sorted(found)


def has_checkpoint(path: str | Path) -> bool:
    """Whether a run directory holds a checkpoint to resume from."""
    return bool(checkpoints(path))


def remove_checkpoints(path: str | Path, before: int | None = None) -> None:
    """Remove the checkpoints (those older than generation ``before``, if given) and any temporary
    folder a killed write left."""
    path = Path(path)
    for g, ck in checkpoints(path):
        if before is None or g < before:
            shutil.rmtree(ck, ignore_errors=True)
    for tmp in path.glob(TEMPORARY + "*"):
        if before is None or tmp.name != f"{TEMPORARY}{before}":
            shutil.rmtree(tmp, ignore_errors=True)


def write_checkpoint(path: Path, generation: int, seed: int, strategy: Strategy, state: Any,
                     log: pd.DataFrame, hall_of_fame: np.ndarray, hall_of_fame_fitness: np.ndarray) -> None:
    """Checkpoint before evaluating ``generation``: written whole, then renamed into place."""
    tmp = path / f"{TEMPORARY}{generation}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    fields, arrays = strategy.state_record(state)
    write_npz(tmp / "arrays.npz", hall_of_fame=hall_of_fame, hall_of_fame_fitness=hall_of_fame_fitness,
              **{STRATEGY_ARRAY + k: v for k, v in arrays.items()})
    write_csv(tmp / "log.csv", log)
    write_json(tmp / "state.json", {
        "format": FORMAT, "version": VERSION, "next_generation": generation, "seed": seed,
        "optimizer": strategy.name, "strategy": jsonable(fields),
    })
    final = path / f"{PREFIX}{generation}"
    shutil.rmtree(final, ignore_errors=True)
    tmp.rename(final)
    remove_checkpoints(path, before=generation)


def read_checkpoint(path: Path, config: Any, strategy: Strategy):
    """(next generation, strategy state, log so far, hall of fame, its fitness) from the latest
    checkpoint of a run directory; anything inconsistent is a ``ValueError`` naming the checkpoint."""
    points = checkpoints(path)
    if not points:
        if (path / "log.csv").exists():
            raise ValueError(f"resume: {path} is a finished run; there is nothing to resume")
        raise ValueError(f"resume: {path} holds no checkpoint to resume from (the run stopped before "
                         f"its first one); run it again")
    gen, ck = points[-1]
    try:
        if (ck / "population.npz").exists() and not (ck / "arrays.npz").exists():
            state, hof, hof_fit = _read_first_format(ck, gen, config, strategy)
        else:
            state, hof, hof_fit = _read(ck, gen, config, strategy)
    except ValueError as exc:
        raise ValueError(f"resume: checkpoint {ck} is unreadable ({exc})") from None
    log = read_csv(ck / "log.csv")
    if "generation" not in log.columns or log["generation"].tolist() != list(range(gen)) \
            or gen >= config.generations:
        raise ValueError(f"resume: checkpoint {ck} is inconsistent (generation {gen}, {len(log)} log rows)")
    if hof.ndim != 2 or hof.shape[1] != strategy.genome_length or hof_fit.shape != (len(hof),):
        raise ValueError(f"resume: checkpoint {ck} holds a hall of fame of the wrong shape for this run")
    return gen, state, log, hof, hof_fit


def _read(ck: Path, gen: int, config: Any, strategy: Strategy):
    head = check_keys(read_json(ck / "state.json"), str(ck / "state.json"), STATE_KEYS, STATE_KEYS)
    if head["format"] != FORMAT or head["version"] != VERSION:
        raise ValueError(f"format {head['format']!r} version {head['version']!r}, expected {FORMAT!r} {VERSION}")
    if head["next_generation"] != gen or head["seed"] != config.seed or head["optimizer"] != strategy.name:
        raise ValueError(f"written for generation {head['next_generation']}, seed {head['seed']}, optimizer "
                         f"{head['optimizer']!r}; this run is at {gen}, seed {config.seed}, {strategy.name!r}")
    arrays = read_npz(ck / "arrays.npz")
    unknown = sorted(k for k in arrays if k not in HALL_OF_FAME and not k.startswith(STRATEGY_ARRAY))
    missing = [k for k in HALL_OF_FAME if k not in arrays]
    if unknown or missing:
        raise ValueError(f"arrays.npz: unknown arrays {unknown}, missing arrays {missing}")
    state_arrays = {k[len(STRATEGY_ARRAY):]: v for k, v in arrays.items() if k.startswith(STRATEGY_ARRAY)}
    fields = check_keys(head["strategy"], "state.json strategy", list(head["strategy"]))
    state = strategy.state_from_record(fields, state_arrays)
    return state, arrays["hall_of_fame"], arrays["hall_of_fame_fitness"]


def _read_first_format(ck: Path, gen: int, config: Any, strategy: Strategy):
    """A checkpoint written before the strategy seam: the GA's bred population, in population.npz."""
    head = check_keys(read_json(ck / "state.json"), str(ck / "state.json"),
                      ("next_generation", "seed", "rng", "config"), ("next_generation", "seed"))
    if strategy.name != "ga" or head["next_generation"] != gen or head["seed"] != config.seed:
        raise ValueError(f"a GA checkpoint of generation {head['next_generation']}, seed {head['seed']}; "
                         f"this run is at {gen}, seed {config.seed}, optimizer {strategy.name!r}")
    arrays = read_npz(ck / "population.npz", ("population", *HALL_OF_FAME))
    state = strategy.state_from_record({}, {"population": arrays["population"].astype(np.float64)})
    return state, arrays["hall_of_fame"], arrays["hall_of_fame_fitness"]
