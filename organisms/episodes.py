"""Running organisms through worlds: a whole population at once, or one recorded episode.

``World``, ``WorldBatch`` and ``stack_worlds`` live in ``organisms.worlds`` (re-exported here).
"""

from __future__ import annotations

import numba
import numpy as np

from organisms import kernels
from organisms.genome import Phenotype
from organisms.worlds import World, WorldBatch, stack_worlds

__all__ = ["World", "WorldBatch", "run_population", "run_population_recorded", "run_recorded", "stack_worlds"]


def run_population(ph: Phenotype, batch: WorldBatch, parallel: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Every organism of ``ph`` in every world of ``batch``, common worlds for all.

    Returns:
        outcomes (P, E, F) and compute (P, E).
    """
    if parallel:
        return kernels.population_episodes_parallel(ph, batch, numba.get_num_threads())
    return kernels.population_episodes(ph, batch)


def run_population_recorded(ph: Phenotype, batch: WorldBatch,
                            parallel: bool = False) -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """``run_population`` with every episode's trajectory kept: outcomes (P, E, F), compute (P, E) and
    ``(paths, taken_ats)``, what ``organisms.choice_events(..., trajectories=...)`` reads instead of
    running the episodes again. The outcomes equal ``run_population``'s bit for bit."""
    threads = numba.get_num_threads() if parallel else 1
    outcomes, compute, trajectories = kernels.population_episodes_recorded(ph, batch, threads)
    return outcomes, compute, trajectories


def run_recorded(ph: Phenotype, organism: int, batch: WorldBatch, world: int) -> dict:
    """One organism in one world with its trajectory: ``path`` (steps + 1, 2), ``taken_at`` (N,)
    (-1 for items never taken), ``outcome`` (F,) and ``compute``."""
    steps = int(batch.steps[world])
    n = int(batch.n_items[world])
    path = np.zeros((steps + 1, 2), dtype=np.int64)
    taken_at = np.full(batch.item_pos.shape[1], -1, dtype=np.int64)
    outcome = np.zeros(batch.item_features.shape[2])
    compute = kernels.episode(ph, organism, batch, world, kernels.batch_scratch(batch), outcome, path, taken_at)
    return {"path": path, "taken_at": taken_at[:n], "outcome": outcome, "compute": int(compute)}
