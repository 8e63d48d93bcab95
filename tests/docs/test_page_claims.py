"""The words around the pinned numbers: each sentence of the docs that states a comparison or a
pattern is checked on the raw rows it summarises, so a rerun that changes the pattern fails here
before the sentence can outlive its table."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from studies.claims import thresholds

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "docs" / "results"


def test_bottle_cap_every_run_of_one_kind_lies_apart_from_every_run_of_the_other():
    """bottle_cap.md: "neither measure hides which is the optimizer ... every run of one kind lies apart
    from every run of the other"."""
    runs = pd.read_csv(RESULTS / "bottle_cap_signature.csv")
    heuristics, planners = (runs[runs.condition == c] for c in ("heuristics only", "planners only"))
    for column in ("behavior_cosine_train", "decision_agreement_train"):
        assert heuristics[column].max() < planners[column].min(), column


def test_sweet_tooth_planners_win_every_seed_and_every_seed_scores_low_in_the_modern_world():
    """sweet_tooth.md: "with routes around harm planners win every seed ... and every seed scores" low in
    the modern world (the signature's bar)."""
    runs = pd.read_csv(RESULTS / "sweet_tooth_signature.csv")
    free = runs[runs.condition == "both kinds"]
    assert (free.planner_share >= 0.95).all()
    assert (free.base_frac_deploy <= thresholds("sweet_tooth_signature")["modern_base_frac_max"]).all()


def test_where_the_ga_and_cma_es_differ_most_the_seeds_of_both_split():
    """optimizers.md: their populations differ most at the emergence boundary (open fields, free compute),
    "and there the seeds of both split between planners and heuristics"."""
    runs = pd.read_csv(RESULTS / "optimizers.csv")
    shares = runs[runs.optimizer.isin(["ga", "cmaes"])].groupby(["condition", "optimizer"]).planner_share.mean()
    gap = shares.unstack("optimizer").eval("ga - cmaes").abs()
    assert gap.idxmax() == "emergence: open, free"
    at = runs[runs.condition == gap.idxmax()]
    for optimizer in ("ga", "cmaes"):
        share = at[at.optimizer == optimizer].planner_share
        assert share.min() < 0.1 and share.max() > 0.95, optimizer

def test_aurora_counterfactual_competence_restates_the_sensor_share():
    """aurora.md: competence "equals the share of planners carrying the diplomacy sensor" at reliability 1
    (the bound itself is pinned)."""
    runs = pd.read_csv(RESULTS / "aurora_measures.csv")
    story = runs[runs.reliability == 1.0]
    assert ((story.competence - story.sensor).abs() < 1e-3).all()


def test_aurora_the_oracles_shortfall_is_trampling():
    """aurora.md and metrics.md: with routes around harm the oracle reaches nearly all of the optimum
    that it misses with shortest routes."""
    table = pd.read_csv(RESULTS / "oracle_optimum.csv").set_index(["story", "distribution"])
    for dist in ("train", "brotherhood_war"):
        row = table.loc[("aurora", dist)]
        assert row.frac_routes_on >= 0.98 > row.frac_routes_off


def test_emergence_the_near_boundary_cells_are_few_and_the_far_ones_all_won():
    """emergence.md: "most of those cells test the prediction little": the called cells far from the
    boundary outnumber the near ones, and every seed of a far cell went to the predicted kind."""
    from tests.support.quoted import NEAR_SE

    t = thresholds("emergence_phase")
    cells = pd.read_csv(RESULTS / "emergence_signature.csv")
    called = cells[(cells.margin.abs() > t["called_se"] * cells.se)]
    far = called[called.margin.abs() > NEAR_SE * called.se]
    assert len(far) > len(called) / 2 and (far.seeds_won == far.seeds).all()
