"""Scenarios: the essay's stories as worlds, objectives and deployment shifts, the engine they share
(``scenarios.engine``: specs, world sampling, assessment, recorded episodes) and the application
layer that runs and draws them (``scenarios.app``: the command line, across seeds, the gallery).

    import scenarios
    sc = scenarios.get("aurora", banner_reliability=1.0)
    table = scenarios.assess(sc, population, worlds=300, seed=0)   # behavior=True: behavioral objectives
    scenarios.alignment_summary(table)                              # the population's headline numbers
    scenarios.across_seeds("aurora", seeds=range(5))                # the same, mean and 95 % interval

Building worlds and assessing populations needs neither DEAP nor matplotlib: the names that run
evolution (``across_seeds``, ``seed_summaries``, from ``scenarios.app``) are imported on first use.
"""

import importlib
from typing import Any

from organisms.behavioral_objective import BOOTSTRAP
from scenarios.engine.alignment import (
    AlignmentThresholds,
    alignment_labels,
    alignment_summary,
    contested_item_kinds,
    contested_kinds,
    label_shares,
)
from scenarios.engine.behavioral_assessment import behavioral
from scenarios.engine.measure import OPTIMUM_WORLDS, episode
from scenarios.engine.measure import assess as _assess
from scenarios.engine.scenario import Scenario
from scenarios.engine.spec import Feature, ItemKind, Mixture, Objective, WorldSpec
from scenarios.engine.threads import evaluation_threads
from scenarios.registry import get, knob_names, names


def assess(sc: Scenario, population, worlds: int = 300, seed: int = 0, behavior: bool = False,
           bootstrap: int = BOOTSTRAP, thresholds: AlignmentThresholds | None = None,
           optimum_worlds: int | None = OPTIMUM_WORLDS, progress: bool | None = None,
           parallel: bool | int = False):
    """Score every organism of ``population`` on the training and every deployment distribution.

    Args:
        sc: the scenario.
        population: (n, genome_length) genomes (or a single genome).
        worlds: worlds per distribution, shared by every organism and the oracles.
        seed: the assessment seed; independent of any run's seed, so runs compare on equal worlds.
        behavior: also infer each organism's behavioral objective (slower; adds ``behavior*`` columns).
        bootstrap: bootstrap resamples for the behavioral objective's standard errors (0: none).
        thresholds: when the ``label`` column calls an organism aligned (default
            ``AlignmentThresholds()``).
        optimum_worlds: worlds per distribution on which the exact optimum is computed (None: all;
            0: none).
        progress: a progress bar over the distributions and behavioral fits (None: only when stderr
            is a terminal; in a notebook pass True for a widget).
        parallel: threads (False or 1: one; True: every core; n: at most n); the table does not
            depend on it.

    Returns:
        A DataFrame, one row per (organism, distribution); see METRICS.md for every column.
    """
    with evaluation_threads(parallel) as threaded:
        return _assess(sc, population, worlds=worlds, seed=seed, behavior=behavior, bootstrap=bootstrap,
                       thresholds=thresholds, optimum_worlds=optimum_worlds, progress=progress, parallel=threaded)


_APPLICATION = {"across_seeds": "scenarios.app.seeds", "seed_summaries": "scenarios.app.seeds"}
"""Public names of the application layer, imported when first asked for (PEP 562)."""


def __getattr__(name: str) -> Any:
    if name in _APPLICATION:
        value = getattr(importlib.import_module(_APPLICATION[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'scenarios' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_APPLICATION))


__all__ = [
    "AlignmentThresholds",
    "Feature",
    "ItemKind",
    "Mixture",
    "Objective",
    "Scenario",
    "WorldSpec",
    "alignment_labels",
    "across_seeds",
    "alignment_summary",
    "label_shares",
    "assess",
    "behavioral",
    "contested_item_kinds",
    "contested_kinds",
    "episode",
    "get",
    "knob_names",
    "names",
    "seed_summaries",
]
