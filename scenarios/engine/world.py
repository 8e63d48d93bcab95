"""Sampling worlds from specs: a spec and a seed give the same plain-array world, always."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from organisms import World, kernels
from organisms.seeding import named_seed
from organisms.validation import require_integer
from scenarios.engine.spec import Distribution, ItemKind, WorldSpec

PLACEMENT_TRIES = 100
"""How often a world with too few reachable free cells is redrawn before giving up."""


@dataclass(frozen=True)
class ItemKindTable:
    """The distinct item kinds a distribution produces, with their expected counts per world."""

    names: tuple[str, ...]
    """Item kind names (a name recurs when mixture components give it different features)."""
    features: np.ndarray
    """(K, F) features each item kind adds when taken."""
    requires: np.ndarray
    """(K, F) holdings each item kind needs."""
    expected_counts: np.ndarray
    """(K,) expected number per world, over the mixture's components."""
    index: dict
    """(component, item position in that component's spec) -> item kind row."""


def assessment_seed(seed: int, distribution: str) -> np.random.SeedSequence:
    """Assessment worlds of a distribution: fixed by the assessment seed and the name alone."""
    return named_seed(seed, distribution)


def check_worlds(worlds: Any) -> None:
    """Refuse a number of assessment worlds that is not an integer >= 1."""
    require_integer(worlds, "worlds", lo=1)


def _vector(mapping: dict, features: list[str]) -> np.ndarray:
    return np.array([float(mapping.get(f, 0.0)) for f in features])


def item_kind_table(dist: Distribution, features: list[str]) -> KindTable:
    """Distinct item kinds of a distribution: same name, features and requirements = same item kind."""
    comps = dist.components
    total = sum(w for w, _ in comps)
    rows: dict[tuple, int] = {}
    names, feats, reqs, counts, index = [], [], [], [], {}
    for c, (weight, spec) in enumerate(comps):
        for j, item in enumerate(spec.items):
            fv, rv = _vector(item.features, features), _vector(item.requires, features)
            key = (item.name, tuple(fv), tuple(rv))
            if key not in rows:
                rows[key] = len(names)
                names.append(item.name)
                feats.append(fv)
                reqs.append(rv)
                counts.append(0.0)
            counts[rows[key]] += weight / total * item.expected_count
            index[(c, j)] = rows[key]
    nf = len(features)
    return ItemKindTable(
        names=tuple(names),
        features=np.array(feats).reshape(-1, nf),
        requires=np.array(reqs).reshape(-1, nf),
        expected_counts=np.array(counts),
        index=index,
    )


def _layout_walls(spec: WorldSpec, rng: np.random.Generator) -> np.ndarray:
    h, w = spec.size
    walls = np.zeros((h, w), dtype=bool)
    if spec.layout == "rooms" and h >= 3 and w >= 3:
        mr, mc = h // 2, w // 2
        walls[mr, :] = True
        walls[:, mc] = True
        for lo, hi, fixed, along_row in ((0, mc, mr, True), (mc + 1, w, mr, True),
                                         (0, mr, mc, False), (mr + 1, h, mc, False)):
            door = int(rng.integers(lo, hi))
            if along_row:
                walls[fixed, door] = False
            else:
                walls[door, fixed] = False
    elif spec.layout == "maze":
        walls[:] = True
        lh, lw = (h + 1) // 2, (w + 1) // 2
        seen = np.zeros((lh, lw), dtype=bool)
        stack = [(int(rng.integers(lh)), int(rng.integers(lw)))]
        seen[stack[0]] = True
        walls[2 * stack[0][0], 2 * stack[0][1]] = False
        while stack:  # recursive backtracker: a perfect maze on the even cells
            r, c = stack[-1]
            nbrs = [(r + dr, c + dc) for dr, dc in ((-1, 0), (0, 1), (1, 0), (0, -1))
                    if 0 <= r + dr < lh and 0 <= c + dc < lw and not seen[r + dr, c + dc]]
            if not nbrs:
                stack.pop()
                continue
            nr, nc = nbrs[int(rng.integers(len(nbrs)))]
            seen[nr, nc] = True
            walls[2 * nr, 2 * nc] = False
            walls[r + nr, c + nc] = False
            stack.append((nr, nc))
    return walls


