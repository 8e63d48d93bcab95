"""The genome: one float vector, its documented layout, and its decoding into a phenotype.

Layout of a genome of a scenario with ``Fp`` perceivable features and ``S`` sensed features::

    [ kind | one block per organism kind of the layout | sensors (S) ]

and with the default kinds (heuristic, planner)::

    [ kind | heuristic weights (Fp) | decay | mesa weights (Fp) | horizon | sensors (S) ]

- ``kind``: selects one of the layout's kinds (``GenomeLayout.kind_index``); with two kinds, the
  organism is a planner where the gene is > 0, a heuristic otherwise. It decodes to the kind's code
  in ``organisms.kinds.REGISTRY``.
- each kind's block, as the kind declares it (``organisms.heuristic``: heuristic weights and
  ``decay`` = sigmoid(gene); ``organisms.planner``: mesa weights and ``horizon`` = 1 +
  floor(sigmoid(gene) * HORIZON_CAP)).
- sensors: one gene per sensed feature; the sensor is on where the gene is > 0.
- ``map`` (only in layouts with ``world_map``, i.e. scenarios that price the map): a planner whose
  gene is > 0 plans on the true walls; one without plans as if the grid were open. Layouts without
  it (every scenario that does not opt in, and every genome saved before it existed) give every
  planner the map.

Every block is always carried, whatever the kind, so the kind gene can flip without loss.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from organisms import kinds as registry
from organisms.planner import C_DIST, HORIZON_CAP, SCALED_HORIZON_LIMIT, UNBOUNDED_HORIZON

__all__ = [
    "C_DIST",
    "HORIZON_CAP",
    "SCALED_HORIZON_LIMIT",
    "UNBOUNDED_HORIZON",
    "GenomeLayout",
    "Phenotype",
    "decode",
    "oracle_phenotype",
    "phenotype",
]


@dataclass(frozen=True)
class GenomeLayout:
    """Where each gene lives, for one scenario's features and organism kinds."""

    features: tuple[str, ...]
    """Every feature of the scenario, in outcome-vector order."""
    perceivable: tuple[int, ...]
    """Indices (into ``features``) that an organism can perceive: observable, or through a sensor."""
    sensed: tuple[int, ...]
    """Indices (into ``features``) perceivable only while the matching sensor gene is on."""
    kinds: tuple[str, ...] = registry.DEFAULT_KINDS
    """Names of the organism kinds the kind gene selects between, in gene order (each carries its
    block of genes in this order)."""
    world_map: bool = False
    """Whether the genome ends with a map gene (a sensor of the walls); without it every planner
    knows the walls."""
    avoids_harm: bool = False
    """Whether the planners it decodes (and the oracle) route around items their objective values below
    zero (``Scenario.avoid_harm``; not a gene: the genome's length is the same either way)."""

    def __post_init__(self) -> None:
        names = tuple(self.kinds)
        if not names or len(set(names)) != len(names):
            raise ValueError(f"GenomeLayout.kinds: must be distinct kind names, got {self.kinds!r}")
        for name in names:
            registry.by_name(name)
        object.__setattr__(self, "kinds", names)

    @property
    def n_features(self) -> int:
        return len(self.features)

    @property
    def kind(self) -> int:
        """Index of the kind gene."""
        return 0

    def _perceivable_names(self) -> list[str]:
        return [self.features[i] for i in self.perceivable]

    def block(self, kind: str) -> slice:
        """The genes of one kind's block."""
        start = 1
        for name in self.kinds:
            size = len(registry.by_name(name).genes(self._perceivable_names()))
            if name == kind:
                return slice(start, start + size)
            start += size
        raise ValueError(f"kind: {kind!r} is not one of this layout's kinds {self.kinds}")

    @property
    def heuristic(self) -> slice:
        start = self.block("heuristic").start
        return slice(start, start + len(self.perceivable))

    @property
    def decay(self) -> int:
        return self.block("heuristic").start + len(self.perceivable)

    @property
    def mesa(self) -> slice:
        start = self.block("planner").start
        return slice(start, start + len(self.perceivable))

    @property
    def horizon(self) -> int:
        return self.block("planner").start + len(self.perceivable)

    @property
    def sensors(self) -> slice:
        start = self.block(self.kinds[-1]).stop
        return slice(start, start + len(self.sensed))

    @property
    def map_gene(self) -> int | None:
        """Index of the map gene (None where the layout has none)."""
        return self.sensors.stop if self.world_map else None

    @property
    def length(self) -> int:
        return self.sensors.stop + (1 if self.world_map else 0)

    def kind_thresholds(self) -> np.ndarray:
        """The kind gene selects kind ``i`` where it exceeds ``i`` of these thresholds (0 for two kinds)."""
        k = len(self.kinds)
        return np.arange(1, k) - k / 2.0

    def kind_index(self, genes: np.ndarray) -> np.ndarray:
        """Index into ``kinds`` that each kind gene selects."""
        genes = np.asarray(genes, dtype=np.float64)
        return (genes[..., None] > self.kind_thresholds()).sum(axis=-1)

    def kind_gene_value(self, kind: str) -> float:
        """A kind-gene value that selects ``kind`` (-1 and 1 for heuristic and planner with two kinds)."""
        if kind not in self.kinds:
            raise ValueError(f"kind: {kind!r} is not one of this layout's kinds {self.kinds}")
        j, cuts = self.kinds.index(kind), self.kind_thresholds()
        if len(cuts) == 0:
            return 0.0
        # Inside its interval: 1 beyond the outer thresholds, midway between two inner ones.
        if j == 0:
            return float(cuts[0] - 1.0)
        if j == len(cuts):
            return float(cuts[-1] + 1.0)
        return float((cuts[j - 1] + cuts[j]) / 2.0)

    def gene_names(self) -> list[str]:
        """One readable name per gene, in genome order."""
        names = ["kind"]
        for name in self.kinds:
            names += registry.by_name(name).genes(self._perceivable_names())
        return (names + [f"sensor:{self.features[i]}" for i in self.sensed]
                + (["map"] if self.world_map else []))


