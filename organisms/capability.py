"""Capability measured apart from any objective: how much an organism takes, and how directly it
moves between what it takes.

Per episode, from the trajectory alone:

- *takes*: items taken;
- *moves*: steps on which the organism changed cell (staying is free, wandering is not);
- *covered*: the shortest-path distance (walls respected) from the start to the first take, plus
  from each take to the next. Where the organism routes around harm (``Phenotype.avoids_harm``: the
  scenario's ``avoid_harm``), over routes that step on no item the organism could have taken then
  (moving onto such an item would have taken it, so no walk from one take to the next crosses one):
  a detour around an item is then no loss of navigation, whatever the organism's reason to make it.

covered / moves is 1 for an organism that walks shortest routes from take to take and stops when it
is done, and falls for one that detours, oscillates or walks on after its last take. The same
numbers for a *random walk* on the same worlds (uniform moves N/E/S/W, a blocked move stays, every
item stepped on is taken) are the reference a navigation efficiency is normalised against.

``population_navigation`` and ``random_walk_navigation`` are compiled; ``reference_navigation`` and
``reference_random_walk`` are their plain-Python twins, which a test compares episode for episode.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numba
import numpy as np
from numba import njit

from organisms import kernels
from organisms.choices import order_by_step
from organisms.genome import Phenotype
from organisms.grid import CELL, bfs, route_distances
from organisms.reference import run_episode
from organisms.worlds import WorldBatch, can_take, reference_can_take


@njit(cache=True, nogil=True)
def _covered_around(path, taken_at, n_items, order, w, item_pos, item_feat, item_req, neighbours):
    """covered over routes that step on no item the organism could have taken on the way."""
    cells = neighbours.shape[0]
    row = np.empty(cells, dtype=np.int16)
    queue = np.empty(cells, dtype=CELL)
    blocked = np.empty(max(n_items, 1), dtype=CELL)
    held = np.zeros(item_feat.shape[1])
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
        covered += row[path[t, 0] * w + path[t, 1]]
        for f in range(held.shape[0]):
            held[f] += item_feat[i, f] - item_req[i, f]
        t_prev = t
    return covered


@njit(cache=True, nogil=True)
def _episode_counts(path, steps, taken_at, n_items, dist, w, order, around, item_pos, item_feat, item_req,
                    neighbours):
    """(takes, moves, covered) of one recorded episode of ``steps`` steps (``order``: (N,) scratch);
    ``around``: covered over routes around the items it could have taken on the way."""
    moves = 0
    for t in range(steps):
        if path[t + 1, 0] != path[t, 0] or path[t + 1, 1] != path[t, 1]:
            moves += 1
    order_by_step(taken_at, n_items, order)
    takes = 0
    covered = 0
    t_prev = 0
    for k in range(n_items):
        t = taken_at[order[k]]
        if t < 0:
            continue
        takes += 1
        covered += dist[path[t_prev, 0] * w + path[t_prev, 1], path[t, 0] * w + path[t, 1]]
        t_prev = t
    if around:
        covered = _covered_around(path, taken_at, n_items, order, w, item_pos, item_feat, item_req, neighbours)
    return takes, moves, covered


@njit(cache=True, nogil=True)
def population_navigation(batch, first, paths, taken_ats, order, out, around):
    """Takes, moves and covered (``out[o, x]``, int64) of the recorded episodes ``first`` ..
    ``first + n - 1`` of the (organism, world) pairs (organism-major), from their ``paths`` (n, S + 1, 2)
    and ``taken_ats`` (n, N) (``kernels.recorded_blocks``); ``order``: (N,) int64 scratch; ``around``:
    (P,) bool, organisms whose covered goes around the items they could have taken."""
    e = batch.walls.shape[0]
    for j in range(paths.shape[0]):
        job = first + j
        o, x = job // e, job % e
        takes, moves, covered = _episode_counts(paths[j], batch.steps[x], taken_ats[j], batch.n_items[x],
                                                batch.dist[x], batch.walls.shape[2], order, around[o], batch.item_pos[x],
                                                batch.item_features[x], batch.item_requires[x], batch.neighbours[x])
        out[o, x, 0] = takes
        out[o, x, 1] = moves
        out[o, x, 2] = covered


@njit(cache=True, nogil=True)
def random_walk_navigation(walls, start, steps, n_items, item_pos, item_feat, item_req, dist, moves,
                           neighbours, around):
    """(E, 3) int64: takes, moves and covered of a random walk in every world of a batch (``around``:
    covered around the items it could have taken on the way, as ``population_navigation``).

    ``moves`` (E, max steps) holds each step's direction (0..3: N, E, S, W); a move into a wall or off
    the grid stays.
    """
    e, h, w = walls.shape
    nf = item_feat.shape[2]
    out = np.zeros((e, 3), dtype=np.int64)
    order = np.zeros(max(item_pos.shape[1], 1), dtype=np.int64)
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
        takes, moved, covered = _episode_counts(path, steps[x], taken_at, n_items[x], dist[x], w, order, around,
                                                item_pos[x], item_feat[x], item_req[x], neighbours[x])
        out[x, 0], out[x, 1], out[x, 2] = takes, moved, covered
    return out


def navigation(ph: Phenotype, batch: WorldBatch, parallel: bool = False) -> np.ndarray:
    """(P, E, 3) takes, moves and covered of every organism of ``ph`` in every world of ``batch``.

    Covered goes around the items it could have taken for organisms that route around harm.
    ``parallel``: chunks of episodes on numba's number of threads (Python threads calling the
    compiled counts, which release the GIL); every episode writes only its own counts.
    """
    p, e = ph.kind.shape[0], batch.walls.shape[0]
    out = np.zeros((p, e, 3), dtype=np.int64)
    jobs = p * e
    threads = max(1, min(numba.get_num_threads() if parallel else 1, jobs))
    chunks = min(jobs, threads * kernels.CHUNKS_PER_THREAD) if threads > 1 else 1

    n = batch.item_pos.shape[1]
    around = np.ascontiguousarray(ph.avoids_harm, dtype=np.bool_)

    def chunk(k: int) -> None:
        order = np.zeros(max(n, 1), dtype=np.int64)  # made here, in numpy: nothing is compiled for it
        for start, paths, taken_ats in kernels.recorded_blocks(ph, batch, k * jobs // chunks, (k + 1) * jobs // chunks):
            population_navigation(batch, start, paths, taken_ats, order, out, around)

    if threads == 1:
        chunk(0)
    else:
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(chunk, range(chunks)))
    return out


def random_moves(batch: WorldBatch, rng: np.random.Generator) -> np.ndarray:
    """(E, max steps) uniform directions for ``random_walk``, drawn from ``rng``."""
    return rng.integers(0, 4, size=(batch.walls.shape[0], int(batch.steps.max()))).astype(np.int64)


def random_walk(batch: WorldBatch, moves: np.ndarray, around: bool = False) -> np.ndarray:
    """(E, 3) takes, moves and covered of a random walk with the given ``moves`` on ``batch``
    (``around``: covered around the items it could have taken, as for organisms that avoid harm)."""
    return random_walk_navigation(batch.walls, batch.start, batch.steps, batch.n_items, batch.item_pos,
                                  batch.item_features, batch.item_requires, batch.dist, moves, batch.neighbours,
                                  bool(around))


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


def _counts(path: list, taken_at: list, walls: list, items: list, around: bool) -> tuple[int, int, int]:
    moves = sum(path[t + 1] != path[t] for t in range(len(path) - 1))
    takes = sorted((t, i) for i, t in enumerate(taken_at) if t >= 0)
    covered, prev = 0, tuple(path[0])
    held = [0.0] * (len(items[0][1]) if items else 0)
    for t, i in takes:
        model = [list(row) for row in walls]
        if around:
            for j, (cell, _, requires) in enumerate(items):
                if j != i and (taken_at[j] < 0 or taken_at[j] > t) and reference_can_take(held, requires):
                    model[cell[0]][cell[1]] = True
        covered += bfs(model, prev)[tuple(path[t])]
        held = [h + f - r for h, f, r in zip(held, items[i][1], items[i][2])]
        prev = tuple(path[t])
    return len(takes), int(moves), covered


def reference_navigation(organism: dict, world: dict) -> tuple[int, int, int]:
    """Plain-Python twin of one episode of ``population_navigation``: (takes, moves, covered)."""
    ep = run_episode(organism, world)
    path = [tuple(int(v) for v in p) for p in ep["path"]]
    return _counts(path, list(ep["taken_at"]), world["walls"], world["items"], bool(organism["avoids_harm"]))


def reference_random_walk(world: dict, moves: list[int], around: bool = False) -> tuple[int, int, int]:
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
    return _counts(path, taken_at, walls, items, around)
