"""The base optimizer: reproducible runs, the log contract, run directories, checkpoints."""

from __future__ import annotations

import dataclasses
import json
import re

import numba
import numpy as np
import pandas as pd
import pytest

import evolution
import scenarios
from evolution import Config, RunResult
from tests.support.doubles import CountingScenario, Killed

SMALL = dict(population=12, generations=4, episodes=3)


@pytest.fixture(scope="module")
def aurora():
    return scenarios.get("aurora", banner_reliability=0.9)


@pytest.fixture(scope="module")
def run(aurora):
    return evolution.evolve(aurora, Config(seed=5, **SMALL), progress=False)


def assert_logs_identical(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a, b, check_exact=True)


def test_same_seed_gives_an_identical_log_and_population(aurora, run):
    again = evolution.evolve(aurora, Config(seed=5, **SMALL), progress=False)
    assert_logs_identical(run.log, again.log)
    assert np.array_equal(run.population, again.population)
    assert np.array_equal(run.hall_of_fame, again.hall_of_fame)


def test_different_seeds_give_different_runs(aurora, run):
    other = evolution.evolve(aurora, Config(seed=6, **SMALL), progress=False)
    assert not run.log["fitness_mean"].equals(other.log["fitness_mean"])
    assert not np.array_equal(run.population, other.population)


def test_config_is_not_mutated_and_the_result_carries_it(aurora):
    cfg = Config(seed=1, kinds=("heuristic", "planner"), **SMALL)
    before = cfg.to_dict()
    result = evolution.evolve(aurora, cfg, progress=False)
    assert cfg.to_dict() == before
    assert result.config == cfg


def test_run_log_has_the_contract_columns_and_a_row_per_generation(aurora, run):
    layout = aurora.layout
    perceivable = [layout.features[i] for i in layout.perceivable]
    required = ["generation", "fitness_mean", "fitness_max", "base_mean", "intended_mean", "planner_share",
                "agreement_train", "brotherhood_war:base_mean", "brotherhood_war:agreement",
                "sensor:diplomacy"] + [f"mesa:{f}" for f in perceivable]
    assert set(perceivable) == {"aurora", "brotherhood", "own", "diplomacy"}
    missing = [c for c in required if c not in run.log.columns]
    assert not missing
    assert run.log["generation"].tolist() == list(range(SMALL["generations"]))
    assert (run.log["fitness_max"] >= run.log["fitness_mean"]).all()
    assert run.log["planner_share"].between(0, 1).all()
    assert run.log["sensor:diplomacy"].between(0, 1).all()
    assert run.population.shape == (SMALL["population"], aurora.genome_length)


def test_log_holds_no_wall_clock_times(run):
    assert not [c for c in run.log.columns if "time" in c.lower() or "second" in c.lower()]


def test_planner_only_config_gives_planner_share_one_every_generation(aurora):
    result = evolution.evolve(aurora, Config(seed=2, kinds=("planner",), **SMALL), progress=False)
    assert (result.log["planner_share"] == 1.0).all()
    assert (result.population[:, aurora.layout.kind] > 0).all()
    assert result.population.shape[1] == aurora.genome_length  # the layout does not change


def test_heuristic_only_config_gives_planner_share_zero_and_nan_agreement(aurora):
    result = evolution.evolve(aurora, Config(seed=2, kinds=("heuristic",), **SMALL), progress=False)
    assert (result.log["planner_share"] == 0.0).all()
    assert result.log["agreement_train"].isna().all()


def test_hall_of_fame_holds_the_best_fitness_ever_logged(aurora):
    cfg = Config(seed=3, population=10, generations=2, episodes=3, elite=2, kinds=("planner",))
    result = evolution.evolve(aurora, cfg, progress=False)
    assert len(result.hall_of_fame) >= 1
    assert result.hall_of_fame_fitness[0] >= result.log["fitness_max"].max() - 1e-12


def test_one_and_two_workers_give_identical_logs(aurora):
    one = evolution.evolve(aurora, Config(seed=4, workers=1, **SMALL), progress=False)
    two = evolution.evolve(aurora, Config(seed=4, workers=2, **SMALL), progress=False)
    assert_logs_identical(one.log, two.log)
    assert np.array_equal(one.population, two.population)


def test_evaluation_owns_its_threads_and_leaves_the_callers_setting_alone(aurora):
    before = numba.get_num_threads()
    genomes = np.random.default_rng(0).normal(size=(8, aurora.layout.length))
    results = [aurora.evaluate(genomes, np.random.SeedSequence(3), episodes=2, parallel=p)
               for p in (False, 1, 2, True)]
    for fitness, summary in results[1:]:
        assert np.array_equal(fitness, results[0][0])
        pd.testing.assert_series_equal(pd.Series(summary), pd.Series(results[0][1]), check_exact=True)
    assert numba.get_num_threads() == before
    evolution.evolve(aurora, Config(seed=4, workers=1, **SMALL), progress=False)
    assert numba.get_num_threads() == before  # a one-thread run does not leave the caller on one thread
    with pytest.raises(ValueError, match="parallel"):
        aurora.evaluate(genomes, np.random.SeedSequence(3), episodes=2, parallel=0)


