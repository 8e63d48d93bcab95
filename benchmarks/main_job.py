"""Cold and warm wall time and peak memory of the main job, and peak memory at population 10 000.

    python -m benchmarks.main_job [--repeats 3]

Cold: numba's on-disk cache of the project's kernels is deleted first, so the run compiles them.
Warm: the cache is there. Each is a fresh process running ``python -m scenarios.aurora --quiet``;
its peak resident memory is read from the process itself. Results go to
``benchmarks/results/main_job.json``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import write_result

ROOT = Path(__file__).resolve().parents[1]

RUNNER = """
import resource, runpy, sys
sys.argv = ["scenarios.aurora"] + sys.argv[1:]
try:
    runpy.run_module("scenarios.aurora", run_name="__main__")
except SystemExit as exc:
    if exc.code:
        raise
print("peak_kib", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def clear_numba_cache() -> int:
    files = [p for p in ROOT.glob("organisms/__pycache__/*") if p.suffix in (".nbi", ".nbc")]
    for p in files:
        p.unlink()
    return len(files)


def run_job(*args: str) -> tuple[float, float]:
    """Wall seconds and peak MiB of one main-job process."""
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", RUNNER, "--quiet", "--out", out, *args],
                              cwd=ROOT, capture_output=True, text=True, check=True)
        wall = time.perf_counter() - start
    peak = next(int(line.split()[1]) for line in proc.stdout.splitlines() if line.startswith("peak_kib"))
    return wall, peak / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    cold, warm = [], []
    for _ in range(args.repeats):
        clear_numba_cache()
        cold.append(run_job())
        warm.append(run_job())
    big = run_job("--population", "10000", "--generations", "3")
    result = {
        "cold_s": statistics.median(w for w, _ in cold), "warm_s": statistics.median(w for w, _ in warm),
        "peak_mib_default": max(m for _, m in cold + warm), "peak_mib_population_10000": big[1],
        "population_10000_s": big[0],
    }
    print(f"main job: cold {result['cold_s']:.1f} s, warm {result['warm_s']:.1f} s (medians of {args.repeats}); "
          f"peak memory {result['peak_mib_default']:.0f} MiB; population 10 000 (3 generations): "
          f"{result['peak_mib_population_10000']:.0f} MiB in {big[0]:.0f} s")
    write_result("main_job", result)


if __name__ == "__main__":
    main()
