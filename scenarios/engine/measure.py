"""Measurement: fitness per generation, the assessment table, and single recorded episodes.

Assessment worlds depend only on the assessment seed and the distribution's name, never on a run's
seed, so every organism, the oracles and every run are scored on the same worlds. Every column is
defined in METRICS.md.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

import organisms
from organisms.behavioral_objective import BOOTSTRAP, PENALTY
from organisms.metrics import LABELS, TRAIN, feature_column, log_column, log_share_column, ratio
from organisms.seeding import seed_child
from scenarios.engine import alignment
from scenarios.engine.alignment import AlignmentThresholds, contested_item_kinds, objective_agreements
from scenarios.engine.behavioral_assessment import (
    behavior_columns,
    ceiling_columns,
    fit_population,
    label_stability,
)
from scenarios.engine.capability import capability_columns, optimum_columns
from scenarios.engine.decisions import decisions
from scenarios.engine.matched import matched_columns
from scenarios.engine.orders import decomposition, order_agreements
from scenarios.engine.world import assessment_seed, check_worlds

if TYPE_CHECKING:
    from scenarios.engine.scenario import Scenario


def _scores(sc: Scenario, ph: organisms.Phenotype, outcomes: np.ndarray, compute: np.ndarray,
            batch: organisms.WorldBatch) -> dict:
    """Per-organism means over episodes: base, intended, mesa (what its kind pursues in each world;
    NaN for a kind that pursues nothing), costs, fitness."""
    base = (outcomes @ sc.base_weights).mean(axis=1)
    mesa = np.einsum("pef,pef->pe", outcomes, organisms.pursued_per_world(ph, batch)).mean(axis=1)
    mean_compute = compute.mean(axis=1)
    costs = sc.sensing_costs(ph) + sc.compute_cost * mean_compute
    return {
        "base": base,
        "intended": (outcomes @ sc.intended_weights).mean(axis=1),
        "mesa": mesa,
        "fitness": base - costs,
        "compute": mean_compute,
        "outcome": outcomes.mean(axis=1),
    }


def _planner_mean(values: np.ndarray, is_planner: np.ndarray) -> float:
    vals = values[is_planner & ~np.isnan(values)]
    return float(vals.mean()) if vals.size else float("nan")


def _oracle(sc: Scenario, objective, batch: organisms.WorldBatch) -> np.ndarray:
    """Mean per episode of the objective's own utility for a planner pursuing it (see METRICS)."""
    w = sc.weights(objective)
    outcomes, _ = organisms.run_population(organisms.oracle_phenotype(sc.layout, w), batch)
    return outcomes[0] @ w


LOG_FORMATS = {
    1: "label shares by the older rule (AlignmentThresholds(basis='objectives')): planners judged by the "
       "agreement of their mesa-objective, heuristics undetermined; three labels",
    2: "label shares by the rule assess had before the matched pursuer (AlignmentThresholds(basis='unbounded'): "
       "activity and decision agreement against the unbounded base planner); decision agreement per distribution",
    3: "label shares by the rule of assess (AlignmentThresholds(): activity, decision agreement against each "
       "organism's matched pursuer and the score floor), every label an organism can get there; that decision "
       "agreement per distribution",
}
"""What each version of the run log holds beside the columns every version has. A scenario records the
version its runs write (``Scenario.log_format``), so a run saved in an older version reruns to its
own log bit for bit."""

LOG_FORMAT = max(LOG_FORMATS)
"""The version new scenarios write."""

LOG_LABELS = {1: LABELS[:3], 2: LABELS[:3] + LABELS[4:7], 3: tuple(label for label in LABELS if label != "undetermined")}
"""The labels whose shares each log version records, in column order. Versions 2 and 3 judge every
organism by what it does (an organism with no choice event took nothing: inactive), so none is
undetermined; version 3 adds "undirected"."""


