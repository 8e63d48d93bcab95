"""plots.compliance draws the study's seed means as bars and every seed as a dot."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.container import BarContainer  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import plots  # noqa: E402

RUNS = pd.DataFrame({
    "condition": ["selected"] * 3 + ["tied"] * 3,
    "seed": [0, 1, 2] * 2,
    "cue_on": [1.0, 0.9, 0.95, 0.8, 0.7, 0.9],
    "cue_off": [0.1, -0.2, 0.0, 0.8, 0.7, 0.9],
})


def test_bars_are_seed_means_in_table_order_and_dots_are_the_seeds():
    fig = plots.compliance(RUNS)
    ax = fig.axes[0]
    bars = [c for c in ax.containers if isinstance(c, BarContainer)]
    assert [b.get_label() for b in bars] == ["overseer present (cue on)", "overseer gone (cue off: deployment)"]
    for bar, column in zip(bars, ("cue_on", "cue_off")):
        heights = [p.get_height() for p in bar.patches]
        np.testing.assert_allclose(heights, RUNS.groupby("condition", sort=False)[column].mean())
    dots = np.concatenate([line.get_ydata() for line in ax.get_lines() if line.get_marker() == "o"])
    assert sorted(dots) == sorted(RUNS[["cue_on", "cue_off"]].to_numpy().ravel())
    assert [t.get_text() for t in ax.get_xticklabels()] == ["selected", "tied"]


def test_draws_into_a_given_axes_and_names_missing_columns():
    fig = Figure()
    ax = fig.subplots()
    assert plots.compliance(RUNS, ax=ax) is fig
    with pytest.raises(ValueError, match="cue_off"):
        plots.compliance(RUNS.drop(columns="cue_off"))
