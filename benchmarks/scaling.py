"""Scaling curves: seconds per generation against population, world size, horizon and episodes.

    python -m benchmarks.scaling

Each curve varies one factor from the Aurora defaults (population 150, 12x12, horizon gene free,
8 episodes; one numba thread) and times ``evolve`` for a few generations. Prints a table, writes
``benchmarks/results/scaling.json`` and the figure ``scaling.png`` beside it.
"""

from __future__ import annotations

import math
import time

import numba

import evolution
import organisms
import scenarios
from benchmarks.common import RESULTS, write_result
from plots.style import TRAIN, house_style, new_figure, save_figure, tidy
from scenarios import Feature, ItemKind, Objective, Scenario, WorldSpec

GENERATIONS = 5


def village_scenario(side: int) -> Scenario:
    """Aurora's training world scaled to a side x side grid, villages in proportion to its area."""
    scale = side * side / 144
    return Scenario(
        name="aurora-scaled",
        features=[Feature("aurora"), Feature("brotherhood"), Feature("own"),
                  Feature("diplomacy", observable=False, sensor_cost=0.2)],
        train=WorldSpec(size=(side, side), steps=40,
                        items=[ItemKind("Aurora village", {"aurora": 1, "diplomacy": 1}, max(1, round(6 * scale))),
                               ItemKind("Brotherhood village", {"brotherhood": 1, "diplomacy": -1},
                                        max(1, round(6 * scale))),
                               ItemKind("own village", {"own": 1}, max(1, round(4 * scale)))]),
        base=Objective({"diplomacy": 1.0, "own": -2.0}),
        defaults={"kinds": ("planner",)},
    )


class FixedHorizon:
    """A scenario whose planners all search to one horizon (the gene is overwritten on evaluation)."""

    def __init__(self, scenario, horizon: int):
        self._scenario, self._horizon = scenario, horizon

    def __getattr__(self, name):
        return getattr(self._scenario, name)

    def evaluate(self, population, *args, **kwargs):
        pop = population.copy()
        p = min((self._horizon - 0.5) / organisms.HORIZON_CAP, 1 - 1e-9)
        pop[:, self.layout.horizon] = math.log(p / (1 - p))
        return self._scenario.evaluate(pop, *args, **kwargs)


def seconds_per_generation(sc, **config) -> float:
    cfg = evolution.Config.for_scenario(sc, generations=GENERATIONS, workers=1, **config)
    evolution.evolve(sc, cfg.replace(generations=1), progress=False)
    start = time.perf_counter()
    evolution.evolve(sc, cfg, progress=False)
    return (time.perf_counter() - start) / GENERATIONS


def main() -> None:
    numba.set_num_threads(1)
    aurora = scenarios.get("aurora")
    curves = {
        "population": [(n, seconds_per_generation(aurora, population=n)) for n in (50, 100, 200, 400, 800, 1600)],
        "world side": [(s, seconds_per_generation(village_scenario(s))) for s in (8, 12, 16, 20, 24)],
        "planner horizon": [(h, seconds_per_generation(FixedHorizon(aurora, h))) for h in (2, 4, 8, 16, 24)],
        "episodes": [(e, seconds_per_generation(aurora, episodes=e)) for e in (2, 4, 8, 16, 32)],
    }
    for name, points in curves.items():
        print(f"{name:16} " + "  ".join(f"{x}: {t * 1000:.0f} ms" for x, t in points))
    write_result("scaling", {"generations": GENERATIONS,
                             "curves": {k: [{"x": x, "s_per_gen": t} for x, t in v] for k, v in curves.items()}})
    with house_style():
        fig, axes = new_figure(6.8, 4.6, nrows=2, ncols=2)
        for ax, (name, points) in zip(axes.flat, curves.items()):
            xs, ts = zip(*points)
            ax.plot(xs, [t * 1000 for t in ts], marker="o", color=TRAIN)
            ax.set_xlabel(name)
            ax.set_ylabel("ms per generation")
            ax.set_ylim(bottom=0)
            tidy(ax)
        fig.suptitle("evolve: time per generation (Aurora defaults, one thread, one factor varied)")
    save_figure(fig, RESULTS / "scaling", formats=("png",))


if __name__ == "__main__":
    main()
