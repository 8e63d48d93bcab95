"""CMA-ES and the gradient-estimating ES: they climb, they see the repaired genomes, their state and
options behave, and their diagnostics reach the log. (Determinism, checkpoint round trips and
resume are walked for every registered optimizer in ``test_optimizers``.)"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import evolution
import scenarios
from evolution import Config
from evolution.cmaes import CMAES
from evolution.es import EvolutionStrategy, adam_step, centred_ranks
from evolution.optimizers import make_strategy
from organisms.seeding import seed_child

N = 12
TARGET = np.linspace(-2.0, 2.0, N)


def climb(name: str, fitness, generations: int, kind_clamp: float | None = None, **options):
    """Run a strategy on a synthetic fitness of the genomes; returns the strategy and its last state."""
    cfg = Config(population=40, optimizer=name, optimizer_options=options)
    strategy = make_strategy(cfg, N)
    state = strategy.init(seed_child(0, 2))
    for g in range(generations):
        genomes = strategy.ask(state)
        if kind_clamp is not None:
            genomes[:, 0] = kind_clamp
        state = strategy.tell(state, genomes, fitness(genomes), seed_child(0, 1, g))
    return strategy, state


def sphere(genomes: np.ndarray) -> np.ndarray:
    return -((genomes - TARGET) ** 2).sum(axis=1)


@pytest.mark.parametrize("name, mean", [("cmaes", "centroid"), ("es", "theta")])
def test_cmaes_and_es_climb_a_smooth_fitness_to_its_maximum(name, mean):
    _, start = climb(name, sphere, 0)
    _, end = climb(name, sphere, 150)
    assert np.linalg.norm(getattr(start, mean) - TARGET) > 2.0
    assert np.linalg.norm(getattr(end, mean) - TARGET) < 0.3


@pytest.mark.parametrize("name, mean", [("cmaes", "centroid"), ("es", "theta")])
def test_the_update_sees_the_repaired_genomes_and_moves_the_mean_onto_a_clamped_gene(name, mean):
    _, state = climb(name, sphere, 30, kind_clamp=1.0)
    assert abs(getattr(state, mean)[0] - 1.0) < 1e-6  # the sphere alone would pull it to -2
    assert np.linalg.norm(getattr(state, mean)[1:] - TARGET[1:]) < 1.0


def test_cmaes_keeps_a_clamped_genes_covariance_from_becoming_singular():
    """On a fitness plateau (selection by noise) the free genes keep their spread while the clamped
    gene's variance shrinks geometrically: the floor bounds the condition number."""
    def plateau(genomes):
        return np.random.default_rng(genomes.size + int(1e6 * abs(genomes[0, 1]))).normal(size=len(genomes))

    _, state = climb("cmaes", plateau, 400, kind_clamp=1.0, floor=1e-8)
    assert np.isfinite(state.C).all() and state.cond <= 1e8 * (1 + 1e-9)
    _, unfloored = climb("cmaes", plateau, 400, kind_clamp=1.0, floor=1e-300)
    assert unfloored.cond > 1e12


def test_cmaes_population_and_parents_options_reach_deap():
    cfg = Config(population=10, optimizer="cmaes", optimizer_options={"population": 7, "parents": 2,
                                                                        "step": 0.1})
    strategy = make_strategy(cfg, N)
    state = strategy.init(seed_child(0, 2))
    genomes = strategy.ask(state)
    assert genomes.shape == (7, N) and np.abs(genomes).max() < 1.0  # step 0.1 around 0
    fitness = np.arange(7.0)
    after = strategy.tell(state, genomes, fitness, seed_child(0, 1, 0))
    # The mean moves only towards the two best (rows 5, 6): a weighted mean of them.
    w = np.log(2.5) - np.log([1.0, 2.0])
    assert np.allclose(after.centroid, (w / w.sum()) @ genomes[[6, 5]])


def test_es_samples_antithetic_pairs_and_the_mean_when_the_population_is_odd():
    cfg = Config(population=7, optimizer="es", optimizer_options={"noise": 0.5})
    strategy = make_strategy(cfg, N)
    state = strategy.init(seed_child(0, 2))
    genomes = strategy.ask(state)
    assert np.allclose(genomes[:3] + genomes[3:6], 2 * state.theta)
    assert np.array_equal(genomes[6], state.theta)
    assert np.allclose(np.abs(genomes[:3] - state.theta).mean(), 0.5 * np.sqrt(2 / np.pi), atol=0.15)


