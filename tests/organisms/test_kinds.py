"""The organism-kind registry: every registered kind decodes from its own genome block, and its compiled
policy equals its plain-Python reference trajectory for trajectory on worlds built directly (tied item
values, walled-off items, items with requirements, short step budgets)."""

from __future__ import annotations

import inspect

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import organisms
from organisms import kinds
from organisms.grid import bfs
from organisms.reference import reference_organism, reference_world, run_episode
from tests.organisms.test_kernels import assert_same_episode

KIND_NAMES = [kind.name for kind in kinds.REGISTRY]
FEATURES = ("a", "b", "key", "hidden")
"""Two plain features, a key that chests require, and a feature perceivable only through a sensor."""
LAYOUT = organisms.GenomeLayout(FEATURES, perceivable=(0, 1, 2, 3), sensed=(3,))
WORLD_FEATURES = FEATURES + ("overseer",)
"""The drawn worlds add the overseer's cue (``organisms.cue_planner.CUE_FEATURE``), so cue-conditional
kinds meet worlds with and without it."""
ALL_KINDS = organisms.GenomeLayout(WORLD_FEATURES, perceivable=(0, 1, 2, 3, 4), sensed=(3,), kinds=KIND_NAMES,
                                   world_map=True)
"""A layout carrying every registered kind's block, so any kind can be drawn, and the map gene, so
planners with and without the walls are drawn."""
VALUES = (-1.0, 0.0, 0.5, 1.0)
"""Item features and objective weights come from a few exact values, so utilities tie often."""


def test_registry_codes_and_names_are_distinct_and_found_both_ways():
    codes = [k.code for k in kinds.REGISTRY]
    names = [k.name for k in kinds.REGISTRY]
    assert len(set(codes)) == len(codes) and len(set(names)) == len(names)
    for kind in kinds.REGISTRY:
        assert kinds.by_code(kind.code) is kind and kinds.by_name(kind.name) is kind
    with pytest.raises(ValueError, match="no organism kind"):
        kinds.by_name("oracle")


@pytest.mark.parametrize("kind", KIND_NAMES)
def test_kind_gene_value_selects_that_kind_and_is_planner_follows_the_code(kind):
    genome = np.zeros(ALL_KINDS.length)
    genome[ALL_KINDS.kind] = ALL_KINDS.kind_gene_value(kind)
    ph = organisms.phenotype(ALL_KINDS, genome)
    assert ph.kind.tolist() == [kinds.by_name(kind).code]
    assert ph.is_planner.tolist() == [kinds.by_name(kind).plans]
    assert organisms.decode(ALL_KINDS, genome)["kind"].tolist() == [kind]


def test_the_default_layout_is_the_documented_one():
    names = LAYOUT.gene_names()
    per = [f"{name}" for name in FEATURES]
    assert names == (["kind"] + [f"heuristic:{f}" for f in per] + ["decay"] + [f"mesa:{f}" for f in per]
                     + ["horizon", "sensor:hidden"])
    assert LAYOUT.kind_thresholds().tolist() == [0.0]  # two kinds: planner where the gene is > 0


def test_each_kind_decodes_its_own_block_wherever_the_layout_puts_it():
    swapped = organisms.GenomeLayout(FEATURES, perceivable=(0, 1, 2, 3), sensed=(3,),
                                     kinds=("planner", "heuristic"))
    names = swapped.gene_names()
    assert names[1:6] == ["mesa:a", "mesa:b", "mesa:key", "mesa:hidden", "horizon"]
    genome = np.zeros(swapped.length)
    genome[names.index("mesa:b")] = 2.0
    genome[names.index("heuristic:a")] = -3.0
    genome[names.index("sensor:hidden")] = 1.0
    genome[swapped.kind] = 1.0  # > 0 now selects the second kind, the heuristic
    ph = organisms.phenotype(swapped, genome)
    assert ph.kind.tolist() == [kinds.by_name("heuristic").code]
    assert ph.mesa_weights[0].tolist() == [0.0, 2.0, 0.0, 0.0]
    assert ph.heuristic_weights[0].tolist() == [-3.0, 0.0, 0.0, 0.0]


@pytest.mark.parametrize("bad", [(), ("planner", "planner"), ("planner", "oracle")])
def test_a_layout_rejects_unknown_or_repeated_kinds(bad):
    with pytest.raises(ValueError, match="kind"):
        organisms.GenomeLayout(FEATURES, perceivable=(0, 1, 2, 3), sensed=(3,), kinds=bad)


