"""World sampling: a spec and a seed give the same world, always; every item is reachable."""

from __future__ import annotations

from collections import deque

import numpy as np
import pytest

import scenarios
from scenarios import Feature, ItemKind, Mixture, Objective, Scenario, WorldSpec
from scenarios.engine.world import ItemKindTable, KindTable, item_kind_table, kind_table, sample_worlds

FEATURES = ["food", "key", "gold"]
ITEMS = [
    ItemKind("food", {"food": 1}, count=(3, 6)),
    ItemKind("key", {"key": 1}, count=2),
    ItemKind("chest", {"gold": 2}, count=(0, 2), requires={"key": 1}),
    ItemKind("stone", {}, count=1),
]
WORLD_FIELDS = ("walls", "start", "steps", "horizon_scale", "item_pos", "item_features", "item_requires",
                "item_kind")


def reachable_cells(walls: np.ndarray, start) -> set[tuple[int, int]]:
    """Breadth-first search over free cells, written independently of the library's."""
    h, w = walls.shape
    seen = {(int(start[0]), int(start[1]))}
    queue = deque(seen)
    while queue:
        r, c = queue.popleft()
        for nr, nc in ((r - 1, c), (r + 1, c), (r, c - 1), (r, c + 1)):
            if 0 <= nr < h and 0 <= nc < w and not walls[nr, nc] and (nr, nc) not in seen:
                seen.add((nr, nc))
                queue.append((nr, nc))
    return seen


def assert_same_world(a, b) -> None:
    for name in WORLD_FIELDS:
        x, y = np.asarray(getattr(a, name)), np.asarray(getattr(b, name))
        assert x.dtype == y.dtype and x.shape == y.shape and np.array_equal(x, y), name


def worlds_differ(a, b) -> bool:
    return any(
        np.asarray(getattr(a, n)).shape != np.asarray(getattr(b, n)).shape
        or not np.array_equal(getattr(a, n), getattr(b, n))
        for n in WORLD_FIELDS
    )


SPECS = {
    f"{layout}-walls{walls}": WorldSpec(size=(11, 13), steps=30, items=ITEMS, walls=walls, layout=layout)
    for layout in ("open", "rooms", "maze")
    for walls in (0.0, 0.1, 0.2, 0.3)
}


@pytest.mark.parametrize("name", sorted(SPECS))
def test_same_spec_and_seed_give_the_same_worlds(name):
    first = sample_worlds(SPECS[name], FEATURES, 5, seed=123)
    again = sample_worlds(SPECS[name], FEATURES, 5, seed=123)
    for a, b in zip(first, again):
        assert_same_world(a, b)


@pytest.mark.parametrize("name", sorted(SPECS))
def test_different_seeds_give_different_worlds(name):
    a = sample_worlds(SPECS[name], FEATURES, 3, seed=1)
    b = sample_worlds(SPECS[name], FEATURES, 3, seed=2)
    assert all(worlds_differ(x, y) for x, y in zip(a, b))


@pytest.mark.parametrize("name", sorted(SPECS))
def test_every_item_is_reachable_from_the_start_on_its_own_free_cell(name):
    spec = SPECS[name]
    for world in sample_worlds(spec, FEATURES, 25, seed=7):
        h, w = spec.size
        assert world.walls.shape == (h, w)
        start = (int(world.start[0]), int(world.start[1]))
        assert not world.walls[start]
        reach = reachable_cells(world.walls, start)
        cells = [tuple(int(x) for x in p) for p in world.item_pos]
        assert len(set(cells)) == len(cells), "two items share a cell"
        assert start not in cells, "an item lies on the start"
        for cell in cells:
            assert cell in reach, f"item at {cell} unreachable from {start}"
        if spec.walls > 0:
            assert world.walls.sum() > 0


@pytest.mark.parametrize("walls", [0.0, 0.3])
def test_random_wall_density_is_the_requested_fraction_of_free_cells(walls):
    spec = WorldSpec(size=(10, 10), steps=10, items=ITEMS, walls=walls)
    for world in sample_worlds(spec, FEATURES, 5, seed=0):
        # open layout: 100 cells, the start excluded, round(walls * 99) become walls
        assert world.walls.sum() == round(walls * 99)


