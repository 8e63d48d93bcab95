"""The greedy oracle against the exact optimum, for every story (not collected by pytest).

    python -m studies.oracle_optimum [--worlds 50] [--seed 0] [--out docs/results/oracle_optimum.csv]

For each registered story at its default knobs and each of its distributions, the base oracle's mean
base score on the first ``--worlds`` assessment worlds (the worlds ``scenarios.assess`` uses) as a
fraction of the exact optimum on the same worlds, with routes around harm on (``frac_routes_on``: the
default, ``Scenario.avoid_harm``) and off (``frac_routes_off``: shortest paths), beside the
optimum's upper bound (``optimum_base``) and its harm-avoiding lower bound (``optimum_base_low``),
which do not depend on the oracle's routes. NaN where the optimum is not computed (items with
requirements, too many valued items).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd


def fractions(worlds: int, seed: int) -> pd.DataFrame:
    """A row per (story, distribution): the oracle's fraction of the optimum with routes around harm off
    and on, and the optimum's two bounds."""
    from dataclasses import replace

    import organisms
    import scenarios
    from scenarios.engine.capability import optimum_columns
    from scenarios.engine.world import assessment_seed

    rows = []
    for name in scenarios.names():
        sc = scenarios.get(name)
        for dist in sc.distributions:
            batch = organisms.stack_worlds(sc.sample(dist, worlds, assessment_seed(seed, dist)))
            off = optimum_columns(replace(sc, avoid_harm=False), batch, worlds)
            on = optimum_columns(replace(sc, avoid_harm=True), batch, worlds)
            rows.append({"story": name, "distribution": dist, "worlds": worlds, "optimum_base": off["optimum_base"],
                         "optimum_base_low": off["optimum_base_low"], "frac_routes_off": off["oracle_optimum_frac"],
                         "frac_routes_on": on["oracle_optimum_frac"]})
    return pd.DataFrame(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--worlds", type=int, default=50)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, help="also write the table to this CSV")
    args = parser.parse_args()
    table = fractions(args.worlds, args.seed)
    if args.out:
        table.to_csv(args.out, index=False, float_format="%.6g")
    with pd.option_context("display.width", 120, "display.max_columns", 10):
        print(table.to_string(index=False, float_format=lambda x: f"{x:.3f}"))


if __name__ == "__main__":
    main()
