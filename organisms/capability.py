"""Capability measured apart from any objective: how much an organism takes, and how directly it
moves between what it takes.

Per episode, from the trajectory alone:

- *takes*: items taken;
- *moves*: steps on which the organism changed cell (staying is free, wandering is not);
- *covered*: the shortest-path distance (walls respected) from the start to the first take, plus
  from each take to the next, over routes that step on no item the organism could have taken then
  (moving onto such an item would have taken it, so no walk from one take to the next crosses one):
  a detour around an item is no loss of navigation, whatever the organism's reason to make it.

covered / moves is 1 for an organism that walks shortest routes from take to take and stops when it
is done, and falls for one that detours, oscillates or walks on after its last take. The same
numbers for a *random walk* on the same worlds (uniform moves N/E/S/W, a blocked move stays, every
item stepped on is taken) are the reference a navigation efficiency is normalised against.

``population_navigation`` and ``random_walk_navigation`` are compiled; ``reference_navigation`` and
``reference_random_walk`` are their plain-Python twins, which a test compares episode for episode.
"""

from __future__ import annotations

import numba
import numpy as np
from numba import njit, prange

from organisms import kernels
from organisms.genome import Phenotype
from organisms.grid import CELL, bfs, route_distances
from organisms.reference import run_episode
from organisms.worlds import WorldBatch, can_take, reference_can_take


@njit(cache=True)
def _episode_counts(path, taken_at, n_items, item_pos, item_feat, item_req, neighbours, w):
    """(takes, moves, covered) of one recorded episode."""
    moves = 0
    for t in range(path.shape[0] - 1):
        if path[t + 1, 0] != path[t, 0] or path[t + 1, 1] != path[t, 1]:
            moves += 1
    order = np.argsort(taken_at[:n_items])
    cells = neighbours.shape[0]
    row = np.empty(cells, dtype=np.int16)
    queue = np.empty(cells, dtype=CELL)
    blocked = np.empty(max(n_items, 1), dtype=CELL)
    held = np.zeros(item_feat.shape[1])
    takes = 0
    covered = 0
    t_prev = 0
    for k in range(n_items):
        i = order[k]
        t = taken_at[i]
        if t < 0:
            continue
        # Items not yet taken that the organism could take on the way: no walk to this take crossed one.
        n_blocked = 0
        for j in range(n_items):
            if j != i and (taken_at[j] < 0 or taken_at[j] > t) and can_take(held, item_req, j):
                blocked[n_blocked] = CELL(item_pos[j, 0] * w + item_pos[j, 1])
                n_blocked += 1
        route_distances(neighbours, CELL(path[t_prev, 0] * w + path[t_prev, 1]), row, queue, blocked, n_blocked)
        takes += 1
        covered += row[path[t, 0] * w + path[t, 1]]
        for f in range(held.shape[0]):
            held[f] += item_feat[i, f] - item_req[i, f]
        t_prev = t
    return takes, moves, covered


@njit(cache=True)
def _navigation_jobs(ph, batch, first, last, out):
    """Episodes ``first`` .. ``last - 1`` of the (organism, world) pairs, organism-major."""
    e = batch.walls.shape[0]
    scratch = kernels.batch_scratch(batch)
    nf = batch.item_features.shape[2]
    for job in range(first, last):
        o, x = job // e, job % e
        path = np.zeros((batch.steps[x] + 1, 2), dtype=np.int64)
        taken_at = np.full(max(batch.n_items[x], 1), -1, dtype=np.int64)
        outcome = np.zeros(nf)
        kernels.episode(ph, o, batch, x, scratch, outcome, True, path, taken_at)
        takes, moves, covered = _episode_counts(path, taken_at, batch.n_items[x], batch.item_pos[x],
                                                batch.item_features[x], batch.item_requires[x],
                                                batch.neighbours[x], batch.walls.shape[2])
        out[o, x, 0] = takes
        out[o, x, 1] = moves
        out[o, x, 2] = covered


@njit(cache=True)
def population_navigation(ph, batch):
    """(P, E, 3) int64: takes, moves and covered of every organism in every world (serial)."""
    p, e = ph.kind.shape[0], batch.walls.shape[0]
    out = np.zeros((p, e, 3), dtype=np.int64)
    _navigation_jobs(ph, batch, 0, p * e, out)
    return out


