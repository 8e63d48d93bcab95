"""The generational loop, the same for every base optimizer: ask, repair, evaluate, tell, log,
checkpoint. The strategy (``evolution.strategy``; the GA by default) decides what to evaluate next;
the loop keeps what is shared: DEAP's Statistics, Logbook and HallOfFame, the run directory.

Seeding: one integer seed -> ``numpy.random.SeedSequence`` (``organisms.seeding``). Generation g's
worlds come from the child (0, g); the strategy's ``tell`` after generation g from the child (1, g);
its ``init`` from the child (2,). Nothing depends on the order work was done in, so a resumed run
repeats an uninterrupted one exactly.

Checkpoints: with ``out`` and ``checkpoint_every=k``, after ``tell`` of generation g (g + 1 a
multiple of k) the run directory gets ``checkpoint-<g+1>/`` holding the strategy's state, the hall
of fame and the log so far (``evolution.checkpoint``); only the latest is kept; a finished run
removes it.

Run directories: a fresh run refuses a directory that holds a different run unless
``overwrite=True``, and holds the directory's lock until it has saved (``evolution.rundir``).
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from deap import creator, tools
from tqdm.auto import tqdm

from evolution.callbacks import Callback, check_callbacks, notify
from evolution.checkpoint import read_checkpoint, remove_checkpoints, write_checkpoint
from evolution.config import Config
from evolution.ga import organisms, stack
from evolution.interrupt import interrupt_between_generations
from evolution.optimizers import make_strategy
from evolution.protocol import check_scenario
from evolution.result import RunResult
from evolution.rundir import claim, clear_run, locked, read_run_header, write_run_header
from organisms.records import jsonable
from organisms.seeding import seed_child
from organisms.validation import require_integer

__all__ = ["creator", "evolve", "make_statistics", "repair", "show_progress"]


def make_statistics() -> tools.Statistics:
    stats = tools.Statistics(key=lambda ind: ind.fitness.values[0])
    stats.register("fitness_mean", np.mean)
    stats.register("fitness_max", np.max)
    stats.register("fitness_min", np.min)
    stats.register("fitness_sd", np.std)
    return stats


def repair(genomes: np.ndarray, config: Config, layout: Any, population: int | None = None) -> np.ndarray:
    """The genomes a strategy asked for, made legal for this run, in place: with one organism kind
    allowed the kind gene is clamped (the layout does not change). ``tell`` sees the result.
    ``population``: the rows the strategy asks for (default: ``config.population``)."""
    rows = config.population if population is None else population
    if genomes.shape != (rows, layout.length):
        raise ValueError(f"optimizer {config.optimizer!r} asked for genomes of shape {genomes.shape}, "
                         f"expected {(rows, layout.length)}")
    if len(config.kinds) == 1:
        genomes[:, layout.kind] = layout.kind_gene_value(config.kinds[0])
    return genomes


def _check_resumable(path: Path, config: Config, scenario: Any) -> None:
    """The run directory must hold a run of this Config (but for ``workers``, which does not change
    results) and of this scenario."""
    saved_config, record = read_run_header(path)
    if saved_config.replace(workers=config.workers) != config:
        raise ValueError(f"resume: {path} was run with a different Config ({saved_config}); "
                         f"pass that Config to resume it")
    if isinstance(record, dict) and record.get("data") != jsonable(scenario.to_dict()):
        raise ValueError(f"resume: {path} was run on a different scenario than "
                         f"{getattr(scenario, 'name', 'the one given')!r}")


def show_progress(progress: bool | None) -> bool:
    """Whether to draw a progress bar: as asked, or (None) only when stderr is a terminal."""
    return sys.stderr.isatty() if progress is None else bool(progress)


def evolve(scenario: Any, config: Config | None = None, progress: bool | None = None,
           out: str | Path | None = None, checkpoint_every: int | None = None,
           resume: str | Path | None = None, overwrite: bool = False,
           callbacks: Iterable[Callback] | None = None) -> RunResult:
    """Run the base optimizer on a scenario.

    Args:
        scenario: a ``scenarios.Scenario`` (anything with ``layout``, ``evaluate`` and ``to_dict``).
        config: the Config (default: the resumed run's, else ``Config.for_scenario(scenario)``).
        progress: show a progress bar (None: only when stderr is a terminal).
        out: a run directory to write (config first, checkpoints during, results at the end).
        checkpoint_every: with ``out``, write a checkpoint every this many generations.
        resume: a run directory (usually ``out`` of a killed run) to continue from its last
            checkpoint; ``out`` defaults to it.
        overwrite: allow ``out`` to hold a different run, whose results and checkpoints are then
            removed; without it that is a ``ValueError`` (the same run may always be written again).
        callbacks: callables each called with every generation's log row (a dict); one that returns
            ``True`` stops the run after that generation, which then is the run of that many
            generations (``evolution.callbacks``; ``evolution.JsonLinesLog`` writes the log as JSON
            lines). They do not change results.

    Returns:
        The ``RunResult``; its log is identical whether or not the run was interrupted and resumed,
        and whether or not callbacks watched it.
    """
    check_scenario(scenario)  # the one check of the protocol: a broken scenario fails here, named
    if resume is not None and config is None:
        config, _ = read_run_header(Path(resume))
    config = Config.for_scenario(scenario) if config is None else config
    if not isinstance(config, Config):
        raise ValueError(f"config: must be an evolution.Config, got {type(config).__name__}")
    if checkpoint_every is not None:
        checkpoint_every = require_integer(checkpoint_every, "checkpoint_every", lo=1)
        if out is None and resume is None:
            raise ValueError("checkpoint_every: needs out= (the run directory checkpoints go to)")
    callbacks = check_callbacks(callbacks)
    out = Path(out) if out is not None else (Path(resume) if resume is not None else None)
    if out is not None and out.exists() and not out.is_dir():
        raise ValueError(f"out: {out} exists and is not a directory")
    with locked(out) if out is not None else contextlib.nullcontext(), interrupt_between_generations() as check:
        return _run(scenario, config, progress, out, checkpoint_every,
                    None if resume is None else Path(resume), overwrite, check, callbacks)


def _run(scenario: Any, config: Config, progress: bool | None, out: Path | None,
         checkpoint_every: int | None, resume: Path | None, overwrite: bool,
         interrupted: Callable[[], None], callbacks: tuple[Callback, ...] = ()) -> RunResult:
    layout = scenario.layout
    strategy = make_strategy(config, layout.length)
    stats = make_statistics()
    hof = tools.HallOfFame(config.hall_of_fame, similar=np.array_equal)
    logbook = tools.Logbook()
    start = 0
    if resume is not None:
        with locked(resume):
            _check_resumable(resume, config, scenario)
            start, state, log, hof_pop, hof_fit = read_checkpoint(resume, config, strategy)
        for row in log.to_dict("records"):
            logbook.record(**row)
        # Worst first: HallOfFame puts a newcomer ahead of equal fitness, so this restores tie order.
        hof.update(organisms(hof_pop[::-1], hof_fit[::-1]))
    else:
        state = strategy.init(seed_child(config.seed, 2))
    if out is not None and (resume is None or out.resolve() != resume.resolve()):
        if claim(out, config, scenario, overwrite) or resume is None:
            clear_run(out)
        write_run_header(out, config, scenario)
    parallel = True if config.workers is None else config.workers  # evaluation's threads
    bar = tqdm(total=config.generations, initial=start, disable=not show_progress(progress),
               desc=getattr(scenario, "name", "evolve"), unit="gen", leave=False)
    genomes, fitness, stopped = np.empty((0, layout.length)), np.zeros(0), False
    for g in range(start, config.generations):
        genomes = repair(strategy.ask(state), config, layout, strategy.population)
        fitness, summary = scenario.evaluate(genomes, seed_child(config.seed, 0, g),
                                             episodes=config.episodes, parallel=parallel)
        individuals = organisms(genomes, fitness)
        hof.update(individuals)
        logbook.record(generation=g, **stats.compile(individuals), **summary, **strategy.diagnostics(state))
        stop = notify(callbacks, logbook[-1])
        bar.update(1)
        bar.set_postfix(fitness=f"{logbook[-1]['fitness_mean']:.2f}")
        if stop and g < config.generations - 1:  # now the run of g + 1 generations, which would not tell
            config, stopped = config.replace(generations=g + 1), True
        if g == config.generations - 1:
            break  # nothing asks again: the result is this evaluated population
        state = strategy.tell(state, genomes, fitness, seed_child(config.seed, 1, g))
        if out is not None and checkpoint_every and (g + 1) % checkpoint_every == 0:
            write_checkpoint(out, g + 1, config.seed, strategy, state, pd.DataFrame(list(logbook)),
                             stack(hof.items), np.array([ind.fitness.values[0] for ind in hof.items]))
        interrupted()
    bar.close()
    result = RunResult(
        scenario=scenario,
        config=config,
        log=pd.DataFrame(list(logbook)),
        population=genomes,
        fitness=np.asarray(fitness, dtype=np.float64),
        hall_of_fame=stack(hof.items),
        hall_of_fame_fitness=np.array([ind.fitness.values[0] for ind in hof.items]),
    )
    if out is not None:
        if stopped:  # the directory now holds the shorter run, which save then may write
            write_run_header(out, config, scenario)
        result.save(out)
        remove_checkpoints(out)
    return result
