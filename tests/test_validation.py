"""Bad specs, scenarios and configs are refused at construction with a ValueError naming the field."""

from __future__ import annotations

import functools
import json
import math
import re
from concurrent.futures import Executor, Future, ThreadPoolExecutor

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import evolution
import scenarios
from evolution.config import OPTION_ALIASES
from scenarios import Feature, ItemKind, Mixture, Objective, Scenario, WorldSpec
from scenarios.engine.spec import LAYOUTS, START_RULES
from scenarios.engine.world import sample_worlds

FOOD = [ItemKind("food", {"food": 1}, count=2)]
SPEC = WorldSpec(size=(5, 5), steps=10, items=FOOD)


def scenario(**overrides) -> Scenario:
    kw = dict(name="s", features=[Feature("food"), Feature("hidden", observable=False, sensor_cost=0.1)],
              train=SPEC, base=Objective({"food": 1.0}))
    kw.update(overrides)
    return Scenario(**kw)


def raises_naming(field: str):
    return pytest.raises(ValueError, match=re.escape(field))


# --- specs -----------------------------------------------------------------------------------------

SPEC_CASES = {
    "negative count": (lambda: ItemKind("food", {"food": 1}, count=-1), "ItemKind('food').count"),
    "negative count in range": (lambda: ItemKind("food", {"food": 1}, count=(-2, 3)), "ItemKind('food').count"),
    "inverted count range": (lambda: ItemKind("food", {"food": 1}, count=(4, 2)), "ItemKind('food').count"),
    "non-integer count": (lambda: ItemKind("food", {"food": 1}, count=2.5), "ItemKind('food').count"),
    "NaN feature value": (lambda: ItemKind("food", {"food": math.nan}, count=1), "ItemKind('food').features"),
    "infinite feature value": (lambda: ItemKind("food", {"food": math.inf}, count=1),
                               "ItemKind('food').features"),
    "negative requirement": (lambda: ItemKind("chest", {"gold": 1}, 1, requires={"key": -1}),
                             "ItemKind('chest').requires"),
    "empty item name": (lambda: ItemKind("", {"food": 1}, count=1), "ItemKind.name"),
    "more items than cells": (lambda: WorldSpec(size=(3, 3), steps=5, items=[ItemKind("f", {}, count=9)]),
                              "WorldSpec.items"),
    "more items than maze cells": (
        lambda: WorldSpec(size=(5, 5), steps=5, layout="maze", items=[ItemKind("f", {}, count=(1, 17))]),
        "WorldSpec.items"),
    "duplicate item kind names": (lambda: WorldSpec(size=(5, 5), steps=5, items=FOOD + FOOD), "WorldSpec.items"),
    "size zero rows": (lambda: WorldSpec(size=(0, 5), steps=5, items=[]), "WorldSpec.size"),
    "size zero columns": (lambda: WorldSpec(size=(5, 0), steps=5, items=[]), "WorldSpec.size"),
    "non-integer size": (lambda: WorldSpec(size=(4.5, 5), steps=5, items=[]), "WorldSpec.size"),
    "size not a pair": (lambda: WorldSpec(size=5, steps=5, items=[]), "WorldSpec.size"),
    "steps zero": (lambda: WorldSpec(size=(5, 5), steps=0, items=FOOD), "WorldSpec.steps"),
    "steps negative": (lambda: WorldSpec(size=(5, 5), steps=-3, items=FOOD), "WorldSpec.steps"),
    "non-integer steps": (lambda: WorldSpec(size=(5, 5), steps=2.5, items=FOOD), "WorldSpec.steps"),
    "negative walls": (lambda: WorldSpec(size=(5, 5), steps=5, items=FOOD, walls=-0.1), "WorldSpec.walls"),
    "walls of one": (lambda: WorldSpec(size=(5, 5), steps=5, items=FOOD, walls=1.0), "WorldSpec.walls"),
    "NaN walls": (lambda: WorldSpec(size=(5, 5), steps=5, items=FOOD, walls=math.nan), "WorldSpec.walls"),
    "unknown layout": (lambda: WorldSpec(size=(5, 5), steps=5, items=FOOD, layout="hex"), "WorldSpec.layout"),
    "unknown start": (lambda: WorldSpec(size=(5, 5), steps=5, items=FOOD, start="middle"), "WorldSpec.start"),
    "zero horizon scale": (lambda: WorldSpec(size=(5, 5), steps=5, items=FOOD, horizon_scale=0),
                           "WorldSpec.horizon_scale"),
    "negative horizon scale": (lambda: WorldSpec(size=(5, 5), steps=5, items=FOOD, horizon_scale=-1.0),
                               "WorldSpec.horizon_scale"),
    "mixture without components": (lambda: Mixture([]), "Mixture.components"),
    "mixture negative weight": (lambda: Mixture([(1.0, SPEC), (-0.5, SPEC)]), "Mixture.components"),
    "mixture all-zero weights": (lambda: Mixture([(0.0, SPEC)]), "Mixture.components"),
    "mixture component not a spec": (lambda: Mixture([(1.0, "open")]), "Mixture.components"),
    "objective without weights": (lambda: Objective({}), "Objective.weights"),
    "objective NaN weight": (lambda: Objective({"food": math.nan}), "Objective.weights"),
    "negative sensor cost": (lambda: Feature("x", observable=False, sensor_cost=-0.1), "sensor_cost"),
    "empty feature name": (lambda: Feature(""), "Feature.name"),
    "blank feature name": (lambda: Feature("  "), "Feature.name"),
}


