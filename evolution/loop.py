"""The base optimizer: one short generational loop built from DEAP's toolbox, operators,
Statistics, Logbook and HallOfFame.

Seeding: one integer seed -> ``numpy.random.SeedSequence``. Generation g's worlds come from the child
(0, g), its variation from the child (1, g) (DEAP's operators draw from the global ``random``, seeded
from that child right before breeding), the initial genomes from the child (2,). Nothing depends on
the order work was done in, so a resumed run repeats an uninterrupted one exactly.

Checkpoints: with ``out`` and ``checkpoint_every=k``, after breeding generation g (g + 1 a multiple
of k) the run directory gets ``checkpoint-<g+1>/``: ``population.npz`` (the bred population and the
hall of fame), ``log.csv`` (the log so far) and ``state.json`` (the next generation and the seed).
That is the whole RNG state: every random draw derives from (seed, generation) by the spawn keys
above, so no generator state needs saving. A checkpoint is written whole into a temporary folder,
then renamed; only the latest is kept; a finished run removes it.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

import numba
import numpy as np
import pandas as pd
from deap import algorithms, base, creator, tools
from tqdm.auto import tqdm

from evolution.config import Config
from evolution.protocol import check_scenario
from evolution.result import (
    RunResult,
    read_csv,
    read_json,
    read_npz,
    read_run_header,
    write_csv,
    write_json,
    write_npz,
    write_run_header,
)
from organisms.seeding import seed_child, seed_python_random

# DEAP's creator classes, made once at import (never inside a function: workers must unpickle them).
if not hasattr(creator, "BaseFitness"):
    creator.create("BaseFitness", base.Fitness, weights=(1.0,))
if not hasattr(creator, "Organism"):
    creator.create("Organism", np.ndarray, fitness=creator.BaseFitness)

CHECKPOINT_PREFIX = "checkpoint-"


def make_toolbox(config: Config) -> base.Toolbox:
    """DEAP's operators as the config asks: uniform crossover, Gaussian mutation, tournaments."""
    tb = base.Toolbox()
    tb.register("mate", tools.cxUniform, indpb=0.5)
    tb.register("mutate", tools.mutGaussian, mu=0.0, sigma=config.sigma, indpb=config.mutation)
    tb.register("select", tools.selTournament, tournsize=config.tournament)
    return tb


def make_statistics() -> tools.Statistics:
    stats = tools.Statistics(key=lambda ind: ind.fitness.values[0])
    stats.register("fitness_mean", np.mean)
    stats.register("fitness_max", np.max)
    stats.register("fitness_min", np.min)
    stats.register("fitness_sd", np.std)
    return stats


def _clamp_kind(pop: np.ndarray, config: Config, kind_gene: int) -> None:
    """With one kind allowed, the kind gene is fixed (the layout does not change)."""
    if config.kinds == ("planner",):
        pop[:, kind_gene] = 1.0
    elif config.kinds == ("heuristic",):
        pop[:, kind_gene] = -1.0


def _organisms(pop: np.ndarray) -> list:
    return [creator.Organism(row) for row in pop]


def _stack(individuals: list) -> np.ndarray:
    return np.array([np.asarray(ind) for ind in individuals], dtype=np.float64)


def _breed(individuals: list, config: Config, toolbox: base.Toolbox, generation: int,
           kind_gene: int) -> np.ndarray:
    """The next generation's genomes: elites unchanged, the rest by tournament and variation."""
    seed_python_random(seed_child(config.seed, 1, generation))
    elites = [toolbox.clone(ind) for ind in tools.selBest(individuals, config.elite)]
    chosen = toolbox.select(individuals, config.population - config.elite)
    offspring = algorithms.varAnd(chosen, toolbox, cxpb=config.crossover, mutpb=1.0)
    pop = _stack(elites + offspring)
    _clamp_kind(pop, config, kind_gene)
    return pop


def _checkpoints(path: Path) -> list[tuple[int, Path]]:
    found = []
    for p in path.glob(CHECKPOINT_PREFIX + "*"):
        suffix = p.name[len(CHECKPOINT_PREFIX):]
        if p.is_dir() and suffix.isdigit():
            found.append((int(suffix), p))
    return sorted(found)


