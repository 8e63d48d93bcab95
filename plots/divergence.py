"""The headline figure: over generations, does the evolved population keep serving the base
objective when the world shifts?

Drawn from a run's log alone (``run.log``, a row per generation); nothing is recomputed here but
the normalisation by the oracle's score on the same worlds.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from organisms.metrics import TRAIN, log_column, ratio, require_columns
from organisms.metrics import deploy_names as _deploy_columns
from plots import style


def deploy_names(log: pd.DataFrame) -> list[str]:
    """Deployment distributions in a run log, in column order (from ``<name>:base_mean``)."""
    return _deploy_columns(log.columns)


def _require(log: pd.DataFrame, columns: list[str]) -> None:
    require_columns(log, columns, "run.log", "a basemesa run log")


def _line_kw(n: int) -> dict:
    # With a handful of generations a bare line is hard to read; mark the points.
    return {"marker": "o", "markersize": 3} if n <= 12 else {}


def _series(log: pd.DataFrame) -> list[tuple[str, str, str]]:
    """(legend label, distribution, colour) for train and each deployment distribution."""
    out = [(TRAIN, TRAIN, style.TRAIN)]
    for k, name in enumerate(deploy_names(log)):
        out.append((name, name, style.DEPLOY[k % len(style.DEPLOY)]))
    return out


def _intended_differs(log: pd.DataFrame, dist: str) -> bool:
    """Whether the log has the intended goal's score on a distribution and it differs from the base's.

    When the intended goal is the base objective the two columns are equal in every generation, and
    an intended line would only hide under the base line.
    """
    columns = [log_column("intended", dist), log_column("oracle_intended", dist)]
    if any(c not in log.columns for c in columns):
        return False
    return not (np.allclose(log[columns[0]], log[log_column("base", dist)], equal_nan=True)
                and np.allclose(log[columns[1]], log[log_column("oracle_base", dist)], equal_nan=True))


INTENDED_STYLE = {"linestyle": ":", "linewidth": 1.8}
"""The intended goal's lines: dotted, in the distribution's colour."""
CONTESTED_STYLE = {"linestyle": (0, (4, 2)), "linewidth": 1.0}
"""The contested-kinds agreement lines: thin dashes, in the deployment's colour."""


def draw_base_vs_oracle(ax: Axes, log: pd.DataFrame) -> None:
    """Panel (a): the population's mean base score as a fraction of the oracle's, per distribution.

    Where the log has an intended goal that differs from the base objective (``intended_mean``,
    ``oracle_intended``; ``<deploy>:intended_mean``, ``<deploy>:oracle_intended``), its score as a
    fraction of the intended-goal oracle's is drawn dotted beside the base line.
    """
    series = _series(log)
    _require(log, ["generation", log_column("base"), *(log_column("oracle_base", d) for _, d, _ in series)])
    x = log["generation"].to_numpy()
    style.reference_line(ax, 1.0, "oracle")
    style.reference_line(ax, 0.0, "nothing gained")
    intended = [(label, dist, colour) for label, dist, colour in series if _intended_differs(log, dist)]
    for label, dist, colour in series:
        ax.plot(x, ratio(log[log_column("base", dist)], log[log_column("oracle_base", dist)]), color=colour,
                label=label, zorder=3, **_line_kw(len(x)))
    for label, dist, colour in intended:
        ax.plot(x, ratio(log[log_column("intended", dist)], log[log_column("oracle_intended", dist)]), color=colour,
                label=f"{label}, intended goal", zorder=3, **INTENDED_STYLE, **_line_kw(len(x)))
    if intended:
        ax.set_ylabel("score / oracle's\n(oracle of the same goal)")
        title = ax.set_title("(a) Base and intended score / oracle's", loc="left")
    else:
        ax.set_ylabel("base score / oracle's")
        title = ax.set_title("(a) Base score / oracle's", loc="left")
    style.legend_beside_title(ax, title)
    style.tidy(ax)


