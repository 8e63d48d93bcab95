"""Choice events: what an organism could have taken each time it committed, and what it took.

A *commitment* is the step after the organism's previous take (or the episode's start). Its *choice
set* is every item it could take then (not yet taken, requirements held) and reach within the steps
left (shortest path, walls respected). What it chose is the item it took next, *or any later item it
went on to reach without a detour* (its walk from the commitment was a shortest path to that item):
moving onto an item takes it, so an organism that set off toward a far item takes whatever lies on
its way, and from the trajectory alone the item on the way and the one beyond are equally likely to
be what it set off toward. If it took nothing more while the set was non-empty, it chose the
*outside option* (no item chosen: "nothing more is worth it").

Heuristics and planners are treated alike: the events come from the trajectory, never from the genome.
``population_choice_events`` is compiled; ``reference_choice_events`` is its plain-Python twin, which a
test compares event for event.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from organisms import kernels, planner
from organisms.episodes import WorldBatch
from organisms.genome import Phenotype
from organisms.reference import bfs, run_episode

NOTHING = -1
"""``taken`` of an event in which the organism took nothing more: the outside option."""


class ChoiceSets(NamedTuple):
    """One organism's choice events on a batch of worlds (n events, item slots padded to K)."""

    features: np.ndarray
    """(n, K, F) features of every item slot of the event's world (padding slots are zeros)."""
    distance: np.ndarray
    """(n, K) float64 shortest-path steps from where the organism stood to each item."""
    available: np.ndarray
    """(n, K) bool: the item was in the choice set."""
    chosen: np.ndarray
    """(n, K) bool: the items it may have set off toward (the next take and every later take reached
    without a detour); no item for the outside option."""
    taken: np.ndarray
    """(n,) int64: the item slot taken next, or ``NOTHING``."""
    world: np.ndarray
    """(n,) int64: the world (row of the batch) the event happened in."""
    reach: np.ndarray | None = None
    """(n,) float64: how far the organism could see an item at the event: a planner's horizon (scaled
    by the world's ``horizon_scale``) capped by the steps left, a heuristic's steps left (its sensing
    covers the grid). A planner cannot choose what lies beyond its search, so the fit drops such items
    from its choice sets. None: no limit known (every available item counts)."""
    cell: np.ndarray | None = None
    """(n,) int64: the flat cell index (row * batch width + column) where the organism stood; None
    where not recorded."""
    left: np.ndarray | None = None
    """(n,) int64: the steps left at the event; None where not recorded."""

    @property
    def n(self) -> int:
        return int(self.chosen.shape[0])

    def subset(self, rows: np.ndarray) -> ChoiceSets:
        """The events at ``rows`` (indices or a boolean mask), e.g. a bootstrap resample."""
        return ChoiceSets(*(None if a is None else a[rows] for a in self))


@njit(cache=True, nogil=True)
def order_by_step(taken_at, n_items, order):
    """``order[:n_items]``: the items sorted by the step they were taken (-1, never, first), by
    insertion. Taken items have distinct steps (at most one take a step), so their order is unique,
    whatever the sort; a hand-written one spares compiling numpy's sort for every caller."""
    for i in range(n_items):
        order[i] = i
    for i in range(1, n_items):
        item = order[i]
        key = taken_at[item]
        j = i - 1
        while j >= 0 and taken_at[order[j]] > key:
            order[j + 1] = order[j]
            j -= 1
        order[j + 1] = item


