"""Wall time of the behavioral assessment of 150 organisms x 300 worlds on Aurora's two distributions,
new path beside the old one, measured in one run.

    python -m benchmarks.behavioral_fits [--repeats 3] [--old-repeats 1]

The population is Aurora's at its recommended configuration (seed 0, evolved here), and, as the worst
case for the new path, 150 random planners (no two choose alike, so none of their fits is shared).

- new: ``scenarios.behavioral(sc, population, worlds=300)`` with its defaults: compiled Newton fits,
  200 world-bootstrap draws (one Newton step each), 2 folds of worlds for the held-out numbers and the
  distance-only baseline, threads over organisms, one fit per distinct set of choices.
- old: the path this replaced, rebuilt here: per organism scipy's L-BFGS-B on the compiled likelihood,
  20 bootstrap resamples of the choice events each refitted, no held-out numbers.

Results go to ``benchmarks/results/behavioral_fits.json``.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from scipy.optimize import minimize

import evolution
import organisms
import scenarios
from benchmarks.common import median_time, write_result
from organisms.behavioral_objective import _design, varying_features
from organisms.choice_model import chosen_columns, penalised_nll
from scenarios.engine.behavioral_assessment import _data_key
from scenarios.engine.world import assessment_seed

WORLDS = 300


def old_fit(cs: organisms.ChoiceSets, perceives: np.ndarray, bootstrap: int = 20, seed: int = 0) -> np.ndarray:
    """The old fit: L-BFGS-B, then ``bootstrap`` event resamples refitted from the estimate."""
    ident = varying_features(cs, outside_option=False) & perceives
    if not cs.chosen.any() or not ident.any():
        return np.full(cs.features.shape[-1], np.nan)
    columns = np.flatnonzero(ident)
    z, _ = _design(cs, columns)
    chosen = chosen_columns(cs.chosen)

    def fit(rows, start):
        return minimize(penalised_nll, start, args=(z[rows], cs.available[rows], chosen[rows], 1e-4, True),
                        jac=True, method="L-BFGS-B", options={"maxiter": 500, "gtol": 1e-8}).x

    theta = fit(np.arange(cs.n), np.zeros(len(columns) + 1))
    rng = np.random.default_rng(seed)
    for _ in range(bootstrap):
        fit(rng.integers(0, cs.n, size=cs.n), theta)
    return theta


def old_path(sc: scenarios.Scenario, pop: np.ndarray) -> None:
    ph = organisms.phenotype(sc, pop)
    for name in sc.distributions:
        batch = organisms.stack_worlds(sc.sample(name, WORLDS, assessment_seed(0, name)))
        for o, cs in enumerate(organisms.choice_sets(ph, batch)):
            old_fit(cs._replace(reach=None), ph.perceives[o])


def distinct_fits(sc: scenarios.Scenario, pop: np.ndarray) -> int:
    """Fits the new path runs: one per distinct set of choices, per distribution."""
    ph = organisms.phenotype(sc, pop)
    total = 0
    for name in sc.distributions:
        batch = organisms.stack_worlds(sc.sample(name, WORLDS, assessment_seed(0, name)))
        total += len({_data_key(cs, ph.perceives[o]) for o, cs in enumerate(organisms.choice_sets(ph, batch))})
    return total


def random_planners(sc: scenarios.Scenario, n: int = 150) -> np.ndarray:
    pop = np.random.default_rng(1).normal(size=(n, sc.layout.length))
    pop[:, sc.layout.kind] = 1.0
    mesa = pop[:, sc.layout.mesa]
    pop[:, sc.layout.mesa] = mesa + np.array([1.0, -1.0, -2.0, 0.0])[: mesa.shape[1]]  # they take things
    return pop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--old-repeats", type=int, default=1)
    args = parser.parse_args()
    sc = scenarios.get("aurora")
    start = time.perf_counter()
    evolved = evolution.evolve(sc, evolution.Config.for_scenario(sc, seed=0, workers=1), progress=False).population
    print(f"evolved Aurora (seed 0) in {time.perf_counter() - start:.0f} s")
    scenarios.behavioral(sc, evolved[:2], worlds=10)  # compile, outside the timings
    result = {"worlds": WORLDS, "organisms": len(evolved)}
    for label, pop in (("evolved", evolved), ("random_planners", random_planners(sc))):
        table = scenarios.behavioral(sc, pop, worlds=WORLDS)
        distinct = distinct_fits(sc, pop)
        new = median_time(lambda pop=pop: scenarios.behavioral(sc, pop, worlds=WORLDS), repeats=args.repeats)
        old = median_time(lambda pop=pop: old_path(sc, pop), repeats=args.old_repeats)
        result[label] = {"new_s": new, "old_s": old, "speedup": old / new, "distinct_fits": distinct}
        print(f"{label}: new {new:.1f} s (200 world draws, 2 folds, baseline; {distinct} distinct fits of "
              f"{len(table)}), old {old:.1f} s (20 event draws): {old / new:.1f}x")
    write_result("behavioral_fits", result)


if __name__ == "__main__":
    main()
