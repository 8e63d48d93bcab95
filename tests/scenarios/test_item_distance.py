"""The item-placement rule ``ItemKind(distance=...)``: items of a kind lie at a chosen shortest-path
distance from the start, checked on construction, kept through saving, and without it every world
is drawn exactly as before."""

from __future__ import annotations

import numpy as np
import pytest

from organisms.reference import bfs
from scenarios import Feature, ItemKind, Objective, Scenario, WorldSpec
from scenarios.engine.world import sample_worlds

FEATURES = ["food", "lure"]


def _spec(layout: str = "open", lure_distance=(10, None), start: str = "center", **kw) -> WorldSpec:
    return WorldSpec(size=(15, 15), steps=30, layout=layout, start=start,
                     items=[ItemKind("food", {"food": 1}, 8, distance=kw.get("food_distance")),
                            ItemKind("lure", {"lure": 1}, (1, 2), distance=lure_distance)])


def _distances(world) -> list[int]:
    steps = bfs(world.walls, tuple(int(x) for x in world.start))
    return [steps[tuple(int(x) for x in p)] for p in world.item_pos]


@pytest.mark.parametrize("layout", ["open", "maze", "rooms"])
def test_items_lie_within_their_kinds_distance_range_from_the_start(layout):
    spec = _spec(layout, lure_distance=(10, None) if layout != "open" else 12, food_distance=(1, 5),
                 start="center" if layout == "open" else "random")
    lo = 12 if layout == "open" else 10
    far = []
    for world in sample_worlds(spec, FEATURES, 60, 4):
        d = np.array(_distances(world))
        food, lure = world.item_kind == 0, world.item_kind == 1
        assert (d[food] >= 1).all() and (d[food] <= 5).all()
        assert (d[lure] >= lo).all()
        assert len(set(map(tuple, world.item_pos))) == len(world.item_pos)  # one item per cell
        assert not world.walls[tuple(world.item_pos.T)].any()
        far += d[lure].tolist()
    assert max(far) > lo  # a range, not a single ring


def test_the_same_seed_gives_the_same_world_with_a_distance_rule():
    a, b = (sample_worlds(_spec(), FEATURES, 5, 9) for _ in range(2))
    for x, y in zip(a, b):
        assert np.array_equal(x.item_pos, y.item_pos) and np.array_equal(x.walls, y.walls)


def test_distance_none_draws_the_same_worlds_as_a_spec_built_without_it():
    """Bit-identity with the worlds drawn before the rule existed is pinned by ``test_golden.py``."""
    plain = WorldSpec(size=(15, 15), steps=30, items=[ItemKind("food", {"food": 1}, 8)])
    explicit = WorldSpec(size=(15, 15), steps=30, items=[ItemKind("food", {"food": 1}, 8, distance=None)])
    for x, y in zip(sample_worlds(plain, ["food"], 20, 1), sample_worlds(explicit, ["food"], 20, 1)):
        assert np.array_equal(x.item_pos, y.item_pos) and np.array_equal(x.start, y.start)


@pytest.mark.parametrize(("distance", "message"), [
    (0, "int >= 1"), (-3, "int >= 1"), (2.5, "int >= 1"), (True, "int >= 1"), ((5, 3), "inverted"),
    ((1, 2, 3), r"\(lo, hi\)"), (("near", None), "int >= 1"),
])
def test_bad_distances_are_refused_naming_the_item_kind(distance, message):
    with pytest.raises(ValueError, match=rf"ItemKind\('lure'\)\.distance.*{message}"):
        ItemKind("lure", {"lure": 1}, 1, distance=distance)


def test_a_distance_no_path_in_the_grid_can_reach_is_refused_at_construction():
    with pytest.raises(ValueError, match=r"ItemKind\('lure'\)\.distance"):
        WorldSpec(size=(4, 4), steps=5, items=[ItemKind("lure", {"lure": 1}, 1, distance=16)])


def test_a_distance_no_sampled_world_can_honour_raises_when_sampling():
    # An open 15 x 15 grid started in its centre has no cell further than 14 steps away.
    spec = _spec(lure_distance=20)
    with pytest.raises(ValueError, match="ItemKind.distance"):
        sample_worlds(spec, FEATURES, 1, 0)


def test_distance_is_kept_through_saving_and_absent_when_unset():
    sc = Scenario(name="far", features=[Feature(f) for f in FEATURES], train=_spec(food_distance=(1, 5)),
                  deploy={"near": _spec(lure_distance=None)}, base=Objective({"food": 1, "lure": -3}))
    data = sc.to_dict()
    assert data["train"]["items"][1]["distance"] == [10, None]
    assert data["train"]["items"][0]["distance"] == [1, 5]
    assert "distance" not in data["deploy"]["near"]["items"][1]
    assert Scenario.from_dict(data) == sc
