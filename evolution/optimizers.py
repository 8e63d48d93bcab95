"""The registry of base optimizers: ``Config.optimizer`` names one of ``OPTIMIZERS``.

A new strategy is added here in one line (see ``evolution.strategy`` for the other steps); the
tests parametrised over ``OPTIMIZERS`` then walk it.
"""

from __future__ import annotations

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
