"""The metrics reference defines every column a user gets: of ``scenarios.assess`` (with and without
behavioral objectives), of the run log, and of the overseer's compliance measures."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import scenarios
from scenarios.analyses.compliance import compliance, drift

ROOT = Path(__file__).resolve().parents[2]
TEXT = (ROOT / "docs" / "metrics.md").read_text(encoding="utf-8")


def documented_name(column: str, sc) -> str:
    """How the reference spells a column: ``<name>:...`` for a deployment's, ``...:<f>`` per feature."""
    head, sep, tail = column.partition(":")
    if sep and head in sc.deploy:
        return f"<name>:{tail}"
    if sep and tail in sc.feature_names:
        return f"{head}:<f>"
    return column


def undocumented(columns, sc) -> list[str]:
    return [c for c in columns if f"`{documented_name(c, sc)}`" not in TEXT]


@pytest.mark.parametrize("behavior", [False, True])
def test_every_assessment_column_is_defined(behavior):
    sc = scenarios.get("aurora")
    population = np.random.default_rng(0).normal(size=(4, sc.layout.length))
    options = {"bootstrap": 2} if behavior else {}
    table = scenarios.assess(sc, population, worlds=20, seed=0, behavior=behavior, **options)
    assert not undocumented(table.columns, sc)


def test_every_run_log_column_is_defined():
    log = pd.read_csv(ROOT / "tests" / "fixtures" / "golden" / "aurora_seed0_log.csv")
    assert not undocumented(log.columns, scenarios.get("aurora"))


def test_every_compliance_measure_is_defined():
    sc = scenarios.get("overseer")
    population = np.random.default_rng(0).normal(size=(3, sc.layout.length))
    keys = [*compliance(sc, population, worlds=5), *drift(sc, population)]
    assert not undocumented(keys, sc)