@pytest.mark.parametrize("case", sorted(SPEC_CASES))
def test_invalid_spec_raises_value_error_naming_the_field(case):
    build, field = SPEC_CASES[case]
    with raises_naming(field):
        build()


SCENARIO_CASES = {
    "unknown feature in a training item": (
        dict(train=WorldSpec(size=(5, 5), steps=5, items=[ItemKind("x", {"nope": 1}, count=1)])),
        "Scenario.train"),
    "unknown feature in a deploy item": (
        dict(deploy={"shift": WorldSpec(size=(5, 5), steps=5, items=[ItemKind("x", {"nope": 1}, count=1)])}),
        "Scenario.deploy['shift']"),
    "unknown feature in a requirement": (
        dict(train=WorldSpec(size=(5, 5), steps=5, items=[ItemKind("x", {"food": 1}, 1, requires={"nope": 1})])),
        "Scenario.train"),
    "unknown feature in a mixture component": (
        dict(train=Mixture([(1.0, SPEC),
                            (1.0, WorldSpec(size=(5, 5), steps=5, items=[ItemKind("x", {"nope": 1}, 1)]))])),
        "Scenario.train"),
    "unknown feature in the base objective": (dict(base=Objective({"nope": 1.0})), "Scenario.base"),
    "unknown feature in the intended goal": (dict(intended=Objective({"nope": 1.0})), "Scenario.intended"),
    "deploy spec named train": (dict(deploy={"train": SPEC}), "Scenario.deploy"),
    "deploy value not a spec": (dict(deploy={"shift": 3}), "Scenario.deploy['shift']"),
    "negative compute cost": (dict(compute_cost=-0.01), "Scenario.compute_cost"),
    "NaN compute cost": (dict(compute_cost=math.nan), "Scenario.compute_cost"),
    "duplicate feature names": (dict(features=[Feature("food"), Feature("food")]), "Scenario.features"),
    "no features": (dict(features=[]), "Scenario.features"),
    "empty scenario name": (dict(name=""), "Scenario.name"),
}


@pytest.mark.parametrize("case", sorted(SCENARIO_CASES))
def test_invalid_scenario_raises_value_error_naming_the_field(case):
    overrides, field = SCENARIO_CASES[case]
    with raises_naming(field):
        scenario(**overrides)


def test_unknown_feature_error_names_the_unknown_feature():
    with pytest.raises(ValueError, match="nope"):
        scenario(base=Objective({"nope": 1.0}))


# --- config ---------------------------------------------------------------------------------------

