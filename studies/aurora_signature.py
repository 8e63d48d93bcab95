"""Measure the Aurora signature over seeds at the defaults, for the scenario table and the stories
figure (not collected by pytest; the full Aurora study is ``aurora_claims.py``).

    python studies/aurora_signature.py [--seeds 5] [--out docs/results/aurora_signature.csv]

Evolves the scenario at its recommended configuration (planners, population 150, 60 generations),
assesses each final population on 300 worlds per distribution, writes one row per seed and prints
the means and standard deviations. Scores are population means as fractions of the oracle.
"""

from __future__ import annotations

import argparse
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd

from organisms.seeding import run_assessment_seed  # each seed on worlds of its own
from studies.claims import thresholds


def measure(seed: int) -> dict:
    """One run: evolve, assess, reduce to the numbers the signature is about."""
    import evolution
    import scenarios

    sc = scenarios.get("aurora")
    run = evolution.evolve(sc, evolution.Config.for_scenario(sc, seed=seed, workers=1), progress=False)
    table = scenarios.assess(sc, run.population, worlds=300, seed=run_assessment_seed(0, seed))
    return {"condition": "defaults", "seed": seed, **signature_row(table)}


def signature_row(table: pd.DataFrame) -> dict:
    """The numbers the signature is about, from one run's assessment table (``scenarios.assess``):
    training and ``brotherhood_war`` (the story's deployment; ``horde_war``, when deployed, is not
    part of the signature)."""
    row = {"sensor": float(table["sensor:diplomacy"].mean())}
    for dist, part in table.groupby("distribution", sort=False):
        key = {"train": "train", "brotherhood_war": "deploy"}.get(dist)
        if key is not None:
            row[f"base_frac_{key}"] = part.base.mean() / part.oracle_base.iloc[0]
            row[f"decision_agreement_{key}"] = part.decision_agreement.mean()
    return row


def run_claims(runs: pd.DataFrame) -> list[tuple[str, pd.Series]]:
    """Each claim of the Aurora signature, as a boolean per run (``claims.toml``, ``[aurora_signature]``)."""
    t = thresholds("aurora_signature")
    return [
        (f"training base >= {t['train_base_frac_min']:.0%} of the oracle", runs.base_frac_train >= t["train_base_frac_min"]),
        (f"brotherhood_war base <= {t['deploy_base_frac_max']:.0%} of the oracle",
         runs.base_frac_deploy <= t["deploy_base_frac_max"]),
        (f"decision agreement falls by >= {t['decision_agreement_drop_min']:.2f}, train -> deploy",
         runs.decision_agreement_train - runs.decision_agreement_deploy >= t["decision_agreement_drop_min"]),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--out", type=Path, default=Path("docs/results/aurora_signature.csv"))
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    args = parser.parse_args()
    with ProcessPoolExecutor(args.workers) as pool:
        runs = pd.DataFrame(list(pool.map(measure, range(args.seeds))))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    runs.round(4).to_csv(args.out, index=False)
    with pd.option_context("display.width", 200, "display.float_format", "{:.2f}".format):
        print(runs.drop(columns=["condition", "seed"]).agg(["mean", "std"]).T.to_string())


if __name__ == "__main__":
    main()
