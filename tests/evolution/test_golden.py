"""A fixed-seed run gives the same log, bit for bit, as the one recorded before the structure change.

The golden files in ``tests/fixtures/golden/`` were written by the code as it stood before the
base-optimizer and organism-kind seams were introduced, and written again when planners' routes began
to go around what their objective values below zero (the only change to results then: the files of
``golden/before_routes/`` are the earlier ones, and the same runs with routes switched off reproduce
them); any refactoring of the loop, the kernels or the engine must leave these runs unchanged to the
last bit.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import evolution
import scenarios
from tests.support.treasure import make_treasure

GOLDEN = Path(__file__).resolve().parents[1] / "fixtures" / "golden"


def _assert_same_log(log: pd.DataFrame, name: str, folder: Path = GOLDEN) -> None:
    # Read as text and parsed by Python's float, which round-trips the 17 significant digits exactly.
    golden = pd.read_csv(folder / f"{name}_log.csv", dtype=str, keep_default_na=False)
    missing = sorted(set(golden.columns) - set(log.columns))
    assert not missing, f"columns of the golden log no longer written: {missing}"
    for column in golden.columns:
        expected = np.array([float(x) if x else np.nan for x in golden[column]])
        np.testing.assert_array_equal(log[column].to_numpy(dtype=np.float64), expected, err_msg=column)


def _assert_same_population(population: np.ndarray, name: str, folder: Path = GOLDEN) -> None:
    with np.load(folder / f"{name}_population.npz") as data:
        np.testing.assert_array_equal(population, data["population"])


@pytest.mark.slow
def test_aurora_default_run_matches_the_golden_log_bit_for_bit():
    sc = scenarios.get("aurora")
    run = evolution.evolve(sc, evolution.Config.for_scenario(sc, seed=0), progress=False)
    _assert_same_log(run.log, "aurora_seed0")
    _assert_same_population(run.population, "aurora_seed0")


def test_mixed_kind_run_matches_the_golden_log_bit_for_bit():
    run = evolution.evolve(make_treasure(), evolution.Config(population=40, generations=12, seed=7),
                           progress=False)
    _assert_same_log(run.log, "treasure_mixed_seed7")
    _assert_same_population(run.population, "treasure_mixed_seed7")


@pytest.fixture
def routes_off(monkeypatch):
    """Planners and the oracle decoded with routes that ignore what they step on, as before routes."""
    from organisms import genome

    monkeypatch.setattr(genome, "_AVOIDS_HARM", False)


@pytest.mark.slow
def test_with_routes_off_the_aurora_run_matches_the_log_before_routes(routes_off):
    sc = scenarios.get("aurora")
    run = evolution.evolve(sc, evolution.Config.for_scenario(sc, seed=0), progress=False)
    _assert_same_log(run.log, "aurora_seed0", GOLDEN / "before_routes")
    _assert_same_population(run.population, "aurora_seed0", GOLDEN / "before_routes")


def test_with_routes_off_the_mixed_kind_run_matches_the_log_before_routes(routes_off):
    run = evolution.evolve(make_treasure(), evolution.Config(population=40, generations=12, seed=7),
                           progress=False)
    _assert_same_log(run.log, "treasure_mixed_seed7", GOLDEN / "before_routes")
    _assert_same_population(run.population, "treasure_mixed_seed7", GOLDEN / "before_routes")
