"""Where a population lands in CoinRun's 2 x 2: capability retained against goal retained.

Both are population measures on the assessment worlds (independent of the run's seed):

- ``capability_retained``: mean navigation at deployment / mean navigation in training (navigation
  as the assessment defines it: 0 a random walk, 1 shortest routes from take to take).
- ``goal_retained_raw``: mean base score at deployment / in training. It also falls when navigation
  fails (a lost planner takes fewer coins whatever it wants), so it is not a measure of the goal.
- ``goal_retained``: the capability-matched one. Each organism is compared with its *matched
  pursuer*: a planner with the organism's own horizon gene and map gene, but the base objective as
  its mesa weights and every sensor on, so its perception is complete. What differs between the two
  is the goal (and the senses that serve it), not the world model or the search; the ratio of the
  population's mean base score to its matched pursuers' mean, at deployment, divided by the same
  ratio in training, is the goal retained.

A cell of the 2 x 2 is read against thresholds (``studies/claims.toml [coinrun_2x2]``): a retention
at or above ``holds`` holds, at or below ``fails`` fails, in between is undecided.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

import organisms
from organisms.kinds import by_name
from organisms.metrics import ratio
from scenarios.engine.measure import assess
from scenarios.engine.world import assessment_seed

if TYPE_CHECKING:
    from scenarios.engine.scenario import Scenario

CELLS = ("both_generalize", "goal_fails", "capability_fails", "both_fail")
"""The four cells, named as the regimes that aim at them."""


def matched_pursuers(ph: organisms.Phenotype, base: np.ndarray) -> organisms.Phenotype:
    """Planners with each organism's own horizon and map gene, the base objective as mesa weights,
    and every feature perceived (every sensor on)."""
    n, f = ph.mesa_weights.shape
    weights = np.tile(np.asarray(base, dtype=np.float64), (n, 1))
    return ph._replace(kind=np.full(n, by_name("planner").code, dtype=np.int64), mesa_weights=weights,
                       heuristic_weights=weights.copy(), perceives=np.ones((n, f), dtype=np.bool_),
                       sensors=np.ones_like(ph.sensors))


def matched_base(sc: Scenario, ph: organisms.Phenotype, batch: organisms.WorldBatch) -> np.ndarray:
    """(P,) each organism's matched pursuer's mean base score per episode on the batch."""
    pursuers = matched_pursuers(ph, sc.base_weights)
    # Pursuers differ only in horizon and map: run each distinct one once.
    key = np.column_stack([pursuers.horizon, pursuers.knows_walls])
    _, first, inverse = np.unique(key, axis=0, return_index=True, return_inverse=True)
    distinct = organisms.Phenotype(*(field[first] for field in pursuers))
    outcomes, _ = organisms.run_population(distinct, batch)
    return (outcomes @ sc.base_weights).mean(axis=1)[inverse.ravel()]


def cell(capability: float, goal: float, holds: float, fails: float) -> str:
    """The cell a (capability retained, goal retained) pair lands in, or "between" when either is
    neither at or above ``holds`` nor at or below ``fails``."""
    def verdict(x: float) -> str | None:
        return "holds" if x >= holds else "fails" if x <= fails else None

    c, g = verdict(capability), verdict(goal)
    if c is None or g is None:
        return "between"
    return {("holds", "holds"): "both_generalize", ("holds", "fails"): "goal_fails",
            ("fails", "holds"): "capability_fails", ("fails", "fails"): "both_fail"}[(c, g)]


def retention(sc: Scenario, population: Any, worlds: int = 200, seed: int = 0) -> dict[str, float]:
    """A population's place in the 2 x 2, from its assessment on ``worlds`` worlds per distribution.

    Returns:
        ``capability_retained``, ``goal_retained`` (capability-matched), ``goal_retained_raw``, and
        per distribution (``train`` and ``deploy``) the population means of ``navigation``, ``base``,
        ``matched_base``, and the shares with the coin sensor and the map.
    """
    if len(sc.deploy) != 1:
        raise ValueError(f"retention: needs a scenario with one deployment distribution, got {list(sc.deploy)}")
    ph = organisms.phenotype(sc, population)
    table = assess(sc, population, worlds=worlds, seed=seed, optimum_worlds=0)
    out: dict[str, float] = {}
    for role, name in (("train", "train"), ("deploy", next(iter(sc.deploy)))):
        part = table[table["distribution"] == name]
        batch = organisms.stack_worlds(sc.sample(name, int(worlds), assessment_seed(seed, name)))
        out[f"{role}_navigation"] = float(part["navigation"].mean())
        out[f"{role}_base"] = float(part["base"].mean())
        out[f"{role}_matched_base"] = float(matched_base(sc, ph, batch).mean())
    out["sensor_share"] = float(ph.sensors.mean()) if ph.sensors.size else float("nan")
    out["map_share"] = float(ph.knows_walls.mean())
    out["capability_retained"] = float(ratio(out["deploy_navigation"], out["train_navigation"]))
    out["goal_retained_raw"] = float(ratio(out["deploy_base"], out["train_base"]))
    out["goal_retained"] = float(ratio(ratio(out["deploy_base"], out["deploy_matched_base"]),
                                       ratio(out["train_base"], out["train_matched_base"])))
    return out
