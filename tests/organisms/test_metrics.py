"""One rule for score / reference and one schema of column names: the log, the assessment table, the
figures and the command line agree on both."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import evolution
import plots
import scenarios
from organisms.metrics import (
    ASSESSMENT_COLUMNS,
    FEATURE_PREFIXES,
    LABELS,
    LOG_NAMES,
    TRAIN,
    feature_column,
    log_column,
    log_share_column,
    ratio,
)
from plots.assessment import score_ratios
from plots.sweep import seed_values
from scenarios.app.cli import summary_table


def test_ratio_is_nan_where_the_reference_is_not_positive():
    got = ratio([2.0, 2.0, 2.0, -1.0], [4.0, 0.0, -4.0, 2.0])
    np.testing.assert_array_equal(got[[0, 3]], [0.5, -0.5])
    assert np.isnan(got[1]) and np.isnan(got[2])


def test_the_contracts_log_names_are_what_the_schema_gives():
    assert log_column("base") == "base_mean"
    assert log_column("agreement") == "agreement_train"
    assert log_column("agreement", "brotherhood_war") == "brotherhood_war:agreement"
    assert log_column("base", "brotherhood_war") == "brotherhood_war:base_mean"
    assert feature_column("sensor", "diplomacy") == "sensor:diplomacy"
    assert log_share_column("pseudo-aligned") == "pseudo_aligned_share"
    with pytest.raises(ValueError, match="logged metrics are"):
        log_column("happiness")


@pytest.fixture(scope="module")
def run():
    sc = scenarios.get("aurora")
    run = evolution.evolve(sc, evolution.Config.for_scenario(sc, population=6, generations=2, episodes=2),
                           progress=False)
    return run


def test_every_column_of_the_run_log_is_named_by_the_schema(run):
    sc = run.scenario
    expected = {"generation", "fitness_mean", "fitness_max", "fitness_min", "fitness_sd"}
    for dist in sc.distributions:
        for metric, (train, deploy) in LOG_NAMES.items():
            if (train if dist == TRAIN else deploy) is not None:
                expected.add(log_column(metric, dist))
    expected |= {log_share_column(label) for label in LABELS if label != "undetermined"}  # log version 2
    expected |= {feature_column("sensor", sc.feature_names[i]) for i in sc.layout.sensed}
    expected |= {feature_column("mesa", sc.feature_names[i]) for i in sc.layout.perceivable}
    unnamed = set(run.log.columns) - expected
    assert not unnamed, f"log columns outside the schema: {sorted(unnamed)}"
    contract = {"generation", "fitness_mean", "fitness_max", "base_mean", "intended_mean", "planner_share",
                "agreement_train", "brotherhood_war:base_mean", "brotherhood_war:agreement", "sensor:diplomacy",
                "mesa:aurora"}
    assert contract <= set(run.log.columns)


def test_every_column_of_the_assessment_is_named_by_the_schema(run):
    table = scenarios.assess(run.scenario, run.population, worlds=3, behavior=True, bootstrap=0)
    prefixes = tuple(p + ":" for p in FEATURE_PREFIXES)
    unnamed = [c for c in table.columns if c not in ASSESSMENT_COLUMNS and not c.startswith(prefixes)
               and not c.startswith("behavior")]
    assert not unnamed
    assert set(ASSESSMENT_COLUMNS) <= set(table.columns)
    # The assessment's fraction of the oracle is the schema's rule.
    np.testing.assert_array_equal(table["base_frac"], ratio(table["base"], table["oracle_base"]))


def _table(oracle: float) -> pd.DataFrame:
    return pd.DataFrame({"organism": [0, 1], "kind": "planner", "distribution": TRAIN, "base": [1.0, 3.0],
                         "intended": [1.0, 3.0], "oracle_base": oracle, "oracle_intended": oracle,
                         "agreement": [0.5, 0.5], "contested_agreement": [1.0, 1.0]})


@pytest.mark.parametrize("oracle", [0.0, -2.0])
def test_figures_and_command_line_give_no_fraction_of_an_oracle_that_gained_nothing(oracle):
    table = _table(oracle)
    assert score_ratios(table)["mean"].isna().all()
    assert seed_values(table, ["distribution"], "base/oracle").isna().all()
    summary = summary_table(type("Run", (), {"assessment": table})())
    assert np.isnan(summary.loc[TRAIN, "% of oracle"])
    assert not plots.train_vs_deploy(table).axes[0].patches  # no bar for a fraction of nothing


def test_figures_and_command_line_agree_with_the_assessment_where_the_oracle_gained(run):
    table = _table(4.0)
    assert score_ratios(table).set_index("metric").loc["base", "mean"] == pytest.approx(0.5)
    assert plots.train_vs_deploy(table).axes[0].patches
    assert summary_table(type("Run", (), {"assessment": table})()).loc[TRAIN, "% of oracle"] == pytest.approx(50)
    line = plots.divergence(run).axes[0].get_lines()
    drawn = [ln for ln in line if ln.get_label() == TRAIN][0].get_ydata()
    np.testing.assert_array_equal(drawn, ratio(run.log[log_column("base")], run.log[log_column("oracle_base")]))
