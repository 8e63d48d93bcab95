"""The landscape prediction: which kind should selection favour, computed without evolving mixed
populations.

For a scenario, the best planner and the best heuristic are each found by a direct search over
their kind's few genes (a grid: mesa or heuristic weights, horizon or decay) on selection worlds
drawn from the training distribution; then both are scored on common fresh worlds and the
*margin* is the planner's fitness minus the heuristic's, per episode, with its standard error
paired over worlds. A margin above zero predicts planners win; below, heuristics. Fresh worlds
keep the search's luck out of the margin.

The kind gene selects between two hand-built architectures: the prediction says which of the two
selection should keep, not how an optimizer could arise from nothing.

    import functools, scenarios
    from scenarios.analyses.landscape import landscape
    table = landscape(functools.partial(scenarios.get, "emergence"),
                      grid={"maze_fraction": [0, 0.5, 1], "compute_cost": [0, 1e-3]})

Compute does not depend on the compute cost, so the grid points that differ only in cost share one
search: a cell costs little once its layout mix has been searched.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import curve_fit
from scipy.special import expit, logit
from scipy.stats import t as student_t

import organisms
from organisms.genome import HORIZON_CAP
from scenarios.engine.scenario import Scenario, seed_child

WEIGHTS = (-1.0, 0.25, 0.5, 1.0, 2.0, 4.0)
"""Values searched for each perceivable feature's weight (mesa or heuristic). A planner's weight is
on the scale of ``C_DIST`` per step, so its size matters; a heuristic's only in ratio to others."""
DECAYS = tuple(float(d) for d in np.linspace(0.05, 0.95, 19))
"""Heuristic decays searched."""
SLOPE_BOUND = 200.0
"""Largest slope a logistic fit may take (per unit of x): steeper is a step at the grid's resolution."""
MAX_CANDIDATES = 20_000
"""A guard: the grid grows as len(WEIGHTS) ** features."""


def horizon_genes() -> np.ndarray:
    """One horizon gene per reachable horizon 1 .. HORIZON_CAP (the middle of each gene interval)."""
    return logit((np.arange(HORIZON_CAP) + 0.5) / HORIZON_CAP)


def candidates(sc: Scenario, kind: str, limit: int = MAX_CANDIDATES) -> np.ndarray:
    """The genomes searched for one kind: every weight combination × every horizon (planner) or
    decay (heuristic); the other kind's block is zero and sensors are off. ``limit`` is the guard on
    the grid's size (a caller that scores the grid in chunks may raise it)."""
    layout = sc.layout
    n = len(layout.perceivable)
    if len(WEIGHTS) ** n * max(HORIZON_CAP, len(DECAYS)) > limit:
        raise ValueError(f"landscape: {n} perceivable features make a grid over {limit} genomes")
    if kind == "planner":
        block, second, values = layout.mesa, layout.horizon, horizon_genes()
    elif kind == "heuristic":
        block, second, values = layout.heuristic, layout.decay, logit(np.array(DECAYS))
    else:
        raise ValueError(f"kind: must be 'planner' or 'heuristic', got {kind!r}")
    rows = []
    for weights in itertools.product(WEIGHTS, repeat=n):
        for value in values:
            g = np.zeros(layout.length)
            g[layout.kind] = 1.0 if kind == "planner" else -1.0
            g[block] = weights
            g[second] = value
            if layout.sensed:
                g[layout.sensors] = -1.0
            rows.append(g)
    return np.array(rows)


def _episodes(sc: Scenario, population: np.ndarray, worlds: int, seed: Any) -> tuple[np.ndarray, np.ndarray]:
    """Per organism and world: the base score and the compute (P, E)."""
    ph = organisms.phenotype(sc, population)
    batch = organisms.stack_worlds(sc.sample("train", worlds, seed))
    outcomes, compute = organisms.run_population(ph, batch)
    sensors = sc.sensing_costs(ph)
    return outcomes @ sc.base_weights - sensors[:, None], compute.astype(np.float64)


def _cost_free(sc: Scenario) -> str:
    return json.dumps(replace(sc, compute_cost=0.0).to_dict(), sort_keys=True)


