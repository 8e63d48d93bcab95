"""Recovery of planted objectives by the behavioral-objective fit (not collected by pytest).

    python -m studies.behavior_recovery [--objectives 24] [--seeds 3] [--shortest-paths]

Planners pursue random planted mesa-objectives: standard normal weights over the four tastes of the
pantry scenario in ``tests/support/planted.py``. For each, the behavioral objective is fitted from its first n
choice events, n = 50 ... 2000, on worlds drawn with each of ``--seeds`` seeds; the cosine between the
fitted and the planted weights is printed per n (mean, quantiles, minimum, share >= 0.9, fits that
gave NaN), and so is the fitted objective's choice accuracy (ties split) beside the planted one's,
and its held-out accuracy (cross-fitted by world) beside the distance-only baseline's.

Two pantries: "mixed" (sixteen kinds spanning every taste with both signs: the claim) and "sparse"
(eight kinds with few non-negative tastes, where objectives under which nothing is worth taking are
redrawn: the limit, since no choice reveals how much an organism dislikes what it never takes).

The planners route around what they value below zero (the scenarios' default), while the fit's
distances are shortest paths: the limit of a planner's rule read on shortest paths. ``--shortest-paths``
gives them shortest-path routes (``Scenario(avoid_harm=False)``), the fit's own model of a planner.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace

import numpy as np
import pandas as pd

import organisms
from tests.support.planted import (
    SPARSE_KINDS,
    choices_of,
    cosine,
    make_pantry,
    planted_planner,
    random_objectives,
)

CHOICES = (50, 100, 200, 500, 1000, 2000)


def worth_taking(objectives: np.ndarray, kinds: dict, minimum: float = 0.2) -> np.ndarray:
    """Objectives under which at least one kind of food is worth more than ``minimum``."""
    values = objectives @ np.array(list(kinds.values())).T
    return objectives[values.max(axis=1) > minimum]


def measure(pantry: str, n_objectives: int, seeds: int, avoid_harm: bool = True) -> pd.DataFrame:
    if pantry == "mixed":
        sc = make_pantry()
        planted = random_objectives(n_objectives, seed=2024)
    else:
        sc = make_pantry(SPARSE_KINDS)
        planted = worth_taking(random_objectives(4 * n_objectives, seed=2024), SPARSE_KINDS)[:n_objectives]
    sc = replace(sc, avoid_harm=avoid_harm)
    rows = []
    for k, mesa in enumerate(planted):
        genome = planted_planner(sc, mesa)
        for seed in range(seeds):
            events = choices_of(sc, genome, max(CHOICES), seed=1000 * seed + k)
            for n in CHOICES:
                cs = events.subset(np.arange(n))
                fit = organisms.fit_behavioral_objective(cs, np.ones(len(mesa), bool), bootstrap=0)
                rows.append({"pantry": pantry, "objective": k, "seed": seed, "choices": n, "cosine": cosine(fit.weights, mesa),
                             "accuracy": fit.accuracy, "heldout": fit.heldout_accuracy,
                             "baseline": fit.baseline_accuracy,
                             "planted_accuracy": organisms.choice_accuracy(mesa, organisms.C_DIST, cs),
                             "reason": fit.reason})
    return pd.DataFrame(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--objectives", type=int, default=24)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--shortest-paths", action="store_true",
                        help="planners route by shortest paths (the fit's model), not around harm")
    args = parser.parse_args()
    for pantry in ("mixed", "sparse"):
        start = time.perf_counter()
        runs = measure(pantry, args.objectives, args.seeds, avoid_harm=not args.shortest_paths)
        curve = runs.groupby("choices").agg(
            fits=("cosine", "size"), nan=("cosine", lambda c: int(c.isna().sum())),
            cosine_mean=("cosine", "mean"), cosine_median=("cosine", "median"),
            cosine_q10=("cosine", lambda c: c.quantile(0.1)), cosine_min=("cosine", "min"),
            share_ge_0_9=("cosine", lambda c: (c >= 0.9).mean()),
            accuracy=("accuracy", "mean"), planted_accuracy=("planted_accuracy", "mean"),
            heldout=("heldout", "mean"), baseline=("baseline", "mean"))
        worst = runs[runs.choices == 500].groupby("objective")["cosine"].mean().nsmallest(3)
        with pd.option_context("display.width", 200, "display.float_format", "{:.3f}".format):
            print(f"{pantry} pantry: {args.objectives} planted objectives x {args.seeds} seeds of worlds "
                  f"({time.perf_counter() - start:.0f} s)")
            print(curve.to_string())
            print("worst objectives at 500 choices (mean cosine over seeds): "
                  + ", ".join(f"#{k} {v:.3f}" for k, v in worst.items()) + "\n")


if __name__ == "__main__":
    main()
