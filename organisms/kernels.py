"""Compiled episode kernels: one episode loop, and the population runners around it.

Every policy here has a plain-Python twin (``organisms.reference``, through each kind's reference
functions) that a test compares trajectory for trajectory. The twin searches afresh every step
(breadth-first search from the organism); these kernels read the same distances from an all-pairs
table computed once per world, which is an order of magnitude cheaper and changes neither choices
nor the compute count.

Float operations run in the same order as in the reference (items in index order, features in
feature order, decay powers by repeated multiplication) so that ties resolve identically.

The kernels take records: a ``Phenotype`` (``organisms.genome``) and a ``WorldBatch``
(``organisms.worlds``), both NamedTuples of arrays, which numba passes as records. Working arrays
(``organism_kind.Scratch``) are allocated in Python, once per runner call (per thread), and reused.

One compiled function, ``run_episodes``, runs every episode anyone asks for: a population's
(organism, world) pairs, a recorded episode for a figure, the episodes the choice events and the
navigation counts are read from. Every caller passes the same types, so a run compiles the episode
loop (and the kinds' policies inlined into it) once: compiling is most of a first run's time. It
loops over episodes itself, so a population's episodes cost one call (each call passes the records'
arrays, a few hundred machine words), and it always records the trajectory (two stores a step),
so no flag selects a second specialisation.

It is compiled with ``_nrt=False``: without numba's runtime, no array in it is reference-counted.
With the runtime, every array of every record handed to the kinds' functions costs an atomic
increment and decrement per call (about 60 per episode here); that overhead made episodes 1.2-1.7x
slower. The price: nothing inside may allocate, and numba refuses to compile code that does.
``_nrt`` is an option numba accepts but does not document; should a numba release drop it,
compiling the kernel raises (unknown option) rather than running slower.

Threads: ``population_episodes_parallel`` splits the episodes into chunks run by a pool of Python
threads, each calling ``run_episodes`` (which releases the GIL) on its own scratch; every episode
writes only its own outputs, so the results do not depend on the number of threads. (A ``prange``
kernel would do the same but is compiled apart from the serial one, at several times its cost.)
"""

from __future__ import annotations

import functools
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

import numpy as np
from numba import njit

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


class EpisodeStarts(NamedTuple):
    """Episodes that begin part-way through: organism ``organism[j]`` in world ``world[j]``, standing
    on ``cell[j]`` at step ``step[j]`` with the items of ``gone[j]`` already taken and ``held[j]`` in
    hand; each stops at its first take. What a pursuer would do at another organism's decision."""

    organism: np.ndarray
    """(J,) int64: the row of the phenotype."""
    world: np.ndarray
    """(J,) int64: the world of the batch."""
    cell: np.ndarray
    """(J,) int64: the flat cell (row * batch width + column) it stands on."""
    step: np.ndarray
    """(J,) int64: the step it begins at (steps left: the world's steps minus this)."""
    gone: np.ndarray
    """(J, N) bool: items already taken (not to be taken again)."""
    held: np.ndarray
    """(J, F) float64: what it holds (the outcome so far), which requirements are checked against."""


def no_starts(batch) -> EpisodeStarts:
    """The empty ``EpisodeStarts``: ``run_episodes`` then runs whole episodes, organism-major."""
    return EpisodeStarts(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64),
                         np.zeros(0, dtype=np.int64), np.zeros((0, batch.item_pos.shape[1]), dtype=np.bool_),
                         np.zeros((0, batch.item_features.shape[2])))


