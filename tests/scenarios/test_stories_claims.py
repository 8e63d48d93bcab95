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


@pytest.mark.parametrize("kinds", ["both", "heuristic"])
def test_sweet_tooth_collapses_in_the_modern_world(kinds):
    _, _, table = _assessed("sweet_tooth", kinds=kinds)
    assert _frac(table, "train") >= 0.80
    assert _frac(table, "modern") <= 0.50
    sweet = table.groupby("distribution")["outcome:sweet"].mean()
    assert sweet["modern"] >= 1.3 * sweet["train"]  # they get what they want
    agree = table.groupby("distribution").decision_agreement.mean()
    assert agree["train"] - agree["modern"] >= 0.3, agree


def test_bottle_cap_kinds_are_indistinguishable_in_the_open_and_not_in_the_maze():
    fracs = {}
    for kinds in ("heuristic", "planner"):
        sc, run, table = _assessed("bottle_cap", kinds=kinds)
        fracs[kinds] = (_frac(table, "train"), _frac(table, "maze"))
    (h_open, h_maze), (p_open, p_maze) = fracs["heuristic"], fracs["planner"]
    assert min(h_open, p_open) >= 0.90 and abs(h_open - p_open) <= 0.05, fracs
    assert p_maze >= 0.85 and h_maze <= 0.50, fracs


def test_bottle_cap_behaviour_in_the_open_does_not_reveal_the_optimizer():
    cosines = {}
    for kinds in ("heuristic", "planner"):
        sc, run, _ = _assessed("bottle_cap", kinds=kinds)
        sample = np.random.default_rng(0).choice(len(run.population), 10, replace=False)
        fits = scenarios.behavioral(sc, run.population[sample], worlds=40, seed=0, bootstrap=0)
        cosines[kinds] = fits.query("distribution == 'train'").behavior_cosine.mean()
    assert min(cosines.values()) >= 0.8 and abs(cosines["heuristic"] - cosines["planner"]) <= 0.1, cosines
