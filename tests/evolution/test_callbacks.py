"""Per-generation callbacks: they see every generation's log row, never change a run, may stop it
(the stopped run is the shorter run, saved and loaded as such), and the built-in JSON-lines stream
holds the log, one line per generation, written as each generation ends."""

from __future__ import annotations

import json
import random

import numpy as np
import pandas as pd
import pytest

import evolution
import scenarios
from evolution import Config, JsonLinesLog, RunResult
from evolution.optimizers import OPTIMIZERS
from scenarios.stories import aurora as story
from tests.support.doubles import Killed

SMALL = dict(population=10, generations=6, episodes=2, seed=3)


@pytest.fixture(scope="module")
def aurora():
    return scenarios.get("aurora")


@pytest.fixture(scope="module")
def plain(aurora):
    return evolution.evolve(aurora, Config(**SMALL), progress=False)


def assert_same_run(a: RunResult, b: RunResult) -> None:
    pd.testing.assert_frame_equal(a.log, b.log, check_exact=True)
    assert np.array_equal(a.population, b.population)
    assert np.array_equal(a.hall_of_fame, b.hall_of_fame)


@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
def test_callbacks_see_every_row_and_leave_the_run_bit_identical(aurora, optimizer):
    """Even callbacks that draw from the global random generators DEAP and CMA-ES sample from, change
    their row, and return numbers, as careless ones do."""
    config = Config(optimizer=optimizer, **SMALL)
    seen: list[dict] = []

    def meddle(row):
        row["fitness_mean"] = -1.0
        random.random()
        np.random.random(7)
        return 17  # a number, not True: the run goes on

    run = evolution.evolve(aurora, config, progress=False, callbacks=[meddle, seen.append, meddle])
    assert_same_run(run, evolution.evolve(aurora, config, progress=False))
    pd.testing.assert_frame_equal(pd.DataFrame(seen), run.log, check_exact=True, check_dtype=False)
    assert all(type(v) in (int, float) for row in seen for v in row.values())


def test_a_callback_returning_true_stops_the_run_which_is_the_shorter_run(aurora, plain, tmp_path):
    config = Config(**SMALL)
    seen: list[int] = []
    out = tmp_path / "run"
    stopped = evolution.evolve(aurora, config, progress=False, out=out, checkpoint_every=1,
                               callbacks=[lambda row: np.bool_(row["generation"] == 2),
                                          lambda row: seen.append(row["generation"])])
    assert seen == [0, 1, 2]  # every callback saw the generation that stopped the run
    assert config.generations == 6 and stopped.config == config.replace(generations=3)
    assert_same_run(stopped, evolution.evolve(aurora, config.replace(generations=3), progress=False))
    pd.testing.assert_frame_equal(stopped.log, plain.log.iloc[:3], check_exact=True)
    # The run directory holds that finished run: it loads, and is not resumed.
    assert sorted(p.name for p in out.glob("checkpoint-*")) == []
    loaded = RunResult.load(out)
    assert loaded.config == stopped.config
    assert_same_run(loaded, stopped)
    with pytest.raises(ValueError, match="finished run"):
        evolution.evolve(aurora, progress=False, resume=out)


def test_a_stop_at_the_first_generation_is_a_one_generation_run_and_at_the_last_changes_nothing(aurora, plain):
    run = evolution.evolve(aurora, Config(**SMALL), progress=False, callbacks=[lambda row: True])
    assert len(run.log) == 1 and run.config.generations == 1
    last = evolution.evolve(aurora, Config(**SMALL), progress=False,
                            callbacks=[lambda row: row["generation"] == SMALL["generations"] - 1])
    assert last.config == plain.config
    assert_same_run(last, plain)


def test_the_json_lines_stream_is_the_log_written_a_line_per_generation(aurora, plain, tmp_path):
    path = tmp_path / "stream" / "log.jsonl"
    lines_when_seen = []
    run = evolution.evolve(aurora, Config(**SMALL), progress=False,
                           callbacks=[JsonLinesLog(path),
                                      lambda row: lines_when_seen.append(len(path.read_text().splitlines()))])
    assert lines_when_seen == [1, 2, 3, 4, 5, 6]  # on disk as each generation ends
    assert all(isinstance(json.loads(line), dict) for line in path.read_text().splitlines())
    streamed = pd.read_json(path, lines=True, precise_float=True)
    assert plain.log.isna().any().any()  # the log has NaN (heuristics' agreement): written as null
    pd.testing.assert_frame_equal(streamed, run.log, check_exact=True, check_dtype=False)
    # A new run into the same file starts it anew.
    evolution.evolve(aurora, Config(**{**SMALL, "generations": 2}), progress=False, callbacks=[JsonLinesLog(path)])
    assert pd.read_json(path, lines=True, precise_float=True)["generation"].tolist() == [0, 1]


def test_a_run_killed_by_a_callback_resumes_and_its_stream_holds_every_generation_once(aurora, plain, tmp_path):
    out, path = tmp_path / "run", tmp_path / "log.jsonl"

    def die_at_4(row):
        if row["generation"] == 4:
            raise Killed

    with pytest.raises(Killed):
        evolution.evolve(aurora, Config(**SMALL), progress=False, out=out, checkpoint_every=3,
                         callbacks=[JsonLinesLog(path), die_at_4])
    assert pd.read_json(path, lines=True, precise_float=True)["generation"].tolist() == [0, 1, 2, 3, 4]
    resumed = evolution.evolve(aurora, progress=False, resume=out, callbacks=[JsonLinesLog(path)])
    assert_same_run(resumed, plain)
    pd.testing.assert_frame_equal(pd.read_json(path, lines=True, precise_float=True), plain.log, check_exact=True, check_dtype=False)


@pytest.mark.parametrize("callbacks", [print, [print, "log.jsonl"], "log.jsonl", 3])
def test_callbacks_that_are_not_a_list_of_callables_are_a_value_error(aurora, callbacks):
    with pytest.raises(ValueError, match="callbacks"):
        evolution.evolve(aurora, Config(**SMALL), progress=False, callbacks=callbacks)


def test_the_command_line_writes_the_json_lines_stream(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    tiny = ["--generations", "3", "--population", "4", "--episodes", "1", "--assess-worlds", "2",
            "--formats", "png", "--quiet", "--out", "run", "--log-jsonl", "run.jsonl"]
    assert story.main(tiny) == 0
    pd.testing.assert_frame_equal(pd.read_json(tmp_path / "run.jsonl", lines=True, precise_float=True), RunResult.load("run").log,
                                  check_exact=True, check_dtype=False)
