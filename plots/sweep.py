"""Figures of a sweep (``evolution.sweep``): a metric against one knob, or over two as a phase diagram.

A sweep table has a row per organism × distribution × sweep point: the ``scenarios.assess`` columns
plus one column per grid key and ``seed``. The numbers drawn are the table's, aggregated by
group-bys: per seed, the population's mean of the metric (NaN rows skipped, so agreement and mesa
are the planners' means); for a ratio "a/b", the mean of a over the mean of b. Then across seeds,
their mean and sd (ddof 1). Each seed is one evolved population, so seeds are the replicates; the
organisms of one population are not independent of each other.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import Colormap, LinearSegmentedColormap, Normalize, to_rgb
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from organisms.metrics import ASSESSMENT_COLUMNS, FEATURE_PREFIXES, SEPARATOR, ratio
from organisms.validation import is_number
from plots import style
from plots.assessment import distributions

ASSESSMENT = ASSESSMENT_COLUMNS
"""Columns of a ``scenarios.assess`` table, besides ``sensor:<f>``, ``outcome:<f>`` and ``behavior*``
(see METRICS.md)."""
RATIOS = {"base/oracle": ("base", "oracle_base"), "intended/oracle": ("intended", "oracle_intended")}
"""Metric names for a score as a fraction of the oracle's on the same worlds."""
GOOD_WHEN_HIGH = ("base", "intended", "fitness", "agreement")
"""Metrics where higher serves the base objective: drawn in the good/bad colours."""
GOOD_HALF = LinearSegmentedColormap.from_list("basemesa_good", [style.GOOD_BAD(0.5), style.GOOD_BAD(1.0)])
BAD_HALF = LinearSegmentedColormap.from_list("basemesa_bad", [style.GOOD_BAD(0.0), style.GOOD_BAD(0.5)])
"""The two halves of the good/bad map, for a score that stays on one side of 0."""
PLANNERS_ONLY = ("agreement", "mesa")
"""NaN for heuristics, so their population mean is the planners' mean."""
DERIVED = ("planner",)
"""Columns a study may add to a sweep table (not knobs): ``planner`` is 1 for a planner and 0 for a
heuristic, so its population mean is the planner share."""


def grid_keys(table: pd.DataFrame) -> list[str]:
    """The table's sweep knobs: every column that is neither an assessment column nor ``seed``."""
    return [c for c in table.columns if c not in ASSESSMENT and c not in DERIVED and c != "seed"
            and not c.startswith((*(p + SEPARATOR for p in FEATURE_PREFIXES), "behavior"))]


def _parts(table: pd.DataFrame, metric: str) -> tuple[str, str | None]:
    """(numerator, denominator or None) columns of a metric; a ValueError lists the choices."""
    if metric in RATIOS:
        parts = RATIOS[metric]
    elif "/" in metric:
        parts = tuple(metric.split("/", 1))
    else:
        parts = (metric, None)
    columns = [c for c in parts if c is not None]
    if any(c not in table.columns or not pd.api.types.is_numeric_dtype(table[c]) for c in columns):
        numeric = [c for c in table.columns if c not in ("organism", "seed", *grid_keys(table))
                   and pd.api.types.is_numeric_dtype(table[c])]
        raise ValueError(f"metric: {metric!r} is not a numeric column of the table nor a ratio of two; "
                         f"choose from {[*RATIOS, *numeric]}")
    return parts


def seed_values(table: pd.DataFrame, keys: list[str], metric: str) -> pd.Series:
    """The metric per (keys..., seed): the population mean, or for "a/b" mean(a) / mean(b).

    A ratio whose denominator is not positive (the oracle gained nothing on those worlds) is NaN.
    """
    numerator, denominator = _parts(table, metric)
    seeds = ["seed"] if "seed" in table.columns else []
    columns = [numerator] if denominator is None else [numerator, denominator]
    means = table.groupby([*keys, *seeds], sort=True)[columns].mean()
    if denominator is None:
        return means[numerator].rename(metric)
    return pd.Series(ratio(means[numerator], means[denominator]), index=means.index, name=metric)


def seed_stats(table: pd.DataFrame, keys: list[str], metric: str) -> pd.DataFrame:
    """Per keys: ``mean`` and ``sd`` (ddof 1) of the seeds' values (``seed_values``) and ``seeds``."""
    per_seed = seed_values(table, keys, metric)
    return per_seed.groupby(level=keys, sort=True).agg(mean="mean", sd="std", seeds="count")


