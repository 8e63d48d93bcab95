"""Assessment: planted Aurora genomes are robustly or pseudo-aligned as the essay says; the table keeps
its contract; assessment worlds are fixed by the assessment seed alone; recorded episodes are legal."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import evolution
import scenarios
from tests.support.treasure import make_treasure

WORLDS = 150


@pytest.fixture(scope="module")
def aurora():
    return scenarios.get("aurora")


def planted(sc, **genes: float) -> np.ndarray:
    """A genome with the named genes set (by ``layout.gene_names()``) and every other gene 0."""
    names = sc.layout.gene_names()
    genome = np.zeros(sc.layout.length)
    for name, value in genes.items():
        genome[names.index(name)] = value
    return genome


def robustly_aligned(sc) -> np.ndarray:
    """Pays for the diplomacy sensor and pursues the base objective itself, with a long horizon."""
    return planted(sc, kind=1.0, **{"sensor:diplomacy": 1.0, "mesa:diplomacy": 1.0, "mesa:own": -2.0,
                                    "mesa:aurora": 0.0, "mesa:brotherhood": 0.0, "horizon": 5.0})


def pseudo_aligned(sc) -> np.ndarray:
    """Values the Aurora banner and shuns the Brotherhood's; no sensor: a perfect proxy in training."""
    return planted(sc, kind=1.0, **{"sensor:diplomacy": -1.0, "mesa:aurora": 1.0, "mesa:brotherhood": -1.0,
                                    "mesa:own": -2.0, "horizon": 5.0})


def banner_heuristic(sc) -> np.ndarray:
    return planted(sc, kind=-1.0, **{"heuristic:aurora": 1.0, "heuristic:brotherhood": -1.0,
                                     "heuristic:own": -2.0, "decay": 0.5})


@pytest.fixture(scope="module")
def table(aurora):
    pop = np.vstack([robustly_aligned(aurora), pseudo_aligned(aurora), banner_heuristic(aurora)])
    return scenarios.assess(aurora, pop, worlds=WORLDS, seed=0)


def row(table: pd.DataFrame, organism: int, distribution: str) -> pd.Series:
    rows = table[(table["organism"] == organism) & (table["distribution"] == distribution)]
    assert len(rows) == 1
    return rows.iloc[0]


def test_aurora_planner_with_the_diplomacy_sensor_and_the_base_objective_is_robustly_aligned(table):
    train, deploy = row(table, 0, "train"), row(table, 0, "brotherhood_war")
    assert train["agreement"] > 0.9
    assert deploy["agreement"] > 0.9
    assert deploy["base"] >= 0.7 * deploy["oracle_base"]
    assert train["base"] >= 0.7 * train["oracle_base"]
    assert bool(train["sensor:diplomacy"]) and bool(deploy["sensor:diplomacy"])


def test_aurora_planner_that_follows_banners_is_pseudo_aligned(table):
    train, deploy = row(table, 1, "train"), row(table, 1, "brotherhood_war")
    assert train["agreement"] > 0.7
    assert deploy["agreement"] < train["agreement"] - 0.4
    assert deploy["oracle_base"] > 0
    assert deploy["base"] <= 0.1 * deploy["oracle_base"]
    # It does well in training: the proxy is perfect there.
    assert train["base"] >= 0.7 * train["oracle_base"]
    # Under shift it razes Aurora's remnants (now allies) and spares the Brotherhood (the enemy).
    assert deploy["outcome:aurora"] > 0
    assert deploy["mesa"] > deploy["base"]
    assert not bool(train["sensor:diplomacy"])


def test_assess_has_the_contract_columns_and_a_row_per_organism_and_distribution(aurora, table):
    required = ["organism", "kind", "distribution", "base", "fitness", "intended", "mesa", "oracle_base",
                "oracle_intended", "agreement", "compute", "sensor:diplomacy"]
    required += [f"outcome:{f}" for f in aurora.feature_names]
    assert not [c for c in required if c not in table.columns]
    assert len(table) == 3 * 2
    assert sorted(set(table["distribution"])) == ["brotherhood_war", "train"]
    assert table["kind"].tolist() == ["planner", "planner", "heuristic"] * 2
    assert table["organism"].tolist() == [0, 1, 2] * 2
    assert table["sensor:diplomacy"].dtype == bool


def test_heuristics_have_zero_compute_and_nan_mesa_and_agreement(table):
    heuristics = table[table["kind"] == "heuristic"]
    planners = table[table["kind"] == "planner"]
    assert len(heuristics) == 2
    assert (heuristics["compute"] == 0).all()
    assert heuristics["mesa"].isna().all()
    assert heuristics["agreement"].isna().all()
    assert (planners["compute"] > 0).all()
    assert planners["mesa"].notna().all() and planners["agreement"].notna().all()


def test_base_fitness_and_intended_follow_from_the_outcome_columns():
    sc = make_treasure()
    rng = np.random.default_rng(1)
    pop = rng.normal(size=(8, sc.layout.length))
    t = scenarios.assess(sc, pop, worlds=20, seed=2)
    outcome = t[[f"outcome:{f}" for f in sc.feature_names]].to_numpy()
    assert np.allclose(t["base"], outcome @ sc.base_weights)
    assert np.allclose(t["intended"], outcome @ sc.intended_weights)
    sensors = t[[f"sensor:{sc.feature_names[i]}" for i in sc.layout.sensed]].to_numpy(dtype=float)
    costs = sensors @ sc.sensor_costs + sc.compute_cost * t["compute"].to_numpy()
    assert np.allclose(t["fitness"], t["base"] - costs)
    assert set(t["distribution"]) == {"train", "rooms", "maze", "mixed"}
    # The intended goal differs from the base objective here, and so do the oracles.
    assert not np.allclose(t["oracle_base"], t["oracle_intended"])


