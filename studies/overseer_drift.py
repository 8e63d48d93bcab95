"""The overseer's drift test with more seeds (not collected by pytest).

    python -m studies.overseer_drift [--workers 2]

At 5 seeds (``studies.overseer_claims``) the sign-flip test could not tell selection from drift on the
selected condition. This runs the "selected" and "unselected" conditions of that study for the number
of seeds ``claims.toml [overseer_drift]`` states (the same run sizes; its first 5 seeds are the same
runs), and judges the two drift claims with its thresholds. Writes ``docs/results/overseer_drift_runs.csv``
(a row per run: its per-feature shifts, cue-off minus never-expressed gene means) and
``docs/results/overseer_drift.csv`` (one row per condition: seeds, statistic, p, the rule, the verdict).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import pandas as pd

from studies.claims import thresholds
from studies.overseer_claims import run_all

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "docs" / "results"
CONDITIONS = ("unselected", "selected")


def verdicts(runs: pd.DataFrame) -> pd.DataFrame:
    """One row per condition: the sign-flip test of the cue-off genes against the never-expressed ones
    across every seed, and its verdict under ``claims.toml [overseer_drift]``."""
    from scenarios.analyses.compliance import selection_test

    th = thresholds("overseer_drift")
    shift_columns = [c for c in runs.columns if c.startswith("shift:")]
    rows = []
    for condition in CONDITIONS:
        part = runs[runs.condition == condition].sort_values("seed")
        test = selection_test(part[shift_columns].to_numpy())
        if condition == "selected":
            rule, holds = f"p < {th['selected_p_max']}", test["p_value"] < th["selected_p_max"]
        else:
            rule, holds = f"p >= {th['unselected_p_min']}", test["p_value"] >= th["unselected_p_min"]
        rows.append({"condition": condition, "seeds": test["seeds"], "statistic": round(test["statistic"], 4),
                     "p_value": test["p_value"], "mean_shift": round(test["mean_shift"], 4),
                     "rule": rule, "verdict": "holds" if holds else "fails"})
    return pd.DataFrame(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m studies.overseer_drift", description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--population", type=int, default=100)
    parser.add_argument("--generations", type=int, default=40)
    parser.add_argument("--worlds", type=int, default=300)
    args = parser.parse_args(argv)
    seeds = int(thresholds("overseer_drift")["seeds"])
    started = time.perf_counter()
    runs = run_all(seeds, args.population, args.generations, args.worlds, args.workers, conditions=CONDITIONS)
    shifts = ["condition", "seed", *[c for c in runs.columns if c.startswith("shift:")], "drift_ratio"]
    runs[shifts].to_csv(RESULTS / "overseer_drift_runs.csv", index=False)
    table = verdicts(runs)
    table.to_csv(RESULTS / "overseer_drift.csv", index=False)
    print(table.to_string(index=False))
    print(f"{len(runs)} runs in {(time.perf_counter() - started) / 60:.1f} min")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
