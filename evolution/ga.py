"""The genetic algorithm, the default base optimizer (``Config(optimizer="ga")``).

DEAP's operators on a toolbox: tournament selection, ``varAnd`` with uniform crossover and Gaussian
mutation, elitism. Its state is the population bred for the next generation: ``init`` draws it
N(0, 1), ``tell`` breeds the next one from the evaluated genomes and their fitness, ``ask`` returns a
copy. DEAP's operators draw from the global ``random``, seeded from ``tell``'s seed right before
breeding, so breeding is a function of (genomes, fitness, seed) alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from deap import algorithms, base, creator, tools

from evolution.strategy import Strategy
from organisms.seeding import seed_python_random
from organisms.validation import require_probability

# DEAP's creator classes, made once at import (never inside a function: workers must unpickle them).
if not hasattr(creator, "BaseFitness"):
    creator.create("BaseFitness", base.Fitness, weights=(1.0,))
if not hasattr(creator, "Organism"):
    creator.create("Organism", np.ndarray, fitness=creator.BaseFitness)


def _fitness(wvalues: tuple) -> Any:
    """A fitness holding ``wvalues`` as they are: ``Fitness.__init__`` type-checks its values through
    abc, which costs more than the rest of breeding when done for every individual."""
    fitness = creator.BaseFitness.__new__(creator.BaseFitness)
    fitness.wvalues = wvalues
    return fitness


def organisms(genomes: np.ndarray, fitness: np.ndarray | None = None) -> list:
    """DEAP individuals, one per row (copies), with their fitness set when given."""
    weight = creator.BaseFitness.weights[0]
    individuals = []
    for k, row in enumerate(np.asarray(genomes, dtype=np.float64)):
        ind = row.copy().view(creator.Organism)
        ind.fitness = _fitness(() if fitness is None else (float(fitness[k]) * weight,))
        individuals.append(ind)
    return individuals


def stack(individuals: list) -> np.ndarray:
    """DEAP individuals back into one ``(n, genome_length)`` float array."""
    return np.array([np.asarray(ind) for ind in individuals], dtype=np.float64)


@dataclass(frozen=True)
class GAOptions:
    """The GA's own option; tournament, crossover, mutation, sigma and elite are shared Config fields."""

    swap: float = 0.5
    """Probability that uniform crossover swaps each gene between the two mates."""

    def __post_init__(self):
        object.__setattr__(self, "swap", require_probability(self.swap, "Config.optimizer_options.swap"))


@dataclass(frozen=True)
class GAState:
    """What the GA carries from one generation to the next."""

    population: np.ndarray
    """(population, genome_length) genomes the next ``ask`` returns: the initial draw, then each
    bred generation (before repair)."""


def clone(individual: Any) -> Any:
    """A copy of an individual: its genes and its fitness.

    DEAP's default ``clone`` is ``copy.deepcopy``, which for a numpy individual costs more than the
    rest of breeding; this copy draws no random number and gives the same offspring bit for bit.
    """
    copy = individual.copy()  # an ndarray copy keeps the subclass, not the per-instance fitness
    copy.fitness = _fitness(individual.fitness.wvalues)
    return copy


def make_toolbox(config: Any, options: GAOptions = GAOptions()) -> base.Toolbox:
    """DEAP's operators as the config asks: uniform crossover, Gaussian mutation, tournaments."""
    tb = base.Toolbox()
    tb.register("clone", clone)
    tb.register("mate", tools.cxUniform, indpb=options.swap)
    tb.register("mutate", tools.mutGaussian, mu=0.0, sigma=config.sigma, indpb=config.mutation)
    tb.register("select", tools.selTournament, tournsize=config.tournament)
    return tb


class GeneticAlgorithm(Strategy):
    """Tournament selection, ``varAnd`` (uniform crossover, Gaussian mutation) and elitism."""

    name = "ga"
    Options = GAOptions
    State = GAState

    def __init__(self, config: Any, genome_length: int):
        super().__init__(config, genome_length)
        self.toolbox = make_toolbox(config, self.options)

    def init(self, seed: np.random.SeedSequence) -> GAState:
        rng = np.random.default_rng(seed)
        return GAState(rng.normal(0.0, 1.0, size=(self.config.population, self.genome_length)))

    def ask(self, state: GAState) -> np.ndarray:
        return state.population.copy()

    def tell(self, state: GAState, genomes: np.ndarray, fitness: np.ndarray,
             seed: np.random.SeedSequence) -> GAState:
        """Elites unchanged, the rest by tournament and variation."""
        cfg, tb = self.config, self.toolbox
        individuals = organisms(genomes, fitness)
        seed_python_random(seed)
        elites = [tb.clone(ind) for ind in tools.selBest(individuals, cfg.elite)]
        chosen = tb.select(individuals, cfg.population - cfg.elite)
        offspring = algorithms.varAnd(chosen, tb, cxpb=cfg.crossover, mutpb=1.0)
        return GAState(stack(elites + offspring))

    def check_state(self, state: GAState) -> None:
        pop = state.population
        if pop.shape != (self.config.population, self.genome_length) or not np.isfinite(pop).all():
            raise ValueError(f"GA state: population of shape {pop.shape}, expected finite genomes of shape "
                             f"{(self.config.population, self.genome_length)}")
