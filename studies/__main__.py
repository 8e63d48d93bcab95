"""Rerun every committed study and rebuild the tables and figures the docs quote.

    python -m studies                 # all of them, in order, with a bar and the total time
    python -m studies --list          # what would run, and what each writes
    python -m studies --only aurora_measures emergence_phase
    python -m studies --seeds 1       # a quick pass (tables then hold one seed: do not commit them)

Each step runs as its own process (``python -m <module> <args>``), so a study's numba threads,
worker pools and memory end with it. A failed step is reported and the others still run; the exit
status is 1 if any failed. Per-step wall times and the total are printed at the end and written to
``docs/results/studies_time.csv``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from tqdm.auto import tqdm

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Step:
    """One study to rerun."""

    name: str
    """Short name (``--only`` selects by it)."""
    module: str
    """The module run as ``python -m``."""
    args: tuple[str, ...]
    """Its arguments, as the committed outputs were made."""
    writes: str
    """What it rebuilds (for ``--list``)."""
    seeded: bool = True
    """Whether it takes ``--seeds`` (figure-only steps do not)."""


STEPS: tuple[Step, ...] = (
    Step("aurora_signature", "studies.aurora_signature", (), "docs/results/aurora_signature.csv"),
    Step("troops_signature", "studies.troops_signature", (), "docs/results/troops_signature.csv"),
    Step("sweet_tooth_signature", "studies.sweet_tooth_signature", (), "docs/results/sweet_tooth_signature.csv"),
    Step("bottle_cap_signature", "studies.bottle_cap_signature", (), "docs/results/bottle_cap_signature.csv"),
    Step("stories_figure", "studies.stories_figure", (), "docs/figures/stories.png", seeded=False),
    *(Step(f"robustness_{story}", "studies.robustness", (story,),
           "docs/results/" + ", ".join(f"robustness_{story}_{t}.csv" for t in tables)
           + f"; docs/figures/robustness_{story}.png; docs/stories/{story}.md (its robustness section)", seeded=False)
      for story, tables in (("sweet_tooth", ("runs", "points", "ranges", "boundary", "design", "sobol", "time")),
                            ("troops", ("runs", "points", "ranges", "design", "sobol", "sobol_rank", "time")),
                            ("aurora", ("runs", "points", "ranges", "boundary", "design", "sobol", "time")),
                            ("bottle_cap", ("runs", "points", "ranges", "design", "sobol", "time")),
                            ("overseer", ("runs", "points", "ranges", "design", "sobol", "time")))),
    Step("aurora_measures", "studies.aurora_measures", (),
         "docs/results/aurora_measures.csv, aurora_label_shares.csv; docs/figures/aurora_r*_*.png"),
    Step("aurora_lottery", "studies.aurora_claims", ("--free-sensor-seeds", "20"),
         "docs/results/aurora_lottery_runs.csv, aurora_lottery.csv", seeded=False),
    Step("emergence_phase", "studies.emergence_phase", (),
         "docs/results/emergence_*.csv; docs/figures/emergence_phase.png, emergence_curve.png"),
    Step("emergence_noise", "studies.emergence_phase", ("--noise-check",),
         "docs/results/emergence_noise.csv, emergence_noise_runs.csv"),
    Step("suboptimality_claims", "studies.suboptimality_claims",
         ("--out", "docs/results/suboptimality_planners.csv"),
         "docs/results/suboptimality_planners.csv, suboptimality_claims.csv"),
    Step("overseer_claims", "studies.overseer_claims", (),
         "docs/results/overseer_runs.csv, overseer_claims.csv; docs/figures/overseer_compliance.png"),
    Step("overseer_drift", "studies.overseer_drift", (),
         "docs/results/overseer_drift.csv, overseer_drift_runs.csv (seeds from claims.toml)", seeded=False),
    Step("optimizers", "studies.optimizers", (), "docs/results/optimizers.csv"),
    Step("optimizers_figure", "studies.optimizers", ("--figure", "docs/figures/optimizers.png"),
         "docs/figures/optimizers.png", seeded=False),
    Step("bounded_planners", "studies.bounded_planners", (),
         "docs/results/bounded_planners.csv, bounded_planners_claims.csv; docs/figures/bounded_planners.png"),
    Step("coinrun_2x2", "studies.coinrun_2x2",
         ("--out", "docs/results/coinrun_2x2.csv", "--figure", "docs/figures/coinrun_2x2.png"),
         "docs/results/coinrun_2x2.csv, coinrun_2x2_claims.csv; docs/figures/coinrun_2x2.png"),
    # After their own studies: the emergence map judges the kind that emergence_phase's landscape predicts.
    *(Step(f"robustness_{story}", "studies.robustness", (story,),
           "docs/results/" + ", ".join(f"robustness_{story}_{t}.csv" for t in tables)
           + f"; docs/figures/robustness_{story}.png; docs/stories/{story}.md (its robustness section)", seeded=False)
      for story, tables in (("coinrun", ("runs", "points", "ranges", "boundary", "design", "sobol", "time")),
                            ("suboptimality", ("runs", "points", "ranges", "design", "sobol", "time")),
                            ("emergence", ("runs", "points", "ranges", "design", "sobol", "time")))),
    Step("robustness_emergence_boundaries", "studies.emergence_phase", ("--map-boundaries",),
         "docs/results/robustness_emergence_boundaries.csv", seeded=False),
    Step("oracle_optimum", "studies.oracle_optimum", ("--out", "docs/results/oracle_optimum.csv"),
         "docs/results/oracle_optimum.csv", seeded=False),
    Step("deceptive_toy", "scenarios.analyses.deceptive_toy", (), "docs/figures/deceptive_toy.png", seeded=False),
    Step("gallery", "scenarios.app.gallery", (), "docs/figures/<story>_divergence.png, _episode.png", seeded=False),
    Step("main_job", "scenarios.aurora", ("--quiet", "--out", "runs/aurora-seed0", "--overwrite"),
         "runs/aurora-seed0 (the README's main job)", seeded=False),
    Step("main_job_summary", "studies.main_job_summary", ("runs/aurora-seed0",),
         "docs/results/main_job_summary.txt (the README's example summary)", seeded=False),
    Step("pins", "tests.support.pins", (),
         "nothing: lists the docs' pinned numbers that the new tables change (then: python -m tests.support.pins "
         "--write, and reread the prose around them)", seeded=False),
)
"""Every committed study, in an order where a figure follows the tables it draws from."""


def select(only: list[str] | None) -> list[Step]:
    """The steps named by ``only`` (all when None), in their run order."""
    if not only:
        return list(STEPS)
    known = {s.name for s in STEPS}
    unknown = sorted(set(only) - known)
    if unknown:
        raise SystemExit(f"python -m studies: unknown step(s) {unknown}; valid steps are {[s.name for s in STEPS]}")
    return [s for s in STEPS if s.name in only]


def command(step: Step, seeds: int | None) -> list[str]:
    """The process a step runs."""
    extra = ("--seeds", str(seeds)) if seeds is not None and step.seeded else ()
    return [sys.executable, "-m", step.module, *step.args, *extra]


def run(steps: list[Step], seeds: int | None, log_dir: Path) -> pd.DataFrame:
    """Run ``steps`` one after another; each one's output goes to ``log_dir/<name>.log``."""
    log_dir.mkdir(parents=True, exist_ok=True)
    rows = []
    bar = tqdm(steps, desc="studies", unit="study")
    for step in bar:
        bar.set_postfix_str(step.name)
        start = time.perf_counter()
        with open(log_dir / f"{step.name}.log", "w") as log:
            done = subprocess.run(command(step, seeds), cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        rows.append({"step": step.name, "seconds": round(time.perf_counter() - start, 1),
                     "status": "ok" if done.returncode == 0 else f"failed ({done.returncode})"})
        if done.returncode:
            tqdm.write(f"{step.name} failed: see {log_dir / (step.name + '.log')}")
    return pd.DataFrame(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m studies", description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="+", metavar="STEP", help="run only these steps")
    parser.add_argument("--seeds", type=int, help="seeds per study (default: each study's own, 5 for most)")
    parser.add_argument("--list", action="store_true", help="list the steps and what each writes, and stop")
    parser.add_argument("--logs", type=Path, default=ROOT / "runs" / "studies-logs", help="one log per step")
    args = parser.parse_args(argv)
    steps = select(args.only)
    if args.list:
        for step in steps:
            print(f"{step.name:<22} {' '.join(command(step, args.seeds)[1:])}\n{'':<22} writes {step.writes}")
        return 0
    times = run(steps, args.seeds, args.logs)
    total = times["seconds"].sum()
    print(times.to_string(index=False))
    print(f"total: {total / 60:.1f} min for {len(times)} step(s)")
    if args.only is None and args.seeds is None:
        times.to_csv(ROOT / "docs" / "results" / "studies_time.csv", index=False)
    return int((times["status"] != "ok").any())


if __name__ == "__main__":
    raise SystemExit(main())