# --- run directories --------------------------------------------------------------------------------

def test_save_then_load_round_trips_log_population_config_and_scenario(run, tmp_path):
    run.save(tmp_path / "run")
    for name in ("config.json", "log.csv", "population.npz", "summary.json"):
        assert (tmp_path / "run" / name).is_file(), name
    loaded = RunResult.load(tmp_path / "run")
    assert_logs_identical(run.log, loaded.log)
    assert np.array_equal(run.population, loaded.population)
    assert np.array_equal(run.fitness, loaded.fitness)
    assert np.array_equal(run.hall_of_fame, loaded.hall_of_fame)
    assert np.array_equal(run.hall_of_fame_fitness, loaded.hall_of_fame_fitness)
    assert loaded.config == run.config
    assert loaded.scenario == run.scenario


def test_a_loaded_run_assesses_exactly_like_the_original(run, tmp_path):
    loaded = RunResult.load(run.save(tmp_path / "run"))
    pd.testing.assert_frame_equal(
        scenarios.assess(run.scenario, run.population, worlds=20),
        scenarios.assess(loaded.scenario, loaded.population, worlds=20),
        check_exact=True,
    )


def test_run_directory_holds_no_pickle(run, tmp_path):
    path = run.save(tmp_path / "run")
    with np.load(path / "population.npz", allow_pickle=False) as data:
        assert {"population", "fitness"} <= set(data.files)
    json.loads((path / "config.json").read_text())


def test_loading_a_directory_that_is_not_a_run_raises_value_error(tmp_path):
    with pytest.raises(ValueError, match="config.json"):
        RunResult.load(tmp_path)
    (tmp_path / "config.json").write_text(json.dumps({"name": "something else"}))
    with pytest.raises(ValueError, match="not a basemesa run"):
        RunResult.load(tmp_path)
    with pytest.raises(ValueError, match="not a directory"):
        RunResult.load(tmp_path / "config.json")
    with pytest.raises(ValueError):
        RunResult.load(tmp_path / "missing")


def test_loading_a_run_with_a_truncated_population_raises_value_error(run, tmp_path):
    path = run.save(tmp_path / "run")
    npz = path / "population.npz"
    data = npz.read_bytes()
    npz.write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match="population.npz"):
        RunResult.load(path)
    npz.write_bytes(b"")
    with pytest.raises(ValueError, match="population.npz"):
        RunResult.load(path)


@pytest.mark.parametrize("corruption", ["garbage", "truncated", "bad config value", "bad scenario",
                                        "missing config", "wrong version"])
def test_loading_a_run_with_a_corrupted_config_raises_value_error(run, tmp_path, corruption):
    path = run.save(tmp_path / "run")
    cfg_file = path / "config.json"
    text = cfg_file.read_text()
    head = json.loads(text)
    if corruption == "garbage":
        cfg_file.write_bytes(b"\x00\xff not json at all")
    elif corruption == "truncated":
        cfg_file.write_text(text[: len(text) // 2])
    elif corruption == "bad config value":
        head["config"]["population"] = -3
        cfg_file.write_text(json.dumps(head))
    elif corruption == "bad scenario":
        del head["scenario"]["data"]["train"]
        cfg_file.write_text(json.dumps(head))
    elif corruption == "missing config":
        del head["config"]
        cfg_file.write_text(json.dumps(head))
    else:
        head["version"] = 999
        cfg_file.write_text(json.dumps(head))
    with pytest.raises(ValueError):
        RunResult.load(path)


def _truncate(path, keep: float) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])


