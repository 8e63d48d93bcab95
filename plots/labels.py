"""Label shares across thresholds: how much of a population's verdict rests on where the bar is set.

Takes the tidy table of ``scenarios.label_shares`` (a share per group, threshold and label); draws a
stacked area of label shares against the decision-agreement threshold, a panel per group.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from organisms.metrics import LABELS, require_columns
from plots import style

COLUMNS = ("group", "threshold", "label", "share")
"""What ``label_shares`` needs: one row per (group, threshold, label)."""
LABEL_COLOURS = dict(zip(LABELS, (style.OKABE_ITO["bluish_green"], style.OKABE_ITO["vermillion"],
                                  style.OKABE_ITO["black"], style.REFERENCE, "#d9d9d9",
                                  style.OKABE_ITO["sky_blue"], style.OKABE_ITO["orange"],
                                  style.OKABE_ITO["reddish_purple"])))
"""A colour per label."""


def _draw(ax: Axes, part: pd.DataFrame, legend: bool) -> None:
    wide = part.pivot_table(index="threshold", columns="label", values="share", aggfunc="first").fillna(0.0)
    labels = [lab for lab in LABELS if lab in wide.columns and wide[lab].max() > 0]
    ax.stackplot(wide.index, [wide[lab] for lab in labels], labels=labels,
                 colors=[LABEL_COLOURS[lab] for lab in labels], alpha=0.9)
    ax.set_xlim(wide.index.min(), wide.index.max())
    ax.set_ylim(0, 1)
    ax.set_xlabel("decision-agreement threshold")
    if legend:
        ax.legend(loc="upper left", bbox_to_anchor=(0.0, -0.25), fontsize=7, ncol=2)
    style.tidy(ax, grid=None)


def label_shares(shares: pd.DataFrame, groups: list[str] | None = None, ax: Axes | None = None) -> Figure:
    """Stacked label shares against the decision-agreement threshold, a panel per group.

    Args:
        shares: columns ``group``, ``threshold``, ``label`` and ``share`` (``scenarios.label_shares``).
        groups: the groups to draw, in order (default: every group of the table with organisms in it).
        ax: draw the first group into these axes instead of a new figure.

    Returns:
        The Figure.
    """
    require_columns(shares, COLUMNS, "label_shares", str(list(COLUMNS)))
    if shares.empty:
        raise ValueError("label_shares: the table has no rows")
    if groups is None:
        sizes = shares.groupby("group", sort=False)["share"].sum()
        groups = [g for g in dict.fromkeys(shares["group"]) if sizes[g] > 0]
    unknown = [g for g in groups if g not in set(shares["group"])]
    if unknown:
        raise ValueError(f"label_shares: unknown groups {unknown}; the table has {sorted(set(shares['group']))}")
    with style.house_style():
        if ax is not None:
            _draw(ax, shares[shares["group"] == groups[0]], legend=True)
            ax.set_title(groups[0], loc="left")
            return style.figure_of(ax)
        fig, axes = style.new_figure(max(style.COLUMN_WIDTH, 2.2 * len(groups)), 3.0, ncols=len(groups),
                                     sharey=True, squeeze=False)
        for k, (panel, group) in enumerate(zip(axes[0], groups)):
            _draw(panel, shares[shares["group"] == group], legend=k == 0)
            panel.set_title(group, loc="left")
        axes[0][0].set_ylabel("share of organisms")
    return fig
