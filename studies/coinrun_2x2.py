"""CoinRun's 2 x 2: does each training regime land in its cell? (not collected by pytest)

    python -m studies.coinrun_2x2 [--seeds 5] [--population 150] [--generations 50]
    python -m studies.coinrun_2x2 --out docs/results/coinrun_2x2.csv --figure docs/figures/coinrun_2x2.png

For each regime of ``scenarios.coinrun`` and each seed, evolves planners at the story's defaults and
measures the final population's capability retained and goal retained (raw, and matched to a
pursuer of the organism's own horizon and map: ``scenarios.analyses.coinrun.retention``) on 200
assessment worlds per distribution. Each run lands in a cell by the thresholds of
``studies/claims.toml [coinrun_2x2]``; a regime lands in its cell when at least ``seeds_min`` of
its seeds do. With ``--out``, a row per (regime, seed) and the verdicts (``coinrun_2x2_claims.csv``
beside it); with ``--figure``, the scatter.
"""

from __future__ import annotations

import argparse
import itertools
import os
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path

import pandas as pd

from studies.claims import thresholds

_CLAIMS = thresholds("coinrun_2x2")
HOLDS, FAILS, SEEDS_MIN = _CLAIMS["holds"], _CLAIMS["fails"], int(_CLAIMS["seeds_min"])
WORLDS = 200
"""Assessment worlds per distribution."""


def measure(job: tuple[str, int], population: int, generations: int) -> dict:
    """One run: the regime's scenario evolved from the seed, and where its final population lands."""
    import evolution
    import scenarios
    from scenarios.analyses.coinrun import cell, retention

    regime, seed = job
    sc = scenarios.get("coinrun", regime=regime)
    config = evolution.Config.for_scenario(sc, seed=seed, workers=1, population=population, generations=generations)
    run = evolution.evolve(sc, config, progress=False)
    row = {"regime": regime, "seed": seed, **retention(sc, run.population, worlds=WORLDS, seed=0)}
    row["cell"] = cell(row["capability_retained"], row["goal_retained"], HOLDS, FAILS)
    row["cell_raw"] = cell(row["capability_retained"], row["goal_retained_raw"], HOLDS, FAILS)
    return row


def signature_row(table: pd.DataFrame) -> dict:
    """Nothing from the assessment table: where a run lands is measured on its evolved population
    against its matched pursuers (``run_row``)."""
    return {}


def run_row(sc, run, worlds: int) -> dict:
    """One run's place in the 2 x 2 for the robustness maps: its regime, ``retention`` on ``worlds``
    worlds per distribution (seed 0, as this study's own runs) and the cell it lands in."""
    from scenarios.analyses.coinrun import cell, retention

    row = {"regime": sc.knobs["regime"], **retention(sc, run.population, worlds=worlds, seed=0)}
    row["cell"] = cell(row["capability_retained"], row["goal_retained"], HOLDS, FAILS)
    return row


def run_claims(runs: pd.DataFrame) -> list[tuple[str, pd.Series]]:
    """The per-run claim of the robustness maps (``claims.toml [coinrun_2x2]``): the run lands in its
    own regime's cell, by capability retained and the capability-matched goal retained."""
    return [(f"lands in its regime's cell (holds >= {HOLDS:g}, fails <= {FAILS:g})", runs["cell"] == runs["regime"])]


def verdicts(rows: pd.DataFrame) -> pd.DataFrame:
    """Per regime: the seeds landing in its own cell (by the matched goal retained, and by the raw
    one), and whether that is at least ``SEEDS_MIN``."""
    out = []
    for regime, part in rows.groupby("regime", sort=False):
        landed = int((part["cell"] == regime).sum())
        out.append({"regime": regime, "seeds": len(part), "landed": landed,
                    "landed_raw": int((part["cell_raw"] == regime).sum()), "holds": landed >= SEEDS_MIN,
                    "capability_retained": part["capability_retained"].mean(),
                    "goal_retained": part["goal_retained"].mean(),
                    "goal_retained_raw": part["goal_retained_raw"].mean()})
    return pd.DataFrame(out)


def main() -> None:
    from scenarios.stories.coinrun import REGIMES

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--population", type=int, default=150)
    parser.add_argument("--generations", type=int, default=50)
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--out", default=None, help="a CSV to write a row per (regime, seed) to")
    parser.add_argument("--figure", default=None, help="a PNG to draw the 2 x 2 into")
    args = parser.parse_args()
    jobs = list(itertools.product(REGIMES, range(args.seeds)))
    with ProcessPoolExecutor(args.workers) as pool:
        rows = pd.DataFrame(pool.map(partial(measure, population=args.population, generations=args.generations),
                                     jobs))
    claims = verdicts(rows)
    if args.out:
        rows.to_csv(args.out, index=False, float_format="%.6g")
        claims.to_csv(Path(args.out).with_name("coinrun_2x2_claims.csv"), index=False, float_format="%.6g")
    if args.figure:
        from plots.coinrun import capability_goal
        from plots.style import save_figure

        save_figure(capability_goal(rows, HOLDS, FAILS), Path(args.figure).with_suffix(""), formats=("png",))
    with pd.option_context("display.width", 200, "display.float_format", "{:.3f}".format):
        print(rows[["regime", "seed", "capability_retained", "goal_retained", "goal_retained_raw", "sensor_share",
                    "map_share", "cell", "cell_raw"]].to_string(index=False))
        print(claims.to_string(index=False))


if __name__ == "__main__":
    main()
