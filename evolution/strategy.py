"""The base-optimizer seam: an ask/tell strategy with explicit, serializable state.

In the manner of DEAP's ``eaGenerateUpdate`` (``generate`` / ``update``) and evosax's
``init`` / ``ask`` / ``tell``: a strategy object holds only static settings (the ``Config`` and its
own validated options); everything that changes from generation to generation lives in a frozen
state dataclass that the strategy returns and the loop hands back. The loop (``evolution.loop``)
is the same for every strategy::

    state = strategy.init(seed (2,))
    each generation g:   genomes = repair(strategy.ask(state))      # the kind gene clamped
                         fitness = scenario.evaluate(genomes, seed (0, g))
                         log row: shared columns + strategy.diagnostics(state)
                         state = strategy.tell(state, genomes, fitness, seed (1, g))
                         checkpoint: state_record(state) -> JSON + npz

Randomness enters only through the seeds ``init`` and ``tell`` are given (``ask`` is pure), so a
state written to a checkpoint and read back continues the run bit for bit. ``tell`` sees the
repaired genomes, the ones that were evaluated. After the last generation ``tell`` is not called:
nothing would ask again, and the run's result is the last evaluated population.

Adding a base optimizer, in four steps:

1. In a module of its own (``evolution/<name>.py``), subclass ``Strategy``: a ``name``, an
   ``title``, an ``Options`` frozen dataclass (a docstring per field; validate in ``__post_init__`` with
   ``organisms.validation``; shared settings such as ``population`` come from the ``Config``, unless
   the options hold a ``population`` of their own that is not None: ``Strategy.population``), a
   ``State`` frozen dataclass whose fields are numpy arrays (saved in npz) or JSON values (numbers,
   strings, lists), and ``init``, ``ask``, ``tell``; ``check_state`` for the shapes a checkpoint
   must have, ``diagnostics`` for extra log columns (a step size, a gradient norm).
2. Draw every random number from the ``SeedSequence`` that ``init`` or ``tell`` receives (numpy's
   ``default_rng(seed)``; DEAP's global ``random`` through ``organisms.seeding.seed_python_random``,
   numpy's global generator, which DEAP's CMA-ES samples from, through ``seed_numpy_random``).
3. Add it to ``OPTIMIZERS`` in ``evolution/optimizers.py``: ``Config(optimizer="<name>",
   optimizer_options={...})`` then selects it and validates its options.
4. The tests parametrised over ``OPTIMIZERS`` (``tests/evolution/test_optimizers.py``) now walk it:
   determinism, a checkpoint round trip of its state, kill-and-resume to the identical log.
"""

from __future__ import annotations

import dataclasses
from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np


@dataclasses.dataclass(frozen=True)
class NoOptions:
    """A strategy without options of its own."""


class Strategy(ABC):
    """A base optimizer: ``init`` / ``ask`` / ``tell`` over an explicit, serializable state.

    Args:
        config: the run's ``evolution.Config`` (shared fields: population, elite, sigma, ...).
        genome_length: genes per organism (the scenario's ``layout.length``).
    """

    name: ClassVar[str]
    """The key ``Config.optimizer`` selects this strategy by."""
    title: ClassVar[str] = ""
    """What it is, in a few words (help texts and docstrings list optimizers by ``name`` and this)."""
    Options: ClassVar[type] = NoOptions
    """Frozen dataclass of the strategy's own options (``Config.optimizer_options``)."""
    State: ClassVar[type]
    """Frozen dataclass of everything that changes between generations."""

    def __init__(self, config: Any, genome_length: int):
        self.config = config
        self.genome_length = int(genome_length)
        self.options = self.Options(**config.optimizer_options)

    @property
    def population(self) -> int:
        """Genomes ``ask`` returns each generation: the Config's ``population`` unless the strategy's
        own options set another."""
        own = getattr(self.options, "population", None)
        return self.config.population if own is None else own

    @classmethod
    def check_options(cls, options: Mapping[str, Any]) -> dict[str, Any]:
        """Every option with its value (given or default), validated; an unknown option is a
        ``ValueError`` naming it and the valid ones."""
        if not isinstance(options, Mapping):
            raise ValueError(f"Config.optimizer_options: must be a mapping, got {type(options).__name__}")
        valid = [f.name for f in dataclasses.fields(cls.Options)]
        unknown = sorted(set(options) - set(valid))
        if unknown:
            raise ValueError(f"Config.optimizer_options: unknown option(s) {unknown} for optimizer "
                             f"{cls.name!r}; its options are {valid}")
        return dataclasses.asdict(cls.Options(**options))

    @classmethod
    def check_config(cls, config: Any) -> None:
        """Raise ``ValueError`` if the options (``config.optimizer_options``, complete and validated)
        do not fit the rest of the Config (an elite larger than the population, say)."""
        return None

    @abstractmethod
    def init(self, seed: np.random.SeedSequence) -> Any:
        """The state before the first generation (the initial genomes drawn from ``seed``)."""

    @abstractmethod
    def ask(self, state: Any) -> np.ndarray:
        """The genomes to evaluate next, ``(self.population, genome_length)``: a new array, never a view of
        the state (the loop repairs it in place)."""

    @abstractmethod
    def tell(self, state: Any, genomes: np.ndarray, fitness: np.ndarray,
             seed: np.random.SeedSequence) -> Any:
        """The next state, from the evaluated (repaired) ``genomes`` and their ``fitness``; every
        random draw comes from ``seed``."""

    def diagnostics(self, state: Any) -> dict[str, float]:
        """Extra log columns for the generation ``state`` was asked for (none by default)."""
        return {}

    @abstractmethod
    def check_state(self, state: Any) -> None:
        """Raise ``ValueError`` if a state read from a checkpoint cannot belong to this run (shapes,
        finiteness)."""

    def state_record(self, state: Any) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        """The state as (JSON fields, arrays): what a checkpoint writes, all of which it reads."""
        values = {f.name: getattr(state, f.name) for f in dataclasses.fields(self.State)}
        arrays = {k: v for k, v in values.items() if isinstance(v, np.ndarray)}
        return {k: v for k, v in values.items() if k not in arrays}, arrays

    def state_from_record(self, fields: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> Any:
        """The state ``state_record`` wrote; unknown, missing or doubled fields are a ``ValueError``."""
        names = [f.name for f in dataclasses.fields(self.State)]
        given = [*fields, *arrays]
        unknown = sorted(set(given) - set(names))
        missing = [n for n in names if n not in given]
        if unknown or missing or len(given) != len(set(given)):
            raise ValueError(f"the {self.name!r} strategy state has fields {names}; got {sorted(given)}")
        state = self.State(**fields, **arrays)
        self.check_state(state)
        return state