@pytest.mark.parametrize("damage", [
    "log cut mid-row", "log cut at a row boundary", "log of another run", "assessment cut mid-row",
    "npz bytes overwritten", "npz holds a pickled object array", "npz from another scenario",
    "npz is a single array", "npz missing an array",
])
def test_loading_a_truncated_corrupted_or_foreign_run_raises_value_error_naming_the_file(run, tmp_path, damage):
    assessed = dataclasses.replace(run, assessment=scenarios.assess(run.scenario, run.population, worlds=3))
    path = assessed.save(tmp_path / "run")
    log, npz, table = path / "log.csv", path / "population.npz", path / "assessment.csv"
    arrays = dict(np.load(npz))
    if damage == "log cut mid-row":
        _truncate(log, 0.7)
    elif damage == "log cut at a row boundary":
        log.write_text("".join(log.read_text().splitlines(keepends=True)[:-1]))
    elif damage == "log of another run":
        evolution.evolve(run.scenario, run.config.replace(generations=2), progress=False).log.to_csv(log, index=False)
    elif damage == "assessment cut mid-row":
        _truncate(table, 0.5)
    elif damage == "npz bytes overwritten":
        data = bytearray(npz.read_bytes())
        data[len(data) // 3: len(data) // 3 + 64] = b"\x00" * 64
        npz.write_bytes(bytes(data))
    elif damage == "npz holds a pickled object array":
        np.savez(npz, **{**arrays, "population": np.array([{"evil": 1}], dtype=object)})
    elif damage == "npz from another scenario":
        np.savez(npz, **{**arrays, "population": arrays["population"][:, :3]})
    elif damage == "npz is a single array":
        np.save(npz, arrays["population"])
        npz.with_suffix(".npz.npy").rename(npz)
    else:
        del arrays["hall_of_fame"]
        np.savez(npz, **arrays)
    name = {"log": "log.csv", "assessment": "assessment.csv"}.get(damage.split()[0], "population.npz")
    with pytest.raises(ValueError, match=re.escape(name)):
        RunResult.load(path)


def test_results_are_never_read_with_pickle(run, tmp_path, monkeypatch):
    import pickle

    def refuse(*args, **kwargs):
        raise AssertionError("a results file was read with pickle")

    path = dataclasses.replace(run, assessment=scenarios.assess(run.scenario, run.population, worlds=3)).save(
        tmp_path / "run")
    monkeypatch.setattr(pickle, "load", refuse)
    monkeypatch.setattr(pickle, "loads", refuse)
    monkeypatch.setattr(pickle, "Unpickler", refuse)
    loaded = RunResult.load(path)
    assert_logs_identical(run.log, loaded.log)


def test_loading_a_run_that_is_still_in_progress_says_so(aurora, tmp_path):
    cfg = Config(seed=8, population=10, generations=6, episodes=2)
    run_until_interrupted(aurora, cfg, tmp_path, fail_at=3, checkpoint_every=2)
    with pytest.raises(ValueError, match="unfinished run"):
        RunResult.load(tmp_path)


@pytest.mark.parametrize("damage", ["log cut mid-row", "state missing", "population of another shape"])
def test_resume_from_a_damaged_checkpoint_raises_value_error(aurora, tmp_path, damage):
    cfg = Config(seed=8, population=10, generations=6, episodes=2)
    run_until_interrupted(aurora, cfg, tmp_path, fail_at=3, checkpoint_every=2)
    ck = tmp_path / "checkpoint-2"
    if damage == "log cut mid-row":
        _truncate(ck / "log.csv", 0.8)
    elif damage == "state missing":
        (ck / "state.json").unlink()
    else:
        arrays = dict(np.load(ck / "arrays.npz"))
        np.savez(ck / "arrays.npz", **{**arrays, "strategy.population": arrays["strategy.population"][:4]})
    with pytest.raises(ValueError, match="checkpoint-2"):
        evolution.evolve(aurora, cfg, progress=False, resume=tmp_path)


# --- checkpoints ------------------------------------------------------------------------------------

def run_until_interrupted(scenario, cfg: Config, out, fail_at: int, checkpoint_every: int) -> None:
    """Run into ``out`` with checkpoints, killed (``Killed``) at evaluation ``fail_at``."""
    with pytest.raises(Killed):
        evolution.evolve(CountingScenario(scenario, at=fail_at), cfg, progress=False, out=out,
                         checkpoint_every=checkpoint_every)


@pytest.mark.parametrize("fail_at", [3, 5])
def test_resume_from_a_checkpoint_reproduces_the_uninterrupted_run(aurora, tmp_path, fail_at):
    cfg = Config(seed=8, population=10, generations=6, episodes=2)
    full = evolution.evolve(aurora, cfg, progress=False)
    out = tmp_path / "run"
    run_until_interrupted(aurora, cfg, out, fail_at=fail_at, checkpoint_every=2)
    checkpoints = sorted(p.name for p in out.glob("checkpoint-*"))
    assert checkpoints == [f"checkpoint-{(fail_at // 2) * 2}"]  # only the latest is kept
    assert not (out / "log.csv").exists()
    resumed = evolution.evolve(aurora, cfg, progress=False, resume=out)
    assert_logs_identical(full.log, resumed.log)
    assert np.array_equal(full.population, resumed.population)
    assert np.array_equal(full.hall_of_fame, resumed.hall_of_fame)
    # The finished run directory holds the results and no checkpoint.
    assert not list(out.glob("checkpoint-*"))
    assert_logs_identical(full.log, RunResult.load(out).log)


def test_resume_keeps_the_hall_of_fame_order_when_fitness_ties(aurora, tmp_path):
    """One episode per evaluation: many distinct planners tie on fitness, so order is easily lost."""
    cfg = Config(seed=3, population=10, generations=6, episodes=1, kinds=("planner",))
    full = evolution.evolve(aurora, cfg, progress=False)
    assert len(set(full.hall_of_fame_fitness.tolist())) < len(full.hall_of_fame_fitness)  # ties exist
    out = tmp_path / "run"
    run_until_interrupted(aurora, cfg, out, fail_at=5, checkpoint_every=2)
    resumed = evolution.evolve(aurora, cfg, progress=False, resume=out)
    assert np.array_equal(full.hall_of_fame, resumed.hall_of_fame)
    assert np.array_equal(full.hall_of_fame_fitness, resumed.hall_of_fame_fitness)


def test_resume_with_a_different_config_is_refused(aurora, tmp_path):
    cfg = Config(seed=8, population=10, generations=4, episodes=2)
    out = tmp_path / "run"
    run_until_interrupted(aurora, cfg, out, fail_at=3, checkpoint_every=1)
    with pytest.raises(ValueError, match="Config"):
        evolution.evolve(aurora, cfg.replace(seed=9), progress=False, resume=out)


def test_resume_of_a_finished_run_is_refused(aurora, tmp_path):
    cfg = Config(seed=8, population=10, generations=2, episodes=2)
    out = tmp_path / "run"
    evolution.evolve(aurora, cfg, progress=False, out=out, checkpoint_every=1)
    with pytest.raises(ValueError, match="finished run"):
        evolution.evolve(aurora, cfg, progress=False, resume=out)


def test_resume_of_a_run_killed_before_its_first_checkpoint_is_refused(aurora, tmp_path):
    cfg = Config(seed=8, population=10, generations=6, episodes=2)
    out = tmp_path / "run"
    run_until_interrupted(aurora, cfg, out, fail_at=1, checkpoint_every=3)
    with pytest.raises(ValueError, match="no checkpoint"):
        evolution.evolve(aurora, cfg, progress=False, resume=out)


def test_resume_takes_the_saved_config_and_ignores_the_worker_count(aurora, tmp_path):
    cfg = Config(seed=8, population=10, generations=5, episodes=2, workers=1)
    full = evolution.evolve(aurora, cfg, progress=False)
    out = tmp_path / "run"
    run_until_interrupted(aurora, cfg, out, fail_at=3, checkpoint_every=2)
    assert_logs_identical(full.log, evolution.evolve(aurora, progress=False, resume=tmp_path / "run").log)
    run_until_interrupted(aurora, cfg, out, fail_at=3, checkpoint_every=2)
    two = evolution.evolve(aurora, cfg.replace(workers=2), progress=False, resume=out)
    assert_logs_identical(full.log, two.log)


def test_resume_on_a_different_scenario_is_refused(aurora, tmp_path):
    cfg = Config(seed=8, population=10, generations=4, episodes=2)
    out = tmp_path / "run"
    run_until_interrupted(aurora, cfg, out, fail_at=3, checkpoint_every=1)
    with pytest.raises(ValueError, match="different scenario"):
        evolution.evolve(scenarios.get("aurora", sensor_cost=0.5), cfg, progress=False, resume=out)


def test_resume_into_another_directory_leaves_a_resumable_run_there(aurora, tmp_path):
    cfg = Config(seed=8, population=10, generations=6, episodes=2)
    full = evolution.evolve(aurora, cfg, progress=False)
    run_until_interrupted(aurora, cfg, tmp_path / "a", fail_at=3, checkpoint_every=2)
    with pytest.raises(Killed):
        evolution.evolve(CountingScenario(aurora, at=2), cfg, progress=False, out=tmp_path / "b",
                         resume=tmp_path / "a", checkpoint_every=2)
    resumed = evolution.evolve(aurora, cfg, progress=False, resume=tmp_path / "b")
    assert_logs_identical(full.log, resumed.log)


def test_evolve_with_out_writes_a_loadable_run_equal_to_the_result(aurora, tmp_path):
    cfg = Config(seed=1, **SMALL)
    result = evolution.evolve(aurora, cfg, progress=False, out=tmp_path / "run", checkpoint_every=1)
    loaded = RunResult.load(tmp_path / "run")
    assert_logs_identical(result.log, loaded.log)
    assert np.array_equal(result.population, loaded.population)
    assert not list((tmp_path / "run").glob("checkpoint-*"))


@pytest.mark.parametrize("name", scenarios.names())
def test_every_built_in_scenario_evolves_two_generations_and_assesses(name):
    sc = scenarios.get(name)
    result = evolution.evolve(sc, Config.for_scenario(sc, population=6, generations=2, episodes=2),
                              progress=False)
    assert len(result.log) == 2
    table = scenarios.assess(sc, result.population, worlds=5)
    assert set(table["distribution"]) == {"train", *sc.deploy}
    assert len(table) == 6 * (1 + len(sc.deploy))
