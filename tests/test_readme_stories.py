"""The README's numbers for the troops, sweet-tooth and bottle-cap stories are the committed tables'."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from studies.stories_figure import PANELS, signatures, story_table

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "docs" / "results"


@pytest.mark.parametrize("key", list(signatures(RESULTS)))
def test_readme_quotes_the_committed_signature_tables(key):
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())  # line breaks are not numbers
    cell = signatures(RESULTS)[key]
    assert cell in readme, f"README does not quote the {key} numbers of docs/results: {cell!r}"


@pytest.mark.parametrize("scenario", list(PANELS))
def test_signature_tables_hold_five_seeds_per_condition(scenario):
    runs = pd.read_csv(RESULTS / f"{scenario}_signature.csv")
    assert (runs.groupby("condition").seed.nunique() == 5).all()
    assert not runs.isna().any().any()


def test_the_stories_figure_table_has_a_train_and_a_deploy_row_per_series_and_seed():
    table = story_table(RESULTS)
    counts = table.groupby(["scenario", "series", "distribution"]).seed.nunique()
    assert (counts == 5).all() and len(counts) == 2 * sum(len(s) for _, s in PANELS.values())
