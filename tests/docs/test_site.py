"""The documentation site builds in strict mode: a broken link or anchor, a page missing from the
navigation, a figure that is not there or an API reference to a name that no longer exists fails
the build, and so this test. It builds offline into a temporary directory (about 15 s)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


def _nav_pages(nav) -> list[str]:
    pages = []
    for entry in nav:
        for value in (entry.values() if isinstance(entry, dict) else [entry]):
            pages += _nav_pages(value) if isinstance(value, list) else [value]
    return pages


def _config() -> dict:
    # mkdocs.yml holds no custom tags, so the plain loader reads it
    return yaml.safe_load((ROOT / "mkdocs.yml").read_text())


def test_the_docs_site_builds_in_strict_mode(tmp_path):
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
                          cwd=ROOT, capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-6000:]
    site = tmp_path / "site"
    assert (site / "index.html").exists() and (site / "tutorial" / "index.html").exists()
    api = (site / "api" / "scenarios" / "index.html").read_text()
    assert "alignment_summary" in api and "across_seeds" in api, "the API reference lost its entries"


def test_every_page_and_every_registered_story_is_in_the_navigation():
    import scenarios

    nav = _nav_pages(_config()["nav"])
    markdown = sorted(str(p.relative_to(DOCS)) for p in DOCS.rglob("*.md"))
    assert sorted(p for p in nav if p.endswith(".md")) == markdown, "docs pages and the nav differ"
    assert "tutorial.ipynb" in nav
    assert {f"stories/{name}.md" for name in scenarios.names()} <= set(nav)
