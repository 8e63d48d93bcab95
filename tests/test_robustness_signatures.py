"""The per-run signatures the robustness maps of coinrun, suboptimality and emergence judge: each can
come out otherwise, and reads the thresholds of the claims file."""

from __future__ import annotations

import pandas as pd
import pytest

from studies import coinrun_2x2, emergence_phase, suboptimality_claims
from studies.claims import thresholds


def held(claims) -> list[list[bool]]:
    return [list(ok) for _, ok in claims]


def test_a_coinrun_run_holds_only_in_its_own_regimes_cell():
    runs = pd.DataFrame({"regime": ["goal_fails", "goal_fails", "capability_fails", "both_fail"],
                         "cell": ["goal_fails", "between", "capability_fails", "goal_fails"]})
    assert held(coinrun_2x2.run_claims(runs)) == [[True, False, True, False]]


def test_coinrun_run_row_lands_a_run_in_the_cell_its_retentions_give(monkeypatch):
    import scenarios
    import scenarios.analyses.coinrun as analysis

    numbers = {"capability_retained": 1.0, "goal_retained": 0.2}
    monkeypatch.setattr(analysis, "retention", lambda sc, population, worlds, seed: dict(numbers))
    run = type("Run", (), {"population": None})()
    sc = scenarios.get("coinrun", regime="capability_fails")
    assert coinrun_2x2.run_row(sc, run, 4)["cell"] == "goal_fails"
    numbers.update(capability_retained=0.5, goal_retained=0.9)
    row = coinrun_2x2.run_row(sc, run, 4)
    assert (row["regime"], row["cell"]) == ("capability_fails", "capability_fails")


def suboptimality_runs(**columns) -> pd.DataFrame:
    base = {"valuers": [10], "valuer_loss": [1.0], "non_valuers": [5], "non_valuer_loss": [0.0]}
    return pd.DataFrame({**base, **{k: [v] for k, v in columns.items()}})


@pytest.mark.parametrize("columns, expected", [
    ({}, [True, True]),
    ({"valuer_loss": 0.2}, [False, True]),                              # valuers barely lose
    ({"valuers": 0, "valuer_loss": float("nan")}, [False, True]),       # nothing shows the bait's pull
    ({"non_valuer_loss": -0.3}, [True, False]),                         # the others gain: searches missed food
    ({"non_valuers": 0, "non_valuer_loss": float("nan")}, [True, True]),  # no control: vacuous, as declared
])
def test_a_suboptimality_run_holds_when_its_valuers_lose_and_its_others_do_not(columns, expected):
    assert [ok[0] for ok in held(suboptimality_claims.run_claims(suboptimality_runs(**columns)))] == expected


def test_the_suboptimality_bar_is_the_claims_files():
    t = thresholds("suboptimality")
    at = suboptimality_runs(valuer_loss=t["valuer_loss_min"], non_valuer_loss=t["other_loss_max"])
    below = suboptimality_runs(valuer_loss=t["valuer_loss_min"] - 0.01, non_valuer_loss=t["other_loss_max"] + 0.01)
    assert held(suboptimality_claims.run_claims(at)) == [[True], [True]]
    assert held(suboptimality_claims.run_claims(below)) == [[False], [False]]


def test_the_emergence_map_judges_the_kind_the_landscape_predicts_at_its_cell(tmp_path, monkeypatch):
    margins = pd.DataFrame({"maze_fraction": [0.5], "compute_cost": [0.0003], "margin": [-1.0], "se": [0.1]})
    margins.to_csv(tmp_path / "landscape.csv", index=False)
    monkeypatch.setattr(emergence_phase, "LANDSCAPE", tmp_path / "landscape.csv")
    assert emergence_phase.map_prediction() == "heuristic"
    table = pd.DataFrame({"distribution": ["train"] * 4 + ["open"] * 4, "planning": [True, False, False, False] * 2})
    row = emergence_phase.signature_row(table)
    assert row == {"planner_share": 0.25, "predicted_share": 0.75}
    assert held(emergence_phase.run_claims(pd.DataFrame([row]))) == [[False]]  # 75 % < 80 %
    margins.assign(margin=0.1).to_csv(tmp_path / "landscape.csv", index=False)
    with pytest.raises(ValueError, match="not called"):
        emergence_phase.map_prediction()


def test_the_committed_landscape_predicts_planners_at_the_emergence_maps_cell():
    assert emergence_phase.MAP_CELL == (0.5, 0.0003)
    assert emergence_phase.map_prediction() == "planner"
