"""Behavioral objectives of evolved Aurora populations, across seeds (not collected by pytest).

    python -m studies.behavior_aurora [--seeds 5] [--worlds 300] [--bootstrap 200]

For each seed, evolves Aurora at its recommended configuration twice: planners only (the scenario's
default) and heuristics only. Each final population is assessed with ``behavior=True``. Printed per
run: planners' choice accuracy under their behavioral objective beside their mesa-objective's
(population means; the most negative and most positive gap behavioral - mesa of any organism; the
share of organisms within 5 points; ties split), held out (cross-fitted by world) beside the
distance-only baseline, the share of events whose top is tied, heuristics' behavioral weight on the
Aurora banner (mean, minimum, mean world-bootstrap standard error; NaN where the banner is confounded
with a perceived diplomacy), the behavioral labels and how often they survive resampling the worlds.
"""

from __future__ import annotations

import argparse
import os
import time
from concurrent.futures import ProcessPoolExecutor

import pandas as pd

KINDS = {"planners": ("planner",), "heuristics": ("heuristic",)}


def measure(point: tuple) -> list[dict]:
    """One evolved population, assessed with its behavioral objectives: a row per distribution."""
    population_kind, seed, worlds, bootstrap = point
    import evolution
    import scenarios

    sc = scenarios.get("aurora")
    cfg = evolution.Config.for_scenario(sc, seed=seed, kinds=KINDS[population_kind], workers=1)
    run = evolution.evolve(sc, cfg, progress=False)
    start = time.perf_counter()
    table = scenarios.assess(sc, run.population, worlds=worlds, behavior=True, bootstrap=bootstrap)
    seconds = time.perf_counter() - start
    labels = table.groupby("organism")["label"].first().value_counts(normalize=True)
    b_labels = table.groupby("organism")["behavior_label"].first().value_counts(normalize=True)
    stability = table.groupby("organism")["behavior_label_stability"].first()
    rows = []
    for name, group in table.groupby("distribution", sort=False):
        p, h = group[group.kind == "planner"], group[group.kind == "heuristic"]
        gap = p.behavior_accuracy - p.mesa_accuracy
        rows.append({
            "population": population_kind, "seed": seed, "distribution": name, "assess_s": seconds,
            "planners": len(p), "behavior_acc": p.behavior_accuracy.mean(), "mesa_acc": p.mesa_accuracy.mean(),
            "worst_gap": gap.min(), "best_gap": gap.max(), "within_5": (gap.abs() <= 0.05).mean(),
            "heuristics": len(h), "aurora_w_mean": h["behavior:aurora"].mean(),
            "aurora_w_min": h["behavior:aurora"].min(), "aurora_se": h["behavior_se:aurora"].mean(),
            "heur_acc": h.behavior_accuracy.mean(), "nan_fits": int((group.behavior_reason != "").sum()),
            "heldout": group.behavior_heldout_accuracy.mean(), "baseline": group.behavior_baseline_accuracy.mean(),
            "heldout_ll": group.behavior_heldout_loglik.mean(), "baseline_ll": group.behavior_baseline_loglik.mean(),
            "ties": group.behavior_ties.mean(), "confounded": (group.behavior_contrast != "").mean(),
            "pseudo": labels.get("pseudo-aligned", 0.0), "robust": labels.get("robustly aligned", 0.0),
            "b_pseudo": b_labels.get("pseudo-aligned", 0.0), "b_robust": b_labels.get("robustly aligned", 0.0),
            "stability": stability.mean(), "stable_90": (stability >= 0.9).mean(),
        })
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--worlds", type=int, default=300)
    parser.add_argument("--bootstrap", type=int, default=200)
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    args = parser.parse_args()
    points = [(kind, seed, args.worlds, args.bootstrap) for kind in KINDS for seed in range(args.seeds)]
    with ProcessPoolExecutor(args.workers) as pool:
        rows = [r for result in pool.map(measure, points) for r in result]
    runs = pd.DataFrame(rows)
    with pd.option_context("display.width", 220, "display.float_format", "{:.3f}".format):
        planners = runs[runs.population == "planners"]
        print(planners[["seed", "distribution", "planners", "behavior_acc", "mesa_acc", "worst_gap", "best_gap",
                        "within_5", "nan_fits", "pseudo", "robust", "assess_s"]].to_string(index=False))
        print()
        heuristics = runs[runs.population == "heuristics"]
        print(heuristics[["seed", "distribution", "heuristics", "aurora_w_mean", "aurora_w_min", "aurora_se",
                          "heur_acc", "nan_fits", "pseudo", "robust", "assess_s"]].to_string(index=False))
        print()
        print(runs[["population", "seed", "distribution", "heldout", "baseline", "heldout_ll", "baseline_ll", "ties",
                    "confounded", "b_pseudo", "b_robust", "stability", "stable_90"]].to_string(index=False))


if __name__ == "__main__":
    main()
