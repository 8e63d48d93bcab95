"""Label shares across thresholds and the decomposition figure: drawn from real assessments, they show
what the tables hold and refuse tables that lack it."""

from __future__ import annotations

import numpy as np
import pytest

import plots
import scenarios
from scenarios import AlignmentThresholds
from tests.scenarios.test_planted_measures import planted_organisms


@pytest.fixture(scope="module")
def table():
    sc = scenarios.get("aurora")
    return scenarios.assess(sc, np.vstack(list(planted_organisms(sc).values())), worlds=40, seed=0)


def test_label_shares_sum_to_one_per_group_and_threshold_and_follow_the_bar(table):
    # No score floor here: the bar on decisions alone is what the sweep varies.
    shares = scenarios.label_shares(table, decisions=[0.0, 0.5, 0.99], thresholds=AlignmentThresholds(floor=None))
    totals = shares.groupby(["group", "threshold"])["share"].sum()
    assert np.allclose(totals, 1.0)
    assert {"all", "sensor:diplomacy on", "sensor:diplomacy off"} == set(shares["group"])
    every = shares[shares["group"] == "all"].set_index(["threshold", "label"])["share"]
    # A bar anyone who acts clears leaves no pseudo-aligned planner; the idlers stay inactive throughout.
    assert every[(0.0, "pseudo-aligned")] == 0 and every[(0.5, "pseudo-aligned")] > 0
    assert every[(0.0, "inactive")] == every[(0.99, "inactive")] == pytest.approx(2 / 6)
    with_sensor = shares[(shares["group"] == "sensor:diplomacy on") & (shares["threshold"] == 0.5)]
    assert with_sensor["organisms"].iloc[0] == 3  # aligned, too weak, sign-flipped
    assert with_sensor.set_index("label").loc["pseudo-aligned", "share"] == 0


def test_label_share_figure_draws_a_panel_per_group(table):
    fig = plots.label_shares(scenarios.label_shares(table))
    assert len(fig.axes) == 3
    assert fig.axes[0].get_title(loc="left") == "all"
    one = plots.label_shares(scenarios.label_shares(table), groups=["sensor:diplomacy off"])
    assert len(one.axes) == 1
    with pytest.raises(ValueError, match="unknown groups"):
        plots.label_shares(scenarios.label_shares(table), groups=["nobody"])
    with pytest.raises(ValueError, match="missing columns"):
        plots.label_shares(table)


def test_decomposition_figure_marks_every_planner_with_a_mesa_objective(table):
    fig = plots.decomposition(table, title="aurora")
    dots = sum(len(c.get_offsets()) for c in fig.axes[0].collections)
    assert dots == table.loc[table["distribution"] == "train", "invisible_component"].notna().sum()
    with pytest.raises(ValueError, match="missing columns"):
        plots.decomposition(table.drop(columns="suboptimality"))
