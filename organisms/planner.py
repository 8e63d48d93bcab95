"""The planner: a mesa-optimizer that searches for the plan serving its mesa-objective.

It re-decides every step. Its plan is one target item: among the items it can take now whose
shortest-path distance (walls respected) is within min(horizon, steps left), the one maximising
mesa-utility - C_DIST * distance, ties to the nearer item, then to the lower index; if that value
is not positive it stays. It steps along a shortest path (moves tried N, E, S, W). Its compute is
the number of cells within min(horizon, steps left) of it, summed over steps. Genome block:
``mesa:<f>`` per perceivable feature, then ``horizon`` (1 + floor(sigmoid(gene) * HORIZON_CAP)).

The compiled policy reads distances from the batch's all-pairs table; the reference searches
afresh every step. Both give the same choices and the same compute count.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from organisms.grid import MOVES, STAY, bfs
from organisms.organism_kind import OrganismKind, item_utilities, reference_utilities, sigmoid
from organisms.worlds import can_take, reference_can_take

CODE = 1
"""The planner's kind code."""

HORIZON_CAP = 24
"""A planner's horizon is 1 + floor(sigmoid(gene) * HORIZON_CAP) steps (a cap below ~20 broke effects)."""

C_DIST = 0.05
"""A planner's value of an item is its mesa-utility minus C_DIST per step of distance."""

UNBOUNDED_HORIZON = 1 << 30
"""The oracle's horizon: larger than any path in any world, and never scaled."""

SCALED_HORIZON_LIMIT = 1 << 29
"""Horizons below this are multiplied by a world's ``horizon_scale``; larger ones (the oracle's
``UNBOUNDED_HORIZON``) are taken as they are."""

def genes(perceivable: list[str]) -> list[str]:
    """Names of this kind's block of genes, given the perceivable features' names."""
    return [f"mesa:{name}" for name in perceivable] + ["horizon"]


def decode(block: np.ndarray, layout) -> dict[str, np.ndarray]:
    """The block of every genome (P, block) as phenotype fields: mesa weights and horizon."""
    n_perceivable = len(layout.perceivable)
    horizon = 1 + np.floor(sigmoid(block[:, n_perceivable]) * HORIZON_CAP).astype(np.int64)
    return {"mesa_weights": block[:, :n_perceivable], "horizon": horizon}


def search_horizon(horizon, horizon_scale):
    """The planner's horizon in a world: scaled by the world's ``horizon_scale`` (at least 1), unless
    it is unbounded."""
    if horizon < SCALED_HORIZON_LIMIT:
        return max(1, int(horizon * horizon_scale))
    return UNBOUNDED_HORIZON


_search_horizon = njit(cache=True)(search_horizon)


@njit(cache=True, inline="always")
def start(ph, o, world, scratch):
    """Item utilities under the mesa-objective; returns the search horizon in this world."""
    item_utilities(ph.mesa_weights[o], world.item_features, world.n_items, scratch.util)
    return _search_horizon(ph.horizon[o], world.horizon_scale)


@njit(cache=True, inline="always")
def step(ph, o, world, scratch, param, cell, r, c, t, outcome):
    """One step toward the best target within ``min(param, steps left)``, and the step's compute."""
    dist, neighbours, item_cells, item_req = world.dist, world.neighbours, world.item_cells, world.item_requires
    n_items, steps, reach = world.n_items, world.steps, world.reach
    taken, util = scratch.taken, scratch.util
    radius = min(param, steps - t)
    compute = np.int64(reach[cell, min(radius, dist.shape[0] - 1)])
    best, best_val, best_d = -1, 0.0, 0
    for i in range(n_items):
        if taken[i] or not can_take(outcome, item_req, i):
            continue
        d = np.int64(dist[cell, item_cells[i]])
        if d > radius or d == 0:
            continue
        val = util[i] - C_DIST * d
        if best < 0 or val > best_val or (val == best_val and d < best_d):
            best, best_val, best_d = i, val, d
    move = STAY
    if best >= 0 and best_val > 0.0:
        target = item_cells[best]
        for m in range(4):
            nxt = neighbours[cell, m]
            if nxt != cell and dist[nxt, target] == best_d - 1:
                move = m
                break
    return move, compute


def reference_start(organism: dict, world: dict) -> dict:
    return {"utility": reference_utilities(organism["mesa_weights"], world["items"]),
            "horizon": search_horizon(int(organism["horizon"]), world["horizon_scale"])}


def reference_step(organism, world, state, pos, t, taken, outcome):
    """A fresh breadth-first search from the organism: its move (None to stay) and compute."""
    walls, items, utility = world["walls"], world["items"], state["utility"]
    radius = min(state["horizon"], int(world["steps"]) - t)
    dist = bfs(walls, pos)
    compute = sum(1 for d in dist.values() if d <= radius)
    best, best_val, best_d = -1, 0.0, 0
    for i, (cell, _, requires) in enumerate(items):
        if taken[i] or not reference_can_take(outcome, requires):
            continue
        d = dist.get(cell)
        if d is None or d > radius or d == 0:
            continue
        val = utility[i] - C_DIST * d
        if best < 0 or val > best_val or (val == best_val and d < best_d):
            best, best_val, best_d = i, val, d
    if best < 0 or best_val <= 0.0:
        return None, compute
    to_target = bfs(walls, items[best][0])
    for move, (dr, dc) in enumerate(MOVES):
        if to_target.get((pos[0] + dr, pos[1] + dc)) == best_d - 1:
            return move, compute
    raise AssertionError("a reachable target always has a neighbour one step closer")


def objective(ph, item_features: np.ndarray) -> np.ndarray:
    """The mesa-objective, in every world alike (P, E, F)."""
    return np.broadcast_to(ph.mesa_weights[:, None, :],
                           (ph.mesa_weights.shape[0], item_features.shape[0], ph.mesa_weights.shape[1]))


KIND = OrganismKind(
    name="planner", code=CODE, plans=True, genes=genes, decode=decode,
    weight_fields=("mesa_weights",), start=start, step=step,
    reference_start=reference_start, reference_step=reference_step, objective=objective,
)
