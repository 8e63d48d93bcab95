"""What goal the planners kept: the population's mesa-objective weights beside the base objective's.

Drawn from a decoded population (``organisms.decode``: a row per organism, ``mesa:<feature>``
columns, NaN where the organism does not perceive the feature) and the objectives as plain
``{feature: weight}`` dicts. The only arithmetic is display: each weight vector scaled to unit
length.

Why unit length: a planner chooses the item maximising mesa-utility minus 0.05 per step of
distance, so what its objective *says* is its direction (which features it wants, which it avoids,
in what proportion); the overall scale only trades utility against walking, and evolution leaves it
wherever drift puts it. Agreement is a correlation, blind to scale too. Scaled to unit length, the
planners' weights can be read against each other and against the base objective on one axis.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from plots import style

MESA = "mesa:"
BASE_MARKER = {"marker": "D", "markersize": 6.5, "color": style.OKABE_ITO["black"]}
INTENDED_MARKER = {"marker": "o", "markersize": 10, "markerfacecolor": "none",
                   "markeredgecolor": style.OKABE_ITO["bluish_green"], "markeredgewidth": 1.6}
OFFSET = 0.32
"""Objective markers sit this far right of their feature's strip, clear of the points."""


def mesa_features(decoded: pd.DataFrame) -> list[str]:
    """The perceivable features of a decoded population, in column order (from ``mesa:<feature>``)."""
    return [c[len(MESA):] for c in decoded.columns if c.startswith(MESA)]


def unit_length(weights: pd.DataFrame) -> pd.DataFrame:
    """Each row scaled to unit Euclidean length over its non-NaN entries; an all-zero row becomes NaN.

    NaN entries (features not perceived) stay NaN: the planner does not weigh them at all.
    """
    values = weights.to_numpy(float)
    norm = np.sqrt(np.nansum(values ** 2, axis=1, keepdims=True))
    with np.errstate(divide="ignore", invalid="ignore"):
        # A planner that weighs nothing has no direction to show.
        scaled = np.where(norm > 0, values / norm, np.nan)
    return pd.DataFrame(scaled, index=weights.index, columns=weights.columns)


def _objective(weights: Mapping[str, float], features: list[str], normalise: bool) -> np.ndarray:
    vector = np.array([float(weights.get(f, 0.0)) for f in features])
    norm = np.linalg.norm(vector)
    return vector / norm if normalise and norm > 0 else vector


def _check(decoded: pd.DataFrame, base: Mapping[str, float], intended: Mapping[str, float] | None) -> None:
    if not isinstance(decoded, pd.DataFrame) or not mesa_features(decoded):
        raise ValueError("decoded: expected an organisms.decode table with mesa:<feature> columns")
    for name, weights in (("base", base), ("intended", intended)):
        if weights is not None and (not isinstance(weights, Mapping) or not weights):
            raise ValueError(f"{name}: expected a non-empty dict feature -> weight, got {weights!r}")


