"""A tiny run made through the ``basemesa`` command, shared by the report and command tests (which
copy it before changing anything)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from scenarios.app.main import main

TINY = ["--generations", "2", "--population", "6", "--episodes", "2", "--assess-worlds", "3", "--formats", "png,svg"]
"""A run of seconds: two generations of six organisms, assessed on three worlds per distribution."""


@pytest.fixture(scope="session")
def tiny_run(tmp_path_factory) -> Path:
    """A run directory written by ``basemesa run aurora`` (read it; copy it to change it)."""
    out = tmp_path_factory.mktemp("tiny") / "aurora-run"
    assert main(["run", "aurora", *TINY, "--out", str(out), "--quiet"]) == 0
    return out


@pytest.fixture
def run_copy(tiny_run, tmp_path) -> Path:
    """A copy of the tiny run, under the same folder name, free to change."""
    return Path(shutil.copytree(tiny_run, tmp_path / tiny_run.name, ignore=shutil.ignore_patterns(".lock")))
