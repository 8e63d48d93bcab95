"""Where a story's signature holds: one panel per knob varied one at a time, and the sensitivity
indices of its headline number when the knobs vary together.

Takes the tables of ``studies.robustness`` (the analysis is ``scenarios.analyses.robustness``); the
only arithmetic here is display: the mean over seeds, every seed a dot.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from organisms.metrics import require_columns
from plots import style

HOLDS = style.OKABE_ITO["bluish_green"]
"""Shade of the values where the signature holds."""


def _label(value: Any) -> str:
    return f"{value:g}" if isinstance(value, (int, float, np.number)) and not isinstance(value, bool) else str(value)


def robustness_map(runs: pd.DataFrame, points: pd.DataFrame, defaults: Mapping[str, Any], headline: str,
                   indices: pd.DataFrame | None = None, title: str | None = None,
                   threshold: float | None = None, indices_title: str = "Sobol indices") -> Figure:
    """A panel per knob: the headline number per seed (dots) and its mean (line) at each value, the
    default marked (a dashed line), the values where the signature holds shaded; then a bar chart of
    the first-order and total sensitivity indices, with their 95 % intervals.

    Args:
        runs: one row per run: ``knob``, ``value``, ``seed`` and the ``headline`` column; knob
            ``"default"`` holds the runs at the defaults, drawn in every panel at its default value.
        points: one row per (knob, value) with ``holds``.
        defaults: each knob's default value.
        headline: the column drawn.
        indices: ``knob``, ``S1``, ``S1_conf``, ``ST``, ``ST_conf`` (None: no bar chart).
        title: the figure's title.
        threshold: the headline's claim threshold, drawn as a dotted line (None: none).
        indices_title: the bar chart's title.

    Returns:
        The Figure.
    """
    require_columns(runs, ("knob", "value", "seed", headline), "robustness_map", "the runs table")
    require_columns(points, ("knob", "value", "holds"), "robustness_map", "the points table")
    knobs = [k for k in dict.fromkeys(points.knob) if k != "default"]
    if not knobs:
        raise ValueError("robustness_map: the points table varies no knob")
    at_default = runs[runs.knob == "default"]
    default_holds = bool(points.loc[points.knob == "default", "holds"].iloc[0])
    panels = len(knobs) + (indices is not None)
    ncols = min(4, panels)
    nrows = math.ceil(panels / ncols)
    with style.house_style():
        fig, axes = style.new_figure(1.75 * ncols, 1.9 * nrows + 0.4, nrows=nrows, ncols=ncols, squeeze=False)
        axes = list(axes.flat)
        for ax, knob in zip(axes, knobs):
            part = pd.concat([runs[runs.knob == knob], at_default.assign(value=defaults[knob])])
            holds = {**dict(zip(points[points.knob == knob].value, points[points.knob == knob].holds)),
                     defaults[knob]: default_holds}
            values = list(holds)
            numeric = all(isinstance(v, (int, float, np.number)) and not isinstance(v, bool) for v in values)
            values = sorted(values) if numeric else [defaults[knob], *values[:-1]]
            x = {v: i for i, v in enumerate(values)}
            for v in values:
                if holds[v]:
                    ax.axvspan(x[v] - 0.5, x[v] + 0.5, color=HOLDS, alpha=0.18, linewidth=0, zorder=0)
            pos = part.value.map(x).to_numpy(dtype=float)
            jitter = np.random.default_rng(0).uniform(-0.12, 0.12, len(part))
            ax.scatter(pos + jitter, part[headline], s=5, color=style.OKABE_ITO["black"], alpha=0.45,
                       linewidths=0, zorder=2)
            means = part.groupby(pos)[headline].mean()
            ax.plot(means.index, means.to_numpy(), color=style.OKABE_ITO["black"], linewidth=1.0, zorder=3)
            ax.axvline(x[defaults[knob]], color=style.REFERENCE, linestyle="--", linewidth=0.8, zorder=1)
            if threshold is not None:
                ax.axhline(threshold, color=style.REFERENCE, linestyle=":", linewidth=0.8, zorder=1)
            ax.set_xticks(range(len(values)), [_label(v) for v in values], rotation=45 if len(values) > 5 or not numeric else 0)
            ax.set_xlim(-0.5, len(values) - 0.5)
            ax.set_title(knob, loc="left", fontsize=8)
            style.tidy(ax)
        for ax in axes[:len(knobs)]:
            if axes.index(ax) % ncols == 0:
                ax.set_ylabel(headline, fontsize=7)
        if indices is not None:
            ax = axes[len(knobs)]
            y = np.arange(len(indices))
            for offset, column, colour in ((-0.18, "S1", style.OKABE_ITO["sky_blue"]),
                                           (0.18, "ST", style.OKABE_ITO["blue"])):
                ax.barh(y + offset, indices[column], height=0.34, xerr=indices[f"{column}_conf"], color=colour,
                        label=column, error_kw={"linewidth": 0.6, "capsize": 1.5})
            ax.set_yticks(y, list(indices.knob), fontsize=7)
            ax.invert_yaxis()
            ax.axvline(0.0, color=style.REFERENCE, linewidth=0.6)
            ax.set_title(indices_title, loc="left", fontsize=8)
            ax.legend(loc="lower right", fontsize=7)
            style.tidy(ax, grid="x")
        for ax in axes[panels:]:
            ax.set_visible(False)
        if title:
            dotted = " · dotted: the claim's threshold" if threshold is not None else ""
            fig.suptitle(f"{title}\nshaded: holds · dashed: default{dotted} · dots: seeds", fontsize=8.5)
    return fig
