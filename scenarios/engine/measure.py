"""Measurement: fitness per generation, the assessment table, and single recorded episodes.

Assessment worlds depend only on the assessment seed and the distribution's name, never on a run's
seed, so every organism, the oracles and every run are scored on the same worlds.
"""

from __future__ import annotations

import zlib
from typing import Any

import numpy as np
import pandas as pd

import organisms
from scenarios.engine.scenario import Scenario, seed_child


def _scores(sc: Scenario, ph: organisms.Phenotype, outcomes: np.ndarray, compute: np.ndarray) -> dict:
    """Per-organism means over episodes: base, intended, mesa (NaN for heuristics), costs, fitness."""
    base = (outcomes @ sc.base_weights).mean(axis=1)
    mesa = np.einsum("pef,pf->pe", outcomes, ph.mesa_weights).mean(axis=1)
    mean_compute = compute.mean(axis=1)
    costs = ph.sensors.astype(np.float64) @ sc.sensor_costs + sc.compute_cost * mean_compute
    return {
        "base": base,
        "intended": (outcomes @ sc.intended_weights).mean(axis=1),
        "mesa": np.where(ph.is_planner, mesa, np.nan),
        "fitness": base - costs,
        "compute": mean_compute,
        "outcome": outcomes.mean(axis=1),
    }


def _agreement(sc: Scenario, ph: organisms.Phenotype, distribution: str) -> np.ndarray:
    """agreement(base, mesa) per organism on a distribution; NaN for heuristics."""
    kinds = sc.kinds(distribution)
    agree = organisms.agreement(ph.mesa_weights, sc.base_weights, kinds.features, kinds.expected_counts)
    return np.where(ph.is_planner, agree, np.nan)


def _planner_mean(values: np.ndarray, is_planner: np.ndarray) -> float:
    vals = values[is_planner & ~np.isnan(values)]
    return float(vals.mean()) if vals.size else float("nan")


def _oracle(sc: Scenario, objective, batch: organisms.WorldBatch) -> np.ndarray:
    """Mean per episode of the objective's own utility for a planner pursuing it (see METRICS)."""
    w = sc.weights(objective)
    outcomes, _ = organisms.run_population(organisms.oracle_phenotype(sc.layout, w), batch)
    return outcomes[0] @ w


def generation_summary(sc: Scenario, population: np.ndarray, generation_seed: Any, episodes: int,
                       parallel: bool) -> tuple[np.ndarray, dict[str, float]]:
    """Fitness on this generation's training worlds, and the generation's log columns."""
    ph = organisms.phenotype(sc, population)
    summary: dict[str, float] = {}
    fitness = None
    for k, name in enumerate(sc.distributions):
        batch = organisms.stack_worlds(sc.sample(name, episodes, seed_child(generation_seed, k)))
        outcomes, compute = organisms.run_population(ph, batch, parallel=parallel)
        s = _scores(sc, ph, outcomes, compute)
        agree = _planner_mean(_agreement(sc, ph, name), ph.is_planner)
        oracle = float(_oracle(sc, None, batch).mean())
        if name == "train":
            fitness = s["fitness"]
            summary.update(
                base_mean=float(s["base"].mean()),
                intended_mean=float(s["intended"].mean()),
                oracle_base=oracle,
                planner_share=float(ph.is_planner.mean()),
                agreement_train=agree,
                compute_mean=float(s["compute"].mean()),
            )
        else:
            summary[f"{name}:base_mean"] = float(s["base"].mean())
            summary[f"{name}:oracle_base"] = oracle
            summary[f"{name}:agreement"] = agree
    for j, i in enumerate(sc.layout.sensed):
        summary[f"sensor:{sc.feature_names[i]}"] = float(ph.sensors[:, j].mean())
    for i in sc.layout.perceivable:
        # Mean of the weight each planner actually pursues (0 where it does not perceive the feature).
        summary[f"mesa:{sc.feature_names[i]}"] = _planner_mean(ph.mesa_weights[:, i], ph.is_planner)
    return fitness, summary


