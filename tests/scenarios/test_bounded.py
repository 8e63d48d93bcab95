"""Bounded planners want a different goal: a short-sighted planner's best mesa-objective leans
towards what the base objective ignores when that leads it to distant rewards, and an unbounded
planner's does not; in a world with nothing to lean towards it never does."""

from __future__ import annotations

import numpy as np
import pytest

from scenarios.analyses import bounded

SMALL = {"select_worlds": 40, "eval_worlds": 80}


@pytest.fixture(scope="module")
def foraging():
    return bounded.foraging()


def test_a_short_sighted_planner_does_better_valuing_tracks(foraging):
    row = bounded.best_objective(foraging, horizon=4, seed=0, **SMALL)
    assert row["best:track"] > 0 and row["angle"] > 5
    assert row["advantage"] > 3 * row["se"] > 0


def test_an_unbounded_planner_is_best_served_by_the_base_objective(foraging):
    row = bounded.best_objective(foraging, horizon=None, seed=0, **SMALL)
    assert row["angle"] == pytest.approx(0.0, abs=1e-6)
    assert abs(row["advantage"]) <= 2 * row["se"] + 1e-12


def test_without_tracks_no_horizon_prefers_another_goal():
    row = bounded.best_objective(bounded.foraging(tracks=0, food_distance=3), horizon=4, seed=0, **SMALL)
    assert row["angle"] == pytest.approx(0.0, abs=1e-6) and row["advantage"] == pytest.approx(0.0)


def test_the_base_pursuer_is_the_best_multiple_of_the_base_objective(foraging):
    # Against the distance cost a weight's size matters: far food is worth walking to only when
    # valued above 1, so the unbounded base pursuer is a multiple above 1 and still angle 0.
    row = bounded.best_objective(foraging, horizon=None, seed=0, **SMALL)
    assert row["pursuer_scale"] > 1.0 and row["base_pursuer_base"] > 0


def test_angle_is_in_degrees_and_nan_for_a_zero_vector():
    assert bounded.angle(np.array([1.0, 0.0]), np.array([0.0, 2.0])) == pytest.approx(90.0)
    assert np.isnan(bounded.angle(np.zeros(2), np.array([1.0, 0.0])))
