"""Kernel speed against another checkout: episodes, the all-pairs distance table and the world batch.

    python -m benchmarks.kernel_speed [--baseline OTHER_CHECKOUT] [--rounds 3] [--quick]

On Aurora's open 12x12 grid and on the same worlds laid out as a maze, it times (one numba thread,
serial kernels, compiled before timing):

- ``table``: ``organisms.kernels.all_pairs_distances`` on one world's grid;
- ``batch``: ``organisms.stack_worlds`` of one generation's worlds (8), distance tables included;
- ``planner episodes`` and ``heuristic episodes``: ``organisms.run_population`` of 150 random
  organisms of one kind in those 8 worlds, per episode.

Each measurement runs in a child process that imports the package from a given checkout, through
the public API only, so the same code measures this checkout and ``--baseline`` (for instance a
throwaway worktree of the commit before a kernel change). Rounds alternate between the two
checkouts; the figures are medians over rounds, and the ratios (this / baseline: below 1 is faster)
are measured in this one run. Each figure is the least CPU time (``time.process_time``, one thread)
of 40 short timings within a round: other load on a shared machine only adds to it. Without
``--baseline`` it prints this checkout's times only. Results go to
``benchmarks/results/kernel_speed.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve()
CHECKOUT = HERE.parents[1]
GENERATION_WORLDS = 8
POPULATION = 150


def measure(quick: bool) -> dict:
    """In a child process (the checkout to measure first on ``sys.path``): seconds per operation."""
    import time
    from dataclasses import replace

    import numpy as np

    import organisms
    import scenarios
    from organisms import kernels

    def best_time(fn, min_time):
        # The least CPU time of many short timings: on a shared machine, waiting for a core adds wall
        # time (and a long timing is likely to be interrupted), not the CPU time of the one thread.
        times = []
        for _ in range(10 if quick else 40):
            n, start = 0, time.process_time()
            while True:
                fn()
                n += 1
                elapsed = time.process_time() - start
                if elapsed >= min_time:
                    break
            times.append(elapsed / n)
        return min(times)

    aurora = scenarios.get("aurora")
    grids = {"aurora_open_12x12": aurora,
             "aurora_maze_12x12": replace(aurora, train=replace(aurora.train, layout="maze"))}
    min_time = 0.01 if quick else 0.03
    out: dict = {"organisms_file": organisms.__file__}
    for grid_name, sc in grids.items():
        worlds = sc.sample("train", GENERATION_WORLDS, 0)
        walls = np.ascontiguousarray(worlds[0].walls)
        batch = organisms.stack_worlds(worlds)
        layout = sc.layout
        row: dict = {"wall_cells": int(walls.sum())}
        kernels.all_pairs_distances(walls)
        row["table_s"] = best_time(lambda w=walls: kernels.all_pairs_distances(w), min_time)
        row["batch_s"] = best_time(lambda ws=worlds: organisms.stack_worlds(ws), min_time)
        # Planners with shortest paths too: routes around harm (the default since, absent from older
        # checkouts) are more work, so only the shortest-path planner compares like with like there.
        shortest = replace(sc, avoid_harm=False) if hasattr(sc, "avoid_harm") else sc
        for kind, gene, where in (("planner", 1.0, sc), ("heuristic", -1.0, sc), ("planner_shortest", 1.0, shortest)):
            pop = np.random.default_rng(0).normal(size=(POPULATION, layout.length))
            pop[:, layout.kind] = gene
            pop[:, layout.mesa] = np.abs(pop[:, layout.mesa])  # planners that want something keep moving
            ph = organisms.phenotype(where, pop)
            organisms.run_population(ph, batch)
            t = best_time(lambda p=ph, b=batch: organisms.run_population(p, b), min_time)
            row[f"{kind}_episode_s"] = t / (POPULATION * GENERATION_WORLDS)
        out[grid_name] = row
    return out


def run_child(checkout: Path, quick: bool, cache_dir: str) -> dict:
    env = {**os.environ, "NUMBA_NUM_THREADS": "1", "PYTHONPATH": str(checkout), "NUMBA_CACHE_DIR": cache_dir}
    cmd = [sys.executable, str(HERE), "--child", str(checkout)] + (["--quick"] if quick else [])
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True, cwd=checkout)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    if Path(result["organisms_file"]).resolve().parents[1] != checkout.resolve():
        raise RuntimeError(f"measured {result['organisms_file']}, not the checkout {checkout}")
    return result


def medians(runs: list[dict]) -> dict:
    grids = [k for k in runs[0] if k != "organisms_file"]
    return {g: {m: statistics.median(r[g][m] for r in runs) for m in runs[0][g]} for g in grids}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", type=Path, help="another checkout of the project to compare with")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        sys.path.insert(0, str(args.child))
        print(json.dumps(measure(args.quick)))
        return

    this_runs, base_runs = [], []
    # A fresh numba cache per checkout: numba does not notice edits to a function called from another
    # file, so a checkout's own cache may hold stale code.
    with tempfile.TemporaryDirectory() as this_cache, tempfile.TemporaryDirectory() as base_cache:
        for _ in range(args.rounds):
            this_runs.append(run_child(CHECKOUT, args.quick, this_cache))
            if args.baseline is not None:
                base_runs.append(run_child(args.baseline, args.quick, base_cache))
    this = medians(this_runs)
    base = medians(base_runs) if base_runs else None
    rows = []
    for grid_name, row in this.items():
        for metric, seconds in row.items():
            if not metric.endswith("_s"):
                continue
            entry = {"grid": grid_name, "metric": metric[:-2], "this_s": seconds}
            if base is not None:
                entry["baseline_s"] = base[grid_name][metric]
                entry["ratio_this_over_baseline"] = seconds / base[grid_name][metric]
            rows.append(entry)
            line = f"{grid_name:20s} {metric[:-2]:20s} this {seconds * 1e6:10.2f} us"
            if base is not None:
                line += (f"   baseline {entry['baseline_s'] * 1e6:10.2f} us   "
                         f"this/baseline {entry['ratio_this_over_baseline']:.3f}")
            print(line)

    from benchmarks.common import write_result  # not in the child, which may run another checkout

    path = write_result("kernel_speed", {"rounds": args.rounds, "quick": args.quick,
                                         "baseline": base is not None, "rows": rows})
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
