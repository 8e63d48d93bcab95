"""The coinrun study's stored verdicts are what its per-seed table gives under the thresholds of
``studies/claims.toml`` (the page's 2 x 2 table is pinned: tests/docs/test_pins.py)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from studies.claims import thresholds

ROOT = Path(__file__).resolve().parents[2]
CELLS = {"both_generalize": (True, True), "goal_fails": (True, False),
         "capability_fails": (False, True), "both_fail": (False, False)}
"""Per regime, the cell it aims at: (capability holds, goal holds)."""


def landed(row: pd.Series, t: dict) -> bool:
    capability, goal = CELLS[row["regime"]]

    def side(value: float, holds: bool) -> bool:
        return value >= t["holds"] if holds else value <= t["fails"]

    return side(row["capability_retained"], capability) and side(row["goal_retained"], goal)


def test_the_stored_verdicts_agree_with_the_recomputed_cells():
    t = thresholds("coinrun_2x2")
    runs = pd.read_csv(ROOT / "docs" / "results" / "coinrun_2x2.csv")
    stored = pd.read_csv(ROOT / "docs" / "results" / "coinrun_2x2_claims.csv").set_index("regime")
    for regime, part in runs.groupby("regime"):
        hits = int(part.apply(landed, axis=1, t=t).sum())
        assert hits == stored.loc[regime, "landed"]
        assert bool(stored.loc[regime, "holds"]) == (hits >= t["seeds_min"])
