"""The base-optimizer seam: every registered strategy is reproducible, round-trips its state and
resumes to the identical log; the loop works for a strategy other than the GA; options are checked."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pandas as pd
import pytest

import evolution
import scenarios
from evolution import Config, RunResult
from evolution.optimizers import OPTIMIZERS, make_strategy
from evolution.strategy import Strategy
from organisms.validation import require_number
from tests.support.doubles import CountingScenario, Killed

SMALL = dict(population=10, generations=5, episodes=2)


@pytest.fixture(scope="module")
def aurora():
    return scenarios.get("aurora")


# --- a second strategy, as issue 14's will be: arrays and JSON scalars in its state, a diagnostic ---

@dataclasses.dataclass(frozen=True)
class ClimbOptions:
    step: float = 0.5
    """Initial step size."""

    def __post_init__(self):
        require_number(self.step, "Config.optimizer_options.step", lo=0.0)


@dataclasses.dataclass(frozen=True)
class ClimbState:
    best: np.ndarray
    best_fitness: float | None
    samples: np.ndarray
    step: float


class HillClimb(Strategy):
    """A (1, λ) hill climber with a step size that grows on success and shrinks on failure."""

    name = "hill_climb"
    Options = ClimbOptions
    State = ClimbState

    def init(self, seed):
        rng = np.random.default_rng(seed)
        best = np.zeros(self.genome_length)
        return ClimbState(best, None, best + self.options.step * rng.normal(size=(self.config.population,
                                                                                    self.genome_length)),
                          self.options.step)

    def ask(self, state):
        return state.samples.copy()

    def tell(self, state, genomes, fitness, seed):
        i = int(np.argmax(fitness))
        better = state.best_fitness is None or fitness[i] > state.best_fitness
        best = genomes[i].copy() if better else state.best
        step = state.step * (1.5 if better else 0.7)
        samples = best + step * np.random.default_rng(seed).normal(size=state.samples.shape)
        return ClimbState(best, float(fitness[i]) if better else state.best_fitness, samples, step)

    def diagnostics(self, state):
        return {"step_size": state.step}

    def check_state(self, state):
        if state.samples.shape != (self.config.population, self.genome_length):
            raise ValueError("hill_climb state: samples of the wrong shape")


@pytest.fixture
def with_hill_climb(monkeypatch):
    monkeypatch.setitem(OPTIMIZERS, "hill_climb", HillClimb)


STRATEGIES = [*OPTIMIZERS, "hill_climb"]


def config_for(name: str, **fields) -> Config:
    return Config(optimizer=name, **{**SMALL, **fields})


# --- every strategy -----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", STRATEGIES)
def test_every_strategy_gives_an_identical_run_for_a_seed_and_another_for_another(aurora, with_hill_climb, name):
    a = evolution.evolve(aurora, config_for(name, seed=4), progress=False)
    b = evolution.evolve(aurora, config_for(name, seed=4), progress=False)
    c = evolution.evolve(aurora, config_for(name, seed=5), progress=False)
    pd.testing.assert_frame_equal(a.log, b.log, check_exact=True)
    assert np.array_equal(a.population, b.population)
    assert not np.array_equal(a.population, c.population)


@pytest.mark.parametrize("name", STRATEGIES)
def test_every_strategy_state_survives_its_checkpoint_record(aurora, with_hill_climb, name):
    """What a checkpoint writes (JSON fields, arrays) rebuilds a state that asks and tells the same."""
    cfg = config_for(name)
    strategy = make_strategy(cfg, aurora.layout.length)
    state = strategy.init(np.random.SeedSequence(1))
    genomes = strategy.ask(state)
    state = strategy.tell(state, genomes, np.arange(cfg.population, dtype=float), np.random.SeedSequence(2))
    fields, arrays = strategy.state_record(state)
    fields = json.loads(json.dumps(fields))
    back = strategy.state_from_record(fields, {k: v.copy() for k, v in arrays.items()})
    assert np.array_equal(strategy.ask(back), strategy.ask(state))
    fitness = np.linspace(0, 1, cfg.population)
    after_a = strategy.tell(state, genomes, fitness, np.random.SeedSequence(3))
    after_b = strategy.tell(back, genomes, fitness, np.random.SeedSequence(3))
    assert np.array_equal(strategy.ask(after_a), strategy.ask(after_b))
    with pytest.raises(ValueError, match="surplus"):
        strategy.state_from_record({**fields, "surplus": 1}, arrays)


@pytest.mark.parametrize("name", STRATEGIES)
def test_every_strategy_resumes_a_killed_run_to_the_identical_log(aurora, with_hill_climb, tmp_path, name):
    cfg = config_for(name, seed=2)
    full = evolution.evolve(aurora, cfg, progress=False)
    with pytest.raises(Killed):
        evolution.evolve(CountingScenario(aurora, at=4), cfg, progress=False, out=tmp_path, checkpoint_every=2)
    resumed = evolution.evolve(aurora, cfg, progress=False, resume=tmp_path)
    pd.testing.assert_frame_equal(full.log, resumed.log, check_exact=True)
    assert np.array_equal(full.population, resumed.population)
    pd.testing.assert_frame_equal(RunResult.load(tmp_path).log, full.log, check_exact=True)


# --- the loop is the strategy's, not the GA's -----------------------------------------------------------

def test_a_strategy_diagnostic_becomes_a_log_column_and_the_ga_adds_none(aurora, with_hill_climb):
    climb = evolution.evolve(aurora, config_for("hill_climb"), progress=False)
    ga = evolution.evolve(aurora, config_for("ga"), progress=False)
    assert climb.log["step_size"].iloc[0] == 0.5
    assert climb.log["step_size"].nunique() > 1  # it adapts
    assert list(climb.log.columns) == [*ga.log.columns, "step_size"]


def test_tell_sees_the_repaired_genomes_with_the_kind_gene_clamped(aurora, with_hill_climb, monkeypatch):
    told = []
    monkeypatch.setattr(HillClimb, "tell", lambda self, s, g, f, seed: told.append(g.copy()) or
                        HillClimb.init(self, seed))
    evolution.evolve(aurora, config_for("hill_climb", kinds=("planner",)), progress=False)
    assert len(told) == SMALL["generations"] - 1  # never after the last generation
    assert all((g[:, aurora.layout.kind] == 1.0).all() for g in told)


def test_a_strategy_asking_for_the_wrong_shape_is_a_value_error(aurora, with_hill_climb, monkeypatch):
    monkeypatch.setattr(HillClimb, "ask", lambda self, state: state.samples[:3].copy())
    with pytest.raises(ValueError, match="hill_climb.*shape"):
        evolution.evolve(aurora, config_for("hill_climb"), progress=False)


# --- the GA's option and Config's optimizer fields -------------------------------------------------------

def test_the_ga_swap_option_reaches_uniform_crossover(aurora):
    """Without mutation, swap 0 breeds only copies of parents; swap 0.5 breeds mixtures."""
    def bred(swap: float) -> tuple[np.ndarray, np.ndarray]:
        cfg = Config(mutation=0.0, crossover=1.0, optimizer_options={"swap": swap}, **SMALL)
        strategy = make_strategy(cfg, aurora.layout.length)
        parents = strategy.ask(strategy.init(np.random.SeedSequence(0)))
        child = strategy.ask(strategy.tell(None, parents, np.arange(cfg.population, dtype=float),
                                           np.random.SeedSequence(1)))
        return parents, child

    def is_copy(row, parents):
        return any(np.array_equal(row, p) for p in parents)

    parents, child = bred(0.0)
    assert all(is_copy(row, parents) for row in child)
    parents, child = bred(0.5)
    assert not all(is_copy(row, parents) for row in child)


@pytest.mark.parametrize("options, named", [({"bogus": 1}, "bogus"), ({"swap": 1.5}, "swap"),
                                            ({"swap": True}, "swap"), ("swap", "mapping")])
def test_bad_optimizer_options_are_a_value_error_naming_them(options, named):
    with pytest.raises(ValueError, match=named):
        Config(optimizer_options=options)


def test_an_unknown_optimizer_is_a_value_error_listing_the_valid_ones():
    with pytest.raises(ValueError, match=r"'nes'.*\['ga', 'cmaes', 'es'\]"):
        Config(optimizer="nes")


def test_optimizer_fields_round_trip_and_options_are_stored_complete():
    cfg = Config(optimizer_options={"swap": 0.25})
    assert Config.from_dict(cfg.to_dict()) == cfg
    assert Config().optimizer_options == {"swap": 0.5}
    assert hash(Config()) == hash(Config(optimizer_options={"swap": 0.5}))
    assert Config(optimizer_options={"swap": 0.25}) != Config()


def test_replacing_the_optimizer_drops_the_old_ones_options(with_hill_climb):
    cfg = Config(optimizer_options={"swap": 0.25}).replace(optimizer="hill_climb")
    assert cfg.optimizer_options == {"step": 0.5}