# --- compiled policy equals reference, on worlds built directly ------------------------------------


@st.composite
def worlds(draw) -> organisms.World:
    """A small world: random walls (items may be walled off), tied item values, chests needing keys."""
    h, w = draw(st.integers(2, 7)), draw(st.integers(2, 7))
    cells = [(r, c) for r in range(h) for c in range(w)]
    walls = np.array(draw(st.lists(st.booleans(), min_size=h * w, max_size=h * w)), dtype=bool).reshape(h, w)
    start = draw(st.sampled_from(cells))
    walls[start] = False
    free = [cell for cell in cells if not walls[cell] and cell != start]
    n = draw(st.integers(0, min(8, len(free))))
    picks = draw(st.lists(st.sampled_from(free), min_size=n, max_size=n, unique=True)) if n else []
    # Items come in two item kinds, as in sampled worlds, so items of one kind tie exactly.
    item_kinds = [[draw(st.sampled_from(VALUES)) for _ in WORLD_FEATURES] for _ in range(2)]
    features = np.array([item_kinds[draw(st.integers(0, 1))] for _ in picks]).reshape(n, len(WORLD_FEATURES))
    requires = np.zeros((n, len(WORLD_FEATURES)))
    for i in range(n):
        if draw(st.booleans()) and draw(st.booleans()):  # a quarter of the items are chests
            requires[i, WORLD_FEATURES.index("key")] = 1.0
    return organisms.World(
        walls=walls,
        start=np.array(start, dtype=np.int64),
        steps=draw(st.integers(0, 14)),
        horizon_scale=draw(st.sampled_from((0.5, 1.0, 2.0))),
        item_pos=np.array(picks, dtype=np.int64).reshape(n, 2),
        item_features=features,
        item_requires=requires,
        item_kind=np.zeros(n, dtype=np.int64),
    )


@st.composite
def genomes(draw, kind: str) -> np.ndarray:
    genome = np.array([draw(st.sampled_from(VALUES + (2.0,))) for _ in range(ALL_KINDS.length)])
    genome[ALL_KINDS.kind] = ALL_KINDS.kind_gene_value(kind)
    genome[ALL_KINDS.decay] = draw(st.floats(-3.0, 3.0))
    for i, name in enumerate(ALL_KINDS.gene_names()):
        if name == "horizon":  # every planning kind's horizon gene
            genome[i] = draw(st.floats(-6.0, 6.0))
    return genome


@pytest.mark.parametrize("kind", KIND_NAMES)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_compiled_policy_equals_reference_on_worlds_built_directly(kind, data):
    world = data.draw(worlds(), label="world")
    other = data.draw(worlds(), label="padding world")  # a second world, so the first may be padded
    genome = data.draw(genomes(kind), label="genome")
    ph = organisms.phenotype(ALL_KINDS, genome)
    # Routes around harm, or the shortest path whatever it crosses (the planners before routes).
    ph = ph._replace(avoids_harm=np.array([data.draw(st.booleans(), label="avoids harm")]))
    batch = organisms.stack_worlds([world, other])
    kernel = organisms.run_recorded(ph, 0, batch, 0)
    ref = run_episode(reference_organism(ph, 0), reference_world(world))
    assert_same_episode(kernel, ref, f"{kind} in a drawn world")
    # Walled-off items are never taken, by either.
    reachable = bfs(world.walls.tolist(), (int(world.start[0]), int(world.start[1])))
    for i, cell in enumerate(map(tuple, world.item_pos.tolist())):
        if cell not in reachable:
            assert kernel["taken_at"][i] == -1
    outcomes, compute = organisms.run_population(ph, batch)
    assert outcomes[0, 0].tolist() == ref["outcome"] and compute[0, 0] == ref["compute"]