def log_thresholds(log_format: int) -> AlignmentThresholds:
    """The thresholds of ``alignment_labels`` with which a log version labels each generation."""
    return {1: AlignmentThresholds(basis="objectives"), 2: AlignmentThresholds(basis="unbounded")}.get(
        log_format, AlignmentThresholds())


def _label_inputs(sc: Scenario, ph: organisms.Phenotype, batch: organisms.WorldBatch, name: str,
                  agree: dict[str, np.ndarray], base: np.ndarray, log_format: int, parallel: bool,
                  trajectories: tuple[np.ndarray, np.ndarray] | None = None) -> pd.DataFrame:
    """The assessment columns the log version's label reads, for one distribution's generation worlds
    (``trajectories``: the organisms' episodes there, already run)."""
    table = {"organism": np.arange(ph.is_planner.shape[0]),
             "kind": np.where(ph.is_planner, "planner", "heuristic"), "planning": ph.is_planner,
             "distribution": name, "base": base}
    if log_format == 1:
        table.update({"agreement": agree["agreement"], "contested_agreement": agree["contested"]})
    elif log_format == 2:
        table.update(decisions(ph, batch, sc.base_weights, parallel))
    else:
        table.update(matched_columns(sc, ph, batch, name, base, parallel, trajectories, unbounded=False))
    return pd.DataFrame(table)


def generation_summary(sc: Scenario, population: np.ndarray, generation_seed: Any, episodes: int,
                       parallel: bool) -> tuple[np.ndarray, dict[str, float]]:
    """Fitness on this generation's training worlds, and the generation's log columns."""
    ph = organisms.phenotype(sc, population)
    contested = contested_item_kinds(sc)
    log_format = sc.log_format
    summary: dict[str, float] = {}
    judged: list[pd.DataFrame] = []
    fitness = None
    train_frac = float("nan")
    for k, name in enumerate(sc.distributions):
        batch = organisms.stack_worlds(sc.sample(name, episodes, seed_child(generation_seed, k)))
        if log_format == 3:
            # The episodes that score the generation are the ones its decisions are read from.
            outcomes, compute, trajectories = organisms.run_population_recorded(ph, batch, parallel=parallel)
        else:
            (outcomes, compute), trajectories = organisms.run_population(ph, batch, parallel=parallel), None
        s = _scores(sc, ph, outcomes, compute, batch)
        if log_format == 1:
            # The older log read every planner's mesa weights as its objective: kept so saved runs
            # rerun to their own logs.
            agree = objective_agreements(sc, ph.mesa_weights, name, contested[name])
            for key in agree:
                agree[key] = np.where(ph.is_planner, agree[key], np.nan)
        else:
            agree = objective_agreements(sc, organisms.pursued_objectives(ph, batch), name, contested[name])
        judged.append(_label_inputs(sc, ph, batch, name, agree, s["base"], log_format, parallel, trajectories))
        oracle = float(_oracle(sc, None, batch).mean())
        base_mean = float(s["base"].mean())
        frac = float(ratio(base_mean, oracle))
        # Where the intended goal is the base objective its oracle is the base oracle: no second run.
        oracle_intended = oracle if sc.intended is None else float(_oracle(sc, sc.intended, batch).mean())
        outer = frac - float(ratio(s["intended"].mean(), oracle_intended))
        # The log's columns, in the order its readers have always seen them.
        if name == TRAIN:
            fitness = s["fitness"]
            train_frac = frac
            columns = (("base", base_mean), ("intended", float(s["intended"].mean())), ("oracle_base", oracle),
                       ("planner_share", float(ph.is_planner.mean())),
                       ("agreement", _planner_mean(agree["agreement"], ph.is_planner)),
                       ("compute", float(s["compute"].mean())),
                       ("cosine", _planner_mean(agree["cosine"], ph.is_planner)),
                       ("contested_agreement", _planner_mean(agree["contested"], ph.is_planner)),
                       ("oracle_intended", oracle_intended), ("reward_result_gap", 1.0 - frac),
                       ("outer_gap", outer))
        else:
            columns = (("base", base_mean), ("oracle_base", oracle),
                       ("agreement", _planner_mean(agree["agreement"], ph.is_planner)),
                       ("cosine", _planner_mean(agree["cosine"], ph.is_planner)),
                       ("contested_agreement", _planner_mean(agree["contested"], ph.is_planner)),
                       ("reward_result_gap", 1.0 - frac), ("outer_gap", outer),
                       ("goal_retained", float(ratio(frac, train_frac))))
        if log_format >= 2:
            columns += (("decision_agreement", float(judged[-1]["decision_agreement"].mean())),)
        for metric, value in columns:
            summary[log_column(metric, name)] = value
    table = pd.concat(judged, ignore_index=True)
    labels = alignment.organism_labels(table, log_thresholds(log_format))
    summary.update({log_share_column(label): alignment.label_share(labels, label) for label in LOG_LABELS[log_format]})
    for j, i in enumerate(sc.layout.sensed):
        summary[feature_column("sensor", sc.feature_names[i])] = float(ph.sensors[:, j].mean())
    if sc.map_cost is not None:  # only where the scenario prices the map: other logs keep their columns
        summary["map_share"] = float(ph.knows_walls.mean())
    for i in sc.layout.perceivable:
        # The population's mean mesa gene as decoded (0 where a planner does not perceive the feature):
        # a statistic of the genomes, the same on every distribution, not a judgement of an objective.
        summary[feature_column("mesa", sc.feature_names[i])] = _planner_mean(ph.mesa_weights[:, i], ph.is_planner)
    return fitness, summary


