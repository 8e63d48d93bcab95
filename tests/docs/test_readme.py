"""The README is a front page a newcomer reads in minutes: at most 150 lines, its two commands as
CI runs them, every file it links or shows there, the same stories as the registry, and the main job's
summary as the main job prints it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
RUN = "python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/python -m scenarios.aurora"
TEST = 'python3 -m venv .venv && .venv/bin/pip install -e ".[test]" && .venv/bin/python -m pytest -q'


def test_the_readme_is_at_most_150_lines():
    assert len(README.splitlines()) <= 150


def test_the_readme_shows_the_two_commands_and_ci_runs_the_test_command():
    assert f"```bash\n{RUN}\n```" in README and f"```bash\n{TEST}\n```" in README
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert '.venv/bin/pip install --quiet -e ".[test]"' in ci and ".venv/bin/python -m pytest -q" in ci


def test_every_file_the_readme_links_or_shows_exists():
    targets = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", README)
    assert "docs/figures/stories.png" in targets
    missing = [t for t in targets if not t.startswith("http") and not (ROOT / t).exists()]
    assert not missing, f"README links to missing files: {missing}"


SUMMARY = ROOT / "docs" / "results" / "main_job_summary.txt"


def _readme_summary() -> list[str]:
    block = re.search(r"prints a summary such as:\n\n```\n(.*?)```", README, re.S)
    assert block, "the README no longer shows the main job's summary"
    return [line.rstrip() for line in block.group(1).splitlines()]


def test_the_readmes_example_summary_is_the_committed_main_job_summary_line_for_line():
    # By position: a swapped or rounded number anywhere in the block fails.
    assert _readme_summary() == SUMMARY.read_text(encoding="utf-8").splitlines()


@pytest.mark.slow
def test_the_committed_main_job_summary_is_what_the_main_job_prints():
    # The main job's evolution and assessment at its defaults (seed 0, 300 worlds a distribution),
    # summarised by the command line's own function.
    import dataclasses

    import evolution
    import scenarios
    from scenarios.app.cli import summary_lines

    sc = scenarios.get("aurora")
    run = evolution.evolve(sc, evolution.Config.for_scenario(sc, seed=0), progress=False)
    run = dataclasses.replace(run, assessment=sc.assess(run.population, worlds=300, parallel=True))
    assert [line.rstrip() for line in summary_lines(run)] == SUMMARY.read_text(encoding="utf-8").splitlines()
