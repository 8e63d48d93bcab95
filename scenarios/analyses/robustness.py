"""Robustness maps: where a story's signature holds when its knobs and shared settings move.

Two views of one question ("how special is the setting a story is shown at?"):

- **one at a time**: each knob (and world size, steps, episodes per evaluation, population) varied
  over a declared range around its default, the others at their defaults, several seeds a point;
  the signature's per-run claims judged at every point (:func:`judge`), and the contiguous range
  around the default where it holds (:func:`holding_ranges`);
- **together**: a Sobol design over the knobs (:func:`sobol_design`) and the variance-based
  sensitivity indices of the signature's headline number (:func:`sobol_indices`, Saltelli's
  sampling and Jansen's estimators as SALib implements them).

A point is a *setting*: a tuple of ``(key, value)`` pairs, the keys being story knobs, ``world_size``
and ``steps`` (:func:`with_world`) or ``Config`` fields. The functions here neither evolve nor read
files: the study runs the points through ``evolution.sweep`` and hands the tables in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from scenarios.engine.scenario import Scenario
from scenarios.engine.spec import Mixture, WorldSpec

WORLD_KEYS = ("world_size", "steps")
"""Settings that reshape every world of a story rather than name one of its knobs."""
SCALES = ("linear", "log")
"""How a global-design range is sampled: uniformly in the value or in its logarithm."""

Setting = tuple[tuple[str, Any], ...]
"""One point of a map: ``(key, value)`` pairs; empty is the story at its defaults."""


def _reshaped(spec: WorldSpec, world_size: int | None, steps: int | None) -> WorldSpec:
    size = spec.size if world_size is None else (int(world_size), int(world_size))
    return replace(spec, size=size, steps=spec.steps if steps is None else int(steps))


def with_world(sc: Scenario, world_size: int | None = None, steps: int | None = None) -> Scenario:
    """The scenario with every world (training and deployment) ``world_size`` × ``world_size`` cells and
    ``steps`` steps long; None keeps the story's own. Item counts stay: a larger world is sparser."""

    def reshape(dist):
        if isinstance(dist, Mixture):
            return Mixture([(w, _reshaped(s, world_size, steps)) for w, s in dist.components])
        return _reshaped(dist, world_size, steps)

    return replace(sc, train=reshape(sc.train), deploy={k: reshape(d) for k, d in sc.deploy.items()})


def world_defaults(sc: Scenario) -> dict[str, int]:
    """The story's own world size (rows of its training worlds) and steps."""
    spec = sc.train.components[0][1]
    return {"world_size": spec.size[0], "steps": spec.steps}


def one_at_a_time(ranges: Mapping[str, Sequence], defaults: Mapping[str, Any]) -> list[Setting]:
    """The settings of a one-at-a-time map: the defaults (an empty setting) once, then each key's
    values but its default, the others at their defaults.

    Raises:
        ValueError: a key without a default, or a range that does not contain its default (the map
            must show the story's own setting among its points).
    """
    settings: list[Setting] = [()]
    for key, values in ranges.items():
        if key not in defaults:
            raise ValueError(f"ranges: {key!r} has no default; defaults are known for {sorted(defaults)}")
        if defaults[key] not in list(values):
            raise ValueError(f"ranges[{key!r}]: {list(values)} does not contain the default {defaults[key]!r}")
        settings += [((key, v),) for v in values if v != defaults[key]]
    return settings


def point_of(setting: Setting) -> tuple[str, Any]:
    """The (knob, value) a one-at-a-time setting varies; ``("default", None)`` for the defaults."""
    if not setting:
        return "default", None
    (key, value), = setting
    return key, value


def judge(runs: pd.DataFrame, claims: Callable[[pd.DataFrame], list[tuple[str, pd.Series]]],
          by: Sequence[str], seeds_min: int) -> pd.DataFrame:
    """Per point (the ``by`` columns): how many runs each claim held in, and whether the signature
    holds there: every claim in at least ``seeds_min`` runs.

    Args:
        runs: one row per run (point × seed) with the columns ``claims`` reads.
        claims: the story's per-run claims: name -> boolean Series aligned with the rows given.
        by: the columns naming a point.
        seeds_min: runs a claim must hold in for the point to hold.
    """
    rows = []
    # Grouped by the values' text: pandas would merge 0 (a count) with 0.0 (a cost) and show one for both.
    text = pd.Series(["|".join(map(repr, key)) for key in zip(*(runs[c] for c in by))], index=runs.index)
    for _, part in runs.groupby(text, sort=False):
        row = {c: part[c].iloc[0] for c in by}
        row["runs"] = len(part)
        held = {name: int(np.asarray(ok, dtype=bool).sum()) for name, ok in claims(part)}
        row.update(held)
        row["holds"] = bool(all(n >= seeds_min for n in held.values()))
        rows.append(row)
    table = pd.DataFrame(rows)
    for c in by:  # as given: a column of counts and costs would otherwise turn every count into a float
        table[c] = pd.Series([r[c] for r in rows], dtype=object)
    return table