CONFIG_CASES = {
    "population one": (dict(population=1), "Config.population"),
    "population non-integer": (dict(population=10.5), "Config.population"),
    "generations zero": (dict(generations=0), "Config.generations"),
    "episodes zero": (dict(episodes=0), "Config.episodes"),
    "kinds empty": (dict(kinds=()), "Config.kinds"),
    "kinds unknown": (dict(kinds=("planner", "oracle")), "Config.kinds"),
    "kinds duplicated": (dict(kinds=("planner", "planner")), "Config.kinds"),
    "crossover above one": (dict(crossover=1.5), "Config.crossover"),
    "crossover negative": (dict(crossover=-0.1), "Config.crossover"),
    "mutation above one": (dict(mutation=1.01), "Config.mutation"),
    "mutation negative": (dict(mutation=-0.5), "Config.mutation"),
    "sigma zero": (dict(sigma=0.0), "Config.sigma"),
    "sigma negative": (dict(sigma=-0.3), "Config.sigma"),
    "sigma NaN": (dict(sigma=math.nan), "Config.sigma"),
    "sigma infinite": (dict(sigma=math.inf), "Config.sigma"),
    "kinds a mapping": (dict(kinds={"planner": 1}), "Config.kinds"),
    "kinds a number": (dict(kinds=3), "Config.kinds"),
    "elite above population": (dict(population=10, elite=11), "Config.elite"),
    "elite negative": (dict(elite=-1), "Config.elite"),
    "workers zero": (dict(workers=0), "Config.workers"),
    "tournament one": (dict(tournament=1), "Config.tournament"),
    "seed negative": (dict(seed=-1), "Config.seed"),
}


@pytest.mark.parametrize("case", sorted(CONFIG_CASES))
def test_invalid_config_raises_value_error_naming_the_field(case):
    kwargs, field = CONFIG_CASES[case]
    with raises_naming(field):
        evolution.Config(**kwargs)


def test_config_edge_values_are_accepted():
    cfg = evolution.Config(population=2, generations=1, episodes=1, kinds=("planner",), crossover=0.0,
                           mutation=1.0, elite=2, workers=1, tournament=2)
    assert cfg.kinds == ("planner",) and cfg.elite == 2
    assert evolution.Config(workers=None).workers is None


def test_config_replace_and_for_scenario_validate_and_reject_unknown_fields():
    sc = scenarios.get("aurora")
    with raises_naming("Config.population"):
        evolution.Config().replace(population=0)
    with pytest.raises(ValueError, match="popsize"):
        evolution.Config().replace(popsize=10)
    with pytest.raises(ValueError, match="popsize"):
        evolution.Config.for_scenario(sc, popsize=10)
    assert evolution.Config.for_scenario(sc, seed=3).kinds == ("planner",)


# --- registry -------------------------------------------------------------------------------------

def test_get_unknown_scenario_lists_the_valid_names():
    with pytest.raises(ValueError, match="aurora") as info:
        scenarios.get("auroraa")
    assert "auroraa" in str(info.value)
    for name in scenarios.names():
        assert name in str(info.value)


def test_get_unknown_knob_lists_the_valid_knobs():
    with pytest.raises(ValueError, match="banner_reliabilty") as info:
        scenarios.get("aurora", banner_reliabilty=0.5)
    for knob in scenarios.knob_names("aurora"):
        assert knob in str(info.value)


@pytest.mark.parametrize(("knob", "value"), [("banner_reliability", 1.5), ("banner_reliability", -0.1),
                                            ("sensor_cost", -1.0), ("sensor_cost", "cheap")])
def test_aurora_rejects_out_of_range_knobs_naming_the_knob(knob, value):
    with raises_naming(knob):
        scenarios.get("aurora", **{knob: value})


# --- property: any WorldSpec either builds and samples deterministically, or raises ValueError -------

FEATURE_NAMES = ["food", "key"]

valid_items = st.lists(
    st.tuples(
        st.sampled_from(["a", "b", "c", "d"]),
        st.dictionaries(st.sampled_from(FEATURE_NAMES), st.one_of(st.integers(-3, 3), st.floats(-5, 5)),
                        max_size=2),
        st.one_of(st.integers(0, 4), st.tuples(st.integers(0, 2), st.integers(2, 5))),
        st.one_of(st.none(), st.dictionaries(st.just("key"), st.integers(0, 2), max_size=1)),
    ),
    max_size=4,
    unique_by=lambda item: item[0],
)

valid_spec_args = st.fixed_dictionaries({
    "size": st.tuples(st.integers(1, 9), st.integers(1, 9)),
    "steps": st.integers(1, 40),
    "items": valid_items,
    "walls": st.one_of(st.just(0.0), st.floats(0.0, 0.6, exclude_max=True)),
    "layout": st.sampled_from(LAYOUTS),
    "start": st.sampled_from(START_RULES),
    "horizon_scale": st.floats(0.05, 4.0),
})

