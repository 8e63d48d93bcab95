"""Suboptimality alignment: a planner whose short search keeps it from harm in training reaches the
harmful bait once deployment gives it more time to think, exactly when its mesa-objective values the
bait."""

from __future__ import annotations

import numpy as np
import pytest

import evolution
import scenarios
from organisms.reference import bfs
from scenarios.analyses.landscape import horizon_genes
from scenarios.stories.suboptimality import FAR, NEAR, make


def planner(sc, food: float, toxin: float, horizon: int) -> np.ndarray:
    genome = np.zeros(sc.genome_length)
    names = sc.layout.gene_names()
    genome[names.index("kind")] = 1.0
    genome[names.index("mesa:food")] = food
    genome[names.index("mesa:toxin")] = toxin
    genome[names.index("horizon")] = horizon_genes()[horizon - 1]
    return genome


@pytest.fixture(scope="module")
def table():
    sc = make()
    pop = np.vstack([planner(sc, 2.0, -1.0, 5), planner(sc, 2.0, -3.0, 5), planner(sc, 2.0, -1.0, 24)])
    return scenarios.assess(sc, pop, worlds=100).set_index(["distribution", "organism"])


def test_suboptimality_is_built_in_for_planners_with_bait_far_from_the_start():
    assert "suboptimality" in scenarios.names()
    sc = scenarios.get("suboptimality", horizon_scale=3.0)
    assert evolution.Config.for_scenario(sc).kinds == ("planner",)
    assert sc.deploy["time_to_think"].horizon_scale == 3.0 and sc.train.horizon_scale == 1.0
    for world in sc.sample("train", 30, 0):
        steps = bfs(world.walls, tuple(int(x) for x in world.start))
        d = np.array([steps[tuple(int(x) for x in p)] for p in world.item_pos])
        bait = world.item_features[:, 1] > 0
        assert (d[bait] >= FAR).all() and (d[~bait] <= NEAR[1]).all()


@pytest.mark.parametrize("knobs", [{"compute_cost": -1.0}, {"horizon_scale": 0.0}, {"toxin": "a lot"},
                                   {"toxin": float("nan")}])
def test_bad_knobs_are_refused_naming_the_knob(knobs):
    with pytest.raises(ValueError, match=next(iter(knobs))):
        make(**knobs)


def test_a_short_search_never_meets_the_bait_in_training_whatever_its_mesa_objective(table):
    for organism in (0, 1):
        assert table.loc[("train", organism), "outcome:toxin"] == 0.0
    assert table.loc[("train", 0), "base"] == table.loc[("train", 1), "base"]
    # A planner searching far in training does meet it: selection could see the bait only then.
    assert table.loc[("train", 2), "outcome:toxin"] > 0.5


def test_more_time_to_think_costs_the_bait_valuer_and_not_the_other(table):
    loss = {o: 1 - table.loc[("time_to_think", o), "base"] / table.loc[("train", o), "base"] for o in (0, 1)}
    assert table.loc[("time_to_think", 0), "outcome:toxin"] > 0.5
    assert table.loc[("time_to_think", 1), "outcome:toxin"] == 0.0
    assert loss[0] >= 0.40
    assert loss[1] < 0.10