@njit(cache=True, nogil=True, inline="always")
def _world_events(search, steps, n_items, item_pos, item_feat, item_req, dist, w, path, taken_at, work, out, row):
    """Append the choice events of one recorded episode (``path``, ``taken_at``) in a world (its
    ``steps``, items, distance table and grid width ``w``) from ``row`` on; returns the next free row.
    ``search``: the walker's search radius (``ChoiceSets.reach`` before the steps left cap it).

    ``work``: (held (F,), gone (N,) bool, order (N,) int64); ``out``: (cells, available, chosen,
    taken, radius, lefts), rows to fill. Nothing is allocated here.
    """
    cells, available, chosen, taken, radius, lefts = out
    held, gone, order = work
    nf = item_feat.shape[1]
    # Takes in the order they happened (at most one item per step, so the steps are distinct).
    order_by_step(taken_at, n_items, order)
    first = 0
    while first < n_items and taken_at[order[first]] < 0:
        first += 1
    for f in range(nf):
        held[f] = 0.0
    for i in range(n_items):
        gone[i] = False
    t_prev = 0
    for k in range(first, n_items + 1):
        cell = path[t_prev, 0] * w + path[t_prev, 1]
        left = steps - t_prev
        any_available = False
        for i in range(n_items):
            ok = False
            if not gone[i] and kernels.can_take(held, item_req, i):
                d = dist[cell, item_pos[i, 0] * w + item_pos[i, 1]]
                ok = 0 < d <= left
            available[row, i] = ok
            any_available = any_available or ok
        for i in range(n_items):
            chosen[row, i] = False
        if k < n_items:
            cells[row] = cell
            radius[row] = min(search, left)
            lefts[row] = left
            taken[row] = order[k]
            chosen[row, order[k]] = True
            for q in range(k + 1, n_items):  # later takes reached on a shortest path from here
                nxt = order[q]
                d = dist[cell, item_pos[nxt, 0] * w + item_pos[nxt, 1]]
                if taken_at[nxt] - t_prev != d:
                    break
                chosen[row, nxt] = available[row, nxt]
            row += 1
            item = order[k]
            gone[item] = True
            for f in range(nf):
                held[f] += item_feat[item, f] - item_req[item, f]
            t_prev = taken_at[item]
        else:
            if any_available:  # it could still have taken something, and took nothing more
                cells[row] = cell
                radius[row] = min(search, left)
                lefts[row] = left
                taken[row] = NOTHING
                row += 1
    return row


@njit(cache=True, nogil=True)
def _choice_events(search, steps, n_items, item_pos, item_feat, item_req, dist, w, first, paths, taken_ats, work,
                   out, organism, world, row):
    """Fills ``out`` (see ``_world_events``), ``organism`` and ``world`` from ``row`` on with the choice
    events of the recorded episodes ``first`` .. ``first + n - 1`` (organism-major; ``paths`` (n, S + 1,
    2) and ``taken_ats`` (n, N) from ``kernels.recorded_blocks``); returns the next free row.

    It takes the batch's arrays (``steps`` .. ``dist`` of E worlds, grid width ``w``) and each
    organism's search radius in each world (``search``, (P, E)), not the ``WorldBatch`` and
    ``Phenotype`` records: every compiled signature unpacks a record field by field, which costs
    compiling time for fields this does not read."""
    e = steps.shape[0]
    for j in range(paths.shape[0]):
        job = first + j
        o, x = job // e, job % e
        end = _world_events(search[o, x], steps[x], n_items[x], item_pos[x], item_feat[x], item_req[x], dist[x], w,
                            paths[j], taken_ats[j], work, out, row)
        for r in range(row, end):
            organism[r] = o
            world[r] = x
        row = end
    return row


def search_radii(ph: Phenotype, planning: np.ndarray, batch: WorldBatch) -> np.ndarray:
    """(P, E) int64: each organism's search radius in each world: a planning kind's horizon as it
    searches there (``organisms.planner``), unbounded for a heuristic (it senses the whole grid)."""
    horizon = np.asarray(ph.horizon, dtype=np.int64)[:, None]
    # planner.search_horizon for every pair at once (astype truncates as its int() does: both positive).
    scaled = np.maximum(1, (horizon * batch.horizon_scale[None, :]).astype(np.int64))
    searched = np.where(horizon < planner.SCALED_HORIZON_LIMIT, scaled, planner.UNBOUNDED_HORIZON)
    return np.where(np.asarray(planning, dtype=bool)[:, None], searched, 1 << 30).astype(np.int64)