@njit(cache=True, parallel=True)
def population_navigation_parallel(ph, batch, chunks):
    """``population_navigation`` with ``chunks`` chunks of episodes spread over numba's threads (same
    results: every episode writes only its own counts)."""
    p, e = ph.kind.shape[0], batch.walls.shape[0]
    out = np.zeros((p, e, 3), dtype=np.int64)
    jobs = p * e
    chunks = min(jobs, max(1, chunks))
    for chunk in prange(chunks):
        _navigation_jobs(ph, batch, chunk * jobs // chunks, (chunk + 1) * jobs // chunks, out)
    return out


@njit(cache=True)
def random_walk_navigation(walls, start, steps, n_items, item_pos, item_feat, item_req, neighbours, moves):
    """(E, 3) int64: takes, moves and covered of a random walk in every world of a batch.

    ``moves`` (E, max steps) holds each step's direction (0..3: N, E, S, W); a move into a wall or off
    the grid stays.
    """
    e, h, w = walls.shape
    nf = item_feat.shape[2]
    out = np.zeros((e, 3), dtype=np.int64)
    for x in range(e):
        path = np.zeros((steps[x] + 1, 2), dtype=np.int64)
        taken_at = np.full(max(n_items[x], 1), -1, dtype=np.int64)
        held = np.zeros(nf)
        r, c = start[x, 0], start[x, 1]
        path[0, 0], path[0, 1] = r, c
        for t in range(steps[x]):
            nr = r + kernels.MOVE_DR[moves[x, t]]
            nc = c + kernels.MOVE_DC[moves[x, t]]
            if 0 <= nr < h and 0 <= nc < w and not walls[x, nr, nc]:
                r, c = nr, nc
            for i in range(n_items[x]):
                if taken_at[i] < 0 and item_pos[x, i, 0] == r and item_pos[x, i, 1] == c:
                    if kernels.can_take(held, item_req[x], i):
                        taken_at[i] = t + 1
                        for f in range(nf):
                            held[f] += item_feat[x, i, f] - item_req[x, i, f]
                    break
            path[t + 1, 0], path[t + 1, 1] = r, c
        takes, moved, covered = _episode_counts(path, taken_at, n_items[x], item_pos[x], item_feat[x], item_req[x],
                                                neighbours[x], w)
        out[x, 0], out[x, 1], out[x, 2] = takes, moved, covered
    return out


def navigation(ph: Phenotype, batch: WorldBatch, parallel: bool = False) -> np.ndarray:
    """(P, E, 3) takes, moves and covered of every organism of ``ph`` in every world of ``batch``."""
    if parallel:
        return population_navigation_parallel(ph, batch, numba.get_num_threads() * kernels.CHUNKS_PER_THREAD)
    return population_navigation(ph, batch)


def random_moves(batch: WorldBatch, rng: np.random.Generator) -> np.ndarray:
    """(E, max steps) uniform directions for ``random_walk``, drawn from ``rng``."""
    return rng.integers(0, 4, size=(batch.walls.shape[0], int(batch.steps.max()))).astype(np.int64)


def random_walk(batch: WorldBatch, moves: np.ndarray) -> np.ndarray:
    """(E, 3) takes, moves and covered of a random walk with the given ``moves`` on ``batch``."""
    return random_walk_navigation(batch.walls, batch.start, batch.steps, batch.n_items, batch.item_pos,
                                  batch.item_features, batch.item_requires, batch.neighbours, moves)


def efficiency(counts: np.ndarray) -> np.ndarray:
    """covered / moves summed over the episodes (last axis: takes, moves, covered); 0 where the
    organism never moved (it got nowhere)."""
    moves = counts[..., 1].sum(axis=-1).astype(np.float64)
    covered = counts[..., 2].sum(axis=-1).astype(np.float64)
    return np.where(moves > 0, covered / np.maximum(moves, 1.0), 0.0)


def normalised_efficiency(organism: np.ndarray, random: float) -> np.ndarray:
    """Efficiency rescaled so that the random walk's is 0 and shortest routes are 1 (below 0: worse
    than a random walk)."""
    return (np.asarray(organism, dtype=np.float64) - random) / (1.0 - random)


def _counts(path: list, taken_at: list, walls: list, items: list) -> tuple[int, int, int]:
    moves = sum(path[t + 1] != path[t] for t in range(len(path) - 1))
    takes = sorted((t, i) for i, t in enumerate(taken_at) if t >= 0)
    covered, prev = 0, tuple(path[0])
    held = [0.0] * (len(items[0][1]) if items else 0)
    for t, i in takes:
        around = [list(row) for row in walls]
        for j, (cell, _, requires) in enumerate(items):
            if j != i and (taken_at[j] < 0 or taken_at[j] > t) and reference_can_take(held, requires):
                around[cell[0]][cell[1]] = True
        covered += bfs(around, prev)[tuple(path[t])]
        held = [h + f - r for h, f, r in zip(held, items[i][1], items[i][2])]
        prev = tuple(path[t])
    return len(takes), int(moves), covered


def reference_navigation(organism: dict, world: dict) -> tuple[int, int, int]:
    """Plain-Python twin of one episode of ``population_navigation``: (takes, moves, covered)."""
    ep = run_episode(organism, world)
    path = [tuple(int(v) for v in p) for p in ep["path"]]
    return _counts(path, list(ep["taken_at"]), world["walls"], world["items"])


def reference_random_walk(world: dict, moves: list[int]) -> tuple[int, int, int]:
    """Plain-Python twin of one world of ``random_walk_navigation``."""
    walls = world["walls"]
    h, w = len(walls), len(walls[0])
    items = world["items"]
    held = [0.0] * (len(items[0][1]) if items else 0)
    taken_at = [-1] * len(items)
    pos = tuple(world["start"])
    path = [pos]
    for t in range(int(world["steps"])):
        dr, dc = ((-1, 0), (0, 1), (1, 0), (0, -1))[moves[t]]
        nxt = (pos[0] + dr, pos[1] + dc)
        if 0 <= nxt[0] < h and 0 <= nxt[1] < w and not walls[nxt[0]][nxt[1]]:
            pos = nxt
        for i, (cell, feats, req) in enumerate(items):
            if taken_at[i] < 0 and tuple(cell) == pos:
                if all(r <= 0.0 or have >= r for have, r in zip(held, req)):
                    taken_at[i] = t + 1
                    held = [a + f - r for a, f, r in zip(held, feats, req)]
                break
        path.append(pos)
    return _counts(path, taken_at, walls, items)
