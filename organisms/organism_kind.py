"""What an organism kind declares, in one place: the ``OrganismKind`` record that each kind module
fills in (``organisms.heuristic``, ``organisms.planner``) and ``organisms.kinds`` registers.

A kind declares

- its **genome block**: the names of its genes, given the perceivable features (``genes``);
- its **decoding**: that block, for every genome, into phenotype fields (``decode``);
- its **compiled policy**, as two ``@njit(cache=True, inline="always")`` functions with fixed
  signatures (see ``organisms.kinds`` for why the registry dispatches on a kind code)::

      start(ph, o, world, scratch) -> int                                   # once per episode
      step(ph, o, world, scratch, param, cell, r, c, t, outcome) -> (move, compute)  # every step

  with ``ph`` the ``Phenotype`` record, ``o`` the organism, ``world`` a ``worlds.EpisodeWorld``
  (world ``e`` of the batch, as views) and ``scratch`` a ``Scratch``. ``start`` fills
  ``scratch.util`` (the utility of each item, and ``scratch.powers`` if the kind discounts by
  distance) and returns an integer parameter for ``step`` (the planner's search horizon). ``step``
  returns ``grid.STAY`` or 0..3 (N, E, S, W) and the step's compute count; ``cell`` is the
  organism's cell index, ``r, c`` its row and column, ``t`` the step, ``outcome`` what it holds.
  Both run inside ``kernels.run_episodes``, which numba compiles without its reference-counting runtime
  (see there): they may read and write arrays but must not allocate (numba refuses to compile an
  allocation there, which is how the rule "no scratch arrays per episode" is kept);
- its **plain-Python reference**, the same two functions on lists (``reference_start(organism,
  world) -> state`` and ``reference_step(organism, world, state, pos, t, taken, outcome) -> (move or
  None, compute)``), which a test compares with the compiled policy trajectory for trajectory;
- **its matched pursuer** (``pursuer``): the kind whose way of choosing a base-objective pursuer
  with this kind's capabilities uses (``organisms.matched``);
- **what it pursues** (``objective``): per organism and world, the weights its policy searches for,
  or NaN where the kind pursues nothing (a heuristic). Every measure that reads an organism's
  objective asks this hook (``organisms.pursued``), so a cue planner on a world without its cue is
  judged by the objective it pursues there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
from numba import njit

from organisms.grid import CELL


@dataclass(frozen=True)
class OrganismKind:
    """One organism kind: its genome block, decoding, compiled policy and reference policy."""

    name: str
    """The kind's name, as ``organisms.decode`` and ``Config.kinds`` spell it."""
    code: int
    """The kind code the kind gene decodes to, and the compiled dispatch branches on; never reused."""
    plans: bool
    """Whether the kind searches for plans that serve a mesa-objective (``Phenotype.is_planner``)."""
    genes: Callable[[list[str]], list[str]]
    """Names of the kind's block of genes, given the names of the perceivable features."""
    decode: Callable[[np.ndarray, Any], dict[str, np.ndarray]]
    """(P, block) genes and the ``GenomeLayout`` -> the ``Phenotype`` fields it sets (a parameter of
    the kind's own goes in ``traits``, e.g. a second objective or the index of a cue feature)."""
    weight_fields: tuple[str, ...]
    """Fields of ``decode`` that are weights over perceivable features, (P, Fp): spread over every
    feature and zeroed where the organism does not perceive the feature (``traits`` may be one)."""
    start: Any
    """Compiled: ``start(ph, o, world, scratch) -> int`` (once per episode)."""
    step: Any
    """Compiled: ``step(ph, o, world, scratch, param, cell, r, c, t, outcome) -> (move, compute)``."""
    reference_start: Callable[..., Any]
    """Plain Python: ``reference_start(organism, world) -> state``."""
    reference_step: Callable[..., tuple[int | None, int]]
    """Plain Python: ``reference_step(organism, world, state, pos, t, taken, outcome)``."""
    objective: Callable[[Any, np.ndarray], np.ndarray] | None = None
    """``objective(ph, item_features) -> (P, E, F)``: the weights each organism of ``ph`` (all of
    them, whatever their kind; rows of other kinds are ignored) pursues in each world, given the
    worlds' item features (E, K, F), zero where it does not perceive a feature. None: the kind
    pursues no objective (NaN wherever a measure needs one, never a silent 0)."""
    reads: tuple[str, ...] | None = None
    """The ``Phenotype`` fields its policy reads (beside ``kind``); None: every field. Two organisms of
    the kind equal on these fields behave alike, which lets a measure run each distinct one once."""
    pursuer: str | None = None
    """The registered kind whose policy a base-objective pursuer with this kind's capabilities runs
    (``organisms.matched``): None for the kind itself; a kind that plans by another kind's steps
    (the cue-conditional planners step as the planner does) names that kind."""


