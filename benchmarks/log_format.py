"""What labelling each generation by the rule of ``assess`` costs: the newest run log version
(``scenarios.engine.measure.LOG_FORMAT``) against version 1.

    python -m benchmarks.log_format

Version 1 labels a generation by the agreement of planners' mesa-objectives (arrays the evaluation
has anyway); the newest by activity, decision agreement against each organism's matched pursuer and
the score floor, which need every organism's decisions on the generation's worlds replayed by its
matched pursuer, and the pursuers' own episodes (``scenarios.engine.matched``). Measured in one run, alternating the two
versions: ``scenario.evaluate`` per generation at the scenarios' defaults (150 organisms, 8 episodes,
every core, as the main job runs), then ``evolution.evolve`` end to end. Results go to
``benchmarks/results/log_format.json``.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace

import numpy as np

import evolution
import scenarios
from benchmarks.common import median_time, write_result
from organisms.seeding import seed_child
from scenarios.engine.measure import LOG_FORMAT

STORIES = ("aurora", "bottle_cap")
"""A planners-only story and one where heuristics and planners compete."""


def evaluate_seconds(sc, population: np.ndarray, repeats: int) -> float:
    seeds = iter(range(10**6))
    return median_time(lambda: sc.evaluate(population, seed_child(0, 0, next(seeds)),
                                           episodes=8, parallel=True), repeats=repeats)


def evolve_seconds(sc, config: evolution.Config) -> float:
    start = time.perf_counter()
    evolution.evolve(sc, config, progress=False)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.log_format", description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=15, help="evaluations per median (default 15)")
    parser.add_argument("--generations", type=int, default=20, help="generations of the end-to-end run (default 20)")
    args = parser.parse_args(argv)
    rows = {}
    for name in STORIES:
        new = scenarios.get(name)
        old = replace(new, log_format=1)
        config = evolution.Config.for_scenario(new, generations=args.generations)
        population = np.random.default_rng(0).normal(size=(config.population, new.genome_length))
        for sc in (old, new):  # compile and warm both before timing either
            sc.evaluate(population, seed_child(0, 0, 0), episodes=8, parallel=True)
        times = {1: [], LOG_FORMAT: []}
        for _ in range(3):  # alternate, so a noisy neighbour hits both alike
            times[1].append(evaluate_seconds(old, population, args.repeats))
            times[LOG_FORMAT].append(evaluate_seconds(new, population, args.repeats))
        evolve = {1: [], LOG_FORMAT: []}
        for _ in range(2):
            evolve[1].append(evolve_seconds(old, config))
            evolve[LOG_FORMAT].append(evolve_seconds(new, config))
        row = {"evaluate_v1_ms": 1000 * min(times[1]), "evaluate_v2_ms": 1000 * min(times[LOG_FORMAT]),
               "evolve_v1_s": min(evolve[1]), "evolve_v2_s": min(evolve[LOG_FORMAT])}
        row["evaluate_ratio"] = row["evaluate_v2_ms"] / row["evaluate_v1_ms"]
        row["evolve_ratio"] = row["evolve_v2_s"] / row["evolve_v1_s"]
        rows[name] = row
        print(f"{name:<11} evaluate per generation: v1 {row['evaluate_v1_ms']:.1f} ms, v2 "
              f"{row['evaluate_v2_ms']:.1f} ms (x{row['evaluate_ratio']:.2f}); evolve "
              f"{config.population} x {args.generations}: v1 {row['evolve_v1_s']:.2f} s, v2 "
              f"{row['evolve_v2_s']:.2f} s (x{row['evolve_ratio']:.2f})")
    path = write_result("log_format", {"generations": args.generations, "repeats": args.repeats, "stories": rows})
    print(f"written: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
