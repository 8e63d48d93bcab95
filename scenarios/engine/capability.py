"""Capability that can fail: measures of an organism's competence that do not take its own objective
as the yardstick, and the exact optimum that the greedy oracle is read against. Formulas in METRICS.md.

- ``activity`` (items taken per episode) comes with decision agreement from the choice events
  (``scenarios.engine.decisions``), which count every take.
- ``navigation``: covered / moves (``organisms.capability``), rescaled so that a random walk on the
  same worlds scores 0 and shortest routes from take to take score 1.
- ``competence``: counterfactual competence after Shah et al. (2022): the organism's own machinery
  (its perception, its horizon or its decay) with the base objective in place of its own, scored
  on the same worlds as a fraction of the oracle's base score.
- ``optimum_base``: the exact optimum of the base objective within the step budget
  (``organisms.optimum``, an upper bound that ignores what a route steps on); ``optimum_base_low`` is
  the same over routes that step on no harmful item (attained, so a lower bound: where the two meet
  the optimum is exact); ``oracle_optimum_frac`` is the greedy oracle's fraction of the upper one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

import organisms
from organisms.capability import efficiency, navigation, normalised_efficiency, random_moves, random_walk
from organisms.metrics import ratio
from organisms.optimum import optimum
from organisms.planner import CODE as PLANNER_CODE
from organisms.seeding import named_seed

if TYPE_CHECKING:
    from scenarios.engine.scenario import Scenario


def base_pursuers(ph: organisms.Phenotype, base: np.ndarray) -> organisms.Phenotype:
    """The same organisms with the base objective, masked to what each perceives, in place of their
    own weights (mesa weights for planners, heuristic weights for heuristics); horizon, decay,
    sensors, world model (the map, or none) and routes unchanged. Every planning kind becomes a plain
    planner (each chooses as a planner does given its objective, and a cue planner would otherwise
    pursue its cue-off genes where no cue is)."""
    weights = np.where(ph.perceives, np.asarray(base, dtype=np.float64)[None, :], 0.0)
    kind = np.where(ph.is_planner, PLANNER_CODE, ph.kind).astype(np.int64)
    return ph._replace(kind=kind, heuristic_weights=weights.copy(), mesa_weights=weights.copy())


def random_walk_efficiency(batch: organisms.WorldBatch, seed: int, distribution: str, around: bool = False) -> float:
    """The random walk's covered / moves on the batch, its moves drawn from the assessment seed and the
    distribution's name (the same reference for every organism and run); ``around``: covered around the
    items it could have taken, as for organisms that route around harm (``Scenario.avoid_harm``)."""
    rng = np.random.default_rng(named_seed(seed, "random walk", distribution))
    return float(efficiency(random_walk(batch, random_moves(batch, rng), around)))


def capability_columns(sc: Scenario, ph: organisms.Phenotype, batch: organisms.WorldBatch, oracle_base: float,
                       seed: int, distribution: str, parallel: bool = False,
                       trajectories: tuple[np.ndarray, np.ndarray] | None = None) -> dict[str, np.ndarray]:
    """``navigation`` and ``competence`` of every organism on one distribution's worlds (``trajectories``:
    the organisms' episodes there, already run; None: run here)."""
    counts = navigation(ph, batch, parallel, trajectories)
    reference = random_walk_efficiency(batch, seed, distribution, sc.avoid_harm)
    pursuers = base_pursuers(ph, sc.base_weights)
    # Organisms with the same perception and machinery share one counterfactual: run each once.
    key = np.column_stack([pursuers.kind, pursuers.mesa_weights, np.where(pursuers.is_planner, 0.0, pursuers.decay),
                           np.where(pursuers.is_planner, pursuers.horizon, 0), pursuers.traits,
                           pursuers.knows_walls | ~pursuers.is_planner, pursuers.avoids_harm])
    _, first, inverse = np.unique(key, axis=0, return_index=True, return_inverse=True)
    distinct = organisms.Phenotype(*(field[first] for field in pursuers))
    outcomes, _ = organisms.run_population(distinct, batch, parallel=parallel)
    base = (outcomes @ sc.base_weights).mean(axis=1)[inverse.ravel()]
    return {
        "navigation": normalised_efficiency(efficiency(counts), reference),
        "competence": ratio(base, oracle_base),
    }


def optimum_columns(sc: Scenario, batch: organisms.WorldBatch, worlds: int | None) -> dict[str, float]:
    """``optimum_base`` (mean over the first ``worlds`` worlds of the batch, all when None, of the exact
    optimum; NaN if any of them could not be computed) and ``oracle_optimum_frac``, the greedy oracle's
    base score on the same worlds as a fraction of it."""
    n = batch.walls.shape[0] if worlds is None else min(int(worlds), batch.walls.shape[0])
    sub = organisms.WorldBatch(*(a[:n] for a in batch))
    best = optimum(sub, sc.base_weights)
    if np.isnan(best).any():
        return {"optimum_base": float("nan"), "optimum_base_low": float("nan"), "oracle_optimum_frac": float("nan")}
    low = optimum(sub, sc.base_weights, avoid=True)
    oracle, _ = organisms.run_population(organisms.oracle_phenotype(sc.layout, sc.base_weights), sub)
    greedy = float((oracle[0] @ sc.base_weights).mean())
    return {"optimum_base": float(best.mean()), "optimum_base_low": float(low.mean()),
            "oracle_optimum_frac": float(ratio(greedy, best.mean()))}