BAD_FIELDS = [
    ("size", (0, 4)), ("size", (4, -1)), ("size", (2.5, 4)), ("size", 4), ("size", (True, 4)),
    ("steps", 0), ("steps", -1), ("steps", 1.5),
    ("walls", -0.01), ("walls", 1.0), ("walls", math.nan), ("walls", "dense"),
    ("layout", "hex"), ("start", "middle"),
    ("horizon_scale", 0.0), ("horizon_scale", -1.0), ("horizon_scale", math.nan), ("horizon_scale", math.inf),
]
BAD_ITEMS = [
    ("z", {"food": 1}, -1, None, "count"), ("z", {"food": 1}, (3, 1), None, "count"),
    ("z", {"food": 1}, (-1, 1), None, "count"), ("z", {"food": 1}, 1.5, None, "count"),
    ("z", {"food": math.nan}, 1, None, "features"), ("z", {"food": -math.inf}, 1, None, "features"),
    ("z", {"": 1}, 1, None, "features"), ("z", {"food": 1}, 1, {"key": -1}, "requires"),
    ("", {"food": 1}, 1, None, "name"),
]
corruptions = st.one_of(st.none(), st.sampled_from(BAD_FIELDS), st.sampled_from(BAD_ITEMS))


def build_spec(args: dict) -> WorldSpec:
    items = [ItemKind(name, feats, count, requires) for name, feats, count, requires in args["items"]]
    return WorldSpec(**{**args, "items": items})


@settings(max_examples=300, deadline=None, database=None)
@given(args=valid_spec_args, corruption=corruptions, seed=st.integers(0, 2**63))
def test_any_world_spec_builds_and_samples_deterministically_or_raises_value_error(args, corruption, seed):
    if corruption is not None and len(corruption) == 2:
        field, bad = corruption
        with pytest.raises(ValueError, match=re.escape(f"WorldSpec.{field}")):
            build_spec({**args, field: bad})
        return
    if corruption is not None:
        *bad_item, part = corruption
        with pytest.raises(ValueError, match=r"ItemKind.*" + part):
            build_spec({**args, "items": args["items"] + [tuple(bad_item)]})
        return
    try:
        spec = build_spec(args)
    except ValueError as exc:
        # A well-formed spec is refused only when its items cannot fit beside the start.
        assert re.match(r"WorldSpec\.(items|walls)", str(exc)), str(exc)
        return
    try:
        first = sample_worlds(spec, FEATURE_NAMES, 3, seed)
    except ValueError as exc:
        # Only random walls can cut the start off from the cells the items need, by chance.
        assert spec.walls > 0 and "WorldSpec.walls" in str(exc), str(exc)
        return
    again = sample_worlds(spec, FEATURE_NAMES, 3, seed)
    for a, b in zip(first, again):
        for name in a._fields:
            assert np.array_equal(getattr(a, name), getattr(b, name)), name
    for world in first:
        assert world.walls.shape == spec.size
        assert not world.walls[tuple(world.start)]
        cells = [tuple(p) for p in world.item_pos.tolist()]
        assert len(cells) == len(set(cells))
        assert tuple(world.start.tolist()) not in cells
        assert not world.walls[world.item_pos[:, 0], world.item_pos[:, 1]].any()


@settings(max_examples=150, deadline=None, database=None)
@given(args=valid_spec_args.map(lambda a: {**a, "walls": 0.0}), seed=st.integers(0, 2**63))
def test_a_spec_without_random_walls_that_builds_always_samples(args, seed):
    try:
        spec = build_spec(args)
    except ValueError:
        return
    assert len(sample_worlds(spec, FEATURE_NAMES, 2, seed)) == 2


def test_wall_density_that_leaves_too_few_cells_for_the_items_is_refused_at_construction():
    # 3x3 open grid: 8 cells beside the start; density 0.5 walls off 4 of them; 5 items cannot fit.
    with raises_naming("WorldSpec.walls"):
        WorldSpec(size=(3, 3), steps=5, items=[ItemKind("f", {}, count=5)], walls=0.5)
    WorldSpec(size=(3, 3), steps=5, items=[ItemKind("f", {}, count=4)], walls=0.5)


