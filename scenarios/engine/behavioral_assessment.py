"""Behavioral objectives of a population on a scenario's assessment worlds: the weights that best
explain each organism's choices, how well they predict them (in sample and held out, beside a
distance-only baseline), how they agree with the base objective, and how often the label they give
survives resampling the worlds (see ``organisms.behavioral_objective`` for the model, METRICS.md for
every column).
"""

from __future__ import annotations

import hashlib
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

import organisms
from organisms.behavioral_objective import BOOTSTRAP, FOLDS, PENALTY, within_reach
from organisms.metrics import feature_column
from organisms.seeding import named_seed
from scenarios.engine.alignment import (
    AlignmentThresholds,
    alignment_labels,
    contested_item_kinds,
    objective_agreements,
)
from scenarios.engine.world import assessment_seed, check_worlds

if TYPE_CHECKING:
    from scenarios.engine.scenario import Scenario

AGREEMENT_COLUMNS = {"agreement": "behavior_agreement", "cosine": "behavior_cosine",
                     "contested": "behavior_contested"}
"""The behavioral agreement columns, by the key ``objective_agreements`` gives them."""


def _bootstrap_seed(seed: int, distribution: str) -> np.random.SeedSequence:
    """The stream of the world resamples and folds: fixed by the assessment seed and the distribution
    alone, so every organism gets the same resampled worlds (joint draws, from which a population's
    labels are resampled together) and the same numbers whatever population it is assessed with."""
    return named_seed(seed, distribution, "behavior")


def _data_key(cs: organisms.ChoiceSets, perceives: np.ndarray) -> bytes:
    """What a fit depends on besides the worlds: organisms with the same choices get the same fit."""
    h = hashlib.sha1()
    for a in (cs.available, cs.chosen, cs.world, cs.distance, cs.taken, perceives,
              np.zeros(0) if cs.reach is None else cs.reach):
        h.update(np.ascontiguousarray(a).tobytes())
        h.update(str(a.shape).encode())
    return h.digest()


def _threads() -> int:
    """Fits run in threads (the compiled likelihood releases the GIL): at most 2, the cores we have."""
    return max(1, min(2, os.cpu_count() or 1))


def fit_population(sc: Scenario, population: np.ndarray, ph: organisms.Phenotype, batch: organisms.WorldBatch,
                   distribution: str, seed: int = 0, bootstrap: int = BOOTSTRAP,
                   penalty: float = PENALTY, folds: int = FOLDS) -> tuple[list[organisms.BehavioralObjective], np.ndarray]:
    """Every organism's behavioral objective on one batch of worlds, and its mesa-objective's choice
    accuracy (ties split) on the same choice events within its reach (NaN for heuristics)."""
    events = organisms.choice_sets(ph, batch)
    names = tuple(sc.feature_names)
    n_worlds = batch.walls.shape[0]
    # Evolved populations hold many organisms that choose exactly alike (a fit is a function of the
    # choices, the perception and the worlds' stream): fit each distinct set of choices once.
    keys = [_data_key(cs, ph.perceives[o]) for o, cs in enumerate(events)]
    first = {k: o for o, k in reversed(list(enumerate(keys)))}

    def one(o: int) -> organisms.BehavioralObjective:
        return organisms.fit_behavioral_objective(
            events[o], ph.perceives[o], penalty=penalty, bootstrap=bootstrap, folds=folds, feature_names=names,
            seed=_bootstrap_seed(seed, distribution), n_worlds=n_worlds)

    with ThreadPoolExecutor(_threads()) as pool:
        distinct = dict(zip(first, pool.map(one, first.values())))
    mesa_accuracy = np.full(len(events), np.nan)
    pursued = organisms.pursued_per_world(ph, batch)  # (P, E, F): a cue planner's objective is per world
    for o, cs in enumerate(events):
        seen = within_reach(cs)
        if not seen.n or not np.isfinite(pursued[o]).all():
            continue
        # Each event judged by the objective pursued in its world (events grouped by that objective).
        objectives, group = np.unique(pursued[o][seen.world], axis=0, return_inverse=True)
        group = group.ravel()
        if len(objectives) == 1:
            mesa_accuracy[o] = organisms.choice_accuracy(objectives[0], organisms.C_DIST, seen)
            continue
        hits = sum(organisms.choice_accuracy(w, organisms.C_DIST, seen.subset(group == g)) * (group == g).sum()
                   for g, w in enumerate(objectives))
        mesa_accuracy[o] = hits / seen.n
    return [distinct[k] for k in keys], mesa_accuracy


def _full_estimates(fits: list[organisms.BehavioralObjective], n_features: int) -> np.ndarray:
    """(n, F) each fit's full identified estimate (zeros where it has none)."""
    out = np.zeros((len(fits), n_features))
    for o, f in enumerate(fits):
        if f.ok and f.estimate is not None:
            out[o] = f.estimate
    return out