@njit(cache=True, nogil=True, _nrt=False)  # no reference counting: see the module docstring
def run_episodes(ph, batch, first, last, scratch, outcomes, compute, paths, taken_ats, starts):
    """Episodes ``first`` .. ``last - 1`` of the (organism, world) pairs of ``ph`` and ``batch``,
    organism-major (episode ``j`` is organism ``j // E`` in world ``j % E``), or, where ``starts``
    lists any, episodes ``first`` .. ``last - 1`` of ``starts`` (each from its own state to its first
    take: ``taken_ats`` then holds that one take, -1 elsewhere, and ``outcomes`` what is held then).

    Args:
        ph: a ``Phenotype``; batch: a ``WorldBatch`` (items beyond ``n_items[e]`` are padding).
        starts: an ``EpisodeStarts`` (``no_starts(batch)``: whole episodes). Both cases are one
            compiled function of the same argument types, so asking for either compiles nothing more.
        scratch: a ``Scratch`` sized for the batch (``batch_scratch``); its contents are overwritten.
        outcomes: (last - first, F) float64, filled with each episode's summed features of the items
            taken (requirements spent are subtracted).
        compute: (last - first,) int64, each episode's compute count summed over steps (0 for a
            kind that does not search).
        paths: (slots, S + 1, 2) int64 and taken_ats: (slots, N) int64: episode ``first + j``
            writes its cell at each step and the step each item was taken (-1 if never) to slot
            ``j % slots`` (one slot: only the last episode's trajectory is kept).
    """
    n_worlds = batch.walls.shape[0]
    w = batch.walls.shape[2]
    nf = outcomes.shape[1]
    slots = paths.shape[0]
    taken = scratch.taken
    part_way = starts.organism.shape[0] > 0
    for job in range(first, last):
        if part_way:
            o, e, t0 = starts.organism[job], starts.world[job], starts.step[job]
        else:
            o = job // n_worlds
            e = job - o * n_worlds
            t0 = 0
        j = job - first
        outcome, path, taken_at = outcomes[j], paths[j % slots], taken_ats[j % slots]
        world = episode_world(batch, e)
        n_items, steps, item_cells = world.n_items, world.steps, world.item_cells
        item_feat, item_req, neighbours = world.item_features, world.item_requires, world.neighbours
        for f in range(nf):
            outcome[f] = starts.held[job, f] if part_way else 0.0
        for i in range(n_items):
            taken[i] = starts.gone[job, i] if part_way else False
            taken_at[i] = -1
        kind = ph.kind[o]
        param = kinds.start(kind, ph, o, world, scratch)
        if part_way:
            r, c = starts.cell[job] // w, starts.cell[job] % w
        else:
            r, c = batch.start[e, 0], batch.start[e, 1]
        cell = CELL(r * w + c)
        for t in range(t0 + 1):
            path[t, 0] = r
            path[t, 1] = c
        total = 0
        for t in range(t0, steps):
            move, cost = kinds.step(kind, ph, o, world, scratch, param, cell, r, c, t, outcome)
            total += cost
            took = False
            if move != STAY:
                cell = neighbours[cell, move]
                r, c = r + MOVE_DR[move], c + MOVE_DC[move]
                for i in range(n_items):
                    if not taken[i] and item_cells[i] == cell:
                        if can_take(outcome, item_req, i):
                            taken[i] = True
                            for f in range(nf):
                                outcome[f] += item_feat[i, f] - item_req[i, f]
                            taken_at[i] = t + 1
                            took = True
                        break
            path[t + 1, 0] = r
            path[t + 1, 1] = c
            if part_way and took:
                break
        compute[j] = total


@functools.cache
def thread_pool(threads: int) -> ThreadPoolExecutor:
    """The process's pool of ``threads`` threads for compiled work that releases the GIL, made once:
    starting threads for every call cost a run's log more than a tenth of its time. Its tasks never
    submit to a pool themselves, so sharing it cannot deadlock."""
    return ThreadPoolExecutor(threads, thread_name_prefix=f"basemesa-{threads}")


# A forked child (a process-pool worker) inherits the pool without its threads: it makes its own.
os.register_at_fork(after_in_child=thread_pool.cache_clear)


def batch_scratch(batch) -> tuple:
    """Working arrays for any episode of ``batch``."""
    return new_scratch(batch.item_pos.shape[1], batch.walls.shape[1], batch.walls.shape[2])


