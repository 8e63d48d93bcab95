"""The overseer's drift test at more seeds: the committed verdicts are the ones its raw per-run shifts
give under the thresholds ``claims.toml [overseer_drift]`` states, row by row."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from studies.claims import thresholds
from studies.overseer_drift import verdicts

RESULTS = Path(__file__).resolve().parents[2] / "docs" / "results"


def test_the_committed_drift_verdicts_are_recomputed_from_the_raw_runs():
    runs = pd.read_csv(RESULTS / "overseer_drift_runs.csv")
    committed = pd.read_csv(RESULTS / "overseer_drift.csv")
    assert runs.groupby("condition")["seed"].nunique().eq(int(thresholds("overseer_drift")["seeds"])).all()
    pd.testing.assert_frame_equal(verdicts(runs).reset_index(drop=True), committed, check_dtype=False)


def test_the_verdict_follows_the_threshold():
    # A run table in which no seed's cue-off genes moved cannot pass the selected claim.
    runs = pd.read_csv(RESULTS / "overseer_drift_runs.csv")
    shifts = [c for c in runs.columns if c.startswith("shift:")]
    flat = runs.copy()
    flat.loc[:, shifts] = 0.0
    table = verdicts(flat).set_index("condition")
    assert table.loc["selected", "verdict"] == "fails"
    assert table.loc["unselected", "verdict"] == "holds"
