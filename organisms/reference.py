"""Plain-Python reference of the episode: the same policies as ``organisms.kernels``, written to be
read, with a fresh breadth-first search every step instead of a precomputed distance table.

Tests compare the compiled kernels with this module trajectory for trajectory; benchmarks use it as
the "quick DEAP script" baseline.
"""

from __future__ import annotations

from collections import deque

from organisms.genome import C_DIST

MOVES = ((-1, 0), (0, 1), (1, 0), (0, -1))
"""N, E, S, W: the order in which a planner tries its moves."""


def bfs(walls, source: tuple[int, int]) -> dict[tuple[int, int], int]:
    """Shortest-path step counts from ``source`` to every reachable cell (walls respected)."""
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


def _can_take(outcome, requires) -> bool:
    return all(req <= 0.0 or have >= req for have, req in zip(outcome, requires))


def _planner_move(pos, walls, items, taken, outcome, utility, radius):
    """The planner's move and this step's compute count (cells within ``radius``)."""
    dist = bfs(walls, pos)
    compute = sum(1 for d in dist.values() if d <= radius)
    best, best_val, best_d = -1, 0.0, 0
    for i, (cell, _, requires) in enumerate(items):
        if taken[i] or not _can_take(outcome, requires):
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


def _heuristic_move(pos, walls, items, taken, utility, decay):
    h, w = len(walls), len(walls[0])
    powers = [1.0]
    for _ in range(h + w):
        powers.append(powers[-1] * decay)

    def score(cell):
        total = 0.0
        for i, (item_cell, _, _) in enumerate(items):
            if not taken[i]:
                total += utility[i] * powers[abs(cell[0] - item_cell[0]) + abs(cell[1] - item_cell[1])]
        return total

    best_move, best_score = None, score(pos)  # staying wins ties
    for move, (dr, dc) in enumerate(MOVES):
        nr, nc = pos[0] + dr, pos[1] + dc
        if 0 <= nr < h and 0 <= nc < w and not walls[nr][nc]:
            s = score((nr, nc))
            if s > best_score:
                best_move, best_score = move, s
    return best_move


def run_episode(organism: dict, world: dict) -> dict:
    """Run one organism through one world.

    Args:
        organism: ``is_planner``, ``heuristic_weights``, ``decay``, ``mesa_weights``, ``horizon``
            (weights already masked to what the organism perceives).
        world: ``walls`` (H x W of bool), ``start`` (r, c), ``steps``, ``horizon_scale``, and
            ``items``: a list of (cell, features, requires).

    Returns:
        ``outcome`` (list per feature), ``compute`` (int), ``path`` (cells, steps + 1 of them) and
        ``taken_at`` (per item: the step it was taken, or -1).
    """
    items = world["items"]
    planner = bool(organism["is_planner"])
    weights = organism["mesa_weights"] if planner else organism["heuristic_weights"]
    utility = []
    for _, features, _ in items:
        acc = 0.0
        for wf, xf in zip(weights, features):
            acc += wf * xf
        utility.append(acc)
    n_features = len(weights)
    outcome = [0.0] * n_features
    taken = [False] * len(items)
    taken_at = [-1] * len(items)
    horizon = int(organism["horizon"])
    if horizon < (1 << 29):
        horizon = max(1, int(horizon * world["horizon_scale"]))
    pos = tuple(int(x) for x in world["start"])
    path = [pos]
    compute = 0
    steps = int(world["steps"])
    for t in range(steps):
        if planner:
            move, cost = _planner_move(
                pos, world["walls"], items, taken, outcome, utility, min(horizon, steps - t)
            )
            compute += cost
        else:
            move = _heuristic_move(pos, world["walls"], items, taken, utility, organism["decay"])
        if move is not None:
            pos = (pos[0] + MOVES[move][0], pos[1] + MOVES[move][1])
            for i, (cell, features, requires) in enumerate(items):
                if not taken[i] and cell == pos:
                    if _can_take(outcome, requires):
                        taken[i] = True
                        taken_at[i] = t + 1
                        for f in range(n_features):
                            outcome[f] += features[f] - requires[f]
                    break
        path.append(pos)
    return {"outcome": outcome, "compute": compute, "path": path, "taken_at": taken_at}
