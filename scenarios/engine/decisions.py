"""Decision agreement: the share of an organism's actual choices that a planner pursuing the base
objective would also make at that decision (see METRICS.md).

Built on the choice events of ``organisms.choices`` (what the organism could take each time it
committed, and what it set off toward). At each event the *base planner* (the base objective, full
perception, no horizon limit) would head for the available item maximising
w_base · x_i − C_DIST · d_i, ties to the nearer item, then to the lower index, or take nothing
(the outside option) if that value is not positive, with d_i the length of its route: the shortest
path, or where the scenario's ``avoid_harm`` is on, around the available items the base objective
values below zero where such a route is within the steps left (``base_routes``, the planners' rule). The event agrees when the organism's chosen set
contains the base planner's item, or when both took nothing.

``agreement_per_event`` is batched over any set of events at once (numpy);
``reference_agreement_per_event`` is its plain-Python twin, which a test compares event for event.
"""

from __future__ import annotations

import numpy as np

import organisms
from organisms import C_DIST, NOTHING, ChoiceSets
from organisms.planner import route_lengths


def base_choices(cs: ChoiceSets, base: np.ndarray) -> np.ndarray:
    """(n,) the item slot the base planner would head for at each event, or ``NOTHING``."""
    if cs.n == 0:
        return np.empty(0, dtype=np.int64)
    value = cs.features @ base - C_DIST * cs.distance
    value = np.where(cs.available, value, -np.inf)
    best = value.max(axis=1)
    # Ties broken as the planners break them: the nearer item, then the lower index (argmin's rule).
    tied = cs.available & (value == best[:, None])
    pick = np.argmin(np.where(tied, cs.distance, np.inf), axis=1)
    return np.where(best > 0, pick, NOTHING).astype(np.int64)


def agreement_per_event(cs: ChoiceSets, base: np.ndarray) -> np.ndarray:
    """(n,) bool: whether the organism's choice at each event is the base planner's."""
    pick = base_choices(cs, base)
    took_nothing = cs.taken == NOTHING
    rows = np.arange(cs.n)
    hit = cs.chosen[rows, np.maximum(pick, 0)]
    return np.where(pick == NOTHING, took_nothing, hit & ~took_nothing)


def reference_agreement_per_event(cs: ChoiceSets, base: np.ndarray) -> list[bool]:
    """Plain-Python twin of ``agreement_per_event``: one event and one item at a time."""
    out = []
    for e in range(cs.n):
        best, pick, pick_d = 0.0, NOTHING, float("inf")
        for i in range(cs.available.shape[1]):
            if not cs.available[e, i]:
                continue
            v = float(cs.features[e, i] @ base) - C_DIST * float(cs.distance[e, i])
            d = float(cs.distance[e, i])
            if pick == NOTHING and v > 0 or pick != NOTHING and (v > best or v == best and d < pick_d):
                best, pick, pick_d = v, i, d
        if pick == NOTHING:
            out.append(bool(cs.taken[e] == NOTHING))
        else:
            out.append(bool(cs.taken[e] != NOTHING and cs.chosen[e, pick]))
    return out


def base_routes(cs: ChoiceSets, batch: organisms.WorldBatch, base: np.ndarray) -> ChoiceSets:
    """The events with the base planner's route lengths in place of shortest paths: its routes go
    around the available items the base objective values below zero where such a route is within the
    steps left (``organisms.planner``), as the planners' do where the scenario's ``avoid_harm`` is on."""
    if cs.n == 0:
        return cs
    w = batch.walls.shape[2]
    item_cells = (batch.item_pos[..., 0] * w + batch.item_pos[..., 1]).astype(np.uint32)
    lengths = route_lengths(batch.neighbours, item_cells, cs.world, cs.cell, cs.left, cs.available,
                            cs.features @ base, cs.distance)
    return cs._replace(distance=lengths)


DECISION_CHUNK = 16
"""Organisms whose choice events are held at once: an organism's events on 300 worlds take about a
megabyte, and judging them takes a few times that, so a whole population's at once would dominate an
assessment's memory (32 at once raised the main job's peak by about 70 MB; 16, about half that)."""


def decisions(ph: organisms.Phenotype, batch: organisms.WorldBatch, base: np.ndarray,
              parallel: bool | None = None) -> dict[str, np.ndarray]:
    """What the label judges, per organism, from one extraction of the population's choice events:
    ``activity`` (items taken per episode: every take is an event) and ``decision_agreement`` (the
    share of its events on which it chose as the base planner would; NaN for an organism with no
    events: it never had anything it could take). Where the organisms route around harm
    (``Phenotype.avoids_harm``), the base planner's distances are its routes (``base_routes``).

    Judged over ``DECISION_CHUNK`` organisms' events at a time (no loop over single organisms), so a
    generation can afford it and an assessment's memory stays bounded: the run log's labels read it
    as ``assess`` does. ``parallel``: as ``organisms.choice_events``."""
    n = ph.is_planner.shape[0]
    count, agreed, takes = np.zeros(n), np.zeros(n), np.zeros(n)
    for lo in range(0, n, DECISION_CHUNK):
        part = organisms.Phenotype(*(field[lo:lo + DECISION_CHUNK] for field in ph))
        organism, events = organisms.choice_events(part, batch, parallel)
        m = part.kind.shape[0]
        count[lo:lo + m] = np.bincount(organism, minlength=m)
        agreed[lo:lo + m] = np.bincount(organism, weights=unbounded_agreement(part, organism, events, batch, base),
                                        minlength=m)
        takes[lo:lo + m] = np.bincount(organism, weights=events.taken != NOTHING, minlength=m)
    with np.errstate(invalid="ignore", divide="ignore"):
        return {"activity": takes / batch.walls.shape[0],
                "decision_agreement": np.where(count > 0, agreed / np.maximum(count, 1), np.nan)}


def unbounded_agreement(ph: organisms.Phenotype, organism: np.ndarray, events: ChoiceSets,
                        batch: organisms.WorldBatch, base: np.ndarray) -> np.ndarray:
    """(n,) bool per choice event (of organism ``organism[j]`` of ``ph``): whether the unbounded base
    planner would choose as the organism did, its routes around harm where the organism's are."""
    if ph.avoids_harm.any():
        routed = base_routes(events, batch, base)
        events = events._replace(distance=np.where(ph.avoids_harm[organism][:, None], routed.distance,
                                                   events.distance))
    return agreement_per_event(events, base)


def decision_agreement(ph: organisms.Phenotype, batch: organisms.WorldBatch, base: np.ndarray) -> np.ndarray:
    """(n organisms,) the ``decision_agreement`` of ``decisions``."""
    return decisions(ph, batch, base)["decision_agreement"]
