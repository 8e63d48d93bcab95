"""The stories' measured signatures are the committed tables': on each story's page, and in the
stories table of the README and of the site's home page, where every number of a signature cell must
be one these tests recompute."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from studies.stories_figure import PANELS, signatures, story_table
from tests.docs.test_emergence_pages import emergence_claims, suboptimality_claims

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "docs" / "results"
HEADLINES = ("aurora", "troops", "sweet_tooth", "bottle_cap")
"""The signature cells the stories table quotes."""


def page_of(key: str) -> str:
    """The story page that quotes a signature cell: ``troops_deploy`` is on the troops page."""
    return next(story for story in PANELS if key.split("_")[0] == story.split("_")[0])


def flat(path: Path) -> str:
    return " ".join(path.read_text(encoding="utf-8").split())  # line breaks are not numbers


@pytest.mark.parametrize("key", list(signatures(RESULTS)))
def test_each_story_page_quotes_its_committed_signature_numbers(key):
    page = ROOT / "docs" / "stories" / f"{page_of(key)}.md"
    cell = signatures(RESULTS)[key]
    assert cell in flat(page), f"{page.name} does not quote the {key} numbers of docs/results: {cell!r}"


def stories_table(path: Path) -> dict[str, str]:
    """The signature column of a page's stories table, by story name."""
    rows = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"\| \[`(\w+)`\]\([^)]*\) \| .* \| (.*) \|$", line)
        if match:
            rows[match.group(1)] = match.group(2)
    return rows


@pytest.mark.parametrize("path", [ROOT / "README.md", ROOT / "docs" / "index.md"], ids=["README", "index"])
def test_the_stories_table_quotes_only_numbers_recomputed_from_the_committed_tables(path):
    rows = stories_table(path)
    import scenarios

    assert sorted(rows) == sorted(scenarios.names()), f"{path.name}: the stories table lists {sorted(rows)}"
    checked = {**{k: signatures(RESULTS)[k] for k in HEADLINES},
               "emergence": emergence_claims()[0], "suboptimality": suboptimality_claims()[0]}
    for story, cell in rows.items():
        if story in checked:
            assert checked[story] in cell, f"{path.name}, {story}: the table does not quote {checked[story]!r}"
            cell = cell.replace(checked[story], "")
        assert not re.search(r"\d", cell), f"{path.name}, {story}: a number no test checks: {cell!r}"


@pytest.mark.parametrize("scenario", list(PANELS))
def test_signature_tables_hold_five_seeds_per_condition(scenario):
    runs = pd.read_csv(RESULTS / f"{scenario}_signature.csv")
    assert (runs.groupby("condition").seed.nunique() == 5).all()
    assert not runs.isna().any().any()


def test_the_stories_figure_table_has_a_train_and_a_deploy_row_per_series_and_seed():
    table = story_table(RESULTS)
    counts = table.groupby(["scenario", "series", "distribution"]).seed.nunique()
    assert (counts == 5).all() and len(counts) == 2 * sum(len(s) for _, s in PANELS.values())