def draw_agreement(ax: Axes, log: pd.DataFrame, legend: bool = True) -> None:
    """Panel (b): agreement(base, mesa) of the planners, on train and on each deployment.

    Where the log has ``<deploy>:contested`` (agreement over the kinds the shift contests, see
    METRICS.md), it is drawn as a thin dashed line in the deployment's colour: over every kind the
    agreement of a pseudo-aligned planner can sit anywhere, over the contested kinds it is -1.
    """
    series = _series(log)
    columns = [log_column("agreement", d) for _, d, _ in series]
    _require(log, ["generation", *columns])
    x = log["generation"].to_numpy()
    style.reference_line(ax, 0.0)
    for (label, _, colour), column in zip(series, columns):
        ax.plot(x, log[column].to_numpy(float), color=colour, label=label, zorder=3, **_line_kw(len(x)))
    contested = [(label, log_column("contested_agreement", d), colour) for label, d, colour in series[1:]]
    contested = [(label, column, colour) for label, column, colour in contested
                 if column in log.columns and log[column].notna().any()]
    for label, column, colour in contested:
        ax.plot(x, log[column].to_numpy(float), color=colour, label=f"{label}, contested kinds", zorder=3,
                **CONTESTED_STYLE, **_line_kw(len(x)))
    ax.set_ylim(-1.05, 1.05)
    ax.set_yticks([-1, -0.5, 0, 0.5, 1])
    ax.set_ylabel("agreement(base, mesa)\nplanners' mean")
    title = ax.set_title("(b) Agreement with the base objective", loc="left")
    if legend:
        style.legend_beside_title(ax, title)
    elif contested:
        # The colours are (a)'s; only the contested lines need saying what they are.
        lines = [line for line in ax.get_lines() if line.get_label().endswith(", contested kinds")]
        style.legend_beside_title(ax, title, handles=lines, labels=[line.get_label() for line in lines])
    style.tidy(ax)


def draw_population(ax: Axes, log: pd.DataFrame) -> None:
    """Panel (c): the share of planners and of each sensor switched on, per generation."""
    _require(log, ["generation", "planner_share"])
    x = log["generation"].to_numpy()
    ax.plot(x, log["planner_share"].to_numpy(float), color=style.OKABE_ITO["black"],
            label="planners", zorder=3, **_line_kw(len(x)))
    sensors = [c for c in log.columns if c.startswith("sensor:")]
    for k, column in enumerate(sensors):
        ax.plot(x, log[column].to_numpy(float), color=style.SERIES[k % len(style.SERIES)],
                linestyle=(0, (4, 1.5)), label=f"sensor on: {column.split(':', 1)[1]}", zorder=3,
                **_line_kw(len(x)))
    ax.set_ylim(-0.03, 1.03)
    ax.set_ylabel("share of population")
    title = ax.set_title("(c) Who is selected: planners and sensors", loc="left")
    style.legend_beside_title(ax, title)
    style.tidy(ax)


def divergence(run: Any, ax: Axes | None = None) -> Figure:
    """The headline figure: agreement with the base objective on training vs deployment.

    Three stacked panels sharing the generation axis: (a) base score as a fraction of the oracle's
    on train and each deployment distribution, and, dotted, the intended score as a fraction of the
    intended-goal oracle's where the intended goal differs from the base objective; (b) the
    planners' agreement(base, mesa) there, and, thin dashes, the agreement over each deployment's
    contested kinds where the log has it; (c) the share of planners and of each sensor. The gap between the train and deploy lines is
    pseudo-alignment. Remember that the kind gene only selects between two hand-built
    architectures: the figure shows which one selection favours and what goal it keeps.

    Args:
        run: anything with ``.log`` (a run log DataFrame) and optionally ``.scenario.name``; a bare
            log DataFrame is accepted too.
        ax: if given, draw only panel (a) into it.

    Returns:
        The Figure drawn into.
    """
    log = run if isinstance(run, pd.DataFrame) else run.log
    name = getattr(getattr(run, "scenario", None), "name", None)
    with style.house_style():
        if ax is not None:
            draw_base_vs_oracle(ax, log)
            return style.figure_of(ax)
        fig, axes = style.new_figure(4.6, 6.6, nrows=3, sharex=True,
                                     gridspec_kw={"height_ratios": [1.15, 1.0, 0.85]})
        draw_base_vs_oracle(axes[0], log)
        draw_agreement(axes[1], log, legend=False)  # same series, same colours as (a)
        draw_population(axes[2], log)
        axes[-1].set_xlabel("generation")
        # Generations are whole numbers; never tick 2.5.
        axes[-1].xaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))
        if name:
            fig.suptitle(f"{name}: training vs deployment", x=0.02,
                         ha="left")
    return fig
