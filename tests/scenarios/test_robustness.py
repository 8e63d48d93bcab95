"""Robustness maps: the settings of a one-at-a-time map, the judgement of a point and its holding range,
worlds reshaped, and sensitivity indices that recover the known ones of the Ishigami function."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import evolution
import scenarios
from scenarios.analyses.robustness import (
    holding_ranges,
    judge,
    one_at_a_time,
    point_of,
    sobol_design,
    sobol_indices,
    with_world,
    world_defaults,
)
from scenarios.app.robustness import story_at

ISHIGAMI_A, ISHIGAMI_B = 7.0, 0.1


def ishigami(x1, x2, x3):
    return np.sin(x1) + ISHIGAMI_A * np.sin(x2) ** 2 + ISHIGAMI_B * x3 ** 4 * np.sin(x1)


def ishigami_indices() -> tuple[np.ndarray, np.ndarray]:
    """First-order and total indices of the Ishigami function on [-pi, pi]^3, analytically."""
    a, b, p = ISHIGAMI_A, ISHIGAMI_B, math.pi
    v1 = 0.5 * (1 + b * p ** 4 / 5) ** 2
    v2 = a ** 2 / 8
    v13 = b ** 2 * p ** 8 * (1 / 18 - 1 / 50)
    var = v1 + v2 + v13
    return np.array([v1, v2, 0.0]) / var, np.array([v1 + v13, v2, v13]) / var


def test_sobol_indices_recover_the_ishigami_functions_known_indices():
    bounds = {k: [-math.pi, math.pi] for k in ("x1", "x2", "x3")}
    design = sobol_design(bounds, 2048, seed=1)
    assert len(design) == 2048 * (3 + 2)
    got = sobol_indices(bounds, ishigami(design.x1, design.x2, design.x3))
    s1, st = ishigami_indices()
    assert list(got.knob) == ["x1", "x2", "x3"]
    np.testing.assert_allclose(got.S1, s1, atol=0.04)
    np.testing.assert_allclose(got.ST, st, atol=0.04)


def test_a_design_that_ignores_a_key_gives_it_no_index_and_the_other_all_of_it():
    bounds = {"used": [1, 100, "log"], "ignored": [0.0, 1.0]}
    design = sobol_design(bounds, 256)
    got = sobol_indices(bounds, np.log(design.used)).set_index("knob")
    assert got.loc["ignored", "ST"] < 0.02 and got.loc["used", "S1"] > 0.95


def test_integer_bounds_give_integers_and_a_log_range_stays_inside_its_bounds():
    design = sobol_design({"world_size": [8, 18, "log"], "sensor_cost": [0.0, 2.0]}, 16)
    assert design.world_size.map(lambda v: isinstance(v, int)).all()
    assert design.world_size.between(8, 18).all() and design.sensor_cost.between(0.0, 2.0).all()
    assert design.world_size.nunique() > 4
    with pytest.raises(ValueError, match="power of 2"):
        sobol_design({"a": [0.0, 1.0]}, 12)
    with pytest.raises(ValueError, match="log scale"):
        sobol_design({"a": [0.0, 1.0, "log"]}, 16)


def test_failed_runs_cannot_be_left_out_of_the_indices():
    bounds = {"a": [0.0, 1.0]}
    y = np.ones(len(sobol_design(bounds, 4)))
    y[1] = np.nan
    with pytest.raises(ValueError, match="finite"):
        sobol_indices(bounds, y)


def test_a_one_at_a_time_map_runs_the_defaults_once_and_every_other_value_alone():
    settings = one_at_a_time({"sensor_cost": [0.2, 1.0, 2.0], "kinds": ["both", "heuristic"]},
                             {"sensor_cost": 1.0, "kinds": "both"})
    assert settings == [(), (("sensor_cost", 0.2),), (("sensor_cost", 2.0),), (("kinds", "heuristic"),)]
    assert [point_of(s) for s in settings[:2]] == [("default", None), ("sensor_cost", 0.2)]
    with pytest.raises(ValueError, match="does not contain the default"):
        one_at_a_time({"sensor_cost": [0.2, 2.0]}, {"sensor_cost": 1.0})
    with pytest.raises(ValueError, match="no default"):
        one_at_a_time({"steps": [10]}, {"sensor_cost": 1.0})


def claims(runs: pd.DataFrame) -> list[tuple[str, pd.Series]]:
    return [("low", runs.x <= 0.5), ("rise", runs.y >= 0.3)]


def test_a_point_holds_only_when_every_claim_holds_in_enough_of_its_seeds():
    runs = pd.DataFrame({"knob": ["k"] * 10, "value": [1] * 5 + [2] * 5,
                         "x": [0.1, 0.2, 0.3, 0.4, 0.9, 0.1, 0.2, 0.3, 0.4, 0.9],
                         "y": [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.1, 0.1]})
    points = judge(runs, claims, ["knob", "value"], seeds_min=4)
    assert list(points.low) == [4, 4] and list(points.rise) == [5, 3]
    assert list(points.holds) == [True, False]


def test_the_holding_range_is_the_run_of_holding_values_around_the_default():
    points = pd.DataFrame({
        "knob": ["default", "cost", "cost", "cost", "cost", "cost", "kinds", "kinds", "size"],
        "value": [None, 0.0, 0.3, 0.5, 4.0, 2.0, "heuristic", "planner", 8],
        "holds": [True, True, False, True, True, False, True, False, False]})
    table = holding_ranges(points, {"cost": 1.0, "kinds": "both", "size": 12}).set_index("knob")
    cost = table.loc["cost"]
    assert (cost.low, cost.high, cost.fails_below, cost.fails_above) == (0.5, 1.0, 0.3, 2.0)
    assert cost.holds_at == "0.0; 0.5; 1.0; 4.0" and cost.fails_at == "0.3; 2.0"
    assert table.loc["kinds", "holds_at"] == "heuristic; both" and table.loc["kinds", "fails_at"] == "planner"
    size = table.loc["size"]
    assert (size.low, size.high, size.fails_below) == (12, 12, 8) and np.isnan(size.fails_above)


def test_a_reshaped_story_samples_worlds_of_the_asked_size_and_length_everywhere():
    sc = with_world(scenarios.get("sweet_tooth"), world_size=8, steps=20)
    assert world_defaults(sc) == {"world_size": 8, "steps": 20}
    for dist in sc.distributions:
        world = sc.sample(dist, 1, 0)[0]
        assert world.walls.shape == (8, 8) and world.steps == 20
    assert with_world(scenarios.get("sweet_tooth")) == scenarios.get("sweet_tooth")


def test_story_at_sends_knobs_to_the_story_world_keys_to_its_worlds_and_config_fields_to_its_config():
    sc = story_at("sweet_tooth", run=(("population", 60), ("generations", 30)),
                  setting=(("sensor_cost", 0.2), ("world_size", 10), ("episodes", 4), ("kinds", "heuristic")))
    assert sc.sensor_costs.max() == pytest.approx(0.2)
    assert world_defaults(sc) == {"world_size": 10, "steps": 40}
    cfg = evolution.Config.for_scenario(sc)
    assert (cfg.population, cfg.generations, cfg.episodes, cfg.kinds) == (60, 30, 4, ("heuristic",))
    assert sc.knobs["setting"] == (("sensor_cost", 0.2), ("world_size", 10), ("episodes", 4), ("kinds", "heuristic"))
    with pytest.raises(ValueError, match="unknown setting key"):
        story_at("sweet_tooth", setting=(("banner_reliability", 0.5),))


def shiny(fake_value: float) -> scenarios.Scenario:
    """Gold and fakes look alike (shiny); only a sensor tells their value apart."""
    from scenarios import Feature, ItemKind, Objective, Scenario, WorldSpec

    spec = WorldSpec(size=(6, 6), steps=12, items=[ItemKind("gold", {"shiny": 1, "value": 1}, 3),
                                                  ItemKind("fake", {"shiny": 1, "value": fake_value}, 3)])
    return Scenario(name="shiny", features=[Feature("shiny"), Feature("value", observable=False, sensor_cost=0.1)],
                    train=spec, base=Objective({"value": 1.0}))


def test_the_predicted_sensor_boundary_is_what_the_sensor_adds_and_nothing_where_the_proxy_is_perfect():
    from scenarios.analyses.robustness import sensor_gain

    useful = sensor_gain(shiny(-1.0), select_worlds=30, eval_worlds=100)
    useless = sensor_gain(shiny(1.0), select_worlds=30, eval_worlds=100)
    assert useful["gain"] > 0.5 and useful["gain"] > 5 * useful["se"]
    assert abs(useless["gain"]) <= 2 * useless["se"] + 1e-9
    with pytest.raises(ValueError, match="no sensed feature"):
        sensor_gain(scenarios.get("bottle_cap"))


def test_a_count_of_zero_and_a_cost_of_zero_stay_two_points_with_their_own_values():
    runs = pd.DataFrame({"knob": ["default", "cost", "count"], "value": pd.Series([None, 0.0, 0], dtype=object),
                         "x": [0.1, 0.1, 0.9], "y": [0.5, 0.5, 0.5]})
    points = judge(runs, claims, ["knob", "value"], seeds_min=1)
    assert [type(v) for v in points.value] == [type(None), float, int] and list(points.holds) == [True, True, False]
