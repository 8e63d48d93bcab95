"""Episode throughput: compiled batched kernels against plain Python, and 2-thread efficiency.

    python -m benchmarks.episode_throughput [--quick]

For heuristic and planner kernels on small (10x10, 10 items), medium (12x12, 20 items) and large
(16x16, 30 items) worlds at several planner horizons, it prints episodes/s and agent-steps/s of

- the compiled batched kernel on one thread (``organisms.kernels.population_episodes``);
- the plain-Python reference of the *same algorithm*: the very same kernel source run by the
  interpreter (a child process with ``NUMBA_DISABLE_JIT=1``), distance tables included;
- the plain-Python planner that searches afresh every step (``organisms.reference``), which is what a
  quick DEAP script would do;

and the parallel efficiency of the 2-thread kernel on a planner population. Ratios are measured in
this one run; results go to ``benchmarks/results/episode_throughput.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys

import numba

import organisms
from benchmarks.common import SIZES, bench_scenario, median_time, population, write_result
from organisms.reference import reference_organism, reference_world, run_episode

HORIZONS = (5, 12, 24)
REPEATS = 3
"""Runs per plain-Python figure (each one a median of these)."""


def compiled_rate(ph, batch, parallel: bool = False) -> float:
    """Episodes per second of the compiled population kernel."""
    n = ph.is_planner.shape[0] * batch.walls.shape[0]
    organisms.run_population(ph, batch, parallel=parallel)  # compile outside the timing
    return n / median_time(lambda: organisms.run_population(ph, batch, parallel=parallel), min_time=0.2)


def interpreted_rate(size_name: str, kind: str, horizon: int, organisms_n: int, worlds_n: int) -> float:
    """Episodes per second of the same kernel source under the interpreter (NUMBA_DISABLE_JIT)."""
    code = (
        "import time;"
        "from benchmarks.common import *; import organisms;"
        f"(size, items) = SIZES[{size_name!r}]; sc = bench_scenario(size, items);"
        f"ph = organisms.phenotype(sc, population(sc, {kind!r}, {organisms_n}, {horizon}));"
        f"batch = organisms.stack_worlds(sc.sample('train', {worlds_n}, 1));"
        "t = time.perf_counter(); organisms.run_population(ph, batch);"
        f"print({organisms_n * worlds_n} / (time.perf_counter() - t))"
    )
    env = {**os.environ, "NUMBA_DISABLE_JIT": "1"}
    rates = []
    for _ in range(REPEATS):
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
        rates.append(float(out.stdout.strip().splitlines()[-1]))
    return statistics.median(rates)


def fresh_search_rate(sc, pop, worlds) -> float:
    """Episodes per second of the plain-Python planner that searches afresh every step."""
    ph = organisms.phenotype(sc, pop)
    refs = [reference_world(w) for w in worlds]
    orgs = [reference_organism(ph, i) for i in range(len(pop))]

    def all_episodes():
        for org in orgs:
            for w in refs:
                run_episode(org, w)

    return len(orgs) * len(refs) / median_time(all_episodes, repeats=REPEATS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer horizons and smaller samples")
    args = parser.parse_args()
    numba.set_num_threads(1)
    horizons = (12,) if args.quick else HORIZONS
    rows = []
    for size_name, (size, items) in SIZES.items():
        sc = bench_scenario(size, items)
        steps = 40
        batch = organisms.stack_worlds(sc.sample("train", 8, 1))
        worlds = sc.sample("train", 4, 1)
        for kind, hs in (("heuristic", (None,)), ("planner", horizons)):
            for h in hs:
                pop = population(sc, kind, 150, h)
                ph = organisms.phenotype(sc, pop)
                compiled = compiled_rate(ph, batch)
                interpreted = interpreted_rate(size_name, kind, h or 12, 6, 4)
                fresh = fresh_search_rate(sc, pop[:6], worlds) if kind == "planner" else float("nan")
                rows.append({
                    "size": size_name, "kind": kind, "horizon": h, "compiled_eps": compiled,
                    "compiled_steps_per_s": compiled * steps, "same_algorithm_python_eps": interpreted,
                    "fresh_search_python_eps": fresh, "vs_same_algorithm": compiled / interpreted,
                    "vs_fresh_search": compiled / fresh,
                })
                r = rows[-1]
                print(f"{size_name:6} {kind:9} h={str(h):4} compiled {compiled:10.0f} ep/s "
                      f"({compiled * steps / 1e6:6.2f} M steps/s)  vs same algorithm in Python "
                      f"{r['vs_same_algorithm']:7.0f}x  vs fresh search {r['vs_fresh_search']:7.0f}x", flush=True)
    # Parallel efficiency: the same planner population on 1 thread and on 2 threads.
    sc = bench_scenario(*SIZES["medium"])
    ph = organisms.phenotype(sc, population(sc, "planner", 1000, 24))
    batch = organisms.stack_worlds(sc.sample("train", 8, 1))
    numba.set_num_threads(1)
    one = compiled_rate(ph, batch, parallel=True)
    numba.set_num_threads(min(2, numba.config.NUMBA_NUM_THREADS))
    two = compiled_rate(ph, batch, parallel=True)
    print(f"parallel efficiency, planners, medium world, 2 threads: {two / one:.2f}x "
          f"({one:.0f} -> {two:.0f} episodes/s)")
    path = write_result("episode_throughput", {"rows": rows, "parallel_2_threads": two / one,
                                               "parallel_eps": {"1": one, "2": two}})
    print(json.dumps({"written": str(path)}))


if __name__ == "__main__":
    main()
