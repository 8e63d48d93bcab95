"""The emergence page's words about the phase diagram hold on the committed sweep (its numbers, and
those of the suboptimality and base optimizers' pages, are pinned: tests/docs/test_pins.py)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "docs" / "results"


def test_the_phase_diagram_is_monotone_as_the_emergence_page_says():
    """Share non-decreasing in maze fraction at every positive cost, non-increasing in cost at every
    maze fraction, within 0.15 (the emergence page's words)."""
    sweep = pd.read_csv(RESULTS / "emergence_sweep.csv")
    share = sweep.groupby(["compute_cost", "maze_fraction"])["planner_share"].mean().unstack()
    positive = share[share.index > 0]
    assert (positive.diff(axis=1).iloc[:, 1:] >= -0.15).all().all()
    assert (share.diff(axis=0).iloc[1:] <= 0.15).all().all()


def test_the_noise_rerun_verdicts_are_what_its_runs_give():
    """Recomputed from the rerun's runs: per cell, the seeds in which the kind its margin predicts holds
    the winner share, against the stated bar (not the stored ``holds`` column)."""
    from studies.claims import thresholds

    t = thresholds("emergence_phase")
    runs = pd.read_csv(RESULTS / "emergence_noise_runs.csv")
    stored = pd.read_csv(RESULTS / "emergence_noise.csv")
    margins = pd.read_csv(RESULTS / "emergence_landscape.csv")
    cells = runs.merge(margins[["maze_fraction", "compute_cost", "margin"]], on=["maze_fraction", "compute_cost"])
    kept = cells.planner_share.where(cells.margin > 0, 1.0 - cells.planner_share) >= t["winner_share"]
    won = cells.assign(kept=kept).groupby(["maze_fraction", "compute_cost"]).kept.sum()
    for row in stored.itertuples():
        assert won[(row.maze_fraction, row.compute_cost)] == row.seeds_won
        assert (str(row.holds) == "True") == (won[(row.maze_fraction, row.compute_cost)] >= t["noise_winner_seeds"])
