"""CoinRun's 2 x 2: the story builds for every regime, its measures can come out either way (planted
planners), and reduced fixed-seed evolutions land the goal-fails and capability-fails regimes in
their cells."""

from __future__ import annotations

import numpy as np
import pytest

import scenarios
from scenarios.analyses.coinrun import cell, matched_pursuers, retention
from scenarios.stories.coinrun import DEPLOYMENT, REGIMES, deployment_name
from studies.claims import thresholds

CLAIMS = thresholds("coinrun_2x2")


@pytest.mark.parametrize("regime", list(REGIMES))
def test_every_regime_builds_a_planner_scenario_with_a_map_gene_and_a_coin_sensor(regime):
    sc = scenarios.get("coinrun", regime=regime)
    assert list(sc.deploy) == [deployment_name(regime)]
    layout, items = DEPLOYMENT[regime]
    worlds = sc.sample(deployment_name(regime), 3, 0)
    walled = any(w.walls.any() for w in worlds)
    assert walled == (layout == "maze")
    assert sc.defaults["kinds"] == ("planner",)
    assert "map" in sc.layout.gene_names() and "sensor:coin" in sc.layout.gene_names()
    names = set(sc.item_kinds(deployment_name(regime)).names)
    assert names == ({"coin"} if items == "proxy" else {"shiny fake", "dull coin"})


def test_a_bad_regime_is_a_value_error_naming_the_valid_ones():
    with pytest.raises(ValueError, match="regime") as err:
        scenarios.get("coinrun", regime="neither")
    for regime in REGIMES:
        assert regime in str(err.value)


def planted(sc, coin: float, shiny: float, sensor: bool, world_map: bool, horizon_gene: float = 5.0) -> np.ndarray:
    """A planner genome with the given mesa weights, coin sensor and map."""
    names = sc.layout.gene_names()
    genome = np.zeros(sc.genome_length)
    genome[names.index("kind")] = 1.0
    genome[names.index("mesa:coin")] = coin
    genome[names.index("mesa:shiny")] = shiny
    genome[names.index("horizon")] = horizon_gene
    genome[names.index("sensor:coin")] = 1.0 if sensor else -1.0
    genome[names.index("map")] = 1.0 if world_map else -1.0
    return genome


def test_a_coin_pursuer_with_map_and_sensor_keeps_both_where_both_fail():
    sc = scenarios.get("coinrun", regime="both_fail")
    r = retention(sc, planted(sc, coin=1.0, shiny=0.0, sensor=True, world_map=True), worlds=60)
    assert r["capability_retained"] >= 0.95
    assert r["goal_retained"] >= 0.95
    assert cell(r["capability_retained"], r["goal_retained"], CLAIMS["holds"], CLAIMS["fails"]) == "both_generalize"


def test_a_shiny_pursuer_without_map_fails_both_where_both_fail():
    sc = scenarios.get("coinrun", regime="both_fail")
    r = retention(sc, planted(sc, coin=0.0, shiny=1.0, sensor=False, world_map=False), worlds=200)
    assert r["capability_retained"] < 0.7
    assert r["goal_retained"] <= CLAIMS["fails"]
    assert r["goal_retained_raw"] < r["goal_retained"]  # the raw measure also charges the lost way
    assert cell(r["capability_retained"], r["goal_retained"], CLAIMS["holds"], CLAIMS["fails"]) == "both_fail"


def test_the_matched_pursuer_keeps_horizon_and_map_but_perceives_all_and_pursues_the_base_objective():
    import organisms

    sc = scenarios.get("coinrun", regime="capability_fails")
    genomes = np.stack([planted(sc, 0.0, 1.0, False, False, -2.0), planted(sc, 1.0, 0.0, True, True, 3.0)])
    ph = organisms.phenotype(sc, genomes)
    matched = matched_pursuers(ph, sc.base_weights)
    np.testing.assert_array_equal(matched.horizon, ph.horizon)
    np.testing.assert_array_equal(matched.knows_walls, [False, True])
    assert matched.perceives.all() and matched.sensors.all()
    np.testing.assert_array_equal(matched.mesa_weights, np.tile(sc.base_weights, (2, 1)))


@pytest.mark.parametrize(("capability", "goal", "expected"), [
    (1.0, 1.0, "both_generalize"), (1.0, 0.2, "goal_fails"), (0.5, 1.0, "capability_fails"),
    (0.5, 0.2, "both_fail"), (0.75, 1.0, "between"), (1.0, 0.75, "between")])
def test_cells_are_read_against_the_two_thresholds(capability, goal, expected):
    assert cell(capability, goal, 0.8, 0.7) == expected


@pytest.mark.parametrize("regime", ["goal_fails", "capability_fails"])
def test_reduced_evolution_lands_the_regime_in_its_cell(regime):
    import evolution

    sc = scenarios.get("coinrun", regime=regime)
    config = evolution.Config.for_scenario(sc, seed=1, workers=1, population=40, generations=12)
    run = evolution.evolve(sc, config, progress=False)
    r = retention(sc, run.population, worlds=100)
    assert cell(r["capability_retained"], r["goal_retained"], CLAIMS["holds"], CLAIMS["fails"]) == regime
