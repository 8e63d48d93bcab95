"""The base optimizer, standing for evolution or gradient descent: a genetic algorithm (DEAP) by
default, behind an ask/tell seam that other strategies plug into.

Sees a scenario only through its protocol: ``layout`` (an ``organisms.GenomeLayout``),
``evaluate(population, generation_seed, episodes, parallel) -> (fitness, log columns)``,
``assess(population, worlds=..., seed=...)`` and ``to_dict()``. Imports ``organisms`` at most.

    evolve(scenario, config)                  one run (checkpoints and resume: see evolution.loop)
    evolve(..., callbacks=[JsonLinesLog(p)])  a callable per generation, given its log row; True stops
                                              the run (evolution.callbacks)
    sweep(factory, grid, seeds, config)       grid x seeds on worker processes -> one tidy table
    RunResult.load(path)                      a run directory (JSON, CSV, npz; never pickle)

Modules: ``config`` (Config), ``strategy`` (the seam: ``Strategy`` with init/ask/tell and a
serializable state; how to add a base optimizer), ``optimizers`` (the registry ``Config.optimizer``
names: ``evolution.optimizers.describe()`` lists them), one module per registered optimizer (``ga``
holds the default), ``loop`` (ask, repair, evaluate, tell, log, callbacks, checkpoint),
``checkpoint`` (the strategy's state on disk), ``rundir`` (config.json, who may write a run
directory, its lock), ``files`` (atomic JSON/CSV/npz), ``result`` (RunResult), ``sweeps`` and
``workers`` (sweep points and the processes they run in).

Adding a base optimizer: subclass ``evolution.strategy.Strategy`` in a module of its own (options
and state as frozen dataclasses; randomness only from the seeds ``init`` and ``tell`` receive), add
it to ``evolution.optimizers.OPTIMIZERS``, and select it with ``Config(optimizer=...)``; the tests
parametrised over the registry then cover it (details in ``evolution.strategy``).
"""

from evolution.callbacks import JsonLinesLog
from evolution.config import Config
from evolution.loop import evolve
from evolution.result import RunResult
from evolution.sweeps import sweep

__all__ = ["Config", "JsonLinesLog", "RunResult", "evolve", "sweep"]
