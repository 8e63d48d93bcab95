"""The robustness study on a tiny configuration: it resumes after a kill, gives the same tables on one
worker process and on a Dask cluster, and its declared ranges are complete for every mapped story."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from scenarios.analyses.robustness import one_at_a_time as settings_of
from studies import robustness
from studies.robustness import declared, defaults, one_at_a_time, together
from tests.support.doubles import CountingPool

STORY = "sweet_tooth"
TINY = {**declared(STORY), "seeds": 2, "population": 6, "generations": 2, "assess_worlds": 4, "sobol_n": 2,
        "one_at_a_time": {"sensor_cost": [0.2, 1.0], "world_size": [8, 12], "kinds": ["both", "heuristic"]},
        "together": {"sensor_cost": [0.0, 2.0], "episodes": [2, 8]}}
"""Two seeds of six organisms for two generations, on 4 worlds: 7 one-at-a-time runs and 8 design rows."""


def study(executor, out) -> dict[str, pd.DataFrame]:
    runs, points, ranges = one_at_a_time(STORY, TINY, executor, out / "one_at_a_time")
    design, indices = together(STORY, TINY, executor, out / "together")
    return {"runs": runs, "points": points, "ranges": ranges, "design": design, "sobol": indices}


def assert_same(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], check_exact=True, obj=name)


@pytest.fixture(scope="module")
def serial(tmp_path_factory):
    out = tmp_path_factory.mktemp("robustness")
    with CountingPool() as pool:
        tables = study(pool, out)
    return tables, out


@pytest.mark.slow
def test_the_tiny_study_has_a_run_per_point_and_seed_and_judges_every_point(serial):
    tables, _ = serial
    runs, points = tables["runs"], tables["points"]
    assert len(runs) == 4 * TINY["seeds"]
    assert list(points.knob) == ["default", "sensor_cost", "world_size", "kinds"]
    assert set(points.columns) >= {"runs", "holds"} and (points.runs == TINY["seeds"]).all()
    assert list(tables["ranges"].knob) == list(TINY["one_at_a_time"])
    assert len(tables["design"]) == TINY["sobol_n"] * (2 + 2)
    assert list(tables["sobol"].knob) == ["sensor_cost", "episodes"]


@pytest.mark.slow
def test_a_killed_study_resumes_where_it_was_and_gives_the_same_tables(serial, tmp_path):
    tables, done = serial
    out = tmp_path / "study"
    shutil.copytree(done, out)
    oat = sorted((out / "one_at_a_time").iterdir())
    shutil.rmtree(oat[0])                                   # a point never started
    (oat[1] / "point.json").unlink()                        # a point evolved but not marked done
    shutil.rmtree(sorted((out / "together").iterdir())[0])
    with CountingPool() as pool:
        resumed = study(pool, out)
        assert pool.submitted == 3
    assert_same(tables, resumed)


@pytest.mark.slow
def test_the_study_gives_the_same_tables_on_a_dask_cluster(serial, tmp_path):
    distributed = pytest.importorskip("distributed")
    tables, _ = serial
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster, distributed.Client(cluster) as client:
        on_dask = study(client.get_executor(), tmp_path)
    assert_same(tables, on_dask)


@pytest.mark.parametrize("story", [s for s in robustness.tomllib.loads(robustness.RANGES.read_text()) if s != "rule"])
def test_every_declared_map_contains_its_defaults_and_names_a_signature_with_per_run_claims(story):
    spec = declared(story)
    settings = settings_of(spec["one_at_a_time"], defaults(story, spec))
    assert settings[0] == () and len(settings) > len(spec["one_at_a_time"])
    row_of, claims = robustness.signature(spec)
    assert callable(row_of) and callable(claims)
    assert set(spec["together"]) <= set(spec["one_at_a_time"])


@pytest.mark.slow
def test_a_paired_map_holds_each_kinds_own_run_of_every_seed(tmp_path):
    """bottle_cap's signature compares heuristics with planners: a row of the map holds the numbers of
    a heuristic-only and a planner-only run of the same seed and setting, each as its own run gives them."""
    import functools

    import evolution
    from scenarios.app.robustness import story_at
    from studies.bottle_cap_signature import signature_row

    spec = {**declared("bottle_cap"), "population": 6, "generations": 2, "assess_worlds": 4}
    setting = (("walls", 0.1),)
    with CountingPool() as pool:
        runs = robustness.run_settings("bottle_cap", spec, [setting], [0, 1], pool, tmp_path)
        assert pool.submitted == 4                                    # 2 seeds x 2 kinds
    assert list(runs.seed) == [0, 1]
    make = functools.partial(story_at, "bottle_cap", run=(("population", 6), ("generations", 2)))
    for kind in ("heuristic", "planner"):
        alone = evolution.sweep(make, {"setting": [setting + (("kinds", kind),)]}, [1], None, None, tmp_path,
                                assess_worlds=4, resample_worlds=True)   # loaded from the map's run directory
        assert set(alone.kind) == {kind}
        expected = signature_row(alone)
        for key, value in expected.items():
            assert runs[f"{kind}_{key}"].iloc[1] == value
    assert runs.heuristic_base_frac_deploy.iloc[1] != runs.planner_base_frac_deploy.iloc[1]


@pytest.mark.slow
def test_a_signature_read_from_the_population_is_measured_on_each_runs_own_population(tmp_path):
    """The overseer's compliance is measured on the evolved population: each row is the compliance of
    the population its run directory holds, so the rows of two seeds differ where their populations do."""
    import evolution
    from scenarios.analyses.compliance import compliance
    from studies.overseer_claims import run_claims

    spec = {**declared("overseer"), "population": 6, "generations": 2, "assess_worlds": 4}
    with CountingPool() as pool:
        runs = robustness.run_settings("overseer", spec, [()], [0, 1], pool, tmp_path)
    dirs = sorted(p for p in tmp_path.iterdir() if p.is_dir())
    assert len(dirs) == 2
    for seed, run_dir in enumerate(dirs):
        run = evolution.RunResult.load(run_dir)
        assert run.config.seed == seed
        expected = compliance(run.scenario, run.population, worlds=4, seed=0, best=run.hall_of_fame[0])
        assert runs.loc[seed, "gap"] == expected["gap"] and runs.loc[seed, "best_cue_off"] == expected["best_cue_off"]
    assert len(run_claims(runs)) == 4
    with pytest.raises(ValueError, match="give out"):
        robustness.run_settings("overseer", spec, [()], [0], None, None)