def population_choice_events(ph: Phenotype, planning: np.ndarray, batch: WorldBatch,
                             trajectories: tuple[np.ndarray, np.ndarray] | None = None) -> tuple[np.ndarray, ...]:
    """Every organism's choice events in every world of a batch (serial; the compiled part releases
    the GIL). Working arrays and outputs are made here, in numpy, so nothing is compiled for them.

    Returns:
        ``organism`` (n,), ``world`` (n,), ``cell`` (n,) (flat index of where the organism stood),
        ``available`` (n, K), ``chosen`` (n, K), ``taken`` (n,), ``radius`` (n,) (``ChoiceSets.reach``)
        and ``left`` (n,) (steps left),
        events grouped by organism then world, in the order they happened. ``planning``: (P,) bool,
        the organisms whose kind searches (``Phenotype.is_planner``). ``trajectories``: the episodes'
        ``(paths, taken_ats)`` as ``organisms.run_population_recorded`` gives them (None: run here).
    """
    p, e, k = ph.kind.shape[0], batch.walls.shape[0], batch.item_pos.shape[1]
    nf = batch.item_features.shape[2]
    cap = p * e * (k + 1)
    work = (np.zeros(nf), np.zeros(max(k, 1), dtype=np.bool_), np.zeros(max(k, 1), dtype=np.int64))
    out = (np.empty(cap, dtype=np.int64), np.zeros((cap, k), dtype=np.bool_), np.zeros((cap, k), dtype=np.bool_),
           np.empty(cap, dtype=np.int64), np.empty(cap, dtype=np.int64), np.empty(cap, dtype=np.int64))
    organism, world = np.empty(cap, dtype=np.int64), np.empty(cap, dtype=np.int64)
    search = search_radii(ph, planning, batch)
    n = 0
    blocks = kernels.recorded_blocks(ph, batch, 0, p * e) if trajectories is None else [(0, *trajectories)]
    for first, paths, taken_ats in blocks:
        n = _choice_events(search, batch.steps, batch.n_items, batch.item_pos, batch.item_features,
                           batch.item_requires, batch.dist, batch.walls.shape[2], first, paths, taken_ats, work, out,
                           organism, world, n)
    cells, available, chosen, taken, radius, lefts = out
    return organism[:n], world[:n], cells[:n], available[:n], chosen[:n], taken[:n], radius[:n], lefts[:n]


def _assemble(batch: WorldBatch, world: np.ndarray, cell: np.ndarray, available: np.ndarray,
              chosen: np.ndarray, taken: np.ndarray, radius: np.ndarray, left: np.ndarray) -> ChoiceSets:
    """Features and distances of each event's items, read from the batch."""
    w = batch.walls.shape[2]
    item_cells = batch.item_pos[..., 0] * w + batch.item_pos[..., 1]  # (E, K)
    distance = batch.dist[world[:, None], cell[:, None], item_cells[world]].astype(np.float64)
    return ChoiceSets(
        features=batch.item_features[world],
        distance=np.where(available, distance, 0.0),
        available=available,
        chosen=chosen,
        taken=taken,
        world=world,
        reach=radius.astype(np.float64),
        cell=cell,
        left=left,
    )


THREADED_EPISODES = 4096
"""Organisms x worlds from which ``choice_events`` extracts in two threads unless told (an assessment's
150 x 300 does; a generation's 150 x 8 does where the run evaluates in parallel)."""


