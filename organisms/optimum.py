"""An exact upper bound on what any organism can score: the best linear utility within the step budget.

An organism's score is the summed utility w . x of the items it takes. It takes them in some order,
and walking from each to the next costs at least their shortest-path distance (walls respected), so
no organism scores more than the best, over subsets of the positively valued items and orders of
visiting them, whose summed distances from the start fit in the budget. That best is found exactly
by dynamic programming over subsets (Held-Karp): ``cost[S, j]``, the fewest steps that visit the
set S ending at item j. The bound is attained wherever the shortest routes it walks pass over no
item of negative utility (moving onto an item takes it); the greedy oracle's fraction of it says
how much a smarter route could still gain.

With ``avoid`` the routes may not step on an item of negative utility (such cells count as walls):
the optimum of that restricted problem is attained by a real route, so it bounds the true optimum
from below. Where the two bounds meet, the optimum is known exactly.

Worlds with more than ``MAX_ITEMS`` positively valued reachable items (the table grows as 2^n) and
worlds whose items have requirements (chains are not searched) give NaN.

``subset_optimum`` is compiled; ``reference_optimum`` is its plain-Python twin (brute force over
every order of every subset), which a test compares world for world.
"""

from __future__ import annotations

import itertools

import numpy as np
from numba import njit

from organisms import kernels
from organisms.grid import bfs
from organisms.worlds import WorldBatch

MAX_ITEMS = 16
"""Most positively valued items a world may have for its optimum to be computed."""


BIG = np.int64(1) << 40
"""A cost above any step budget: a (subset, last item) pair not reached."""


def subset_optimum(values, start_dist, pair_dist, steps):
    """Best summed value of items visited in some order within ``steps`` (Held-Karp over subsets).

    Args:
        values: (n,) positive values; start_dist (n,) steps from the start; pair_dist (n, n) between
            items; steps: the budget.
    """
    n = values.shape[0]
    # The tables are made here, in numpy: compiled code that allocates compiles numpy's allocators too.
    cost = np.full((1 << n, max(n, 1)), BIG, dtype=np.int64)
    return float(_held_karp(values, start_dist, pair_dist, int(steps), cost, np.zeros(1 << n)))


@njit(cache=True, nogil=True)
def _held_karp(values, start_dist, pair_dist, steps, cost, value):
    """``subset_optimum`` on its tables: ``cost`` (2^n, n) pre-set to ``BIG``, ``value`` (2^n,) zeros."""
    n = values.shape[0]
    size = 1 << n
    best = 0.0
    for j in range(n):
        if start_dist[j] <= steps:
            cost[1 << j, j] = start_dist[j]
    for mask in range(1, size):
        low = mask & -mask
        j0 = 0
        while (1 << j0) != low:
            j0 += 1
        value[mask] = value[mask ^ low] + values[j0]
        for j in range(n):
            c = cost[mask, j]
            if c > steps:
                continue
            if value[mask] > best:
                best = value[mask]
            for k in range(n):
                if mask & (1 << k):
                    continue
                nc = c + pair_dist[j, k]
                nxt = mask | (1 << k)
                if nc <= steps and nc < cost[nxt, k]:
                    cost[nxt, k] = nc
    return best


def world_optimum(batch: WorldBatch, world: int, weights: np.ndarray, avoid: bool = False) -> float:
    """The optimum of the linear objective ``weights`` in one world of a batch (NaN where not computed);
    with ``avoid``, over routes that never step on a negatively valued item."""
    n = int(batch.n_items[world])
    if n and np.any(batch.item_requires[world, :n] > 0):
        return float("nan")
    w = batch.walls.shape[2]
    cells = batch.item_pos[world, :n, 0] * w + batch.item_pos[world, :n, 1]
    start = int(batch.start[world, 0]) * w + int(batch.start[world, 1])
    steps = int(batch.steps[world])
    start_dist = batch.dist[world, start, cells].astype(np.int64)
    values = batch.item_features[world, :n] @ np.asarray(weights, dtype=np.float64)
    dist = batch.dist[world]
    if avoid and (values < 0).any():
        walls = batch.walls[world].copy()
        bad = batch.item_pos[world, :n][values < 0]
        walls[bad[:, 0], bad[:, 1]] = True
        dist = kernels.all_pairs_distances(walls)
        start_dist = dist[start, cells].astype(np.int64)
    keep = (values > 0) & (start_dist <= steps)
    if keep.sum() > MAX_ITEMS:
        return float("nan")
    kept = cells[keep]
    pair = dist[np.ix_(kept, kept)].astype(np.int64)
    return float(subset_optimum(values[keep], start_dist[keep], pair, steps))


def optimum(batch: WorldBatch, weights: np.ndarray, avoid: bool = False) -> np.ndarray:
    """(E,) the optimum of ``weights`` in every world of ``batch`` (see ``world_optimum``)."""
    return np.array([world_optimum(batch, k, weights, avoid) for k in range(batch.walls.shape[0])])


def reference_optimum(world: dict, weights: list[float], avoid: bool = False) -> float:
    """Plain-Python twin of ``world_optimum`` for a tiny world: every order of every subset."""
    items = world["items"]
    if any(r > 0 for _, _, req in items for r in req):
        return float("nan")
    start = tuple(world["start"])
    steps = int(world["steps"])
    valued = [(tuple(pos), sum(a * b for a, b in zip(feats, weights))) for pos, feats, _ in items]
    walls = [list(row) for row in world["walls"]]
    if avoid:
        for (r, c), v in valued:
            if v < 0:
                walls[r][c] = True
    far = {start: bfs(walls, start)}
    for pos, _, _ in items:
        far[tuple(pos)] = bfs(walls, tuple(pos))
    valued = [(pos, v) for pos, v in valued if v > 0]
    best = 0.0
    for size in range(1, len(valued) + 1):
        for order in itertools.permutations(valued, size):
            walked, here = 0, start
            for pos, _ in order:
                walked += far[here].get(pos, steps + 1)
                here = pos
            if walked <= steps:
                best = max(best, sum(v for _, v in order))
    return best
