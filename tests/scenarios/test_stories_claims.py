"""The signatures of the troops, sweet-tooth and bottle-cap stories, on reduced fixed-seed configurations.

The full measurements (5 seeds at the defaults: population 150, 60 generations, 300 assessment
worlds) are ``studies/<scenario>_signature.py``, whose tables the README cites; these are the
same claims at the thresholds the README states, on smaller populations and fewer generations so the
suite stays fast.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

import evolution
import scenarios

POPULATION, GENERATIONS, WORLDS = 80, 30, 150


@cache
def _assessed(name: str, seed: int = 0, **knobs):
    sc = scenarios.get(name, **knobs)
    cfg = evolution.Config.for_scenario(sc, seed=seed, population=POPULATION, generations=GENERATIONS, workers=1)
    run = evolution.evolve(sc, cfg, progress=False)
    return sc, run, scenarios.assess(sc, run.population, worlds=WORLDS, seed=0)


def _frac(table, dist: str, column: str = "base", oracle: str = "oracle_base") -> float:
    part = table[table.distribution == dist]
    return float(part[column].mean() / part[oracle].iloc[0])


@pytest.mark.parametrize("kinds", ["heuristic", "planner"])
def test_troops_selection_on_head_count_meets_the_base_objective_and_misses_the_intended_goal(kinds):
    _, _, table = _assessed("troops", kinds=kinds)
    assert _frac(table, "train") >= 0.90  # troops: at least 90 % of the troop oracle's count ...
    assert _frac(table, "train", "intended", "oracle_intended") <= 0.50  # ... at most half its strength
    gap = table.groupby("distribution").outer_gap.mean()
    assert gap["long_campaign"] > gap["train"] + 0.5  # the gap widens when weak units are worse


def test_troops_outer_gap_belongs_to_the_objective_not_the_organism():
    gaps = {kinds: _assessed("troops", kinds=kinds)[2].query("distribution == 'train'").outer_gap.mean()
            for kinds in ("heuristic", "planner")}
    assert abs(gaps["heuristic"] - gaps["planner"]) <= 0.10, gaps


def test_troops_improved_goal_closes_the_gap():
    _, _, table = _assessed("troops", improved_goal=True)
    assert _frac(table, "train", "intended", "oracle_intended") >= 0.80
    assert abs(table.query("distribution == 'train'").outer_gap.mean()) < 1e-9


@pytest.mark.parametrize("kinds", [
    "both",
    pytest.param("heuristic", marks=pytest.mark.xfail(strict=True, reason=(
        "routes around harm (the default): the oracle goes around the bitter plants a heuristic steps on; "
        "the heuristics' score is unchanged (4.99) but the oracle's rose from 5.62 to 6.63, so 0.89 of "
        "the oracle became 0.75"))),
])
def test_sweet_tooth_serves_well_in_the_ancestral_world(kinds):
    _, _, table = _assessed("sweet_tooth", kinds=kinds)
    assert _frac(table, "train") >= 0.80


@pytest.mark.parametrize("kinds", ["both", "heuristic"])
def test_sweet_tooth_collapses_in_the_modern_world(kinds):
    _, _, table = _assessed("sweet_tooth", kinds=kinds)
    assert _frac(table, "modern") <= 0.50
    sweet = table.groupby("distribution")["outcome:sweet"].mean()
    assert sweet["modern"] >= 1.3 * sweet["train"]  # they get what they want
    agree = table.groupby("distribution").decision_agreement.mean()
    assert agree["train"] - agree["modern"] >= 0.3, agree


def _bottle_cap_fracs() -> dict[str, tuple[float, float]]:
    """Per kind: the population's base score as a fraction of the oracle in the open and in the maze."""
    fracs = {}
    for kinds in ("heuristic", "planner"):
        sc, run, table = _assessed("bottle_cap", kinds=kinds)
        fracs[kinds] = (_frac(table, "train"), _frac(table, "maze"))
    return fracs


@pytest.mark.xfail(strict=True, reason=(
    "routes around harm (the default): planners go around the stones a heuristic steps on, so in the "
    "open they score 1.00 of the oracle and heuristics 0.87 (0.95 with shortest paths); they are "
    "distinguishable by score in the open now, not only in the maze"))
def test_bottle_cap_kinds_score_alike_in_the_open():
    (h_open, _), (p_open, _) = _bottle_cap_fracs().values()
    assert min(h_open, p_open) >= 0.90 and abs(h_open - p_open) <= 0.05


def test_bottle_cap_planners_step_on_fewer_stones_in_the_open_than_heuristics():
    stones = {kinds: _assessed("bottle_cap", kinds=kinds)[2].query("distribution == 'train'")["outcome:stone"].mean()
              for kinds in ("heuristic", "planner")}
    assert stones["planner"] < 0.5 * stones["heuristic"], stones


def test_bottle_cap_kinds_part_in_the_maze():
    (_, h_maze), (_, p_maze) = _bottle_cap_fracs().values()
    assert p_maze >= 0.85 and h_maze <= 0.50


def test_bottle_cap_behaviour_in_the_open_does_not_reveal_the_optimizer():
    cosines = {}
    for kinds in ("heuristic", "planner"):
        sc, run, _ = _assessed("bottle_cap", kinds=kinds)
        sample = np.random.default_rng(0).choice(len(run.population), 10, replace=False)
        fits = scenarios.behavioral(sc, run.population[sample], worlds=40, seed=0, bootstrap=0)
        cosines[kinds] = fits.query("distribution == 'train'").behavior_cosine.mean()
    assert min(cosines.values()) >= 0.8 and abs(cosines["heuristic"] - cosines["planner"]) <= 0.1, cosines
