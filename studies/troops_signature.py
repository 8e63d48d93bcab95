"""Measure the troops signature over seeds at the defaults (not collected by pytest).

    python -m studies.troops_signature [--seeds 5] [--out docs/results/troops_signature.csv]

Evolves the scenario at its recommended configuration (population 150, 60 generations) with the
kind gene free, with heuristics only, with planners only, and with the improved goal (selection on
strength), assesses each final population on 300 worlds per distribution, writes one row per run and
prints a verdict per claim. Scores are population means as fractions of the oracle of the same
objective: ``troops_*`` of the troop-count oracle, ``strength_*`` of the strength oracle.
"""

from __future__ import annotations

import pandas as pd

from organisms.seeding import run_assessment_seed  # each seed on worlds of its own
from studies.claims import thresholds
from studies.signature import run_signature_study, verdict_table

CONDITIONS = {
    "troops, both kinds": {},
    "troops, heuristics only": {"kinds": "heuristic"},
    "troops, planners only": {"kinds": "planner"},
    "improved goal": {"improved_goal": True},
}


def measure(point: tuple[str, int]) -> dict:
    """One run: evolve, assess, reduce to the numbers the claims are about."""
    condition, seed = point
    import evolution
    import scenarios

    sc = scenarios.get("troops", **CONDITIONS[condition])
    run = evolution.evolve(sc, evolution.Config.for_scenario(sc, seed=seed, workers=1), progress=False)
    table = scenarios.assess(sc, run.population, worlds=300, seed=run_assessment_seed(0, seed))
    return {"condition": condition, "seed": seed, **signature_row(table)}


def signature_row(table: pd.DataFrame) -> dict:
    """The numbers the claims are about, from one run's assessment table (``scenarios.assess``)."""
    row = {"planner_share": float(table.planning.mean())}
    for dist, part in table.groupby("distribution", sort=False):
        key = "train" if dist == "train" else "deploy"
        row[f"base_frac_{key}"] = part.base.mean() / part.oracle_base.iloc[0]
        row[f"strength_frac_{key}"] = part.intended.mean() / part.oracle_intended.iloc[0]
        row[f"troops_{key}"] = part["outcome:troops"].mean()
        row[f"outer_gap_{key}"] = part.outer_gap.mean()
        row[f"decision_agreement_{key}"] = part.decision_agreement.mean()
    return row


def run_claims(troops: pd.DataFrame) -> list[tuple[str, pd.Series]]:
    """The claims of the troops signature that each run of the troops story (selection on troop
    count) is checked on, as a boolean per run; the improved goal and the kinds comparison are
    claims about other conditions."""
    t = thresholds("troops_signature")
    return [
        (f"troop count >= {t['troops_frac_min']:.0%} of the troop oracle (train)",
         troops.base_frac_train >= t["troops_frac_min"]),
        (f"army strength <= {t['strength_frac_max']:.0%} of the strength oracle (train)",
         troops.strength_frac_train <= t["strength_frac_max"]),
        ("outer gap wider in deployment than in training", troops.outer_gap_deploy > troops.outer_gap_train),
    ]


def verdicts(runs: pd.DataFrame) -> pd.DataFrame:
    """Each claim of the troops signature, checked on every run it is about."""
    troops = runs[runs.condition != "improved goal"]
    improved = runs[runs.condition == "improved goal"]
    by = runs.groupby("condition").outer_gap_train.mean()
    kinds_gap = abs(by["troops, heuristics only"] - by["troops, planners only"])
    t = thresholds("troops_signature")
    per_run = run_claims(troops)
    claims = [
        *per_run[:2],
        (f"improved goal: strength >= {t['improved_strength_frac_min']:.0%} of the strength oracle",
         improved.strength_frac_train >= t["improved_strength_frac_min"]),
        per_run[2],
        (f"heuristic-only vs planner-only mean outer gap within {t['kinds_gap_max']:.2f} ({kinds_gap:.2f})",
         pd.Series([kinds_gap <= t["kinds_gap_max"]])),
    ]
    return verdict_table(claims)


def main() -> None:
    run_signature_study(__doc__, "troops", measure, CONDITIONS, verdicts)


if __name__ == "__main__":
    main()
