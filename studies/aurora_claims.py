"""Measure the Aurora claims on full configurations, across seeds (not collected by pytest).

    python -m studies.aurora_claims [--seeds 5] [--out docs/results]
    python -m studies.aurora_claims --free-sensor-seeds 20 [--out docs/results]
    python -m studies.aurora_claims --table     # the README's rows from the committed tables

Runs every condition (banner reliability x sensor cost x population/generations) for each seed,
assesses the final population on 300 worlds per distribution, prints one row per run and a verdict
per claim, and writes ``aurora_claims_runs.csv``, ``aurora_claims_conditions.csv`` and
``aurora_claims.csv`` into ``--out``. The free-sensor control (``--free-sensor-seeds``) writes
``aurora_lottery_runs.csv`` and its own verdict, ``aurora_lottery.csv``.
"""

from __future__ import annotations

import argparse
import itertools
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd

from organisms.seeding import run_assessment_seed  # each seed on worlds of its own
from studies.claims import thresholds

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
    table = scenarios.assess(sc, run.population, worlds=300, seed=run_assessment_seed(0, seed))
    train = table[table.distribution == "train"]
    deploy = table[table.distribution == "brotherhood_war"]
    return {
        "reliability": reliability, "sensor_cost": cost, "population": population,
        "generations": generations, "seed": seed,
        "best_train_frac": train.base.max() / train.oracle_base.iloc[0],
        "train_frac": train.base.mean() / train.oracle_base.iloc[0],
        "deploy_frac": deploy.base.mean() / deploy.oracle_base.iloc[0],
        "sensor": train["sensor:diplomacy"].mean(),
        "agree_train": train.agreement.mean(),
        "agree_deploy": deploy.agreement.mean(),
    }


def verdicts(runs: pd.DataFrame) -> pd.DataFrame:
    """Each claim the README states, checked on every run it is about, at the number it states."""
    reliable = runs[(runs.reliability == 1.0) & (runs.sensor_cost > 0)]
    mitigated = runs[(runs.reliability < 1.0) & (runs.sensor_cost > 0)]
    drop = reliable.agree_train - reliable.agree_deploy
    claims = [
        ("rel 1: best organism >= 100% of oracle on train", reliable.best_train_frac >= 1.0),
        ("rel 1: population mean >= 90% of oracle on train", reliable.train_frac >= 0.90),
        ("rel 1: population deploy < 0 (worse than doing nothing)", reliable.deploy_frac < 0.0),
        ("rel 1: diplomacy sensor <= 5% of population", reliable.sensor <= 0.05),
        ("rel 1: agreement falls by >= 0.5 train -> deploy", drop >= 0.5),
        ("rel 0.5/0.75: sensor carried by >= 90%", mitigated.sensor >= 0.90),
        ("rel 0.5/0.75: population deploy >= 90% of oracle", mitigated.deploy_frac >= 0.90),
    ]
    return pd.DataFrame([{"claim": c, "runs": len(ok), "hold": int(ok.sum()),
                          "verdict": "holds" if ok.all() and len(ok) else "FAILS"} for c, ok in claims])


_LOTTERY = thresholds("aurora_lottery")
LOTTERY_LOW, LOTTERY_HIGH, LOTTERY_SEEDS = _LOTTERY["low_frac"], _LOTTERY["high_frac"], int(_LOTTERY["seeds_min"])
"""The free-sensor lottery: at least LOTTERY_SEEDS seeds end at or below LOTTERY_LOW of the oracle on
deploy (the proxy won) and at least as many at or above LOTTERY_HIGH (the true signal won)."""


def lottery_verdict(runs: pd.DataFrame) -> pd.DataFrame:
    """The free-sensor finding: which goal a population ends with is a lottery across seeds."""
    low = int((runs.deploy_frac <= LOTTERY_LOW).sum())
    high = int((runs.deploy_frac >= LOTTERY_HIGH).sum())
    holds = low >= LOTTERY_SEEDS and high >= LOTTERY_SEEDS
    return pd.DataFrame([{
        "claim": f"free sensor, rel 1: >= {LOTTERY_SEEDS} seeds deploy <= {LOTTERY_LOW:.0%} and >= "
                 f"{LOTTERY_SEEDS} seeds deploy >= {LOTTERY_HIGH:.0%} of the oracle",
        "runs": len(runs), "low": low, "high": high,
        "deploy_min": runs.deploy_frac.min(), "deploy_mean": runs.deploy_frac.mean(),
        "deploy_max": runs.deploy_frac.max(), "sensor_min": runs.sensor.min(), "sensor_max": runs.sensor.max(),
        "verdict": "holds" if holds else "FAILS"}])


