"""Compiled episode kernels on plain arrays.

Every function here has a plain-Python twin in ``organisms.reference`` that a test compares
trajectory for trajectory. The twin searches afresh every step (breadth-first search from the
organism); these kernels read the same distances from an all-pairs table computed once per world,
which is an order of magnitude cheaper and changes neither choices nor the compute count.

Float operations run in the same order as in the reference (items in index order, features in
feature order, decay powers by repeated multiplication) so that ties resolve identically.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from organisms.genome import C_DIST

UNREACHABLE = np.int16(32767)
"""Distance to a cell that cannot be reached (walls, padding)."""

# Moves in the order a planner tries them: N, E, S, W. Action 0 is "stay".
MOVE_DR = np.array([-1, 0, 1, 0], dtype=np.int64)
MOVE_DC = np.array([0, 1, 0, -1], dtype=np.int64)


@njit(cache=True)
def _distances_from(walls, src, row, queue):
    """Breadth-first search from cell ``src``: fills ``row`` ((H*W,), pre-set to UNREACHABLE)."""
    h, w = walls.shape
    row[src] = 0
    head, tail = 0, 1
    queue[0] = src
    while head < tail:
        cell = queue[head]
        head += 1
        r, col = cell // w, cell % w
        for m in range(4):
            nr, nc = r + MOVE_DR[m], col + MOVE_DC[m]
            if nr < 0 or nr >= h or nc < 0 or nc >= w or walls[nr, nc]:
                continue
            nxt = nr * w + nc
            if row[nxt] == UNREACHABLE:
                row[nxt] = row[cell] + 1
                queue[tail] = nxt
                tail += 1


@njit(cache=True)
def all_pairs_distances(walls):
    """Shortest-path step counts between every pair of cells of one grid (walls respected).

    Args:
        walls: (H, W) bool.

    Returns:
        (H*W, H*W) int16; ``UNREACHABLE`` where no path exists.
    """
    h, w = walls.shape
    c = h * w
    dist = np.full((c, c), UNREACHABLE, dtype=np.int16)
    queue = np.empty(c, dtype=np.int64)
    for src in range(c):
        if not walls[src // w, src % w]:
            _distances_from(walls, src, dist[src], queue)
    return dist


@njit(cache=True)
def reachable_from(walls, start_r, start_c):
    """(H, W) bool: the cells a walk from the start can reach (walls respected)."""
    h, w = walls.shape
    row = np.full(h * w, UNREACHABLE, dtype=np.int16)
    _distances_from(walls, start_r * w + start_c, row, np.empty(h * w, dtype=np.int64))
    return (row != UNREACHABLE).reshape(h, w)


@njit(cache=True)
def reach_counts(dist):
    """``reach[p, r]``: how many cells lie within shortest-path distance r of cell p (r < H*W)."""
    c = dist.shape[0]
    reach = np.zeros((c, c), dtype=np.int32)
    for p in range(c):
        for q in range(c):
            d = dist[p, q]
            if d < c:
                reach[p, d] += 1
        for r in range(1, c):
            reach[p, r] += reach[p, r - 1]
    return reach


@njit(cache=True)
def _can_take(outcome, req, i):
    for f in range(req.shape[1]):
        if req[i, f] > 0.0 and outcome[f] < req[i, f]:
            return False
    return True


@njit(cache=True)
def episode(is_planner, heuristic_w, decay, mesa_w, horizon,
            walls, start, steps, horizon_scale, n_items, item_pos, item_feat, item_req,
            dist, reach, outcome, record, path, taken_at):
    """Run one organism through one world.

    Args:
        is_planner, heuristic_w (F,), decay, mesa_w (F,), horizon: one organism's phenotype.
        walls (H, W), start (2,), steps, horizon_scale, n_items, item_pos (N, 2), item_feat (N, F),
            item_req (N, F), dist and reach: one world (items beyond ``n_items`` are padding).
        outcome: (F,) float64, zeroed and filled with the summed features of the items taken
            (requirements spent are subtracted).
        record: whether to write ``path`` ((steps + 1, 2): the cell at each step) and
            ``taken_at`` ((N,): the step an item was taken, -1 if never).

    Returns:
        The compute count: cells within min(horizon, steps left) of the organism, summed over steps
        (0 for a heuristic, which does not search).
    """
    h, w = walls.shape
    n_cells = h * w
    nf = outcome.shape[0]
    for f in range(nf):
        outcome[f] = 0.0
    taken = np.zeros(n_items, dtype=np.bool_)
    if record:
        for i in range(n_items):
            taken_at[i] = -1
    # Utilities are constant over an episode: one dot product per item, in feature order.
    util = np.zeros(n_items)
    weights = mesa_w if is_planner else heuristic_w
    for i in range(n_items):
        acc = 0.0
        for f in range(nf):
            acc += weights[f] * item_feat[i, f]
        util[i] = acc
    powers = np.ones(h + w + 1)
    for k in range(1, h + w + 1):
        powers[k] = powers[k - 1] * decay
    reach_horizon = max(1, int(horizon * horizon_scale)) if horizon < (1 << 29) else (1 << 30)
    r, c = start[0], start[1]
    if record:
        path[0, 0] = r
        path[0, 1] = c
    compute = 0
    for t in range(steps):
        move = -1
        if is_planner:
            p = r * w + c
            radius = min(reach_horizon, steps - t)
            compute += reach[p, min(radius, n_cells - 1)]
            best, best_val, best_d = -1, 0.0, 0
            for i in range(n_items):
                if taken[i] or not _can_take(outcome, item_req, i):
                    continue
                d = np.int64(dist[p, item_pos[i, 0] * w + item_pos[i, 1]])
                if d > radius or d == 0:
                    continue
                val = util[i] - C_DIST * d
                if best < 0 or val > best_val or (val == best_val and d < best_d):
                    best, best_val, best_d = i, val, d
            if best >= 0 and best_val > 0.0:
                target = item_pos[best, 0] * w + item_pos[best, 1]
                for m in range(4):
                    nr, nc = r + MOVE_DR[m], c + MOVE_DC[m]
                    if nr < 0 or nr >= h or nc < 0 or nc >= w or walls[nr, nc]:
                        continue
                    if dist[nr * w + nc, target] == best_d - 1:
                        move = m
                        break
        else:
            best_score = 0.0
            for m in range(-1, 4):
                if m >= 0:
                    nr, nc = r + MOVE_DR[m], c + MOVE_DC[m]
                    if nr < 0 or nr >= h or nc < 0 or nc >= w or walls[nr, nc]:
                        continue
                else:
                    nr, nc = r, c
                score = 0.0
                for i in range(n_items):
                    if not taken[i]:
                        score += util[i] * powers[abs(nr - item_pos[i, 0]) + abs(nc - item_pos[i, 1])]
                if m < 0 or score > best_score:
                    best_score = score
                    move = m
        if move >= 0:
            r, c = r + MOVE_DR[move], c + MOVE_DC[move]
            for i in range(n_items):
                if not taken[i] and item_pos[i, 0] == r and item_pos[i, 1] == c:
                    if _can_take(outcome, item_req, i):
                        taken[i] = True
                        for f in range(nf):
                            outcome[f] += item_feat[i, f] - item_req[i, f]
                        if record:
                            taken_at[i] = t + 1
                    break
        if record:
            path[t + 1, 0] = r
            path[t + 1, 1] = c
    return compute


@njit(cache=True)
def _population_body(e, o, is_planner, heuristic_w, decay, mesa_w, horizon, walls, start, steps,
                     horizon_scale, n_items, item_pos, item_feat, item_req, dist, reach,
                     outcomes, compute):
    dummy_path = np.zeros((1, 2), dtype=np.int64)
    dummy_taken = np.zeros(1, dtype=np.int64)
    compute[o, e] = episode(
        is_planner[o], heuristic_w[o], decay[o], mesa_w[o], horizon[o],
        walls[e], start[e], steps[e], horizon_scale[e], n_items[e], item_pos[e], item_feat[e],
        item_req[e], dist[e], reach[e], outcomes[o, e], False, dummy_path, dummy_taken,
    )


@njit(cache=True)
def population_episodes(is_planner, heuristic_w, decay, mesa_w, horizon, walls, start, steps,
                        horizon_scale, n_items, item_pos, item_feat, item_req, dist, reach):
    """Every organism in every world, in one compiled call (serial).

    Returns:
        outcomes (P, E, F) float64 and compute (P, E) int64.
    """
    p, e = is_planner.shape[0], walls.shape[0]
    outcomes = np.zeros((p, e, item_feat.shape[2]))
    compute = np.zeros((p, e), dtype=np.int64)
    for o in range(p):
        for k in range(e):
            _population_body(k, o, is_planner, heuristic_w, decay, mesa_w, horizon, walls, start,
                             steps, horizon_scale, n_items, item_pos, item_feat, item_req, dist,
                             reach, outcomes, compute)
    return outcomes, compute


@njit(cache=True, parallel=True)
def population_episodes_parallel(is_planner, heuristic_w, decay, mesa_w, horizon, walls, start,
                                 steps, horizon_scale, n_items, item_pos, item_feat, item_req,
                                 dist, reach):
    """``population_episodes`` with episodes spread over numba's threads (same results).

    Episodes cost very different amounts (a planner that stays is cheap), so the loop runs over
    (organism, world) pairs in small chunks rather than over organisms in two halves.
    """
    p, e = is_planner.shape[0], walls.shape[0]
    outcomes = np.zeros((p, e, item_feat.shape[2]))
    compute = np.zeros((p, e), dtype=np.int64)
    for job in prange(p * e):
        _population_body(job % e, job // e, is_planner, heuristic_w, decay, mesa_w, horizon, walls,
                         start, steps, horizon_scale, n_items, item_pos, item_feat, item_req, dist,
                         reach, outcomes, compute)
    return outcomes, compute