class Phenotype(NamedTuple):
    """A population decoded into the plain arrays the episode kernels take (P organisms, F features).

    Every kind's block is decoded for every organism (``heuristic_weights`` of a planner are what its
    genes would give were it a heuristic); the kernels read the fields of the organism's own kind.
    """

    kind: np.ndarray
    """(P,) int64: the kind code (``organisms.kinds.REGISTRY``)."""
    heuristic_weights: np.ndarray
    """(P, F) float64, zero on features the organism does not perceive."""
    decay: np.ndarray
    """(P,) float64 in (0, 1)."""
    mesa_weights: np.ndarray
    """(P, F) float64, zero on features the organism does not perceive."""
    horizon: np.ndarray
    """(P,) int64, 1 .. HORIZON_CAP + 1 (before a world's horizon scale)."""
    perceives: np.ndarray
    """(P, F) bool."""
    sensors: np.ndarray
    """(P, S) bool, one column per sensed feature."""
    traits: np.ndarray
    """(P, T) float64: parameters a kind's decoding writes and only its own policy reads (T = 0 for
    heuristics and planners)."""
    knows_walls: np.ndarray
    """(P,) bool: a planner plans on the true walls (its map gene is on, or its layout has none);
    False: as if the grid were open (a move into an unknown wall fails)."""
    avoids_harm: np.ndarray
    """(P,) bool: a planner's routes go around items its objective values below zero where a detour
    is within reach (as decoded: the layout's ``avoids_harm``, i.e. the scenario's ``avoid_harm``;
    False: shortest paths, whatever they cross)."""

    @property
    def is_planner(self) -> np.ndarray:
        """(P,) bool: the organism's kind searches for plans serving a mesa-objective."""
        return np.isin(self.kind, registry.PLANNING_CODES)


def _layout_of(scenario_or_layout: Any) -> GenomeLayout:
    if isinstance(scenario_or_layout, GenomeLayout):
        return scenario_or_layout
    layout = getattr(scenario_or_layout, "layout", None)
    if not isinstance(layout, GenomeLayout):
        raise TypeError("expected a Scenario (or a GenomeLayout), got " + type(scenario_or_layout).__name__)
    return layout


def _as_population(layout: GenomeLayout, population: Any) -> np.ndarray:
    pop = np.asarray(population, dtype=np.float64)
    if pop.ndim == 1:
        pop = pop[None, :]
    if pop.ndim != 2 or pop.shape[1] != layout.length:
        raise ValueError(
            f"population: expected shape (n, {layout.length}) for this scenario's genome, got {pop.shape}"
        )
    if not np.all(np.isfinite(pop)):
        raise ValueError("population: genomes must be finite numbers")
    return pop


