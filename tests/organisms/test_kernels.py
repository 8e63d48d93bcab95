"""The compiled episode kernels agree with the plain-Python reference, trajectory for trajectory."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

import organisms
from organisms.reference import reference_organism, reference_world, run_episode
from tests.support.treasure import TREASURE_SPECS, make_treasure

ORGANISMS_PER_KIND = 8
WORLDS_PER_SPEC = 15


KIND_NAMES = [kind.name for kind in organisms.KIND_REGISTRY]


def random_population(layout: organisms.GenomeLayout, kind: str, n: int, rng: np.random.Generator) -> np.ndarray:
    """Random genomes of one kind; horizons spread from 1 to the cap, sensors on and off."""
    pop = rng.normal(0.0, 1.0, size=(n, layout.length))
    pop[:, layout.kind] = layout.kind_gene_value(kind)
    for i, name in enumerate(layout.gene_names()):
        if name == "horizon":  # every planning kind's horizon gene
            pop[:, i] = rng.normal(0.0, 2.5, size=n)
    pop[:, layout.decay] = rng.normal(0.0, 1.5, size=n)
    return pop


def spec_worlds(spec_name: str, seed: int) -> list[organisms.World]:
    """WORLDS_PER_SPEC worlds of one of the treasure specs, sampled through a one-spec scenario."""
    sc = replace(make_treasure(), train=TREASURE_SPECS[spec_name], deploy={})
    return sc.sample("train", WORLDS_PER_SPEC, seed)


def assert_same_episode(kernel: dict, ref: dict, label: str) -> None:
    assert kernel["path"].tolist() == [list(cell) for cell in ref["path"]], f"{label}: path differs"
    assert kernel["taken_at"].tolist() == ref["taken_at"], f"{label}: taken_at differs"
    assert kernel["outcome"].tolist() == ref["outcome"], f"{label}: outcome differs"
    assert kernel["compute"] == ref["compute"], f"{label}: compute differs"


@pytest.mark.parametrize("kind", KIND_NAMES)
@pytest.mark.parametrize("spec_name", sorted(TREASURE_SPECS))
def test_kernel_trajectories_equal_plain_python_reference(spec_name, kind):
    sc = replace(make_treasure(), organism_kinds=tuple(KIND_NAMES))  # a layout that carries every kind
    rng = np.random.default_rng([7, len(spec_name), KIND_NAMES.index(kind)])
    worlds = spec_worlds(spec_name, seed=[11, len(spec_name)])
    pop = random_population(sc.layout, kind, ORGANISMS_PER_KIND, rng)
    ph = organisms.phenotype(sc, pop)
    # Half the planners without the map, and some whose routes ignore harm (the planners before routes).
    ph = ph._replace(knows_walls=np.arange(ORGANISMS_PER_KIND) % 2 == 0,
                     avoids_harm=np.arange(ORGANISMS_PER_KIND) % 4 != 1)
    assert (ph.kind == organisms.kinds.by_name(kind).code).all()
    # Every episode is recorded from a batch holding all worlds, so smaller grids are padded.
    batch = organisms.stack_worlds(worlds)
    moved = taken = 0
    for w, world in enumerate(worlds):
        ref_world = reference_world(world)
        for o in range(len(pop)):
            kernel = organisms.run_recorded(ph, o, batch, w)
            ref = run_episode(reference_organism(ph, o), ref_world)
            assert_same_episode(kernel, ref, f"{spec_name} world {w} organism {o}")
            moved += len(set(map(tuple, kernel["path"].tolist()))) > 1
            taken += int((kernel["taken_at"] >= 0).sum())
    # The comparison means something only if organisms actually move and take items.
    assert moved > len(worlds)
    assert taken > len(worlds)


def test_kernel_equals_reference_for_the_oracle_with_unbounded_horizon(treasure):
    weights = treasure.base_weights
    ph = organisms.oracle_phenotype(treasure.layout, weights)
    worlds = treasure.sample("mixed", 12, seed=3)
    batch = organisms.stack_worlds(worlds)
    for w, world in enumerate(worlds):
        kernel = organisms.run_recorded(ph, 0, batch, w)
        ref = run_episode(reference_organism(ph, 0), reference_world(world))
        assert_same_episode(kernel, ref, f"oracle world {w}")


def test_kernel_and_reference_take_chests_only_with_a_key_and_spend_it():
    sc = make_treasure()
    layout = sc.layout
    names = layout.gene_names()
    genome = np.zeros(layout.length)
    genome[names.index("kind")] = 1.0
    genome[names.index("mesa:key")] = 1.0
    genome[names.index("mesa:gold")] = 1.0
    genome[names.index("horizon")] = 5.0
    ph = organisms.phenotype(sc, genome)
    worlds = sc.sample("maze", 20, seed=5)
    batch = organisms.stack_worlds(worlds)
    chests_taken = 0
    key_i, gold_i = sc.feature_names.index("key"), sc.feature_names.index("gold")
    for w, world in enumerate(worlds):
        kernel = organisms.run_recorded(ph, 0, batch, w)
        ref = run_episode(reference_organism(ph, 0), reference_world(world))
        assert_same_episode(kernel, ref, f"key-and-chest world {w}")
        taken = kernel["taken_at"]
        chest = world.item_requires[:, key_i] > 0
        key = world.item_features[:, key_i] > 0
        # Every chest taken was taken after at least one more key than chests before it.
        for i in np.flatnonzero(chest & (taken >= 0)):
            keys_before = int(((taken >= 0) & (taken < taken[i]) & key).sum())
            chests_before = int(((taken >= 0) & (taken < taken[i]) & chest).sum())
            assert keys_before > chests_before
        chests_taken += int((chest & (taken >= 0)).sum())
        assert kernel["outcome"][key_i] == int((key & (taken >= 0)).sum()) - int((chest & (taken >= 0)).sum())
        assert kernel["outcome"][gold_i] >= 3 * int((chest & (taken >= 0)).sum())
    assert chests_taken > 0


def test_heuristics_never_count_compute():
    sc = make_treasure()
    rng = np.random.default_rng(2)
    ph = organisms.phenotype(sc, random_population(sc.layout, "heuristic", 6, rng))
    batch = organisms.stack_worlds(sc.sample("rooms", 5, seed=1))
    _, compute = organisms.run_population(ph, batch)
    assert (compute == 0).all()


@pytest.mark.parametrize("parallel", [False, True], ids=["serial", "parallel"])
def test_run_population_equals_per_episode_results(parallel):
    sc = make_treasure()
    rng = np.random.default_rng(4)
    pop = np.vstack([random_population(sc.layout, "planner", 5, rng),
                     random_population(sc.layout, "heuristic", 5, rng)])
    ph = organisms.phenotype(sc, pop)
    worlds = sc.sample("mixed", 12, seed=8) + sc.sample("train", 4, seed=8)
    batch = organisms.stack_worlds(worlds)
    outcomes, compute = organisms.run_population(ph, batch, parallel=parallel)
    assert outcomes.shape == (len(pop), len(worlds), len(sc.feature_names))
    assert compute.shape == (len(pop), len(worlds))
    for o in range(len(pop)):
        for w in range(len(worlds)):
            rec = organisms.run_recorded(ph, o, batch, w)
            assert outcomes[o, w].tolist() == rec["outcome"].tolist(), f"organism {o} world {w}"
            assert compute[o, w] == rec["compute"], f"organism {o} world {w}"
    assert (compute[:5] > 0).all()


@pytest.mark.parametrize("parallel", [False, True], ids=["serial", "parallel"])
def test_a_recorded_population_run_scores_alike_and_keeps_each_episodes_trajectory(parallel):
    # The run log reads a generation's decisions from the episodes that scored it: the recorded run
    # must score as the plain one does, and each slot must hold its own episode's trajectory.
    sc = make_treasure()
    rng = np.random.default_rng(5)
    pop = np.vstack([random_population(sc.layout, "planner", 4, rng),
                     random_population(sc.layout, "heuristic", 4, rng)])
    ph = organisms.phenotype(sc, pop)
    batch = organisms.stack_worlds(sc.sample("mixed", 9, seed=3))
    outcomes, compute, (paths, taken_ats) = organisms.run_population_recorded(ph, batch, parallel=parallel)
    plain = organisms.run_population(ph, batch)
    assert np.array_equal(outcomes, plain[0]) and np.array_equal(compute, plain[1])
    for o in range(len(pop)):
        for w in range(batch.walls.shape[0]):
            rec = organisms.run_recorded(ph, o, batch, w)
            j = o * batch.walls.shape[0] + w
            assert np.array_equal(paths[j, :len(rec["path"])], rec["path"]), f"organism {o} world {w}"
            assert taken_ats[j, :len(rec["taken_at"])].tolist() == rec["taken_at"].tolist()
    with_them = organisms.choice_events(ph, batch, trajectories=(paths, taken_ats), parallel=parallel)
    without = organisms.choice_events(ph, batch)
    assert np.array_equal(with_them[0], without[0])
    for a, b in zip(with_them[1], without[1]):
        assert np.array_equal(a, b)


def _parallel_outcomes(seed: int) -> np.ndarray:
    sc = make_treasure()
    ph = organisms.phenotype(sc, np.random.default_rng(seed).normal(size=(12, sc.layout.length)))
    return organisms.run_population(ph, organisms.stack_worlds(sc.sample("mixed", 6, seed=seed)), parallel=True)[0]


def _child_outcomes(queue) -> None:
    queue.put(_parallel_outcomes(1))


def test_a_forked_worker_evaluates_in_threads_after_its_parent_did():
    # The evaluation's thread pool is kept for the process; a process-pool worker forked from a parent
    # that used it inherits the pool without its threads, and must make its own rather than wait forever.
    import multiprocessing

    here = _parallel_outcomes(1)
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_child_outcomes, args=(queue,))
    child.start()
    try:
        there = queue.get(timeout=300)
    except Exception:
        pytest.fail("a forked child never finished its threaded evaluation")
    finally:
        child.kill()
        child.join()
    assert np.array_equal(here, there)


def test_parallel_and_serial_population_kernels_agree_bit_for_bit():
    sc = make_treasure()
    rng = np.random.default_rng(9)
    pop = rng.normal(size=(16, sc.layout.length))
    ph = organisms.phenotype(sc, pop)
    batch = organisms.stack_worlds(sc.sample("mixed", 10, seed=2))
    serial = organisms.run_population(ph, batch, parallel=False)
    parallel = organisms.run_population(ph, batch, parallel=True)
    assert np.array_equal(serial[0], parallel[0])
    assert np.array_equal(serial[1], parallel[1])


def test_horizon_scale_changes_planner_compute_like_the_reference():
    """The same world with horizon_scale 1 and 2: compute grows, and both match the reference."""
    sc = make_treasure()
    world = sc.sample("train", 1, seed=12)[0]
    scaled = world._replace(horizon_scale=2.0)
    genome = np.zeros(sc.layout.length)
    genome[sc.layout.kind] = 1.0
    genome[sc.layout.horizon] = -1.5  # a short horizon, so doubling it matters
    ph = organisms.phenotype(sc, genome)
    batch = organisms.stack_worlds([world, scaled])
    computes = []
    for w, wd in enumerate([world, scaled]):
        kernel = organisms.run_recorded(ph, 0, batch, w)
        assert_same_episode(kernel, run_episode(reference_organism(ph, 0), reference_world(wd)), f"scale {w}")
        computes.append(kernel["compute"])
    assert computes[1] > computes[0]


@pytest.mark.parametrize("density", [0.0, 0.2, 0.4])
def test_compiled_reachability_equals_reference_search(density):
    from organisms.grid import bfs, reachable_from

    rng = np.random.default_rng(7)
    for _ in range(30):
        walls = rng.random((9, 13)) < density
        start = (int(rng.integers(9)), int(rng.integers(13)))
        walls[start] = False
        expected = np.zeros_like(walls)
        for cell in bfs(walls.tolist(), start):
            expected[cell] = True
        assert np.array_equal(reachable_from(walls, *start), expected)