def objective_weights(decoded: pd.DataFrame, base: Mapping[str, float],
                      intended: Mapping[str, float] | None = None, ax: Axes | None = None,
                      normalise: bool = True) -> Figure:
    """The planners' mesa-objective weights per feature, beside the base objective's (and the
    intended goal's).

    Per feature: a box (quartiles and median) and a strip of points, one per planner that perceives
    the feature (the tick label says how many); a black diamond at the base objective's weight and,
    when given, a hollow green circle at the intended goal's. Features that some objective weighs
    but no organism can perceive get a column of their own, with no points. Heuristics have no
    mesa-objective and are left out (the x label says how many).

    Args:
        decoded: an ``organisms.decode`` table (``kind`` and ``mesa:<feature>`` columns).
        base: the base objective, feature -> weight (``dict(sc.base.weights)``).
        intended: the intended goal, if it differs from the base objective.
        ax: an axes to draw into; by default a new figure.
        normalise: scale each planner's weight vector, and each objective, to unit length (see the
            module docstring for why); False draws the genes' raw weights.

    Returns:
        The Figure drawn into.
    """
    _check(decoded, base, intended)
    perceivable = mesa_features(decoded)
    features = perceivable + [f for w in (base, intended or {}) for f in w if f not in perceivable]
    features = list(dict.fromkeys(features))
    planners = decoded[decoded["kind"] == "planner"] if "kind" in decoded.columns else decoded
    weights = planners[[MESA + f for f in perceivable]]
    weights = unit_length(weights) if normalise else weights
    base_vec = _objective(base, features, normalise)
    intended_vec = None if intended is None else _objective(intended, features, normalise)
    same = intended_vec is not None and np.allclose(intended_vec, base_vec)
    n = len(planners)
    with style.house_style():
        if ax is None:
            fig, ax = style.new_figure(max(style.COLUMN_WIDTH, 1.2 + 0.8 * len(features)), 3.0)
        else:
            fig = style.figure_of(ax)
        style.reference_line(ax, 0.0)
        xs, ys = [], []
        labels = []
        for i, feature in enumerate(features):
            column = MESA + feature
            values = weights[column].dropna().to_numpy(float) if column in weights else np.empty(0)
            if values.size:
                ax.boxplot([values], positions=[i], widths=0.42, showfliers=False, whis=(0, 100),
                           patch_artist=True, manage_ticks=False, zorder=2,
                           boxprops={"facecolor": "#eef3fa", "edgecolor": "#4d4d4d", "linewidth": 0.8},
                           medianprops={"color": style.KIND["planner"], "linewidth": 1.6},
                           whiskerprops={"color": "#4d4d4d", "linewidth": 0.8},
                           capprops={"color": "#4d4d4d", "linewidth": 0.8})
                # Deterministic jitter (golden-ratio sequence): the same data draw the same figure.
                xs.append(i + 0.3 * (((np.arange(values.size) * 0.618034) % 1.0) - 0.5))
                ys.append(values)
            perceived = f"n={values.size}" if column in weights else "not perceivable"
            labels.append(f"{feature}\n{perceived}")
        ax.scatter(np.concatenate(xs) if xs else [], np.concatenate(ys) if ys else [], s=11,
                   color=style.KIND["planner"], alpha=0.45, edgecolors="none", zorder=3,
                   label=f"planners (n={n})")
        x = np.arange(len(features)) + OFFSET
        ax.plot(x, base_vec, linestyle="none", zorder=5,
                label="base objective = intended goal" if same else "base objective", **BASE_MARKER)
        if intended_vec is not None and not same:
            ax.plot(x, intended_vec, linestyle="none", zorder=4, label="intended goal", **INTENDED_MARKER)
        if n == 0:
            ax.text(0.5, 0.5, "no planner in the population", transform=ax.transAxes, ha="center",
                    va="center", fontsize=8, color="#555555")
        ax.set_xticks(np.arange(len(features)), labels)
        ax.set_xlim(-0.6, len(features) - 0.35)
        if normalise:
            # Components of a unit vector lie in [-1, 1]: a fixed scale, comparable across figures.
            ax.set_ylim(-1.08, 1.08)
            ax.set_yticks([-1, -0.5, 0, 0.5, 1])
        ax.set_ylabel("weight (unit length per planner\nand per objective)" if normalise else "weight (raw)")
        note = "n: planners that perceive the feature"
        heuristics = len(decoded) - n
        if heuristics:
            note += f"\n{heuristics} heuristics not shown (no mesa-objective)"
        ax.set_xlabel(note, fontsize=7.5, color="#555555")
        title = ax.set_title("Mesa-objectives vs the base objective", loc="left")
        style.tidy(ax)
        handles, names = ax.get_legend_handles_labels()
        # The strip's legend glyph: an opaque dot, so it reads at legend size.
        handles[0] = Line2D([], [], linestyle="none", marker="o", markersize=4.5,
                            color=style.KIND["planner"], alpha=0.7)
        style.legend_beside_title(ax, title, handles=handles, labels=names)
    return fig