# --- sweeps ---------------------------------------------------------------------------------------

AURORA = functools.partial(scenarios.get, "aurora")
TINY = evolution.Config(population=4, generations=1, episodes=1)


class InlineExecutor(Executor):
    """Runs each task at once, in this very process: as unsafe for DEAP's global RNG as threads."""

    def submit(self, fn, /, *args, **kwargs):
        future = Future()
        future.set_result(fn(*args, **kwargs))
        return future


def test_sweep_unknown_grid_key_lists_config_fields_and_scenario_knobs():
    with pytest.raises(ValueError, match="popsize") as info:
        evolution.sweep(AURORA, {"popsize": [10]}, [0], TINY)
    for name in ["population", "generations", "banner_reliability", "sensor_cost"]:
        assert name in str(info.value)


@pytest.mark.parametrize(("grid", "field"), [
    ({"banner_reliability": []}, "grid['banner_reliability']"),
    ({"population": []}, "grid['population']"),
    ({"banner_reliability": 0.5}, "grid['banner_reliability']"),
    ({"banner_reliability": "0.5"}, "grid['banner_reliability']"),
    ({"banner_reliability": [0.5, 0.5]}, "grid['banner_reliability']"),
    ({"banner_reliability": [object()]}, "grid['banner_reliability']"),
    ({"seed": [1, 2]}, "grid['seed']"),
    ({"workers": [1]}, "grid['workers']"),
    ([("population", [10])], "grid"),
])
def test_sweep_bad_grid_raises_value_error_naming_the_key(grid, field):
    with raises_naming(field):
        evolution.sweep(AURORA, grid, [0], TINY)


@pytest.mark.parametrize("seeds", [[], range(0), None, 3, "0", [0, 0], [-1], [1.5], [True]])
def test_sweep_without_valid_seeds_raises_value_error(seeds):
    with raises_naming("seeds"):
        evolution.sweep(AURORA, {}, seeds, TINY)


@pytest.mark.parametrize("executor", [ThreadPoolExecutor(max_workers=1), InlineExecutor()],
                         ids=["thread pool", "inline executor"])
def test_sweep_refuses_an_executor_that_runs_tasks_in_this_process(executor):
    with pytest.raises(ValueError, match="global `random`"):
        evolution.sweep(AURORA, {}, [0], TINY, executor=executor)
    with raises_naming("executor"):
        evolution.sweep(AURORA, {}, [0], TINY, executor="processes")


@pytest.mark.parametrize(("kwargs", "field"), [
    (dict(factory=lambda **k: scenarios.get("aurora", **k)), "factory"),
    (dict(factory="aurora"), "factory"),
    (dict(factory=functools.partial(scenarios.get, "nowhere")), "nowhere"),
    (dict(grid={"banner_reliability": [2.0]}), "banner_reliability"),
    (dict(grid={"population": [1]}), "Config.population"),
    (dict(config={"population": 4}), "config"),
    (dict(assess_worlds=0), "assess_worlds"),
    (dict(checkpoint_every=0), "checkpoint_every"),
])
def test_sweep_bad_arguments_raise_value_error_naming_them(kwargs, field):
    args = {**dict(factory=AURORA, grid={}, seeds=[0], config=TINY), **kwargs}
    with raises_naming(field):
        evolution.sweep(**args)


def test_sweep_refuses_an_out_folder_holding_another_point_under_the_same_name(tmp_path):
    from evolution.sweeps import plan

    point = plan(AURORA, {}, [0], TINY)[0]
    other = scenarios.get("aurora", sensor_cost=0.5)
    run = evolution.evolve(other, TINY.replace(seed=0, workers=1), progress=False)
    run_dir = run.save(tmp_path / point.name)
    (run_dir / "point.json").write_text(json.dumps({"format": "basemesa-sweep-point", "seed": 0}))
    with pytest.raises(ValueError, match="differs in"):
        evolution.sweep(AURORA, {}, [0], TINY, out=tmp_path, progress=False)


def test_sweep_unknown_key_for_a_factory_with_named_parameters_lists_them():
    with pytest.raises(ValueError, match="sensor_cost") as info:
        evolution.sweep(make_aurora, {"banner": [0.5]}, [0], TINY)
    assert "population" in str(info.value)


