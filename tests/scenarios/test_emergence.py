"""The emergence scenario: mixed populations in open fields and mazes, and selection between the two
hand-built kinds (heuristic, planner) decided by the worlds and the price of compute."""

from __future__ import annotations

import numpy as np
import pytest

import evolution
import organisms
import scenarios
from scenarios import Mixture, WorldSpec
from scenarios.stories.emergence import make

SMALL = {"population": 40, "generations": 15, "episodes": 4, "workers": 1}
"""Small enough for the suite, large enough that selection, not drift, settles the kind."""


def test_emergence_is_built_in_and_its_knobs_set_the_worlds_and_the_price():
    assert "emergence" in scenarios.names()
    assert scenarios.knob_names("emergence") == ["maze_fraction", "compute_cost"]
    assert scenarios.get("emergence", maze_fraction=0.0).train.layout == "open"
    assert scenarios.get("emergence", maze_fraction=1.0).train.layout == "maze"
    mixed = scenarios.get("emergence", maze_fraction=0.25, compute_cost=1e-3)
    assert isinstance(mixed.train, Mixture) and mixed.compute_cost == 1e-3
    assert [(w, s.layout) for w, s in mixed.train.components] == [(0.75, "open"), (0.25, "maze")]
    assert all(isinstance(d, WorldSpec) for d in mixed.deploy.values())
    assert evolution.Config.for_scenario(mixed).kinds == ("heuristic", "planner")


@pytest.mark.parametrize("knobs", [{"maze_fraction": 1.5}, {"maze_fraction": -0.1}, {"compute_cost": -1e-3},
                                   {"compute_cost": "cheap"}, {"maze_fraction": True}, {"compute_cost": float("inf")}])
def test_bad_knobs_are_refused_naming_the_knob(knobs):
    with pytest.raises(ValueError, match=next(iter(knobs))):
        make(**knobs)


def test_mixed_worlds_hold_mazes_in_the_asked_proportion():
    sc = make(maze_fraction=0.25)
    worlds = sc.sample("train", 400, 0)
    # A maze walls off about half the grid; an open field none of it.
    mazes = np.mean([w.walls.mean() > 0.3 for w in worlds])
    assert abs(mazes - 0.25) < 3 * np.sqrt(0.25 * 0.75 / 400)


def test_the_kind_gene_starts_even():
    """Generation 0 is drawn N(0, 1) gene by gene: each organism a planner with probability 1/2."""
    sc = make()
    shares = [evolution.evolve(sc, evolution.Config(population=150, generations=1, episodes=1, seed=s,
                                                    workers=1), progress=False).log.planner_share.iloc[0]
              for s in range(20)]
    assert abs(np.mean(shares) - 0.5) < 3 * np.sqrt(0.25 / (150 * 20))


def test_heuristics_lose_mazes_and_planners_pay_for_the_cells_they_search():
    sc = make(maze_fraction=1.0, compute_cost=1e-3)
    genomes = np.zeros((2, sc.genome_length))
    genomes[:, sc.layout.mesa] = genomes[:, sc.layout.heuristic] = 1.0
    genomes[:, sc.layout.horizon] = 3.0
    genomes[:, sc.layout.kind] = [1.0, -1.0]
    table = scenarios.assess(sc, genomes, worlds=60)
    maze = table[table.distribution == "maze"].set_index("kind")
    open_field = table[table.distribution == "open"].set_index("kind")
    assert maze.loc["planner", "base"] > 3 * maze.loc["heuristic", "base"]
    assert open_field.loc["heuristic", "base"] > 0.9 * open_field.loc["planner", "base"]
    assert maze.loc["heuristic", "compute"] == 0 and maze.loc["planner", "compute"] > 500
    assert maze.loc["planner", "fitness"] == pytest.approx(maze.loc["planner", "base"] - 1e-3 * maze.loc["planner", "compute"])
    assert organisms.decode(sc, genomes).kind.tolist() == ["planner", "heuristic"]


@pytest.mark.slow
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_planners_take_over_a_population_evolving_in_mazes(seed):
    sc = make(maze_fraction=1.0, compute_cost=0.0)
    run = evolution.evolve(sc, evolution.Config(seed=seed, **SMALL), progress=False)
    assert run.log.planner_share.iloc[-1] >= 0.9


@pytest.mark.slow
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_heuristics_take_over_a_population_evolving_in_open_fields_where_compute_is_costly(seed):
    sc = make(maze_fraction=0.0, compute_cost=1e-3)
    run = evolution.evolve(sc, evolution.Config(seed=seed, **SMALL), progress=False)
    assert run.log.planner_share.iloc[-1] <= 0.1
