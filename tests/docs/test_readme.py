"""The README is a front page a newcomer reads in minutes: at most 150 lines, its two commands as
CI runs them, every file it links or shows there, and the same stories as the registry."""

from __future__ import annotations

import re
from pathlib import Path

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