def test_oracle_columns_are_shared_by_every_organism_of_a_distribution(table):
    for _, group in table.groupby("distribution"):
        assert group["oracle_base"].nunique() == 1
        assert group["oracle_intended"].nunique() == 1


def test_assessment_worlds_do_not_depend_on_the_run(aurora, table):
    pop = np.vstack([robustly_aligned(aurora), pseudo_aligned(aurora), banner_heuristic(aurora)])
    # A run in between touches every random stream the library uses; the table must not move.
    evolution.evolve(aurora, evolution.Config(population=4, generations=2, episodes=1, seed=99), progress=False)
    np.random.seed(1)
    again = scenarios.assess(aurora, pop, worlds=WORLDS, seed=0)
    pd.testing.assert_frame_equal(table, again, check_exact=True)


def test_an_organism_scores_the_same_whatever_population_it_is_assessed_with(aurora, table):
    alone = scenarios.assess(aurora, pseudo_aligned(aurora), worlds=WORLDS, seed=0)
    for dist in ("train", "brotherhood_war"):
        together = row(table, 1, dist)
        single = row(alone, 0, dist)
        for col in ("base", "fitness", "mesa", "agreement", "compute", "oracle_base"):
            assert single[col] == together[col], (dist, col)


def test_a_different_assessment_seed_gives_different_worlds(aurora):
    genome = robustly_aligned(aurora)
    a = scenarios.assess(aurora, genome, worlds=30, seed=0)
    b = scenarios.assess(aurora, genome, worlds=30, seed=1)
    cols = [c for c in a.columns if c.startswith("outcome:")] + ["compute", "oracle_base"]
    assert not np.array_equal(a[cols].to_numpy(), b[cols].to_numpy())


@pytest.mark.parametrize("worlds", [0, -1, 2.5, True])
def test_assess_rejects_a_bad_world_count(aurora, worlds):
    with pytest.raises(ValueError, match="worlds"):
        scenarios.assess(aurora, robustly_aligned(aurora), worlds=worlds)


# --- recorded episodes ------------------------------------------------------------------------------

def random_genomes(sc, n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    pop = rng.normal(size=(n, sc.layout.length))
    pop[:, sc.layout.kind] = np.where(np.arange(n) % 2 == 0, 1.0, -1.0)
    return pop


@pytest.mark.parametrize("distribution", ["train", "rooms", "maze", "mixed"])
def test_episode_path_starts_at_the_start_moves_one_cell_at_most_and_never_enters_a_wall(distribution):
    sc = make_treasure()
    for k, genome in enumerate(random_genomes(sc, 6, seed=len(distribution))):
        rec = scenarios.episode(sc, genome, distribution=distribution, seed=k)
        path, walls = rec["path"], rec["walls"]
        h, w = walls.shape
        assert tuple(path[0]) == tuple(rec["start"])
        assert np.abs(np.diff(path, axis=0)).sum(axis=1).max(initial=0) <= 1
        assert ((path >= 0) & (path < [h, w])).all()
        assert not walls[path[:, 0], path[:, 1]].any()
        # An item taken at step t lies on the path's cell at step t.
        for i in np.flatnonzero(rec["taken_at"] >= 0):
            assert tuple(path[rec["taken_at"][i]]) == tuple(rec["item_pos"][i])
        assert rec["kind"] == ("planner" if k % 2 == 0 else "heuristic")
        assert rec["base"] == pytest.approx(float(rec["outcome"] @ sc.base_weights))
        if rec["kind"] == "heuristic":
            assert rec["compute"] == 0 and np.isnan(rec["mesa"])


def test_episode_world_is_the_same_for_the_same_seed_and_matches_the_spec(aurora):
    genome = pseudo_aligned(aurora)
    a = scenarios.episode(aurora, genome, distribution="brotherhood_war", seed=3)
    b = scenarios.episode(aurora, genome, distribution="brotherhood_war", seed=3)
    for key in ("walls", "start", "item_pos", "item_kind", "path", "taken_at", "outcome"):
        assert np.array_equal(a[key], b[key]), key
    assert a["walls"].shape == (12, 12)
    assert len(a["path"]) == 40 + 1
    assert a["scenario"] == "aurora" and a["distribution"] == "brotherhood_war"
    assert set(a["item_kind"].tolist()) <= set(range(len(a["item_kind_names"])))


def test_episode_refuses_a_population_and_an_unknown_distribution(aurora):
    with pytest.raises(ValueError, match="genome"):
        scenarios.episode(aurora, np.zeros((2, aurora.genome_length)))
    with pytest.raises(ValueError, match="distribution"):
        scenarios.episode(aurora, robustly_aligned(aurora), distribution="peace")


def test_the_assessment_is_the_same_in_threads_and_serially():
    # The command line assesses in the evaluation's threads; no column may depend on it.
    sc = make_treasure()
    rng = np.random.default_rng(2)
    population = rng.normal(size=(40, sc.layout.length))
    serial = scenarios.assess(sc, population, worlds=30, optimum_worlds=5)
    threaded = scenarios.assess(sc, population, worlds=30, optimum_worlds=5, parallel=2)
    pd.testing.assert_frame_equal(serial, threaded, check_exact=True)
    assert serial["decision_agreement"].notna().any() and (serial["navigation"] > 0).any()
    assert sc.assess(population, worlds=30, parallel=True).equals(sc.assess(population, worlds=30))
