"""Where a generation's time goes, and evolve end to end against DEAP's eaSimple in plain Python.

    python -m benchmarks.generation

1. Generation time split into evaluation (``scenario.evaluate``: sampling worlds, the compiled
   episodes on training and deployment worlds, the oracle, the log columns) and everything else
   (selection, variation, cloning, statistics, logging), at populations 100, 1 000 and 10 000, on
   the Aurora defaults with one numba thread.
2. Per base optimizer (every name in ``evolution.optimizers.OPTIMIZERS``), the strategy's own work
   (``ask`` + ``tell``: breeding, sampling, the update) as a share of a generation at the Aurora
   defaults (150 x 60, 8 episodes), beside the evaluation's share and the loop's (statistics, hall
   of fame, log).
3. ``evolution.evolve`` on the Aurora defaults against DEAP's ``algorithms.eaSimple`` with the same
   operators and a plain-Python episode (``organisms.reference``, a fresh search every step) on the
   same number of training episodes per organism, per generation. evolve also evaluates every
   organism on deployment worlds each generation; eaSimple does not, so the ratio understates.

Results go to ``benchmarks/results/generation.json``.
"""

from __future__ import annotations

import random
import statistics
import time

import numba
import numpy as np
from deap import algorithms, base, tools

import evolution
import evolution.optimizers
import organisms
import scenarios
from benchmarks.common import median_time, write_result
from evolution.loop import creator
from organisms.reference import reference_organism, reference_world, run_episode

REPEATS = 3
"""Runs per figure (the median is reported)."""


class TimedScenario:
    """A scenario whose ``evaluate`` calls are timed (everything else is passed through)."""

    def __init__(self, scenario):
        self._scenario = scenario
        self.evaluate_seconds = 0.0

    def __getattr__(self, name):
        return getattr(self._scenario, name)

    def evaluate(self, *args, **kwargs):
        start = time.perf_counter()
        try:
            return self._scenario.evaluate(*args, **kwargs)
        finally:
            self.evaluate_seconds += time.perf_counter() - start


