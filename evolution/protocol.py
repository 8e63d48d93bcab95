"""What the base optimizer needs from a scenario, as code: a ``typing.Protocol`` and a checker.

``evolution`` never imports ``scenarios``: it sees a scenario only through ``EvolvableScenario``.
``check_scenario`` runs the contract on a tiny population, in the spirit of Gymnasium's
``env_checker``: the genome layout is consistent, ``evaluate`` returns one finite fitness per organism
and a log row, the same generation seed gives the same result (the sampled worlds are a function of
the seed), and the scenario survives a JSON round trip through ``to_dict``/``from_dict``. ``evolve``
and ``sweep`` call it on entry, so a broken scenario fails in a second with a message that names the
broken part, not after an hour with a crash in a worker.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable

import numpy as np

from organisms.seeding import seed_child
from organisms.validation import is_integer, is_number

CHECK_SEED = 20_240_601
"""Seed of the checker's tiny population and generation: apart from every run's seed."""

CHECK_EVALUATIONS = 2
"""Calls to ``evaluate`` that ``check_scenario`` makes (a test double counting generations skips them)."""

REQUIRED = ("name", "layout", "evaluate", "assess", "to_dict", "from_dict")
"""What a scenario must have for ``evolve``, ``sweep`` and ``RunResult.load``."""


@runtime_checkable
class EvolvableScenario(Protocol):
    """What ``evolution`` needs from a scenario (``scenarios.Scenario`` implements it)."""

    name: str
    """Short identifier (run directories, progress bars)."""

    @property
    def layout(self) -> Any:
        """The genome layout (an ``organisms.GenomeLayout``): ``length`` genes, the kind gene at ``kind``."""

    def evaluate(self, population: np.ndarray, generation_seed: Any, episodes: int = 8,
                 parallel: bool | int = False) -> tuple[np.ndarray, dict[str, float]]:
        """(P,) fitness on training worlds sampled from ``generation_seed`` alone (shared by every
        organism), and the generation's log columns. ``parallel``: the threads evaluation may use
        (False or 1: one; True: every core; an integer n: at most n), which the scenario sets up
        for the call and restores; the result must not depend on it (``evolve`` passes
        ``Config.workers``, or True for None)."""

    def assess(self, population: np.ndarray, worlds: int = 300, seed: int = 0) -> Any:
        """The assessment table: a DataFrame with a row per (organism, distribution)."""

    # Optional: ``summary_columns``, the assessment columns a run's summary shows (``summary_columns``).

    def to_dict(self) -> dict:
        """Plain JSON-able data from which ``from_dict`` rebuilds an equal scenario."""

    @classmethod
    def from_dict(cls, data: dict) -> EvolvableScenario:
        """The scenario ``to_dict`` describes."""


def summary_columns(scenario: Any) -> tuple[str, ...]:
    """The assessment columns a run's summary shows, as the scenario declares them (its optional
    ``summary_columns``; none declared, none shown): evolution never names an assessment column."""
    return tuple(getattr(scenario, "summary_columns", ()) or ())


class ScenarioCheckError(ValueError):
    """A scenario breaks the contract ``evolution`` relies on."""


def _fail(scenario: Any, message: str) -> ScenarioCheckError:
    name = getattr(scenario, "name", None)
    who = f"scenario {name!r}" if isinstance(name, str) else f"scenario {type(scenario).__name__}"
    return ScenarioCheckError(f"{who}: {message}")


def check_layout(scenario: Any) -> int:
    """The genome length, after checking the layout describes a usable genome."""
    layout = scenario.layout
    length = getattr(layout, "length", None)
    if not is_integer(length) or length < 1:
        raise _fail(scenario, f"layout.length must be an integer >= 1, got {length!r}")
    kind = getattr(layout, "kind", None)
    if not is_integer(kind) or not 0 <= kind < length:
        raise _fail(scenario, f"layout.kind (the kind gene's index) must be in 0..{length - 1}, got {kind!r}")
    if hasattr(layout, "gene_names") and len(layout.gene_names()) != length:
        raise _fail(scenario, f"layout.gene_names() names {len(layout.gene_names())} genes, but "
                              f"layout.length is {length}")
    return int(length)


def _evaluated(scenario: Any, population: np.ndarray, episodes: int) -> tuple[np.ndarray, dict]:
    result = scenario.evaluate(population, seed_child(CHECK_SEED, 0, 0), episodes=episodes, parallel=False)
    if not isinstance(result, tuple) or len(result) != 2:
        raise _fail(scenario, f"evaluate must return (fitness, log columns), got {type(result).__name__}")
    fitness, summary = result
    fitness = np.asarray(fitness)
    n = population.shape[0]
    if fitness.shape != (n,):
        raise _fail(scenario, f"evaluate returned fitness of shape {fitness.shape} for a population of {n}; "
                              f"expected ({n},)")
    if not np.issubdtype(fitness.dtype, np.number) or not np.all(np.isfinite(fitness)):
        raise _fail(scenario, f"evaluate returned a fitness that is NaN or infinite (or not a number): "
                              f"{fitness.tolist()}; selection needs a finite number per organism")
    if not isinstance(summary, Mapping):
        raise _fail(scenario, f"evaluate's log columns must be a dict, got {type(summary).__name__}")
    bad = [k for k, v in summary.items() if not isinstance(k, str) or not is_number(v)]
    if bad:
        raise _fail(scenario, f"evaluate's log columns must map names to numbers; not so for {bad[:5]}")
    return fitness, dict(summary)


def _same(a: dict, b: dict) -> bool:
    return a.keys() == b.keys() and all(
        a[k] == b[k] or (math.isnan(float(a[k])) and math.isnan(float(b[k]))) for k in a)


def check_evaluate(scenario: Any, population: np.ndarray, episodes: int = 2) -> None:
    """Shapes, finiteness and determinism of ``evaluate`` on ``population``."""
    fitness, summary = _evaluated(scenario, population, episodes)
    again, summary_again = _evaluated(scenario, population, episodes)
    if not np.array_equal(fitness, again) or not _same(summary, summary_again):
        changed = [k for k in summary if k in summary_again and not _same({k: summary[k]}, {k: summary_again[k]})]
        raise _fail(scenario, "evaluate is not deterministic: the same population and generation seed gave "
                              f"different results (fitness equal: {np.array_equal(fitness, again)}; log "
                              f"columns that changed: {changed[:5]}); sample worlds from the seed alone")


def check_serialization(scenario: Any) -> None:
    """``to_dict`` is JSON data from which ``from_dict`` rebuilds a scenario with the same data."""
    try:
        data = json.loads(json.dumps(scenario.to_dict()))
    except (TypeError, ValueError) as exc:
        raise _fail(scenario, f"to_dict must return JSON-able data ({exc})") from None
    try:
        rebuilt = scenario.from_dict(data)
    except Exception as exc:
        raise _fail(scenario, f"from_dict(to_dict()) failed: {type(exc).__name__}: {exc}") from None
    if json.loads(json.dumps(rebuilt.to_dict())) != data:
        raise _fail(scenario, "from_dict(to_dict()) rebuilt a different scenario (its to_dict differs)")


def check_assess(scenario: Any, population: np.ndarray, worlds: int = 2) -> None:
    """``assess`` gives a row per organism on each distribution."""
    table = scenario.assess(population, worlds=worlds, seed=0)
    missing = [c for c in ("organism", "distribution") if c not in getattr(table, "columns", ())]
    if missing:
        raise _fail(scenario, f"assess must return a table with columns organism and distribution; missing {missing}")
    n = population.shape[0]
    if sorted(set(table["organism"])) != list(range(n)) or len(table) != n * table["distribution"].nunique():
        raise _fail(scenario, f"assess must give one row per (organism, distribution) for {n} organisms, "
                              f"got {len(table)} rows")


def check_scenario(scenario: Any, population: int = 4, episodes: int = 2, assess: bool = False) -> None:
    """Check that ``scenario`` keeps the contract of ``EvolvableScenario``; raise ``ScenarioCheckError``
    (a ValueError) naming what is broken.

    Args:
        scenario: the scenario to check.
        population: organisms in the tiny test population (random genomes).
        episodes: training worlds per evaluation.
        assess: also check ``assess`` (slower: two assessment worlds per distribution).
    """
    missing = [a for a in REQUIRED if not hasattr(scenario, a)]
    if missing:
        raise _fail(scenario, f"missing {missing}; a scenario needs {list(REQUIRED)} (see evolution.protocol)")
    if not isinstance(scenario.name, str) or not scenario.name:
        raise _fail(scenario, f"name must be a non-empty string, got {scenario.name!r}")
    length = check_layout(scenario)
    genomes = np.random.default_rng(seed_child(CHECK_SEED, 1)).normal(size=(population, length))
    check_evaluate(scenario, genomes, episodes)
    check_serialization(scenario)
    if assess:
        check_assess(scenario, genomes)
