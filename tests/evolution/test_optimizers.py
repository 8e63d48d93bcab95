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
from evolution.config import OPTION_ALIASES
from evolution.optimizers import OPTIMIZERS, make_strategy, option_names
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
    assert Config().optimizer_options == {"tournament": 3, "crossover": 0.5, "swap": 0.5, "mutation": 0.2,
                                          "sigma": 0.3, "elite": 2}
    assert hash(Config()) == hash(Config(optimizer_options={"swap": 0.5}))
    assert Config(optimizer_options={"swap": 0.25}) != Config()


# --- the GA's five settings: its options, with the flat names as aliases -------------------------------

CHANGED = {"tournament": 6, "crossover": 0.0, "mutation": 0.6, "sigma": 1.5, "elite": 0}
"""A value other than the default for each of the GA's flat settings."""


@pytest.mark.parametrize("name", OPTION_ALIASES)
def test_each_ga_setting_changes_the_run_and_its_flat_name_is_the_same_option(aurora, name):
    flat = evolution.evolve(aurora, Config(seed=2, **SMALL, **{name: CHANGED[name]}), progress=False)
    option = evolution.evolve(aurora, Config(seed=2, **SMALL, optimizer_options={name: CHANGED[name]}),
                              progress=False)
    default = evolution.evolve(aurora, Config(seed=2, **SMALL), progress=False)
    pd.testing.assert_frame_equal(flat.log, option.log, check_exact=True)
    assert not np.array_equal(flat.population, default.population)  # the setting reaches breeding
    assert flat.config == option.config and getattr(flat.config, name) == CHANGED[name]
    assert name not in flat.config.to_dict()  # saved once, among the GA's options
    assert flat.config.to_dict()["optimizer_options"][name] == CHANGED[name]


@pytest.mark.parametrize("optimizer", [n for n in OPTIMIZERS if n != "ga"])
@pytest.mark.parametrize("name", OPTION_ALIASES)
def test_a_ga_setting_with_an_optimizer_that_has_none_is_a_value_error_naming_it(optimizer, name):
    with pytest.raises(ValueError, match=rf"^Config\.{name}: the '{optimizer}' optimizer has no such setting"):
        Config(optimizer=optimizer, **{name: CHANGED[name]})
    assert getattr(Config(optimizer=optimizer), name) is None
    with pytest.raises(ValueError, match=rf"Config\.{name}"):
        Config(optimizer=optimizer).replace(**{name: CHANGED[name]})


def test_a_ga_setting_given_twice_differently_is_a_value_error_and_replace_changes_one_option():
    with pytest.raises(ValueError, match=r"Config\.sigma: given as 0\.5 and as optimizer_options"):
        Config(sigma=0.5, optimizer_options={"sigma": 0.1})
    assert Config(sigma=0.1, optimizer_options={"sigma": 0.1}).sigma == 0.1
    cfg = Config(optimizer_options={"swap": 0.25, "tournament": 4}).replace(elite=0)
    assert cfg.optimizer_options == {**Config().optimizer_options, "swap": 0.25, "tournament": 4, "elite": 0}
    assert cfg.replace(optimizer="cmaes").optimizer_options == Config(optimizer="cmaes").optimizer_options
    assert Config.for_scenario(scenarios.get("aurora"), mutation=0.1).mutation == 0.1
    with pytest.raises(ValueError, match=r"Config\.optimizer_options\.elite \(Config\.elite\): must be <= "):
        Config(population=4, optimizer_options={"elite": 5})


@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
def test_a_config_saved_with_the_flat_ga_settings_loads_as_the_same_config(optimizer):
    """Before the move every Config was saved with the five flat fields, whichever optimizer it named
    (the others ignored them): they load as the GA's options, and are dropped for the others."""
    saved = {"population": 20, "generations": 3, "episodes": 8, "seed": 1, "kinds": ["planner"],
             "tournament": 4, "crossover": 0.5, "mutation": 0.2, "sigma": 0.3, "elite": 1, "workers": None,
             "hall_of_fame": 5, "optimizer": optimizer, "optimizer_options": {}}
    cfg = Config.from_dict(saved)
    if optimizer == "ga":
        assert cfg == Config(population=20, generations=3, seed=1, kinds=("planner",),
                             optimizer_options={"tournament": 4, "elite": 1})
    else:
        assert cfg == Config(population=20, generations=3, seed=1, kinds=("planner",), optimizer=optimizer)
    assert Config.from_dict(cfg.to_dict()) == cfg


def test_help_texts_name_every_registered_optimizer_and_its_options(with_hill_climb):
    from scenarios.app.cli import build_parser
    from scenarios.stories import aurora as story

    helptext = " ".join(build_parser("aurora", story.Knobs, story.__doc__).format_help().split())
    for name in OPTIMIZERS:  # hill_climb too: registered by the fixture, written nowhere by hand
        assert name in helptext, name
        assert all(option in helptext for option in option_names(name)), name
    for name in ("ga", "cmaes", "es"):
        assert name in Config.__doc__ and all(option in Config.__doc__ for option in option_names(name))


def test_replacing_the_optimizer_drops_the_old_ones_options(with_hill_climb):
    cfg = Config(optimizer_options={"swap": 0.25}).replace(optimizer="hill_climb")
    assert cfg.optimizer_options == {"step": 0.5}
