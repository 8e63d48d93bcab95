"""The essay's stories side by side: a panel per scenario, training beside deployment.

Takes a tidy table of per-seed scores that are already fractions of the oracle (the study scripts
write them); the only arithmetic here is display: the mean over seeds and their standard deviation.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from organisms.metrics import require_columns
from plots import style

COLUMNS = ("scenario", "distribution", "series", "seed", "fraction")
"""What ``stories`` needs: one row per (scenario, distribution, series, seed)."""
SERIES_COLOURS = (style.OKABE_ITO["black"], style.OKABE_ITO["bluish_green"], style.KIND["heuristic"],
                  style.KIND["planner"], style.OKABE_ITO["reddish_purple"])
"""Colours of the bars within a panel, in order of first appearance."""


def stories(table: pd.DataFrame, titles: dict[str, str] | None = None, colours: dict[str, str] | None = None,
            width: float | None = None) -> Figure:
    """A panel per scenario: for each distribution (training first), a bar per series (e.g. "base
    objective", "intended goal", or one per organism kind) at the mean over seeds of its fraction of
    the oracle, with an error bar of one standard deviation across seeds and the seeds as dots.

    Args:
        table: columns ``scenario``, ``distribution`` ("train" or a deployment's name), ``series``,
            ``seed`` and ``fraction`` (a score over the oracle's on the same worlds).
        titles: a panel title per scenario (default: the scenario's name).
        colours: a colour per series (default: ``SERIES_COLOURS`` in order of appearance).
        width: figure width in inches (default: two columns of a paper).

    Returns:
        The Figure.
    """
    require_columns(table, COLUMNS, "stories", str(list(COLUMNS)))
    if table.empty:
        raise ValueError("stories: the table has no rows")
    names = list(dict.fromkeys(table["scenario"]))
    titles, colours = titles or {}, colours or {}
    with style.house_style():
        fig, axes = style.new_figure(width or 2 * style.COLUMN_WIDTH, 3.2, ncols=len(names), sharey=True,
                                     squeeze=False)
        for ax, name in zip(axes[0], names):
            part = table[table["scenario"] == name]
            dists = sorted(dict.fromkeys(part["distribution"]), key=lambda d: d != "train")
            series = list(dict.fromkeys(part["series"]))
            bar = 0.8 / len(series)
            for s, label in enumerate(series):
                colour = colours.get(label, SERIES_COLOURS[s % len(SERIES_COLOURS)])
                for x, dist in enumerate(dists):
                    values = part[(part["distribution"] == dist) & (part["series"] == label)]["fraction"]
                    if values.empty:
                        continue
                    pos = x - 0.4 + bar * (s + 0.5)
                    sd = values.std() if len(values) > 1 else 0.0
                    ax.bar(pos, values.mean(), bar * 0.9, color=colour, alpha=0.85,
                           label=label if x == 0 else None)
                    ax.errorbar(pos, values.mean(), yerr=sd, color="#333333", linewidth=0.9, capsize=2)
                    jitter = np.linspace(-bar * 0.25, bar * 0.25, len(values))
                    ax.scatter(pos + jitter, values, s=5, color="white", edgecolors="#333333",
                               linewidths=0.5, zorder=3)
            ax.set_xticks(range(len(dists)), ["training" if d == "train" else d for d in dists])
            style.reference_line(ax, 1.0, "oracle" if ax is axes[0][0] else None)
            ax.axhline(0.0, color=style.REFERENCE, linewidth=0.6)
            ax.set_title(titles.get(name, name), loc="left")
            # Below the axes: bars reach from the oracle line down to negative scores.
            ax.legend(loc="upper left", bbox_to_anchor=(0.0, -0.12), fontsize=7)
            style.tidy(ax)
        fig.supylabel("mean score / oracle", fontsize=style.RC["axes.labelsize"], fontweight="normal")
    return fig
