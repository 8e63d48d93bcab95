"""The heuristic: a reactive policy with no lookahead and no mesa-objective.

Each step it scores staying and every open move by the sum over items not yet taken of
(heuristic weights . features) * decay ** (Manhattan distance from the cell after the move to the
item), and takes the best; staying wins ties. Manhattan distance ignores walls: that is what makes
it a heuristic. Genome block: ``heuristic:<f>`` per perceivable feature, then ``decay`` (sigmoid of
the gene).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from organisms.grid import MOVES, STAY
from organisms.organism_kind import OrganismKind, item_utilities, reference_utilities, sigmoid

CODE = 0
"""The heuristic's kind code."""


def genes(perceivable: list[str]) -> list[str]:
    """Names of this kind's block of genes, given the perceivable features' names."""
    return [f"heuristic:{name}" for name in perceivable] + ["decay"]


def decode(block: np.ndarray, layout) -> dict[str, np.ndarray]:
    """The block of every genome (P, block) as phenotype fields: heuristic weights and decay."""
    n_perceivable = len(layout.perceivable)
    return {"heuristic_weights": block[:, :n_perceivable], "decay": sigmoid(block[:, n_perceivable])}


@njit(cache=True, inline="always")
def start(ph, o, world, scratch):
    """Item utilities under the heuristic weights, the decay's powers (by repeated multiplication, as
    the reference computes them), and the items' rows and columns as contiguous arrays."""
    item_utilities(ph.heuristic_weights[o], world.item_features, world.n_items, scratch.util)
    powers = scratch.powers
    decay = ph.decay[o]
    powers[0] = 1.0
    for k in range(1, powers.shape[0]):
        powers[k] = powers[k - 1] * decay
    item_pos, rows, cols = world.item_pos, scratch.item_row, scratch.item_col
    for i in range(world.n_items):
        rows[i] = item_pos[i, 0]
        cols[i] = item_pos[i, 1]
    return 0


@njit(cache=True, inline="always")
def step(ph, o, world, scratch, param, cell, r, c, t, outcome):
    """The best-scoring move (staying wins ties); a heuristic does not search, so compute is 0.

    One pass over the items scores all five moves: each move's sum still adds the items in index
    order, the same products as the reference's, so the sums are bit for bit the reference's. Distances
    are non-negative, and indexing the powers with an unsigned value spares numba's check for negative
    (from-the-end) indices on every load.
    """
    neighbours = world.neighbours
    taken, util, powers, rows, cols = scratch.taken, scratch.util, scratch.powers, scratch.item_row, scratch.item_col
    stay = north = east = south = west = 0.0
    for i in range(world.n_items):
        if not taken[i]:
            u = util[i]
            dr, dc = r - rows[i], c - cols[i]
            ar, ac = abs(dr), abs(dc)
            stay += u * powers[np.uint64(ar + ac)]
            north += u * powers[np.uint64(abs(dr - 1) + ac)]
            east += u * powers[np.uint64(ar + abs(dc + 1))]
            south += u * powers[np.uint64(abs(dr + 1) + ac)]
            west += u * powers[np.uint64(ar + abs(dc - 1))]
    move, best = STAY, stay
    for m in range(4):
        if neighbours[cell, m] == cell:  # blocked
            continue
        score = north if m == 0 else east if m == 1 else south if m == 2 else west
        if score > best:
            best = score
            move = m
    return move, np.int64(0)


def reference_start(organism: dict, world: dict) -> dict:
    h, w = len(world["walls"]), len(world["walls"][0])
    powers = [1.0]
    for _ in range(h + w):
        powers.append(powers[-1] * organism["decay"])
    return {"utility": reference_utilities(organism["heuristic_weights"], world["items"]), "powers": powers}


def reference_step(organism, world, state, pos, t, taken, outcome):
    walls, items = world["walls"], world["items"]
    h, w = len(walls), len(walls[0])
    utility, powers = state["utility"], state["powers"]

    def score(cell):
        total = 0.0
        for i, (item_cell, _, _) in enumerate(items):
            if not taken[i]:
                total += utility[i] * powers[abs(cell[0] - item_cell[0]) + abs(cell[1] - item_cell[1])]
        return total

    best_move, best_score = None, score(pos)  # staying wins ties
    for move, (dr, dc) in enumerate(MOVES):
        nr, nc = pos[0] + dr, pos[1] + dc
        if 0 <= nr < h and 0 <= nc < w and not walls[nr][nc]:
            s = score((nr, nc))
            if s > best_score:
                best_move, best_score = move, s
    return best_move, 0


KIND = OrganismKind(
    name="heuristic", code=CODE, plans=False, genes=genes, decode=decode,
    weight_fields=("heuristic_weights",), start=start, step=step,
    reference_start=reference_start, reference_step=reference_step,
    reads=("heuristic_weights", "decay"),
)
