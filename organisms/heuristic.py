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

from organisms.grid import MOVE_DC, MOVE_DR, MOVES, STAY
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
    """Item utilities under the heuristic weights, and the decay's powers (by repeated multiplication,
    as the reference computes them)."""
    item_utilities(ph.heuristic_weights[o], world.item_features, world.n_items, scratch.util)
    powers = scratch.powers
    decay = ph.decay[o]
    powers[0] = 1.0
    for k in range(1, powers.shape[0]):
        powers[k] = powers[k - 1] * decay
    return 0


@njit(cache=True, inline="always")
def step(ph, o, world, scratch, param, cell, r, c, t, outcome):
    """The best-scoring move (staying wins ties); a heuristic does not search, so compute is 0."""
    n_items, item_pos, neighbours = world.n_items, world.item_pos, world.neighbours
    taken, util, powers = scratch.taken, scratch.util, scratch.powers
    move, best = STAY, 0.0
    for m in range(-1, 4):
        if m == STAY:
            nr, nc = r, c
        elif neighbours[cell, m] == cell:  # blocked
            continue
        else:
            nr, nc = r + MOVE_DR[m], c + MOVE_DC[m]
        score = 0.0
        for i in range(n_items):
            if not taken[i]:
                score += util[i] * powers[abs(nr - item_pos[i, 0]) + abs(nc - item_pos[i, 1])]
        if m == STAY or score > best:
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
)
