"""Inner misalignment decomposed (Hubinger et al. 2019, section 3): per planner, the part of its
mesa-objective that no training item kind can see (proxy alignment) against the part training does
see (approximate alignment), with its suboptimality on training marked.

Takes an assessment table (``scenarios.assess``): the columns ``invisible_component``,
``visible_residual``, ``suboptimality`` and ``label`` on its training rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from organisms.metrics import TRAIN, require_columns
from plots import style
from plots.labels import LABEL_COLOURS

COLUMNS = ("organism", "distribution", "invisible_component", "visible_residual", "suboptimality", "label")
"""What ``decomposition`` needs of an assessment table."""


def decomposition(table: pd.DataFrame, title: str | None = None, ax: Axes | None = None) -> Figure:
    """A dot per planner: training-invisible component (x) against visible residual (y), coloured by
    label; a ring marks planners whose own full-capability pursuer would score worse on training
    (suboptimality > 0: their limits keep them aligned there).

    Args:
        table: an assessment table.
        title: the panel's title (default none).
        ax: draw into these axes instead of a new figure.

    Returns:
        The Figure.
    """
    require_columns(table, COLUMNS, "decomposition", str(list(COLUMNS)))
    train = table[(table["distribution"] == TRAIN) & table["invisible_component"].notna()]
    if train.empty:
        raise ValueError("decomposition: no planner has a decomposition (no training rows with a mesa-objective)")
    with style.house_style():
        if ax is None:
            fig, ax = style.new_figure(style.COLUMN_WIDTH, 3.0)
        else:
            fig = style.figure_of(ax)
        for label, part in train.groupby("label", sort=False):
            ax.scatter(part["invisible_component"], part["visible_residual"], s=12, alpha=0.8,
                       color=LABEL_COLOURS.get(label, style.REFERENCE), label=f"{label} ({len(part)})")
        limited = train[train["suboptimality"] > 0]
        if len(limited):
            ax.scatter(limited["invisible_component"], limited["visible_residual"], s=40, facecolors="none",
                       edgecolors="#333333", linewidths=0.7, label=f"suboptimality > 0 ({len(limited)})")
        top = float(np.nanmax(train[["invisible_component", "visible_residual"]].to_numpy()))
        ax.set_xlim(-0.02, max(1.0, top) * 1.05)
        ax.set_ylim(-0.02, max(1.0, top) * 1.05)
        ax.set_xlabel("invisible to training (proxy)")
        ax.set_ylabel("visible residual (approximate)")
        if title:
            ax.set_title(title, loc="left")
        ax.legend(loc="upper left", bbox_to_anchor=(0.0, -0.2), fontsize=7, ncol=2)
        style.tidy(ax, grid=None)
    return fig