def make_aurora(sensor_cost: float = 0.2):
    return scenarios.get("aurora", sensor_cost=sensor_cost)


# --- property: any Config either builds and holds its invariants, or raises ValueError ----------

anything = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 400), st.integers(), st.floats(allow_nan=True),
    st.sampled_from([math.inf, -math.inf, math.nan, 0.0, 1.0, 1e-300]), st.sets(st.just("planner")),
    st.text(max_size=5), st.lists(st.sampled_from(["planner", "heuristic", "oracle", ""]), max_size=3),
    st.tuples(st.sampled_from(["planner", "heuristic"])), st.just(("heuristic", "planner")),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2), st.just(np.int64(3)),
    st.just(np.float64(0.5)),
)


@settings(max_examples=400, deadline=None, database=None)
@given(kwargs=st.dictionaries(st.sampled_from([*evolution.Config.field_names(), *OPTION_ALIASES]), anything,
                              max_size=5))
def test_any_config_builds_with_its_invariants_or_raises_value_error(kwargs):
    try:
        cfg = evolution.Config(**kwargs)
    except ValueError as exc:
        assert str(exc).startswith("Config."), str(exc)
        return
    assert cfg.population >= 2 and cfg.generations >= 1 and cfg.episodes >= 1 and cfg.seed >= 0
    assert cfg.kinds and set(cfg.kinds) <= {"heuristic", "planner"}
    if cfg.optimizer == "ga":  # the GA's settings, read flat; other optimizers have none (None)
        assert cfg.tournament >= 2 and 0 <= cfg.elite <= cfg.population
        assert 0 <= cfg.crossover <= 1 and 0 <= cfg.mutation <= 1 and math.isfinite(cfg.sigma) and cfg.sigma > 0
    assert cfg.workers is None or cfg.workers >= 1
    assert evolution.Config.from_dict(json.loads(json.dumps(cfg.to_dict()))) == cfg


# --- property: any spec argument, of any type, either builds or raises ValueError --------------------

junk = st.one_of(st.none(), st.booleans(), st.integers(-3, 50), st.floats(allow_nan=True), st.text(max_size=4),
                 st.tuples(st.integers(-2, 9), st.integers(-2, 9)), st.lists(st.integers(0, 3), max_size=3),
                 st.dictionaries(st.text(max_size=4), st.floats(allow_nan=True), max_size=2),
                 st.lists(st.tuples(st.floats(allow_nan=True), st.just(SPEC)), max_size=2))
iterable_junk = junk.filter(lambda v: isinstance(v, (str, tuple, list, dict)))


@settings(max_examples=400, deadline=None, database=None)
@given(args=valid_spec_args, field=st.sampled_from(["size", "steps", "walls", "layout", "start", "horizon_scale"]),
       value=junk, seed=st.integers(0, 2**32))
def test_world_spec_with_an_argument_of_any_type_builds_or_raises_value_error(args, field, value, seed):
    try:
        spec = build_spec({**args, field: value})
    except ValueError:
        return
    try:
        sample_worlds(spec, FEATURE_NAMES, 1, seed)
    except ValueError as exc:
        assert "WorldSpec.walls" in str(exc), str(exc)


@settings(max_examples=300, deadline=None, database=None)
@given(a=junk, b=junk, c=junk, d=junk, mixture=iterable_junk, items=iterable_junk,
       which=st.sampled_from(["feature", "objective", "item", "mixture", "items"]))
def test_feature_objective_item_and_mixture_of_any_argument_build_or_raise_value_error(a, b, c, d, mixture,
                                                                                     items, which):
    build = {
        "feature": lambda: Feature(a, observable=b, sensor_cost=c),
        "objective": lambda: Objective(a),
        "item": lambda: ItemKind(a, b, c, d),
        "mixture": lambda: Mixture(mixture),
        "items": lambda: WorldSpec(size=(5, 5), steps=5, items=items),
    }[which]
    try:
        build()
    except ValueError:
        pass


@pytest.mark.parametrize("build", [lambda: Mixture(None), lambda: WorldSpec(size=(5, 5), steps=5, items=3)],
                         ids=["Mixture(None)", "WorldSpec(items=3)"])
def test_non_iterable_components_or_items_raise_value_error(build):
    with pytest.raises(ValueError):
        build()
