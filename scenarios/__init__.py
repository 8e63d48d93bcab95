"""Scenarios: the essay's stories as worlds, objectives and deployment shifts, and the engine they
share (specs, world sampling, assessment, recorded episodes, the command line).

    import scenarios
    sc = scenarios.get("aurora", banner_reliability=1.0)
    table = scenarios.assess(sc, population, worlds=300, seed=0)
"""

from scenarios.engine.measure import assess as _assess
from scenarios.engine.measure import episode
from scenarios.engine.registry import get, knob_names, names
from scenarios.engine.scenario import Scenario
from scenarios.engine.spec import Feature, ItemKind, Mixture, Objective, WorldSpec


def assess(sc: Scenario, population, worlds: int = 300, seed: int = 0):
    """Score every organism of ``population`` on the training and every deployment distribution.

    Args:
        sc: the scenario.
        population: (n, genome_length) genomes (or a single genome).
        worlds: worlds per distribution, shared by every organism and the oracles.
        seed: the assessment seed; independent of any run's seed, so runs compare on equal worlds.

    Returns:
        A DataFrame, one row per (organism, distribution); see METRICS.md for every column.
    """
    return _assess(sc, population, worlds=worlds, seed=seed)


__all__ = [
    "Feature",
    "ItemKind",
    "Mixture",
    "Objective",
    "Scenario",
    "WorldSpec",
    "assess",
    "episode",
    "get",
    "knob_names",
    "names",
]
