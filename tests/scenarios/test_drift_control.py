"""The drift control has power: the sign-flip test across seeds (``compliance.selection_test``) finds
selection on a block of genes where it acts and not where only drift moves them, on synthetic gene
trajectories with known selection and on small fixed-seed overseer runs."""

from __future__ import annotations

import numpy as np
import pytest

import evolution
import scenarios
from scenarios.analyses.compliance import block_shifts, selection_test
from scenarios.stories import overseer
from tests.support.drift import final_shifts

SEEDS = range(5)


def shifts(selection: float, batch: int = 0) -> np.ndarray:
    return np.array([final_shifts(selection, 100 * batch + s) for s in SEEDS])


def test_the_test_finds_known_selection_and_not_drift_on_synthetic_genes():
    assert selection_test(shifts(0.2))["p_value"] < 0.05
    assert selection_test(shifts(0.0))["p_value"] >= 0.05


def test_the_test_rejects_drift_at_its_level_and_selection_almost_always():
    null = np.array([selection_test(shifts(0.0, b))["p_value"] for b in range(1, 101)])
    # 100 batches of five unselected seeds: about 5 rejections at 0.05 (binomial: 11 or more has p < 0.005).
    assert (null < 0.05).sum() <= 10
    power = np.array([selection_test(shifts(0.2, b))["p_value"] for b in range(101, 131)])
    assert (power < 0.05).mean() >= 0.9


def test_the_sign_flip_null_is_exact_for_few_shifts():
    # Every shift of one sign: only the flips that turn whole features round are as extreme.
    assert selection_test(np.ones((5, 3)))["p_value"] == pytest.approx(2 ** 3 / 2 ** 15)
    assert selection_test(np.zeros((2, 2)))["p_value"] == 1.0
    with pytest.raises(ValueError, match="shifts"):
        selection_test(np.array([[np.nan]]))


@pytest.mark.slow
def test_the_overseer_cue_off_genes_are_selected_only_where_selection_sees_them():
    def seed_shifts(**knobs) -> np.ndarray:
        sc = overseer.make(**knobs)
        rows = []
        for seed in SEEDS:
            cfg = evolution.Config.for_scenario(sc, seed=seed, population=60, generations=40, workers=1)
            rows.append(block_shifts(sc, evolution.evolve(sc, cfg, progress=False).population))
        return np.array(rows)

    selected = selection_test(seed_shifts(private_payoff=0.5, cue_rate=0.5, audit_rate=0.0))
    unselected = selection_test(seed_shifts(private_payoff=0.0, cue_rate=1.0, audit_rate=0.0))
    assert selected["p_value"] < 0.05 and selected["mean_shift"] > 0  # unwatched, the private payoff pulls
    assert unselected["p_value"] >= 0.05


def test_block_shifts_compare_each_expressible_cue_off_gene_with_its_never_expressed_twin():
    sc = overseer.make()
    names = sc.layout.gene_names()
    pop = np.zeros((4, sc.layout.length))
    for i, name in enumerate(names):
        if name.startswith("cue_off:"):
            pop[:, i] = {"cue_off:crop": 2.0, "cue_off:candy": -1.0}.get(name, 9.0)
        elif name.startswith("unexpressed:"):
            pop[:, i] = 0.5
    # crop and candy; the cue feature's own cue-off gene weighs nothing a cue-off world shows.
    np.testing.assert_array_equal(block_shifts(sc, pop), [1.5, -1.5])
    with pytest.raises(ValueError, match="cue-conditional"):
        aurora = scenarios.get("aurora")
        block_shifts(aurora, np.zeros((1, aurora.layout.length)))
