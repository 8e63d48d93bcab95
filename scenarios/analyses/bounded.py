"""Bounded planners want a different goal: the best mesa-objective for a planner of a given horizon.

Sorg, Singh and Lewis (2010-11) showed that a depth-limited planner does better with an internal
reward that is not the designer's. Here, for a fixed horizon, every mesa-objective on a grid of
weights (``WEIGHTS`` per perceivable feature) is scored by the base objective on selection worlds;
the best one (ties to the smallest angle from the base objective, so a difference must earn its
keep) and the best planner pursuing the base objective itself (its best positive multiple: a
weight's size matters against the distance cost), at the same horizon, are then scored on common
fresh worlds. Reported: the best objective's angle to the base objective and its advantage
in base score per episode over the base pursuer (paired standard error over worlds).

The prediction: the angle and the advantage shrink as the horizon grows, because a planner that
sees everything gains nothing from valuing what the base objective does not.

    from scenarios.analyses import bounded
    table = bounded.horizon_table(bounded.foraging(), horizons=(1, 2, 4, 8, None), seeds=range(5))

``foraging()`` is the world this analysis was written for: food (the only thing the base objective
values) lies far from the start, beyond short searches, and worthless tracks lie everywhere.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

import organisms
from organisms.planner import UNBOUNDED_HORIZON
from organisms.seeding import seed_child
from scenarios.engine.scenario import Scenario
from scenarios.engine.spec import Feature, ItemKind, Objective, WorldSpec

WEIGHTS = (-1.0, 0.0, 0.1, 0.25, 0.5, 1.0, 2.0)
"""Values searched for each perceivable feature's mesa weight (on the scale of ``C_DIST`` per step)."""


def foraging(food_distance: int = 9, tracks: int = 40) -> Scenario:
    """A world with distant rewards: food far from the start (``food_distance`` steps or more),
    ``tracks`` worthless items anywhere, everything visible; the base objective counts food."""
    world = WorldSpec(size=(15, 15), steps=40, start="center",
                      items=[ItemKind("food", {"food": 1.0}, 3, distance=(food_distance, None)),
                             ItemKind("track", {"track": 1.0}, tracks)])
    return Scenario(name="foraging", features=[Feature("food"), Feature("track")], train=world, deploy={},
                    base=Objective({"food": 1.0}), intended=None, defaults={"kinds": ("planner",)},
                    description="Food lies far from the start; worthless tracks lie everywhere.")


def planners(sc: Scenario, weights: np.ndarray) -> np.ndarray:
    """Planner genomes with the given mesa weights (K, perceivable), sensors off."""
    layout = sc.layout
    genomes = np.zeros((len(weights), layout.length))
    genomes[:, layout.kind] = 1.0
    genomes[:, layout.mesa] = weights
    if layout.sensed:
        genomes[:, layout.sensors] = -1.0
    return genomes


def base_scores(sc: Scenario, weights: np.ndarray, horizon: int | None, worlds: int, seed) -> np.ndarray:
    """Base score per episode (K, worlds) of planners with ``weights`` and a fixed ``horizon``
    (None: unbounded) on training worlds."""
    ph = organisms.phenotype(sc, planners(sc, weights))
    ph = ph._replace(horizon=np.full(len(weights), UNBOUNDED_HORIZON if horizon is None else horizon,
                                     dtype=np.int64))
    outcomes, _ = organisms.run_population(ph, organisms.stack_worlds(sc.sample("train", worlds, seed)))
    return outcomes @ sc.base_weights


def angle(a: np.ndarray, b: np.ndarray) -> float:
    """Degrees between two weight vectors (NaN if either is zero)."""
    norm = np.linalg.norm(a) * np.linalg.norm(b)
    return float(np.degrees(np.arccos(np.clip(a @ b / norm, -1.0, 1.0)))) if norm > 0 else float("nan")


def best_objective(sc: Scenario, horizon: int | None, seed: int, select_worlds: int = 200,
                   eval_worlds: int = 500, weights: Sequence[float] = WEIGHTS) -> dict:
    """The best mesa-objective for planners of one horizon, against the base objective's pursuer.

    Returns:
        ``horizon`` (None: unbounded), ``seed``, ``best:<feature>`` (the best weights),
        ``pursuer_scale`` (the base pursuer's multiple of the base objective), ``angle`` (degrees
        from the best objective to the base objective), ``best_base`` and ``base_pursuer_base`` (per
        episode on the fresh worlds), ``advantage`` (their difference) and ``se`` (paired over worlds).
    """
    layout = sc.layout
    perceivable = [layout.features[i] for i in layout.perceivable]
    base = sc.base_weights[list(layout.perceivable)]
    grid = np.array(list(itertools.product(weights, repeat=len(perceivable))), dtype=np.float64)
    grid = grid[np.abs(grid).sum(axis=1) > 0]
    select = base_scores(sc, grid, horizon, select_worlds, seed_child(seed, 0)).mean(axis=1)
    angles = np.array([angle(w, base) for w in grid])
    best = grid[np.lexsort((angles, -select))[0]]
    # The base objective's pursuer: its best positive multiple on the same worlds, since a weight's
    # size matters against the distance cost; comparing directions, not scales.
    along = np.flatnonzero(angles < 1e-9)
    pursuer = grid[along[np.argmax(select[along])]]
    fresh = base_scores(sc, np.stack([best, pursuer]), horizon, eval_worlds, seed_child(seed, 1))
    diff = fresh[0] - fresh[1]
    return {"horizon": horizon, "seed": seed,
            **{f"best:{name}": float(w) for name, w in zip(perceivable, best)},
            "pursuer_scale": float(np.linalg.norm(pursuer) / np.linalg.norm(base)),
            "angle": angle(best, base), "best_base": float(fresh[0].mean()),
            "base_pursuer_base": float(fresh[1].mean()), "advantage": float(diff.mean()),
            "se": float(diff.std(ddof=1) / np.sqrt(len(diff)))}


def horizon_table(sc: Scenario, horizons: Iterable[int | None] = (1, 2, 4, 8, None),
                  seeds: Iterable[int] = range(5), **kwargs) -> pd.DataFrame:
    """``best_objective`` for every (horizon, seed of worlds): a row each."""
    return pd.DataFrame([best_objective(sc, h, s, **kwargs) for h in horizons for s in seeds])
