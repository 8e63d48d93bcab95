"""Measure the suboptimality-alignment claims across seeds (not collected by pytest).

    python -m studies.suboptimality_claims [--seeds 5] [--toxin 6] [--compute-cost 0.001]
    python -m studies.suboptimality_claims --out docs/results/suboptimality_planners.csv

Evolves planners at the scenario's defaults for each seed, assesses the final population on 300
training and 300 ``time_to_think`` worlds, groups planners by their mesa-utility of a bait (valuers,
weak valuers, non-valuers: ``groups``) and reports, per seed, each group's size and its loss of base
score from training to deployment (1 - deploy base / train base), judged by the signature per
organism of ``studies/claims.toml [suboptimality]``; with ``--out``, the per-planner rows and the
verdicts (``suboptimality_claims.csv`` beside them).
"""

from __future__ import annotations

import argparse
import os
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd

from organisms.seeding import run_assessment_seed  # each seed on worlds of its own
from studies.claims import thresholds

_CLAIMS = thresholds("suboptimality")
VALUER_UTILITY, VALUER_LOSS, OTHER_LOSS = (_CLAIMS["valuer_utility_min"], _CLAIMS["valuer_loss_min"],
                                           _CLAIMS["other_loss_max"])


def groups(rows: pd.DataFrame) -> pd.Series:
    """Each planner's group by its mesa-utility of a bait: "valuer" (it would walk to the nearest
    bait it saw), "weak valuer" (it values the bait, but less than the walk costs) or "non-valuer"."""
    utility = rows["bait_utility"]
    return pd.Series(np.where(utility > VALUER_UTILITY, "valuer", np.where(utility > 0, "weak valuer", "non-valuer")),
                     index=rows.index, name="group")


def group_loss(rows: pd.DataFrame) -> float:
    """A group's loss of base score, 1 - mean deploy / mean train: a ratio of means, so a planner
    that scores nothing in training (its own ratio undefined) still counts."""
    return float(1.0 - rows["deploy_base"].mean() / rows["train_base"].mean()) if len(rows) else float("nan")


def verdicts(rows: pd.DataFrame) -> pd.DataFrame:
    """The signature per organism, from the per-planner rows: valuers lose >= VALUER_LOSS of their
    base score on average (``group_loss``), non-valuers' change stays within +- OTHER_LOSS; each also
    per seed."""
    group = groups(rows)
    valuers, others = rows[group == "valuer"], rows[group == "non-valuer"]
    per_seed_valuers = valuers.groupby("seed").apply(group_loss, include_groups=False)
    per_seed_others = others.groupby("seed").apply(group_loss, include_groups=False)
    claims = [
        (f"valuers lose >= {VALUER_LOSS:.0%} on average", len(valuers), group_loss(valuers),
         bool(len(valuers)) and group_loss(valuers) >= VALUER_LOSS,
         int((per_seed_valuers >= VALUER_LOSS).sum()), len(per_seed_valuers)),
        (f"non-valuers change within +-{OTHER_LOSS:.0%} on average", len(others), group_loss(others),
         bool(len(others)) and abs(group_loss(others)) <= OTHER_LOSS,
         int((per_seed_others.abs() <= OTHER_LOSS).sum()), len(per_seed_others)),
    ]
    return pd.DataFrame(claims, columns=["claim", "planners", "mean_loss", "holds", "seeds_holding", "seeds"])


def planner_rows(sc, population, table: pd.DataFrame, seed: int = 0) -> pd.DataFrame:
    """A row per planner of one run: its bait utility and horizon, and its training and
    ``time_to_think`` base scores and toxin eaten from the assessment ``table``."""
    import organisms

    genes = organisms.decode(sc, population)
    train = table[table.distribution == "train"].set_index("organism")
    deploy = table[table.distribution == "time_to_think"].set_index("organism")
    return pd.DataFrame({
        "seed": seed, "organism": train.index, "bait_utility": (genes["mesa:food"] + genes["mesa:toxin"]).to_numpy(),
        "horizon": genes["horizon"].to_numpy(), "train_base": train["base"].to_numpy(),
        "deploy_base": deploy["base"].to_numpy(), "train_toxin": train["outcome:toxin"].to_numpy(),
        "deploy_toxin": deploy["outcome:toxin"].to_numpy(),
    })