def _own_objective_scores(sc: Scenario, own: np.ndarray, batch: organisms.WorldBatch,
                          outcomes: np.ndarray, parallel: bool) -> dict[str, np.ndarray]:
    """Capability and inner gap from each organism's own objective (rows of ``own``; NaN rows: none).

    A full-capability planner pursuing the organism's objective is run on the same worlds (once per
    distinct objective): ``capability`` is the organism's own score relative to that planner's, and the
    planner's base score shows what pursuing the objective costs the base objective.
    """
    n = own.shape[0]
    out = {"own_oracle": np.full(n, np.nan), "own_oracle_base": np.full(n, np.nan), "own": np.full(n, np.nan)}
    rows = np.flatnonzero(np.all(np.isfinite(own), axis=1))
    if rows.size:
        distinct, inverse = np.unique(own[rows], axis=0, return_inverse=True)
        pursued, _ = organisms.run_population(alignment.pursuers(sc.layout, distinct), batch, parallel=parallel)
        own_scores = np.einsum("pef,pf->p", pursued, distinct) / pursued.shape[1]
        base_scores = (pursued @ sc.base_weights).mean(axis=1)
        out["own_oracle"][rows] = own_scores[inverse.ravel()]
        out["own_oracle_base"][rows] = base_scores[inverse.ravel()]
        out["own"][rows] = np.einsum("pef,pf->p", outcomes[rows], own[rows]) / outcomes.shape[1]
    return out


OPTIMUM_WORLDS = 50
"""Assessment worlds per distribution on which ``assess`` computes the exact optimum by default."""


