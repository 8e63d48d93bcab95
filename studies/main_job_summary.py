"""The summary the main job prints, as the README quotes it (not collected by pytest).

    python -m scenarios.aurora && python -m studies.main_job_summary [RUN_DIR]

Reads the run directory the main job wrote (default ``runs/aurora-seed0``) and writes the lines its
command line printed after the run (``scenarios.app.cli.summary_lines``) to
``docs/results/main_job_summary.txt``. A test compares the README's example with this file, and this
file with a fresh run of the main job's evolution and assessment.
"""

from __future__ import annotations

import argparse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "results" / "main_job_summary.txt"


def main() -> None:
    from evolution.result import RunResult
    from scenarios.app.cli import summary_lines

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("run_dir", nargs="?", type=Path, default=Path("runs/aurora-seed0"))
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    run = RunResult.load(args.run_dir)
    if getattr(run.scenario, "name", None) != "aurora" or run.config.seed != 0:
        raise SystemExit(f"{args.run_dir}: not the main job's run (aurora, seed 0)")
    text = "\n".join(line.rstrip() for line in summary_lines(run)) + "\n"
    args.out.write_text(text, encoding="utf-8")
    print(text, end="")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