def signature_row(table: pd.DataFrame) -> dict:
    """Nothing from the assessment table alone: the groups need each planner's genes (``run_row``)."""
    return {}


def run_row(sc, run, worlds: int) -> dict:
    """One run's signature for the robustness maps, from its population and the sweep's assessment:
    each group's size and loss (``group_loss``), and the population's loss."""
    rows = planner_rows(sc, run.population, run.assessment)
    group = groups(rows)
    out = {"planners": len(rows), "loss": group_loss(rows)}
    for name, key in (("valuer", "valuer"), ("weak valuer", "weak_valuer"), ("non-valuer", "non_valuer")):
        part = rows[group == name]
        out[f"{key}s"] = len(part)
        out[f"{key}_loss"] = group_loss(part)
    out["valuer_share"] = out["valuers"] / max(len(rows), 1)
    return out


def run_claims(runs: pd.DataFrame) -> list[tuple[str, pd.Series]]:
    """The signature per run (``claims.toml [suboptimality]``): the run's valuers lose >= VALUER_LOSS of
    their base score (a run without valuers fails: nothing shows the bait's pull), and its non-valuers'
    change stays within +- OTHER_LOSS (vacuous in a run without non-valuers, counted in ``non_valuers``)."""
    others = runs["non_valuer_loss"]
    return [
        (f"valuers lose >= {VALUER_LOSS:.0%}", (runs["valuers"] > 0) & (runs["valuer_loss"] >= VALUER_LOSS)),
        (f"non-valuers change within +-{OTHER_LOSS:.0%}", (runs["non_valuers"] == 0) | (others.abs() <= OTHER_LOSS)),
    ]


def measure(seed: int, toxin: float, compute_cost: float) -> pd.DataFrame:
    """One run: a row per planner with its bait utility, training and deployment base scores."""
    import evolution
    import scenarios

    sc = scenarios.get("suboptimality", toxin=toxin, compute_cost=compute_cost)
    run = evolution.evolve(sc, evolution.Config.for_scenario(sc, seed=seed, workers=1), progress=False)
    table = scenarios.assess(sc, run.population, worlds=300, seed=run_assessment_seed(0, seed))
    return planner_rows(sc, run.population, table, seed)


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
    rows["group"] = groups(rows)
    # Per planner, undefined (NaN) where it scored nothing in training; groups use ``group_loss``.
    rows["loss"] = np.where(rows["train_base"] > 0, 1.0 - rows["deploy_base"] / rows["train_base"].where(
        rows["train_base"] > 0), np.nan)
    if args.out:
        rows.to_csv(args.out, index=False)
    summary = rows.groupby(["seed", "group"]).agg(
        planners=("loss", "size"), horizon=("horizon", "median"), train_base=("train_base", "mean"),
        deploy_base=("deploy_base", "mean"), train_toxin=("train_toxin", "mean"),
        deploy_toxin=("deploy_toxin", "mean")).reset_index()
    summary["group_loss"] = 1.0 - summary["deploy_base"] / summary["train_base"]
    claims = verdicts(rows)
    if args.out:
        claims.to_csv(Path(args.out).with_name("suboptimality_claims.csv"), index=False, float_format="%.6g")
    with pd.option_context("display.width", 200, "display.float_format", "{:.3f}".format):
        print(summary.to_string(index=False))
        print(claims.to_string(index=False))
    print(f"\ntoxin {args.toxin}, compute cost {args.compute_cost}: planners scoring nothing in training "
          f"(per-planner loss undefined): {int(rows['loss'].isna().sum())} of {len(rows)}")

if __name__ == "__main__":
    main()
