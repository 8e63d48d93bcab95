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

The counts are read from recorded trajectories in numpy, every episode at once (``trajectory_counts``),
and the random walk is stepped in numpy, every world at once: neither is a kernel worth compiling at
the first run (the episodes themselves are the compiled ``kernels.run_episodes``). Only covered around
harm, a search per take, is compiled (``covered_around_episodes``), and only when something routes
around harm. ``reference_navigation`` and ``reference_random_walk`` are the plain-Python twins, which a
test compares episode for episode.
"""

from __future__ import annotations

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
def covered_around_episodes(paths, taken_ats, worlds, n_items, item_pos, item_feat, item_req, neighbours, w, out):
    """``out[j]``: covered of recorded episode ``j`` (in world ``worlds[j]`` of the batch's arrays) over
    routes around the items the walker could have taken on the way. Compiled only where something
    routes around harm; the plain counts are numpy (``trajectory_counts``)."""
    order = np.zeros(max(item_pos.shape[1], 1), dtype=np.int64)
    for j in range(paths.shape[0]):
        x = worlds[j]
        order_by_step(taken_ats[j], n_items[x], order)
        out[j] = _covered_around(paths[j], taken_ats[j], n_items[x], order, w, item_pos[x], item_feat[x],
                                 item_req[x], neighbours[x])


def trajectory_counts(batch: WorldBatch, worlds: np.ndarray, paths: np.ndarray, taken_ats: np.ndarray,
                      around: np.ndarray | None = None) -> np.ndarray:
    """(n, 3) int64 takes, moves and covered of n recorded episodes, episode ``j`` in world ``worlds[j]``
    (``paths`` (n, S + 1, 2), ``taken_ats`` (n, N), as ``kernels.recorded_blocks`` gives them).

    Vectorised over the episodes, in numpy: nothing is compiled for it (the shortest-path table is the
    batch's). ``around``: (n,) bool, episodes whose covered goes around the items the walker could have
    taken on the way (``covered_around_episodes``, compiled when first needed)."""
    n = paths.shape[0]
    out = np.zeros((n, 3), dtype=np.int64)
    if n == 0:
        return out
    w = batch.walls.shape[2]
    steps = batch.steps[worlds]
    slots = np.arange(taken_ats.shape[1])
    taken_at = np.where(slots[None, :] < batch.n_items[worlds][:, None], taken_ats, -1)
    cells = paths[..., 0] * w + paths[..., 1]  # (n, S + 1)
    within = np.arange(cells.shape[1] - 1)[None, :] < steps[:, None]
    out[:, 1] = ((cells[:, 1:] != cells[:, :-1]) & within).sum(axis=1)
    # Takes in the order they happened (distinct steps); from the start, each from the previous take.
    times = np.sort(np.where(taken_at >= 0, taken_at, cells.shape[1]), axis=1)
    took = times < cells.shape[1]
    out[:, 0] = took.sum(axis=1)
    at = np.take_along_axis(cells, np.where(took, times, 0), axis=1)
    before = np.concatenate([cells[:, :1], at[:, :-1]], axis=1)
    legs = batch.dist[worlds[:, None], before, at].astype(np.int64)
    out[:, 2] = np.where(took, legs, 0).sum(axis=1)
    if around is not None and around.any():
        rows = np.flatnonzero(around)
        covered = np.zeros(rows.size, dtype=np.int64)
        covered_around_episodes(paths[rows], np.ascontiguousarray(taken_at[rows]), worlds[rows], batch.n_items,
                                batch.item_pos, batch.item_features, batch.item_requires, batch.neighbours, w,
                                covered)
        out[rows, 2] = covered
    return out


def navigation(ph: Phenotype, batch: WorldBatch, parallel: bool = False,
               trajectories: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """(P, E, 3) takes, moves and covered of every organism of ``ph`` in every world of ``batch``.

    Covered goes around the items it could have taken for organisms that route around harm.
    ``parallel``: chunks of episodes on numba's number of threads (Python threads running the
    compiled episodes, which release the GIL); every episode writes only its own counts.
    ``trajectories``: the episodes already run, as ``organisms.run_population_recorded`` gives them
    (None: run here).
    """
    p, e = ph.kind.shape[0], batch.walls.shape[0]
    out = np.zeros((p, e, 3), dtype=np.int64)
    flat = out.reshape(p * e, 3)
    jobs = p * e
    threads = max(1, min(numba.get_num_threads() if parallel else 1, jobs))
    chunks = min(jobs, threads * kernels.CHUNKS_PER_THREAD) if threads > 1 else 1
    around = np.asarray(ph.avoids_harm, dtype=np.bool_)

    def blocks(lo: int, hi: int):
        if trajectories is None:
            yield from kernels.recorded_blocks(ph, batch, lo, hi)
            return
        for start in range(lo, hi, kernels.RECORD_BLOCK):
            end = min(start + kernels.RECORD_BLOCK, hi)
            yield start, trajectories[0][start:end], trajectories[1][start:end]

    def chunk(k: int) -> None:
        for start, paths, taken_ats in blocks(k * jobs // chunks, (k + 1) * jobs // chunks):
            jobs_here = np.arange(start, start + paths.shape[0])
            flat[jobs_here] = trajectory_counts(batch, jobs_here % e, paths, taken_ats, around[jobs_here // e])

    if threads == 1:
        chunk(0)
    else:
        list(kernels.thread_pool(threads).map(chunk, range(chunks)))
    return out


def random_moves(batch: WorldBatch, rng: np.random.Generator) -> np.ndarray:
    """(E, max steps) uniform directions for ``random_walk``, drawn from ``rng``."""
    return rng.integers(0, 4, size=(batch.walls.shape[0], int(batch.steps.max()))).astype(np.int64)


def random_walk(batch: WorldBatch, moves: np.ndarray, around: bool = False) -> np.ndarray:
    """(E, 3) takes, moves and covered of a random walk with the given ``moves`` on ``batch``
    (``around``: covered around the items it could have taken, as for organisms that avoid harm).

    The walk is stepped in numpy, every world at once: a move into a wall or off the grid stays, and
    stepping onto an item not yet taken takes it if its requirements are held."""
    e, h, w = batch.walls.shape
    steps = batch.steps
    worlds = np.arange(e)
    r, c = batch.start[:, 0].copy(), batch.start[:, 1].copy()
    paths = np.zeros((e, int(steps.max()) + 1, 2), dtype=np.int64)
    paths[:, 0, 0], paths[:, 0, 1] = r, c
    taken_at = np.full(batch.item_pos.shape[:2], -1, dtype=np.int64)
    held = np.zeros((e, batch.item_features.shape[2]))
    in_world = np.arange(batch.item_pos.shape[1])[None, :] < batch.n_items[:, None]
    for t in range(paths.shape[1] - 1):
        walking = t < steps
        nr = r + kernels.MOVE_DR[moves[:, t]]
        nc = c + kernels.MOVE_DC[moves[:, t]]
        inside = (nr >= 0) & (nr < h) & (nc >= 0) & (nc < w)
        free = inside & ~batch.walls[worlds, np.clip(nr, 0, h - 1), np.clip(nc, 0, w - 1)]
        go = walking & free
        r, c = np.where(go, nr, r), np.where(go, nc, c)
        # No two items share a cell: at most one item is stepped on.
        here = in_world & (batch.item_pos[..., 0] == r[:, None]) & (batch.item_pos[..., 1] == c[:, None])
        here &= (taken_at < 0) & walking[:, None]
        req = batch.item_requires
        able = ~((req > 0.0) & (held[:, None, :] < req)).any(axis=2)
        take = here & able
        taken_at[take] = t + 1
        held += np.einsum("ek,ekf->ef", take, batch.item_features - req)
        paths[:, t + 1, 0], paths[:, t + 1, 1] = r, c
    return trajectory_counts(batch, worlds, paths, taken_at, np.full(e, bool(around)))


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