def test_es_gradient_estimate_points_up_a_linear_fitness_and_is_blind_to_its_scale():
    w = np.random.default_rng(3).normal(size=N)
    cfg = Config(population=400, optimizer="es")
    strategy = make_strategy(cfg, N)
    state = strategy.init(seed_child(0, 2))
    genomes = strategy.ask(state)
    g = strategy.gradient(state.theta, genomes, genomes @ w)
    assert g @ w / (np.linalg.norm(g) * np.linalg.norm(w)) > 0.9
    assert np.allclose(strategy.gradient(state.theta, genomes, 100 * genomes @ w + 5), g)  # ranks only


def test_centred_ranks_span_minus_half_to_half_sum_to_zero_and_share_ties():
    r = centred_ranks(np.array([3.0, -1.0, 3.0, 10.0]))
    assert np.allclose(r, [0.0, -0.5, 0.0, 0.5])
    assert abs(r.sum()) < 1e-12


def test_adam_steps_about_the_learning_rate_per_gene_whatever_the_gradients_scale():
    zeros = np.zeros(3)
    theta, *_ = adam_step(zeros, zeros, zeros, 0, np.array([1e-4, 1.0, -1e6]), learning_rate=0.1)
    assert np.allclose(theta, [0.1, 0.1, -0.1], rtol=1e-3)


@pytest.mark.parametrize("options, named", [
    ({"step": 0.0}, "step"), ({"population": 1}, "population"), ({"parents": 0}, "parents"),
    ({"population": 4, "parents": 5}, "parents"), ({"floor": 1.0}, "floor"), ({"sigma": 1}, "sigma")])
def test_bad_cmaes_options_are_a_value_error_naming_them(options, named):
    with pytest.raises(ValueError, match=named):
        Config(optimizer="cmaes", optimizer_options=options)


def test_cmaes_parents_beyond_the_configs_population_is_a_value_error():
    with pytest.raises(ValueError, match="parents"):
        make_strategy(Config(population=4, optimizer="cmaes", optimizer_options={"parents": 5}), N)


@pytest.mark.parametrize("options, named", [({"learning_rate": 0}, "learning_rate"),
                                            ({"noise": -1.0}, "noise"), ({"noise": True}, "noise"),
                                            ({"population": 1}, "population"), ({"step": 1}, "step")])
def test_bad_es_options_are_a_value_error_naming_them(options, named):
    with pytest.raises(ValueError, match=named):
        Config(optimizer="es", optimizer_options=options)


def test_options_are_stored_complete_with_defaults():
    assert Config(optimizer="cmaes").optimizer_options == {"population": None, "parents": None, "step": 1.0,
                                                           "floor": 1e-12}
    assert Config(optimizer="es").optimizer_options == {"population": None, "learning_rate": 0.1,
                                                        "noise": 0.3}


@pytest.fixture(scope="module")
def runs():
    sc = scenarios.get("aurora")
    return {name: evolution.evolve(sc, Config.for_scenario(sc, population=12, generations=4, episodes=2,
                                                           optimizer=name), progress=False)
            for name in ("ga", "cmaes", "es")}


def test_each_optimizers_diagnostics_follow_the_shared_log_columns(runs):
    shared = list(runs["ga"].log.columns)
    assert list(runs["cmaes"].log.columns) == [*shared, "step_size", "condition"]
    assert list(runs["es"].log.columns) == [*shared, "grad_norm", "update_norm"]
    cma = runs["cmaes"].log
    assert cma.loc[0, "step_size"] == 1.0 and cma.loc[0, "condition"] == 1.0
    assert cma["step_size"].nunique() == len(cma)  # the step size adapts every generation
    es = runs["es"].log
    assert np.isnan(es.loc[0, "grad_norm"]) and (es["grad_norm"].iloc[1:] > 0).all()


def test_a_run_with_its_own_population_option_evaluates_and_keeps_that_many(runs):
    sc = scenarios.get("aurora")
    cfg = Config.for_scenario(sc, population=12, generations=3, episodes=2, optimizer="es",
                              optimizer_options={"population": 5})
    run = evolution.evolve(sc, cfg, progress=False)
    assert run.population.shape == (5, sc.layout.length) and len(run.fitness) == 5
    assert not run.log.equals(runs["es"].log.iloc[:3])


def test_strategy_classes_are_registered_under_their_names():
    assert make_strategy(Config(optimizer="cmaes"), N).__class__ is CMAES
    assert make_strategy(Config(optimizer="es"), N).__class__ is EvolutionStrategy
    pd.testing.assert_index_equal(pd.Index(["ga", "cmaes", "es"]), pd.Index(evolution.optimizers.names()))