def phenotype(scenario_or_layout: Any, population: Any) -> Phenotype:
    """Decode genomes (one per row, or a single genome) into kernel arrays."""
    layout = _layout_of(scenario_or_layout)
    pop = _as_population(layout, population)
    n, f = pop.shape[0], layout.n_features
    sensors = pop[:, layout.sensors] > 0.0
    perceives = np.zeros((n, f), dtype=np.bool_)
    perceives[:, list(layout.perceivable)] = True
    if layout.sensed:
        perceives[:, list(layout.sensed)] = sensors
    codes = np.array([registry.by_name(name).code for name in layout.kinds], dtype=np.int64)
    fields: dict[str, np.ndarray] = {
        "kind": codes[layout.kind_index(pop[:, layout.kind])],
        "heuristic_weights": np.zeros((n, f)),
        "decay": np.full(n, 0.5),
        "mesa_weights": np.zeros((n, f)),
        "horizon": np.ones(n, dtype=np.int64),
        "perceives": perceives,
        "sensors": sensors,
        "traits": np.zeros((n, 0)),
        "knows_walls": (pop[:, layout.map_gene] > 0.0) if layout.world_map else np.ones(n, dtype=np.bool_),
        "avoids_harm": np.full(n, layout.avoids_harm, dtype=np.bool_),
    }
    decoded_by: set[str] = set()
    for name in layout.kinds:
        kind = registry.by_name(name)
        decoded = kind.decode(pop[:, layout.block(name)], layout)
        for field, values in decoded.items():
            if field in kind.weight_fields:
                spread = np.zeros((n, f))
                spread[:, list(layout.perceivable)] = values
                values = np.where(perceives, spread, 0.0)
            if field in decoded_by:
                # Two kinds of the layout decode this field: each organism keeps its own kind's values.
                mine = (fields["kind"] == kind.code).reshape((n,) + (1,) * (values.ndim - 1))
                values = np.where(mine, values, fields[field])
            fields[field] = values
            decoded_by.add(field)
    return Phenotype(**fields)


def decode(scenario: Any, population: Any) -> pd.DataFrame:
    """What each genome says, as a table: a row per organism.

    Columns: ``kind`` (the kind's name: "planner" or "heuristic"), ``mesa:<f>`` and
    ``heuristic:<f>`` (weights as the organism uses them: NaN on features it does not perceive),
    ``decay``, ``horizon``, ``sensor:<f>`` (bool) per sensed feature, and ``map`` (bool) where the
    layout has a map gene.
    """
    layout = _layout_of(scenario)
    ph = phenotype(layout, population)
    names = {k.code: k.name for k in registry.REGISTRY}
    table: dict[str, Any] = {"kind": np.array([names[int(c)] for c in ph.kind], dtype=object)}
    for i in layout.perceivable:
        name = layout.features[i]
        table[f"mesa:{name}"] = np.where(ph.perceives[:, i], ph.mesa_weights[:, i], np.nan)
    for i in layout.perceivable:
        name = layout.features[i]
        table[f"heuristic:{name}"] = np.where(ph.perceives[:, i], ph.heuristic_weights[:, i], np.nan)
    table["decay"] = ph.decay
    table["horizon"] = ph.horizon
    for j, i in enumerate(layout.sensed):
        table[f"sensor:{layout.features[i]}"] = ph.sensors[:, j]
    if layout.world_map:
        table["map"] = ph.knows_walls
    return pd.DataFrame(table)


def oracle_phenotype(layout: GenomeLayout, weights: np.ndarray) -> Phenotype:
    """A reference planner: the given objective, full perception of every feature, unbounded horizon,
    the true walls, and routes around harm where the layout's ``avoids_harm`` says so."""
    f = layout.n_features
    return Phenotype(
        kind=np.full(1, registry.by_name("planner").code, dtype=np.int64),
        heuristic_weights=np.zeros((1, f)),
        decay=np.full(1, 0.5),
        mesa_weights=np.asarray(weights, dtype=np.float64).reshape(1, f),
        horizon=np.full(1, UNBOUNDED_HORIZON, dtype=np.int64),
        perceives=np.ones((1, f), dtype=np.bool_),
        sensors=np.ones((1, len(layout.sensed)), dtype=np.bool_),
        traits=np.zeros((1, 0)),
        knows_walls=np.ones(1, dtype=np.bool_),
        avoids_harm=np.full(1, layout.avoids_harm, dtype=np.bool_),
    )
