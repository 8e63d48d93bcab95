"""Behavioral objectives of a population on a scenario's assessment worlds: the weights that best
explain each organism's choices, how well they predict them, and how they agree with the base
objective (see ``organisms.behavioral_objective`` for the model, METRICS.md for every column).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

import organisms
from organisms.behavioral_objective import BOOTSTRAP, PENALTY
from organisms.metrics import feature_column
from organisms.seeding import named_seed
from scenarios.engine.alignment import contested_item_kinds, objective_agreements
from scenarios.engine.world import assessment_seed, check_worlds

if TYPE_CHECKING:
    from scenarios.engine.scenario import Scenario


def _bootstrap_seed(seed: int, distribution: str, genome: np.ndarray) -> np.random.SeedSequence:
    """An organism's bootstrap stream: fixed by the assessment seed, the distribution and the genome
    itself, so an organism gets the same errors whatever population it is assessed with."""
    return named_seed(seed, distribution, np.asarray(genome))


def fit_population(sc: Scenario, population: np.ndarray, ph: organisms.Phenotype, batch: organisms.WorldBatch,
                   distribution: str, seed: int = 0, bootstrap: int = BOOTSTRAP,
                   penalty: float = PENALTY) -> tuple[list[organisms.BehavioralObjective], np.ndarray]:
    """Every organism's behavioral objective on one batch of worlds, and its mesa-objective's choice
    accuracy on the same choice events (NaN for heuristics)."""
    events = organisms.choice_sets(ph, batch)
    fits, mesa_accuracy = [], np.full(len(events), np.nan)
    for o, cs in enumerate(events):
        fits.append(organisms.fit_behavioral_objective(
            cs, ph.perceives[o], penalty=penalty, bootstrap=bootstrap,
            seed=_bootstrap_seed(seed, distribution, population[o])))
        if ph.is_planner[o] and cs.n:
            mesa_accuracy[o] = organisms.choice_accuracy(ph.mesa_weights[o], organisms.C_DIST, cs)
    return fits, mesa_accuracy


def behavior_columns(sc: Scenario, fits: list[organisms.BehavioralObjective], mesa_accuracy: np.ndarray,
                     distribution: str, contested_mask: np.ndarray) -> dict[str, Any]:
    """The assessment table's behavioral columns for one distribution."""
    weights = np.array([f.weights for f in fits]).reshape(len(fits), len(sc.feature_names))
    se = np.array([f.se for f in fits]).reshape(weights.shape)
    # A feature the behaviour cannot reveal contributes nothing to the behavioral utility.
    agree = objective_agreements(sc, np.nan_to_num(weights), distribution, contested_mask)
    fitted = np.array([f.ok for f in fits], dtype=bool)
    cols: dict[str, Any] = {}
    for j, name in enumerate(sc.feature_names):
        cols[feature_column("behavior", name)] = weights[:, j]
    for j, name in enumerate(sc.feature_names):
        cols[feature_column("behavior_se", name)] = se[:, j]
    cols.update({
        "behavior_distance": np.array([f.distance for f in fits]),
        "behavior_accuracy": np.array([f.accuracy for f in fits]),
        "mesa_accuracy": mesa_accuracy,
        "behavior_choices": np.array([f.choices for f in fits], dtype=np.int64),
        "behavior_rank": np.array([f.rank for f in fits], dtype=np.int64),
        "behavior_agreement": np.where(fitted, agree["agreement"], np.nan),
        "behavior_cosine": np.where(fitted, agree["cosine"], np.nan),
        "behavior_contested": np.where(fitted, agree["contested"], np.nan),
        "behavior_reason": np.array([f.reason for f in fits], dtype=object),
    })
    return cols


def behavioral(sc: Scenario, population: Any, worlds: int = 300, seed: int = 0, bootstrap: int = BOOTSTRAP,
               penalty: float = PENALTY) -> pd.DataFrame:
    """Every organism's behavioral objective on the training and every deployment distribution.

    Uses the same assessment worlds as ``scenarios.assess(sc, population, worlds, seed)``.

    Returns:
        A row per (organism, distribution): ``organism``, ``kind``, ``distribution`` and the
        behavioral columns (``behavior:<f>``, ``behavior_se:<f>``, ``behavior_distance``,
        ``behavior_accuracy``, ``mesa_accuracy``, ``behavior_choices``, ``behavior_rank``,
        ``behavior_agreement``,
        ``behavior_cosine``, ``behavior_contested``, ``behavior_reason``); see METRICS.md.
    """
    check_worlds(worlds)
    pop = np.atleast_2d(np.asarray(population, dtype=np.float64))
    ph = organisms.phenotype(sc, pop)
    contested = contested_item_kinds(sc)
    frames = []
    for name in sc.distributions:
        batch = organisms.stack_worlds(sc.sample(name, int(worlds), assessment_seed(seed, name)))
        fits, mesa_accuracy = fit_population(sc, pop, ph, batch, name, seed, bootstrap, penalty)
        table = {"organism": np.arange(len(pop)), "kind": np.where(ph.is_planner, "planner", "heuristic"),
                 "distribution": name}
        table.update(behavior_columns(sc, fits, mesa_accuracy, name, contested[name]))
        frames.append(pd.DataFrame(table))
    return pd.concat(frames, ignore_index=True)