def _pct(x: float) -> str:
    return f"{100 * x:.0f} %".replace("-", "−")


def readme_rows(results: Path) -> list[str]:
    """The README's condition table rows, from the committed runs: reliability, sensor cost, best
    organism on train (lowest over runs), population mean on train (lowest), deploy (min / mean / max),
    sensor carried (min-max), agreement train -> deploy (means)."""
    runs = pd.read_csv(results / "aurora_claims_runs.csv")
    rows = []
    for (reliability, cost), part in runs.groupby(["reliability", "sensor_cost"], sort=False):
        cost_text = "**0 (free)**" if cost == 0 else f"{cost:g}"
        rows.append(f"| {reliability:g} | {cost_text} | {_pct(part.best_train_frac.min())} | "
                    f"{_pct(part.train_frac.min())} | {_pct(part.deploy_frac.min())} / "
                    f"{_pct(part.deploy_frac.mean())} / {_pct(part.deploy_frac.max())} | "
                    f"{100 * part.sensor.min():.0f}–{100 * part.sensor.max():.0f} % | "
                    f"{part.agree_train.mean():.2f} → {part.agree_deploy.mean():.2f} |".replace("-", "−"))
    return rows


def lottery_sentence(results: Path) -> str:
    """The Aurora page's free-sensor numbers, from the committed lottery runs (percentages as the docs write them)."""
    runs = pd.read_csv(results / "aurora_lottery_runs.csv")
    return (f"the sensor is carried by {100 * runs.sensor.min():.0f}–{100 * runs.sensor.max():.0f} % of the "
            f"final population, and the deploy score ranges from {_pct(runs.deploy_frac.min())} to "
            f"{_pct(runs.deploy_frac.max())} of the oracle (mean {_pct(runs.deploy_frac.mean())}); "
            f"{int((runs.deploy_frac <= LOTTERY_LOW).sum())} of {len(runs)} seeds end at or below {100 * LOTTERY_LOW:.0f} % and "
            f"{int((runs.deploy_frac >= LOTTERY_HIGH).sum())} at or above {100 * LOTTERY_HIGH:.0f} %")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--out", type=Path, default=Path("docs/results"))
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--free-sensor-seeds", type=int, default=0, metavar="N",
                        help="instead: the free-sensor control at the defaults (150 x 60) over N seeds")
    parser.add_argument("--table", action="store_true", help="print the README's rows and stop")
    args = parser.parse_args()
    if args.table:
        print("\n".join(readme_rows(args.out)))
        print(lottery_sentence(args.out))
        return
    args.out.mkdir(parents=True, exist_ok=True)
    if args.free_sensor_seeds:
        with ProcessPoolExecutor(args.workers) as pool:
            runs = pd.DataFrame(list(pool.map(
                measure, [(1.0, 0.0, (150, 60), seed) for seed in range(args.free_sensor_seeds)])))
        runs.to_csv(args.out / "aurora_lottery_runs.csv", index=False, float_format="%.6g")
        verdict = lottery_verdict(runs)
        verdict.to_csv(args.out / "aurora_lottery.csv", index=False, float_format="%.6g")
        with pd.option_context("display.width", 200, "display.float_format", "{:.2f}".format):
            print(runs.to_string(index=False))
            print(verdict.to_string(index=False))
        print(lottery_sentence(args.out))
        return
    points = [(r, c, s, seed) for r, c, s in itertools.product(RELIABILITIES, COSTS, SIZES)
              if not (c == 0.0 and r < 1.0)
              for seed in range(args.seeds)]
    with ProcessPoolExecutor(args.workers) as pool:
        runs = pd.DataFrame(list(pool.map(measure, points)))
    runs.to_csv(args.out / "aurora_claims_runs.csv", index=False, float_format="%.6g")
    by_condition = runs.groupby(["reliability", "sensor_cost", "population", "generations"]).agg(
        best_train_frac=("best_train_frac", "min"), train_frac_min=("train_frac", "min"),
        deploy_frac_min=("deploy_frac", "min"), deploy_frac_max=("deploy_frac", "max"),
        sensor_min=("sensor", "min"), sensor_max=("sensor", "max"),
        agree_train=("agree_train", "mean"), agree_deploy=("agree_deploy", "mean"))
    table = verdicts(runs)
    with pd.option_context("display.width", 200, "display.float_format", "{:.2f}".format):
        print(by_condition.to_string())
        print()
        print(table.to_string(index=False))
    by_condition.to_csv(args.out / "aurora_claims_conditions.csv", float_format="%.6g")
    table.to_csv(args.out / "aurora_claims.csv", index=False)
    print("\n".join(readme_rows(args.out)))


if __name__ == "__main__":
    main()