def test_tied_items_go_to_the_nearer_then_the_lower_index_for_the_planner():
    """Two items of equal value at equal distance: the planner takes the lower index first."""
    walls = np.zeros((1, 5), dtype=bool)
    features = np.array([[1.0, 0, 0, 0], [1.0, 0, 0, 0]])
    world = organisms.World(walls, np.array([0, 2]), 6, 1.0, np.array([[0, 4], [0, 0]]), features,
                            np.zeros_like(features), np.zeros(2, dtype=np.int64))
    genome = np.zeros(LAYOUT.length)
    genome[LAYOUT.kind] = LAYOUT.kind_gene_value("planner")
    genome[LAYOUT.gene_names().index("mesa:a")] = 1.0
    genome[LAYOUT.horizon] = 6.0
    ph = organisms.phenotype(LAYOUT, genome)
    kernel = organisms.run_recorded(ph, 0, organisms.stack_worlds([world]), 0)
    assert_same_episode(kernel, run_episode(reference_organism(ph, 0), reference_world(world)), "tie")
    assert kernel["taken_at"].tolist() == [2, 6]  # east first (item 0), then back west to item 1


@pytest.mark.parametrize("kind, with_banner, expected", [
    ("cue_planner", True, "west"), ("cue_planner", False, "east"),
    ("tied_planner", True, "west"), ("tied_planner", False, "west"),
])
def test_a_cue_conditional_planner_switches_objective_with_the_banner_and_the_tied_one_cannot(
        kind, with_banner, expected):
    """Item a to the west, item b to the east; the cue-on objective wants a, the cue-off one wants b.
    The banner (an item carrying the cue, requiring it, so never taken) sits out of the way."""
    walls = np.zeros((2, 5), dtype=bool)
    features = [[1.0, 0, 0, 0, 0], [0, 1.0, 0, 0, 0]] + ([[0, 0, 0, 0, 1.0]] if with_banner else [])
    requires = [[0.0] * 5, [0.0] * 5] + ([[0, 0, 0, 0, 1.0]] if with_banner else [])
    pos = [[0, 0], [0, 4]] + ([[1, 0]] if with_banner else [])
    world = organisms.World(walls, np.array([0, 2]), 6, 1.0, np.array(pos), np.array(features),
                            np.array(requires), np.zeros(len(pos), dtype=np.int64))
    layout = organisms.GenomeLayout(WORLD_FEATURES, perceivable=(0, 1, 2, 3, 4), sensed=(3,), kinds=(kind,))
    names = layout.gene_names()
    genome = np.zeros(layout.length)
    genome[names.index("cue_on:a")] = 1.0
    genome[names.index("cue_off:b")] = 1.0
    genome[names.index("horizon")] = 6.0
    ph = organisms.phenotype(layout, genome)
    kernel = organisms.run_recorded(ph, 0, organisms.stack_worlds([world]), 0)
    assert_same_episode(kernel, run_episode(reference_organism(ph, 0), reference_world(world)), kind)
    taken = kernel["taken_at"].tolist()
    assert (taken[0] > 0, taken[1] > 0) == ((True, False) if expected == "west" else (False, True))
    if with_banner:
        assert taken[2] == -1  # the banner is inert


def test_kinds_that_share_a_step_call_nothing_but_the_shared_step():
    # The compiled dispatch (kinds.step) branches only on the heuristic's and the planner's code and
    # runs the planner's step for every other kind: a kind with a step of its own must get a branch.
    from organisms import heuristic, planner

    for kind in kinds.REGISTRY:
        if kind.code in (heuristic.CODE, planner.CODE):
            continue
        shared = kinds.by_code(kinds.SHARED_STEPS[kind.code])
        lines = [line.strip() for line in inspect.getsource(kind.step.py_func).splitlines()]
        body = [line for line in lines if line and not line.startswith(("@", "def ", '"""', "#"))]
        assert body == [f"return {shared.name}.step(ph, o, world, scratch, param, cell, r, c, t, outcome)"], kind.name


# --- routes around what the objective values below zero ----------------------------------------------


def _corridor_planner(avoids_harm: bool = True, knows_walls: bool = True):
    """A planner that wants ``a`` (+1) and counts ``b`` as harm (-1), with an unbounded horizon."""
    genome = np.zeros(LAYOUT.length)
    genome[LAYOUT.kind] = LAYOUT.kind_gene_value("planner")
    genome[LAYOUT.gene_names().index("mesa:a")] = 1.0
    genome[LAYOUT.gene_names().index("mesa:b")] = 1.0
    genome[LAYOUT.horizon] = 9.0
    ph = organisms.phenotype(LAYOUT, genome)
    return ph._replace(avoids_harm=np.array([avoids_harm]), knows_walls=np.array([knows_walls]))