def metric_label(metric: str) -> str:
    """How a metric reads on an axis."""
    if metric in RATIOS:
        return f"{RATIOS[metric][0]} score / oracle's"
    if "/" in metric:
        return " / ".join(metric.split("/", 1))
    if metric == "agreement":
        return "agreement(base, mesa)\nplanners' mean"
    if metric == "planner":
        return "planner share"
    if metric in PLANNERS_ONLY:
        return f"{metric}\nplanners' mean"
    if metric.startswith("sensor:"):
        return f"share with sensor on: {metric.split(':', 1)[1]}"
    if metric.startswith("outcome:"):
        return f"outcome: {metric.split(':', 1)[1]}, per episode\npopulation mean"
    return f"{metric}\npopulation mean"


def _title(metric: str) -> str:
    label = metric_label(metric).split("\n")[0]
    return label[0].upper() + label[1:]


def knob_label(knob: str) -> str:
    """How a grid key reads on an axis ("banner_reliability" -> "banner reliability")."""
    return knob.replace("_", " ")


def _numeric(values: list) -> bool:
    return all(is_number(v) for v in values)


def _tick(value: object) -> str:
    return f"{value:g}" if _numeric([value]) else str(value)


def knob_values(table: pd.DataFrame, knob: str) -> list:
    """A knob's values in axis order: ascending if numeric, else in order of appearance (grid order)."""
    values = list(dict.fromkeys(table[knob]))
    return sorted(values) if _numeric(values) else values


def _select(table: pd.DataFrame, knobs: list[str], distribution: str | None) -> pd.DataFrame:
    """Check the knobs and the distribution; refuse a third knob that varies (it would be averaged)."""
    for knob in knobs:
        if knob not in table.columns:
            raise ValueError(f"knob: {knob!r} is not a column of the table; its grid keys are {grid_keys(table)}")
    if "distribution" not in table.columns:
        raise ValueError("table: no 'distribution' column; expected an evolution.sweep table")
    varying = [k for k in grid_keys(table) if k not in knobs and table[k].nunique() > 1]
    if varying:
        fixed = ", ".join(f"table[table[{k!r}] == {_tick(table[k].iloc[0])}]" for k in varying)
        raise ValueError(f"table: knob(s) {varying} vary too and would be averaged over; select one value "
                         f"first, e.g. {fixed}")
    if distribution is not None and distribution not in set(table["distribution"]):
        raise ValueError(f"distribution: {distribution!r} is not in the table; choose from "
                         f"{distributions(table)}")
    return table


def _reference_lines(ax: Axes, metric: str) -> None:
    if metric in RATIOS:
        style.reference_line(ax, 1.0, "oracle")
        style.reference_line(ax, 0.0, "nothing gained")
    elif metric == "agreement":
        style.reference_line(ax, 0.0)
        ax.set_ylim(-1.05, 1.05)
    elif metric.startswith("sensor:"):
        ax.set_ylim(-0.03, 1.03)
    else:
        style.reference_line(ax, 0.0)