def _write_checkpoint(path: Path, generation: int, pop: np.ndarray, log: pd.DataFrame,
                      hof: tools.HallOfFame, config: Config) -> None:
    """Checkpoint before evaluating ``generation``: written whole into a temporary folder, then
    renamed, so a checkpoint either exists complete or not at all."""
    tmp = path / f".tmp-{CHECKPOINT_PREFIX}{generation}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    write_npz(tmp / "population.npz", population=pop, hall_of_fame=_stack(hof.items),
              hall_of_fame_fitness=np.array([ind.fitness.values[0] for ind in hof.items]))
    write_csv(tmp / "log.csv", log)
    write_json(tmp / "state.json", {
        "next_generation": generation,
        "seed": config.seed,
        # The RNG state, complete: SeedSequence(seed, spawn_key=...) for what comes next.
        "rng": {"worlds": [0, generation], "variation": [1, generation]},
        "config": config.to_dict(),
    })
    final = path / f"{CHECKPOINT_PREFIX}{generation}"
    shutil.rmtree(final, ignore_errors=True)
    tmp.rename(final)
    for g, old in _checkpoints(path):
        if g < generation:
            shutil.rmtree(old, ignore_errors=True)


def _check_resumable(path: Path, config: Config, scenario: Any) -> None:
    """The run directory must hold a run of this Config (but for ``workers``, which does not change
    results) and of this scenario."""
    saved_config, record = read_run_header(path)
    if saved_config.replace(workers=config.workers) != config:
        raise ValueError(f"resume: {path} was run with a different Config ({saved_config}); "
                         f"pass that Config to resume it")
    if isinstance(record, dict) and record.get("data") != _json_round_trip(scenario.to_dict()):
        raise ValueError(f"resume: {path} was run on a different scenario than "
                         f"{getattr(scenario, 'name', 'the one given')!r}")


def _json_round_trip(data: Any) -> Any:
    return json.loads(json.dumps(data))


def _read_checkpoint(path: Path, config: Config, genome_length: int):
    """(next generation, population, log rows, hall of fame) from a run directory's last checkpoint."""
    points = _checkpoints(path)
    if not points:
        if (path / "log.csv").exists():
            raise ValueError(f"resume: {path} is a finished run; there is nothing to resume")
        raise ValueError(f"resume: {path} holds no checkpoint to resume from (the run stopped before "
                         f"its first one); run it again")
    gen, ck = points[-1]
    state = read_json(ck / "state.json")
    arrays = read_npz(ck / "population.npz", ("population", "hall_of_fame", "hall_of_fame_fitness"))
    log = read_csv(ck / "log.csv")
    if (not isinstance(state, dict) or state.get("next_generation") != gen or state.get("seed") != config.seed
            or len(log) != gen or "generation" not in log.columns
            or log["generation"].tolist() != list(range(gen)) or gen >= config.generations):
        raise ValueError(f"resume: checkpoint {ck} is inconsistent (generation {gen}, {len(log)} log rows)")
    pop, hof, hof_fit = arrays["population"], arrays["hall_of_fame"], arrays["hall_of_fame_fitness"]
    if (pop.shape != (config.population, genome_length) or hof.ndim != 2 or hof.shape[1] != genome_length
            or hof_fit.shape != (len(hof),) or not np.isfinite(pop).all()):
        raise ValueError(f"resume: checkpoint {ck} holds arrays of the wrong shape for this run")
    return gen, pop.astype(np.float64), log, hof, hof_fit


def _set_threads(workers: int | None) -> bool:
    """Use ``workers`` numba threads for evaluation; returns whether to run the parallel kernel."""
    n = numba.config.NUMBA_NUM_THREADS if workers is None else min(workers, numba.config.NUMBA_NUM_THREADS)
    numba.set_num_threads(n)
    return n > 1


def _show_progress(progress: bool | None) -> bool:
    return sys.stderr.isatty() if progress is None else bool(progress)


