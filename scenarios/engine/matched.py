"""The matched pursuer's verdict inputs: decision agreement, collateral harm and the score floor, each
against a base-objective pursuer with the organism's own capabilities (``organisms.matched``).

What the matched pursuer values is the base objective *as the organism can perceive it* on the
distribution judged: the best linear predictor of an item's base value from the features the organism
perceives, over the distribution's item kinds weighted by their expected counts (weighted least
squares, the smallest such weights where several fit equally). Where the base objective reads only
features the organism perceives, that is the base objective itself. An organism without a costly
sensor is thus compared with the best a pursuer without it could do there: on training, where a free
proxy predicts the hidden feature, the proxy; on a deployment that decorrelates them, what the proxy
is still worth there.

Columns (per organism, on one distribution's worlds; METRICS.md): ``decision_agreement`` (the share
of its decisions, every take and the moment it stops, at which the matched pursuer, put in its place,
takes the same item or also nothing), ``collateral_harm`` (per episode, the base value lost to takes
the matched pursuer would not have made, counting items the base objective values below zero),
``matched_base`` (the matched pursuer's own mean base score on the same worlds), ``matched_frac``
(the organism's base score over it; NaN where it is not positive) and, from the same events, the
older ``unbounded_decision_agreement`` (``scenarios.engine.decisions``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

import organisms
from organisms import NOTHING
from organisms.matched import decision_starts, distinct_policies, next_takes, pursuer_phenotype
from organisms.metrics import ratio
from scenarios.engine.decisions import unbounded_agreement

if TYPE_CHECKING:
    from scenarios.engine.scenario import Scenario

CHUNK = 16
"""Organisms whose decisions are extracted and replayed at once on an assessment's 300 worlds (bounds
its memory: 32 at once raised the main job's peak by about 70 MB, at no measurable gain in speed);
on fewer worlds, as many more as make the same number of episodes (``chunk_size``)."""

CHUNK_EPISODES = CHUNK * 300
"""Episodes (organisms x worlds) whose decisions are extracted and replayed at once."""


def chunk_size(worlds: int) -> int:
    """Organisms per chunk on ``worlds`` worlds: a generation's population on its 8 worlds is one chunk
    (decisions are replayed once per distinct state, and more organisms share more states)."""
    return max(1, CHUNK_EPISODES // max(worlds, 1))


def perceived_base(sc: Scenario, perceives: np.ndarray, distribution: str) -> np.ndarray:
    """(F,) the base objective as an organism perceiving ``perceives`` (F,) bool can value items on
    ``distribution``: the weighted least-squares fit of the base values of its item kinds."""
    base = np.asarray(sc.base_weights, dtype=np.float64)
    seen = np.asarray(perceives, dtype=bool)
    if not np.any(base[~seen]):
        return np.where(seen, base, 0.0)
    kinds = sc.item_kinds(distribution)
    root = np.sqrt(np.asarray(kinds.expected_counts, dtype=np.float64))
    features = np.asarray(kinds.features, dtype=np.float64)
    fit = np.linalg.lstsq(features[:, seen] * root[:, None], (features @ base) * root, rcond=None)[0]
    out = np.zeros_like(base)
    # Rounded so that a fit that is exact up to float error is exact: a weight of 1e-16 where there is
    # none would break the planners' ties differently from the organism's own.
    out[seen] = np.round(fit, 12) + 0.0
    return out


def matched_objectives(sc: Scenario, ph: organisms.Phenotype, distribution: str) -> np.ndarray:
    """(P, F) each organism's matched pursuer's weights on ``distribution`` (``perceived_base``)."""
    patterns, inverse = np.unique(ph.perceives, axis=0, return_inverse=True)
    fits = np.array([perceived_base(sc, p, distribution) for p in patterns])
    return fits[inverse.ravel()]


def _distinct_scores(sc: Scenario, pursuers: organisms.Phenotype, batch: organisms.WorldBatch,
                     parallel: bool) -> np.ndarray:
    """(P,) each pursuer's mean base score, running each distinct pursuer once (many organisms share
    a kind, horizon, perception and map, so a population has far fewer pursuers than organisms)."""
    first, inverse = distinct_policies(pursuers)
    distinct = organisms.Phenotype(*(np.ascontiguousarray(f[first]) for f in pursuers))
    outcomes, _ = organisms.run_population(distinct, batch, parallel=parallel)
    return (outcomes @ sc.base_weights).mean(axis=1)[inverse]


def matched_columns(sc: Scenario, ph: organisms.Phenotype, batch: organisms.WorldBatch, distribution: str,
                    base: np.ndarray, parallel: bool = False,
                    trajectories: tuple[np.ndarray, np.ndarray] | None = None,
                    unbounded: bool = True) -> dict[str, np.ndarray]:
    """The matched pursuer's columns for every organism of ``ph`` on ``batch`` (worlds of
    ``distribution``), given the organisms' mean base scores there (``base``, (P,)); plus
    ``activity`` (takes per episode).

    ``trajectories``: the organisms' episodes on ``batch`` already run (``organisms.run_population_recorded``;
    None: run here). ``unbounded``: also ``unbounded_decision_agreement`` (the run log does not read it).
    """
    n, worlds = ph.kind.shape[0], batch.walls.shape[0]
    pursuers = pursuer_phenotype(ph, matched_objectives(sc, ph, distribution))
    count, agreed, takes, harm = np.zeros(n), np.zeros(n), np.zeros(n), np.zeros(n)
    older = np.zeros(n)
    item_base = batch.item_features @ sc.base_weights  # (E, K)
    step = chunk_size(worlds)
    for lo in range(0, n, step):
        part = organisms.Phenotype(*(np.ascontiguousarray(f[lo:lo + step]) for f in ph))
        mine = organisms.Phenotype(*(np.ascontiguousarray(f[lo:lo + step]) for f in pursuers))
        m = part.kind.shape[0]
        recorded = None if trajectories is None else tuple(a[lo * worlds:(lo + m) * worlds] for a in trajectories)
        organism, events = organisms.choice_events(part, batch, parallel, trajectories=recorded)
        theirs = next_takes(mine, batch, decision_starts(organism, events, batch), parallel)
        agree = theirs == events.taken
        took = events.taken != NOTHING
        value = np.where(took, item_base[events.world, np.maximum(events.taken, 0)], 0.0)
        count[lo:lo + m] = np.bincount(organism, minlength=m)
        if unbounded:  # the older comparison from the same events (extracting them is half the cost of either)
            older[lo:lo + m] = np.bincount(
                organism, weights=unbounded_agreement(part, organism, events, batch, sc.base_weights), minlength=m)
        agreed[lo:lo + m] = np.bincount(organism, weights=agree, minlength=m)
        takes[lo:lo + m] = np.bincount(organism, weights=took, minlength=m)
        harm[lo:lo + m] = np.bincount(organism, weights=np.where(~agree & took, np.maximum(-value, 0.0), 0.0),
                                      minlength=m)
    matched_base = _distinct_scores(sc, pursuers, batch, parallel)
    with np.errstate(invalid="ignore", divide="ignore"):
        columns = {"activity": takes / worlds,
                   "decision_agreement": np.where(count > 0, agreed / np.maximum(count, 1), np.nan),
                   "unbounded_decision_agreement": np.where(count > 0, older / np.maximum(count, 1), np.nan),
                   "collateral_harm": harm / worlds,
                   "matched_base": matched_base,
                   "matched_frac": ratio(base, matched_base)}
    if not unbounded:
        del columns["unbounded_decision_agreement"]
    return columns
