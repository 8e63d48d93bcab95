"""Cold and warm wall time, where it goes, and peak memory of the main job, against another checkout.

    python -m benchmarks.main_job [--baseline OTHER_CHECKOUT] [--rounds 3] [--big]

The main job is ``python -m scenarios.aurora --quiet`` (the default run: evolution, assessment, run
directory and figures), each time in a fresh process. *Cold*: numba's cache is empty (``NUMBA_CACHE_DIR``
points at a fresh folder, so neither this run's earlier compilations nor the checkout's own
``__pycache__`` are used) and every kernel the run calls is compiled. *Warm*: the same job again, on the
cache the cold run wrote. Rounds alternate between this checkout and ``--baseline`` (for instance a
throwaway worktree of an earlier commit), so the ratios (this / baseline: below 1 is faster) are
measured in one run on the same machine; the figures are medians over rounds.

Each run reports its split: ``compile`` (numba compiling, wherever it happens), and the wall time of
``import`` (until evolution starts), ``evolve``, ``assess``, ``save`` and ``figures``, each without the
compiling done inside it, and ``other`` (the rest: argument parsing, the summary, interpreter exit).
Where the command line draws some figures in a thread while the assessment runs, their time is shown
apart (``figures_beside_assess``): it overlaps ``assess`` and is not part of the sum.
Peak memory is the largest resident set of the job's process plus that of its child processes
(``getrusage``); ``peak_mib_after`` in the results holds the process's peak at the end of each step. ``--big`` also times a population of 10 000 for 3 generations (this checkout only).
Results go to ``benchmarks/results/main_job.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[1]
PHASES = ("compile", "import", "evolve", "assess", "save", "figures", "other", "figures_beside_assess")

# Runs inside the job's process, with the checkout to measure first on sys.path. It wraps the public
# steps the command line takes (evolution.evolve, Scenario.assess, RunResult.save, the CLI's
# write_figures) to time them, and numba's compile event to time compiling.
RUNNER = r"""
import json, resource, runpy, sys, time
start = time.perf_counter()
from numba.core import event

compiling = event.TimingListener()
event.register("numba:compile", compiling)
spans = {}
peaks = {}

def compiled():
    return compiling.duration if compiling.done else 0.0

def timed(name, fn):
    def wrapper(*args, **kwargs):
        t, c = time.perf_counter(), compiled()
        if "import" not in spans:
            spans["import"] = (t - start, c)
        try:
            return fn(*args, **kwargs)
        finally:
            wall, comp = spans.get(name, (0.0, 0.0))
            spans[name] = (wall + time.perf_counter() - t, comp + compiled() - c)
            peaks[name] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return wrapper

import evolution
import evolution.result
import scenarios.app.cli as cli
from scenarios.engine.scenario import Scenario

evolution.evolve = timed("evolve", evolution.evolve)
Scenario.assess = timed("assess", Scenario.assess)
evolution.result.RunResult.save = timed("save", evolution.result.RunResult.save)
if hasattr(cli, "write_run_figures"):  # figures drawn in a thread beside the assessment, and after it
    cli.write_run_figures = timed("figures_beside_assess", cli.write_run_figures)
    cli.write_assessment_figures = timed("figures", cli.write_assessment_figures)
else:
    cli.write_figures = timed("figures", cli.write_figures)
sys.argv = ["scenarios.aurora"] + sys.argv[1:]
try:
    runpy.run_module("scenarios.aurora", run_name="__main__")
except SystemExit as exc:
    if exc.code:
        raise