def holding_ranges(points: pd.DataFrame, defaults: Mapping[str, Any]) -> pd.DataFrame:
    """Per knob, the run of values around the default where the signature holds, and the nearest
    values beyond it where it fails (NaN: it held up to the end of the range, or nowhere).

    Args:
        points: :func:`judge`'s table with ``knob``, ``value`` and ``holds``; the default point's row
            has knob ``"default"`` and counts for every knob at its default value.
        defaults: each knob's default value.
    """
    default_holds = bool(points.loc[points.knob == "default", "holds"].iloc[0])
    rows = []
    for knob in [k for k in dict.fromkeys(points.knob) if k != "default"]:
        part = points[points.knob == knob]
        values = [*part.value, defaults[knob]]
        holds = [*part.holds, default_holds]
        numeric = all(isinstance(v, (int, float, np.number)) and not isinstance(v, bool) for v in values)
        order = np.argsort(values, kind="stable") if numeric else range(len(values))
        values = [values[i] for i in order]
        holds = [bool(holds[i]) for i in order]
        at = values.index(defaults[knob])
        row = {"knob": knob, "default": defaults[knob], "numeric": numeric, "default_holds": holds[at],
               "holds_at": "; ".join(str(v) for v, h in zip(values, holds) if h),
               "fails_at": "; ".join(str(v) for v, h in zip(values, holds) if not h),
               "low": np.nan, "high": np.nan, "fails_below": np.nan, "fails_above": np.nan}
        if numeric and holds[at]:
            lo = hi = at
            while lo > 0 and holds[lo - 1]:
                lo -= 1
            while hi < len(values) - 1 and holds[hi + 1]:
                hi += 1
            row.update(low=values[lo], high=values[hi],
                       fails_below=values[lo - 1] if lo > 0 else np.nan,
                       fails_above=values[hi + 1] if hi < len(values) - 1 else np.nan)
        rows.append(row)
    return pd.DataFrame(rows)


def _check_bounds(bounds: Mapping[str, Sequence]) -> None:
    for key, bound in bounds.items():
        if len(bound) not in (2, 3) or not bound[0] < bound[1]:
            raise ValueError(f"bounds[{key!r}]: must be [low, high] or [low, high, scale] with low < high, got {bound}")
        scale = bound[2] if len(bound) == 3 else "linear"
        if scale not in SCALES:
            raise ValueError(f"bounds[{key!r}]: scale must be one of {SCALES}, got {scale!r}")
        if scale == "log" and bound[0] <= 0:
            raise ValueError(f"bounds[{key!r}]: a log scale needs low > 0, got {bound}")


def problem(bounds: Mapping[str, Sequence]) -> dict:
    """SALib's problem for a design over ``bounds``: each key sampled on the unit interval, which
    :func:`sobol_design` maps onto its range."""
    _check_bounds(bounds)
    return {"num_vars": len(bounds), "names": list(bounds), "bounds": [[0.0, 1.0]] * len(bounds)}


def _value(unit: float, bound: Sequence, integer: bool) -> Any:
    lo, hi = float(bound[0]), float(bound[1])
    scale = bound[2] if len(bound) == 3 else "linear"
    v = lo * (hi / lo) ** unit if scale == "log" else lo + unit * (hi - lo)
    return int(round(v)) if integer else float(f"{v:.4g}")


def sobol_design(bounds: Mapping[str, Sequence], n: int, seed: int = 0) -> pd.DataFrame:
    """Saltelli's design for first-order and total indices: ``n × (d + 2)`` rows over the ``d`` keys
    of ``bounds`` (``n`` a power of 2). A bound given as integers gives integer values (rounded);
    floats are kept to 4 significant digits, so settings name their points readably.

    Args:
        bounds: key -> ``[low, high]`` or ``[low, high, "log"]``.
        n: base sample size.
        seed: scrambles the Sobol sequence.
    """
    from SALib.sample import sobol

    if n < 2 or n & (n - 1):
        raise ValueError(f"n: must be a power of 2 >= 2, got {n!r}")
    unit = sobol.sample(problem(bounds), n, calc_second_order=False, scramble=True, seed=seed)
    integer = {k: all(isinstance(b, (int, np.integer)) for b in bounds[k][:2]) for k in bounds}
    return pd.DataFrame([{k: _value(u, bounds[k], integer[k]) for k, u in zip(bounds, row)} for row in unit])


