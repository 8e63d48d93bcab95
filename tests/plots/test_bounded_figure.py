"""The bounded-planner figure draws the table's seed means against the horizon, unbounded last."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import plots  # noqa: E402


@pytest.fixture
def table():
    rows = []
    for h, angle, adv in ((1, 0.0, 0.0), (4, 7.0, 1.0), (16, 14.0, 0.2), (None, 0.0, 0.0)):
        for seed in range(3):
            rows.append({"horizon": h, "seed": seed, "angle": angle + seed, "advantage": adv, "se": 0.01})
    return pd.DataFrame(rows)


def test_the_lines_are_seed_means_in_horizon_order_with_unbounded_last(table):
    fig = plots.bounded_planners(table)
    angle_ax, advantage_ax = fig.axes
    line = angle_ax.lines[0]
    assert list(line.get_xdata()) == [0, 1, 2, 3]
    assert np.allclose(line.get_ydata(), [1.0, 8.0, 15.0, 1.0])
    assert [t.get_text() for t in angle_ax.get_xticklabels()] == ["1", "4", "16", "∞"]
    assert np.allclose(advantage_ax.lines[0].get_ydata(), [0.0, 1.0, 0.2, 0.0])


def test_missing_columns_and_empty_tables_are_refused(table):
    with pytest.raises(ValueError, match="advantage"):
        plots.bounded_planners(table.drop(columns="advantage"))
    with pytest.raises(ValueError, match="no rows"):
        plots.bounded_planners(table.iloc[:0])
