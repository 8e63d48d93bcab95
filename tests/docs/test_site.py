"""The documentation site builds in strict mode: a broken link or anchor, a page missing from the
navigation, a figure that is not there or an API reference to a name that no longer exists fails
the build, and so this test. It builds offline, once, into a temporary directory (about 15 s)."""

from __future__ import annotations

import importlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
PACKAGES = ("scenarios", "evolution", "plots", "organisms")


@pytest.fixture(scope="module")
def build(tmp_path_factory) -> tuple[subprocess.CompletedProcess, Path]:
    site = tmp_path_factory.mktemp("docs") / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
                          cwd=ROOT, capture_output=True, text=True, env=env, timeout=600)
    return done, site


def test_the_docs_site_builds_in_strict_mode(build):
    done, site = build
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-6000:]
    assert (site / "index.html").exists() and (site / "tutorial" / "index.html").exists()
    assert (site / "figures" / "stories.png").exists()


def _nav_pages(nav) -> list[str]:
    pages = []
    for entry in nav:
        for value in (entry.values() if isinstance(entry, dict) else [entry]):
            pages += _nav_pages(value) if isinstance(value, list) else [value]
    return pages


def test_every_page_and_every_registered_story_is_in_the_navigation():
    import scenarios

    nav = _nav_pages(yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["nav"])  # no custom tags in it
    markdown = sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md"))
    assert sorted(p for p in nav if p.endswith(".md")) == markdown, "docs pages and the nav differ"
    assert "tutorial.ipynb" in nav
    assert {f"stories/{name}.md" for name in scenarios.names()} <= set(nav)


def _documents(ids: set[str], package: str, name: str) -> bool:
    """Whether an anchor of the rendered API page documents ``package.name`` itself (under that name,
    or under the module that defines it)."""
    target = getattr(importlib.import_module(package), name)
    for anchor in ids:
        module, _, attr = anchor.rpartition(".")
        if attr == name and module.startswith(package):
            try:
                if getattr(importlib.import_module(module), attr) is target:
                    return True
            except ImportError:
                continue
    return False


@pytest.mark.parametrize("package", PACKAGES)
def test_the_api_reference_documents_every_public_name(build, package):
    """Every name in the package's ``__all__`` has its entry (a constant: a row naming it)."""
    done, site = build
    assert done.returncode == 0, "the site did not build"
    html = (site / "api" / package / "index.html").read_text(encoding="utf-8")
    ids = set(re.findall(r'id="([\w.]+)"', html))
    module = importlib.import_module(package)
    for name in module.__all__:
        value = getattr(module, name)
        if callable(value) or isinstance(value, type):
            assert _documents(ids, package, name), f"API reference: no entry for {package}.{name}"
        else:
            assert f"<code>{package}.{name}</code>" in html, f"API reference: {package}.{name} is not named"
