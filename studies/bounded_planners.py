"""Bounded planners want a different goal (Sorg, Singh and Lewis), tested (not collected by pytest).

    python -m studies.bounded_planners [--seeds 5] [--results docs/results] [--figures docs/figures]

On ``scenarios.analyses.bounded.foraging()`` (food far from the start, worthless tracks everywhere),
for horizons 1, 2, 4, 8, 16 and unbounded and each seed of worlds: the best mesa-objective by direct
search over weights, its angle to the base objective and its advantage over the base objective's
best pursuer at the same horizon. Writes ``bounded_planners.csv`` (a row per horizon and seed) and
``bounded_planners_claims.csv`` (each claim of ``studies/claims.toml [bounded_planners]`` with its
verdict), and the figure ``bounded_planners.png``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd

from studies.claims import thresholds

HORIZONS = (1, 2, 4, 8, 16, None)
"""Planner horizons searched (None: unbounded)."""


def verdicts(table: pd.DataFrame) -> pd.DataFrame:
    """Each claim of the prediction, judged on the table's seed means."""
    t = thresholds("bounded_planners")
    key = table["horizon"].fillna(np.inf)
    means = table.groupby(key)[["angle", "advantage"]].mean().sort_index()
    angle_steps = np.diff(means["angle"].to_numpy())
    advantage_steps = np.diff(means["advantage"].to_numpy())
    unbounded = table[table["horizon"].isna()]
    within = (unbounded["advantage"].abs() <= t["unbounded_advantage_se"] * unbounded["se"].clip(lower=1e-12))
    short = means.loc[means.index <= 8, "angle"]
    rows = [
        (f"the mean angle never grows with the horizon by more than {t['monotone_angle_tolerance']:g} degrees",
         bool((angle_steps <= t["monotone_angle_tolerance"]).all()), f"largest rise {angle_steps.max():+.2f}"),
        (f"the mean advantage never grows with the horizon by more than {t['monotone_advantage_tolerance']:g}",
         bool((advantage_steps <= t["monotone_advantage_tolerance"]).all()),
         f"largest rise {advantage_steps.max():+.3f}"),
        (f"some horizon <= 8 has a mean angle >= {t['short_angle_min']:g} degrees",
         bool((short >= t["short_angle_min"]).any()), f"largest {short.max():.2f}"),
        (f"unbounded: every seed's advantage within {t['unbounded_advantage_se']:g} SE of zero",
         bool(within.all() and len(within)), f"{int(within.sum())} of {len(within)} seeds"),
    ]
    return pd.DataFrame(rows, columns=["claim", "holds", "measured"])


def main() -> None:
    from plots import save_figure
    from plots.bounded import bounded_planners
    from scenarios.analyses import bounded

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--results", type=Path, default=Path("docs/results"))
    parser.add_argument("--figures", type=Path, default=Path("docs/figures"))
    args = parser.parse_args()
    start = time.perf_counter()
    table = bounded.horizon_table(bounded.foraging(), horizons=HORIZONS, seeds=range(args.seeds))
    args.results.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.results / "bounded_planners.csv", index=False, float_format="%.6g")
    claims = verdicts(table)
    claims.to_csv(args.results / "bounded_planners_claims.csv", index=False)
    save_figure(bounded_planners(table), args.figures / "bounded_planners", formats=("png",))
    key = table["horizon"].fillna(np.inf)
    with pd.option_context("display.width", 200, "display.float_format", "{:.3f}".format):
        print(table.groupby(key)[["angle", "advantage", "best_base", "base_pursuer_base"]].agg(["mean", "std"]))
        print(claims.to_string(index=False))
    print(f"{time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
