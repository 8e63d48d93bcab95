"""Bounded planners want a different goal: the best mesa-objective's angle to the base objective and
its advantage over the base objective's own pursuer, against the planner's horizon.

Takes the per-(horizon, seed) table of ``scenarios.analyses.bounded.horizon_table``; the only
arithmetic here is display (the mean over seeds, every seed a dot).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from organisms.metrics import require_columns
from plots import style

COLUMNS = ("horizon", "seed", "angle", "advantage", "se")
"""What ``bounded_planners`` needs: one row per (horizon, seed); ``horizon`` NaN means unbounded."""


def bounded_planners(table: pd.DataFrame, axes: tuple[Axes, Axes] | None = None) -> Figure:
    """Two panels against the horizon (unbounded last): the best mesa-objective's angle to the base
    objective (degrees) and its advantage in base score per episode over the base pursuer.

    Args:
        table: ``horizon`` (NaN or None: unbounded), ``seed``, ``angle``, ``advantage``, ``se``.
        axes: two axes to draw into (default: a new figure).

    Returns:
        The Figure (the one holding ``axes`` when given).
    """
    require_columns(table, COLUMNS, "bounded_planners", str(list(COLUMNS)))
    if table.empty:
        raise ValueError("bounded_planners: the table has no rows")
    horizons = pd.to_numeric(table["horizon"], errors="coerce")
    finite = sorted(horizons.dropna().unique())
    order = {h: i for i, h in enumerate(finite)}
    x = horizons.map(lambda h: order.get(h, len(finite)) if h == h else len(finite))
    labels = [f"{h:g}" for h in finite] + (["∞"] if horizons.isna().any() else [])
    colour = style.KIND["planner"]
    with style.house_style():
        if axes is None:
            fig, axes = style.new_figure(2 * style.COLUMN_WIDTH, 2.6, ncols=2)
        else:
            fig = style.figure_of(axes[0])
        for ax, column, ylabel, title in (
                (axes[0], "angle", "degrees", "Best mesa-objective's angle to the base objective"),
                (axes[1], "advantage", "base score per episode", "Its advantage over the base pursuer")):
            means = table.groupby(x)[column].mean()
            ax.plot(means.index, means.to_numpy(), color=colour, linewidth=1.2, marker="o", markersize=4, zorder=3)
            jitter = np.random.default_rng(0).uniform(-0.08, 0.08, len(table))
            ax.scatter(x + jitter, table[column], s=6, color=colour, alpha=0.5, linewidths=0, zorder=2)
            ax.axhline(0.0, color=style.REFERENCE, linewidth=0.6)
            ax.set_xticks(range(len(labels)), labels)
            ax.set_xlabel("planner's horizon (steps)")
            ax.set_ylabel(ylabel)
            ax.set_title(title, loc="left", fontsize=8)
            style.tidy(ax)
    return fig