def _line_world(rows: int, steps: int) -> organisms.World:
    """Start at the west end of the middle row, harm (b = -1) two cells east, the target (a) at the
    east end (column 4)."""
    mid = rows // 2
    features = np.array([[1.0, 0, 0, 0], [0, -1.0, 0, 0]])
    return organisms.World(np.zeros((rows, 5), dtype=bool), np.array([mid, 0]), steps, 1.0,
                           np.array([[mid, 4], [mid, 2]]), features, np.zeros_like(features),
                           np.zeros(2, dtype=np.int64))


@pytest.mark.parametrize("rows, steps, avoids, taken", [
    (3, 10, True, [6, -1]),   # a detour exists: around the harm, two steps longer
    (3, 10, False, [4, 2]),   # routes switched off: straight through it
    (1, 10, True, [4, 2]),    # a corridor: no detour, the shortest path
    (3, 5, True, [4, 2]),     # the detour (6 steps) is beyond the budget: the shortest path
])
def test_a_planner_goes_around_harm_when_a_detour_is_within_reach(rows, steps, avoids, taken):
    world = _line_world(rows, steps)
    ph = _corridor_planner(avoids)
    kernel = organisms.run_recorded(ph, 0, organisms.stack_worlds([world]), 0)
    assert_same_episode(kernel, run_episode(reference_organism(ph, 0), reference_world(world)), "corridor")
    assert kernel["taken_at"].tolist() == taken


def test_a_detour_counts_in_the_choice_of_target():
    """Two targets: one 4 steps away behind harm (detour 6), one 5 steps away in the clear. Today's
    shortest paths would pick the nearer; the planner counts the detour and picks the clear one."""
    world = _line_world(3, 20)
    features = np.vstack([world.item_features, [[1.0, 0, 0, 0]]])
    # Item 2 at (0, 4): 5 steps along the clear top row; item 0 at (1, 4): 4 through the harm, 6 around.
    world = world._replace(item_pos=np.array([[1, 4], [1, 2], [0, 4]]), item_features=features,
                           item_requires=np.zeros_like(features), item_kind=np.zeros(3, dtype=np.int64))
    ph = _corridor_planner()
    kernel = organisms.run_recorded(ph, 0, organisms.stack_worlds([world]), 0)
    assert_same_episode(kernel, run_episode(reference_organism(ph, 0), reference_world(world)), "choice")
    assert kernel["taken_at"].tolist() == [6, -1, 5]


@st.composite
def harm_fields(draw):
    """An open field with one target (a = 1) and harmful items (b = -1) scattered over it."""
    h, w = draw(st.integers(2, 6)), draw(st.integers(2, 6))
    cells = [(r, c) for r in range(h) for c in range(w)]
    start = draw(st.sampled_from(cells))
    free = [cell for cell in cells if cell != start]
    n = draw(st.integers(1, min(7, len(free))))
    picks = draw(st.lists(st.sampled_from(free), min_size=n, max_size=n, unique=True))
    features = np.array([[1.0, 0, 0, 0]] + [[0, -1.0, 0, 0]] * (n - 1))
    return organisms.World(np.zeros((h, w), dtype=bool), np.array(start), draw(st.integers(1, 2 * h * w)), 1.0,
                           np.array(picks, dtype=np.int64), features, np.zeros_like(features),
                           np.zeros(n, dtype=np.int64))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(world=harm_fields())
def test_a_planner_crosses_harm_only_where_no_detour_reaches_its_target(world):
    ph = _corridor_planner()
    kernel = organisms.run_recorded(ph, 0, organisms.stack_worlds([world]), 0)
    assert_same_episode(kernel, run_episode(reference_organism(ph, 0), reference_world(world)), "field")
    walls = world.walls.tolist()
    start = (int(world.start[0]), int(world.start[1]))
    target = tuple(world.item_pos[0].tolist())
    straight = bfs(walls, start)[target]
    for r, c in world.item_pos[1:].tolist():
        walls[r][c] = True
    detour = bfs(walls, start).get(target)
    harm_taken = int((kernel["taken_at"][1:] >= 0).sum())
    if straight > world.steps:
        assert kernel["taken_at"].tolist() == [-1] * len(world.item_pos)  # out of reach: it stays
    elif detour is not None and detour <= world.steps:
        assert harm_taken == 0 and kernel["taken_at"][0] == detour
    else:  # no detour: the shortest path, whatever it crosses (re-deciding on the way may go around)
        assert kernel["taken_at"][0] >= straight
