"""Evaluation gaming: the overseer's score with its banner in sight and without, per condition.

Takes the per-seed table the overseer study writes (scores already fractions of the oracle); the
only arithmetic here is display: seed means as bars, every seed as a dot.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from organisms.metrics import require_columns
from plots import style

COLUMNS = ("condition", "seed", "cue_on", "cue_off")
"""What ``compliance`` needs: one row per (condition, seed)."""
SERIES = (("cue_on", "overseer present (cue on)", style.TRAIN),
          ("cue_off", "overseer gone (cue off: deployment)", style.DEPLOY[0]))


def compliance(runs: pd.DataFrame, ax: Axes | None = None) -> Figure:
    """Bars at the seed mean of the overseer's score with the cue on and off, per condition (in the
    table's order), every seed a dot; the gap between a pair of bars is the compliance gap.

    Args:
        runs: columns ``condition``, ``seed``, ``cue_on`` and ``cue_off`` (fractions of the oracle).
        ax: an axes to draw into; by default a new figure two paper columns wide.

    Returns:
        The Figure drawn into.
    """
    require_columns(runs, COLUMNS, "compliance", "the per-seed table of the overseer study")
    if runs.empty:
        raise ValueError("compliance: the table has no rows")
    order = list(dict.fromkeys(runs["condition"]))
    x = np.arange(len(order))
    with style.house_style():
        if ax is None:
            fig, ax = style.new_figure(2 * style.COLUMN_WIDTH, 3.0)
        else:
            fig = style.figure_of(ax)
        for shift, (column, label, colour) in zip((-0.2, 0.2), SERIES):
            groups = [runs.loc[runs["condition"] == c, column] for c in order]
            ax.bar(x + shift, [g.mean() for g in groups], width=0.38, color=colour, alpha=0.85, label=label)
            for i, g in enumerate(groups):
                ax.plot(np.full(len(g), x[i] + shift), g, linestyle="none", marker="o", markersize=2.2,
                        color=style.OKABE_ITO["black"], zorder=3)
        style.reference_line(ax, 1.0, "oracle")
        ax.axhline(0.0, color=style.REFERENCE, linewidth=0.8)
        ax.set_xticks(x, order, rotation=30, ha="right")
        ax.set_ylabel("overseer's score / oracle")
        title = ax.set_title(f"Compliance with and without the overseer ({runs['seed'].nunique()} seeds)", loc="left")
        style.tidy(ax)
        style.legend_beside_title(ax, title, ncol=2)
    return fig
