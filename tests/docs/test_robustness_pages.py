"""Each mapped story's page states its robustness section as the committed tables give it, and those
tables are what the committed runs give under the claims file's thresholds today."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scenarios.analyses.robustness import holding_ranges, judge
from studies import robustness
from studies.robustness import (
    declared,
    defaults,
    range_in_words,
    read_table,
    section,
    signature,
)

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "docs" / "results"
MAPPED = sorted(p.name[len("robustness_"):-len("_ranges.csv")] for p in RESULTS.glob("robustness_*_ranges.csv"))
"""Stories whose robustness maps are committed."""


def between_markers(text: str) -> str:
    return text.split("<!-- robustness:start -->\n", 1)[1].split("\n<!-- robustness:end -->", 1)[0]


def test_every_story_of_the_ranges_file_is_mapped():
    declared_stories = {s for s in robustness.tomllib.loads(robustness.RANGES.read_text()) if s != "rule"}
    assert declared_stories <= set(MAPPED), f"declared but not mapped: {sorted(declared_stories - set(MAPPED))}"
    assert {"aurora", "troops", "sweet_tooth", "bottle_cap", "overseer"} <= set(MAPPED)


@pytest.mark.parametrize("story", MAPPED)
def test_the_story_page_states_the_ranges_indices_and_time_of_the_committed_tables(story):
    page = (ROOT / "docs" / "stories" / f"{story}.md").read_text(encoding="utf-8")
    assert between_markers(page) == section(story, declared(story), RESULTS), (
        f"{story}.md: the robustness section differs from the tables (python -m studies.robustness {story} --part page)")
    assert (ROOT / "docs" / "figures" / f"robustness_{story}.png").exists()


@pytest.mark.parametrize("story", MAPPED)
def test_the_committed_points_and_ranges_are_what_the_runs_give_under_todays_claims(story):
    spec = declared(story)
    runs = read_table(RESULTS / f"robustness_{story}_runs.csv")
    _, claims = signature(spec)
    points = judge(runs, claims, ["knob", "value"], spec["seeds_min"])
    stored = read_table(RESULTS / f"robustness_{story}_points.csv")
    assert list(points.holds) == list(stored.holds), "the maps are stale: rerun python -m studies.robustness"
    known = defaults(story, spec)
    ranges = holding_ranges(points, {k: known[k] for k in spec["one_at_a_time"]})
    committed = pd.read_csv(RESULTS / f"robustness_{story}_ranges.csv")
    for column in ("low", "high", "fails_below", "fails_above"):
        np.testing.assert_allclose(ranges[column].astype(float), committed[column].astype(float), err_msg=column)
    assert list(ranges.holds_at.astype(str)) == list(committed.holds_at.astype(object).fillna("").astype(str))


def test_a_range_reads_as_where_it_holds_and_where_it_fails_beside_it():
    row = pd.Series({"knob": "sensor_cost", "default": 1.0, "numeric": True, "default_holds": True,
                     "holds_at": "0.05; 0.5; 1.0; 2.0", "fails_at": "0.2; 4.0", "low": 0.5, "high": 2.0,
                     "fails_below": 0.2, "fails_above": 4.0})
    assert range_in_words(row, [0.05, 0.2, 0.5, 1.0, 2.0, 4.0]) == (
        "- `sensor_cost` (default 1, mapped 0.05, 0.2, 0.5, 1, 2, 4): holds from 0.5 to 2; fails at 0.2 below "
        "and fails at 4 above; beyond that, holds again at 0.05.")
    edge = row.copy()
    edge[["holds_at", "low", "high", "fails_above"]] = ["1.0; 2.0; 4.0", 1.0, 4.0, np.nan]
    assert range_in_words(edge, [0.2, 1.0, 2.0, 4.0]).endswith("holds from 1 to 4; fails at 0.2 below.")
    edge[["holds_at", "low", "fails_below"]] = ["0.2; 1.0; 2.0; 4.0", 0.2, np.nan]
    assert range_in_words(edge, [0.2, 1.0, 2.0, 4.0]).endswith("holds over the whole range mapped, 0.2 to 4.")
    kinds = pd.Series({"knob": "kinds", "default": "both", "numeric": False, "default_holds": True,
                       "holds_at": "heuristic; both", "fails_at": "planner"})
    assert range_in_words(kinds, ["both", "heuristic", "planner"]).endswith(
        "holds with heuristic, both; fails with planner.")
    kinds["fails_at"] = ""
    assert range_in_words(kinds, ["both", "heuristic"]).endswith("holds with every value mapped.")