def margins(scenarios: list[Scenario], select_worlds: int = 200, eval_worlds: int = 500,
            seed: int = 0) -> pd.DataFrame:
    """The best planner against the best heuristic, for each scenario.

    Args:
        scenarios: scenarios to predict for (those differing only in compute cost share a search).
        select_worlds: training worlds the grid search ranks candidates on.
        eval_worlds: fresh training worlds both winners are scored on (common to both).
        seed: fixes both sets of worlds.

    Returns:
        A row per scenario: ``margin`` (planner minus heuristic fitness per episode), ``se`` (its
        standard error, paired over the evaluation worlds), ``planner_fitness``,
        ``heuristic_fitness``, ``planner_compute`` (mean per episode), the winners' genes
        (``planner_horizon``, ``planner_weights``, ``heuristic_decay``, ``heuristic_weights``).
    """
    select_seed, eval_seed = seed_child(seed, 0), seed_child(seed, 1)
    searched: dict[str, dict] = {}
    rows = []
    for sc in scenarios:
        key = _cost_free(sc)
        if key not in searched:
            searched[key] = {k: (cands, *_episodes(sc, cands, select_worlds, select_seed))
                             for k in ("planner", "heuristic") for cands in [candidates(sc, k)]}
        best = {}
        for kind, (cands, base, compute) in searched[key].items():
            fitness = (base - sc.compute_cost * compute).mean(axis=1)
            best[kind] = cands[int(np.argmax(fitness))]
        pair = np.vstack([best["planner"], best["heuristic"]])
        base, compute = _episodes(sc, pair, eval_worlds, eval_seed)
        fitness = base - sc.compute_cost * compute
        diff = fitness[0] - fitness[1]
        ph = organisms.phenotype(sc, pair)
        perceived = list(sc.layout.perceivable)
        rows.append({
            "margin": float(diff.mean()),
            "se": float(diff.std(ddof=1) / np.sqrt(diff.size)),
            "planner_fitness": float(fitness[0].mean()),
            "heuristic_fitness": float(fitness[1].mean()),
            "planner_compute": float(compute[0].mean()),
            "planner_horizon": int(ph.horizon[0]),
            "planner_weights": tuple(float(w) for w in ph.mesa_weights[0, perceived]),
            "heuristic_decay": float(ph.decay[1]),
            "heuristic_weights": tuple(float(w) for w in ph.heuristic_weights[1, perceived]),
        })
    return pd.DataFrame(rows)


def landscape(factory: Callable[..., Scenario], grid: Mapping[str, Iterable], select_worlds: int = 200,
              eval_worlds: int = 500, seed: int = 0) -> pd.DataFrame:
    """``margins`` over a grid of scenario knobs: a row per grid point, the knobs as leading columns.

    Args:
        factory: knobs -> Scenario (``functools.partial(scenarios.get, "emergence")``).
        grid: knob -> list of values; every combination is one row.
        select_worlds, eval_worlds, seed: as in ``margins``.
    """
    keys = list(grid)
    combos = [dict(zip(keys, values)) for values in itertools.product(*(list(grid[k]) for k in keys))]
    table = margins([factory(**c) for c in combos], select_worlds, eval_worlds, seed)
    return pd.concat([pd.DataFrame(combos), table], axis=1)


def boundary_crossing(x: np.ndarray, margin: np.ndarray) -> float:
    """Where the margin crosses zero along ``x`` (linear between grid points; NaN if it never does)."""
    x, margin = np.asarray(x, dtype=float), np.asarray(margin, dtype=float)
    order = np.argsort(x)
    x, margin = x[order], margin[order]
    for i in range(len(x) - 1):
        a, b = margin[i], margin[i + 1]
        if a == 0:
            return float(x[i])
        if a * b < 0:
            return float(x[i] + (x[i + 1] - x[i]) * a / (a - b))
    return float(x[-1]) if len(x) and margin[-1] == 0 else float("nan")


def _logistic(x: np.ndarray, slope: float, midpoint: float) -> np.ndarray:
    return expit(slope * (x - midpoint))


