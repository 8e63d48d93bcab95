"""Evolution or gradient descent: training and deployment base scores under each base optimizer.

Takes a tidy table of per-seed scores that are already fractions of the oracle (the optimizers
study writes them); the only arithmetic here is display: the mean over seeds and their standard
deviation, with every seed drawn as a dot.
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from organisms.metrics import require_columns
from plots import style

COLUMNS = ("condition", "optimizer", "distribution", "seed", "fraction")
"""What ``optimizers`` needs: one row per (condition, optimizer, distribution, seed)."""
OPTIMIZER_COLOURS = (style.OKABE_ITO["black"], style.OKABE_ITO["bluish_green"], style.OKABE_ITO["reddish_purple"],
                     style.OKABE_ITO["sky_blue"], style.OKABE_ITO["orange"])
"""Colours of the optimizers, in order of first appearance."""
MARKERS = {"training": "o", "deployment": "s"}


def optimizers(table: pd.DataFrame, ax: Axes | None = None, colours: dict[str, str] | None = None) -> Figure:
    """For each condition, a group per optimizer: its training score (filled) and deployment score
    (hollow) as fractions of the oracle, mean over seeds with a one-sd bar, every seed a dot.

    Args:
        table: columns ``condition``, ``optimizer``, ``distribution`` ("training" or "deployment"),
            ``seed`` and ``fraction`` (a base score over the oracle's on the same worlds).
        ax: draw into this axes (default: a new figure).
        colours: a colour per optimizer (default: ``OPTIMIZER_COLOURS`` in order of appearance).

    Returns:
        The Figure (the one holding ``ax`` when given).
    """
    require_columns(table, COLUMNS, "optimizers", str(list(COLUMNS)))
    if table.empty:
        raise ValueError("optimizers: the table has no rows")
    unknown = sorted(set(table["distribution"]) - set(MARKERS))
    if unknown:
        raise ValueError(f"optimizers: distribution must be 'training' or 'deployment', got {unknown}")
    conditions = list(dict.fromkeys(table["condition"]))
    names = list(dict.fromkeys(table["optimizer"]))
    colours = {n: (colours or {}).get(n, OPTIMIZER_COLOURS[i % len(OPTIMIZER_COLOURS)]) for i, n in enumerate(names)}
    with style.house_style():
        if ax is None:
            fig, ax = style.new_figure(max(2 * style.COLUMN_WIDTH, 1.4 * len(conditions) + 1.0), 3.0)
        else:
            fig = style.figure_of(ax)
        slot = 0.8 / len(names)
        for c, condition in enumerate(conditions):
            for o, name in enumerate(names):
                for d, (dist, marker) in enumerate(MARKERS.items()):
                    values = table[(table["condition"] == condition) & (table["optimizer"] == name)
                                   & (table["distribution"] == dist)]["fraction"]
                    if values.empty:
                        continue
                    x = c - 0.4 + slot * (o + 0.3 + 0.4 * d)
                    sd = values.std() if len(values) > 1 else 0.0
                    ax.errorbar(x, values.mean(), yerr=sd, color=colours[name], marker=marker, markersize=5,
                                markerfacecolor=colours[name] if dist == "training" else "white",
                                capsize=2, linewidth=1.0, zorder=3)
                    ax.scatter(np.full(len(values), x + 0.06 * slot), values, s=4, color=colours[name],
                               alpha=0.5, linewidths=0, zorder=2)
        for c in range(len(conditions) - 1):
            ax.axvline(c + 0.5, color=style.RC["grid.color"], linewidth=0.8, zorder=0)
        ax.set_xticks(range(len(conditions)), [textwrap.fill(c, 16) for c in conditions], fontsize=7.5)
        ax.set_xlim(-0.5, len(conditions) - 0.5)
        style.reference_line(ax, 1.0, "oracle")
        ax.axhline(0.0, color=style.REFERENCE, linewidth=0.6)
        ax.set_ylabel("base score / oracle")
        handles = [Line2D([], [], color=colours[n], marker="o", linestyle="", label=n) for n in names]
        handles += [Line2D([], [], color="#333333", marker=m, markerfacecolor="#333333" if d == "training"
                           else "white", linestyle="", label=d) for d, m in MARKERS.items()]
        title = ax.set_title("Base score by base optimizer", loc="left")
        style.legend_beside_title(ax, title, handles=handles, ncol=len(handles))
        style.tidy(ax)
    return fig
