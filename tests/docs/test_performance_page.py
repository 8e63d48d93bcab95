"""The committed benchmark results are self-consistent (the performance page and the README quote them,
pinned number by number: tests/docs/test_pins.py)."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "benchmarks" / "results"


def test_the_benchmark_split_accounts_for_the_wall_time():
    job = json.loads((RESULTS / "main_job.json").read_text(encoding="utf-8"))
    for run in ("cold", "warm"):
        split = job["this"][run]["split_s"]
        assert abs(sum(split.values()) - job["this"][run]["wall_s"]) < 0.1 * job["this"][run]["wall_s"]


def test_the_generation_split_accounts_for_the_whole_generation():
    generation = json.loads((RESULTS / "generation.json").read_text(encoding="utf-8"))
    for row in [*generation["split"], generation["defaults"]]:
        assert abs(row["evaluation_share"] + row["other_share"] - 1.0) < 1e-9