class Scratch(NamedTuple):
    """Per-episode working arrays, allocated once per runner call (per thread) and reused."""

    taken: np.ndarray
    """(N,) bool: the items taken so far."""
    util: np.ndarray
    """(N,) float64: the utility the organism assigns each item (set by the kind's ``start``)."""
    powers: np.ndarray
    """(H + W + 1,) float64: powers of a decay, for kinds that discount by distance."""
    item_row: np.ndarray
    """(N,) int64: the items' rows, for kinds that read them every step (contiguous, unlike the
    batch's (N, 2) positions, whose row stride the compiled code knows only at run time)."""
    item_col: np.ndarray
    """(N,) int64: the items' columns."""
    route_dist: np.ndarray
    """(N, H*W) int16: per item, the steps to it from every cell around the items a planner avoids
    (``organisms.planner``); valid while ``route_stamp`` holds the episode's count of takes."""
    route_stamp: np.ndarray
    """(N,) int64: the count of takes for which the item's ``route_dist`` row was computed (-1: none)."""
    harmful: np.ndarray
    """(N,) int64: the items a planner avoids this step."""
    blocked: np.ndarray
    """(N,) ``grid.CELL``: their cells."""
    deferred: np.ndarray
    """(N,) int64: candidate targets whose shortest paths may cross an avoided item."""
    queue: np.ndarray
    """(H*W,) ``grid.CELL``: a breadth-first search's queue."""


def new_scratch(n_items: int, h: int, w: int) -> Scratch:
    """Working arrays for episodes of up to ``n_items`` items on grids up to H x W."""
    n, h, w = max(int(n_items), 1), int(h), int(w)
    return Scratch(np.zeros(n, dtype=np.bool_), np.zeros(n), np.ones(h + w + 1),
                   np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64),
                   np.zeros((n, h * w), dtype=np.int16), np.full(n, -1, dtype=np.int64),
                   np.zeros(n, dtype=np.int64), np.zeros(n, dtype=CELL), np.zeros(n, dtype=np.int64),
                   np.zeros(h * w, dtype=CELL))


@njit(cache=True)
def item_utilities(weights, item_feat, n_items, util):
    """``util[i] = weights . features of item i``, summed in feature order (as the reference does)."""
    for i in range(n_items):
        acc = 0.0
        for f in range(item_feat.shape[1]):
            acc += weights[f] * item_feat[i, f]
        util[i] = acc


def reference_utilities(weights, items) -> list[float]:
    """``item_utilities`` for the plain-Python reference: one utility per (cell, features, requires)."""
    utility = []
    for _, features, _ in items:
        acc = 0.0
        for wf, xf in zip(weights, features):
            acc += wf * xf
        utility.append(acc)
    return utility


def sigmoid(x: np.ndarray) -> np.ndarray:
    """The logistic function, as every kind's decoding uses it."""
    return 1.0 / (1.0 + np.exp(-x))
