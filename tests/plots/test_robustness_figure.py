"""The robustness figure: a panel per knob with its holding values shaded and its default marked, and
the sensitivity indices as bars."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

from plots.robustness import robustness_map  # noqa: E402

DEFAULTS = {"cost": 1.0, "kinds": "both"}


def tables():
    runs = pd.DataFrame({"knob": ["default"] * 2 + ["cost"] * 4 + ["kinds"] * 2,
                         "value": [None, None, 0.2, 0.2, 4.0, 4.0, "heuristic", "heuristic"],
                         "seed": [0, 1] * 4, "base_frac_deploy": [0.3, 0.4, 0.8, 0.9, 0.35, 0.3, 0.5, 0.6]})
    points = pd.DataFrame({"knob": ["default", "cost", "cost", "kinds"], "value": [None, 0.2, 4.0, "heuristic"],
                           "holds": [True, False, True, False]})
    indices = pd.DataFrame({"knob": ["cost", "kinds"], "S1": [0.7, 0.1], "S1_conf": [0.1, 0.05],
                            "ST": [0.8, 0.2], "ST_conf": [0.1, 0.1]})
    return runs, points, indices


def shaded(ax) -> list[float]:
    """The centres of an axes' shaded spans."""
    return sorted(round(p.get_x() + p.get_width() / 2, 6) for p in ax.patches
                  if not isinstance(p, Rectangle) or p.get_width() == 1.0)


def test_each_knob_has_a_panel_shading_the_values_where_the_signature_holds():
    runs, points, indices = tables()
    fig = robustness_map(runs, points, DEFAULTS, "base_frac_deploy", indices, title="toy", threshold=0.5)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title(loc="left") for ax in visible] == ["cost", "kinds", "Sobol indices"]
    cost, kinds, bars = visible
    assert [t.get_text() for t in cost.get_xticklabels()] == ["0.2", "1", "4"]
    assert shaded(cost) == [1.0, 2.0]              # the default (1) and 4 hold; 0.2 does not
    assert shaded(kinds) == [0.0]                  # the default "both", drawn first, holds; "heuristic" fails
    assert [t.get_text() for t in kinds.get_xticklabels()] == ["both", "heuristic"]
    dashed = [line for line in cost.lines if line.get_linestyle() == "--"]
    assert len(dashed) == 1 and dashed[0].get_xdata()[0] == 1
    assert len([p for p in bars.patches if p.get_height() > 0]) == 4
    dotted = [line for line in cost.lines if line.get_linestyle() == ":"]
    assert len(dotted) == 1 and dotted[0].get_ydata()[0] == 0.5


def test_without_indices_there_is_no_bar_chart_and_a_table_without_knobs_is_refused():
    runs, points, _ = tables()
    fig = robustness_map(runs, points, DEFAULTS, "base_frac_deploy")
    assert len([ax for ax in fig.axes if ax.get_visible()]) == 2
    with pytest.raises(ValueError, match="varies no knob"):
        robustness_map(runs, points[points.knob == "default"], DEFAULTS, "base_frac_deploy")
    with pytest.raises(ValueError, match="missing columns"):
        robustness_map(runs.drop(columns="seed"), points, DEFAULTS, "base_frac_deploy")
