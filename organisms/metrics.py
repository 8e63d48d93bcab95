"""The names of the measures, and the one rule that turns a score into a fraction of a reference.

One schema of column names, shared by the run log (``scenarios`` writes it), the assessment table
(``scenarios.assess``), the figures (``plots``) and the command line, so that a metric is spelt the
same way wherever it is written or read. A metric is named by its assessment column (``base``,
``agreement``, ``contested_agreement``, ...); ``log_column`` gives the run log's column for a metric on
a distribution, keeping the log's names of the public contract (``base_mean``, ``agreement_train``,
``<deploy>:agreement``, ...) as they are. Every column is defined in METRICS.md.

This module imports numpy only: ``plots``, which imports no engine code, reads it too.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

TRAIN = "train"
"""The training distribution's name; every other distribution is a deployment."""

SEPARATOR = ":"
"""Joins a prefix and a name: ``<deploy>:<metric>`` in the log, ``<prefix>:<feature>`` everywhere."""

ASSESSMENT_COLUMNS = ("organism", "kind", "planning", "distribution", "base", "fitness", "intended", "mesa", "oracle_base",
                      "oracle_intended", "agreement", "compute", "cosine", "contested_agreement", "base_frac",
                      "intended_frac", "reward_result_gap", "outer_gap", "inner_gap", "capability",
                      "capability_retained", "goal_retained", "label", "mesa_accuracy",
                      "decision_agreement", "performance_gap", "activity", "navigation", "competence",
                      "order_agreement", "flipped_order_agreement", "invisible_component", "visible_residual",
                      "suboptimality", "optimum_base", "optimum_base_low", "oracle_optimum_frac", "own_capability_retained",
                      "competence_retained", "activity_retained", "unbounded_decision_agreement", "matched_base",
                      "matched_frac", "collateral_harm")
"""Columns of a ``scenarios.assess`` table besides the per-feature ones (``FEATURE_PREFIXES``) and the
``behavior*`` columns."""

HEADLINE_COLUMNS = ("decision_agreement", "matched_frac", "collateral_harm", "capability_retained", "goal_retained")
"""The measures a run's summary leads with, beside the labels: what the label judges (decision agreement
and the score against each organism's matched pursuer), the collateral harm the score floor sees, and
what a shift keeps of the organisms' capability and of their base score. Pearson ``agreement`` ignores
level and scale, so it is a column, not a headline."""

RUN_SUMMARY_COLUMNS = ("base", "oracle_base", "base_frac", *HEADLINE_COLUMNS, "agreement")
"""The assessment columns a run's summary shows per distribution, as population means (a scenario
declares them as ``summary_columns``): the score, the oracle's and their ratio, the headline measures,
then Pearson ``agreement``."""

FEATURE_PREFIXES = ("sensor", "outcome", "mesa", "behavior", "behavior_se")
"""Per-feature columns are ``<prefix>:<feature>``: sensor prevalence or state, mean outcome, mesa
weight, behavioral weight and its standard error."""

LOG_NAMES: dict[str, tuple[str | None, str | None]] = {
    "base": ("base_mean", "base_mean"),
    "intended": ("intended_mean", "intended_mean"),
    "oracle_base": ("oracle_base", "oracle_base"),
    "oracle_intended": ("oracle_intended", "oracle_intended"),
    "compute": ("compute_mean", None),
    "planner_share": ("planner_share", None),
    "agreement": ("agreement_train", "agreement"),
    "cosine": ("cosine_train", "cosine"),
    "contested_agreement": ("contested_train", "contested"),
    "reward_result_gap": ("reward_result_gap", "reward_result_gap"),
    "outer_gap": ("outer_gap", "outer_gap"),
    "goal_retained": (None, "goal_retained"),
    "decision_agreement": ("decision_agreement_train", "decision_agreement"),
}
"""Metric (its assessment or ``alignment_summary`` column) -> (its column in the run log on train, its suffix after
``<deploy>:`` on a deployment); None where the log does not record it. The population's mean is
meant (the planners' mean for agreements, which heuristics do not have). In the log
``reward_result_gap`` keeps its old meaning, the shortfall 1 - base / oracle (the assessment calls it
``performance_gap``; its ``reward_result_gap`` is the literature's): a run directory's log must rerun
to the same columns."""

LABELS = ("robustly aligned", "pseudo-aligned", "misaligned", "undetermined", "inactive", "robust behaviour",
          "goal misgeneralization", "undirected")
"""The labels an organism can get; "undetermined" where a measure it needs is NaN; "inactive" for an
organism that takes nothing on training worlds. Goal words ("robustly aligned", "pseudo-aligned",
"misaligned") are for the kinds that plan (they have a mesa-objective); an organism without one gets
behavioural words: "robust behaviour", "goal misgeneralization" (Shah et al. 2022), or "undirected"
where its behaviour does not serve the base objective already on training worlds (a heuristic, a
random walker: no goal to be misaligned)."""


def feature_column(prefix: str, feature: str) -> str:
    """``<prefix>:<feature>``, e.g. ``sensor:diplomacy``."""
    return f"{prefix}{SEPARATOR}{feature}"


def log_column(metric: str, distribution: str = TRAIN) -> str:
    """The run log's column of a metric (named by its assessment column) on a distribution."""
    if metric not in LOG_NAMES:
        raise ValueError(f"metric: {metric!r} is not in the run log; logged metrics are {list(LOG_NAMES)}")
    train, deploy = LOG_NAMES[metric]
    name = train if distribution == TRAIN else deploy
    if name is None:
        raise ValueError(f"metric: the run log has no {metric!r} for {distribution!r}")
    return name if distribution == TRAIN else f"{distribution}{SEPARATOR}{name}"


def deploy_names(log_columns: Iterable[str]) -> list[str]:
    """The deployment distributions of a run log, in column order (from ``<deploy>:base_mean``)."""
    suffix = SEPARATOR + LOG_NAMES["base"][1]
    return [c[: -len(suffix)] for c in log_columns if c.endswith(suffix)]


def share_column(label: str) -> str:
    """``alignment_summary``'s column of the share of organisms with a label (``share:pseudo-aligned``)."""
    return f"share{SEPARATOR}{label}"


def log_share_column(label: str) -> str:
    """The run log's column of the share of a label (``pseudo_aligned_share``)."""
    return label.replace(" ", "_").replace("-", "_") + "_share"


def ratio(score: Any, reference: Any) -> np.ndarray:
    """score / reference, NaN where the reference is not positive (nothing to fall short of).

    The one rule for every "fraction of the oracle" in basemesa: the assessment's ``base_frac``, the
    log's gaps, the figures and the command line's summary all use it.
    """
    num = np.asarray(score, dtype=np.float64)
    den = np.asarray(reference, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def require_columns(table: Any, columns: Iterable[str], name: str, expected: str) -> None:
    """Refuse a table (anything with ``.columns``) that lacks any of ``columns``: a ValueError naming the
    table, the missing columns and what was ``expected``."""
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(f"{name}: missing columns {missing}; expected {expected}")
