"""What a run produced, and the run directory that holds it (JSON, CSV and npz; never pickle).

A run directory::

    config.json      the Config and the Scenario (so a loaded run can be assessed again)
    log.csv          a row per generation
    population.npz   final population, its fitness, the hall of fame
    summary.json     headline numbers of the final generation (and of the assessment, if any)
    assessment.csv   the assessment table, when the run was assessed
    checkpoint-<g>/  the latest checkpoint while a run is in progress (see ``evolve``)

Every file is written to a temporary name and renamed into place, so a crash never leaves a
half-written file behind.
"""

from __future__ import annotations

import importlib
import json
import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from evolution.config import Config

FORMAT = "basemesa-run"
"""Marker in config.json that tells a run directory from any other folder."""
VERSION = 1


def atomic_write(path: Path, write) -> None:
    """Call ``write(tmp_path)`` then rename the temporary file onto ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json(path: Path, data: Any) -> None:
    atomic_write(path, lambda p: p.write_text(json.dumps(data, indent=2, allow_nan=True) + "\n"))


def write_csv(path: Path, frame: pd.DataFrame) -> None:
    atomic_write(path, lambda p: frame.to_csv(p, index=False))


def write_npz(path: Path, **arrays: np.ndarray) -> None:
    def write(p: Path) -> None:
        with open(p, "wb") as fh:
            np.savez(fh, **arrays)

    atomic_write(path, write)


def read_json(path: Path) -> Any:
    try:
        return json.loads(Path(path).read_text())
    except FileNotFoundError:
        raise ValueError(f"{path}: missing; not a basemesa run directory") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: not valid JSON ({exc})") from None


def read_csv(path: Path) -> pd.DataFrame:
    try:
        with open(path, "rb") as fh:
            fh.seek(0, os.SEEK_END)
            if fh.tell() == 0:
                raise ValueError(f"{path}: empty; truncated or not a basemesa table")
            fh.seek(-1, os.SEEK_END)
            # Every table is written whole, ending in a newline: without one the file was cut short.
            if fh.read(1) != b"\n":
                raise ValueError(f"{path}: truncated (no final newline)")
        return pd.read_csv(path)
    except FileNotFoundError:
        raise ValueError(f"{path}: missing; not a basemesa run directory") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: not a readable CSV table ({exc})") from None


def read_npz(path: Path, keys: tuple[str, ...]) -> dict[str, np.ndarray]:
    """The named arrays of an npz file; never unpickles (an object array is refused)."""
    try:
        data = np.load(path, allow_pickle=False)
        if not isinstance(data, np.lib.npyio.NpzFile):
            raise ValueError(f"{path}: a single array, not an npz archive")
        with data:
            missing = [k for k in keys if k not in data.files]
            if missing:
                raise ValueError(f"{path}: missing arrays {missing}")
            arrays = {k: data[k] for k in keys}
    except FileNotFoundError:
        raise ValueError(f"{path}: missing; not a basemesa run directory") from None
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ValueError(f"{path}: truncated or corrupted ({exc})") from None
    except ValueError as exc:
        if str(exc).startswith(str(path)):
            raise
        raise ValueError(f"{path}: unreadable ({exc})") from None
    for k, a in arrays.items():
        if a.dtype.kind not in "fiub":
            raise ValueError(f"{path}: array {k!r} holds {a.dtype} data, expected numbers")
    return arrays


def scenario_record(scenario: Any) -> dict:
    """How config.json stores a scenario: its data and the loader that rebuilds it."""
    loader = getattr(type(scenario), "from_dict", None)
    return {
        "loader": f"{type(scenario).__module__}:{type(scenario).__qualname__}.from_dict" if loader else None,
        "data": scenario.to_dict(),
    }


def load_scenario(record: dict) -> Any:
    """Rebuild a scenario from ``scenario_record`` output (imports its class by name)."""
    try:
        module, attr = record["loader"].split(":")
        obj: Any = importlib.import_module(module)
        for part in attr.split("."):
            obj = getattr(obj, part)
    except (KeyError, AttributeError, ValueError, ImportError) as exc:
        raise ValueError(f"config.json: cannot find the scenario loader ({exc})") from None
    return obj(record["data"])


def read_run_header(path: Path) -> tuple[Config, dict]:
    """The Config and scenario record of a run directory, checking it is one."""
    path = Path(path)
    if not path.is_dir():
        raise ValueError(f"{path}: not a directory; expected a basemesa run directory")
    head = read_json(path / "config.json")
    if not isinstance(head, dict) or head.get("format") != FORMAT:
        raise ValueError(f"{path / 'config.json'}: not a basemesa run (no format marker {FORMAT!r})")
    if head.get("version") != VERSION:
        raise ValueError(f"{path}: run format version {head.get('version')!r}, this basemesa reads {VERSION}")
    try:
        config = Config.from_dict(head["config"])
    except (KeyError, TypeError) as exc:
        raise ValueError(f"{path / 'config.json'}: malformed config ({exc})") from None
    return config, head["scenario"]


def write_run_header(path: Path, config: Config, scenario: Any) -> None:
    write_json(Path(path) / "config.json", {
        "format": FORMAT, "version": VERSION, "config": config.to_dict(),
        "scenario": scenario_record(scenario),
    })


@dataclass(frozen=True)
class RunResult:
    """What happened in one run of the base optimizer."""

    scenario: Any
    """The scenario evolved on."""
    config: Config
    """The Config the run used."""
    log: pd.DataFrame
    """A row per generation (see README: run.log columns)."""
    population: np.ndarray
    """(n, genome_length) final population (the one the last log row measured)."""
    fitness: np.ndarray
    """(n,) its fitness in the last generation."""
    hall_of_fame: np.ndarray
    """(k, genome_length) best distinct organisms ever evaluated, best first."""
    hall_of_fame_fitness: np.ndarray
    """(k,) their fitness when they were evaluated."""
    assessment: pd.DataFrame | None = None
    """``scenarios.assess`` table of the final population, if the run was assessed."""

    def summary(self) -> dict:
        """Headline numbers of the last generation (and of the assessment, if any)."""
        last = self.log.iloc[-1].to_dict()
        out: dict[str, Any] = {"scenario": getattr(self.scenario, "name", None),
                               "seed": self.config.seed, "generations": int(len(self.log))}
        out.update({k: (None if pd.isna(v) else float(v)) for k, v in last.items() if k != "generation"})
        if self.assessment is not None:
            means = self.assessment.groupby("distribution")[["base", "oracle_base", "agreement"]].mean()
            out["assessment"] = {
                d: {k: (None if pd.isna(v) else float(v)) for k, v in row.items()}
                for d, row in means.iterrows()
            }
        return out

    def _repr_html_(self) -> str:
        from evolution.display import run_html

        return run_html(self)

    def save(self, path: str | os.PathLike) -> Path:
        """Write the run directory (atomically, file by file) and return its path."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        write_run_header(path, self.config, self.scenario)
        write_csv(path / "log.csv", self.log)
        write_npz(path / "population.npz", population=self.population, fitness=self.fitness,
                  hall_of_fame=self.hall_of_fame, hall_of_fame_fitness=self.hall_of_fame_fitness)
        if self.assessment is not None:
            write_csv(path / "assessment.csv", self.assessment)
        write_json(path / "summary.json", self.summary())
        return path

    @classmethod
    def load(cls, path: str | os.PathLike) -> RunResult:
        """Read a run directory written by ``save``; a truncated, corrupted or foreign one raises
        ``ValueError`` saying which file is wrong."""
        path = Path(path)
        config, record = read_run_header(path)
        if not (path / "log.csv").exists() and any(path.glob("checkpoint-*")):
            raise ValueError(f"{path}: an unfinished run (it has a checkpoint); resume it first")
        arrays = read_npz(path / "population.npz",
                          ("population", "fitness", "hall_of_fame", "hall_of_fame_fitness"))
        log = read_csv(path / "log.csv")
        if "generation" not in log.columns or log["generation"].tolist() != list(range(config.generations)):
            raise ValueError(f"{path / 'log.csv'}: not the log of this run (expected generations "
                             f"0..{config.generations - 1})")
        scenario = load_scenario(record)
        _check_arrays(path / "population.npz", arrays, config.population, scenario.layout.length)
        assessment = None
        if (path / "assessment.csv").exists():
            assessment = read_csv(path / "assessment.csv")
            if not {"organism", "distribution"} <= set(assessment.columns) or len(assessment) == 0:
                raise ValueError(f"{path / 'assessment.csv'}: not an assessment table")
        return cls(scenario=scenario, config=config, log=log, assessment=assessment, **arrays)


def _check_arrays(path: Path, arrays: dict[str, np.ndarray], population: int, genome_length: int) -> None:
    """Shapes a run's arrays must have, so a foreign or mismatched npz is refused on load."""
    pop, fit = arrays["population"], arrays["fitness"]
    hof, hof_fit = arrays["hall_of_fame"], arrays["hall_of_fame_fitness"]
    if (pop.shape != (population, genome_length) or fit.shape != (population,) or hof.ndim != 2
            or hof.shape[1] != genome_length or hof_fit.shape != (len(hof),)):
        raise ValueError(f"{path}: arrays of the wrong shape for this run (population {pop.shape}, "
                         f"expected {(population, genome_length)})")
