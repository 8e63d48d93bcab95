"""The genetic algorithm, the default base optimizer (``Config(optimizer="ga")``).

DEAP's operators on a toolbox: tournament selection, ``varAnd`` with uniform crossover and Gaussian
mutation, elitism, each set by ``GAOptions``. Its state is the population bred for the next generation: ``init`` draws it
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
from organisms.validation import require_integer, require_number, require_probability

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


def _name(option: str) -> str:
    """How an error names a GA option: by its key in ``Config.optimizer_options`` and, for the five
    that ``Config`` also takes flat (``Config(tournament=3)``), by that name too."""
    key = f"Config.optimizer_options.{option}"
    return key if option == "swap" else f"{key} (Config.{option})"


@dataclass(frozen=True)
class GAOptions:
    """The GA's own settings (``Config.optimizer_options``; all but ``swap`` also accepted flat,
    ``Config(tournament=3)``, as saved configs hold them)."""

    tournament: int = 3
    """Tournament size for selection (>= 2)."""
    crossover: float = 0.5
    """Probability that a pair of offspring is mated by uniform crossover."""
    swap: float = 0.5
    """Probability that uniform crossover swaps each gene between the two mates."""
    mutation: float = 0.2
    """Probability that each gene receives Gaussian noise."""
    sigma: float = 0.3
    """Standard deviation of that noise (> 0)."""
    elite: int = 2
    """Best organisms copied unchanged into the next generation (0 .. population)."""

    def __post_init__(self):
        set_ = object.__setattr__
        set_(self, "tournament", require_integer(self.tournament, _name("tournament"), lo=2))
        for option in ("crossover", "swap", "mutation"):
            set_(self, option, require_probability(getattr(self, option), _name(option)))
        sigma = require_number(self.sigma, _name("sigma"))
        if not sigma > 0:
            raise ValueError(f"{_name('sigma')}: must be a finite number > 0, got {self.sigma!r}")
        set_(self, "sigma", sigma)
        set_(self, "elite", require_integer(self.elite, _name("elite"), lo=0))


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


def make_toolbox(options: GAOptions) -> base.Toolbox:
    """DEAP's operators as the options ask: uniform crossover, Gaussian mutation, tournaments."""
    tb = base.Toolbox()
    tb.register("clone", clone)
    tb.register("mate", tools.cxUniform, indpb=options.swap)
    tb.register("mutate", tools.mutGaussian, mu=0.0, sigma=options.sigma, indpb=options.mutation)
    tb.register("select", tools.selTournament, tournsize=options.tournament)
    return tb


class GeneticAlgorithm(Strategy):
    """Tournament selection, ``varAnd`` (uniform crossover, Gaussian mutation) and elitism."""

    name = "ga"
    title = "the genetic algorithm"
    Options = GAOptions
    State = GAState

    def __init__(self, config: Any, genome_length: int):
        super().__init__(config, genome_length)
        self.toolbox = make_toolbox(self.options)

    def init(self, seed: np.random.SeedSequence) -> GAState:
        rng = np.random.default_rng(seed)
        return GAState(rng.normal(0.0, 1.0, size=(self.config.population, self.genome_length)))

    def ask(self, state: GAState) -> np.ndarray:
        return state.population.copy()

    def tell(self, state: GAState, genomes: np.ndarray, fitness: np.ndarray,
             seed: np.random.SeedSequence) -> GAState:
        """Elites unchanged, the rest by tournament and variation."""
        opts, tb = self.options, self.toolbox
        individuals = organisms(genomes, fitness)
        seed_python_random(seed)
        elites = [tb.clone(ind) for ind in tools.selBest(individuals, opts.elite)]
        chosen = tb.select(individuals, self.config.population - opts.elite)
        offspring = algorithms.varAnd(chosen, tb, cxpb=opts.crossover, mutpb=1.0)
        return GAState(stack(elites + offspring))

    @classmethod
    def check_config(cls, config: Any) -> None:
        elite = config.optimizer_options["elite"]
        if elite > config.population:
            raise ValueError(f"{_name('elite')}: must be <= population ({config.population}), got {elite}")

    def check_state(self, state: GAState) -> None:
        pop = state.population
        if pop.shape != (self.config.population, self.genome_length) or not np.isfinite(pop).all():
            raise ValueError(f"GA state: population of shape {pop.shape}, expected finite genomes of shape "
                             f"{(self.config.population, self.genome_length)}")
