"""What a run produced, and the run directory that holds it (JSON, CSV and npz; never pickle).

A run directory::

    config.json      the Config and the Scenario (so a loaded run can be assessed again)
    log.csv          a row per generation
    population.npz   final population, its fitness, the hall of fame
    summary.json     headline numbers of the final generation (and of the assessment, if any)
    assessment.csv   the assessment table, when the run was assessed
    checkpoint-<g>/  the latest checkpoint while a run is in progress (see ``evolution.checkpoint``)
    .lock            held by the process writing the directory (see ``evolution.rundir``)

Every file is written to a temporary name and renamed into place (``evolution.files``), so a crash
never leaves a half-written file behind.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from evolution.checkpoint import has_checkpoint
from evolution.config import Config
from evolution.files import read_csv, read_npz, write_csv, write_json, write_npz
from evolution.protocol import summary_columns
from evolution.rundir import claim, clear_run, load_scenario, locked, read_run_header, write_run_header
from organisms.records import check_keys

ARRAYS = ("population", "fitness", "hall_of_fame", "hall_of_fame_fitness")
"""The arrays of population.npz, every one read back."""


@dataclass(frozen=True)
class RunResult:
    """What happened in one run of the base optimizer."""

    scenario: Any
    """The scenario evolved on."""
    config: Config
    """The Config the run used."""
    log: pd.DataFrame
    """A row per generation (columns: docs/metrics.md, run log)."""
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
        """Headline numbers of the last generation (and, if assessed, the population means of the
        assessment columns the scenario declares: its ``summary_columns``)."""
        last = self.log.iloc[-1].to_dict()
        out: dict[str, Any] = {"scenario": getattr(self.scenario, "name", None),
                               "seed": self.config.seed, "generations": int(len(self.log))}
        out.update({k: (None if pd.isna(v) else float(v)) for k, v in last.items() if k != "generation"})
        if self.assessment is not None:
            # Which columns: what the scenario's assessment declares (evolution names none itself).
            columns = [c for c in summary_columns(self.scenario) if c in self.assessment.columns]
            means = self.assessment.groupby("distribution")[columns].mean()
            out["assessment"] = {
                d: {k: (None if pd.isna(v) else float(v)) for k, v in row.items()}
                for d, row in means.iterrows()
            }
        return out

    def _repr_html_(self) -> str:
        from evolution.display import run_html

        return run_html(self)

    def save(self, path: str | os.PathLike, overwrite: bool = False) -> Path:
        """Write the run directory (atomically, file by file) and return its path.

        A directory that holds a different run (another Config or scenario), or files that are not
        a run, is refused with a ``ValueError`` unless ``overwrite``: then the other run's results
        and checkpoints are removed first. Saving the same run again (say, now with its
        assessment) is always allowed. A directory another process is writing is refused.
        """
        path = Path(path)
        with locked(path):
            if claim(path, self.config, self.scenario, overwrite):
                clear_run(path)
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
        if not (path / "log.csv").exists() and has_checkpoint(path):
            raise ValueError(f"{path}: an unfinished run (it has a checkpoint); resume it first")
        arrays = read_npz(path / "population.npz")
        check_keys(arrays, str(path / "population.npz"), ARRAYS, ARRAYS)
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
