"""The base optimizer: a genetic algorithm (DEAP) standing for evolution or gradient descent.

Sees a scenario only through its protocol: ``layout`` (an ``organisms.GenomeLayout``),
``evaluate(population, generation_seed, episodes, parallel) -> (fitness, log columns)``,
``assess(population, worlds=..., seed=...)`` and ``to_dict()``. Imports ``organisms`` at most.

    evolve(scenario, config)                  one run (checkpoints and resume: see evolution.loop)
    sweep(factory, grid, seeds, config)       grid x seeds on worker processes -> one tidy table
    RunResult.load(path)                      a run directory (JSON, CSV, npz; never pickle)
"""

from evolution.config import Config
from evolution.loop import evolve
from evolution.result import RunResult
from evolution.sweeps import sweep

__all__ = ["Config", "RunResult", "evolve", "sweep"]
