"""Figures of an assessment table (``scenarios.assess``): one row per (organism, distribution).

The numbers are the table's; the only arithmetic here is display: scores divided by the oracle's
score on the same worlds, means over organisms, and (with a ``seed`` column) the mean and sd of
the seeds' means.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from organisms.metrics import ratio, require_columns
from plots import style

KINDS = ("planner", "cue_planner", "tied_planner", "heuristic")
METRICS = (("base", "oracle_base", "base objective / oracle"),
           ("intended", "oracle_intended", "intended goal / oracle"),
           ("capability", None, "own objective / own-objective planner"))
"""(column, oracle column, legend words) per bar metric. ``capability`` is a ratio already (the
organism's score under its own objective over a full-capability planner's pursuing it), so it has
no oracle column: its bar is the mean of the ratio."""
HATCH = {"base": None, "intended": "////", "capability": "...."}
"""How a bar says its metric (the colour says the organism kind): base solid, the others hatched."""
METRIC_KEY = "#555555"
"""The legend's metric entries are grey: their hatching, not their colour, is the key."""


def _require(table: pd.DataFrame, columns: list[str]) -> None:
    require_columns(table, columns, "assessment", "a scenarios.assess table")


def distributions(table: pd.DataFrame) -> list[str]:
    """The table's distributions: "train" first, then deployments in order of appearance."""
    names = list(dict.fromkeys(table["distribution"]))
    return sorted(names, key=lambda d: d != "train")


def _intended_is_base(table: pd.DataFrame) -> bool:
    """True when the scenario's intended goal is its base objective (no outer-alignment gap to show)."""
    return bool(np.allclose(table["intended"], table["base"], equal_nan=True)
                and np.allclose(table["oracle_intended"], table["oracle_base"], equal_nan=True))


def score_ratios(table: pd.DataFrame) -> pd.DataFrame:
    """Mean score / oracle's score per (distribution, kind, metric), with sd and seed count.

    Metrics: ``base`` and ``intended`` (mean score over the mean oracle score) and, where the table
    has it, ``capability`` (the mean of the per-organism ratio, NaNs skipped; all-NaN for heuristics
    assessed without behavior). With a ``seed`` column each seed's ratio is computed first, then
    the mean and sd (ddof 1) across seeds; without one, sd is NaN.
    """
    seeds = ["seed"] if "seed" in table.columns else []
    rows = []
    for metric, oracle, _ in METRICS:
        if metric not in table.columns:
            continue
        keys = [*seeds, "distribution", "kind"]
        if oracle is None:
            values = table.groupby(keys, sort=False)[metric].mean()
        else:
            grouped = table.groupby(keys, sort=False)[[metric, oracle]].mean()
            # An oracle that gained nothing (or lost) leaves nothing to be a fraction of: NaN.
            values = pd.Series(ratio(grouped[metric], grouped[oracle]), index=grouped.index)
        per = values.rename("ratio").reset_index()
        per["metric"] = metric
        rows.append(per)
    per_seed = pd.concat(rows, ignore_index=True)
    out = per_seed.groupby(["distribution", "kind", "metric"], sort=False)["ratio"].agg(
        mean="mean", sd="std", seeds="count").reset_index()
    if not seeds:
        out["sd"] = np.nan
    return out


def _count(table: pd.DataFrame, kind: str, distribution: str, n_seeds: int) -> str:
    """How many organisms of a kind a bar stands for (and in how many seeds, when some lack it)."""
    rows = table[(table["kind"] == kind) & (table["distribution"] == distribution)]
    text = f"n={len(rows)}"
    if n_seeds > 1 and rows["seed"].nunique() < n_seeds:
        text += f" in {rows['seed'].nunique()} of {n_seeds} seeds"
    return text


