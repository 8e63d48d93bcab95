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

from concurrent.futures import ThreadPoolExecutor

import numpy as np

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


def decision_starts(organism: np.ndarray, events: ChoiceSets, batch: WorldBatch) -> kernels.EpisodeStarts:
    """The state of each choice event (as ``organisms.choice_events`` gives them: grouped by organism,
    then world, in the order they happened), for ``kernels.run_episodes``: where the organism stood,
    the step, the items it had taken before (its takes at the group's earlier events) and what it held."""
    n, k = events.taken.shape[0], batch.item_pos.shape[1]
    took = np.zeros((n, k), dtype=np.int64)
    rows = np.flatnonzero(events.taken != NOTHING)
    took[rows, events.taken[rows]] = 1
    before = np.cumsum(took, axis=0) - took  # takes at earlier events, over every group
    group = organism.astype(np.int64) * batch.walls.shape[0] + events.world
    first = np.r_[True, group[1:] != group[:-1]] if n else np.zeros(0, dtype=bool)
    base = before[np.flatnonzero(first)][np.cumsum(first) - 1]
    gone = (before - base) > 0
    spent = batch.item_features[events.world] - batch.item_requires[events.world]  # (n, K, F)
    held = np.einsum("nk,nkf->nf", gone.astype(np.float64), spent)
    return kernels.EpisodeStarts(organism.astype(np.int64), events.world.astype(np.int64),
                                 events.cell.astype(np.int64), batch.steps[events.world] - events.left,
                                 gone, held)


def _first_takes(taken_ats: np.ndarray) -> np.ndarray:
    took = taken_ats >= 0
    return np.where(took.any(axis=1), np.argmax(took, axis=1), NOTHING).astype(np.int64)


def next_takes(ph: Phenotype, batch: WorldBatch, starts: kernels.EpisodeStarts,
               parallel: bool = False) -> np.ndarray:
    """(J,) the item each organism ``starts.organism[j]`` of ``ph`` takes first from the state of start
    ``j``, or ``NOTHING`` if it takes nothing in the steps left. ``parallel``: two threads (the
    compiled loop releases the GIL; the result does not depend on it)."""
    jobs = starts.organism.shape[0]
    out = np.empty(jobs, dtype=np.int64)
    if jobs == 0:
        return out
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
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(lambda span: run(*span), ((0, cut), (cut, jobs))))
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