def test_sampled_worlds_follow_the_spec_counts_features_and_requirements():
    spec = WorldSpec(size=(9, 9), steps=17, items=ITEMS, horizon_scale=1.5)
    table = item_kind_table(spec, FEATURES)
    seen_counts = set()
    for world in sample_worlds(spec, FEATURES, 40, seed=3):
        assert world.steps == 17 and world.horizon_scale == 1.5
        n = len(world.item_pos)
        assert world.item_features.shape == world.item_requires.shape == (n, len(FEATURES))
        counts = np.bincount(world.item_kind, minlength=len(ITEMS))
        for item, count in zip(ITEMS, counts):
            lo, hi = item.count_range
            assert lo <= count <= hi, item.name
        seen_counts.add(int(counts[0]))
        assert np.array_equal(world.item_features, table.features[world.item_kind])
        assert np.array_equal(world.item_requires, table.requires[world.item_kind])
    assert seen_counts == {3, 4, 5, 6}, "count ranges are inclusive and all values occur"


@pytest.mark.parametrize(("start", "cell"), [("center", (4, 5)), ("corner", (0, 0))])
def test_fixed_start_rules_put_the_organism_where_they_say(start, cell):
    spec = WorldSpec(size=(9, 11), steps=5, items=ITEMS, start=start)
    for world in sample_worlds(spec, FEATURES, 5, seed=0):
        assert tuple(world.start) == cell


def test_mixture_draws_components_in_proportion_to_their_weights():
    small = WorldSpec(size=(4, 4), steps=5, items=[ItemKind("food", {"food": 1}, count=1)])
    large = WorldSpec(size=(5, 6), steps=5, items=[ItemKind("food", {"food": 1}, count=1)])
    never = WorldSpec(size=(3, 3), steps=5, items=[ItemKind("food", {"food": 1}, count=1)])
    mix = Mixture([(3.0, small), (1.0, large), (0.0, never)])
    worlds = sample_worlds(mix, FEATURES, 2000, seed=0)
    shapes = [w.walls.shape for w in worlds]
    share_small = shapes.count((4, 4)) / len(shapes)
    assert shapes.count((3, 3)) == 0
    assert abs(share_small - 0.75) < 0.04  # four binomial standard deviations
    assert shapes.count((4, 4)) + shapes.count((5, 6)) == len(shapes)


def test_mixture_item_kind_table_weights_expected_counts_by_component():
    a = WorldSpec(size=(5, 5), steps=5, items=[ItemKind("food", {"food": 1}, count=4)])
    b = WorldSpec(size=(5, 5), steps=5, items=[ItemKind("food", {"food": 1}, count=(0, 2)),
                                              ItemKind("key", {"key": 1}, count=2)])
    table = item_kind_table(Mixture([(1.0, a), (3.0, b)]), FEATURES)
    assert table.names == ("food", "key")
    assert np.allclose(table.expected_counts, [0.25 * 4 + 0.75 * 1, 0.75 * 2])


def test_scenario_sample_is_deterministic_and_distributions_are_independent():
    spec = SPECS["rooms-walls0.2"]
    sc = Scenario(
        name="tiny", features=[Feature(f) for f in FEATURES], train=spec,
        deploy={"maze": SPECS["maze-walls0.1"]}, base=Objective({"food": 1.0}),
    )
    for a, b in zip(sc.sample("train", 4, 9), sc.sample("train", 4, 9)):
        assert_same_world(a, b)
    for a, b in zip(sc.sample("maze", 4, 9), sc.sample("maze", 4, 9)):
        assert_same_world(a, b)
    with pytest.raises(ValueError, match="distribution"):
        sc.sample("nowhere", 1, 0)


def test_the_old_item_kind_names_keep_working():
    """"kind" now means an organism kind; the item-kind names users may have called stay as aliases."""
    sc = scenarios.get("aurora")
    assert scenarios.contested_kinds is scenarios.contested_item_kinds
    assert KindTable is ItemKindTable and kind_table is item_kind_table
    assert sc.kinds("train").names == sc.item_kinds("train").names
    rec = scenarios.episode(sc, np.zeros(sc.genome_length), seed=0)
    assert rec["kind_names"] == rec["item_kind_names"] and rec["kind_base"] == rec["item_kind_base"]
