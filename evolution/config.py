"""The base optimizer's settings: a frozen, validated ``Config``.

Shared fields (population, generations, ...) sit beside ``optimizer``, the name of a registered
base optimizer (``evolution.optimizers``), and ``optimizer_options``, that strategy's own settings,
validated by it. The GA reads tournament, crossover, mutation, sigma and elite from the shared fields.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

from evolution.optimizers import DEFAULT, strategy_class
from organisms.kinds import DEFAULT_KINDS
from organisms.kinds import REGISTRY as KIND_REGISTRY
from organisms.records import check_keys
from organisms.validation import require_integer, require_number, require_probability

KINDS = DEFAULT_KINDS
"""Old name of ``organisms.kinds.DEFAULT_KINDS``: the organism kinds the kind gene chooses between by
default."""

REGISTERED_KINDS = tuple(kind.name for kind in KIND_REGISTRY)
"""Every registered organism kind's name, in code order (what ``Config.kinds`` may name)."""


def _int(value: Any, name: str, lo: int | None = None) -> int:
    return require_integer(value, f"Config.{name}", lo)


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
    kinds: tuple[str, ...] = DEFAULT_KINDS
    """Organism kinds allowed: a non-empty set of registered kind names (``REGISTERED_KINDS``); one
    kind clamps the kind gene to select it. ``for_scenario`` takes the kinds the scenario's genomes
    carry (``layout.kinds``) unless its ``defaults`` name some."""
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
    optimizer: str = DEFAULT
    """The base optimizer: a name in ``evolution.optimizers.OPTIMIZERS``: "ga" (the genetic algorithm),
    "cmaes" (CMA-ES) or "es" (a gradient-estimating evolution strategy with Adam)."""
    optimizer_options: Mapping[str, Any] = field(default_factory=dict)
    """The optimizer's own options (the GA's: ``swap``; CMA-ES's: ``population``, ``parents``, ``step``,
    ``floor``; the ES's: ``population``, ``learning_rate``, ``noise``); an unknown one is a
    ``ValueError``. Stored complete, defaults filled in."""

    def __post_init__(self):
        set_ = object.__setattr__
        set_(self, "population", _int(self.population, "population", 2))
        set_(self, "generations", _int(self.generations, "generations", 1))
        set_(self, "episodes", _int(self.episodes, "episodes", 1))
        set_(self, "seed", _int(self.seed, "seed", 0))
        kinds = (self.kinds,) if isinstance(self.kinds, str) else self.kinds
        if not isinstance(kinds, (tuple, list, set, frozenset)):
            raise ValueError(f"Config.kinds: must be a subset of {REGISTERED_KINDS}, got {self.kinds!r}")
        kinds = tuple(kinds)
        if not kinds or any(k not in REGISTERED_KINDS for k in kinds) or len(set(kinds)) != len(kinds):
            raise ValueError(f"Config.kinds: must be a non-empty subset of {REGISTERED_KINDS}, got {self.kinds!r}")
        set_(self, "kinds", tuple(k for k in REGISTERED_KINDS if k in kinds))
        set_(self, "tournament", _int(self.tournament, "tournament", 2))
        set_(self, "crossover", require_probability(self.crossover, "Config.crossover"))
        set_(self, "mutation", require_probability(self.mutation, "Config.mutation"))
        sigma = require_number(self.sigma, "Config.sigma")
        if not sigma > 0:
            raise ValueError(f"Config.sigma: must be a finite number > 0, got {self.sigma!r}")
        set_(self, "sigma", sigma)
        elite = _int(self.elite, "elite", 0)
        if elite > self.population:
            raise ValueError(f"Config.elite: must be <= population ({self.population}), got {elite}")
        set_(self, "elite", elite)
        if self.workers is not None:
            set_(self, "workers", _int(self.workers, "workers", 1))
        set_(self, "hall_of_fame", _int(self.hall_of_fame, "hall_of_fame", 1))
        strategy = strategy_class(self.optimizer)
        set_(self, "optimizer_options", strategy.check_options(self.optimizer_options))

    def __hash__(self) -> int:
        # optimizer_options is a dict, so the generated hash would fail; equal configs hash equal.
        return hash(json.dumps(self.to_dict(), sort_keys=True))

    @classmethod
    def field_names(cls) -> list[str]:
        return [f.name for f in fields(cls)]

    @classmethod
    def for_scenario(cls, scenario: Any, **overrides: Any) -> Config:
        """The scenario's recommended fields (its ``defaults``), then ``overrides`` on top. ``kinds``
        named by neither is every kind the scenario's genomes carry (its ``layout.kinds``)."""
        carried = getattr(getattr(scenario, "layout", None), "kinds", None)
        merged = {**({"kinds": tuple(carried)} if carried else {}),
                  **dict(getattr(scenario, "defaults", {}) or {}), **overrides}
        unknown = sorted(set(merged) - set(cls.field_names()))
        if unknown:
            raise ValueError(f"Config: unknown field(s) {unknown}; fields are {cls.field_names()}")
        return cls(**merged)

    def replace(self, **changes: Any) -> Config:
        """A copy with some fields changed (validated again). Another ``optimizer`` without
        ``optimizer_options`` starts from that optimizer's defaults."""
        unknown = sorted(set(changes) - set(self.field_names()))
        if unknown:
            raise ValueError(f"Config: unknown field(s) {unknown}; fields are {self.field_names()}")
        if changes.get("optimizer", self.optimizer) != self.optimizer:
            changes.setdefault("optimizer_options", {})
        return replace(self, **changes)

    def to_dict(self) -> dict:
        d = {f.name: getattr(self, f.name) for f in fields(self)}
        d["kinds"] = list(self.kinds)
        d["optimizer_options"] = dict(self.optimizer_options)
        return d

    @classmethod
    def from_dict(cls, data: dict) -> Config:
        """The Config ``to_dict`` wrote; an unknown key is a ``ValueError`` naming it (a field missing
        takes its default: runs saved before the field existed still load)."""
        known = dict(check_keys(data, "Config", cls.field_names()))
        if "kinds" in known and isinstance(known["kinds"], list):
            known["kinds"] = tuple(known["kinds"])
        return cls(**known)
