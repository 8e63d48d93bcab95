"""Plain-Python reference of the episode: the same loop as ``organisms.kernels``, written to be read,
with each kind's reference policy (a planner searches afresh every step instead of reading a
precomputed distance table).

Tests compare the compiled kernels with this module trajectory for trajectory; benchmarks use it as
the "quick DEAP script" baseline. ``reference_organism`` and ``reference_world`` turn a phenotype row
and a sampled world into the plain lists and tuples this module takes.
"""

from __future__ import annotations

from organisms import kinds
from organisms.genome import Phenotype
from organisms.grid import MOVES, bfs
from organisms.worlds import World, reference_can_take

__all__ = ["MOVES", "bfs", "reference_organism", "reference_world", "run_episode"]


def reference_organism(ph: Phenotype, organism: int) -> dict:
    """One organism of a phenotype as the reference takes it: every field, as Python numbers and lists."""
    out = {field: getattr(ph, field)[organism].tolist() for field in ph._fields}
    out["is_planner"] = bool(ph.is_planner[organism])
    return out


def reference_world(world: World) -> dict:
    """One world as the reference takes it (lists and tuples)."""
    return {
        "walls": world.walls.tolist(),
        "start": (int(world.start[0]), int(world.start[1])),
        "steps": int(world.steps),
        "horizon_scale": float(world.horizon_scale),
        "items": [
            ((int(p[0]), int(p[1])), [float(x) for x in f], [float(x) for x in q])
            for p, f, q in zip(world.item_pos, world.item_features, world.item_requires)
        ],
    }


def run_episode(organism: dict, world: dict, part_way: dict | None = None) -> dict:
    """Run one organism through one world.

    Args:
        organism: ``kind`` (a kind code) and the phenotype fields its kind reads (weights already
            masked to what the organism perceives), as ``reference_organism`` gives them.
        world: ``walls`` (H x W of bool), ``start`` (r, c), ``steps``, ``horizon_scale``, and
            ``items``: a list of (cell, features, requires).
        part_way: begin part-way through and stop at the first take (``kernels.EpisodeStarts``):
            ``cell`` (r, c), ``step``, ``gone`` (per item: already taken) and ``held`` (per feature).

    Returns:
        ``outcome`` (list per feature), ``compute`` (int), ``path`` (cells from the first step on)
        and ``taken_at`` (per item: the step it was taken, or -1).
    """
    kind = kinds.by_code(int(organism["kind"]))
    items = world["items"]
    n_features = len(organism["mesa_weights"])
    outcome = [0.0] * n_features if part_way is None else [float(x) for x in part_way["held"]]
    taken = [False] * len(items) if part_way is None else [bool(x) for x in part_way["gone"]]
    taken_at = [-1] * len(items)
    state = kind.reference_start(organism, world)
    pos = tuple(int(x) for x in (world["start"] if part_way is None else part_way["cell"]))
    path = [pos]
    compute = 0
    first = 0 if part_way is None else int(part_way["step"])
    for t in range(first, int(world["steps"])):
        move, cost = kind.reference_step(organism, world, state, pos, t, taken, outcome)
        compute += cost
        if move is not None:
            pos = (pos[0] + MOVES[move][0], pos[1] + MOVES[move][1])
            for i, (cell, features, requires) in enumerate(items):
                if not taken[i] and cell == pos:
                    if reference_can_take(outcome, requires):
                        taken[i] = True
                        taken_at[i] = t + 1
                        for f in range(n_features):
                            outcome[f] += features[f] - requires[f]
                    break
        path.append(pos)
        if part_way is not None and t + 1 in taken_at:
            break
    return {"outcome": outcome, "compute": compute, "path": path, "taken_at": taken_at}