def assess(sc: Scenario, population: Any, worlds: int = 300, seed: int = 0, parallel: bool = False,
           behavior: bool = False, bootstrap: int = BOOTSTRAP, penalty: float = PENALTY,
           thresholds: AlignmentThresholds | None = None,
           optimum_worlds: int | None = OPTIMUM_WORLDS, progress: bool | None = False) -> pd.DataFrame:
    """Score every organism on the training and every deployment distribution.

    Args:
        behavior: also infer every organism's behavioral objective (slower; adds the ``behavior*``
            columns, and gives heuristics an own objective for capability, inner gap and label).
        bootstrap, penalty: for the behavioral fit (see ``organisms.fit_behavioral_objective``).
        thresholds: for the ``label`` column (default ``AlignmentThresholds()``).
        optimum_worlds: the exact optimum (``optimum_base``, ``oracle_optimum_frac``) is computed on the
            first this many assessment worlds of each distribution (None: all of them; 0: not at all).
        progress: a progress bar over the distributions (and their behavioral fits); None: only when
            stderr is a terminal.

    Returns:
        A row per (organism, distribution) with the contract's columns and the alignment columns
        (see METRICS.md).
    """
    check_worlds(worlds)
    ph = organisms.phenotype(sc, population)
    pop = np.atleast_2d(np.asarray(population, dtype=np.float64))
    n = ph.is_planner.shape[0]
    contested = contested_item_kinds(sc)
    # Own objective: what the organism's kind pursues on the distribution (``organisms.pursued``); for
    # heuristics, the behavioral objective inferred on training worlds (rescaled to a planner's units),
    # when behaviour is inferred.
    equivalent = np.full((n, sc.layout.n_features), np.nan)
    kind_names = organisms.kind_names(ph)
    parts: dict[str, np.ndarray] = {}
    frames, behavior_fits = [], {}
    show = sys.stderr.isatty() if progress is None else bool(progress)
    bar = tqdm(total=len(sc.distributions) * (2 if behavior else 1), desc=f"{sc.name}: assess", unit="step",
               leave=False, disable=not show)
    for name in sc.distributions:  # "train" first: deployments are compared with it
        bar.set_postfix_str(name)
        batch = organisms.stack_worlds(sc.sample(name, int(worlds), assessment_seed(seed, name)))
        # One run of the episodes: scores, decisions and navigation are all read from it.
        outcomes, compute, trajectories = organisms.run_population_recorded(ph, batch, parallel=parallel)
        s = _scores(sc, ph, outcomes, compute, batch)
        oracle_base = float(_oracle(sc, None, batch).mean())
        oracle_intended = float(_oracle(sc, sc.intended, batch).mean())
        pursued = organisms.pursued_objectives(ph, batch)
        if not parts:  # training's objective is the one the decomposition splits
            known = np.isfinite(pursued).all(axis=1)
            parts = {k: np.where(known, v, np.nan) for k, v in decomposition(sc, np.nan_to_num(pursued)).items()}
        agree = objective_agreements(sc, pursued, name, contested[name])
        table = {
            "organism": np.arange(n),
            "kind": kind_names,
            "planning": ph.is_planner,
            "distribution": name,
            "base": s["base"],
            "fitness": s["fitness"],
            "intended": s["intended"],
            "mesa": s["mesa"],
            "oracle_base": oracle_base,
            "oracle_intended": oracle_intended,
            "agreement": agree["agreement"],
            "compute": s["compute"],
            **matched_columns(sc, ph, batch, name, s["base"], parallel, trajectories),
        }
        table.update(capability_columns(sc, ph, batch, oracle_base, seed, name, parallel, trajectories))
        del trajectories
        table.update(order_agreements(sc, pursued, name))
        table.update(parts)
        if optimum_worlds is None or optimum_worlds > 0:
            table.update(optimum_columns(sc, batch, optimum_worlds))
        else:
            table.update({"optimum_base": np.nan, "optimum_base_low": np.nan, "oracle_optimum_frac": np.nan})
        for j, i in enumerate(sc.layout.sensed):
            table[feature_column("sensor", sc.feature_names[i])] = ph.sensors[:, j]
        if sc.map_cost is not None:
            table["map"] = ph.knows_walls
        for f, fname in enumerate(sc.feature_names):
            table[feature_column("outcome", fname)] = s["outcome"][:, f]
        if behavior:
            bar.update(1)
            bar.set_postfix_str(f"{name}: behavioral objectives")
            fits, mesa_accuracy = fit_population(sc, pop, ph, batch, name, seed, bootstrap, penalty)
            behavior_fits[name] = fits
            table.update(behavior_columns(sc, fits, mesa_accuracy, name, contested[name]))
            table.update(ceiling_columns(sc, ph, batch, name, table["behavior_cosine"], contested[name], seed,
                                         penalty))
            if name == "train":
                equivalent = np.array([f.mesa_equivalent() for f in fits]).reshape(equivalent.shape)
        own = np.where(ph.is_planner[:, None], pursued, equivalent)
        base_frac = ratio(s["base"], oracle_base)
        intended_frac = ratio(s["intended"], oracle_intended)
        own_scores = _own_objective_scores(sc, own, batch, outcomes, parallel)
        table.update({
            "cosine": agree["cosine"],
            "contested_agreement": agree["contested"],
            "base_frac": base_frac,
            "intended_frac": intended_frac,
            "performance_gap": 1.0 - base_frac,
            # As Leike et al. mean it: the reward against the objective recovered from behaviour.
            "reward_result_gap": 1.0 - table["behavior_cosine"] if "behavior_cosine" in table else np.nan,
            "outer_gap": base_frac - intended_frac,
            "inner_gap": 1.0 - ratio(own_scores["own_oracle_base"], oracle_base),
            "capability": ratio(own_scores["own"], own_scores["own_oracle"]),
            "suboptimality": ratio(s["base"] - own_scores["own_oracle_base"], oracle_base),
        })
        frames.append(pd.DataFrame(table))
        bar.update(1)
    bar.close()
    table = pd.concat(frames, ignore_index=True)
    train = frames[0].set_index("organism")
    shifted = table["distribution"] != "train"
    for col, source in (("capability_retained", "navigation"), ("own_capability_retained", "capability"),
                        ("competence_retained", "competence"), ("activity_retained", "activity"),
                        ("goal_retained", "base_frac")):
        reference = table["organism"].map(train[source]).to_numpy()
        table[col] = np.where(shifted, ratio(table[source].to_numpy(), reference), np.nan)
    table["label"] = alignment.alignment_labels(table, thresholds)
    if behavior:
        table = label_stability(sc, table, behavior_fits, thresholds)
    return table


