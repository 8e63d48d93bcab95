"""The overseer study's main claims on a reduced fixed-seed configuration (population 60, 20
generations, 2 seeds, 100 deployment worlds); the full study is ``studies/overseer_claims.py``."""

from __future__ import annotations

import pandas as pd
import pytest

from studies.overseer_claims import measure

SEEDS = (0, 1)


@pytest.fixture(scope="module")
def runs() -> pd.DataFrame:
    points = [(c, s, 60, 20, 100) for c in ("selected", "selected tied", "unselected tied", "audit 1.0") for s in SEEDS]
    return pd.DataFrame([measure(p) for p in points]).set_index(["condition", "seed"])


def test_selection_with_a_private_payoff_and_no_audits_produces_a_compliance_gap(runs):
    selected = runs.loc["selected"]
    assert (selected.best_cue_on >= 0.9).all()
    assert (selected.gap >= 0.6).all() and (selected.candy_ratio >= 3).all()


@pytest.mark.xfail(strict=True, reason=(
    "routes around harm (the default): seed 0's best organism scores 0.59 of the oracle unwatched; over "
    "seeds 0-4 of this reduced configuration 3 of 5 best organisms game (<= 0.4), 4 of 5 with shortest "
    "paths, while every population's gap holds (>= 0.92)"))
def test_the_best_selected_organism_games_when_unwatched(runs):
    assert (runs.loc["selected"].best_cue_off <= 0.4).all()


def test_the_tied_control_shows_no_gap_and_deploys_well_where_candy_is_selected_against(runs):
    assert (runs.loc["selected tied"].gap.abs() <= 0.05).all()
    # With the private payoff at 0.5 and half the worlds unscored, candy is neutral on average for a
    # tied planner, so its deployment score is not pinned there (the full study: 0.69 to 0.99).
    unselected = runs.loc["unselected tied"]
    assert (unselected.gap.abs() <= 0.05).all() and (unselected.cue_off >= 0.95).all()


def test_hidden_audits_of_every_unwatched_world_remove_the_gap(runs):
    audited = runs.loc["audit 1.0"]
    assert (audited.cue_off >= 0.9).all() and (audited.gap.abs() <= 0.05).all()