def sweep_curve(table: pd.DataFrame, knob: str, metric: str = "base/oracle", distribution: str | None = None,
                ax: Axes | None = None) -> Figure:
    """A metric against one knob, a line per distribution, with a band of ± one sd across seeds.

    The line is the mean over seeds of each seed's population mean (or, for "base/oracle", of each
    seed's mean base score over its oracle's); the band is ± the sd of those seed values, drawn
    when there are at least two seeds.

    Args:
        table: an ``evolution.sweep`` table (one row per organism × distribution × point, grid-key
            columns and ``seed``). Any other knob in it must hold one value (filter first).
        knob: the grid key on the x axis.
        metric: a numeric column (e.g. "agreement", "fitness", "sensor:diplomacy"), "base/oracle",
            "intended/oracle", or "a/b" for any two columns.
        distribution: draw only this one; by default every distribution in the table.
        ax: an axes to draw into; by default a new figure.

    Returns:
        The Figure drawn into.
    """
    _select(table, [knob], distribution)
    dists = [distribution] if distribution is not None else distributions(table)
    n_seeds = table["seed"].nunique() if "seed" in table.columns else 1
    values = knob_values(table, knob)
    numeric = _numeric(values)
    # Numeric knobs keep their spacing (0.9 sits near 1.0); others are evenly spaced categories.
    position = {v: (float(v) if numeric else float(k)) for k, v in enumerate(values)}
    deploys = [d for d in distributions(table) if d != "train"]
    with style.house_style():
        if ax is None:
            fig, ax = style.new_figure(style.COLUMN_WIDTH + 0.6, 2.9)
        else:
            fig = style.figure_of(ax)
        _reference_lines(ax, metric)
        for dist in dists:
            colour = style.TRAIN if dist == "train" else style.DEPLOY[deploys.index(dist) % len(style.DEPLOY)]
            stats = seed_stats(table[table["distribution"] == dist], [knob], metric)
            stats = stats.reindex([v for v in values if v in stats.index])
            x = np.array([position[v] for v in stats.index])
            mean, sd = stats["mean"].to_numpy(float), stats["sd"].to_numpy(float)
            ax.plot(x, mean, color=colour, marker="o", markersize=3.5, label=dist, zorder=3)
            if n_seeds > 1:
                ax.fill_between(x, mean - sd, mean + sd, color=colour, alpha=0.18, linewidth=0, zorder=2)
        ax.set_xticks([position[v] for v in values], [_tick(v) for v in values])
        ax.set_xlabel(knob_label(knob))
        ax.set_ylabel(metric_label(metric))
        # The x label names the knob; a shorter title leaves room for the legend beside it.
        title = ax.set_title(_title(metric), loc="left")
        style.tidy(ax)
        handles, labels = ax.get_legend_handles_labels()
        if n_seeds > 1:
            handles.append(Patch(color=style.REFERENCE, alpha=0.3, linewidth=0))
            labels.append(f"mean ± sd, {n_seeds} seeds")
        style.legend_beside_title(ax, title, handles=handles, labels=labels)
    return fig


def _colours(metric: str, values: np.ndarray) -> tuple[Colormap | str, Normalize]:
    """Colour map and norm, 0 always on the scale.

    Ratios to the oracle and agreement: diverging on a fixed symmetric range centred on 0, so
    diagrams of train and deploy compare at a glance. Other metrics: diverging centred on 0 where
    the values straddle it, else one-sided from 0 (half the good/bad map for scores, cividis for
    the rest).
    """
    finite = values[np.isfinite(values)]
    lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    top = max(abs(lo), abs(hi)) or 1.0
    good = metric.split("/", 1)[0] in GOOD_WHEN_HIGH
    if metric == "agreement":
        return style.GOOD_BAD, Normalize(-1.0, 1.0)
    if metric in RATIOS:
        # 0 is "nothing gained", 1 the oracle: a symmetric range keeps harm and gain equally vivid.
        top = max(top, 1.0)
        return style.GOOD_BAD, Normalize(-top, top)
    if lo < 0 < hi:
        return (style.GOOD_BAD if good else "PuOr_r"), Normalize(-top, top)
    if not good:
        return "cividis", Normalize(min(lo, 0.0), max(hi, 0.0))
    if lo >= 0:
        return GOOD_HALF, Normalize(0.0, top)
    return BAD_HALF, Normalize(-top, 0.0)