def choice_events(ph: Phenotype, batch: WorldBatch, parallel: bool | None = None,
                  trajectories: tuple[np.ndarray, np.ndarray] | None = None) -> tuple[np.ndarray, ChoiceSets]:
    """Every organism's choice events on every world of ``batch`` at once: the organism of each event
    (grouped by organism, then world, in the order they happened) and the events as one ``ChoiceSets``.
    What a population-wide measure reads without a Python loop over organisms.

    ``parallel``: extract in two threads (None: only for a batch of at least ``THREADED_EPISODES``
    organisms x worlds, where the work outweighs starting them). The events do not depend on it.
    ``trajectories``: the episodes already run, as ``organisms.run_population_recorded`` gives them
    (None: they are run here)."""
    n = ph.kind.shape[0]
    # Two halves of the population in two threads (the compiled extraction releases the GIL); the
    # events of an organism do not depend on which half it is in.
    threads = n * batch.walls.shape[0] >= THREADED_EPISODES if parallel is None else parallel
    cut = (n + 1) // 2 if n >= 8 and threads else n
    halves = [(lo, hi) for lo, hi in ((0, cut), (cut, n)) if hi > lo]

    def extract(lo: int, hi: int) -> tuple[np.ndarray, ...]:
        part = Phenotype(*(np.ascontiguousarray(field[lo:hi]) for field in ph))
        e = batch.walls.shape[0]
        mine = None if trajectories is None else tuple(a[lo * e:hi * e] for a in trajectories)
        organism, *rest = population_choice_events(part, part.is_planner, batch, mine)
        return (organism + lo, *rest)

    if len(halves) == 1:
        parts = [extract(0, n)] if n else []
    else:
        parts = list(kernels.thread_pool(len(halves)).map(lambda h: extract(*h), halves))
    if not parts:
        k = batch.item_pos.shape[1]
        empty = np.empty(0, dtype=np.int64)
        parts = [(empty, empty, empty, np.zeros((0, k), bool), np.zeros((0, k), bool), empty, empty, empty)]
    organism, world, cell, available, chosen, taken, radius, left = (np.concatenate(a) for a in zip(*parts))
    return organism, _assemble(batch, world, cell, available, chosen, taken, radius, left)


def choice_sets(ph: Phenotype, batch: WorldBatch) -> list[ChoiceSets]:
    """Choice events of every organism of ``ph`` on every world of ``batch``, one entry per organism."""
    organism, events = choice_events(ph, batch)
    bounds = np.searchsorted(organism, np.arange(ph.kind.shape[0] + 1))
    return [events.subset(slice(a, b)) for a, b in zip(bounds[:-1], bounds[1:])]


def reference_choice_events(organism: dict, world: dict) -> list[tuple[tuple[int, int], list[int], list[int], int, int]]:
    """Plain-Python twin of the compiled extraction, for one organism in one world.

    Args:
        organism, world: as ``organisms.reference.run_episode`` takes them.

    Returns:
        One ``(cell, available items, chosen items, item taken or NOTHING, search radius)`` per event,
        in order.
    """
    search = 1 << 30
    if organism["is_planner"]:
        search = planner.search_horizon(int(organism["horizon"]), world["horizon_scale"])
    return episode_choice_events(run_episode(organism, world), world, search)


def episode_choice_events(episode: dict, world: dict,
                          search: int = 1 << 30) -> list[tuple[tuple[int, int], list[int], list[int], int, int]]:
    """The choice events of any recorded episode (``path`` and ``taken_at``, as ``run_episode`` gives
    them), whatever walked it: a scripted walker's as much as an organism's.

    Args:
        episode: ``path`` (cells, steps + 1) and ``taken_at`` (per item: the step, or -1).
        world: as ``organisms.reference.run_episode`` takes it.
        search: the walker's search radius (``ChoiceSets.reach`` before the steps left cap it).

    Returns:
        As ``reference_choice_events``.
    """
    items = world["items"]
    steps = int(world["steps"])
    n_features = len(items[0][1]) if items else 0
    takes = sorted((t, i) for i, t in enumerate(episode["taken_at"]) if t >= 0)
    held = [0.0] * n_features
    gone: set[int] = set()
    events = []
    t_prev = 0
    for k in range(len(takes) + 1):
        cell = tuple(episode["path"][t_prev])
        dist = bfs(world["walls"], cell)
        options = [
            i for i, (pos, _, requires) in enumerate(items)
            if i not in gone
            and all(req <= 0.0 or have >= req for have, req in zip(held, requires))
            and 0 < dist.get(pos, steps + 1) <= steps - t_prev
        ]
        if k == len(takes):
            if options:
                events.append((cell, options, [], NOTHING, min(search, steps - t_prev)))
            break
        chosen = [takes[k][1]]
        for t, item in takes[k + 1:]:
            if t - t_prev != dist[items[item][0]]:
                break
            if item in options:
                chosen.append(item)
        events.append((cell, options, sorted(chosen), takes[k][1], min(search, steps - t_prev)))
        t_prev, item = takes[k]
        gone.add(item)
        held = [h + f - r for h, f, r in zip(held, items[item][1], items[item][2])]
    return events
