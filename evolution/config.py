"""The base optimizer's settings: a frozen, validated ``Config``."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields, replace
from numbers import Integral, Real
from typing import Any

KINDS = ("heuristic", "planner")
"""Organism kinds the kind gene chooses between."""


def _int(value: Any, name: str, lo: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise ValueError(f"Config.{name}: must be an integer, got {value!r}")
    if lo is not None and value < lo:
        raise ValueError(f"Config.{name}: must be >= {lo}, got {value}")
    return int(value)


def _prob(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, Real) or not 0.0 <= float(value) <= 1.0:
        raise ValueError(f"Config.{name}: must be a probability in [0, 1], got {value!r}")
    return float(value)


@dataclass(frozen=True)
class Config:
    """How the base optimizer runs. Never mutated by a run; a ``RunResult`` carries the one it used."""

    population: int = 150
    """Organisms per generation (>= 2)."""
    generations: int = 60
    """Generations to run (>= 1); the log has one row per generation."""
    episodes: int = 8
    """Training worlds per evaluation, common to every organism and sampled afresh each generation."""
    seed: int = 0
    """Fixes the run bit for bit: worlds, initial genomes and variation all derive from it."""
    kinds: tuple[str, ...] = KINDS
    """Organism kinds allowed: a non-empty subset of ("heuristic", "planner"); one kind clamps the
    kind gene."""
    tournament: int = 3
    """Tournament size for selection (>= 2)."""
    crossover: float = 0.5
    """Probability that a pair of offspring is mated by uniform crossover (genes swapped with p 0.5)."""
    mutation: float = 0.2
    """Probability that each gene receives Gaussian noise."""
    sigma: float = 0.3
    """Standard deviation of that noise (> 0)."""
    elite: int = 2
    """Best organisms copied unchanged into the next generation (0 .. population)."""
    workers: int | None = None
    """Threads for evaluation (>= 1; None: every core). Results do not depend on it."""
    hall_of_fame: int = 5
    """Best distinct organisms ever seen that the run keeps (>= 1)."""

    def __post_init__(self):
        set_ = object.__setattr__
        set_(self, "population", _int(self.population, "population", 2))
        set_(self, "generations", _int(self.generations, "generations", 1))
        set_(self, "episodes", _int(self.episodes, "episodes", 1))
        set_(self, "seed", _int(self.seed, "seed", 0))
        kinds = (self.kinds,) if isinstance(self.kinds, str) else self.kinds
        if not isinstance(kinds, (tuple, list, set, frozenset)):
            raise ValueError(f"Config.kinds: must be a subset of {KINDS}, got {self.kinds!r}")
        kinds = tuple(kinds)
        if not kinds or any(k not in KINDS for k in kinds) or len(set(kinds)) != len(kinds):
            raise ValueError(f"Config.kinds: must be a non-empty subset of {KINDS}, got {self.kinds!r}")
        set_(self, "kinds", tuple(k for k in KINDS if k in kinds))
        set_(self, "tournament", _int(self.tournament, "tournament", 2))
        set_(self, "crossover", _prob(self.crossover, "crossover"))
        set_(self, "mutation", _prob(self.mutation, "mutation"))
        if (isinstance(self.sigma, bool) or not isinstance(self.sigma, Real) or not float(self.sigma) > 0
                or not math.isfinite(self.sigma)):
            raise ValueError(f"Config.sigma: must be a finite number > 0, got {self.sigma!r}")
        set_(self, "sigma", float(self.sigma))
        elite = _int(self.elite, "elite", 0)
        if elite > self.population:
            raise ValueError(f"Config.elite: must be <= population ({self.population}), got {elite}")
        set_(self, "elite", elite)
        if self.workers is not None:
            set_(self, "workers", _int(self.workers, "workers", 1))
        set_(self, "hall_of_fame", _int(self.hall_of_fame, "hall_of_fame", 1))

    @classmethod
    def field_names(cls) -> list[str]:
        return [f.name for f in fields(cls)]

    @classmethod
    def for_scenario(cls, scenario: Any, **overrides: Any) -> Config:
        """The scenario's recommended fields (its ``defaults``), then ``overrides`` on top."""
        merged = {**dict(getattr(scenario, "defaults", {}) or {}), **overrides}
        unknown = sorted(set(merged) - set(cls.field_names()))
        if unknown:
            raise ValueError(f"Config: unknown field(s) {unknown}; fields are {cls.field_names()}")
        return cls(**merged)

    def replace(self, **changes: Any) -> Config:
        """A copy with some fields changed (validated again)."""
        unknown = sorted(set(changes) - set(self.field_names()))
        if unknown:
            raise ValueError(f"Config: unknown field(s) {unknown}; fields are {self.field_names()}")
        return replace(self, **changes)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["kinds"] = list(self.kinds)
        return d

    @classmethod
    def from_dict(cls, data: dict) -> Config:
        known = {k: v for k, v in data.items() if k in cls.field_names()}
        if "kinds" in known:
            known["kinds"] = tuple(known["kinds"])
        return cls(**known)
