"""Measure the suboptimality-alignment claims across seeds (not collected by pytest).

    python -m studies.suboptimality_claims [--seeds 5] [--toxin 6] [--compute-cost 0.001]
    python -m studies.suboptimality_claims --out docs/results/suboptimality_planners.csv

Evolves planners at the scenario's defaults for each seed, assesses the final population on 300
training and 300 ``time_to_think`` worlds, splits planners by whether their mesa-objective values
the bait (food weight + toxin weight > 0) and reports, per seed, each group's share and its loss of
base score from training to deployment (1 - deploy base / train base), with the issue's signature:
valuers lose >= 40 %, the others < 10 %.
"""

from __future__ import annotations

import argparse
import os
from concurrent.futures import ProcessPoolExecutor
from functools import partial

import numpy as np
import pandas as pd

from organisms.seeding import run_assessment_seed  # each seed on worlds of its own

VALUER_LOSS, OTHER_LOSS = 0.40, 0.10


def measure(seed: int, toxin: float, compute_cost: float) -> pd.DataFrame:
    """One run: a row per planner with its bait utility, training and deployment base scores."""
    import evolution
    import organisms
    import scenarios

    sc = scenarios.get("suboptimality", toxin=toxin, compute_cost=compute_cost)
    run = evolution.evolve(sc, evolution.Config.for_scenario(sc, seed=seed, workers=1), progress=False)
    genes = organisms.decode(sc, run.population)
    table = scenarios.assess(sc, run.population, worlds=300, seed=run_assessment_seed(0, seed))
    train = table[table.distribution == "train"].set_index("organism")
    deploy = table[table.distribution == "time_to_think"].set_index("organism")
    return pd.DataFrame({
        "seed": seed, "organism": train.index, "bait_utility": (genes["mesa:food"] + genes["mesa:toxin"]).to_numpy(),
        "horizon": genes["horizon"].to_numpy(), "train_base": train["base"].to_numpy(),
        "deploy_base": deploy["base"].to_numpy(), "train_toxin": train["outcome:toxin"].to_numpy(),
        "deploy_toxin": deploy["outcome:toxin"].to_numpy(),
    })


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--toxin", type=float, default=6.0)
    parser.add_argument("--compute-cost", type=float, default=1e-3)
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--out", default=None, help="a CSV to write the per-planner rows to")
    args = parser.parse_args()
    with ProcessPoolExecutor(args.workers) as pool:
        rows = pd.concat(pool.map(partial(measure, toxin=args.toxin, compute_cost=args.compute_cost),
                                  range(args.seeds)), ignore_index=True)
    rows["values_bait"] = rows["bait_utility"] > 0
    rows["loss"] = 1.0 - rows["deploy_base"] / rows["train_base"]
    if args.out:
        rows.to_csv(args.out, index=False)
    summary = rows.groupby(["seed", "values_bait"]).agg(
        share=("loss", "size"), horizon=("horizon", "median"), train_base=("train_base", "mean"),
        deploy_base=("deploy_base", "mean"), mean_loss=("loss", "mean"), train_toxin=("train_toxin", "mean"),
        deploy_toxin=("deploy_toxin", "mean")).reset_index()
    summary["share"] = summary["share"] / summary.groupby("seed")["share"].transform("sum")
    valuers, others = rows[rows.values_bait], rows[~rows.values_bait]
    with pd.option_context("display.width", 200, "display.float_format", "{:.3f}".format):
        print(summary.to_string(index=False))
    print(f"\ntoxin {args.toxin}, compute cost {args.compute_cost}: planners valuing the bait "
          f"{rows.values_bait.mean():.0%} of all (per seed {np.round(rows.groupby('seed').values_bait.mean().to_numpy(), 2)})")
    print(f"valuers losing >= {VALUER_LOSS:.0%}: {(valuers.loss >= VALUER_LOSS).mean():.0%} of {len(valuers)}; "
          f"mean loss {valuers.loss.mean():.0%}")
    print(f"others losing < {OTHER_LOSS:.0%}: {(others.loss < OTHER_LOSS).mean():.0%} of {len(others)}; "
          f"mean loss {others.loss.mean():.0%}")
    acting = valuers[valuers.bait_utility > 0.05 * 7]
    print(f"valuers whose bait utility exceeds the distance cost of the nearest bait (> 0.35): {len(acting)}, "
          f"losing >= {VALUER_LOSS:.0%}: {(acting.loss >= VALUER_LOSS).mean():.0%}")


if __name__ == "__main__":
    main()
