"""Compiled episode kernels: the episode loop and the population runners.

Every policy here has a plain-Python twin (``organisms.reference``, through each kind's reference
functions) that a test compares trajectory for trajectory. The twin searches afresh every step
(breadth-first search from the organism); these kernels read the same distances from an all-pairs
table computed once per world, which is an order of magnitude cheaper and changes neither choices
nor the compute count.

Float operations run in the same order as in the reference (items in index order, features in
feature order, decay powers by repeated multiplication) so that ties resolve identically.

The kernels take records: a ``Phenotype`` (``organisms.genome``) and a ``WorldBatch``
(``organisms.worlds``), both NamedTuples of arrays, which numba passes as records. Working arrays
(``organism_kind.Scratch``) are allocated once per chunk of episodes and reused.

``episode`` is compiled with ``_nrt=False``: without numba's runtime, no array in it is
reference-counted. With the runtime, every array of every record handed to the kinds' functions
costs an atomic increment and decrement per call (about 60 per episode here); that overhead made
episodes 1.2-1.7x slower than the positional-array kernels it replaced, and without it they are
faster (``benchmarks/kernel_speed.py``). The price: nothing inside an episode may allocate,
and numba refuses to compile code that does. ``_nrt`` is an option numba accepts but does not
document; should a numba release drop it, compiling the kernel raises (unknown option) rather than
running slower.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from organisms import kinds
from organisms.grid import (  # noqa: F401  (re-exported: the grid searches' historical home)
    CELL,
    MOVE_DC,
    MOVE_DR,
    STAY,
    UNREACHABLE,
    all_pairs_distances,
    reach_counts,
    reachable_from,
)
from organisms.organism_kind import new_scratch
from organisms.worlds import can_take, episode_world

CHUNKS_PER_THREAD = 16
"""The parallel runner splits (organism, world) pairs into this many chunks per thread: episodes
cost very different amounts (a planner that stays is cheap), so small chunks balance the load."""


@njit(cache=True, _nrt=False)  # no reference counting: see the module docstring
def episode(ph, o, batch, e, scratch, outcome, record, path, taken_at):
    """Run organism ``o`` of the phenotype record ``ph`` through world ``e`` of ``batch``.

    Args:
        ph: a ``Phenotype``; batch: a ``WorldBatch`` (items beyond ``n_items[e]`` are padding).
        scratch: a ``Scratch`` sized for the batch (``new_scratch``); its contents are overwritten.
        outcome: (F,) float64, zeroed and filled with the summed features of the items taken
            (requirements spent are subtracted).
        record: whether to write ``path`` ((steps + 1, 2): the cell at each step) and
            ``taken_at`` ((N,): the step an item was taken, -1 if never).

    Returns:
        The compute count summed over steps (0 for a kind that does not search).
    """
    w = batch.walls.shape[2]
    world = episode_world(batch, e)
    n_items, steps, item_cells = world.n_items, world.steps, world.item_cells
    item_feat, item_req, neighbours = world.item_features, world.item_requires, world.neighbours
    nf = outcome.shape[0]
    for f in range(nf):
        outcome[f] = 0.0
    taken = scratch.taken
    for i in range(n_items):
        taken[i] = False
        if record:
            taken_at[i] = -1
    kind = ph.kind[o]
    param = kinds.start(kind, ph, o, world, scratch)
    r, c = batch.start[e, 0], batch.start[e, 1]
    cell = CELL(r * w + c)
    if record:
        path[0, 0] = r
        path[0, 1] = c
    compute = 0
    for t in range(steps):
        move, cost = kinds.step(kind, ph, o, world, scratch, param, cell, r, c, t, outcome)
        compute += cost
        if move != STAY:
            cell = neighbours[cell, move]
            r, c = r + MOVE_DR[move], c + MOVE_DC[move]
            for i in range(n_items):
                if not taken[i] and item_cells[i] == cell:
                    if can_take(outcome, item_req, i):
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
def batch_scratch(batch):
    """Working arrays for any episode of ``batch``."""
    return new_scratch(batch.item_pos.shape[1], batch.walls.shape[1], batch.walls.shape[2])


@njit(cache=True)
def _run_jobs(ph, batch, first, last, outcomes, compute):
    """Episodes ``first`` .. ``last - 1`` of the (organism, world) pairs, organism-major."""
    e = batch.walls.shape[0]
    scratch = batch_scratch(batch)
    for job in range(first, last):
        o, k = job // e, job % e
        compute[o, k] = episode(ph, o, batch, k, scratch, outcomes[o, k], False, scratch.path,
                                scratch.taken_at)


@njit(cache=True)
def population_episodes(ph, batch):
    """Every organism of ``ph`` in every world of ``batch``, in one compiled call (serial).

    Returns:
        outcomes (P, E, F) float64 and compute (P, E) int64.
    """
    p, e = ph.kind.shape[0], batch.walls.shape[0]
    outcomes = np.zeros((p, e, batch.item_features.shape[2]))
    compute = np.zeros((p, e), dtype=np.int64)
    _run_jobs(ph, batch, 0, p * e, outcomes, compute)
    return outcomes, compute


@njit(cache=True, parallel=True)
def population_episodes_parallel(ph, batch, threads):
    """``population_episodes`` with chunks of episodes spread over ``threads`` of numba's threads
    (same results: every episode writes only its own outputs)."""
    p, e = ph.kind.shape[0], batch.walls.shape[0]
    outcomes = np.zeros((p, e, batch.item_features.shape[2]))
    compute = np.zeros((p, e), dtype=np.int64)
    jobs = p * e
    chunks = min(jobs, max(1, threads) * CHUNKS_PER_THREAD)
    for chunk in prange(chunks):
        _run_jobs(ph, batch, chunk * jobs // chunks, (chunk + 1) * jobs // chunks, outcomes, compute)
    return outcomes, compute
