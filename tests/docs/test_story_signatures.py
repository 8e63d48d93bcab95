"""The stories' signature tables are complete (each number the pages quote from them is pinned:
tests/docs/test_pins.py)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from studies.stories_figure import PANELS, story_table

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "docs" / "results"


@pytest.mark.parametrize("scenario", list(PANELS))
def test_signature_tables_hold_five_seeds_per_condition(scenario):
    runs = pd.read_csv(RESULTS / f"{scenario}_signature.csv")
    assert (runs.groupby("condition").seed.nunique() == 5).all()
    assert not runs.isna().any().any()


def test_the_stories_figure_table_has_a_train_and_a_deploy_row_per_series_and_seed():
    table = story_table(RESULTS)
    counts = table.groupby(["scenario", "series", "distribution"]).seed.nunique()
    assert (counts == 5).all() and len(counts) == 2 * sum(len(s) for _, s in PANELS.values())
