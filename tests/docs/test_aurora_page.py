"""The Aurora page quotes the committed study tables: every number there is recomputed from
``docs/results`` (``studies.aurora_measures`` and ``studies.aurora_claims``) and must appear
on ``docs/stories/aurora.md`` as written."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from studies.aurora_claims import lottery_sentence, lottery_verdict
from studies.aurora_measures import README_CELLS, RELIABILITIES, readme_cells

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "docs" / "results"
PAGE = ROOT / "docs" / "stories" / "aurora.md"


def _aurora_section() -> str:
    text = PAGE.read_text(encoding="utf-8")
    start = text.index("## Results")
    end = text.index("\n## ", start + 1)
    return " ".join(text[start:end].split())  # line breaks are not numbers


@pytest.mark.parametrize("key", [key for key, *_ in README_CELLS])
def test_the_aurora_page_quotes_the_committed_measures(key):
    cell = readme_cells(RESULTS)[key]
    assert f"{key}: {cell}" in _aurora_section() or cell in _aurora_section(), (
        f"docs/stories/aurora.md's results do not quote {key} of docs/results/aurora_measures.csv: {cell!r}")


def test_the_measures_table_holds_five_seeds_per_reliability_and_every_distribution():
    runs = pd.read_csv(RESULTS / "aurora_measures.csv")
    assert sorted(runs.reliability.unique()) == sorted(RELIABILITIES)
    assert (runs.groupby(["reliability", "distribution"]).seed.nunique() == 5).all()
    assert set(runs.distribution) == {"train", "brotherhood_war", "horde_war"}


def test_the_aurora_page_quotes_the_committed_lottery_and_its_verdict_is_stored():
    assert lottery_sentence(RESULTS) in _aurora_section()
    runs = pd.read_csv(RESULTS / "aurora_lottery_runs.csv")
    stored = pd.read_csv(RESULTS / "aurora_lottery.csv")
    assert len(runs) == 20 and runs.seed.nunique() == 20
    assert stored.verdict.iloc[0] == lottery_verdict(runs).verdict.iloc[0]
    assert stored.verdict.iloc[0] in _aurora_section()
