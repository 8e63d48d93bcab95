"""``plots.stories``: a panel per scenario, bars at the seeds' mean fraction of the oracle."""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

import plots


@pytest.fixture
def table() -> pd.DataFrame:
    rows = []
    for scenario, deploy in (("troops", "long_campaign"), ("bottle_cap", "maze")):
        for series, (train, shifted) in {"base": (1.0, 0.9), "intended": (0.2, -0.8)}.items():
            for seed in range(3):
                for dist, value in (("train", train), (deploy, shifted)):
                    rows.append({"scenario": scenario, "distribution": dist, "series": series, "seed": seed,
                                 "fraction": value + 0.1 * seed})
    return pd.DataFrame(rows)


def test_stories_draws_a_panel_per_scenario_with_bars_at_the_seed_means(table):
    before = dict(matplotlib.rcParams)
    fig = plots.stories(table, titles={"troops": "a  troops"})
    assert isinstance(fig, Figure) and dict(matplotlib.rcParams) == before
    axes = fig.get_axes()
    assert [ax.get_title(loc="left") for ax in axes] == ["a  troops", "bottle_cap"]
    heights = sorted(round(p.get_height(), 6) for p in axes[0].patches)
    assert heights == sorted([1.1, 1.0, 0.3, -0.7])  # means over seeds 0, 1, 2 (+0.0, +0.1, +0.2)
    assert [t.get_text() for t in axes[1].get_xticklabels()] == ["training", "maze"]
    # One error bar per bar, spanning one sd of the seeds (0.1) either side of the mean.
    spans = [seg for coll in axes[0].collections if hasattr(coll, "get_segments") for seg in coll.get_segments()]
    assert len(spans) == 4 and all(np.isclose(abs(s[1][1] - s[0][1]), 0.2) for s in spans)


def test_stories_names_missing_columns(table):
    with pytest.raises(ValueError, match="fraction"):
        plots.stories(table.drop(columns="fraction"))
    with pytest.raises(ValueError, match="no rows"):
        plots.stories(table.iloc[:0])