def _start_cell(spec: WorldSpec, walls: np.ndarray, rng: np.random.Generator) -> tuple[int, int]:
    free = np.argwhere(~walls)
    if spec.start == "random":
        return tuple(int(x) for x in free[int(rng.integers(len(free)))])
    h, w = spec.size
    target = np.array([h // 2, w // 2]) if spec.start == "center" else np.array([0, 0])
    nearest = np.abs(free - target).sum(axis=1).argmin()  # ties go to the first in row-major order
    return tuple(int(x) for x in free[nearest])


def _place_by_distance(spec: WorldSpec, counts: list[int], walls: np.ndarray, start: tuple[int, int],
                       cells: np.ndarray, rng: np.random.Generator) -> np.ndarray | None:
    """Item cells honouring each kind's distance from the start, in item order; None if impossible.

    Kinds with a distance rule are placed first (in spec order), so unconstrained items cannot take
    the only cells a constrained kind may use.
    """
    w = walls.shape[1]
    steps = kernels.all_pairs_distances(walls)[start[0] * w + start[1]]
    distance = steps[cells[:, 0] * w + cells[:, 1]].astype(np.int64)
    free = np.ones(len(cells), dtype=bool)
    slots = np.cumsum([0, *counts])
    chosen = np.empty((slots[-1], 2), dtype=np.int64)
    order = sorted(range(len(spec.items)), key=lambda j: spec.items[j].distance is None)
    for j in order:
        lo, hi = spec.items[j].distance or (1, None)
        within = distance >= lo if hi is None else (distance >= lo) & (distance <= hi)
        allowed = np.flatnonzero(free & within)
        if len(allowed) < counts[j]:
            return None
        pick = allowed[rng.choice(len(allowed), size=counts[j], replace=False)]
        free[pick] = False
        chosen[slots[j]:slots[j + 1]] = cells[pick]
    return chosen


def sample_world(spec: WorldSpec, rng: np.random.Generator, features: list[str],
                 item_kinds: list[int]) -> World:
    """Draw one world from a spec.

    Args:
        spec: the world spec.
        rng: the generator to draw from.
        features: the scenario's feature names (outcome order).
        item_kinds: for each of ``spec.items``, its row in the distribution's ``ItemKindTable``.
    """
    counts = [int(rng.integers(it.count_range[0], it.count_range[1] + 1)) for it in spec.items]
    n_items = sum(counts)
    # Specs without a distance rule keep the original draws, so their worlds stay bit for bit the same.
    placed_by_distance = any(it.distance is not None for it in spec.items)
    for _ in range(PLACEMENT_TRIES):
        walls = _layout_walls(spec, rng)
        start = _start_cell(spec, walls, rng)
        if spec.walls > 0:
            free = np.argwhere(~walls)
            free = free[(free[:, 0] != start[0]) | (free[:, 1] != start[1])]
            k = int(round(spec.walls * len(free)))
            for r, c in free[rng.choice(len(free), size=k, replace=False)]:
                walls[r, c] = True
        reach = kernels.reachable_from(walls, start[0], start[1])
        reach[start] = False
        cells = np.argwhere(reach)
        if placed_by_distance:
            chosen = _place_by_distance(spec, counts, walls, start, cells, rng)
            if chosen is not None:
                break
        elif len(cells) >= n_items:
            break
    else:
        if placed_by_distance:
            raise ValueError(
                f"ItemKind.distance: no world drawn in {PLACEMENT_TRIES} tries holds "
                f"{dict(zip([it.name for it in spec.items], counts))} items at the asked distances from the start"
            )
        raise ValueError(
            f"WorldSpec.walls: density {spec.walls} leaves too few cells reachable from the start "
            f"for {n_items} items in {PLACEMENT_TRIES} tries"
        )
    if not placed_by_distance:
        chosen = cells[rng.choice(len(cells), size=n_items, replace=False)] if n_items else cells[:0]
    item_kind = np.repeat(np.array(item_kinds, dtype=np.int64), counts)
    per_item: list[ItemKind] = [it for it, n in zip(spec.items, counts) for _ in range(n)]
    nf = len(features)
    return World(
        walls=walls,
        start=np.array(start, dtype=np.int64),
        steps=spec.steps,
        horizon_scale=spec.horizon_scale,
        item_pos=chosen.astype(np.int64).reshape(-1, 2),
        item_features=np.array([_vector(it.features, features) for it in per_item]).reshape(-1, nf),
        item_requires=np.array([_vector(it.requires, features) for it in per_item]).reshape(-1, nf),
        item_kind=item_kind,
    )


KindTable = ItemKindTable
"""Old name of ``ItemKindTable``."""
kind_table = item_kind_table
"""Old name of ``item_kind_table``."""


def sample_worlds(dist: Distribution, features: list[str], n: int, seed) -> list[World]:
    """Draw ``n`` worlds from a spec or mixture; ``seed`` is anything numpy's default_rng takes."""
    rng = np.random.default_rng(seed)
    comps = dist.components
    table = item_kind_table(dist, features)
    weights = np.array([w for w, _ in comps])
    choice = rng.choice(len(comps), size=n, p=weights / weights.sum())
    worlds = []
    for c in choice:
        spec = comps[int(c)][1]
        rows = [table.index[(int(c), j)] for j in range(len(spec.items))]
        worlds.append(sample_world(spec, rng, features, rows))
    return worlds