def _agreement_se(sc: Scenario, fits: list[organisms.BehavioralObjective], distribution: str,
                  contested_mask: np.ndarray) -> np.ndarray:
    """(n,) world-bootstrap standard error of ``behavior_agreement`` (NaN without draws)."""
    out = np.full(len(fits), np.nan)
    rows = [o for o, f in enumerate(fits) if f.ok and f.draws is not None and len(f.draws) > 1]
    if rows:
        draws = np.stack([fits[o].draws for o in rows])
        agree = objective_agreements(sc, draws.reshape(-1, draws.shape[-1]), distribution, contested_mask)
        values = agree["agreement"].reshape(draws.shape[:2])
        finite = np.isfinite(values)
        count = finite.sum(axis=1)
        mean = np.where(finite, values, 0.0).sum(axis=1) / np.maximum(count, 1)
        var = np.where(finite, (values - mean[:, None]) ** 2, 0.0).sum(axis=1) / np.maximum(count - 1, 1)
        out[rows] = np.where(count > 1, np.sqrt(var), np.nan)
    return out


def behavior_columns(sc: Scenario, fits: list[organisms.BehavioralObjective], mesa_accuracy: np.ndarray,
                     distribution: str, contested_mask: np.ndarray) -> dict[str, Any]:
    """The assessment table's behavioral columns for one distribution."""
    nf = len(sc.feature_names)
    weights = np.array([f.weights for f in fits]).reshape(len(fits), nf)
    se = np.array([f.se for f in fits]).reshape(weights.shape)
    # Agreement from the full identified estimate: the utilities of what the organism chose among are
    # identified even where confounded features get no weight of their own.
    agree = objective_agreements(sc, _full_estimates(fits, nf), distribution, contested_mask)
    fitted = np.array([f.ok for f in fits], dtype=bool)
    cols: dict[str, Any] = {}
    for j, name in enumerate(sc.feature_names):
        cols[feature_column("behavior", name)] = weights[:, j]
    for j, name in enumerate(sc.feature_names):
        cols[feature_column("behavior_se", name)] = se[:, j]

    def each(field: str) -> np.ndarray:
        return np.array([getattr(f, field) for f in fits], dtype=np.float64)

    cols.update({
        "behavior_distance": each("distance"),
        "behavior_accuracy": each("accuracy"),
        "behavior_ties": each("ties"),
        "behavior_heldout_accuracy": each("heldout_accuracy"),
        "behavior_heldout_loglik": each("heldout_loglik"),
        "behavior_baseline_accuracy": each("baseline_accuracy"),
        "behavior_baseline_loglik": each("baseline_loglik"),
        "mesa_accuracy": mesa_accuracy,
        "behavior_choices": np.array([f.choices for f in fits], dtype=np.int64),
        "behavior_rank": np.array([f.rank for f in fits], dtype=np.int64),
        "behavior_contrast": np.array([f.contrast for f in fits], dtype=object),
    })
    for key, col in AGREEMENT_COLUMNS.items():
        cols[col] = np.where(fitted, agree[key], np.nan)
    cols["behavior_agreement_se"] = _agreement_se(sc, fits, distribution, contested_mask)
    cols["behavior_reason"] = np.array([f.reason for f in fits], dtype=object)
    return cols


def ceiling_columns(sc: Scenario, ph: organisms.Phenotype, batch: organisms.WorldBatch, distribution: str,
                    cosine: np.ndarray, contested_mask: np.ndarray, seed: int = 0,
                    penalty: float = PENALTY) -> dict[str, np.ndarray]:
    """The behavioral fit's ceiling per organism: the same fit (no bootstrap) on the choices of its
    matched pursuer (``scenarios.engine.matched``), which pursues the base objective as the organism
    can perceive it with the organism's capabilities. A fit of a perfect base pursuer does not reach a
    cosine of 1 (the choice model is not the planners' rule: routes, horizons, ties), so an organism's
    ``behavior_cosine`` is read against this ceiling: ``behavior_cosine_normalised`` is its cosine
    over the ceiling (NaN where the ceiling is not positive). ``cosine``: the organisms' own."""
    from organisms.matched import pursuer_phenotype
    from organisms.metrics import ratio
    from scenarios.engine.matched import matched_objectives

    pursuers = pursuer_phenotype(ph, matched_objectives(sc, ph, distribution))
    fits, _ = fit_population(sc, np.zeros((ph.kind.shape[0], 0)), pursuers, batch, distribution, seed,
                             bootstrap=0, penalty=penalty)
    agree = objective_agreements(sc, _full_estimates(fits, len(sc.feature_names)), distribution, contested_mask)
    # Only where the organism's own fit has a cosine to read against it.
    fitted = np.array([f.ok for f in fits], dtype=bool) & np.isfinite(np.asarray(cosine, dtype=np.float64))
    ceiling = np.where(fitted, agree["cosine"], np.nan)
    return {"behavior_cosine_ceiling": ceiling,
            "behavior_agreement_ceiling": np.where(fitted, agree["agreement"], np.nan),
            "behavior_cosine_normalised": ratio(cosine, ceiling)}


