"""Sweeps: a tidy table, the same numbers on every executor, and studies that resume."""

from __future__ import annotations

import functools
import json
import multiprocessing
import shutil
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pandas as pd
import pytest

import evolution
import scenarios
from evolution import Config, RunResult
from evolution.config import OPTION_ALIASES
from evolution.sweeps import plan
from tests.support.doubles import CountingPool, CountingScenario, Killed

FACTORY = functools.partial(scenarios.get, "aurora")
CONFIG = Config(population=6, generations=3, episodes=2, kinds=("planner",))
GRID = {"banner_reliability": [0.5, 1.0], "generations": [2, 3]}
SEEDS = [0, 7]
WORLDS = 4


def small_sweep(**kwargs) -> pd.DataFrame:
    return evolution.sweep(FACTORY, GRID, SEEDS, CONFIG, assess_worlds=WORLDS, progress=False, **kwargs)


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    """The small sweep on the default process pool, its points kept in a folder."""
    out = tmp_path_factory.mktemp("study")
    return small_sweep(out=out), out


def test_sweep_table_has_a_row_per_point_organism_and_distribution_with_knobs_and_seed(study):
    table, _ = study
    sc = FACTORY()
    points = 2 * 2 * len(SEEDS)
    assert len(table) == points * CONFIG.population * len(sc.distributions)
    assert list(table.columns[:3]) == ["banner_reliability", "generations", "seed"]
    assert {"organism", "kind", "distribution", "base", "agreement", "oracle_base"} <= set(table.columns)
    firsts = table.drop_duplicates(["banner_reliability", "generations", "seed"])
    assert firsts[["banner_reliability", "generations", "seed"]].values.tolist() == [
        [b, g, s] for b in GRID["banner_reliability"] for g in GRID["generations"] for s in SEEDS]


def test_every_sweep_point_equals_its_run_done_serially_in_this_process(study):
    table, out = study
    for point in plan(FACTORY, GRID, SEEDS, CONFIG):
        serial = evolution.evolve(FACTORY(**point.knobs), point.config.replace(workers=None), progress=False)
        kept = RunResult.load(out / point.name)
        pd.testing.assert_frame_equal(serial.log, kept.log, check_exact=True)
        assert np.array_equal(serial.population, kept.population)
        rows = table[(table["banner_reliability"] == point.values["banner_reliability"])
                     & (table["generations"] == point.values["generations"]) & (table["seed"] == point.seed)]
        expected = scenarios.assess(serial.scenario, serial.population, worlds=WORLDS, seed=0)
        pd.testing.assert_frame_equal(rows.iloc[:, 3:].reset_index(drop=True), expected, check_exact=True)


def test_sweep_on_a_dask_local_cluster_gives_the_identical_table_and_logs(study, tmp_path):
    distributed = pytest.importorskip("distributed")
    table, out = study
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster, distributed.Client(cluster) as client:
        on_dask = small_sweep(executor=client.get_executor(), out=tmp_path)
    pd.testing.assert_frame_equal(table, on_dask, check_exact=True)
    for point in plan(FACTORY, GRID, SEEDS, CONFIG):
        pd.testing.assert_frame_equal(RunResult.load(out / point.name).log,
                                      RunResult.load(tmp_path / point.name).log, check_exact=True)


def test_a_finished_study_is_loaded_not_run_again(study):
    table, out = study
    pool = CountingPool()
    with pool:
        again = small_sweep(out=out, executor=pool)
    assert pool.submitted == 0
    pd.testing.assert_frame_equal(table, again, check_exact=True)


def test_a_killed_study_resumes_where_it_was_on_one_worker(study, tmp_path):
    """The folder a killed study leaves: a point never started, a point evolved and saved but not
    marked done, and a point cut off mid-run after a checkpoint (whose log gets a tell-tale)."""
    table, done = study
    out = tmp_path / "study"
    shutil.copytree(done, out)
    never, unmarked, cut = plan(FACTORY, GRID, SEEDS, CONFIG)[1:4]
    assert cut.config.generations == 3
    shutil.rmtree(out / never.name)
    (out / unmarked.name / "point.json").unlink()
    shutil.rmtree(out / cut.name)
    with pytest.raises(Killed):
        evolution.evolve(CountingScenario(FACTORY(**cut.knobs), at=2), cut.config, progress=False, out=out / cut.name,
                         checkpoint_every=1)
    log_file = out / cut.name / "checkpoint-2" / "log.csv"
    log = pd.read_csv(log_file)
    log.loc[0, "fitness_mean"] = 12345.0
    log.to_csv(log_file, index=False)
    pool = CountingPool()
    with pool:
        resumed = small_sweep(out=out, executor=pool)
        hits, misses = pool.submit(kernel_cache_counts).result()
    assert pool.submitted == 3 + 1
    pd.testing.assert_frame_equal(table, resumed, check_exact=True)
    assert RunResult.load(out / cut.name).log.loc[0, "fitness_mean"] == 12345.0  # continued, not restarted
    assert hits > 0 and misses == 0  # the worker loaded every kernel from numba's cache