def split(population: int, generations: int) -> dict:
    sc = scenarios.get("aurora")
    cfg = evolution.Config.for_scenario(sc, population=population, generations=generations, workers=1)
    evolution.evolve(sc, cfg.replace(generations=1), progress=False)  # compile outside the timing
    runs = []
    for _ in range(REPEATS):
        timed = TimedScenario(sc)
        start = time.perf_counter()
        evolution.evolve(timed, cfg, progress=False)
        runs.append((time.perf_counter() - start, timed.evaluate_seconds))
    total, evaluating = sorted(runs)[len(runs) // 2]  # the median run by total time
    return {"population": population, "generations": generations, "seconds_per_generation": total / generations,
            "evaluation_share": evaluating / total, "other_share": 1 - evaluating / total}


def timed_strategy(cls: type) -> type:
    """A subclass of a strategy whose ``ask`` and ``tell`` calls add up their wall time."""

    class Timed(cls):
        seconds = 0.0

        def ask(self, state):
            start = time.perf_counter()
            try:
                return super().ask(state)
            finally:
                Timed.seconds += time.perf_counter() - start

        def tell(self, state, genomes, fitness, seed):
            start = time.perf_counter()
            try:
                return super().tell(state, genomes, fitness, seed)
            finally:
                Timed.seconds += time.perf_counter() - start

    return Timed


def strategy_share(optimizer: str) -> dict:
    """Shares of a generation at the Aurora defaults: the strategy's ask + tell, the evaluation, the rest."""
    sc = scenarios.get("aurora")
    cfg = evolution.Config.for_scenario(sc, optimizer=optimizer, workers=1)
    registry = evolution.optimizers.OPTIMIZERS
    original = registry[optimizer]
    registry[optimizer] = timed = timed_strategy(original)
    try:
        evolution.evolve(sc, cfg.replace(generations=2), progress=False)  # compile outside the timing
        runs = []
        for _ in range(REPEATS):
            timed.seconds = 0.0
            scenario = TimedScenario(sc)
            start = time.perf_counter()
            evolution.evolve(scenario, cfg, progress=False)
            runs.append((time.perf_counter() - start, scenario.evaluate_seconds, timed.seconds))
    finally:
        registry[optimizer] = original
    total, evaluating, strategy = sorted(runs)[len(runs) // 2]
    return {"optimizer": optimizer, "seconds_per_generation": total / cfg.generations,
            "strategy_share": strategy / total, "evaluation_share": evaluating / total,
            "loop_share": 1 - (strategy + evaluating) / total}


def easimple_per_generation(population: int, episodes: int, generations: int) -> float:
    """Seconds per generation of eaSimple with a plain-Python episode on ``episodes`` worlds."""
    sc = scenarios.get("aurora")
    layout = sc.layout
    worlds = [reference_world(w) for w in sc.sample("train", episodes, 0)]
    base_w = sc.base_weights

    def evaluate(ind):
        ph = organisms.phenotype(sc, np.asarray(ind))
        org = reference_organism(ph, 0)
        total = sum(float(np.dot(run_episode(org, w)["outcome"], base_w)) for w in worlds)
        return (total / len(worlds) - float(ph.sensors[0] @ sc.sensor_costs),)

    tb = base.Toolbox()
    tb.register("evaluate", evaluate)
    tb.register("mate", tools.cxUniform, indpb=0.5)
    tb.register("mutate", tools.mutGaussian, mu=0.0, sigma=0.3, indpb=0.2)
    tb.register("select", tools.selTournament, tournsize=3)
    rng = np.random.default_rng(0)
    pop = [creator.Organism(g) for g in rng.normal(size=(population, layout.length))]
    for ind in pop:
        ind[layout.kind] = 1.0
    random.seed(0)
    # eaSimple evaluates the initial population, then one population per generation: time each.
    stats = tools.Statistics(lambda ind: time.perf_counter())
    stats.register("at", max)
    _, log = algorithms.eaSimple(pop, tb, cxpb=0.5, mutpb=1.0, ngen=generations - 1, stats=stats,
                                 verbose=False, halloffame=tools.HallOfFame(5, similar=np.array_equal))
    stamps = log.select("at")
    return statistics.median(np.diff(stamps))


def main() -> None:
    numba.set_num_threads(1)
    rows = []
    for population, generations in ((100, 20), (1000, 5), (10_000, 2)):
        rows.append(split(population, generations))
        r = rows[-1]
        print(f"population {population:6}: {r['seconds_per_generation'] * 1000:8.1f} ms/generation, "
              f"evaluation {r['evaluation_share']:.0%}, everything else {r['other_share']:.0%}", flush=True)
    defaults = split(150, 60)
    print(f"defaults (150 x 60): {defaults['seconds_per_generation'] * 1000:.1f} ms/generation, "
          f"everything but evaluation {defaults['other_share']:.0%}")
    shares = []
    for optimizer in evolution.optimizers.names():
        shares.append(strategy_share(optimizer))
        r = shares[-1]
        print(f"{optimizer:>6} at the defaults: {r['seconds_per_generation'] * 1000:.1f} ms/generation, "
              f"strategy (ask + tell) {r['strategy_share']:.1%}, evaluation {r['evaluation_share']:.0%}, "
              f"loop {r['loop_share']:.0%}", flush=True)
    sc = scenarios.get("aurora")
    cfg = evolution.Config.for_scenario(sc, workers=1)
    ours = median_time(lambda: evolution.evolve(sc, cfg, progress=False), repeats=3) / cfg.generations
    theirs = easimple_per_generation(cfg.population, cfg.episodes, generations=4)
    print(f"evolve {ours * 1000:.1f} ms/generation vs eaSimple + plain-Python episode "
          f"{theirs * 1000:.0f} ms/generation: {theirs / ours:.0f}x")
    write_result("generation", {"split": rows, "defaults": defaults, "strategies": shares, "evolve_s_per_gen": ours,
                                "easimple_s_per_gen": theirs, "evolve_vs_easimple": theirs / ours})


if __name__ == "__main__":
    main()