def evolve(scenario: Any, config: Config | None = None, progress: bool | None = None,
           out: str | Path | None = None, checkpoint_every: int | None = None,
           resume: str | Path | None = None) -> RunResult:
    """Run the base optimizer on a scenario.

    Args:
        scenario: a ``scenarios.Scenario`` (anything with ``layout``, ``evaluate`` and ``to_dict``).
        config: the Config (default: the resumed run's, else ``Config.for_scenario(scenario)``).
        progress: show a progress bar (None: only when stderr is a terminal).
        out: a run directory to write (config first, checkpoints during, results at the end).
        checkpoint_every: with ``out``, write a checkpoint every this many generations.
        resume: a run directory (usually ``out`` of a killed run) to continue from its last
            checkpoint; ``out`` defaults to it.

    Returns:
        The ``RunResult``; its log is identical whether or not the run was interrupted and resumed.
    """
    missing = [a for a in ("layout", "evaluate", "to_dict") if not hasattr(scenario, a)]
    if missing:
        raise ValueError(f"scenario: must be a Scenario (layout, evaluate, to_dict), got "
                         f"{type(scenario).__name__} without {missing}")
    check_scenario(scenario)
    if resume is not None and config is None:
        config, _ = read_run_header(Path(resume))
    config = Config.for_scenario(scenario) if config is None else config
    if not isinstance(config, Config):
        raise ValueError(f"config: must be an evolution.Config, got {type(config).__name__}")
    if checkpoint_every is not None:
        if isinstance(checkpoint_every, bool) or not isinstance(checkpoint_every, int) or checkpoint_every < 1:
            raise ValueError(f"checkpoint_every: must be an integer >= 1, got {checkpoint_every!r}")
        if out is None and resume is None:
            raise ValueError("checkpoint_every: needs out= (the run directory checkpoints go to)")
    out = Path(out) if out is not None else (Path(resume) if resume is not None else None)
    if out is not None and out.exists() and not out.is_dir():
        raise ValueError(f"out: {out} exists and is not a directory")
    layout = scenario.layout
    toolbox = make_toolbox(config)
    stats = make_statistics()
    hof = tools.HallOfFame(config.hall_of_fame, similar=np.array_equal)
    logbook = tools.Logbook()
    start = 0
    if resume is not None:
        _check_resumable(Path(resume), config, scenario)
        start, pop, log, hof_pop, hof_fit = _read_checkpoint(Path(resume), config, layout.length)
        for row in log.to_dict("records"):
            logbook.record(**row)
        # Worst first: HallOfFame puts a newcomer ahead of equal fitness, so this restores tie order.
        for genome, fit in zip(hof_pop[::-1], hof_fit[::-1]):
            ind = creator.Organism(genome)
            ind.fitness.values = (float(fit),)
            hof.update([ind])
    else:
        rng = np.random.default_rng(seed_child(config.seed, 2))
        pop = rng.normal(0.0, 1.0, size=(config.population, layout.length))
        _clamp_kind(pop, config, layout.kind)
    if out is not None and (resume is None or out.resolve() != Path(resume).resolve()):
        out.mkdir(parents=True, exist_ok=True)
        write_run_header(out, config, scenario)
    parallel = _set_threads(config.workers)
    bar = tqdm(total=config.generations, initial=start, disable=not _show_progress(progress),
               desc=getattr(scenario, "name", "evolve"), unit="gen", leave=False)
    individuals: list = []
    fitness = np.zeros(config.population)
    for g in range(start, config.generations):
        fitness, summary = scenario.evaluate(pop, seed_child(config.seed, 0, g),
                                             episodes=config.episodes, parallel=parallel)
        individuals = _organisms(pop)
        for ind, fit in zip(individuals, fitness):
            ind.fitness.values = (float(fit),)
        hof.update(individuals)
        logbook.record(generation=g, **stats.compile(individuals), **summary)
        bar.update(1)
        bar.set_postfix(fitness=f"{logbook[-1]['fitness_mean']:.2f}")
        if g == config.generations - 1:
            break
        pop = _breed(individuals, config, toolbox, g, layout.kind)
        if out is not None and checkpoint_every and (g + 1) % checkpoint_every == 0:
            _write_checkpoint(out, g + 1, pop, pd.DataFrame(list(logbook)), hof, config)
    bar.close()
    result = RunResult(
        scenario=scenario,
        config=config,
        log=pd.DataFrame(list(logbook)),
        population=pop,
        fitness=np.asarray(fitness, dtype=np.float64),
        hall_of_fame=_stack(hof.items),
        hall_of_fame_fitness=np.array([ind.fitness.values[0] for ind in hof.items]),
    )
    if out is not None:
        result.save(out)
        for _, ck in _checkpoints(out):
            shutil.rmtree(ck, ignore_errors=True)
    return result
