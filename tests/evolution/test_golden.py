"""A fixed-seed run gives the same log, bit for bit, as the one recorded before the structure change.

The golden files in ``tests/fixtures/golden/`` were written by the code as it stood before the
base-optimizer and organism-kind seams were introduced; any refactoring of the loop, the kernels or
the engine must leave these runs unchanged to the last bit.

Run logs have versions (``scenarios.engine.measure.LOG_FORMATS``). A scenario in version 1, as a run
saved before versions existed reads back, repeats the whole golden log. Versions 2 and 3 label each
generation by a rule of ``assess`` (2: decisions against the unbounded base planner; 3, new scenarios:
against each organism's matched pursuer, with the score floor): their label-share columns differ and
they add columns, recorded in ``<name>_log_v2.csv`` and ``<name>_log_v3.csv``; every other column is
still the version-1 golden's, bit for bit.

Those golden runs route by shortest paths (``Scenario(avoid_harm=False)``, as every run saved before
routes around harm existed reads back), so they are pinned to it. Routes around harm are the default
now: the treasure run with them is recorded in ``treasure_mixed_seed7_routes_*`` (log version 1, whose
columns do not depend on the label rule, and the final population), written by this code when the
default changed; the same run must keep repeating it.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import evolution
import scenarios
from organisms.metrics import log_column, log_share_column
from scenarios.engine.measure import LOG_LABELS
from tests.support.treasure import make_treasure

GOLDEN = Path(__file__).resolve().parents[1] / "fixtures" / "golden"


def _golden(name: str) -> dict[str, np.ndarray]:
    # Read as text and parsed by Python's float, which round-trips the 17 significant digits exactly.
    golden = pd.read_csv(GOLDEN / f"{name}.csv", dtype=str, keep_default_na=False)
    return {column: np.array([float(x) if x else np.nan for x in golden[column]]) for column in golden.columns}


def _assert_same_columns(log: pd.DataFrame, golden: dict[str, np.ndarray], columns) -> None:
    missing = sorted(set(columns) - set(log.columns))
    assert not missing, f"columns of the golden log no longer written: {missing}"
    for column in columns:
        np.testing.assert_array_equal(log[column].to_numpy(dtype=np.float64), golden[column], err_msg=column)


def _assert_same_log(log: pd.DataFrame, name: str) -> None:
    golden = _golden(f"{name}_log")
    _assert_same_columns(log, golden, golden)
    assert sorted(log.columns) == sorted(golden), "a version-1 log writes exactly the golden's columns"


def _changed(distributions, version: int) -> set[str]:
    """The columns a labelled version writes differently or adds: the label shares and decision agreement."""
    return ({log_share_column(label) for label in LOG_LABELS[version]}
            | {log_column("decision_agreement", d) for d in distributions})


def _assert_same_versioned_log(log: pd.DataFrame, name: str, distributions, version: int) -> None:
    old, new = _golden(f"{name}_log"), _golden(f"{name}_log_v{version}")
    changed = _changed(distributions, version)
    assert set(new) == changed | {"generation"}
    assert set(log.columns) == set(old) | changed
    # Every column version 1 has and this version does not relabel: the old golden, to the last bit.
    _assert_same_columns(log, old, [c for c in old if c not in changed])
    _assert_same_columns(log, new, new)
    # The relabelled shares really changed (else the version would not be needed), and add up to 1:
    # every organism gets one label by the rule of assess.
    assert any(not np.array_equal(log[c].to_numpy(float), old[c]) for c in old if c in changed)
    shares = log[[log_share_column(label) for label in LOG_LABELS[version]]].sum(axis=1)
    np.testing.assert_allclose(shares, 1.0)


def _assert_same_population(population: np.ndarray, name: str) -> None:
    with np.load(GOLDEN / f"{name}_population.npz") as data:
        np.testing.assert_array_equal(population, data["population"])


@pytest.mark.slow
def test_aurora_run_with_shortest_path_routes_matches_the_golden_log_bit_for_bit():
    sc = replace(scenarios.get("aurora"), avoid_harm=False)
    config = evolution.Config.for_scenario(sc, seed=0)
    old = evolution.evolve(replace(sc, log_format=1), config, progress=False)
    _assert_same_log(old.log, "aurora_seed0")
    _assert_same_population(old.population, "aurora_seed0")
    for version in (2, 3):
        new = evolution.evolve(replace(sc, log_format=version), config, progress=False)
        _assert_same_versioned_log(new.log, "aurora_seed0", sc.distributions, version)
        _assert_same_population(new.population, "aurora_seed0")


def test_mixed_kind_run_with_shortest_path_routes_matches_the_golden_log_bit_for_bit():
    sc = replace(make_treasure(), avoid_harm=False)
    config = evolution.Config(population=40, generations=12, seed=7)
    old = evolution.evolve(replace(sc, log_format=1), config, progress=False)
    _assert_same_log(old.log, "treasure_mixed_seed7")
    _assert_same_population(old.population, "treasure_mixed_seed7")
    for version in (2, 3):
        new = evolution.evolve(replace(sc, log_format=version), config, progress=False)
        _assert_same_versioned_log(new.log, "treasure_mixed_seed7", sc.distributions, version)
        _assert_same_population(new.population, "treasure_mixed_seed7")


def test_mixed_kind_run_with_routes_around_harm_the_default_matches_its_golden_log_bit_for_bit():
    """The same run with the default routes repeats its own golden log and population, and is another
    run than the shortest-path golden (routes around harm are a real change)."""
    sc = replace(make_treasure(), log_format=1)
    assert sc.avoid_harm
    run = evolution.evolve(sc, evolution.Config(population=40, generations=12, seed=7), progress=False)
    _assert_same_log(run.log, "treasure_mixed_seed7_routes")
    _assert_same_population(run.population, "treasure_mixed_seed7_routes")
    shortest = _golden("treasure_mixed_seed7_log")
    changed = [c for c in shortest if not np.array_equal(run.log[c].to_numpy(dtype=np.float64), shortest[c], equal_nan=True)]
    assert {"base_mean", "oracle_base", "fitness_mean"} <= set(changed)
    with np.load(GOLDEN / "treasure_mixed_seed7_population.npz") as data:
        assert not np.array_equal(run.population, data["population"])