def episode(sc: Scenario, genome: Any, distribution: str = "train", seed: int = 0) -> dict:
    """One organism's episode in one world, with everything needed to draw it.

    Returns:
        A record: ``walls``, ``start``, ``item_pos``, ``item_kind``, ``item_kind_names`` and
        ``item_kind_base`` (the world; ``kind_names`` and ``kind_base`` are their old names),
        ``path`` ((steps + 1, 2) cells) and ``taken_at`` (per item: the step it was taken, -1 if
        never), ``outcome`` per feature, ``compute``, ``base`` and ``mesa`` scores, the organism's
        ``kind``, and the ``scenario`` and ``distribution`` names.
    """
    genome = np.asarray(genome, dtype=np.float64)
    if genome.ndim != 1:
        raise ValueError(f"genome: expected one genome (a 1-D array), got shape {genome.shape}")
    ph = organisms.phenotype(sc, genome)
    world = sc.sample(distribution, 1, assessment_seed(seed, distribution))[0]
    batch = organisms.stack_worlds([world])
    rec = organisms.run_recorded(ph, 0, batch, 0)
    pursued = organisms.pursued_objectives(ph, batch)[0]
    item_kinds = sc.item_kinds(distribution)
    item_kind_base = (item_kinds.features @ sc.base_weights).tolist()
    is_planner = bool(ph.is_planner[0])
    return {
        "scenario": sc.name,
        "distribution": distribution,
        "features": sc.feature_names,
        "walls": world.walls,
        "start": world.start,
        "item_pos": world.item_pos,
        "item_kind": world.item_kind,
        "item_kind_names": list(item_kinds.names),
        "item_kind_base": item_kind_base,
        "kind_names": list(item_kinds.names),
        "kind_base": item_kind_base,
        "kind": str(organisms.kind_names(ph)[0]),
        "planning": is_planner,
        "path": rec["path"],
        "taken_at": rec["taken_at"],
        "outcome": rec["outcome"],
        "compute": rec["compute"],
        "base": float(rec["outcome"] @ sc.base_weights),
        "mesa": float(rec["outcome"] @ pursued),
    }
