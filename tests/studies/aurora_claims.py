"""Measure the Aurora claims on full configurations, across seeds (not collected by pytest).

    python -m tests.studies.aurora_claims [--seeds 5] [--out runs/aurora-claims]
    python -m tests.studies.aurora_claims --free-sensor-seeds 20

Runs every condition (banner reliability x sensor cost x population/generations) for each seed,
assesses the final population on 300 worlds per distribution, prints one row per run and a verdict
per claim, and writes ``runs.csv``, ``conditions.csv`` and ``claims.csv`` into ``--out``.
"""

from __future__ import annotations

import argparse
import itertools
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd

SIZES = ((100, 40), (150, 60), (200, 80))
RELIABILITIES = (1.0, 0.75, 0.5)
COSTS = (0.2, 0.5, 0.0)


def measure(point: tuple) -> dict:
    """One run: evolve, assess, reduce to the numbers the claims are about."""
    reliability, cost, (population, generations), seed = point
    import evolution
    import scenarios

    sc = scenarios.get("aurora", banner_reliability=reliability, sensor_cost=cost)
    cfg = evolution.Config.for_scenario(sc, seed=seed, population=population,
                                        generations=generations, workers=1)
    run = evolution.evolve(sc, cfg, progress=False)
    table = scenarios.assess(sc, run.population, worlds=300, seed=0)
    train = table[table.distribution == "train"]
    deploy = table[table.distribution == "brotherhood_war"]
    return {
        "reliability": reliability, "sensor_cost": cost, "population": population,
        "generations": generations, "seed": seed,
        "best_train_frac": train.base.max() / train.oracle_base.iloc[0],
        "deploy_frac": deploy.base.mean() / deploy.oracle_base.iloc[0],
        "sensor": train["sensor:diplomacy"].mean(),
        "agree_train": train.agreement.mean(),
        "agree_deploy": deploy.agreement.mean(),
    }


def verdicts(runs: pd.DataFrame) -> pd.DataFrame:
    """Each claim of the Aurora issue, checked on every run it is about."""
    reliable = runs[(runs.reliability == 1.0) & (runs.sensor_cost > 0)]
    mitigated = runs[(runs.reliability < 1.0) & (runs.sensor_cost > 0)]
    free = runs[(runs.reliability == 1.0) & (runs.sensor_cost == 0)]
    drop = reliable.agree_train - reliable.agree_deploy
    claims = [
        ("rel 1: best organism >= 85% of oracle on train", reliable.best_train_frac >= 0.85),
        ("rel 1: population deploy <= 10% of oracle", reliable.deploy_frac <= 0.10),
        ("rel 1: diplomacy sensor <= 15% of population", reliable.sensor <= 0.15),
        ("rel 1: population agreement on train >= 0.7", reliable.agree_train >= 0.7),
        ("rel 1: agreement falls by >= 0.5 train -> deploy", drop >= 0.5),
        ("rel 0.5/0.75: sensor carried by >= 80%", mitigated.sensor >= 0.8),
        ("rel 0.5/0.75: population deploy >= 70% of oracle", mitigated.deploy_frac >= 0.7),
        ("rel 0.5/0.75: population deploy agreement >= 0.6", mitigated.agree_deploy >= 0.6),
        ("free sensor, rel 1: deploy <= 10% of oracle", free.deploy_frac <= 0.10),
    ]
    return pd.DataFrame([{"claim": c, "runs": len(ok), "hold": int(ok.sum()),
                          "verdict": "holds" if ok.all() and len(ok) else "FAILS"} for c, ok in claims])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--out", type=Path, default=Path("runs/aurora-claims"))
    parser.add_argument("--workers", type=int, default=os.cpu_count())
    parser.add_argument("--free-sensor-seeds", type=int, default=0, metavar="N",
                        help="instead: the free-sensor control at the defaults (150 x 60) over N seeds")
    args = parser.parse_args()
    if args.free_sensor_seeds:
        with ProcessPoolExecutor(args.workers) as pool:
            runs = pd.DataFrame(list(pool.map(
                measure, [(1.0, 0.0, (150, 60), seed) for seed in range(args.free_sensor_seeds)])))
        with pd.option_context("display.width", 200, "display.float_format", "{:.2f}".format):
            print(runs.to_string(index=False))
        print(f"deploy <= 10 % of the oracle in {(runs.deploy_frac <= 0.10).sum()} of {len(runs)} seeds; "
              f"deploy from {runs.deploy_frac.min():.0%} to {runs.deploy_frac.max():.0%}, "
              f"mean {runs.deploy_frac.mean():.0%}")
        return
    points = [(r, c, s, seed) for r, c, s in itertools.product(RELIABILITIES, COSTS, SIZES)
              if not (c == 0.0 and r < 1.0)
              for seed in range(args.seeds)]
    with ProcessPoolExecutor(args.workers) as pool:
        runs = pd.DataFrame(list(pool.map(measure, points)))
    args.out.mkdir(parents=True, exist_ok=True)
    runs.to_csv(args.out / "runs.csv", index=False)
    by_condition = runs.groupby(["reliability", "sensor_cost", "population", "generations"]).agg(
        best_train_frac=("best_train_frac", "min"), deploy_frac_min=("deploy_frac", "min"),
        deploy_frac_max=("deploy_frac", "max"), sensor_min=("sensor", "min"), sensor_max=("sensor", "max"),
        agree_train=("agree_train", "mean"), agree_deploy=("agree_deploy", "mean"))
    table = verdicts(runs)
    with pd.option_context("display.width", 200, "display.float_format", "{:.2f}".format):
        print(by_condition.to_string())
        print()
        print(table.to_string(index=False))
    by_condition.to_csv(args.out / "conditions.csv")
    table.to_csv(args.out / "claims.csv", index=False)


if __name__ == "__main__":
    main()