import organisms
report = {"organisms_file": organisms.__file__, "spans": spans, "compile": compiled(), "peaks": peaks,
          "peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                      + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}
print("REPORT " + json.dumps(report))
"""


def run_job(checkout: Path, cache_dir: str, *args: str) -> dict:
    """One main-job process on ``checkout``: total wall seconds, its split, and peak MiB."""
    env = {**os.environ, "PYTHONPATH": str(checkout), "NUMBA_CACHE_DIR": cache_dir}
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", RUNNER, "--quiet", "--out", out, *args], cwd=checkout,
                              env=env, capture_output=True, text=True)
        wall = time.perf_counter() - started
    if proc.returncode:
        raise RuntimeError(f"main job on {checkout} failed:\n{proc.stderr[-3000:]}")
    report = json.loads(next(line[7:] for line in proc.stdout.splitlines() if line.startswith("REPORT ")))
    if Path(report["organisms_file"]).resolve().parents[1] != checkout.resolve():
        raise RuntimeError(f"measured {report['organisms_file']}, not the checkout {checkout}")
    spans = report["spans"]
    split = {"compile": report["compile"]}
    # Compiling before evolution starts is in the import span's compile share.
    split["import"] = spans["import"][0] - spans["import"][1]
    for name in ("evolve", "assess", "save", "figures"):
        split[name] = spans[name][0] - spans[name][1] if name in spans else 0.0
    split["other"] = wall - sum(split.values())
    # Figures drawn in a thread while the assessment runs overlap it: shown apart, not in the sum.
    beside = spans.get("figures_beside_assess", (0.0, 0.0))
    split["figures_beside_assess"] = beside[0] - beside[1]
    return {"wall_s": wall, "split_s": split, "peak_mib": report["peak_kib"] / 1024,
            "peak_mib_after": report["peaks"]}


def summarize(runs: list[dict]) -> dict:
    return {"wall_s": statistics.median(r["wall_s"] for r in runs),
            "split_s": {p: statistics.median(r["split_s"][p] for r in runs) for p in PHASES},
            "peak_mib": max(r["peak_mib"] for r in runs)}


def measure(checkout: Path) -> dict:
    """A cold run on an empty numba cache, then a warm run on the cache it wrote."""
    with tempfile.TemporaryDirectory(prefix="numba-cache-") as cache:
        cold = run_job(checkout, cache)
        warm = run_job(checkout, cache)
    return {"cold": cold, "warm": warm}


def show(label: str, result: dict) -> None:
    for state in ("cold", "warm"):
        r = result[state]
        split = "  ".join(f"{p} {r['split_s'][p]:5.1f}" for p in PHASES[:-1])
        split += f"  (figures beside assess {r['split_s']['figures_beside_assess']:4.1f})"
        print(f"{label:9s} {state}: {r['wall_s']:6.1f} s = {split}   peak {r['peak_mib']:.0f} MiB")


def checkout_name(path: Path) -> str:
    """The commit a checkout holds (not its path on this machine, which means nothing elsewhere)."""
    done = subprocess.run(["git", "-C", str(path), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return f"a checkout of commit {done.stdout.strip()}" if done.returncode == 0 else path.name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", type=Path, help="another checkout of the project to compare with")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--big", action="store_true", help="also a population of 10 000 (3 generations)")
    args = parser.parse_args()
    this_runs, base_runs = [], []
    for r in range(args.rounds):
        this_runs.append(measure(CHECKOUT))
        if args.baseline is not None:
            base_runs.append(measure(args.baseline))
        print(f"round {r + 1}/{args.rounds} done (load average {os.getloadavg()[0]:.1f})", file=sys.stderr)
    this = {s: summarize([run[s] for run in this_runs]) for s in ("cold", "warm")}
    result: dict = {"rounds": args.rounds, "load_average_end": os.getloadavg(), "this": this,
                    "this_runs": this_runs}
    show("this", this)
    ratios = {"cold_over_warm": this["cold"]["wall_s"] / this["warm"]["wall_s"],
              "peak_mib": max(this[s]["peak_mib"] for s in ("cold", "warm"))}
    if base_runs:
        base = {s: summarize([run[s] for run in base_runs]) for s in ("cold", "warm")}
        result.update(baseline=checkout_name(args.baseline), baseline_summary=base, baseline_runs=base_runs)
        show("baseline", base)
        ratios["cold_over_baseline_cold"] = this["cold"]["wall_s"] / base["cold"]["wall_s"]
        ratios["warm_over_baseline_warm"] = this["warm"]["wall_s"] / base["warm"]["wall_s"]
        ratios["baseline_cold_over_warm"] = base["cold"]["wall_s"] / base["warm"]["wall_s"]
        ratios["baseline_peak_mib"] = max(base[s]["peak_mib"] for s in ("cold", "warm"))
    result["ratios"] = ratios
    print("  ".join(f"{k} {v:.2f}" for k, v in ratios.items()))
    if args.big:
        with tempfile.TemporaryDirectory(prefix="numba-cache-") as cache:
            run_job(CHECKOUT, cache, "--generations", "1", "--population", "10")  # compile first
            big = run_job(CHECKOUT, cache, "--population", "10000", "--generations", "3")
        result["population_10000"] = big
        print(f"population 10 000 (3 generations): {big['wall_s']:.0f} s, peak {big['peak_mib']:.0f} MiB")

    from benchmarks.common import write_result

    print(f"wrote {write_result('main_job', result)}")


if __name__ == "__main__":
    main()
