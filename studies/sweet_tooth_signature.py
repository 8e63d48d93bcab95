"""Measure the sweet-tooth signature over seeds at the defaults (not collected by pytest).

    python -m studies.sweet_tooth_signature [--seeds 5] [--out docs/results/sweet_tooth_signature.csv]

Evolves the scenario at its recommended configuration (population 150, 60 generations) with the
kind gene free and with heuristics only, assesses each final population on 300 worlds per
distribution (ancestral training worlds and ``modern``), writes one row per run and prints a verdict
per claim. Scores are population means as fractions of the oracle.
"""

from __future__ import annotations

import pandas as pd

from organisms.seeding import run_assessment_seed  # each seed on worlds of its own
from studies.claims import thresholds
from studies.signature import run_signature_study, verdict_table

CONDITIONS = {"both kinds": {}, "heuristics only": {"kinds": "heuristic"}}


def measure(point: tuple[str, int]) -> dict:
    """One run: evolve, assess, reduce to the numbers the claims are about."""
    condition, seed = point
    import evolution
    import scenarios

    sc = scenarios.get("sweet_tooth", **CONDITIONS[condition])
    run = evolution.evolve(sc, evolution.Config.for_scenario(sc, seed=seed, workers=1), progress=False)
    table = scenarios.assess(sc, run.population, worlds=300, seed=run_assessment_seed(0, seed))
    return {"condition": condition, "seed": seed, **signature_row(table)}


def signature_row(table: pd.DataFrame) -> dict:
    """The numbers the claims are about, from one run's assessment table (``scenarios.assess``)."""
    row = {"planner_share": float(table.planning.mean()), "sensor": float(table["sensor:nutrition"].mean())}
    for dist, part in table.groupby("distribution", sort=False):
        key = "train" if dist == "train" else "deploy"
        row[f"base_frac_{key}"] = part.base.mean() / part.oracle_base.iloc[0]
        row[f"sweet_{key}"] = part["outcome:sweet"].mean()
        row[f"decision_agreement_{key}"] = part.decision_agreement.mean()
    row["sweet_rise"] = row["sweet_deploy"] / row["sweet_train"] - 1.0
    return row


def run_claims(runs: pd.DataFrame) -> list[tuple[str, pd.Series]]:
    """Each claim of the sweet-tooth signature, as a boolean per run."""
    t = thresholds("sweet_tooth_signature")
    return [
        (f"ancestral base >= {t['ancestral_base_frac_min']:.0%} of the oracle",
         runs.base_frac_train >= t["ancestral_base_frac_min"]),
        (f"modern base <= {t['modern_base_frac_max']:.0%} of the oracle", runs.base_frac_deploy <= t["modern_base_frac_max"]),
        (f"sweet items eaten rise by >= {t['sweet_rise_min']:.0%}", runs.sweet_rise >= t["sweet_rise_min"]),
        (f"decision agreement falls by >= {t['decision_agreement_drop_min']:.2f}, ancestral -> modern",
         runs.decision_agreement_train - runs.decision_agreement_deploy >= t["decision_agreement_drop_min"]),
    ]


def verdicts(runs: pd.DataFrame) -> pd.DataFrame:
    """Each claim of the sweet-tooth signature, checked on every run (both conditions)."""
    return verdict_table(run_claims(runs))


def main() -> None:
    run_signature_study(__doc__, "sweet_tooth", measure, CONDITIONS, verdicts)


if __name__ == "__main__":
    main()
