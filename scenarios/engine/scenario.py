"""A scenario: features, the training distribution, deployment distributions, the base objective and
the intended goal. It implements the protocol ``evolution`` sees: ``layout``, ``evaluate`` and
``assess``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

import organisms
from organisms.kinds import DEFAULT_KINDS
from organisms.metrics import RUN_SUMMARY_COLUMNS
from organisms.seeding import seed_child  # noqa: F401  (re-exported for old imports)
from organisms.validation import is_number
from scenarios.engine import measure
from scenarios.engine.serialize import scenario_fields, scenario_to_dict
from scenarios.engine.spec import Distribution, Feature, Mixture, Objective, WorldSpec
from scenarios.engine.threads import evaluation_threads
from scenarios.engine.world import ItemKindTable, item_kind_table, sample_worlds


def _as_tuples(value: Any) -> Any:
    """Lists (nested too) as tuples; anything else as it is."""
    if isinstance(value, (list, tuple)):
        return tuple(_as_tuples(v) for v in value)
    return value


@dataclass(frozen=True, kw_only=True)
class Scenario:
    """One story of the essay, made measurable."""

    name: str
    """Short identifier (used for run directories and the registry)."""
    features: tuple[Feature, ...]
    """The outcome vector's dimensions (names unique)."""
    train: Distribution
    """Where the base optimizer selects: the training distribution."""
    deploy: Mapping[str, Distribution] = field(default_factory=dict)
    """Shifted deployment distributions by name (not "train")."""
    base: Objective
    """What the base optimizer selects on, before costs."""
    intended: Objective | None = None
    """The designer's real wish; None: the base objective is the intended goal."""
    compute_cost: float = 0.0
    """Fitness paid per unit of compute (cells searched, summed over an episode's steps)."""
    defaults: Mapping[str, Any] = field(default_factory=dict)
    """Config fields this story needs (``evolution.Config.for_scenario`` applies them)."""
    description: str = ""
    """One paragraph for people: what the story is and what to look for."""
    knobs: Mapping[str, Any] = field(default_factory=dict)
    """The knob values the scenario was made with (a record; not read by the engine)."""
    organism_kinds: tuple[str, ...] = DEFAULT_KINDS
    """Names of the organism kinds its genomes carry (``organisms.kinds.REGISTRY``), in gene order. The
    kinds a run lets the kind gene select default to all of them (``evolution.Config.for_scenario``);
    ``defaults["kinds"]`` narrows them where a story chooses (Aurora: planners; a ``kinds`` knob)."""
    log_format: int = measure.LOG_FORMAT
    """The version of the run log its runs write (``scenarios.engine.measure.LOG_FORMATS``): the newest
    for a scenario made in code; 1 for one read from a file that names none (saved before versions
    existed), so an old run reruns to its own log bit for bit."""
    map_cost: float | None = None
    """Fitness paid per episode by an organism whose map gene is on (>= 0). None: genomes carry no map
    gene and every planner knows the walls; a number: the map is a costly sensor, and a planner
    without it plans as if the grid were open."""
    avoid_harm: bool = True
    """Planners, the oracle and the base pursuers route around items their objective values below zero
    (``organisms.planner``), where such a route is within reach. On by default; off, every route is a
    shortest path, as before routes existed (a scenario read from a file that names none is off, so an
    old run reruns to its own log bit for bit)."""

    def __post_init__(self):
        if not isinstance(self.name, str) or not self.name.strip():
            raise ValueError(f"Scenario.name: must be a non-empty string, got {self.name!r}")
        feats = tuple(self.features)
        if not feats:
            raise ValueError("Scenario.features: needs at least one Feature")
        for f in feats:
            if not isinstance(f, Feature):
                raise ValueError(f"Scenario.features: must be Feature objects, got {f!r}")
        names = [f.name for f in feats]
        if len(set(names)) != len(names):
            raise ValueError(f"Scenario.features: names must be unique, got {names}")
        object.__setattr__(self, "features", feats)
        deploy = dict(self.deploy)
        if "train" in deploy:
            raise ValueError('Scenario.deploy: "train" is reserved for the training distribution')
        for key, dist in {"train": self.train, **deploy}.items():
            where = "Scenario.train" if key == "train" else f"Scenario.deploy[{key!r}]"
            if not isinstance(dist, (WorldSpec, Mixture)):
                raise ValueError(f"{where}: must be a WorldSpec or a Mixture, got {dist!r}")
            for _, spec in dist.components:
                for item in spec.items:
                    for part, mapping in (("features", item.features), ("requires", item.requires)):
                        unknown = sorted(set(mapping) - set(names))
                        if unknown:
                            raise ValueError(
                                f"{where}: item kind {item.name!r} {part} name unknown feature(s) "
                                f"{unknown}; the scenario's features are {names}"
                            )
        object.__setattr__(self, "deploy", deploy)
        for label, obj in (("base", self.base), ("intended", self.intended)):
            if obj is None and label == "intended":
                continue
            if not isinstance(obj, Objective):
                raise ValueError(f"Scenario.{label}: must be an Objective, got {obj!r}")
            unknown = sorted(set(obj.weights) - set(names))
            if unknown:
                raise ValueError(f"Scenario.{label}: weights name unknown feature(s) {unknown}; known: {names}")
        cost = self.compute_cost
        if not is_number(cost) or not np.isfinite(cost) or cost < 0:
            raise ValueError(f"Scenario.compute_cost: must be a number >= 0, got {cost!r}")
        # Sequences as tuples, so a scenario rebuilt from JSON (which has only lists) compares equal.
        object.__setattr__(self, "defaults", {k: _as_tuples(v) for k, v in dict(self.defaults).items()})
        object.__setattr__(self, "knobs", {k: _as_tuples(v) for k, v in dict(self.knobs).items()})
        if isinstance(self.organism_kinds, str) or not isinstance(self.organism_kinds, (tuple, list)):
            raise ValueError(f"Scenario.organism_kinds: must be a sequence of kind names, got {self.organism_kinds!r}")
        object.__setattr__(self, "organism_kinds", tuple(self.organism_kinds))
        if self.map_cost is not None and (not is_number(self.map_cost) or not np.isfinite(self.map_cost)
                                          or self.map_cost < 0):
            raise ValueError(f"Scenario.map_cost: must be None or a number >= 0, got {self.map_cost!r}")
        if not isinstance(self.avoid_harm, (bool, np.bool_)):
            raise ValueError(f"Scenario.avoid_harm: must be a bool, got {self.avoid_harm!r}")
        object.__setattr__(self, "avoid_harm", bool(self.avoid_harm))
        organisms.GenomeLayout(tuple(names), (), (), self.organism_kinds)  # unknown or repeated kinds raise
        if isinstance(self.log_format, bool) or self.log_format not in measure.LOG_FORMATS:
            raise ValueError(f"Scenario.log_format: must be one of {list(measure.LOG_FORMATS)}, got {self.log_format!r}")

    # --- derived views (cheap; recomputed on demand) -------------------------------------------
    @property
    def feature_names(self) -> list[str]:
        return [f.name for f in self.features]

    @property
    def layout(self) -> organisms.GenomeLayout:
        """Where each gene lives in this scenario's genomes."""
        perceivable = tuple(i for i, f in enumerate(self.features) if f.observable or f.sensed)
        sensed = tuple(i for i, f in enumerate(self.features) if f.sensed)
        return organisms.GenomeLayout(tuple(self.feature_names), perceivable, sensed, self.organism_kinds,
                                      world_map=self.map_cost is not None, avoids_harm=self.avoid_harm)

    @property
    def summary_columns(self) -> tuple[str, ...]:
        """The assessment columns a run's summary shows per distribution, as population means (what
        ``RunResult.summary`` and the command line read): ``organisms.metrics.RUN_SUMMARY_COLUMNS``."""
        return RUN_SUMMARY_COLUMNS

    @property
    def genome_length(self) -> int:
        return self.layout.length

    @property
    def distributions(self) -> dict[str, Distribution]:
        """"train" and every deploy spec, by name."""
        return {"train": self.train, **self.deploy}

    def weights(self, objective: Objective | None) -> np.ndarray:
        """An objective as a weight vector over the features (None: the base objective)."""
        obj = self.base if objective is None else objective
        return np.array([obj.weights.get(f, 0.0) for f in self.feature_names])

    @property
    def base_weights(self) -> np.ndarray:
        return self.weights(self.base)

    @property
    def intended_weights(self) -> np.ndarray:
        return self.weights(self.intended)

    @property
    def sensor_costs(self) -> np.ndarray:
        """(S,) fitness paid per episode per sensor that is on."""
        return np.array([self.features[i].sensor_cost for i in self.layout.sensed], dtype=np.float64)

    def sensing_costs(self, ph: organisms.Phenotype) -> np.ndarray:
        """(P,) fitness each organism pays per episode for its sensors, the map among them where the
        scenario prices it."""
        costs = ph.sensors.astype(np.float64) @ self.sensor_costs
        if self.map_cost is not None:
            # The map is carried by the gene, whatever the kind (as a sensor gene is).
            costs = costs + float(self.map_cost) * ph.knows_walls
        return costs

    def item_kinds(self, distribution: str) -> ItemKindTable:
        """The distinct item kinds a named distribution produces."""
        return item_kind_table(self.distributions[distribution], self.feature_names)

    def kinds(self, distribution: str) -> ItemKindTable:
        """Old name of ``item_kinds`` ("kind" alone now means an organism kind)."""
        return self.item_kinds(distribution)

    def sample(self, distribution: str, n: int, seed: Any) -> list[organisms.World]:
        """``n`` worlds from a named distribution."""
        if distribution not in self.distributions:
            raise ValueError(f"distribution: must be one of {list(self.distributions)}, got {distribution!r}")
        return sample_worlds(self.distributions[distribution], self.feature_names, n, seed)

    # --- the protocol evolution sees -----------------------------------------------------------
    def evaluate(self, population: np.ndarray, generation_seed: Any, episodes: int = 8,
                 parallel: bool | int = False) -> tuple[np.ndarray, dict[str, float]]:
        """Fitness of every organism on freshly sampled training worlds (common to all), and the
        generation's log columns (training and deploy scores, agreement, planner share, sensors).

        ``parallel``: threads for this evaluation (False or 1: one; True: every core; n: at most n),
        set for the call and restored after it; results do not depend on it.
        """
        with evaluation_threads(parallel) as threaded:
            return measure.generation_summary(self, population, generation_seed, episodes, threaded)

    def assess(self, population: np.ndarray, worlds: int = 300, seed: int = 0, parallel: bool | int = False):
        """The assessment table (see ``scenarios.assess``). ``parallel``: threads, as ``evaluate`` takes
        them; the table does not depend on it."""
        with evaluation_threads(parallel) as threaded:
            return measure.assess(self, population, worlds=worlds, seed=seed, parallel=threaded)

    def _repr_html_(self) -> str:
        from scenarios.engine.display import scenario_html

        return scenario_html(self)

    # --- persistence ---------------------------------------------------------------------------
    def to_dict(self) -> dict:
        """Plain JSON-able data; ``Scenario.from_dict`` rebuilds an equal scenario."""
        return scenario_to_dict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Scenario:
        """Rebuild a scenario from ``to_dict`` data; malformed data or an unknown key raises ``ValueError``."""
        kwargs = scenario_fields(data)
        try:
            return cls(**kwargs)
        except (TypeError, AttributeError) as exc:
            raise ValueError(f"scenario file: malformed scenario ({type(exc).__name__}: {exc})") from exc
