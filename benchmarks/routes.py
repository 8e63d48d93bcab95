"""What routes around harm (the scenarios' default) cost against shortest paths, in one run.

    python -m benchmarks.routes [--rounds 5]

Per story with items valued below zero (aurora, sweet_tooth, bottle_cap, overseer), a generation's
evaluation (``Scenario.evaluate``: training episodes, deployment episodes, the oracle, the log
columns) of a random population of 150 at the story's recommended episodes, one numba thread, with
``avoid_harm`` on and off; rounds alternate the two, and the ratio of medians is printed. Results go
to ``benchmarks/results/routes.json``.
"""

from __future__ import annotations

import argparse
from dataclasses import replace

import numba
import numpy as np

import evolution
import scenarios
from benchmarks.common import median_time, write_result

STORIES = ("aurora", "sweet_tooth", "bottle_cap", "overseer")
"""Stories whose base objective or organisms value some item below zero (routes change there)."""


def evaluation_seconds(name: str, rounds: int) -> dict:
    """Median seconds of one generation's evaluation with routes on and off, and their ratio."""
    sc = scenarios.get(name)
    episodes = evolution.Config.for_scenario(sc).episodes
    pop = np.random.default_rng(0).normal(size=(150, sc.genome_length))
    variants = {"on": sc, "off": replace(sc, avoid_harm=False)}
    for variant in variants.values():
        variant.evaluate(pop, 0, episodes=episodes)  # compile outside the timing
    times: dict[str, list[float]] = {"on": [], "off": []}
    for r in range(rounds):
        for key in ("on", "off") if r % 2 == 0 else ("off", "on"):
            times[key].append(median_time(lambda v=variants[key], s=r: v.evaluate(pop, s, episodes=episodes), repeats=1))
    on, off = float(np.median(times["on"])), float(np.median(times["off"]))
    return {"story": name, "seconds_routes_on": on, "seconds_routes_off": off, "ratio": on / off}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    numba.set_num_threads(1)
    rows = [evaluation_seconds(name, args.rounds) for name in STORIES]
    for row in rows:
        print(f"{row['story']:>12}: evaluation {row['seconds_routes_on']:.3f} s with routes around harm, "
              f"{row['seconds_routes_off']:.3f} s with shortest paths: {row['ratio']:.2f}x")
    write_result("routes", {"rounds": args.rounds, "stories": rows})


if __name__ == "__main__":
    main()
