"""The planner: a mesa-optimizer that searches for the plan serving its mesa-objective.

It re-decides every step. Its plan is one target item: among the items it can take now within
min(horizon, steps left) of it, the one maximising mesa-utility - C_DIST * route length, ties to
the nearer item, then to the lower index; if that value is not positive it stays.

Its route is the shortest path, or, where it routes around harm (``Phenotype.avoids_harm``, set by
the scenario's ``avoid_harm``: on by default, off for a scenario read from a file that names none), goes
around what its own objective values below zero: the shortest path on which the cells of items it
could take now and values below zero count as walls (the target itself is valued above zero). If no
such route is within min(horizon, steps left), it falls back to the shortest path, whatever that
crosses. It does not plan to collect anything on the way: what lies on its route and is not avoided
(items it values at zero or above) is taken because moving onto an item takes it. Moves are tried
N, E, S, W. With ``avoid_harm`` off every route is a shortest path, and runs repeat the logs recorded
before routes existed bit for bit; the oracle and the base pursuers follow the same setting.

Its world model is the true walls where it has the map (``Phenotype.knows_walls``: always, unless the
scenario prices a map gene); without it, it plans on the open grid (Manhattan distances, the world's
edges only) and a move into a wall it did not know of fails: it stays.

Its compute is the number of cells within min(horizon, steps left) of it on the true walls, summed
over steps, whatever its routes or world model (the definition is fixed). Genome block: ``mesa:<f>``
per perceivable feature, then ``horizon`` (1 + floor(sigmoid(gene) * HORIZON_CAP)).

The compiled policy reads distances from the batch's all-pairs table and searches around avoided
items only for a candidate one of whose shortest paths crosses one (once per item per count of takes,
kept in the scratch); the reference searches afresh every step. Both give the same choices and the
same compute count.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from organisms.grid import CELL, MOVES, STAY, bfs, open_walls, route_distances
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
    """Item utilities under the mesa-objective (and no route computed yet); returns the search horizon
    in this world."""
    item_utilities(ph.mesa_weights[o], world.item_features, world.n_items, scratch.util)
    clear_routes(world, scratch)
    return _search_horizon(ph.horizon[o], world.horizon_scale)


@njit(cache=True, inline="always")
def clear_routes(world, scratch):
    """Forget the routes of the previous episode (every planning kind's ``start`` calls it)."""
    for i in range(world.n_items):
        scratch.route_stamp[i] = -1


# The small helpers below are compiled apart (not inlined into numba's IR): LLVM inlines them into the
# episode loop all the same, while each IR-inlined call site would re-run numba's front end on the
# callee (a few tenths of a second of compiling each).
@njit(cache=True)
def _model_distance(knows_walls, dist, w, a, b):
    """Steps from cell ``a`` to cell ``b`` in the planner's world model: the true walls' table, or the
    open grid's Manhattan distance."""
    if knows_walls:
        return np.int64(dist[a, b])
    a, b = np.int64(a), np.int64(b)
    return abs(a // w - b // w) + abs(a % w - b % w)


@njit(cache=True)
def _beats(val, d, i, best, best_val, best_d):
    """Whether target ``i`` (value ``val`` at ``d`` steps) is preferred to the best so far: a higher
    value, then the nearer item, then the lower index (no best yet: a positive value)."""
    if best < 0:
        return val > best_val
    return val > best_val or (val == best_val and (d < best_d or (d == best_d and i < best)))


@njit(cache=True)
def _route(route_stamp, route_dist, queue, blocked, neighbours, item_cells, i, n_taken, n_harmful):
    """Fill ``route_dist[i]``, item ``i``'s row of steps around the avoided items, unless it was
    computed for this count of takes. Arrays only, and nothing returned: compiled apart, with numba's
    reference counting, and called from the episode loop, which has none (a returned view would keep a
    reference that nothing releases)."""
    if route_stamp[i] != n_taken:
        route_distances(neighbours, item_cells[i], route_dist[i], queue, blocked, n_harmful)
        route_stamp[i] = n_taken


@njit(cache=True, inline="always")
def step(ph, o, world, scratch, param, cell, r, c, t, outcome):
    """One step toward the best target within ``min(param, steps left)``, around what the organism's
    objective values below zero where it can, and the step's compute."""
    dist, item_cells, item_req = world.dist, world.item_cells, world.item_requires
    n_items, steps, reach = world.n_items, world.steps, world.reach
    taken, util = scratch.taken, scratch.util
    knows = ph.knows_walls[o]
    neighbours = world.neighbours if knows else world.open_neighbours
    w = world.width
    radius = min(param, steps - t)
    compute = np.int64(reach[cell, min(radius, dist.shape[0] - 1)])
    # The items a route avoids: not taken, valued below zero, and taken if stepped on now.
    # Counters start as np.int64, not as literal 0s: numba types a literal argument as its own type, and
    # the helpers called with them would be compiled once more for each literal.
    n_taken, n_harmful = np.int64(0), np.int64(0)
    for i in range(n_items):
        if taken[i]:
            n_taken += 1
        elif ph.avoids_harm[o] and util[i] < 0.0 and can_take(outcome, item_req, i):
            scratch.harmful[n_harmful] = i
            scratch.blocked[n_harmful] = item_cells[i]
            n_harmful += 1
    best, best_val, best_d, around = np.int64(-1), 0.0, np.int64(0), False
    n_deferred = np.int64(0)
    for i in range(n_items):
        if taken[i] or not can_take(outcome, item_req, i):
            continue
        d = _model_distance(knows, dist, w, cell, item_cells[i])
        if d > radius or d == 0:
            continue
        val = util[i] - C_DIST * d
        # A route around avoided items is never shorter, so ``val`` bounds the item's value from above.
        if not _beats(val, d, i, best, best_val, best_d):
            continue
        crossed = False
        for k in range(n_harmful):
            h = item_cells[scratch.harmful[k]]
            if (_model_distance(knows, dist, w, cell, h)
                    + _model_distance(knows, dist, w, h, item_cells[i]) == d):
                crossed = True  # an avoided item lies on some shortest path: find the route
                break
        if crossed:
            scratch.deferred[n_deferred] = i
            n_deferred += 1
        else:
            best, best_val, best_d, around = i, val, d, False
    for k in range(n_deferred):
        i = scratch.deferred[k]
        d = _model_distance(knows, dist, w, cell, item_cells[i])
        if not _beats(util[i] - C_DIST * d, d, i, best, best_val, best_d):
            continue
        _route(scratch.route_stamp, scratch.route_dist, scratch.queue, scratch.blocked, neighbours, item_cells, i,
               n_taken, n_harmful)
        detour = np.int64(scratch.route_dist[i, cell])
        if detour <= radius:
            d, avoiding = detour, True
        else:
            avoiding = False  # no route around within reach: the shortest path, whatever it crosses
        val = util[i] - C_DIST * d
        if _beats(val, d, i, best, best_val, best_d):
            best, best_val, best_d, around = i, val, d, avoiding
    if best < 0:
        return STAY, compute
    target = item_cells[best]
    move = STAY
    if around:
        _route(scratch.route_stamp, scratch.route_dist, scratch.queue, scratch.blocked, neighbours, item_cells,
               best, n_taken, n_harmful)
        row = scratch.route_dist[best]
        for m in range(4):
            nxt = neighbours[cell, m]
            if nxt != cell and row[nxt] == best_d - 1:
                move = m
                break
    else:
        for m in range(4):
            nxt = neighbours[cell, m]
            if nxt != cell and _model_distance(knows, dist, w, nxt, target) == best_d - 1:
                move = m
                break
    if move != STAY and world.neighbours[cell, move] == cell:
        move = STAY  # a wall the planner did not know of: the move fails
    return move, compute


@njit(cache=True)
def route_lengths(neighbours, item_cells, world, cell, left, available, utility, distance):
    """(n, K) float64: at each of n decision points, the length of the route a planner with these item
    utilities would walk to each available item: around the available items of negative utility if
    such a route is within ``left`` steps, else the shortest path (``distance``). 0 where unavailable.

    Args:
        neighbours: (E, H*W, 4) the batch's neighbour tables; item_cells: (E, K) items' cells.
        world, cell, left: (n,) each decision's world, the flat cell it is made from, steps left.
        available: (n, K) bool; utility: (n, K) each item's utility; distance: (n, K) shortest paths.
    """
    n, k = available.shape
    out = np.zeros((n, k))
    cells = neighbours.shape[1]
    row = np.empty(cells, dtype=np.int16)
    queue = np.empty(cells, dtype=CELL)
    blocked = np.empty(max(k, 1), dtype=CELL)
    for e in range(n):
        x = world[e]
        n_blocked = 0
        for i in range(k):
            if available[e, i] and utility[e, i] < 0.0:
                blocked[n_blocked] = item_cells[x, i]
                n_blocked += 1
        if n_blocked:
            route_distances(neighbours[x], CELL(cell[e]), row, queue, blocked, n_blocked)
        for i in range(k):
            if not available[e, i]:
                continue
            out[e, i] = distance[e, i]
            if n_blocked and row[item_cells[x, i]] <= left[e]:
                out[e, i] = row[item_cells[x, i]]
    return out


def reference_route_lengths(walls, pos, left, items, available, utility) -> list[float]:
    """Plain-Python twin of one decision of ``route_lengths``: ``items`` the cells of the world's items,
    ``available`` and ``utility`` one entry per item (0.0 where unavailable)."""
    around = [list(r) for r in walls]
    for cell, ok, u in zip(items, available, utility):
        if ok and u < 0.0:
            around[cell[0]][cell[1]] = True
    straight, detour = bfs(walls, pos), bfs(around, pos)
    out = []
    for cell, ok in zip(items, available):
        d = detour.get(cell)
        out.append(0.0 if not ok else float(d if d is not None and d <= left else straight[cell]))
    return out


def reference_start(organism: dict, world: dict) -> dict:
    return {"utility": reference_utilities(organism["mesa_weights"], world["items"]),
            "horizon": search_horizon(int(organism["horizon"]), world["horizon_scale"])}


def reference_step(organism, world, state, pos, t, taken, outcome):
    """Fresh breadth-first searches from the organism: its move (None to stay) and compute."""
    walls, items, utility = world["walls"], world["items"], state["utility"]
    radius = min(state["horizon"], int(world["steps"]) - t)
    compute = sum(1 for d in bfs(walls, pos).values() if d <= radius)
    model = walls if organism["knows_walls"] else open_walls(walls)
    around_walls = [list(row) for row in model]
    if organism["avoids_harm"]:
        for i, (cell, _, requires) in enumerate(items):
            if not taken[i] and utility[i] < 0.0 and reference_can_take(outcome, requires):
                around_walls[cell[0]][cell[1]] = True
    dist, around = bfs(model, pos), bfs(around_walls, pos)
    best, best_val, best_d, best_around = -1, 0.0, 0, False
    for i, (cell, _, requires) in enumerate(items):
        if taken[i] or not reference_can_take(outcome, requires):
            continue
        d = dist.get(cell)
        if d is None or d > radius or d == 0:
            continue
        detour = around.get(cell)
        avoiding = detour is not None and detour <= radius
        if avoiding:
            d = detour
        val = utility[i] - C_DIST * d
        if best < 0 or val > best_val or (val == best_val and d < best_d):
            best, best_val, best_d, best_around = i, val, d, avoiding
    if best < 0 or best_val <= 0.0:
        return None, compute
    to_target = bfs(around_walls if best_around else model, items[best][0])
    for move, (dr, dc) in enumerate(MOVES):
        nxt = (pos[0] + dr, pos[1] + dc)
        if to_target.get(nxt) == best_d - 1:
            if not (0 <= nxt[0] < len(walls) and 0 <= nxt[1] < len(walls[0])) or walls[nxt[0]][nxt[1]]:
                return None, compute  # a wall the planner did not know of: the move fails
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
    reads=("mesa_weights", "horizon", "knows_walls", "avoids_harm"),
)
