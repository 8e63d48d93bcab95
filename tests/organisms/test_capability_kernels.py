"""The navigation counts and the subset optimum agree with their plain-Python twins, and the optimum
bounds what organisms and the greedy oracle score."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

import organisms
import scenarios
from organisms.capability import (
    navigation,
    random_moves,
    random_walk,
    reference_navigation,
    reference_random_walk,
)
from organisms.optimum import optimum, reference_optimum
from organisms.reference import reference_organism, reference_world
from tests.organisms.test_kernels import random_population
from tests.support.treasure import TREASURE_SPECS, make_treasure


def _worlds(spec_name: str, n: int, seed: int) -> list[organisms.World]:
    sc = replace(make_treasure(), train=TREASURE_SPECS[spec_name], deploy={})
    return sc.sample("train", n, seed)


@pytest.mark.parametrize("kind", ["heuristic", "planner"])
@pytest.mark.parametrize("spec_name", sorted(TREASURE_SPECS))
def test_navigation_counts_equal_the_plain_python_reference(spec_name, kind):
    sc = make_treasure()
    worlds = _worlds(spec_name, 8, seed=[5, len(spec_name)])
    pop = random_population(sc.layout, kind, 4, np.random.default_rng([3, kind == "planner"]))
    ph = organisms.phenotype(sc, pop)
    # Half of them route around harm, and their covered goes around what they could have taken.
    ph = ph._replace(avoids_harm=np.arange(len(pop)) % 2 == 1)
    batch = organisms.stack_worlds(worlds)
    counts = navigation(ph, batch)
    for w, world in enumerate(worlds):
        for o in range(len(pop)):
            ref = reference_navigation(reference_organism(ph, o), reference_world(world))
            assert tuple(counts[o, w]) == ref, f"{spec_name} world {w} organism {o}"
    assert counts[..., 0].sum() > 0 and counts[..., 1].sum() > 0  # they move and take something
    assert (counts[..., 2] <= counts[..., 1]).all()  # no route is shorter than the shortest one
    np.testing.assert_array_equal(navigation(ph, batch, parallel=True), counts)


@pytest.mark.parametrize("around", [False, True])
@pytest.mark.parametrize("spec_name", sorted(TREASURE_SPECS))
def test_random_walk_counts_equal_the_plain_python_reference(spec_name, around):
    worlds = _worlds(spec_name, 10, seed=[6, len(spec_name)])
    batch = organisms.stack_worlds(worlds)
    moves = random_moves(batch, np.random.default_rng(1))
    counts = random_walk(batch, moves, around)
    for w, world in enumerate(worlds):
        assert tuple(counts[w]) == reference_random_walk(reference_world(world), moves[w].tolist(), around), w
    assert counts[:, 0].sum() > 0
    if around:  # routes around the items it could have taken are never shorter
        assert (counts[:, 2] >= random_walk(batch, moves)[:, 2]).all()


def _tiny_worlds(n: int, seed: int) -> list[organisms.World]:
    """Small worlds with few items, so brute force over every order is affordable."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        walls = rng.random((5, 5)) < 0.15
        walls[0, 0] = False
        free = [tuple(c) for c in np.argwhere(~walls) if tuple(c) != (0, 0)]
        picks = rng.choice(len(free), size=6, replace=False)
        pos = np.array([free[i] for i in picks], dtype=np.int64)
        feats = rng.uniform(-1, 1, size=(6, 2))
        out.append(organisms.World(walls=walls, start=np.array([0, 0]), steps=int(rng.integers(3, 12)),
                                   horizon_scale=1.0, item_pos=pos, item_features=feats,
                                   item_requires=np.zeros_like(feats), item_kind=np.zeros(6, dtype=np.int64)))
    return out


@pytest.mark.parametrize("avoid", [False, True])
def test_subset_optimum_equals_brute_force_over_orders_on_tiny_worlds(avoid):
    worlds = _tiny_worlds(40, seed=2)
    batch = organisms.stack_worlds(worlds)
    weights = np.array([1.0, 0.5])
    dp = optimum(batch, weights, avoid)
    brute = np.array([reference_optimum(reference_world(w), weights.tolist(), avoid) for w in worlds])
    np.testing.assert_allclose(dp, brute)
    assert (dp > 0).sum() >= 20 and len(set(np.round(dp, 6))) > 10  # the comparison is not vacuous
    if avoid:  # harmful items in the way lengthen some routes
        assert (dp < optimum(batch, weights)).any()


@pytest.mark.parametrize("avoid_harm", [False, True])
def test_no_organism_and_not_the_oracle_beats_the_optimum(avoid_harm):
    sc = replace(scenarios.get("aurora"), avoid_harm=avoid_harm)
    batch = organisms.stack_worlds(sc.sample("brotherhood_war", 30, 4))
    best = optimum(batch, sc.base_weights)
    oracle, _ = organisms.run_population(organisms.oracle_phenotype(sc.layout, sc.base_weights), batch)
    pop = random_population(sc.layout, "planner", 6, np.random.default_rng(0))
    outcomes, _ = organisms.run_population(organisms.phenotype(sc, pop), batch)
    ok = ~np.isnan(best)
    assert ok.all()
    assert (oracle[0] @ sc.base_weights <= best + 1e-9)[ok].all()
    assert ((outcomes @ sc.base_weights) <= best + 1e-9)[:, ok].all()
    # Routes that step on no harmful village reach every enemy village here: the bound is attained.
    low = optimum(batch, sc.base_weights, avoid=True)
    np.testing.assert_array_equal(low, best)
    greedy = (oracle[0] @ sc.base_weights).mean()
    if avoid_harm:  # the oracle's routes go around harmful villages: it comes close to the bound
        assert greedy >= 0.9 * best.mean()
    else:  # shortest paths trample allies and its own villages on the way
        assert greedy < 0.9 * best.mean()
