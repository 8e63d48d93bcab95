"""Worlds as plain arrays: one sampled ``World``, a ``WorldBatch`` stacked for the compiled kernels,
and the rule for taking an item that every policy and the episode loop share.

A ``WorldBatch`` stacks several worlds (padding smaller grids with walls and short item lists with
unused slots) and adds each world's neighbour table and all-pairs distance table, so one compiled
call runs a whole population through every world.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from organisms import grid


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
    """Worlds stacked for the kernels (E worlds, grids padded to H x W, item slots to N).

    The compiled kernels take the batch itself (numba reads a NamedTuple of arrays as a record).
    """

    walls: np.ndarray
    """(E, H, W) bool; padding is wall."""
    start: np.ndarray
    """(E, 2) int64."""
    steps: np.ndarray
    """(E,) int64."""
    horizon_scale: np.ndarray
    """(E,) float64."""
    n_items: np.ndarray
    """(E,) int64: item slots in use (the rest are padding)."""
    item_pos: np.ndarray
    """(E, N, 2) int64."""
    item_features: np.ndarray
    """(E, N, F) float64."""
    item_requires: np.ndarray
    """(E, N, F) float64."""
    dist: np.ndarray
    """(E, H*W, H*W) int16 shortest-path distances (``grid.UNREACHABLE`` where none)."""
    reach: np.ndarray
    """(E, H*W, H*W) int32: cells within distance r of a cell."""
    neighbours: np.ndarray
    """(E, H*W, 4) ``grid.CELL``: the cell each move leads to (the cell itself where blocked)."""
    item_cells: np.ndarray
    """(E, N) ``grid.CELL``: each item's cell index (row * W + column)."""
    open_neighbours: np.ndarray
    """(E, H*W, 4) ``grid.CELL``: the neighbour table of each world's own grid as if it had no walls
    (only its edges block): the world model of a planner without the map."""

    @property
    def n_worlds(self) -> int:
        return int(self.walls.shape[0])


def stack_worlds(worlds: list[World]) -> WorldBatch:
    """Stack worlds into one batch and precompute their neighbour and distance tables."""
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
    neighbours = np.empty((e, h * wd, 4), dtype=grid.CELL)
    open_neighbours = np.empty((e, h * wd, 4), dtype=grid.CELL)
    for k, w in enumerate(worlds):
        walls[k, : w.walls.shape[0], : w.walls.shape[1]] = w.walls
        m = len(w.item_pos)
        item_pos[k, :m] = w.item_pos
        item_features[k, :m] = w.item_features
        item_requires[k, :m] = w.item_requires
        neighbours[k] = grid.neighbour_table(walls[k])
        beyond = np.ones((h, wd), dtype=np.bool_)  # outside this world's own grid (padding)
        beyond[: w.walls.shape[0], : w.walls.shape[1]] = False
        open_neighbours[k] = grid.neighbour_table(beyond)
        dist[k] = grid.distance_table(walls[k], neighbours[k])
        reach[k] = grid.reach_counts(dist[k])
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
        neighbours=neighbours,
        item_cells=(item_pos[..., 0] * wd + item_pos[..., 1]).astype(grid.CELL),
        open_neighbours=open_neighbours,
    )


class EpisodeWorld(NamedTuple):
    """World ``e`` of a batch as views, made once per episode so that a policy's inner loop does not
    slice the batch every step (each slice of a record's array costs reference counting)."""

    steps: int
    horizon_scale: float
    n_items: int
    item_pos: np.ndarray
    item_cells: np.ndarray
    item_features: np.ndarray
    item_requires: np.ndarray
    dist: np.ndarray
    reach: np.ndarray
    neighbours: np.ndarray
    open_neighbours: np.ndarray
    width: int
    """The batch's grid width (cells are numbered ``row * width + column``)."""


@njit(cache=True, inline="always")
def episode_world(batch, e):
    """The views of world ``e`` of ``batch``."""
    return EpisodeWorld(batch.steps[e], batch.horizon_scale[e], batch.n_items[e], batch.item_pos[e],
                        batch.item_cells[e], batch.item_features[e], batch.item_requires[e], batch.dist[e],
                        batch.reach[e], batch.neighbours[e], batch.open_neighbours[e],
                        batch.walls.shape[2])


@njit(cache=True)
def can_take(outcome, item_req, i):
    """Whether an organism holding ``outcome`` may take item ``i`` (it holds what the item requires)."""
    for f in range(item_req.shape[1]):
        if item_req[i, f] > 0.0 and outcome[f] < item_req[i, f]:
            return False
    return True


def reference_can_take(outcome, requires) -> bool:
    """``can_take`` for the plain-Python reference (lists)."""
    return all(req <= 0.0 or have >= req for have, req in zip(outcome, requires))