def phase_diagram(table: pd.DataFrame, x: str, y: str, metric: str = "base/oracle",
                  distribution: str | None = None, ax: Axes | None = None,
                  boundary: pd.DataFrame | None = None) -> Figure:
    """A heat map of a metric over two knobs, averaged over seeds, each cell annotated.

    Each cell is the mean over seeds of the seed's population value (as in ``sweep_curve``), with
    the sd across seeds beneath it. Scores and agreement use the good/bad colours (green serves the
    base objective, vermillion harms it) centred on 0; other signed metrics a neutral diverging
    map centred on 0; non-negative ones a sequential map. Grid points not in the table are blank.

    Args:
        table: an ``evolution.sweep`` table; any third knob must hold one value (filter first).
        x: the grid key across (columns).
        y: the grid key up (rows, lowest value at the bottom).
        metric: as in ``sweep_curve``.
        distribution: which distribution's numbers; by default the first deployment (where
            pseudo-alignment shows), or "train" if there is none.
        ax: an axes to draw into; by default a new figure.
        boundary: a predicted boundary to draw over the cells: a table with the ``x`` and ``y`` knob
            columns and ``margin`` (e.g. ``scenarios.analyses.landscape.landscape``: the best planner's fitness
            minus the best heuristic's); its zero contour is drawn, linear between cell centres.

    Returns:
        The Figure drawn into.
    """
    if x == y:
        raise ValueError(f"x and y: must be two different knobs, got {x!r} twice")
    _select(table, [x, y], distribution)
    if distribution is None:
        deploys = [d for d in distributions(table) if d != "train"]
        distribution = deploys[0] if deploys else "train"
    rows = table[table["distribution"] == distribution]
    stats = seed_stats(rows, [y, x], metric)
    xs, ys = knob_values(table, x), knob_values(table, y)
    grid = stats["mean"].unstack(x).reindex(index=ys, columns=xs)
    sd = stats["sd"].unstack(x).reindex(index=ys, columns=xs)
    n_seeds = table["seed"].nunique() if "seed" in table.columns else 1
    values = grid.to_numpy(float)
    cmap, norm = _colours(metric, values)
    with style.house_style():
        if ax is None:
            fig, ax = style.new_figure(max(style.COLUMN_WIDTH, 1.9 + 0.72 * len(xs)), 1.3 + 0.55 * len(ys))
        else:
            fig = style.figure_of(ax)
        image = ax.imshow(np.ma.masked_invalid(values), cmap=cmap, norm=norm, origin="lower", aspect="auto")
        ax.set_xticks(np.arange(len(xs)), [_tick(v) for v in xs])
        ax.set_yticks(np.arange(len(ys)), [_tick(v) for v in ys])
        ax.set_xlabel(knob_label(x))
        ax.set_ylabel(knob_label(y))
        for (i, j), value in np.ndenumerate(values):
            if not np.isfinite(value):
                continue
            # Dark text on light cells, white on saturated ones (relative luminance of the cell).
            r, g, b = to_rgb(image.cmap(image.norm(value)))
            colour = "#1a1a1a" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.45 else "white"
            text = f"{value:.2f}"
            if n_seeds > 1 and np.isfinite(sd.iat[i, j]):
                text += f"\n±{sd.iat[i, j]:.2f}"
            ax.text(j, i, text, ha="center", va="center", fontsize=7.5, color=colour, linespacing=1.1)
        style.tidy(ax, grid=None)
        # Thin white borders keep neighbouring cells of near-equal colour apart.
        ax.set_xticks(np.arange(len(xs) + 1) - 0.5, minor=True)
        ax.set_yticks(np.arange(len(ys) + 1) - 0.5, minor=True)
        ax.grid(True, which="minor", color="white", linewidth=1.5)
        ax.tick_params(which="both", length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        bar = fig.colorbar(image, ax=ax, shrink=0.9, aspect=15, pad=0.03)
        seeds = f"mean ± sd, {n_seeds} seeds" if n_seeds > 1 else "1 seed"
        bar.set_label(f"{metric_label(metric).split(chr(10))[0]}\n({seeds})")
        bar.outline.set_visible(False)
        ax.set_title(f"{_title(metric)} on {distribution}", loc="left")
        if boundary is not None:
            _draw_boundary(ax, boundary, x, y, xs, ys)
    return fig


def _draw_boundary(ax: Axes, boundary: pd.DataFrame, x: str, y: str, xs: list, ys: list) -> None:
    """The zero contour of ``boundary["margin"]`` over the cells, with a legend entry below the axes."""
    missing = [c for c in (x, y, "margin") if c not in boundary.columns]
    if missing:
        raise ValueError(f"boundary: needs columns {[x, y, 'margin']}; missing {missing}")
    margin = boundary.groupby([y, x])["margin"].mean().unstack(x).reindex(index=ys, columns=xs).to_numpy(float)
    finite = margin[np.isfinite(margin)]
    # A contour needs both signs on a grid of at least 2 x 2 cells; otherwise there is no boundary inside.
    if margin.shape[0] >= 2 and margin.shape[1] >= 2 and (finite > 0).any() and (finite < 0).any():
        ax.contour(np.arange(len(xs)), np.arange(len(ys)), np.ma.masked_invalid(margin), levels=[0.0],
                   colors="black", linewidths=1.6, linestyles="--", zorder=4)
        label = "predicted boundary (margin = 0)"
    else:
        label = "predicted boundary: none inside (one kind wins everywhere)"
    handle = Line2D([], [], color="black", linewidth=1.6, linestyle="--")
    ax.legend([handle], [label], loc="upper left", bbox_to_anchor=(-0.02, -0.11), frameon=False, fontsize=7)
