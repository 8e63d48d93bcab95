"""Intervals that mean what they say: runs summarised across seeds are assessed on worlds of their own,
bounded measures get intervals inside their range, and rows a mean leaves out are counted beside it."""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import pytest

import evolution
import scenarios
from organisms.seeding import run_assessment_seed
from scenarios.app.seeds import bounds_of, interval, summarise_seeds

FACTORY = functools.partial(scenarios.get, "aurora")
CONFIG = evolution.Config(population=4, generations=1, episodes=2, kinds=("planner",))


def test_a_bounded_measure_gets_an_interval_inside_its_range_where_student_t_leaves_it():
    agreements = pd.Series([-1.0, -1.0, -0.9, -1.0, -0.2])
    assert interval(agreements)["ci_low"] < -1.0  # Student-t: below the floor of an agreement
    bounded = interval(agreements, bounds=bounds_of("order_agreement"))
    assert -1.0 <= bounded["ci_low"] <= bounded["mean"] <= bounded["ci_high"] <= 1.0
    assert bounds_of("decision_agreement") == (0.0, 1.0) and bounds_of("share:misaligned") == (0.0, 1.0)
    assert bounds_of("base_frac") is None  # a score can exceed the greedy oracle's, or fall below 0


def test_rows_a_mean_leaves_out_are_counted_beside_it():
    per = pd.DataFrame({"seed": [0, 1, 2], "distribution": "train", "organisms": [10, 10, 10],
                        "goal_retained": [0.5, np.nan, 0.7], "goal_retained_n": [8, 0, 9],
                        "decision_agreement": [0.9, 1.0, 0.95], "decision_agreement_n": [10, 10, 10]})
    out = summarise_seeds(per).set_index("metric")
    assert out.loc["goal_retained", "seeds"] == 2 and out.loc["goal_retained", "excluded"] == 1
    assert out.loc["goal_retained", "organisms"] == 17 and out.loc["goal_retained", "organisms_excluded"] == 13
    assert out.loc["decision_agreement", "ci_high"] <= 1.0


def test_goal_retained_counts_the_organisms_whose_training_score_is_not_positive():
    table = pd.DataFrame({"organism": [0, 1, 0, 1], "kind": "planner", "planning": True,
                          "distribution": ["train", "train", "shift", "shift"], "base_frac": [0.8, -0.4, 0.4, -0.8],
                          "goal_retained": [np.nan, np.nan, 0.5, np.nan], "activity": 1.0,
                          "decision_agreement": 1.0})
    summary = scenarios.alignment_summary(table)
    # Mean 0.5 of the organism that has a ratio would hide the one that did worst: the ratio of means is
    # (0.4 - 0.8) / (0.8 - 0.4) = -1.
    assert summary.loc["shift", "goal_retained"] == pytest.approx(-1.0)
    assert summary.loc["shift", "goal_retained_excluded"] == 1


def test_run_assessment_seeds_differ_between_runs_and_are_fixed_by_the_seeds():
    seeds = {run_assessment_seed(0, s) for s in range(20)}
    assert len(seeds) == 20
    assert run_assessment_seed(0, 3) == run_assessment_seed(0, 3) != run_assessment_seed(1, 3)


@pytest.mark.slow
def test_a_sweep_that_resamples_worlds_assesses_each_seed_on_worlds_of_its_own():
    shared = evolution.sweep(FACTORY, {}, [0, 1], CONFIG, assess_worlds=3, progress=False)
    own = evolution.sweep(FACTORY, {}, [0, 1], CONFIG, assess_worlds=3, progress=False, resample_worlds=True)

    def oracle(table: pd.DataFrame) -> pd.Series:
        # The oracle's score on every distribution: routing around harm it takes every enemy village in
        # most worlds, so one distribution's score alone may not tell two sets of worlds apart.
        scores = table.groupby(["seed", "distribution"])["oracle_base"].first().unstack()
        return pd.Series([tuple(row) for row in scores.to_numpy()], index=scores.index)

    assert oracle(shared).nunique() == 1  # the same worlds for every run
    assert oracle(own).nunique() == 2
    # Each run is assessed exactly as assess(seed=run_assessment_seed(...)) assesses its population.
    sc = FACTORY()
    run = evolution.evolve(sc, CONFIG.replace(seed=1), progress=False)
    again = scenarios.assess(sc, run.population, worlds=3, seed=run_assessment_seed(0, 1))
    mine = own[own["seed"] == 1].drop(columns="seed").reset_index(drop=True)
    pd.testing.assert_frame_equal(mine, again, check_dtype=False)
