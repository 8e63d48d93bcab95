"""Searches on a grid: moves, the neighbour table, shortest-path distances (compiled), and the
plain-Python breadth-first search the reference runs afresh every step (``bfs``).

Cells are numbered row by row (``r * W + c``). The searches walk a per-grid *neighbour table*
rather than computing rows and columns with floor division and modulo on their critical path, and
the table lists a cell itself for every move that is blocked (a wall or the edge), so the
breadth-first search needs no bounds test: a cell is already labelled when it is expanded, so a
blocked move never enqueues anything. Table entries are unsigned, so numba indexes with them
without the check for negative (from-the-end) indices it adds for signed ones.
"""

from __future__ import annotations

from collections import deque

import numpy as np
from numba import njit

UNREACHABLE = np.int16(32767)
"""Distance to a cell that cannot be reached (walls, padding)."""

BLOCKED = np.int16(32766)
"""Marks a cell a route may not enter while a breadth-first search runs (never a distance)."""

STAY = -1
"""The move that stays in place: moves are -1 (stay) and 0..3 (N, E, S, W)."""

MOVES = ((-1, 0), (0, 1), (1, 0), (0, -1))
"""N, E, S, W as (row, column) steps: the order in which a planner tries its moves."""

MOVE_DR = np.array([dr for dr, _ in MOVES], dtype=np.int64)
MOVE_DC = np.array([dc for _, dc in MOVES], dtype=np.int64)

CELL = np.uint32
"""dtype of cell indices in neighbour tables and search queues."""


def neighbour_table(walls):
    """(H*W, 4) of ``CELL``: the cell each move (N, E, S, W) leads to; the cell itself where the move
    is blocked (a wall, the grid's edge, or the cell is a wall)."""
    walls = np.ascontiguousarray(walls, dtype=np.bool_)
    table = np.empty((walls.shape[0] * walls.shape[1], 4), dtype=CELL)
    # Arrays are made here, in numpy: compiled code that allocates compiles numpy's allocators too.
    _fill_neighbours(walls, table)
    return table


@njit(cache=True, nogil=True)
def _fill_neighbours(walls, table):
    """``table`` as ``neighbour_table`` returns it."""
    h, w = walls.shape
    for r in range(h):
        for c in range(w):
            cell = r * w + c
            for m in range(4):
                nr, nc = r + MOVE_DR[m], c + MOVE_DC[m]
                if walls[r, c] or nr < 0 or nr >= h or nc < 0 or nc >= w or walls[nr, nc]:
                    table[cell, m] = cell
                else:
                    table[cell, m] = nr * w + nc


@njit(cache=True, nogil=True)
def distances_from(neighbours, src, row, queue):
    """Breadth-first search from cell ``src``: fills ``row`` ((H*W,), pre-set to UNREACHABLE).

    ``queue`` is scratch of at least H*W cells (dtype ``CELL``), reused across calls.
    """
    row[src] = 0
    head, tail = 0, 1
    queue[0] = src
    while head < tail:
        cell = queue[head]
        head += 1
        d = row[cell] + 1
        for m in range(4):
            nxt = neighbours[cell, m]
            if row[nxt] == UNREACHABLE:
                row[nxt] = d
                queue[tail] = nxt
                tail += 1


@njit(cache=True, nogil=True)
def route_distances(neighbours, src, row, queue, blocked, n_blocked):
    """``distances_from`` with the cells ``blocked[:n_blocked]`` treated as walls (a route around
    them): fills ``row`` ((H*W,), overwritten); blocked cells read ``UNREACHABLE`` afterwards."""
    for k in range(row.shape[0]):
        row[k] = UNREACHABLE
    for k in range(n_blocked):
        row[blocked[k]] = BLOCKED  # labelled, so never entered
    distances_from(neighbours, src, row, queue)
    for k in range(n_blocked):
        row[blocked[k]] = UNREACHABLE


def all_pairs_distances(walls):
    """Shortest-path step counts between every pair of cells of one grid (walls respected).

    Plain Python around the compiled ``neighbour_table`` and ``distance_table``, which every world
    batch compiles anyway: a compiled wrapper would be one more function to compile at the first run.

    Args:
        walls: (H, W) bool.

    Returns:
        (H*W, H*W) int16; ``UNREACHABLE`` where no path exists.
    """
    walls = np.ascontiguousarray(walls, dtype=np.bool_)
    return distance_table(walls, neighbour_table(walls))


def distance_table(walls, neighbours):
    """``all_pairs_distances`` from a neighbour table already built for ``walls``."""
    c = neighbours.shape[0]
    dist = np.full((c, c), UNREACHABLE, dtype=np.int16)
    # Arrays are made here, in numpy: compiled code that allocates compiles numpy's allocators too.
    _fill_distances(np.ascontiguousarray(walls, dtype=np.bool_).ravel(), neighbours, dist, np.empty(c, dtype=CELL))
    return dist


@njit(cache=True, nogil=True)
def _fill_distances(flat_walls, neighbours, dist, queue):
    """``dist`` (pre-set to UNREACHABLE): a breadth-first search from every open cell."""
    for src in range(dist.shape[0]):
        if not flat_walls[src]:
            distances_from(neighbours, CELL(src), dist[src], queue)


def reachable_from(walls, start_r, start_c):
    """(H, W) bool: the cells a walk from the start can reach (walls respected). Plain Python around
    the compiled search (as ``all_pairs_distances``)."""
    walls = np.ascontiguousarray(walls, dtype=np.bool_)
    h, w = walls.shape
    row = np.full(h * w, UNREACHABLE, dtype=np.int16)
    queue = np.empty(h * w, dtype=CELL)
    distances_from(neighbour_table(walls), CELL(start_r * w + start_c), row, queue)
    return (row != UNREACHABLE).reshape(h, w)


def reach_counts(dist):
    """``reach[p, r]``: how many cells lie within shortest-path distance r of cell p (r < H*W)."""
    reach = np.zeros(dist.shape, dtype=np.int32)
    _fill_reach_counts(dist, reach)
    return reach


@njit(cache=True, nogil=True)
def _fill_reach_counts(dist, reach):
    """``reach`` (zeros) as ``reach_counts`` returns it."""
    c = dist.shape[0]
    for p in range(c):
        for q in range(c):
            d = dist[p, q]
            if d < c:
                reach[p, d] += 1
        for r in range(1, c):
            reach[p, r] += reach[p, r - 1]


def open_walls(walls) -> list[list[bool]]:
    """Plain Python: a grid of the same size as ``walls`` with no walls (a world model without a map)."""
    return [[False] * len(walls[0]) for _ in walls]


def bfs(walls, source: tuple[int, int]) -> dict[tuple[int, int], int]:
    """Plain Python: shortest-path step counts from ``source`` to every reachable cell (walls respected)."""
    h, w = len(walls), len(walls[0])
    dist = {source: 0}
    queue = deque([source])
    while queue:
        r, c = queue.popleft()
        for dr, dc in MOVES:
            nr, nc = r + dr, c + dc
            if 0 <= nr < h and 0 <= nc < w and not walls[nr][nc] and (nr, nc) not in dist:
                dist[(nr, nc)] = dist[(r, c)] + 1
                queue.append((nr, nc))
    return dist
