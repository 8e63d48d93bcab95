"""What the measures that can fail add to ``assess`` (not collected by pytest).

    python -m benchmarks.assess_measures [--population 150] [--worlds 300] [--repeats 3]

Times, on the same Aurora worlds and a population of random planners, one distribution's pieces of
an assessment: the population's episodes (what every assessment runs), decision agreement, and the
new ones (navigation counts and the random walk, counterfactual competence, the exact optimum on
50 worlds); prints each as a ratio to the population's episodes, best of ``--repeats``.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

import organisms
import scenarios
from organisms.capability import navigation
from scenarios.engine.capability import base_pursuers, optimum_columns, random_walk_efficiency
from scenarios.engine.decisions import decision_agreement
from scenarios.engine.world import assessment_seed


def best_of(repeats: int, work) -> float:
    work()  # compile
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--population", type=int, default=150)
    parser.add_argument("--worlds", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    sc = scenarios.get("aurora")
    pop = np.random.default_rng(0).normal(size=(args.population, sc.layout.length))
    pop[:, sc.layout.kind] = 1.0
    ph = organisms.phenotype(sc, pop)
    batch = organisms.stack_worlds(sc.sample("train", args.worlds, assessment_seed(0, "train")))
    pieces = {
        "episodes": lambda: organisms.run_population(ph, batch),
        "decision agreement": lambda: decision_agreement(ph, batch, sc.base_weights),
        "navigation counts": lambda: navigation(ph, batch),
        "random walk": lambda: random_walk_efficiency(batch, 0, "train"),
        "competence (all organisms)": lambda: organisms.run_population(base_pursuers(ph, sc.base_weights), batch),
        "exact optimum (50 worlds)": lambda: optimum_columns(sc, batch, 50),
    }
    times = {name: best_of(args.repeats, work) for name, work in pieces.items()}
    for name, seconds in times.items():
        print(f"{name:28s} {seconds:7.3f} s   {seconds / times['episodes']:5.2f} x episodes")


if __name__ == "__main__":
    main()