def train_vs_deploy(assessment: pd.DataFrame, ax: Axes | None = None) -> Figure:
    """Grouped bars: does the goal generalize, or only the capability?

    Per distribution and organism kind (colour), up to three bars (hatching): the mean base score
    as a fraction of the oracle's (solid); the intended score as a fraction of the intended-goal
    oracle's (drawn only when the intended goal differs from the base objective); and the mean
    ``capability``, the organism's score under its own objective as a fraction of a full-capability
    planner's pursuing that objective (drawn where defined: heuristics have it only when assessed
    with ``behavior=True``). A pseudo-aligned population keeps its own-objective bar near 1 on
    deployment while its base bar drops. With a ``seed`` column, bars are means across seeds with
    sd error bars.

    Args:
        assessment: a ``scenarios.assess`` table, optionally with a ``seed`` column.
        ax: an axes to draw into; by default a new figure.

    Returns:
        The Figure drawn into.
    """
    _require(assessment, ["kind", "distribution", "base", "intended", "oracle_base", "oracle_intended"])
    ratios = score_ratios(assessment)
    dists = distributions(assessment)
    kinds = [k for k in KINDS if k in set(assessment["kind"])]

    def values(kind: str, metric: str) -> pd.DataFrame:
        rows = ratios[(ratios["kind"] == kind) & (ratios["metric"] == metric)].set_index("distribution")
        return rows.reindex(dists)

    metrics = [m for m in METRICS if m[0] == "base" or (m[0] == "intended" and not _intended_is_base(assessment))
               or (m[0] == "capability" and m[0] in ratios["metric"].values)]
    # A metric a kind has nowhere (heuristics' capability without behavior) gets no empty slot.
    series = [(kind, m) for kind in kinds for m in metrics if values(kind, m[0])["mean"].notna().any()]
    shown = [m for m in metrics if any(s[1] is m for s in series)]
    n_seeds = assessment["seed"].nunique() if "seed" in assessment.columns else 1
    with style.house_style():
        if ax is None:
            # Wide enough for the bars, and for the legend's two columns when there are several metrics.
            least = style.COLUMN_WIDTH if len(shown) == 1 else 4.8
            fig, ax = style.new_figure(max(least, 1.3 + 0.32 * len(dists) * len(series)), 3.1)
        else:
            fig = style.figure_of(ax)
        width = 0.8 / max(len(series), 1)  # no bar at all where every ratio is NaN
        x = np.arange(len(dists))
        ax.axhline(0.0, color="#333333", linewidth=0.8, zorder=1)
        ax.axhline(1.0, color=style.REFERENCE, linestyle="--", linewidth=0.9, zorder=1)
        ax.annotate("reference" if len(shown) > 1 else "oracle", xy=(1.0, 1.0),
                    xycoords=("axes fraction", "data"), xytext=(0, 2), textcoords="offset points",
                    ha="right", va="bottom", fontsize=7.5, color=style.REFERENCE)
        for k, (kind, (metric, _, words)) in enumerate(series):
            rows = values(kind, metric)
            colour = style.KIND[kind]
            hatch = HATCH[metric]
            heights = rows["mean"].to_numpy(float)
            err = rows["sd"].to_numpy(float) if n_seeds > 1 else None
            # NaN (no own objective, an oracle that scored 0) draws no bar.
            ax.bar(x - 0.4 + width * (k + 0.5), heights, width * 0.92, yerr=err,
                   color=colour if hatch is None else "white", edgecolor=colour, hatch=hatch,
                   linewidth=1.0, label=f"{kind}s: {words}", zorder=2,
                   error_kw={"elinewidth": 0.9, "capsize": 2.5, "ecolor": "#333333"})
        # The legend is a table: a column of kinds (colour; with how many organisms, as a bar of one
        # straggler looks as weighty as one of a hundred) beside a column of metrics (hatching).
        handles = [Patch(facecolor=style.KIND[kind], edgecolor=style.KIND[kind]) for kind in kinds]
        labels = [f"{kind}s ({_count(assessment, kind, dists[0], n_seeds)})" for kind in kinds]
        if len(shown) > 1:
            rows = max(len(kinds), len(shown))
            blank = Patch(visible=False)
            handles += [blank] * (rows - len(kinds))
            labels += [""] * (rows - len(kinds))
            for metric, _, words in shown:
                hatch = HATCH[metric]
                handles.append(Patch(facecolor=METRIC_KEY if hatch is None else "white", edgecolor=METRIC_KEY,
                                     hatch=hatch))
                labels.append(words)
            handles += [blank] * (rows - len(shown))
            labels += [""] * (rows - len(shown))
        ax.set_xticks(x, [d if d == "train" else f"{d}\n(deploy)" for d in dists])
        if len(shown) > 1:
            ax.set_ylabel("score / reference's score")
            what = "Goal vs capability" if any(m[0] == "capability" for m in shown) else "Base and intended score"
            title = ax.set_title(f"{what}, train vs deploy", loc="left")
        else:
            ax.set_ylabel("score / oracle's score")
            title = ax.set_title("Base score / oracle's", loc="left")
        if n_seeds > 1:
            ax.set_xlabel(f"mean ± sd over {n_seeds} seeds", fontsize=7.5, color="#555555")
        style.tidy(ax)
        style.legend_beside_title(ax, title, ncol=2 if len(shown) > 1 else None, handles=handles, labels=labels)
    return fig


