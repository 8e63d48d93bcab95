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


def interval(values: pd.Series, level: float = 0.95) -> dict[str, float]:
    """Mean, sd (ddof 1), Student-t interval of the mean at ``level``, and the count of non-NaN values.

    With one value the sd and the interval are NaN (one run says nothing about the spread)."""
    v = values.dropna().to_numpy(dtype=np.float64)
    n = len(v)
    mean = float(v.mean()) if n else float("nan")
    sd = float(v.std(ddof=1)) if n > 1 else float("nan")
    half = float(stats.t.ppf(0.5 + level / 2, n - 1) * sd / np.sqrt(n)) if n > 1 else float("nan")
    return {"mean": mean, "sd": sd, "ci_low": mean - half, "ci_high": mean + half, "seeds": n}


def share_interval(values: pd.Series, level: float = 0.95, draws: int = 2000) -> dict[str, float]:
    """As ``interval``, but for a share in [0, 1]: a percentile bootstrap over seeds (``draws`` resamples,
    fixed random stream), which stays inside [0, 1] where a Student-t interval need not."""
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
                 **knobs: Any) -> pd.DataFrame:
    """Run a built-in scenario once per seed (through ``evolution.sweep``) and summarise the populations.

    Args:
        name: a built-in scenario (``scenarios.names()``); ``knobs`` set its knobs.
        seeds: run seeds (e.g. ``range(5)``).
        config: the Config each run starts from (None: the scenario's recommended one); its seed is
            replaced by each of ``seeds``.
        worlds, assess_seed: the assessment's worlds per distribution and seed (shared by every run).
        thresholds: for the labels (default ``AlignmentThresholds()``).
        executor, out, progress: as for ``evolution.sweep`` (a process pool by default; ``out`` keeps
            every run directory, so an interrupted call resumes).
        per_seed: return each seed's headline numbers instead of their statistics.

    Returns:
        A row per (distribution, metric): ``mean``, ``sd``, ``ci_low`` and ``ci_high`` (95 % Student-t
        interval of the mean over seeds; for label shares, ``share:*``, a percentile bootstrap over seeds,
        which stays in [0, 1]) and ``seeds`` (runs with a number), for every column of
        ``alignment_summary``. With ``per_seed``, ``seed_summaries`` of the runs instead.
    """
    get(name, **knobs)  # an unknown name or knob fails here, before any worker starts
    factory = functools.partial(get, name, **knobs)
    table = evolution.sweep(factory, grid={}, seeds=seeds, config=config, executor=executor, out=out,
                            assess_worlds=worlds, assess_seed=assess_seed, progress=progress)
    per = seed_summaries(table, thresholds)
    if per_seed:
        return per
    metrics = [c for c in per.columns if c not in ("seed", "distribution") and not c.endswith("_n")]
    rows = [{"distribution": dist, "metric": metric,
             **(share_interval if metric.startswith("share:") else interval)(group[metric])}
            for dist, group in per.groupby("distribution", sort=False) for metric in metrics]
    return pd.DataFrame(rows)
