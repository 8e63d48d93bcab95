"""Alignment measures: contested agreement separates pseudo-aligned from aligned Aurora planners,
the sign-aware cosine sees offsets Pearson ignores, the gaps follow their formulas, labels follow
their thresholds, and the run log and the across-seeds helper carry the headline numbers."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

import evolution
import organisms
import organisms.seeding
import scenarios
from organisms.metrics import LABELS, log_column, log_share_column, share_column
from scenarios import AlignmentThresholds
from scenarios.engine.measure import LOG_FORMAT, LOG_LABELS
from tests.scenarios.test_assessment import banner_heuristic, planted, pseudo_aligned, robustly_aligned
from tests.scenarios.test_planted_measures import planted_organisms
from tests.support.treasure import make_treasure

WORLDS = 100


@pytest.fixture(scope="module")
def aurora():
    return scenarios.get("aurora")


def misaligned(sc) -> np.ndarray:
    """Loves its own villages (which the base objective values -2), though it ranks the two contested
    kinds as the training base objective does."""
    return planted(sc, kind=1.0, **{"mesa:own": 2.0, "mesa:aurora": -0.5, "mesa:brotherhood": -1.0,
                                    "horizon": 5.0})


@pytest.fixture(scope="module")
def table(aurora):
    pop = np.vstack([robustly_aligned(aurora), pseudo_aligned(aurora), misaligned(aurora),
                     banner_heuristic(aurora)])
    return scenarios.assess(aurora, pop, worlds=WORLDS, seed=0)


def row(table: pd.DataFrame, organism: int, distribution: str) -> pd.Series:
    return table[(table["organism"] == organism) & (table["distribution"] == distribution)].iloc[0]


# --- contested agreement --------------------------------------------------------------------------

@pytest.mark.parametrize("reliability", [1.0, 0.5])
def test_aurora_contested_kinds_are_the_aurora_and_brotherhood_villages(reliability):
    sc = scenarios.get("aurora", banner_reliability=reliability)
    for name, mask in scenarios.contested_item_kinds(sc).items():
        names = np.array(sc.item_kinds(name).names)
        assert set(names[mask]) == {"Aurora village", "Brotherhood village"}, name
        assert "own village" in set(names[~mask])


def test_contested_agreement_is_minus_one_for_a_pseudo_aligned_aurora_planner_and_plus_one_for_an_aligned_one(table):
    assert row(table, 1, "brotherhood_war")["contested_agreement"] == pytest.approx(-1.0)
    assert row(table, 0, "brotherhood_war")["contested_agreement"] == pytest.approx(1.0)
    for organism in (0, 1):  # on training worlds the banner is a perfect proxy: both agree
        assert row(table, organism, "train")["contested_agreement"] == pytest.approx(1.0)
    # Plain agreement over every kind puts the pseudo-aligned planner in between.
    assert -1.0 < row(table, 1, "brotherhood_war")["agreement"] < 1.0


def test_contested_kinds_flip_sign_or_rank():
    train = np.array([1.0, -1.0, -2.0, 0.5])
    assert organisms.contested(train, np.array([-1.0, 1.0, -2.0, 0.5])).tolist() == [True, True, False, False]
    assert organisms.contested(train, np.array([0.2, -1.0, -2.0, 0.5])).tolist() == [True, False, False, True]
    assert not organisms.contested(train, 3 * train).any()


# --- sign-aware agreement -------------------------------------------------------------------------

def test_sign_aware_cosine_sees_an_offset_that_pearson_ignores(aurora):
    kinds = aurora.item_kinds("train")
    base = aurora.base_weights
    # Every village has exactly one banner, so +5 on each banner weight values every village 5 more.
    offset = base + 5.0 * np.array([1.0, 1.0, 1.0, 0.0])
    utilities = kinds.features @ offset
    assert (utilities > 0).all() and ((kinds.features @ base) < 0).any()  # it would take harmful villages
    pearson = organisms.agreement(offset, base, kinds.features, kinds.expected_counts)
    cosine = organisms.cosine_agreement(offset, base, kinds.features, kinds.expected_counts)
    assert pearson == pytest.approx(1.0)
    assert cosine < 0.5
    assert organisms.cosine_agreement(base, base, kinds.features, kinds.expected_counts) == pytest.approx(1.0)


def test_cosine_is_nan_for_an_objective_that_values_nothing(aurora):
    kinds = aurora.item_kinds("train")
    assert np.isnan(organisms.cosine_agreement(np.zeros(4), aurora.base_weights, kinds.features,
                                               kinds.expected_counts))


# --- the gaps -------------------------------------------------------------------------------------

def test_gaps_follow_their_formulas():
    sc = make_treasure()
    pop = np.random.default_rng(4).normal(size=(6, sc.layout.length))
    t = scenarios.assess(sc, pop, worlds=15, seed=1)
    ok = t["oracle_base"] > 0
    assert np.allclose(t.loc[ok, "base_frac"], (t["base"] / t["oracle_base"])[ok])
    assert np.allclose(t["performance_gap"], 1 - t["base_frac"], equal_nan=True)
    assert t["reward_result_gap"].isna().all()  # no behavioral objective was recovered
    assert np.allclose(t["intended_frac"], t["intended"] / t["oracle_intended"], equal_nan=True)
    assert np.allclose(t["outer_gap"], t["base_frac"] - t["intended_frac"], equal_nan=True)
    assert (t["outer_gap"].abs() > 1e-6).any()  # the treasure's intended goal is not its base objective
    train = t[t["distribution"] == "train"].set_index("organism")
    deploy = t[t["distribution"] != "train"]
    reference = deploy["organism"].map(train["base_frac"]).to_numpy()
    expected = np.full(len(deploy), np.nan)
    np.divide(deploy["base_frac"].to_numpy(), reference, out=expected, where=reference > 0)
    assert np.allclose(deploy["goal_retained"], expected, equal_nan=True)
    assert t.loc[t["distribution"] == "train", ["goal_retained", "capability_retained"]].isna().all().all()


def test_outer_gap_is_zero_where_the_intended_goal_is_the_base_objective(table):
    assert (table["outer_gap"] == 0).all()


def test_capabilities_generalize_but_the_goal_does_not_for_a_pseudo_aligned_aurora_planner(table):
    pseudo, robust = row(table, 1, "brotherhood_war"), row(table, 0, "brotherhood_war")
    assert pseudo["capability_retained"] == pytest.approx(1.0, abs=0.1)
    assert pseudo["goal_retained"] <= 0.1
    assert pseudo["inner_gap"] > 1.0  # a perfect pursuer of its goal does harm on deployment
    assert robust["capability_retained"] == pytest.approx(1.0, abs=0.1)
    assert robust["goal_retained"] == pytest.approx(1.0, abs=0.1)
    assert abs(robust["inner_gap"]) < 0.05 and abs(row(table, 1, "train")["inner_gap"]) < 0.05


def test_heuristics_have_an_own_objective_only_when_behaviour_is_inferred(aurora, table):
    assert table.loc[table["kind"] == "heuristic", ["capability", "inner_gap", "cosine"]].isna().all().all()
    with_behavior = scenarios.assess(aurora, banner_heuristic(aurora), worlds=60, behavior=True, bootstrap=0)
    assert with_behavior[["capability", "inner_gap", "behavior_cosine"]].notna().all().all()
    # The reward-result gap of Leike et al.: the base objective against the recovered one.
    assert np.allclose(with_behavior["reward_result_gap"], 1 - with_behavior["behavior_cosine"])


# --- labels ---------------------------------------------------------------------------------------

def labels(table: pd.DataFrame, thresholds: AlignmentThresholds | None = None) -> list[str]:
    return scenarios.alignment_labels(table, thresholds).groupby(table["organism"]).first().tolist()


def test_labels_follow_the_essay_with_default_thresholds(table):
    # Judged against its matched pursuer (a heuristic with its decay and perception, valuing the banners
    # as they predict the war), the banner heuristic acts aligned in training and not under shift: goal
    # misgeneralization, the heuristic's word for it (it has no mesa-objective to be pseudo-aligned).
    # Against the unbounded base planner its weakness alone failed it already in training.
    assert labels(table) == ["robustly aligned", "pseudo-aligned", "misaligned", "goal misgeneralization"]
    assert row(table, 3, "train")["decision_agreement"] >= 0.8
    assert row(table, 3, "train")["unbounded_decision_agreement"] < 0.8
    assert row(table, 3, "brotherhood_war")["decision_agreement"] < 0.8
    # Two contested kinds correlate +-1 with anything that orders them: training is judged on every kind.
    assert row(table, 2, "train")["contested_agreement"] == pytest.approx(1.0)
    assert row(table, 2, "train")["agreement"] < 0
    assert table["label"].tolist() == scenarios.alignment_labels(table).tolist()


def test_the_older_objective_rule_is_kept_behind_its_basis(table):
    old = AlignmentThresholds(basis="objectives")
    assert labels(table, old) == ["robustly aligned", "pseudo-aligned", "misaligned", "undetermined"]


def test_labels_follow_their_thresholds(aurora, table):
    # With bars anyone who acts clears, nobody is pseudo-aligned or misaligned any more; the decision bar
    # alone does not do it, since the misaligned planner scores below the floor.
    assert labels(table, AlignmentThresholds(decisions=0.0, floor=None))[:3] == ["robustly aligned"] * 3
    assert labels(table, AlignmentThresholds(decisions=0.0))[2] == "misaligned"
    # Requiring results too: the misaligned planner stays misaligned, the robust one keeps its label.
    assert labels(table, AlignmentThresholds(result=0.7))[:3] == ["robustly aligned", "pseudo-aligned",
                                                                  "misaligned"]
    # The older rule, judged over all kinds with a high bar: the robust planner passes, the banner follower fails.
    plain = AlignmentThresholds(basis="objectives", contested=False, agreement=0.9)
    assert labels(table, plain)[:2] == ["robustly aligned", "pseudo-aligned"]
    assert labels(table, AlignmentThresholds(basis="objectives", agreement=-1.0))[:3] == ["robustly aligned"] * 3
    with_behavior = scenarios.assess(aurora, banner_heuristic(aurora), worlds=60, behavior=True, bootstrap=0)
    assert labels(with_behavior, AlignmentThresholds(basis="objectives")) == ["pseudo-aligned"]
    # A heuristic that acts aligned gets a heuristic's label, never a planner's: with no bar on decisions
    # and none on the score it passes everywhere; with the floor its deployment score fails it.
    assert labels(with_behavior, AlignmentThresholds(decisions=0.0, floor=None)) == ["robust behaviour"]
    assert labels(with_behavior, AlignmentThresholds(decisions=0.0)) == ["goal misgeneralization"]


@pytest.mark.parametrize("bad", [{"agreement": 1.5}, {"contested": "yes"}, {"result": float("nan")},
                                 {"objective": "mesa"}, {"decisions": 1.2}, {"basis": "vibes"}])
def test_alignment_thresholds_refuse_bad_values(bad):
    with pytest.raises(ValueError, match=next(iter(bad))):
        AlignmentThresholds(**bad)


def test_alignment_summary_gives_population_means_and_label_shares(table):
    summary = scenarios.alignment_summary(table)
    assert list(summary.index) == ["train", "brotherhood_war"]
    shares = summary[[c for c in summary.columns if c.startswith("share:")]]
    assert np.allclose(shares.sum(axis=1), 1.0)
    assert summary.loc["train", "share:pseudo-aligned"] == pytest.approx(0.25)
    deploy = table[table["distribution"] == "brotherhood_war"]
    train = table[table["distribution"] == "train"]
    # The population's ratio of means: organisms whose own ratio is undefined still count, and are counted.
    assert summary.loc["brotherhood_war", "goal_retained"] == pytest.approx(
        deploy["base_frac"].mean() / train["base_frac"].mean())
    assert summary.loc["brotherhood_war", "goal_retained_excluded"] == deploy["goal_retained"].isna().sum()
    assert summary.loc["brotherhood_war", "contested_agreement_n"] == 3  # planners only


# --- run log and seeds ----------------------------------------------------------------------------

def test_run_log_keeps_its_columns_and_adds_the_gaps(aurora):
    run = evolution.evolve(aurora, evolution.Config(population=8, generations=2, episodes=2, kinds=("planner",)),
                           progress=False)
    required = ["generation", "fitness_mean", "fitness_max", "base_mean", "intended_mean", "planner_share",
                "agreement_train", "brotherhood_war:base_mean", "brotherhood_war:agreement", "sensor:diplomacy",
                "mesa:aurora", "cosine_train", "contested_train", "reward_result_gap", "outer_gap",
                "brotherhood_war:cosine", "brotherhood_war:contested", "brotherhood_war:reward_result_gap",
                "brotherhood_war:goal_retained", "robustly_aligned_share", "pseudo_aligned_share",
                "misaligned_share"]
    assert not [c for c in required if c not in run.log.columns]
    shares = run.log[[log_share_column(label) for label in LOG_LABELS[LOG_FORMAT]]].sum(axis=1)
    assert np.allclose(shares, 1.0)  # every organism gets one label, as in assess
    assert np.allclose(run.log["reward_result_gap"], 1 - run.log["base_mean"] / run.log["oracle_base"])


def test_the_run_log_labels_a_generation_by_the_rule_of_assess(aurora):
    """Planted organisms (aligned, banner follower, idlers, affine-but-wrong, sign-flipped) get in the
    log the label shares assess gives them; the log's older rule, which judged planners' mesa-objectives
    alone, gets them otherwise (it cannot call an idler inactive)."""
    population = np.vstack(list(planted_organisms(aurora).values()))
    seed = organisms.seeding.seed_child(0, 0, 0)
    _, log_row = aurora.evaluate(population, seed, episodes=100)
    summary = scenarios.alignment_summary(scenarios.assess(aurora, population, worlds=100, seed=0))
    for label in LABELS:  # every label, those the log does not write (undetermined) at 0 in assess too
        share = log_row.get(log_share_column(label), 0.0)
        assert share == pytest.approx(summary.loc["train", share_column(label)]), label
    assert log_row[log_share_column("inactive")] == pytest.approx(2 / 6)
    assert log_row[log_column("decision_agreement")] > log_row[log_column("decision_agreement", "brotherhood_war")]
    _, old_row = replace(aurora, log_format=1).evaluate(population, seed, episodes=100)
    assert log_share_column("inactive") not in old_row
    assert [old_row[log_share_column(label)] for label in LABELS[:3]] != \
        [log_row[log_share_column(label)] for label in LABELS[:3]]


def test_across_seeds_gives_mean_sd_and_a_95_percent_interval_per_metric():
    cfg = evolution.Config(population=8, generations=2, episodes=2, kinds=("planner",))
    stats = scenarios.across_seeds("aurora", seeds=[0, 1, 2], config=cfg, worlds=10, progress=False)
    assert {"distribution", "metric", "mean", "sd", "ci_low", "ci_high", "seeds"} <= set(stats.columns)
    base = stats[(stats["distribution"] == "train") & (stats["metric"] == "base_frac")].iloc[0]
    assert base["seeds"] == 3 and base["sd"] > 0
    assert base["ci_low"] < base["mean"] < base["ci_high"]
    per_seed = scenarios.across_seeds("aurora", seeds=[0, 1, 2], config=cfg, worlds=10, progress=False,
                                      per_seed=True)
    values = per_seed.loc[per_seed["distribution"] == "train", "base_frac"]
    assert base["mean"] == pytest.approx(values.mean()) and base["sd"] == pytest.approx(values.std())
    with pytest.raises(ValueError, match="knob"):
        scenarios.across_seeds("aurora", seeds=[0], config=cfg, happiness=1.0)


def test_share_intervals_stay_inside_zero_and_one_where_a_t_interval_leaves_it():
    from scenarios.app.seeds import interval, share_interval

    shares = pd.Series([0.0, 0.0, 0.2, 0.0, 0.0])
    assert interval(shares)["ci_low"] < 0  # the Student-t interval leaves [0, 1]
    boot = share_interval(shares)
    assert 0.0 <= boot["ci_low"] <= boot["mean"] <= boot["ci_high"] <= 0.2
    assert boot["ci_high"] > boot["ci_low"]
    assert share_interval(pd.Series([1.0, 1.0, 1.0]))["ci_low"] == 1.0
    assert np.isnan(share_interval(pd.Series([0.5]))["ci_low"])
    assert share_interval(shares) == share_interval(shares)  # a fixed random stream
