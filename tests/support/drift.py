"""Synthetic gene trajectories with known selection: a small GA (tournament, uniform crossover, Gaussian
mutation, as the base optimizer's defaults) on genomes of an expressed block, whose genes fitness may
read, and a never-expressed block, which nothing reads."""

from __future__ import annotations

import numpy as np


def evolve_genes(selection: float, seed: int, population: int = 60, generations: int = 20, features: int = 3,
                 tournament: int = 3, sigma: float = 0.3, mutation: float = 0.2) -> np.ndarray:
    """(population, 2 * features) the final genes: the expressed block, then the never-expressed one.

    Fitness is ``selection`` times the sum of the expressed genes plus N(0, 1) noise per organism (0: the
    expressed block is as unselected as the never-expressed one).
    """
    rng = np.random.default_rng(seed)
    genes = rng.normal(size=(population, 2 * features))
    for _ in range(generations):
        fitness = selection * genes[:, :features].sum(axis=1) + rng.normal(size=population)
        entrants = rng.integers(population, size=(population, tournament))
        parents = genes[entrants[np.arange(population), fitness[entrants].argmax(axis=1)]]
        mates = parents[rng.permutation(population)]
        cross = (rng.random(population) < 0.5)[:, None] & (rng.random(parents.shape) < 0.5)
        children = np.where(cross, mates, parents)
        children += np.where(rng.random(children.shape) < mutation, rng.normal(0.0, sigma, children.shape), 0.0)
        genes = children
    return genes


def final_shifts(selection: float, seed: int, features: int = 3, **kwargs) -> np.ndarray:
    """(features,) the final population's mean expressed gene minus its mean never-expressed gene."""
    genes = evolve_genes(selection, seed, features=features, **kwargs)
    return genes[:, :features].mean(axis=0) - genes[:, features:].mean(axis=0)


def rms_ratio(selection: float, seed: int, features: int = 3, **kwargs) -> float:
    """The old control's statistic on the same run: rms of the expressed block over rms of the
    never-expressed block (a window [0.5, 2] on it was read as "no selection")."""
    genes = evolve_genes(selection, seed, features=features, **kwargs)
    return float(np.sqrt((genes[:, :features] ** 2).mean()) / np.sqrt((genes[:, features:] ** 2).mean()))
