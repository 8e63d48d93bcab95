"""Measure the bottle-cap signature over seeds at the defaults (not collected by pytest).

    python -m studies.bottle_cap_signature [--seeds 5] [--out docs/results/bottle_cap_signature.csv]

Evolves a heuristic-only and a planner-only population per seed at the recommended configuration
(population 150, 60 generations) on open fields, assesses each on 300 worlds per distribution (open
training fields and the ``maze``), infers the behavioral objective of 30 organisms per run on 100
training worlds, writes one row per run and prints a verdict per claim. Scores are population means
as fractions of the oracle.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from organisms.seeding import run_assessment_seed  # each seed on worlds of its own
from studies.claims import thresholds
from studies.signature import run_signature_study, verdict_table

CONDITIONS = {"heuristics only": {"kinds": "heuristic"}, "planners only": {"kinds": "planner"}}
SAMPLE = 30
"""Organisms per run whose behavioral objective is inferred (the fit is the slow part)."""


def measure(point: tuple[str, int]) -> dict:
    """One run: evolve, assess, reduce to the numbers the claims are about."""
    condition, seed = point
    import evolution
    import scenarios

    sc = scenarios.get("bottle_cap", **CONDITIONS[condition])
    run = evolution.evolve(sc, evolution.Config.for_scenario(sc, seed=seed, workers=1), progress=False)
    table = scenarios.assess(sc, run.population, worlds=300, seed=run_assessment_seed(0, seed))
    row = {"condition": condition, "seed": seed, **signature_row(table)}
    sample = np.random.default_rng(seed).choice(len(run.population), SAMPLE, replace=False)
    fits = scenarios.behavioral(sc, run.population[sample], worlds=100, seed=0, bootstrap=0)
    train = fits[fits.distribution == "train"]
    row["behavior_cosine_train"] = train.behavior_cosine.mean()
    row["behavior_accuracy_train"] = train.behavior_accuracy.mean()
    return row


def signature_row(table: pd.DataFrame) -> dict:
    """One run's base score (fraction of the oracle) and decision agreement on the open training
    fields (``train``) and behind walls (``deploy``), from its assessment table (``scenarios.assess``)."""
    row = {}
    for dist, part in table.groupby("distribution", sort=False):
        key = "train" if dist == "train" else "deploy"
        row[f"base_frac_{key}"] = part.base.mean() / part.oracle_base.iloc[0]
        row[f"decision_agreement_{key}"] = part.decision_agreement.mean()
    return row


def run_claims(runs: pd.DataFrame) -> list[tuple[str, pd.Series]]:
    """The claims of the bottle-cap signature that an assessment table carries, as a boolean per pair
    of runs (one heuristic-only and one planner-only run of a seed: the columns ``signature_row``
    gives, prefixed ``heuristic_`` and ``planner_``). The behavioral-cosine claim is not among them:
    it needs each run's fitted behavioral objective (``verdicts`` judges it)."""
    t = thresholds("bottle_cap_signature")
    h_train, p_train = runs.heuristic_base_frac_train, runs.planner_base_frac_train
    return [
        (f"open fields: both kinds >= {t['open_frac_min']:.0%} of the oracle",
         (h_train >= t["open_frac_min"]) & (p_train >= t["open_frac_min"])),
        (f"open fields: kinds within {t['open_kinds_gap_max'] * 100:.0f} points",
         (h_train - p_train).abs() <= t["open_kinds_gap_max"]),
        (f"maze: planners >= {t['maze_planner_frac_min']:.0%} of the oracle",
         runs.planner_base_frac_deploy >= t["maze_planner_frac_min"]),
        (f"maze: heuristics <= {t['maze_heuristic_frac_max']:.0%} of the oracle",
         runs.heuristic_base_frac_deploy <= t["maze_heuristic_frac_max"]),
    ]


def verdicts(runs: pd.DataFrame) -> pd.DataFrame:
    """Each claim of the bottle-cap signature, checked per seed on the pair of runs."""
    h = runs[runs.condition == "heuristics only"].set_index("seed")
    p = runs[runs.condition == "planners only"].set_index("seed")
    t = thresholds("bottle_cap_signature")
    claims = [
        (f"open fields: both kinds >= {t['open_frac_min']:.0%} of the oracle",
         (h.base_frac_train >= t["open_frac_min"]) & (p.base_frac_train >= t["open_frac_min"])),
        (f"open fields: kinds within {t['open_kinds_gap_max'] * 100:.0f} points",
         (h.base_frac_train - p.base_frac_train).abs() <= t["open_kinds_gap_max"]),
        (f"open fields: behavioral cosine within {t['open_cosine_gap_max']:.2f}",
         (h.behavior_cosine_train - p.behavior_cosine_train).abs() <= t["open_cosine_gap_max"]),
        (f"maze: planners >= {t['maze_planner_frac_min']:.0%} of the oracle",
         p.base_frac_deploy >= t["maze_planner_frac_min"]),
        (f"maze: heuristics <= {t['maze_heuristic_frac_max']:.0%} of the oracle",
         h.base_frac_deploy <= t["maze_heuristic_frac_max"]),
    ]
    return verdict_table(claims)


def main() -> None:
    run_signature_study(__doc__, "bottle_cap", measure, CONDITIONS, verdicts)


if __name__ == "__main__":
    main()
