"""The genome: one float vector, its documented layout, and its decoding into a phenotype.

Layout of a genome of a scenario with ``Fp`` perceivable features and ``S`` sensed features::

    [ kind | heuristic weights (Fp) | decay | mesa weights (Fp) | horizon | sensors (S) ]

- ``kind``: the organism is a planner where the gene is > 0, a heuristic otherwise.
- heuristic weights and ``decay``: the reactive policy (decay = sigmoid(gene)).
- mesa weights and ``horizon``: the planner's mesa-objective over perceivable features and its
  search horizon, 1 + floor(sigmoid(gene) * HORIZON_CAP).
- sensors: one gene per sensed feature; the sensor is on where the gene is > 0.

Both blocks are always carried, whatever the kind, so the kind gene can flip without loss.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

HORIZON_CAP = 24
"""A planner's horizon is 1 + floor(sigmoid(gene) * HORIZON_CAP) steps (a cap below ~20 broke effects)."""

C_DIST = 0.05
"""A planner's value of an item is its mesa-utility minus C_DIST per step of distance."""

UNBOUNDED_HORIZON = 1 << 30
"""The oracle's horizon: larger than any path in any world."""


@dataclass(frozen=True)
class GenomeLayout:
    """Where each gene lives, for one scenario's features."""

    features: tuple[str, ...]
    """Every feature of the scenario, in outcome-vector order."""
    perceivable: tuple[int, ...]
    """Indices (into ``features``) that an organism can perceive: observable, or through a sensor."""
    sensed: tuple[int, ...]
    """Indices (into ``features``) perceivable only while the matching sensor gene is on."""

    @property
    def n_features(self) -> int:
        return len(self.features)

    @property
    def kind(self) -> int:
        """Index of the kind gene."""
        return 0

    @property
    def heuristic(self) -> slice:
        return slice(1, 1 + len(self.perceivable))

    @property
    def decay(self) -> int:
        return 1 + len(self.perceivable)

    @property
    def mesa(self) -> slice:
        start = 2 + len(self.perceivable)
        return slice(start, start + len(self.perceivable))

    @property
    def horizon(self) -> int:
        return 2 + 2 * len(self.perceivable)

    @property
    def sensors(self) -> slice:
        start = 3 + 2 * len(self.perceivable)
        return slice(start, start + len(self.sensed))

    @property
    def length(self) -> int:
        return 3 + 2 * len(self.perceivable) + len(self.sensed)

    def gene_names(self) -> list[str]:
        """One readable name per gene, in genome order."""
        names = [self.features[i] for i in self.perceivable]
        return (
            ["kind"]
            + [f"heuristic:{n}" for n in names]
            + ["decay"]
            + [f"mesa:{n}" for n in names]
            + ["horizon"]
            + [f"sensor:{self.features[i]}" for i in self.sensed]
        )


class Phenotype(NamedTuple):
    """A population decoded into the plain arrays the episode kernels take (P organisms, F features)."""

    is_planner: np.ndarray
    """(P,) bool."""
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


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


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
    heuristic = np.zeros((n, f))
    heuristic[:, list(layout.perceivable)] = pop[:, layout.heuristic]
    mesa = np.zeros((n, f))
    mesa[:, list(layout.perceivable)] = pop[:, layout.mesa]
    horizon = 1 + np.floor(_sigmoid(pop[:, layout.horizon]) * HORIZON_CAP).astype(np.int64)
    return Phenotype(
        is_planner=pop[:, layout.kind] > 0.0,
        heuristic_weights=np.where(perceives, heuristic, 0.0),
        decay=_sigmoid(pop[:, layout.decay]),
        mesa_weights=np.where(perceives, mesa, 0.0),
        horizon=horizon,
        perceives=perceives,
        sensors=sensors,
    )


def decode(scenario: Any, population: Any) -> pd.DataFrame:
    """What each genome says, as a table: a row per organism.

    Columns: ``kind`` ("planner" or "heuristic"), ``mesa:<f>`` and ``heuristic:<f>`` (weights as the
    organism uses them: NaN on features it does not perceive), ``decay``, ``horizon``, and
    ``sensor:<f>`` (bool) per sensed feature.
    """
    layout = _layout_of(scenario)
    ph = phenotype(layout, population)
    table: dict[str, Any] = {"kind": np.where(ph.is_planner, "planner", "heuristic")}
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
    return pd.DataFrame(table)


def oracle_phenotype(layout: GenomeLayout, weights: np.ndarray) -> Phenotype:
    """A reference planner: the given objective, full perception of every feature, unbounded horizon."""
    f = layout.n_features
    return Phenotype(
        is_planner=np.ones(1, dtype=np.bool_),
        heuristic_weights=np.zeros((1, f)),
        decay=np.full(1, 0.5),
        mesa_weights=np.asarray(weights, dtype=np.float64).reshape(1, f),
        horizon=np.full(1, UNBOUNDED_HORIZON, dtype=np.int64),
        perceives=np.ones((1, f), dtype=np.bool_),
        sensors=np.ones((1, len(layout.sensed)), dtype=np.bool_),
    )
