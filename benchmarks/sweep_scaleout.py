"""Scale-out benchmark: does a sweep on 2 worker processes pay?

Eight Aurora points (4 banner reliabilities x 2 seeds), each an evolve plus a 300-world assessment
that takes >= 5 s alone on one numba thread. Times them one after another on one thread in this
process, then as ``evolution.sweep`` on a pool of 2 worker processes (pool start-up included), checks
the two tables are identical, and prints the ratio. The target is <= 0.6. Needs both cores: the load
average, and the CPU-seconds other processes took during each phase, are recorded beside the timings.

    python -m benchmarks.sweep_scaleout            # writes benchmarks/results/sweep_scaleout.json
"""

from __future__ import annotations

import argparse
import functools
import json
import multiprocessing
import os
import platform
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numba
import pandas as pd

import evolution
import scenarios
from evolution.sweeps import plan

FACTORY = functools.partial(scenarios.get, "aurora")
GRID = {"banner_reliability": [0.5, 0.75, 0.9, 1.0]}
SEEDS = [0, 1]
RESULTS = Path(__file__).parent / "results" / "sweep_scaleout.json"


def serial(config: evolution.Config, worlds: int) -> tuple[pd.DataFrame, list[float]]:
    """Every point one after another on one numba thread, in this process: the table and the
    seconds each point took."""
    numba.set_num_threads(1)
    frames, seconds = [], []
    for point in plan(FACTORY, GRID, SEEDS, config):
        started = time.perf_counter()
        sc = FACTORY(**point.knobs)
        run = evolution.evolve(sc, point.config, progress=False)
        table = sc.assess(run.population, worlds=worlds, seed=0)
        seconds.append(time.perf_counter() - started)
        front = pd.DataFrame({**{k: [v] * len(table) for k, v in point.values.items()},
                              "seed": [point.seed] * len(table)})
        frames.append(pd.concat([front, table], axis=1))
    return pd.concat(frames, ignore_index=True), seconds


def machine_busy() -> float | None:
    """CPU-seconds every core of the machine has spent busy since boot (Linux), else None."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(v) for v in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def own_cpu() -> float:
    """CPU-seconds of this process and its reaped children (the pool's workers, once shut down)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


class Phase:
    """Wall time of a block, and the CPU-seconds other people's processes took meanwhile."""

    def __enter__(self):
        self.busy, self.own, self.started = machine_busy(), own_cpu(), time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.started
        busy = machine_busy()
        self.others = None if busy is None else max(0.0, busy - self.busy - (own_cpu() - self.own))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--population", type=int, default=300)
    parser.add_argument("--generations", type=int, default=100)
    parser.add_argument("--assess-worlds", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=1,
                        help="measure both sides this many times, alternating; the best of each counts")
    parser.add_argument("--json", type=Path, default=RESULTS)
    args = parser.parse_args()
    config = evolution.Config(population=args.population, generations=args.generations, kinds=("planner",))

    # Load the compiled kernels first, so neither side pays for it inside its timing.
    tiny = evolution.Config(population=4, generations=1, episodes=1)
    FACTORY().assess(evolution.evolve(FACTORY(), tiny, progress=False).population, worlds=1)

    load_before = os.getloadavg()
    rounds = []
    for _ in range(args.repeat):
        with Phase() as one:
            one_by_one, seconds = serial(config, args.assess_worlds)
        print(f"serial, one thread: {one.seconds:.1f} s; points {min(seconds):.1f}..{max(seconds):.1f} s "
              f"each; other processes took {one.others or 0:.1f} CPU-s meanwhile")
        if min(seconds) < 5.0:
            print("warning: a point took < 5 s alone; raise --generations for a fair test of scale-out")
        with Phase() as two:
            pool = ProcessPoolExecutor(args.workers, mp_context=multiprocessing.get_context("spawn"))
            with pool:
                swept = evolution.sweep(FACTORY, GRID, SEEDS, config, executor=pool,
                                        assess_worlds=args.assess_worlds, progress=False)
        pd.testing.assert_frame_equal(one_by_one, swept, check_exact=True)
        print(f"sweep, {args.workers} worker processes: {two.seconds:.1f} s (ratio {two.seconds / one.seconds:.3f}); "
              f"tables identical; other processes took {two.others or 0:.1f} CPU-s meanwhile")
        rounds.append({"serial_seconds": one.seconds, "sweep_seconds": two.seconds, "point_seconds": seconds,
                       "others_cpu_seconds_serial": one.others, "others_cpu_seconds_sweep": two.others})
    load_after = os.getloadavg()
    serial_s = min(r["serial_seconds"] for r in rounds)
    sweep_s = min(r["sweep_seconds"] for r in rounds)
    ratio = sweep_s / serial_s
    print(f"best of {args.repeat}: serial {serial_s:.1f} s, sweep {sweep_s:.1f} s, ratio {ratio:.3f} "
          f"(target <= 0.6)")
    print(f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f} on {os.cpu_count()} cores")

    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({
        "points": len(GRID["banner_reliability"]) * len(SEEDS), "rounds": rounds,
        "serial_seconds": serial_s, "sweep_seconds": sweep_s, "ratio": ratio, "target": 0.6,
        "workers": args.workers, "tables_identical": True,
        "config": config.to_dict(), "grid": GRID, "seeds": SEEDS, "assess_worlds": args.assess_worlds,
        "cpu_count": os.cpu_count(), "load_average_before": load_before, "load_average_after": load_after,
        "python": platform.python_version(), "numba": numba.__version__, "machine": platform.machine(),
    }, indent=2) + "\n")
    print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
