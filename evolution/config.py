"""The base optimizer's settings: a frozen, validated ``Config``.

Shared fields (population, generations, ...) sit beside ``optimizer``, the name of a registered
base optimizer (``evolution.optimizers``), and ``optimizer_options``, that optimizer's own settings,
validated by it. The GA's tournament, crossover, mutation, sigma and elite are its options; they
are also accepted flat (``Config(tournament=3)``, as configs saved before they moved hold them), and
read back flat (``config.tournament``: None with an optimizer that has no such setting).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import InitVar, dataclass, field, fields, replace
from typing import Any

from evolution.optimizers import DEFAULT, OPTIMIZERS, describe, option_names, strategy_class
from organisms.kinds import DEFAULT_KINDS
from organisms.kinds import REGISTRY as KIND_REGISTRY
from organisms.records import check_keys
from organisms.validation import require_integer

KINDS = DEFAULT_KINDS
"""Old name of ``organisms.kinds.DEFAULT_KINDS``: the organism kinds the kind gene chooses between by
default."""

OPTION_ALIASES = ("tournament", "crossover", "mutation", "sigma", "elite")
"""The GA's options that ``Config`` also takes flat, as fields before they moved into the GA's options
(saved configs and sweep grids use these names)."""

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
    workers: int | None = None
    """Threads for evaluation (>= 1; None: every core). Results do not depend on it."""
    hall_of_fame: int = 5
    """Best distinct organisms ever seen that the run keeps (>= 1)."""
    optimizer: str = DEFAULT
    """The base optimizer: a name in the registry ``evolution.optimizers.OPTIMIZERS`` (the class
    docstring lists them)."""
    optimizer_options: Mapping[str, Any] = field(default_factory=dict)
    """The optimizer's own settings (the class docstring lists each optimizer's); an unknown one is a
    ``ValueError``. Stored complete, defaults filled in."""
    tournament: InitVar[int | None] = None
    """The GA's ``tournament`` option, given flat (None: not given); see ``OPTION_ALIASES``."""
    crossover: InitVar[float | None] = None
    """The GA's ``crossover`` option, given flat."""
    mutation: InitVar[float | None] = None
    """The GA's ``mutation`` option, given flat."""
    sigma: InitVar[float | None] = None
    """The GA's ``sigma`` option, given flat."""
    elite: InitVar[int | None] = None
    """The GA's ``elite`` option, given flat."""

    def __post_init__(self, *flat: Any):
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
        if self.workers is not None:
            set_(self, "workers", _int(self.workers, "workers", 1))
        set_(self, "hall_of_fame", _int(self.hall_of_fame, "hall_of_fame", 1))
        strategy = strategy_class(self.optimizer)
        if not isinstance(self.optimizer_options, Mapping):
            raise ValueError(f"Config.optimizer_options: must be a mapping, got "
                             f"{type(self.optimizer_options).__name__}")
        options = dict(self.optimizer_options)
        for name, value in zip(OPTION_ALIASES, flat):  # the init-only fields, in this order
            if value is None:
                continue
            if name not in option_names(self.optimizer):
                raise ValueError(f"Config.{name}: the {self.optimizer!r} optimizer has no such setting (it is "
                                 f"the GA's); its options are {option_names(self.optimizer)}")
            if name in options and options[name] != value:
                raise ValueError(f"Config.{name}: given as {value!r} and as optimizer_options[{name!r}] = "
                                 f"{options[name]!r}; give it once")
            options[name] = value
        set_(self, "optimizer_options", strategy.check_options(options))
        strategy.check_config(self)

    def __hash__(self) -> int:
        # optimizer_options is a dict, so the generated hash would fail; equal configs hash equal.
        return hash(json.dumps(self.to_dict(), sort_keys=True))

    @classmethod
    def field_names(cls) -> list[str]:
        """The fields (what ``to_dict`` writes); the flat GA names are ``OPTION_ALIASES``."""
        return [f.name for f in fields(cls)]

    @classmethod
    def _check_names(cls, given: Any) -> None:
        unknown = sorted(set(given) - set(cls.field_names()) - set(OPTION_ALIASES))
        if unknown:
            raise ValueError(f"Config: unknown field(s) {unknown}; fields are {cls.field_names()} "
                             f"(and the GA's options flat: {list(OPTION_ALIASES)})")

    @classmethod
    def for_scenario(cls, scenario: Any, **overrides: Any) -> Config:
        """The scenario's recommended fields (its ``defaults``), then ``overrides`` on top. ``kinds``
        named by neither is every kind the scenario's genomes carry (its ``layout.kinds``)."""
        carried = getattr(getattr(scenario, "layout", None), "kinds", None)
        merged = {**({"kinds": tuple(carried)} if carried else {}),
                  **dict(getattr(scenario, "defaults", {}) or {}), **overrides}
        cls._check_names(merged)
        return cls(**merged)

    def replace(self, **changes: Any) -> Config:
        """A copy with some fields changed (validated again). Another ``optimizer`` without
        ``optimizer_options`` starts from that optimizer's defaults; a flat GA name (``elite=0``)
        changes that one option of the options kept."""
        self._check_names(changes)
        if changes.get("optimizer", self.optimizer) != self.optimizer:
            changes.setdefault("optimizer_options", {})
        if "optimizer_options" not in changes:
            kept = dict(self.optimizer_options)
            for name in [n for n in OPTION_ALIASES if n in changes and n in kept]:
                kept[name] = changes.pop(name)
            changes["optimizer_options"] = kept
        # dataclasses.replace would pass the flat names read back from the options: only those given.
        return replace(self, **{**dict.fromkeys(OPTION_ALIASES), **changes})

    def to_dict(self) -> dict:
        d = {f.name: getattr(self, f.name) for f in fields(self)}
        d["kinds"] = list(self.kinds)
        d["optimizer_options"] = dict(self.optimizer_options)
        return d

    @classmethod
    def from_dict(cls, data: dict) -> Config:
        """The Config ``to_dict`` wrote; an unknown key is a ``ValueError`` naming it (a field missing
        takes its default: runs saved before the field existed still load).

        Configs saved before the GA's settings moved into its options hold them flat, for every
        optimizer: they are the GA's options, and with another optimizer, which never read them,
        they are dropped."""
        known = dict(check_keys(data, "Config", [*cls.field_names(), *OPTION_ALIASES]))
        if "kinds" in known and isinstance(known["kinds"], list):
            known["kinds"] = tuple(known["kinds"])
        optimizer = known.get("optimizer", DEFAULT)
        if isinstance(optimizer, str) and optimizer in OPTIMIZERS:
            own = option_names(optimizer)
            known = {k: v for k, v in known.items() if k not in OPTION_ALIASES or k in own}
        return cls(**known)


def _flat(name: str) -> property:
    def get(self: Config) -> Any:
        return self.optimizer_options.get(name)

    return property(get, doc=f"The optimizer's ``{name}`` option (the GA's), None if it has none.")


# Read back flat: ``config.tournament``. Set after the class is made, so that the dataclass takes
# the init-only fields' defaults (None), not these properties.
for _name in OPTION_ALIASES:
    setattr(Config, _name, _flat(_name))
del _name

Config.__doc__ = f"""{Config.__doc__}

    Base optimizers (``optimizer``) and their options (``optimizer_options``), from the registry::

        {describe(options=True).replace(chr(10), chr(10) + " " * 8)}
    """