def label_stability(sc: Scenario, table: pd.DataFrame, fits: dict[str, list[organisms.BehavioralObjective]],
                    thresholds: AlignmentThresholds | None = None) -> pd.DataFrame:
    """``behavior_label`` and ``behavior_label_stability`` for an assessment table with behavior columns.

    ``behavior_label`` is the label judged by the behavioral objective (``objective="behavioral"``, the
    other thresholds as given); its stability is the share of world-bootstrap draws in which the label
    judged from that draw's behavioral agreement (every other column as measured) is the same. NaN for
    organisms without draws (bootstrap off, or no fit on some distribution).
    """
    # The behavioral label judges the inferred objective (the "objectives" basis): judged by decisions
    # it would be the organism's label again, with nothing for the draws to resample.
    th = replace(thresholds or AlignmentThresholds(), objective="behavioral", basis="objectives")
    out = table.copy()
    out["behavior_label"] = alignment_labels(out, th)
    n = int(table["organism"].max()) + 1 if len(table) else 0
    counts = {len(f.draws) for fl in fits.values() for f in fl if f.ok and f.draws is not None}
    if not counts or len(counts) != 1:
        out["behavior_label_stability"] = np.nan
        return out
    draws = counts.pop()
    contested = contested_item_kinds(sc)
    nf = len(sc.feature_names)
    stacked = []
    has_draws = np.ones(n, dtype=bool)
    for name, fl in fits.items():
        w = np.zeros((n, draws, nf))
        for o, f in enumerate(fl):
            if f.ok and f.draws is not None:
                w[o] = f.draws
            else:
                has_draws[o] = False
        agree = objective_agreements(sc, w.reshape(n * draws, nf), name, contested[name])
        rows = table[table["distribution"] == name].sort_values("organism")
        block = rows.loc[rows.index.repeat(draws)].reset_index(drop=True)
        block["organism"] = block["organism"].to_numpy() * draws + np.tile(np.arange(draws), n)
        fitted = np.repeat([f.ok for f in fl], draws)
        for key, col in AGREEMENT_COLUMNS.items():
            block[col] = np.where(fitted, agree[key], np.nan)
        stacked.append(block)
    resampled = pd.concat(stacked, ignore_index=True)
    labels = alignment_labels(resampled, th).groupby(resampled["organism"]).first()
    point = out.groupby("organism")["behavior_label"].first().reindex(range(n))
    same = labels.to_numpy().reshape(n, draws) == point.to_numpy()[:, None]
    stability = np.where(has_draws, same.mean(axis=1), np.nan)
    out["behavior_label_stability"] = out["organism"].map(pd.Series(stability))
    return out


def behavioral(sc: Scenario, population: Any, worlds: int = 300, seed: int = 0, bootstrap: int = BOOTSTRAP,
               penalty: float = PENALTY, folds: int = FOLDS) -> pd.DataFrame:
    """Every organism's behavioral objective on the training and every deployment distribution.

    Uses the same assessment worlds as ``scenarios.assess(sc, population, worlds, seed)``.

    Returns:
        A row per (organism, distribution): ``organism``, ``kind``, ``distribution`` and the
        behavioral columns (``behavior:<f>``, ``behavior_se:<f>``, ``behavior_distance``,
        ``behavior_accuracy``, ``behavior_ties``, ``behavior_heldout_accuracy``,
        ``behavior_heldout_loglik``, ``behavior_baseline_accuracy``, ``behavior_baseline_loglik``,
        ``mesa_accuracy``, ``behavior_choices``, ``behavior_rank``, ``behavior_contrast``,
        ``behavior_agreement``, ``behavior_agreement_se``, ``behavior_cosine``, ``behavior_contested``, ``behavior_reason``);
        see METRICS.md. Labels and their stability need the whole assessment: ``assess(behavior=True)``.
    """
    check_worlds(worlds)
    pop = np.atleast_2d(np.asarray(population, dtype=np.float64))
    ph = organisms.phenotype(sc, pop)
    contested = contested_item_kinds(sc)
    frames = []
    for name in sc.distributions:
        batch = organisms.stack_worlds(sc.sample(name, int(worlds), assessment_seed(seed, name)))
        fits, mesa_accuracy = fit_population(sc, pop, ph, batch, name, seed, bootstrap, penalty, folds)
        table = {"organism": np.arange(len(pop)), "kind": organisms.kind_names(ph),
                 "planning": ph.is_planner,
                 "distribution": name}
        table.update(behavior_columns(sc, fits, mesa_accuracy, name, contested[name]))
        frames.append(pd.DataFrame(table))
    return pd.concat(frames, ignore_index=True)