def sobol_indices(bounds: Mapping[str, Sequence], y: Iterable[float], seed: int = 1) -> pd.DataFrame:
    """First-order (``S1``) and total (``ST``) indices of ``y``, the output at each row of
    :func:`sobol_design` (in its order), with 95 % bootstrap half-widths (``S1_conf``, ``ST_conf``).

    The estimators (Saltelli 2010 for S1, Jansen for ST) assume the output is a function of the
    design's keys; with one seed a row, the run-to-run noise of evolution is part of what no key
    explains (it shows as ``ST`` summing to well above ``S1``). ``seed`` (>= 1) fixes the bootstrap:
    SALib seeds it only for a nonzero seed, and draws from numpy's global state otherwise.
    """
    from SALib.analyze import sobol

    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 1:
        raise ValueError(f"seed: must be an integer >= 1 (SALib ignores a seed of 0), got {seed!r}")
    y = np.asarray(list(y), dtype=float)
    if not np.isfinite(y).all():
        raise ValueError("y: every design row needs a finite output (a failed run cannot be left out)")
    got = sobol.analyze(problem(bounds), y, calc_second_order=False, seed=seed)
    return pd.DataFrame({"knob": list(bounds), "S1": got["S1"], "S1_conf": got["S1_conf"],
                         "ST": got["ST"], "ST_conf": got["ST_conf"]})


def _base_scores(sc: Scenario, population: np.ndarray, worlds: int, seed: Any) -> np.ndarray:
    """Base score per organism and world (P, E), before any cost."""
    import organisms

    ph = organisms.phenotype(sc, population)
    outcomes, _ = organisms.run_population(ph, organisms.stack_worlds(sc.sample("train", worlds, seed)))
    return outcomes @ sc.base_weights


SENSOR_GAIN_CANDIDATES = 40_000
"""The grid size :func:`sensor_gain` accepts per kind: Aurora's four perceivable features (31 104 planners)."""
CHUNK = 2_000
"""Genomes scored at once by :func:`sensor_gain` (bounds the outcome arrays' memory)."""


def sensor_gain(sc: Scenario, select_worlds: int = 200, eval_worlds: int = 500, seed: int = 0) -> dict[str, float]:
    """The landscape prediction of a sensor's break-even cost: the best organism with every sensor on
    against the best with every sensor off, both found by the landscape analysis's grid search
    (``scenarios.analyses.landscape.candidates``, of the kinds the story selects between) on selection worlds and scored on fresh
    common worlds, before sensor costs.

    The sensor should be kept while it costs less per episode than ``gain`` (the sensed winner's base
    score minus the unsensed winner's) and dropped above it: ``gain`` is the predicted boundary on the
    sensor-cost axis. ``se`` is its standard error, paired over the evaluation worlds.
    """
    from organisms.seeding import seed_child
    from scenarios.analyses.landscape import candidates

    if not sc.layout.sensed:
        raise ValueError(f"{sc.name}: no sensed feature, so no sensor cost to predict a boundary on")
    select_seed, eval_seed = seed_child(seed, 0), seed_child(seed, 1)
    # Only the kinds the story's runs may select (Aurora: planners), so the prediction is of what they
    # could evolve; the grid is scored in chunks, so a larger one than the landscape's guard fits memory.
    kinds = [k for k in ("planner", "heuristic") if k in sc.defaults.get("kinds", ("planner", "heuristic"))]
    unsensed = np.vstack([candidates(sc, k, limit=SENSOR_GAIN_CANDIDATES) for k in kinds])
    sensed = unsensed.copy()
    sensed[:, sc.layout.sensors] = 1.0
    best = []
    for cands in (sensed, unsensed):
        means = np.concatenate([_base_scores(sc, cands[i:i + CHUNK], select_worlds, select_seed).mean(axis=1)
                                for i in range(0, len(cands), CHUNK)])
        best.append(cands[int(np.argmax(means))])
    base = _base_scores(sc, np.vstack(best), eval_worlds, eval_seed)
    diff = base[0] - base[1]
    return {"gain": float(diff.mean()), "se": float(diff.std(ddof=1) / np.sqrt(diff.size)),
            "sensed_base": float(base[0].mean()), "unsensed_base": float(base[1].mean())}

