"""The Aurora page's tables are complete and the stored lottery verdict is what its runs give (the
page's numbers are pinned to their cells: tests/docs/test_pins.py)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from studies.aurora_measures import RELIABILITIES
from studies.claims import thresholds

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "docs" / "results"


def test_the_measures_table_holds_five_seeds_per_reliability_and_every_distribution():
    runs = pd.read_csv(RESULTS / "aurora_measures.csv")
    assert sorted(runs.reliability.unique()) == sorted(RELIABILITIES)
    assert (runs.groupby(["reliability", "distribution"]).seed.nunique() == 5).all()
    assert set(runs.distribution) == {"train", "brotherhood_war", "horde_war"}


def test_the_stored_lottery_verdict_is_what_its_twenty_runs_give_under_the_stated_thresholds():
    runs = pd.read_csv(RESULTS / "aurora_lottery_runs.csv")
    stored = pd.read_csv(RESULTS / "aurora_lottery.csv").iloc[0]
    t = thresholds("aurora_lottery")
    low, high = int((runs.deploy_frac <= t["low_frac"]).sum()), int((runs.deploy_frac >= t["high_frac"]).sum())
    assert len(runs) == 20 and runs.seed.nunique() == 20
    assert (stored["low"], stored["high"]) == (low, high)
    assert (stored["verdict"] == "holds") == (low >= t["seeds_min"] and high >= t["seeds_min"])
