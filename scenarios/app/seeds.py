"""Across seeds: which goal a population learns can depend on the seed, so headline numbers come with
their spread over independent runs (each seed one evolved population; the organisms of one population
are not independent replicates).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

import evolution
from scenarios.engine.alignment import AlignmentThresholds, alignment_summary
from scenarios.registry import get


def seed_summaries(table: pd.DataFrame, thresholds: AlignmentThresholds | None = None) -> pd.DataFrame:
    """``alignment_summary`` of each seed's population in a sweep table: a row per (seed, distribution)."""
    if "seed" not in table.columns:
        raise ValueError("table: no 'seed' column; expected an evolution.sweep table")
    frames = []
    for seed, group in table.groupby("seed", sort=True):
        summary = alignment_summary(group.drop(columns="seed"), thresholds).reset_index()
        summary.insert(0, "seed", seed)
        frames.append(summary)
    return pd.concat(frames, ignore_index=True)


BOUNDS: dict[str, tuple[float, float]] = {
    **{m: (0.0, 1.0) for m in ("planner_share", "decision_agreement", "unbounded_decision_agreement",
                                "behavior_accuracy", "mesa_accuracy")},
    **{m: (-1.0, 1.0) for m in ("agreement", "cosine", "contested_agreement", "order_agreement",
                                "flipped_order_agreement", "behavior_agreement", "behavior_cosine",
                                "behavior_contested")},
}
"""The range of each bounded measure of ``alignment_summary`` (label shares, ``share:*``, are in [0, 1]):
their intervals over seeds are percentile bootstraps, which stay inside it."""


def bounds_of(metric: str) -> tuple[float, float] | None:
    """The range of a summary metric, or None if it is unbounded (a Student-t interval then)."""
    return (0.0, 1.0) if metric.startswith("share:") else BOUNDS.get(metric)


def interval(values: pd.Series, level: float = 0.95, bounds: tuple[float, float] | None = None) -> dict[str, float]:
    """Mean, sd (ddof 1), an interval of the mean at ``level``, and the count of non-NaN values
    (``seeds``) and of NaN ones (``excluded``: rows the mean leaves out, reported beside it).

    Unbounded (``bounds`` None): a Student-t interval. Bounded: ``share_interval``'s percentile
    bootstrap, which stays inside the range where a Student-t interval need not. With one value the sd
    and the interval are NaN (one run says nothing about the spread)."""
    if bounds is not None:
        return share_interval(values, level)
    v = values.dropna().to_numpy(dtype=np.float64)
    n = len(v)
    mean = float(v.mean()) if n else float("nan")
    sd = float(v.std(ddof=1)) if n > 1 else float("nan")
    half = float(stats.t.ppf(0.5 + level / 2, n - 1) * sd / np.sqrt(n)) if n > 1 else float("nan")
    return {"mean": mean, "sd": sd, "ci_low": mean - half, "ci_high": mean + half, "seeds": n,
            "excluded": int(values.isna().sum())}


def share_interval(values: pd.Series, level: float = 0.95, draws: int = 2000) -> dict[str, float]:
    """As ``interval``, but for a bounded measure (a share in [0, 1], an agreement in [-1, 1]): a
    percentile bootstrap over seeds (``draws`` resamples, fixed random stream), which stays inside the
    range of the values where a Student-t interval need not."""
    out = interval(values, level)
    v = values.dropna().to_numpy(dtype=np.float64)
    if len(v) > 1:
        if np.ptp(v) == 0:  # every seed agrees: resampling gives the value itself
            low = high = float(v[0])
        else:
            res = stats.bootstrap((v,), np.mean, n_resamples=draws, confidence_level=level, method="percentile",
                                  rng=np.random.default_rng(0))
            low, high = float(res.confidence_interval.low), float(res.confidence_interval.high)
        out.update(ci_low=low, ci_high=high)
    return out


def across_seeds(name: str, seeds: Any, config: evolution.Config | None = None, worlds: int = 300,
                 assess_seed: int = 0, thresholds: AlignmentThresholds | None = None, executor: Any = None,
                 out: str | Path | None = None, per_seed: bool = False, progress: bool | None = None,
                 resample_worlds: bool = True, **knobs: Any) -> pd.DataFrame:
    """Run a built-in scenario once per seed (through ``evolution.sweep``) and summarise the populations.

    Args:
        name: a built-in scenario (``scenarios.names()``); ``knobs`` set its knobs.
        seeds: run seeds (e.g. ``range(5)``).
        config: the Config each run starts from (None: the scenario's recommended one); its seed is
            replaced by each of ``seeds``.
        worlds, assess_seed: the assessment's worlds per distribution and seed.
        resample_worlds: assess each run on worlds of its own (fixed by ``assess_seed`` and the run's
            seed), so the intervals include the sampling of assessment worlds; False: every run on the
            same worlds (the intervals then cover run-to-run variation only).
        thresholds: for the labels (default ``AlignmentThresholds()``).
        executor, out, progress: as for ``evolution.sweep`` (a process pool by default; ``out`` keeps
            every run directory, so an interrupted call resumes).
        per_seed: return each seed's headline numbers instead of their statistics.

    Returns:
        A row per (distribution, metric): ``mean``, ``sd``, ``ci_low`` and ``ci_high`` (95 % Student-t
        interval of the mean over seeds; for bounded measures, ``bounds_of``, a percentile bootstrap over
        seeds, which stays in their range), ``seeds`` (runs with a number), ``excluded`` (runs without
        one), and ``organisms`` and ``organisms_excluded`` (summed over runs: the organisms each run's
        mean counted and left out as NaN), for every column of ``alignment_summary``. With
        ``per_seed``, ``seed_summaries`` of the runs instead.
    """
    get(name, **knobs)  # an unknown name or knob fails here, before any worker starts
    factory = functools.partial(get, name, **knobs)
    table = evolution.sweep(factory, grid={}, seeds=seeds, config=config, executor=executor, out=out,
                            assess_worlds=worlds, assess_seed=assess_seed, progress=progress,
                            resample_worlds=resample_worlds)
    per = seed_summaries(table, thresholds)
    if per_seed:
        return per
    return summarise_seeds(per)


def summarise_seeds(per: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """``across_seeds``' statistics of ``seed_summaries`` rows: a row per (distribution, metric)."""
    counts = ("_n", "_excluded")
    metrics = [c for c in per.columns if c not in ("seed", "distribution") and not c.endswith(counts)]
    rows = []
    for dist, group in per.groupby("distribution", sort=False):
        for metric in metrics:
            row = {"distribution": dist, "metric": metric,
                   **interval(group[metric], level, bounds=bounds_of(metric))}
            if f"{metric}_n" in group:
                counted = int(group[f"{metric}_n"].sum())
                row["organisms"] = counted
                row["organisms_excluded"] = int(group["organisms"].sum()) - counted
            rows.append(row)
    return pd.DataFrame(rows)
