"""The performance page quotes the committed benchmark results, each number in its own row and
column, so a swapped or stale number fails."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "benchmarks" / "results"


def rows() -> list[str]:
    job = json.loads((RESULTS / "main_job.json").read_text(encoding="utf-8"))
    kernels = json.loads((RESULTS / "kernel_speed.json").read_text(encoding="utf-8"))["rows"]
    this, base, ratio = job["this"], job["baseline_summary"], job["ratios"]

    def episode(kind: str) -> str:
        by_grid = {r["grid"]: r["ratio_this_over_baseline"] for r in kernels if r["metric"] == f"{kind}_episode"}
        return f"{by_grid['aurora_open_12x12']:.2f} / {by_grid['aurora_maze_12x12']:.2f}"

    return [
        f"| main job, cold (empty numba cache) | {this['cold']['wall_s']:.1f} s (compile "
        f"{this['cold']['split_s']['compile']:.1f} s) | {base['cold']['wall_s']:.1f} s (compile "
        f"{base['cold']['split_s']['compile']:.1f} s) | {ratio['cold_over_baseline_cold']:.2f} |",
        f"| main job, warm (figures as PNG) | {this['warm']['wall_s']:.1f} s | {base['warm']['wall_s']:.1f} s | "
        f"{ratio['warm_over_baseline_warm']:.2f} |",
        f"| main job, cold / warm | {ratio['cold_over_warm']:.2f} | {ratio['baseline_cold_over_warm']:.2f} |",
        f"| main job, peak memory | {ratio['peak_mib']:.0f} MiB | {ratio['baseline_peak_mib']:.0f} MiB |",
        f"| heuristic episode, open 12×12 / maze 12×12 | | | {episode('heuristic')} |",
        f"| planner episode, open 12×12 / maze 12×12 | | | {episode('planner')} |",
        f"importing takes {this['warm']['split_s']['import']:.1f} s, evolving {this['warm']['split_s']['evolve']:.1f} s, "
        f"assessing {this['warm']['split_s']['assess']:.1f} s and drawing {this['warm']['split_s']['figures']:.1f} s",
    ]


def test_the_performance_page_quotes_the_committed_benchmarks():
    page = " ".join((ROOT / "docs" / "performance.md").read_text(encoding="utf-8").split())
    for row in rows():
        assert row in page, f"docs/performance.md does not say: {row}"


def test_the_benchmark_split_accounts_for_the_wall_time():
    job = json.loads((RESULTS / "main_job.json").read_text(encoding="utf-8"))
    for run in ("cold", "warm"):
        split = job["this"][run]["split_s"]
        assert abs(sum(split.values()) - job["this"][run]["wall_s"]) < 0.1 * job["this"][run]["wall_s"]


def test_the_readme_quotes_the_first_run_from_the_committed_benchmark():
    job = json.loads((RESULTS / "main_job.json").read_text(encoding="utf-8"))
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    sentence = (f"the main job took {job['this']['cold']['wall_s']:.1f} s with numba compiling its kernels, "
                f"{job['this']['warm']['wall_s']:.1f} s once compiled, and {job['ratios']['peak_mib']:.0f} MiB at its peak")
    assert sentence in readme, sentence