def kernel_cache_counts() -> tuple[int, int]:
    """In a worker: how many kernel signatures numba loaded from its cache, and how many it compiled."""
    from numba.core.registry import CPUDispatcher

    from organisms import kernels

    dispatchers = [d for d in vars(kernels).values() if isinstance(d, CPUDispatcher)]
    return (sum(sum(d.stats.cache_hits.values()) for d in dispatchers),
            sum(sum(d.stats.cache_misses.values()) for d in dispatchers))


def assert_rewritten_study_is_loaded_not_run_again(study, tmp_path, rewrite) -> None:
    """A copy of the finished study, each point's config rewritten by ``rewrite`` (as an older
    version saved it), reruns nothing and gives the same table."""
    table, done = study
    out = tmp_path / "study"
    shutil.copytree(done, out)
    for point in out.glob("*/point.json"):
        record = json.loads(point.read_text())
        rewrite(record["config"])
        point.write_text(json.dumps(record))
    pool = CountingPool()
    with pool:
        again = small_sweep(out=out, executor=pool)
    assert pool.submitted == 0
    pd.testing.assert_frame_equal(table, again, check_exact=True)


def test_a_study_saved_before_the_optimizer_fields_existed_is_loaded_not_run_again(study, tmp_path):
    def rewrite(config):
        del config["optimizer"], config["optimizer_options"]

    assert_rewritten_study_is_loaded_not_run_again(study, tmp_path, rewrite)


def test_a_sweep_over_every_optimizer_gives_the_table_of_in_process_runs_on_a_process_pool(tmp_path):
    """``optimizer`` is a grid key like any Config field; each point's options are its own defaults
    (not the base config's GA options), and every strategy reproduces in worker processes."""
    from evolution.optimizers import names

    grid = {"optimizer": names()}
    with ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("spawn")) as pool:
        on_pool = evolution.sweep(FACTORY, grid, [3], CONFIG.replace(optimizer_options={"swap": 0.25}),
                                  executor=pool, out=tmp_path, assess_worlds=WORLDS, progress=False)
    points = plan(FACTORY, grid, [3], CONFIG.replace(optimizer_options={"swap": 0.25}))
    assert [p.config.optimizer for p in points] == names()
    assert points[0].config.optimizer_options == {**Config().optimizer_options, "swap": 0.25}
    assert points[1].config.optimizer_options == Config(optimizer=names()[1]).optimizer_options
    for point in points:
        serial = evolution.evolve(FACTORY(**point.knobs), point.config.replace(workers=None), progress=False)
        pd.testing.assert_frame_equal(serial.log, RunResult.load(tmp_path / point.name).log, check_exact=True)
        rows = on_pool[on_pool["optimizer"] == point.config.optimizer]
        expected = scenarios.assess(serial.scenario, serial.population, worlds=WORLDS, seed=0)
        pd.testing.assert_frame_equal(rows.iloc[:, 2:].reset_index(drop=True), expected, check_exact=True)
    assert on_pool.groupby("optimizer", sort=False)["base"].mean().nunique() == len(names())


def test_a_study_saved_with_the_ga_settings_flat_is_loaded_not_run_again(study, tmp_path):
    def rewrite(config):
        options = config["optimizer_options"]
        config.update({name: options.pop(name) for name in OPTION_ALIASES})

    assert_rewritten_study_is_loaded_not_run_again(study, tmp_path, rewrite)


def test_a_grid_over_a_ga_setting_by_its_flat_name_varies_that_option():
    points = plan(FACTORY, {"sigma": [0.1, 0.6]}, [0], CONFIG)
    assert [p.config.optimizer_options["sigma"] for p in points] == [0.1, 0.6]
    assert [p.values for p in points] == [{"sigma": 0.1}, {"sigma": 0.6}]
    with pytest.raises(ValueError, match=r"Config\.sigma: the 'cmaes' optimizer has no such setting"):
        plan(FACTORY, {"sigma": [0.1]}, [0], CONFIG.replace(optimizer="cmaes"))