def _fit(x: np.ndarray, share: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    # A step-like resample walks the slope towards its bound slowly: allow more evaluations than scipy's
    # default before calling the fit failed (a fit that converged within the default is unchanged).
    return curve_fit(_logistic, x, share, p0=(5.0, float(np.median(x))), bounds=([-SLOPE_BOUND, -10.0],
                                                                                  [SLOPE_BOUND, 10.0]),
                     max_nfev=20_000)


def fit_logistic(x: np.ndarray, share: np.ndarray, level: float = 0.95, points: int = 101,
                 bootstrap: int = 0, seed: int = 0) -> dict:
    """A logistic curve share = 1 / (1 + exp(-slope (x - midpoint))), fitted by least squares.

    Each observation is one run's final share (runs are the replicates; organisms of one population
    are not independent). With ``bootstrap=0`` the intervals are Wald intervals from the fit's
    covariance with Student's t (n - 2 degrees of freedom) and the curve's band is the delta method
    on the logit scale. Where the shares jump like a step the slope is not identified and Wald
    intervals mislead: ``bootstrap=B`` resamples the runs B times (seeded) and gives percentile
    intervals and band instead (a slope at ``SLOPE_BOUND`` means "a step, at least this steep").

    Returns:
        ``slope``, ``midpoint`` and their ``_lo``/``_hi`` bounds, ``n``, ``level``, ``method`` (with a
        bootstrap, ``bootstrap_failed``: resamples whose fit found no optimum, left out), and on
        ``points`` values of x across the data: ``x``, ``curve``, ``curve_lo``, ``curve_hi``.
    """
    x, share = np.asarray(x, dtype=float), np.asarray(share, dtype=float)
    if x.shape != share.shape or x.size < 3:
        raise ValueError(f"fit_logistic: needs at least 3 (x, share) pairs of equal length, got {x.shape}, "
                         f"{share.shape}")
    (slope, midpoint), cov = _fit(x, share)
    grid = np.linspace(x.min(), x.max(), points)
    centre = slope * (grid - midpoint)
    out = {"slope": float(slope), "midpoint": float(midpoint), "n": int(x.size), "level": level,
           "method": "bootstrap" if bootstrap else "wald", "x": grid, "curve": expit(centre)}
    if bootstrap:
        rng = np.random.default_rng(seed)
        draws, failed = [], 0
        for _ in range(bootstrap):
            pick = rng.integers(0, x.size, x.size)
            if np.ptp(x[pick]) > 0:  # a resample at one x alone has no curve to fit
                try:
                    draws.append(_fit(x[pick], share[pick])[0])
                except RuntimeError:  # no least-squares optimum found: counted, not silently dropped
                    failed += 1
        draws = np.array(draws)
        out["bootstrap_failed"] = failed
        tails = 100 * np.array([0.5 - level / 2, 0.5 + level / 2])
        (s_lo, s_hi), (m_lo, m_hi) = np.percentile(draws, tails, axis=0).T
        curves = expit(draws[:, :1] * (grid[None, :] - draws[:, 1:]))
        band_lo, band_hi = np.percentile(curves, tails, axis=0)
    else:
        t = student_t.ppf(0.5 + level / 2, x.size - 2)
        se = np.sqrt(np.diag(cov))
        s_lo, s_hi, m_lo, m_hi = slope - t * se[0], slope + t * se[0], midpoint - t * se[1], midpoint + t * se[1]
        # d(logit)/d(slope, midpoint) = (grid - midpoint, -slope)
        jac = np.column_stack([grid - midpoint, np.full_like(grid, -slope)])
        logit_se = np.sqrt(np.einsum("ij,jk,ik->i", jac, cov, jac))
        band_lo, band_hi = expit(centre - t * logit_se), expit(centre + t * logit_se)
    out.update(slope_lo=float(s_lo), slope_hi=float(s_hi), midpoint_lo=float(m_lo), midpoint_hi=float(m_hi),
               curve_lo=band_lo, curve_hi=band_hi)
    return out
