"""Worlds as plain arrays, and running organisms through them (batched and compiled).

A sampled ``World`` is a handful of numpy arrays; a ``WorldBatch`` stacks several (padding smaller
grids with walls and short item lists with unused slots) and adds each world's all-pairs distance
table, so one compiled call runs a whole population through every world.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from organisms import kernels
from organisms.genome import Phenotype


class World(NamedTuple):
    """One sampled world."""

    walls: np.ndarray
    """(H, W) bool; True where a wall stands."""
    start: np.ndarray
    """(2,) int64: the organism's start cell (row, column)."""
    steps: int
    """The step budget of an episode."""
    horizon_scale: float
    """Multiplies planners' horizons in this world."""
    item_pos: np.ndarray
    """(N, 2) int64: each item's cell; no two items share a cell, none is on the start."""
    item_features: np.ndarray
    """(N, F) float64: what taking the item adds to the outcome vector."""
    item_requires: np.ndarray
    """(N, F) float64: holdings needed to take it, spent when taken."""
    item_kind: np.ndarray
    """(N,) int64: index of the item's kind in the spec that produced it (for drawing and tables)."""


class WorldBatch(NamedTuple):
    """Worlds stacked for the kernels (E worlds, grids padded to H x W, item slots to N)."""

    walls: np.ndarray
    start: np.ndarray
    steps: np.ndarray
    horizon_scale: np.ndarray
    n_items: np.ndarray
    item_pos: np.ndarray
    item_features: np.ndarray
    item_requires: np.ndarray
    dist: np.ndarray
    """(E, H*W, H*W) int16 shortest-path distances (``kernels.UNREACHABLE`` where none)."""
    reach: np.ndarray
    """(E, H*W, H*W) int32: cells within distance r of a cell."""

    def kernel_args(self) -> tuple:
        return (self.walls, self.start, self.steps, self.horizon_scale, self.n_items, self.item_pos,
                self.item_features, self.item_requires, self.dist, self.reach)


def stack_worlds(worlds: list[World]) -> WorldBatch:
    """Stack worlds into one batch and precompute their distance tables."""
    if not worlds:
        raise ValueError("worlds: need at least one world")
    e = len(worlds)
    h = max(w.walls.shape[0] for w in worlds)
    wd = max(w.walls.shape[1] for w in worlds)
    n = max(1, max(len(w.item_pos) for w in worlds))
    nf = worlds[0].item_features.shape[1]
    walls = np.ones((e, h, wd), dtype=np.bool_)
    item_pos = np.zeros((e, n, 2), dtype=np.int64)
    item_features = np.zeros((e, n, nf))
    item_requires = np.zeros((e, n, nf))
    dist = np.empty((e, h * wd, h * wd), dtype=np.int16)
    reach = np.empty((e, h * wd, h * wd), dtype=np.int32)
    for k, w in enumerate(worlds):
        walls[k, : w.walls.shape[0], : w.walls.shape[1]] = w.walls
        m = len(w.item_pos)
        item_pos[k, :m] = w.item_pos
        item_features[k, :m] = w.item_features
        item_requires[k, :m] = w.item_requires
        dist[k] = kernels.all_pairs_distances(walls[k])
        reach[k] = kernels.reach_counts(dist[k])
    return WorldBatch(
        walls=walls,
        start=np.array([w.start for w in worlds], dtype=np.int64),
        steps=np.array([w.steps for w in worlds], dtype=np.int64),
        horizon_scale=np.array([w.horizon_scale for w in worlds], dtype=np.float64),
        n_items=np.array([len(w.item_pos) for w in worlds], dtype=np.int64),
        item_pos=item_pos,
        item_features=item_features,
        item_requires=item_requires,
        dist=dist,
        reach=reach,
    )


def _phenotype_args(ph: Phenotype) -> tuple:
    return (ph.is_planner, ph.heuristic_weights, ph.decay, ph.mesa_weights, ph.horizon)


def run_population(ph: Phenotype, batch: WorldBatch, parallel: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Every organism of ``ph`` in every world of ``batch``, common worlds for all.

    Returns:
        outcomes (P, E, F) and compute (P, E).
    """
    kernel = kernels.population_episodes_parallel if parallel else kernels.population_episodes
    return kernel(*_phenotype_args(ph), *batch.kernel_args())


def run_recorded(ph: Phenotype, organism: int, batch: WorldBatch, world: int) -> dict:
    """One organism in one world with its trajectory: ``path`` (steps + 1, 2), ``taken_at`` (N,)
    (-1 for items never taken), ``outcome`` (F,) and ``compute``."""
    steps = int(batch.steps[world])
    n = int(batch.n_items[world])
    path = np.zeros((steps + 1, 2), dtype=np.int64)
    taken_at = np.full(max(n, 1), -1, dtype=np.int64)
    outcome = np.zeros(batch.item_features.shape[2])
    args = [a[world] for a in batch.kernel_args()]
    args[4] = n
    compute = kernels.episode(
        ph.is_planner[organism], ph.heuristic_weights[organism], ph.decay[organism],
        ph.mesa_weights[organism], ph.horizon[organism], *args, outcome, True, path, taken_at,
    )
    return {"path": path, "taken_at": taken_at[:n], "outcome": outcome, "compute": int(compute)}


def reference_organism(ph: Phenotype, organism: int) -> dict:
    """One organism of a phenotype as the plain-Python reference takes it."""
    return {
        "is_planner": bool(ph.is_planner[organism]),
        "heuristic_weights": [float(x) for x in ph.heuristic_weights[organism]],
        "decay": float(ph.decay[organism]),
        "mesa_weights": [float(x) for x in ph.mesa_weights[organism]],
        "horizon": int(ph.horizon[organism]),
    }


def reference_world(world: World) -> dict:
    """One world as the plain-Python reference takes it (lists and tuples)."""
    return {
        "walls": world.walls.tolist(),
        "start": (int(world.start[0]), int(world.start[1])),
        "steps": int(world.steps),
        "horizon_scale": float(world.horizon_scale),
        "items": [
            ((int(p[0]), int(p[1])), [float(x) for x in f], [float(x) for x in q])
            for p, f, q in zip(world.item_pos, world.item_features, world.item_requires)
        ],
    }
