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

from plots import style

KINDS = ("planner", "heuristic")
METRICS = (("base", "oracle_base", "base"), ("intended", "oracle_intended", "intended"))
"""(score column, oracle column, legend word) per bar metric."""


def _require(table: pd.DataFrame, columns: list[str]) -> None:
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(f"assessment: missing columns {missing}; expected a scenarios.assess table")


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

    With a ``seed`` column each seed's ratio is computed first (its organisms' mean over its
    oracle's), then the mean and sd (ddof 1) across seeds; without one, sd is NaN.
    """
    seeds = ["seed"] if "seed" in table.columns else []
    rows = []
    for metric, oracle, _ in METRICS:
        grouped = table.groupby([*seeds, "distribution", "kind"], sort=False)[[metric, oracle]].mean()
        with np.errstate(divide="ignore", invalid="ignore"):
            # An oracle that scored 0 leaves nothing to be a fraction of.
            ratio = grouped[metric] / grouped[oracle].where(grouped[oracle] != 0)
        per = ratio.rename("ratio").reset_index()
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
    """Grouped bars: per distribution, mean base (and intended) score as a fraction of the oracle's,
    per organism kind.

    Intended bars are drawn only when the intended goal differs from the base objective. With a
    ``seed`` column, bars are means across seeds with sd error bars.

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
    metrics = [m for m in METRICS if m[0] == "base" or not _intended_is_base(assessment)]
    series = [(kind, m) for kind in kinds for m in metrics]
    n_seeds = assessment["seed"].nunique() if "seed" in assessment.columns else 1
    with style.house_style():
        if ax is None:
            fig, ax = style.new_figure(max(style.COLUMN_WIDTH, 1.1 + 0.45 * len(dists) * len(series)), 2.9)
        else:
            fig = style.figure_of(ax)
        width = 0.8 / len(series)
        x = np.arange(len(dists))
        ax.axhline(0.0, color="#333333", linewidth=0.8, zorder=1)
        ax.axhline(1.0, color=style.REFERENCE, linestyle="--", linewidth=0.9, zorder=1)
        ax.annotate("oracle", xy=(1.0, 1.0), xycoords=("axes fraction", "data"), xytext=(0, 2),
                    textcoords="offset points", ha="right", va="bottom", fontsize=7.5, color=style.REFERENCE)
        for k, (kind, (metric, _, word)) in enumerate(series):
            rows = ratios[(ratios["kind"] == kind) & (ratios["metric"] == metric)].set_index("distribution")
            rows = rows.reindex(dists)
            label = f"{kind}s: {word}" if len(metrics) > 1 else f"{kind}s"
            if metric == "base":
                # A bar of one straggler looks as weighty as one of a hundred: say how many.
                label += f" ({_count(assessment, kind, dists[0], n_seeds)})"
            hatch = "///" if metric == "intended" else None
            colour = style.KIND[kind]
            err = rows["sd"].to_numpy(float) if n_seeds > 1 else None
            ax.bar(x - 0.4 + width * (k + 0.5), rows["mean"].to_numpy(float), width * 0.92, yerr=err,
                   color=colour if hatch is None else "white", edgecolor=colour, hatch=hatch,
                   linewidth=1.0, label=label, zorder=2,
                   error_kw={"elinewidth": 0.9, "capsize": 2.5, "ecolor": "#333333"})
        ax.set_xticks(x, [d if d == "train" else f"{d}\n(deploy)" for d in dists])
        ax.set_ylabel("score / oracle's score")
        what = "Base and intended score" if len(metrics) > 1 else "Base score"
        title = ax.set_title(f"{what} / oracle's", loc="left")
        if n_seeds > 1:
            ax.set_xlabel(f"mean ± sd over {n_seeds} seeds", fontsize=7.5, color="#555555")
        style.tidy(ax)
        style.legend_beside_title(ax, title)
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