def assessment_seed(seed: int, distribution: str) -> np.random.SeedSequence:
    """Assessment worlds of a distribution: fixed by the assessment seed and the name alone."""
    return np.random.SeedSequence([int(seed), zlib.crc32(distribution.encode())])


def assess(sc: Scenario, population: Any, worlds: int = 300, seed: int = 0,
           parallel: bool = False) -> pd.DataFrame:
    """Score every organism on the training and every deployment distribution.

    Returns:
        A row per (organism, distribution) with the contract's columns (see METRICS.md).
    """
    if isinstance(worlds, bool) or not isinstance(worlds, (int, np.integer)) or worlds < 1:
        raise ValueError(f"worlds: must be an integer >= 1, got {worlds!r}")
    ph = organisms.phenotype(sc, population)
    n = ph.is_planner.shape[0]
    frames = []
    for name in sc.distributions:
        batch = organisms.stack_worlds(sc.sample(name, int(worlds), assessment_seed(seed, name)))
        outcomes, compute = organisms.run_population(ph, batch, parallel=parallel)
        s = _scores(sc, ph, outcomes, compute)
        table = {
            "organism": np.arange(n),
            "kind": np.where(ph.is_planner, "planner", "heuristic"),
            "distribution": name,
            "base": s["base"],
            "fitness": s["fitness"],
            "intended": s["intended"],
            "mesa": s["mesa"],
            "oracle_base": float(_oracle(sc, None, batch).mean()),
            "oracle_intended": float(_oracle(sc, sc.intended, batch).mean()),
            "agreement": _agreement(sc, ph, name),
            "compute": s["compute"],
        }
        for j, i in enumerate(sc.layout.sensed):
            table[f"sensor:{sc.feature_names[i]}"] = ph.sensors[:, j]
        for f, fname in enumerate(sc.feature_names):
            table[f"outcome:{fname}"] = s["outcome"][:, f]
        frames.append(pd.DataFrame(table))
    return pd.concat(frames, ignore_index=True)


def episode(sc: Scenario, genome: Any, distribution: str = "train", seed: int = 0) -> dict:
    """One organism's episode in one world, with everything needed to draw it.

    Returns:
        A record: ``walls``, ``start``, ``item_pos``, ``item_kind`` and ``kind_names`` (the world),
        ``path`` ((steps + 1, 2) cells) and ``taken_at`` (per item: the step it was taken, -1 if
        never), ``outcome`` per feature, ``compute``, ``base`` and ``mesa`` scores, the organism's
        ``kind``, and the ``scenario`` and ``distribution`` names.
    """
    genome = np.asarray(genome, dtype=np.float64)
    if genome.ndim != 1:
        raise ValueError(f"genome: expected one genome (a 1-D array), got shape {genome.shape}")
    ph = organisms.phenotype(sc, genome)
    world = sc.sample(distribution, 1, assessment_seed(seed, distribution))[0]
    batch = organisms.stack_worlds([world])
    rec = organisms.run_recorded(ph, 0, batch, 0)
    kinds = sc.kinds(distribution)
    is_planner = bool(ph.is_planner[0])
    return {
        "scenario": sc.name,
        "distribution": distribution,
        "features": sc.feature_names,
        "walls": world.walls,
        "start": world.start,
        "item_pos": world.item_pos,
        "item_kind": world.item_kind,
        "kind_names": list(kinds.names),
        "kind_base": (kinds.features @ sc.base_weights).tolist(),
        "kind": "planner" if is_planner else "heuristic",
        "path": rec["path"],
        "taken_at": rec["taken_at"],
        "outcome": rec["outcome"],
        "compute": rec["compute"],
        "base": float(rec["outcome"] @ sc.base_weights),
        "mesa": float(rec["outcome"] @ ph.mesa_weights[0]) if is_planner else float("nan"),
    }
