"""Capability beside goal: where each CoinRun run lands in the 2 x 2.

Takes the per-(regime, seed) table of ``studies.coinrun_2x2`` (one row per run, its retentions
already computed by ``scenarios.analyses.coinrun.retention``); the only arithmetic here is display.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from organisms.metrics import require_columns
from plots import style

COLUMNS = ("regime", "seed", "capability_retained", "goal_retained")
"""What ``capability_goal`` needs: one row per (regime, seed)."""

REGIME_LABELS = {
    "both_generalize": "both generalize",
    "goal_fails": "goal fails",
    "capability_fails": "capability fails",
    "both_fail": "both fail",
}
"""The regimes in legend order, with their readable names."""


def capability_goal(table: pd.DataFrame, holds: float, fails: float, ax: Axes | None = None) -> Figure:
    """Capability retained (x) against capability-matched goal retained (y), a dot per run coloured
    by regime, with the cells' thresholds drawn as quadrant lines.

    Args:
        table: ``regime``, ``seed``, ``capability_retained``, ``goal_retained``.
        holds, fails: a retention at or above ``holds`` holds, at or below ``fails`` fails.
        ax: an axes to draw into (default: a new figure).

    Returns:
        The Figure (the one holding ``ax`` when given).
    """
    require_columns(table, COLUMNS, "capability_goal", str(list(COLUMNS)))
    if table.empty:
        raise ValueError("capability_goal: the table has no rows")
    regimes = [r for r in REGIME_LABELS if r in set(table["regime"])]
    regimes += sorted(set(table["regime"]) - set(regimes))
    with style.house_style():
        if ax is None:
            fig, ax = style.new_figure(style.COLUMN_WIDTH * 1.25, 3.4)
        else:
            fig = style.figure_of(ax)
        for value in (holds, fails):
            ax.axvline(value, color=style.REFERENCE, linewidth=0.6, linestyle="--" if value == fails else "-")
            ax.axhline(value, color=style.REFERENCE, linewidth=0.6, linestyle="--" if value == fails else "-")
        for i, regime in enumerate(regimes):
            part = table[table["regime"] == regime]
            ax.scatter(part["capability_retained"], part["goal_retained"], s=18, alpha=0.85, linewidths=0,
                       color=style.SERIES[i % len(style.SERIES)], label=REGIME_LABELS.get(regime, regime), zorder=3)
        top = max(1.25, float(table["goal_retained"].max()) + 0.05)
        ax.set_xlim(0.0, max(1.1, float(table["capability_retained"].max()) + 0.05))
        ax.set_ylim(0.0, top)
        ax.set_xlabel("capability retained (navigation, deploy / train)")
        ax.set_ylabel("goal retained (base score vs a pursuer\nwith the same horizon and map, deploy / train)")
        ax.set_title(f"Solid: holds (>= {holds:g}); dashed: fails (<= {fails:g})", loc="left", fontsize=7)
        ax.legend(loc="center left", fontsize=7, frameon=False, bbox_to_anchor=(1.0, 0.5))
        style.tidy(ax, grid=None)
    return fig