def agreement_scatter(assessment: pd.DataFrame, deploy: str | None = None, ax: Axes | None = None) -> Figure:
    """Each planner's agreement with the base objective on train (x) against a deployment (y).

    Points below the diagonal agree less once deployed: pseudo-aligned. Heuristics have no
    mesa-objective (their agreement is NaN) and are not drawn.

    Args:
        assessment: a ``scenarios.assess`` table, optionally with a ``seed`` column.
        deploy: the deployment distribution; default the first one in the table.
        ax: an axes to draw into; by default a new figure.

    Returns:
        The Figure drawn into.
    """
    _require(assessment, ["organism", "distribution", "agreement"])
    deploys = [d for d in distributions(assessment) if d != "train"]
    if deploy is None:
        if not deploys:
            raise ValueError("assessment: no deployment distribution to compare with train")
        deploy = deploys[0]
    elif deploy not in deploys:
        raise ValueError(f"deploy: {deploy!r} is not in the table; choose from {deploys}")
    keys = [k for k in ("seed", "organism") if k in assessment.columns]
    if "train" not in set(assessment["distribution"]):
        raise ValueError("assessment: no 'train' rows to compare with")
    wide = assessment.pivot(index=keys, columns="distribution", values="agreement")
    pairs = wide[["train", deploy]].dropna()
    below = int((pairs[deploy] < pairs["train"]).sum())
    with style.house_style():
        if ax is None:
            fig, ax = style.new_figure(style.COLUMN_WIDTH, style.COLUMN_WIDTH + 0.25)
        else:
            fig = style.figure_of(ax)
        lim = (-1.05, 1.05)
        ax.fill_between(lim, lim, lim[0], color=style.OKABE_ITO["vermillion"], alpha=0.07, linewidth=0, zorder=0)
        ax.plot(lim, lim, color=style.REFERENCE, linestyle="--", linewidth=0.9, zorder=1)
        # Region labels sit where selected planners rarely are: they agree on train, so their
        # points gather at the right.
        ax.text(-0.3, -0.97, "pseudo-aligned:\nagrees less\nwhen deployed", ha="left", va="bottom",
                fontsize=7.5, color=style.OKABE_ITO["vermillion"])
        ax.text(-0.97, 0.97, "agrees as much or\nmore when deployed", ha="left", va="top", fontsize=7.5,
                color="#555555")
        ax.scatter(pairs["train"], pairs[deploy], s=18, color=style.KIND["planner"], alpha=0.45,
                   edgecolors="none", zorder=3, label=f"planners ({len(pairs)})")
        if pairs.empty:
            ax.text(0.5, 0.5, "no planner with a defined agreement", transform=ax.transAxes, ha="center",
                    va="center", fontsize=8, color="#555555")
        ax.set_xlim(lim)
        ax.set_ylim(lim)
        ax.set_aspect("equal")
        ax.set_xlabel("agreement(base, mesa) on train")
        ax.set_ylabel(f"agreement on {deploy}")
        ax.set_title("Agreement with the base objective", loc="left", pad=15)
        # Counting is display: the reader should not have to count overlapping dots.
        ax.annotate(f"{below} of {len(pairs)} planners below the diagonal", xy=(0.0, 1.0),
                    xycoords="axes fraction", xytext=(0, 4), textcoords="offset points", ha="left",
                    va="bottom", fontsize=7.5, color="#555555")
        style.tidy(ax, grid="both")
    return fig
