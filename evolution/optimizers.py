"""The registry of base optimizers: ``Config.optimizer`` names one of ``OPTIMIZERS``.

A new strategy is added here in one line (see ``evolution.strategy`` for the other steps); the
tests parametrised over ``OPTIMIZERS`` then walk it.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from evolution.cmaes import CMAES
from evolution.es import EvolutionStrategy
from evolution.ga import GeneticAlgorithm
from evolution.strategy import Strategy

OPTIMIZERS: dict[str, type[Strategy]] = {
    GeneticAlgorithm.name: GeneticAlgorithm,
    CMAES.name: CMAES,
    EvolutionStrategy.name: EvolutionStrategy,
}
"""Base optimizers by name; the first is the default."""

DEFAULT = "ga"


def names() -> list[str]:
    """Names ``Config.optimizer`` accepts."""
    return list(OPTIMIZERS)


def strategy_class(name: Any) -> type[Strategy]:
    """The strategy registered as ``name``; anything else is a ``ValueError`` listing the valid names."""
    if not isinstance(name, str) or name not in OPTIMIZERS:
        raise ValueError(f"Config.optimizer: unknown base optimizer {name!r}; valid ones are {names()}")
    return OPTIMIZERS[name]


def make_strategy(config: Any, genome_length: int) -> Strategy:
    """The strategy ``config.optimizer`` names, set up for genomes of ``genome_length`` genes."""
    return strategy_class(config.optimizer)(config, genome_length)


def option_names(name: str) -> list[str]:
    """The options ``Config.optimizer_options`` takes for the optimizer ``name``."""
    return [f.name for f in dataclasses.fields(strategy_class(name).Options)]


def describe(options: bool = False) -> str:
    """The registered optimizers for help texts: ``ga (the genetic algorithm), cmaes (CMA-ES), ...``
    in registry order; with ``options``, one per line with the options each takes."""
    if not options:
        return ", ".join(f"{name} ({cls.title})" if cls.title else name for name, cls in OPTIMIZERS.items())
    return "\n".join(f"{name}: {cls.title or name}; options {', '.join(option_names(name)) or 'none'}"
                     for name, cls in OPTIMIZERS.items())
