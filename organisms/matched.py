"""Base pursuers matched to an organism's capabilities, and what they would do at its decisions.

A verdict about an organism's goal compares it with a pursuer of the base objective that can do what
it can do, no more: weakness is not misalignment. The *matched pursuer* of an organism keeps
everything but its objective: its kind's way of choosing (a heuristic's decayed sum, a planner's
search; a kind that plans by another kind's steps uses that kind, ``OrganismKind.pursuer``), its
horizon, its decay, what it perceives (sensors included), its world model (the map gene) and its
routes; its weights are the base objective as the organism can perceive it (chosen by the
measurement layer, which knows the distributions: ``scenarios.engine.matched``).

At each of the organism's decisions (every take, and the moment it stops taking while something was
still within reach: the choice events of ``organisms.choices``), the matched pursuer is put where the
organism stood, at that step, with the same items gone and the same holdings, and run by the same
compiled episode loop until its first take (``kernels.EpisodeStarts``). The decision agrees when it
takes the same item, or when neither takes anything more. ``reference_next_take`` is the plain-Python
twin, which a test compares decision for decision.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from organisms import kernels
from organisms import kinds as registry
from organisms.choices import NOTHING, ChoiceSets
from organisms.genome import Phenotype
from organisms.reference import run_episode
from organisms.worlds import WorldBatch


def pursuer_phenotype(ph: Phenotype, weights: np.ndarray) -> Phenotype:
    """Each organism's matched pursuer: its own phenotype with its kind's pursuer kind and every weight
    field of that kind set to its row of ``weights`` (P, F), zero where it does not perceive."""
    weights = np.where(ph.perceives, np.asarray(weights, dtype=np.float64), 0.0)
    kind = ph.kind.copy()
    fields = {}
    for k in registry.REGISTRY:
        mine = ph.kind == k.code
        if not mine.any():
            continue
        pursuer = registry.by_name(k.pursuer) if k.pursuer else k
        kind[mine] = pursuer.code
        for field in pursuer.weight_fields:
            current = fields.get(field, getattr(ph, field))
            fields[field] = np.where(mine[:, None], weights, current)
    return ph._replace(kind=kind, **fields)


@njit(cache=True, nogil=True)
def _decision_states(new_group, world, taken, spent, gone, held):
    """Fills ``gone`` (n, K) and ``held`` (n, F): per event, the items its organism had taken at the
    group's earlier events, and its holdings, summed in the order of the takes as the episode loop
    sums them (so a requirement met in the episode is met here, to the last bit)."""
    n, nk, nf = taken.shape[0], gone.shape[1], held.shape[1]
    # Element by element: a slice assignment compiles numba's shape-mismatch error, string formatting
    # and all, which cost the first run about three seconds.
    for j in range(n):
        if new_group[j]:
            for i in range(nk):
                gone[j, i] = False
            for f in range(nf):
                held[j, f] = 0.0
        else:
            for i in range(nk):
                gone[j, i] = gone[j - 1, i]
            for f in range(nf):
                held[j, f] = held[j - 1, f]
            item = taken[j - 1]
            if item >= 0:
                gone[j, item] = True
                for f in range(nf):
                    held[j, f] += spent[world[j - 1], item, f]


def reference_decision_states(organism, world, taken, spent) -> tuple[list, list]:
    """Plain-Python twin of the compiled states: ``gone`` and ``held`` per event, as lists."""
    gone, held = [], []
    for j in range(len(taken)):
        if j == 0 or organism[j] != organism[j - 1] or world[j] != world[j - 1]:
            g, h = [False] * spent.shape[1], [0.0] * spent.shape[2]
        else:
            g, h = list(gone[-1]), list(held[-1])
            item = int(taken[j - 1])
            if item >= 0:
                g[item] = True
                h = [h[f] + float(spent[world[j - 1], item, f]) for f in range(len(h))]
        gone.append(g)
        held.append(h)
    return gone, held


def decision_starts(organism: np.ndarray, events: ChoiceSets, batch: WorldBatch) -> kernels.EpisodeStarts:
    """The state of each choice event (as ``organisms.choice_events`` gives them: grouped by organism,
    then world, in the order they happened), for ``kernels.run_episodes``: where the organism stood,
    the step, the items it had taken before (its takes at the group's earlier events) and what it held."""
    n, k = events.taken.shape[0], batch.item_pos.shape[1]
    nf = batch.item_features.shape[2]
    organism = np.ascontiguousarray(organism, dtype=np.int64)
    world = np.ascontiguousarray(events.world, dtype=np.int64)
    new_group = np.ones(n, dtype=np.bool_)
    new_group[1:] = (organism[1:] != organism[:-1]) | (world[1:] != world[:-1])
    gone, held = np.zeros((n, k), dtype=np.bool_), np.zeros((n, nf))
    spent = batch.item_features - batch.item_requires  # what a take adds to the holdings
    _decision_states(new_group, world, np.ascontiguousarray(events.taken, dtype=np.int64), spent, gone, held)
    return kernels.EpisodeStarts(organism, world, np.ascontiguousarray(events.cell, dtype=np.int64),
                                 batch.steps[world] - events.left, gone, held)


def _first_takes(taken_ats: np.ndarray) -> np.ndarray:
    took = taken_ats >= 0
    return np.where(took.any(axis=1), np.argmax(took, axis=1), NOTHING).astype(np.int64)


def distinct_policies(ph: Phenotype) -> tuple[np.ndarray, np.ndarray]:
    """Rows of ``ph`` that walk alike: ``first`` (one row per distinct policy) and ``inverse`` (P,),
    each row's policy. Per kind only the fields its policy reads count (``OrganismKind.reads``): a
    planner's decoded decay or a heuristic's horizon must not make two pursuers that walk alike two."""
    n = len(ph.kind)
    columns = [ph.kind.astype(np.float64)[:, None]]
    for name in ph._fields[1:]:
        values = np.asarray(getattr(ph, name), dtype=np.float64).reshape(n, -1)
        used = np.zeros(n, dtype=bool)
        for k in registry.REGISTRY:
            if k.reads is None or name in k.reads:
                used |= ph.kind == k.code
        columns.append(np.where(used[:, None], values, 0.0))
    _, first, inverse = np.unique(np.hstack(columns), axis=0, return_index=True, return_inverse=True)
    return first, inverse.ravel()


def distinct_starts(ph: Phenotype, starts: kernels.EpisodeStarts) -> tuple[kernels.EpisodeStarts, np.ndarray]:
    """The distinct episodes among ``starts``, and for each start the row of its episode among them.

    Two starts are one episode when their organisms walk alike (``distinct_policies``) and they begin in
    the same world, on the same cell, at the same step, with the same items gone and the same holdings
    (to the bit): the episode loop is deterministic, so one run answers for both. Organisms of a
    population choose alike often (every episode's first decision is the same state for every organism
    of a policy), so on Aurora a generation's 8 279 decisions are 753 episodes."""
    _, policy = distinct_policies(ph)
    key = np.hstack([policy[starts.organism][:, None], starts.world[:, None], starts.cell[:, None],
                     starts.step[:, None], np.packbits(starts.gone, axis=1).astype(np.int64),
                     np.ascontiguousarray(starts.held).view(np.int64)])
    first, inverse = unique_rows(key)
    return kernels.EpisodeStarts(*(np.ascontiguousarray(a[first]) for a in starts)), inverse


_MIX = np.random.default_rng(20261203).integers(1, 2**63, size=64, dtype=np.uint64) | np.uint64(1)
"""Odd multipliers of ``unique_rows``' hash (fixed: the rows it finds do not depend on them)."""


def unique_rows(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(key, axis=0, return_index=True, return_inverse=True)``'s index and inverse for an
    (n, c) int64 array, by sorting a hash of each row rather than the rows (several times faster);
    rows are checked against their representative, so a hash collision falls back to ``np.unique``."""
    mix = np.resize(_MIX, key.shape[1])
    with np.errstate(over="ignore"):
        h = (key.view(np.uint64) * mix).sum(axis=1, dtype=np.uint64)
        h ^= h >> np.uint64(29)
    _, first, inverse = np.unique(h, return_index=True, return_inverse=True)
    inverse = inverse.ravel()
    if not np.array_equal(key[first][inverse], key):
        _, first, inverse = np.unique(key, axis=0, return_index=True, return_inverse=True)
        inverse = inverse.ravel()
    return first, inverse


def next_takes(ph: Phenotype, batch: WorldBatch, starts: kernels.EpisodeStarts,
               parallel: bool = False) -> np.ndarray:
    """(J,) the item each organism ``starts.organism[j]`` of ``ph`` takes first from the state of start
    ``j``, or ``NOTHING`` if it takes nothing in the steps left. Each distinct episode is run once
    (``distinct_starts``). ``parallel``: two threads (the compiled loop releases the GIL; the result
    does not depend on it)."""
    if starts.organism.shape[0] == 0:
        return np.empty(0, dtype=np.int64)
    distinct, inverse = distinct_starts(ph, starts)
    return _next_takes(ph, batch, distinct, parallel)[inverse]


def _next_takes(ph: Phenotype, batch: WorldBatch, starts: kernels.EpisodeStarts, parallel: bool) -> np.ndarray:
    jobs = starts.organism.shape[0]
    out = np.empty(jobs, dtype=np.int64)
    nf = batch.item_features.shape[2]
    block = kernels.RECORD_BLOCK

    def run(lo: int, hi: int) -> None:
        scratch = kernels.batch_scratch(batch)
        for first in range(lo, hi, block):
            last = min(first + block, hi)
            paths, taken_ats = kernels.trajectory_slots(batch, last - first)
            kernels.run_episodes(ph, batch, first, last, scratch, np.zeros((last - first, nf)),
                                 np.zeros(last - first, dtype=np.int64), paths, taken_ats, starts)
            out[first:last] = _first_takes(taken_ats)

    if parallel and jobs >= 2 * block:
        cut = jobs // 2
        list(kernels.thread_pool(2).map(lambda span: run(*span), ((0, cut), (cut, jobs))))
    else:
        run(0, jobs)
    return out


def reference_next_take(organism: dict, world: dict, part_way: dict) -> int:
    """Plain-Python twin of ``next_takes`` for one start: ``organism`` and ``world`` as
    ``organisms.reference.run_episode`` takes them, ``part_way`` its ``cell``, ``step``, ``gone`` and
    ``held``."""
    taken_at = run_episode(organism, world, part_way)["taken_at"]
    took = [i for i, t in enumerate(taken_at) if t >= 0]
    return took[0] if took else NOTHING