def trajectory_slots(batch, slots: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """``paths`` and ``taken_ats`` for ``run_episodes``: ``slots`` trajectories of any world of ``batch``."""
    steps = int(batch.steps.max()) if len(batch.steps) else 0
    return (np.zeros((slots, steps + 1, 2), dtype=np.int64),
            np.full((slots, batch.item_pos.shape[1]), -1, dtype=np.int64))


RECORD_BLOCK = 1024
"""Episodes whose trajectories are recorded at once by ``recorded_blocks`` (about 0.7 MB of paths on
Aurora's worlds)."""


def recorded_blocks(ph, batch, first: int, last: int, block: int = RECORD_BLOCK):
    """Episodes ``first`` .. ``last - 1`` (as ``run_episodes`` numbers them) in blocks of at most
    ``block``, each episode's trajectory kept: yields ``(start, paths, taken_ats)`` per block, with
    ``paths`` (n, S + 1, 2) and ``taken_ats`` (n, N) of episodes ``start`` .. ``start + n - 1``.

    Measures read from trajectories (choice events, navigation) use this rather than calling the
    episode loop from their own compiled code: a compiled caller would link the episode loop into
    itself and have it optimised again, at a cost of about a second of compiling per caller.
    """
    scratch = batch_scratch(batch)
    nf = batch.item_features.shape[2]
    for start in range(first, last, block):
        n = min(block, last - start)
        paths, taken_ats = trajectory_slots(batch, n)
        run_episodes(ph, batch, start, start + n, scratch, np.zeros((n, nf)), np.zeros(n, dtype=np.int64),
                     paths, taken_ats, no_starts(batch))
        yield start, paths, taken_ats


def episode(ph, o, batch, e, scratch, outcome, path, taken_at):
    """Organism ``o`` of ``ph`` in world ``e`` of ``batch``, recorded: fills ``outcome`` (F,), ``path``
    ((steps + 1, 2) or longer) and ``taken_at`` ((N,)); returns the compute count."""
    compute = np.zeros(1, dtype=np.int64)
    job = o * batch.walls.shape[0] + e
    run_episodes(ph, batch, job, job + 1, scratch, outcome.reshape(1, -1), compute, path[None], taken_at[None],
                 no_starts(batch))
    return int(compute[0])


def _outputs(ph, batch) -> tuple[np.ndarray, np.ndarray]:
    p, e = ph.kind.shape[0], batch.walls.shape[0]
    return np.zeros((p, e, batch.item_features.shape[2])), np.zeros((p, e), dtype=np.int64)


def population_episodes(ph, batch) -> tuple[np.ndarray, np.ndarray]:
    """Every organism of ``ph`` in every world of ``batch``, in one compiled call (serial).

    Returns:
        outcomes (P, E, F) float64 and compute (P, E) int64.
    """
    outcomes, compute = _outputs(ph, batch)
    jobs = compute.size
    paths, taken_ats = trajectory_slots(batch)
    run_episodes(ph, batch, 0, jobs, batch_scratch(batch), outcomes.reshape(jobs, -1), compute.reshape(jobs),
                 paths, taken_ats, no_starts(batch))
    return outcomes, compute


def population_episodes_parallel(ph, batch, threads: int) -> tuple[np.ndarray, np.ndarray]:
    """``population_episodes`` with chunks of episodes spread over ``threads`` threads (same results:
    every episode writes only its own outputs)."""
    outcomes, compute, _ = _spread(ph, batch, threads, None)
    return outcomes, compute


def population_episodes_recorded(ph, batch, threads: int = 1) -> tuple[np.ndarray, ...]:
    """``population_episodes`` with every episode's trajectory kept, in ``threads`` threads.

    Returns:
        outcomes (P, E, F), compute (P, E), and ``paths`` (P * E, S + 1, 2) and ``taken_ats``
        (P * E, N) of each episode, organism-major (as ``recorded_blocks`` yields them). What a
        measure read from trajectories (``organisms.choices``) takes, so that the episodes that
        score a generation are not run a second time to read its decisions.
    """
    return _spread(ph, batch, threads, trajectory_slots(batch, ph.kind.shape[0] * batch.walls.shape[0]))


def _spread(ph, batch, threads: int, recorded) -> tuple:
    """Every episode of ``ph`` on ``batch`` in chunks over ``threads`` threads; each episode's
    trajectory to its own slot of ``recorded`` (paths, taken_ats), or None: not kept."""
    outcomes, compute = _outputs(ph, batch)
    jobs = compute.size
    threads = max(1, min(int(threads), jobs))
    flat_outcomes, flat_compute = outcomes.reshape(jobs, -1), compute.reshape(jobs)
    if threads == 1:
        slots = recorded if recorded is not None else trajectory_slots(batch)
        run_episodes(ph, batch, 0, jobs, batch_scratch(batch), flat_outcomes, flat_compute, *slots, no_starts(batch))
        return outcomes, compute, recorded
    chunks = min(jobs, threads * CHUNKS_PER_THREAD)
    own = threading.local()  # each thread's scratch and trajectory slot, made on its first chunk

    def chunk(k: int) -> None:
        if not hasattr(own, "scratch"):
            own.scratch, own.slots = batch_scratch(batch), trajectory_slots(batch)
        lo, hi = k * jobs // chunks, (k + 1) * jobs // chunks
        slots = own.slots if recorded is None else (recorded[0][lo:hi], recorded[1][lo:hi])
        run_episodes(ph, batch, lo, hi, own.scratch, flat_outcomes[lo:hi], flat_compute[lo:hi], *slots,
                     no_starts(batch))

    list(thread_pool(threads).map(chunk, range(chunks)))
    return outcomes, compute, recorded
