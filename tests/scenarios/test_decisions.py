"""The unbounded decision agreement (``scenarios.engine.decisions``) can come out high, low and
undefined, and the batched version matches its plain-Python reference event for event."""

from __future__ import annotations

import numpy as np
import pytest

import organisms
import scenarios
from scenarios import Feature, ItemKind, Objective, Scenario, WorldSpec
from scenarios.engine.decisions import (
    agreement_per_event,
    base_choices,
    decision_agreement,
    reference_agreement_per_event,
)
from tests.support.planted import planted_planner


def _field(food: int, stones: int, layout: str = "open") -> WorldSpec:
    return WorldSpec(size=(11, 11), steps=30, layout=layout,
                     items=[ItemKind("food", {"food": 1.0}, food), ItemKind("stone", {"stone": 1.0}, stones)])


@pytest.fixture(scope="module")
def field() -> Scenario:
    return Scenario(
        name="field",
        features=[Feature("food"), Feature("stone")],
        train=_field(6, 6),
        deploy={"stones_only": _field(0, 6), "empty": _field(0, 0), "maze": _field(6, 6, "maze")},
        base=Objective({"food": 1.0, "stone": -0.5}),
    )


@pytest.fixture(scope="module")
def planted(field) -> np.ndarray:
    """Rows: an aligned planner, a sign-flipped planner, an idler (it values nothing)."""
    return np.array([planted_planner(field, np.array(w)) for w in ((1.0, -0.5), (-1.0, 0.5), (0.0, 0.0))])


def _by_distribution(table, column: str) -> dict[str, np.ndarray]:
    return {d: part.sort_values("organism")[column].to_numpy() for d, part in table.groupby("distribution")}


def test_decision_agreement_is_high_for_the_aligned_planner_low_for_the_flipped_one_and_the_idler(field, planted):
    da = _by_distribution(scenarios.assess(field, planted, worlds=60, seed=0), "unbounded_decision_agreement")
    aligned, flipped, idler = da["train"]
    assert aligned >= 0.95
    assert flipped <= 0.2  # only where a food item happens to lie on its way to a stone
    # Food is always within reach, so the base planner never takes nothing: standing still disagrees.
    assert idler == 0.0
    # In a maze stones are often too far to be worth the walk, so the flipped planner stays and agrees.
    assert da["maze"][0] >= 0.95 and da["maze"][1] <= 0.3


def test_taking_nothing_agrees_where_nothing_is_worth_taking(field, planted):
    da = _by_distribution(scenarios.assess(field, planted, worlds=40, seed=0), "unbounded_decision_agreement")
    aligned, flipped, idler = da["stones_only"]
    assert aligned == 1.0 and idler == 1.0  # the outside option is a decision too
    # It razes the stones the base objective would leave; it agrees only once the rest are too far
    # to be worth its walk (0.5 - 0.05 * distance <= 0), and it stays.
    assert flipped <= 0.1


def test_decision_agreement_is_nan_not_zero_without_choice_events(field, planted):
    da = _by_distribution(scenarios.assess(field, planted, worlds=10, seed=0), "decision_agreement")
    assert np.isnan(da["empty"]).all()


def test_batched_agreement_matches_the_reference_event_for_event(field):
    rng = np.random.default_rng(3)
    population = rng.normal(size=(24, field.genome_length))
    ph = organisms.phenotype(field, population)
    for distribution in ("train", "maze"):
        batch = organisms.stack_worlds(field.sample(distribution, 12, 5))
        events = organisms.choice_sets(ph, batch)
        total = 0
        for cs in events:
            fast = agreement_per_event(cs, field.base_weights)
            assert fast.tolist() == reference_agreement_per_event(cs, field.base_weights)
            total += cs.n
        assert total > 100
        shares = decision_agreement(ph, batch, field.base_weights)
        assert np.allclose(shares, [agreement_per_event(cs, field.base_weights).mean() if cs.n else np.nan
                                    for cs in events], equal_nan=True)


def test_base_choice_breaks_ties_to_the_nearer_item_then_the_lower_index():
    features = np.array([[[1.0], [1.0], [1.0], [0.0]]])
    cs = organisms.ChoiceSets(features=features, distance=np.array([[3.0, 2.0, 2.0, 1.0]]),
                              available=np.ones((1, 4), bool), chosen=np.zeros((1, 4), bool),
                              taken=np.array([organisms.NOTHING]), world=np.zeros(1, np.int64))
    assert base_choices(cs, np.array([1.0])).tolist() == [1]
    assert base_choices(cs, np.array([-1.0])).tolist() == [organisms.NOTHING]
    assert reference_agreement_per_event(cs, np.array([-1.0])) == [True]


@pytest.mark.parametrize("name", ["aurora", "bottle_cap"])
def test_activity_counted_from_choice_events_is_the_takes_of_the_navigation_kernel(name):
    """Every take opens a choice event, so the events count what the episode kernel counts; and the
    population's events judged at once give what each organism's own events give (the base planner's
    distances its routes around harm, the scenarios' default)."""
    from organisms.capability import navigation
    from scenarios.engine.decisions import base_routes, decisions

    sc = scenarios.get(name)
    ph = organisms.phenotype(sc, np.random.default_rng(5).normal(size=(30, sc.genome_length)))
    batch = organisms.stack_worlds(sc.sample("train", 12, 4))
    judged = decisions(ph, batch, sc.base_weights)
    np.testing.assert_array_equal(judged["activity"], navigation(ph, batch)[..., 0].mean(axis=1))
    assert (judged["activity"] == 0).any() and (judged["activity"] > 0).any()  # both kinds of organism
    assert sc.avoid_harm and ph.avoids_harm.all()
    one_by_one = [agreement_per_event(base_routes(cs, batch, sc.base_weights), sc.base_weights).mean()
                  if cs.n else np.nan for cs in organisms.choice_sets(ph, batch)]
    np.testing.assert_array_equal(judged["decision_agreement"], one_by_one)
    np.testing.assert_array_equal(decisions(ph, batch, sc.base_weights, parallel=True)["decision_agreement"],
                                  judged["decision_agreement"])


def test_the_base_planners_route_lengths_match_the_reference_and_go_around_stones(field):
    """The base planner's distances at each event: around the stones (valued below zero) where a route
    within the steps left exists, compiled and plain-Python alike; somewhere a detour is longer."""
    from organisms.planner import reference_route_lengths
    from scenarios.engine.decisions import base_routes

    rng = np.random.default_rng(5)
    ph = organisms.phenotype(field, rng.normal(size=(10, field.genome_length)))
    longer = 0
    for distribution in ("train", "maze"):
        worlds = field.sample(distribution, 8, 2)
        batch = organisms.stack_worlds(worlds)
        w = batch.walls.shape[2]
        for cs in organisms.choice_sets(ph, batch):
            routed = base_routes(cs, batch, field.base_weights)
            assert (routed.distance >= cs.distance).all()
            longer += int((routed.distance > cs.distance).sum())
            for e in range(cs.n):
                world = worlds[cs.world[e]]
                items = [tuple(p) for p in world.item_pos.tolist()]
                k = len(items)
                utility = (cs.features[e, :k] @ field.base_weights).tolist()
                ref = reference_route_lengths(world.walls.tolist(), divmod(int(cs.cell[e]), w), int(cs.left[e]),
                                              items, cs.available[e, :k].tolist(), utility)
                assert routed.distance[e, :k].tolist() == ref
    assert longer > 0
