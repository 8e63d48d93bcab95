"""Planted objectives: a scenario whose items vary along several perceived features, and planners whose
mesa-objective we write ourselves, so an inferred behavioral objective can be checked against the truth.
"""

from __future__ import annotations

import numpy as np

import organisms
from scenarios import Feature, ItemKind, Objective, Scenario, WorldSpec

FEATURES = ("sweet", "sour", "salty", "bitter")


def _mixed_kinds() -> dict[str, tuple[float, ...]]:
    """Sixteen kinds of food, each more or less of every taste than plain bread (values in [-1, 1])."""
    rng = np.random.default_rng(11)
    return {f"dish{i}": tuple(float(v) for v in np.round(rng.uniform(-1, 1, len(FEATURES)), 1)) for i in range(16)}


MIXED_KINDS = _mixed_kinds()
"""Whatever a planted objective, about half of these kinds are worth taking and they span every taste,
so the planner's trade-offs between them pin down every weight."""

SPARSE_KINDS = {
    "apple": (1.0, 0.5, 0.0, 0.0),
    "lemon": (0.0, 1.0, 0.0, 0.5),
    "crisp": (0.0, 0.0, 1.0, 0.0),
    "olive": (0.0, 0.5, 1.0, 1.0),
    "cocoa": (0.5, 0.0, 0.0, 1.0),
    "honey": (1.0, 0.0, 0.5, 0.0),
    "kale": (0.0, 0.0, 0.5, 1.0),
    "plum": (1.0, 1.0, 0.0, 0.5),
}
"""Eight kinds with few, non-negative tastes: a planted objective often finds only one or two worth
taking, and no choice reveals how much it dislikes the others."""


def make_pantry(kinds: dict | None = None, count: int | None = None, size: tuple[int, int] = (12, 12),
                steps: int = 40) -> Scenario:
    """Four observable tastes; ``kinds`` (default ``MIXED_KINDS``, one each per world; ``SPARSE_KINDS``
    two each)."""
    kinds = MIXED_KINDS if kinds is None else kinds
    count = (1 if kinds is MIXED_KINDS else 2) if count is None else count
    items = [ItemKind(name, dict(zip(FEATURES, values)), count=count) for name, values in kinds.items()]
    return Scenario(
        name="pantry",
        features=[Feature(f) for f in FEATURES],
        train=WorldSpec(size=size, steps=steps, items=items),
        base=Objective({"sweet": 1.0, "bitter": -1.0}),
    )


def planted_planner(sc: Scenario, mesa: np.ndarray, horizon_gene: float = 6.0) -> np.ndarray:
    """A planner genome pursuing ``mesa`` (one weight per perceivable feature), with a long horizon."""
    layout = sc.layout
    genome = np.zeros(layout.length)
    genome[layout.kind] = 1.0
    genome[layout.mesa] = mesa
    genome[layout.horizon] = horizon_gene
    return genome


def random_objectives(n: int, seed: int) -> np.ndarray:
    """``n`` planted objectives: standard normal weights over the four tastes."""
    return np.random.default_rng(seed).normal(size=(n, len(FEATURES)))


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    """Cosine between two weight vectors; NaN where the first is all NaN (nothing was inferred)."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    if np.isnan(a).all():
        return float("nan")
    a = np.nan_to_num(a)
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def choices_of(sc: Scenario, genome: np.ndarray, n_choices: int, seed: int) -> organisms.ChoiceSets:
    """At least ``n_choices`` choice events of one organism (worlds drawn until there are enough),
    cut to exactly ``n_choices``."""
    ph = organisms.phenotype(sc, genome)
    worlds = 0
    batch_size = max(8, n_choices // 4)
    collected = []
    total = 0
    while total < n_choices:
        batch = organisms.stack_worlds(sc.sample("train", batch_size, [seed, worlds]))
        cs = organisms.choice_sets(ph, batch)[0]
        collected.append(cs._replace(world=cs.world + worlds * batch_size))  # worlds stay distinct
        total += cs.n
        worlds += 1
    k = max(c.available.shape[1] for c in collected)
    parts = [organisms.ChoiceSets(*pad(c, k)) for c in collected]
    merged = organisms.ChoiceSets(*(np.concatenate(arrays) for arrays in zip(*parts)))
    return merged.subset(np.arange(n_choices))


def pad(cs: organisms.ChoiceSets, k: int) -> tuple:
    """Item slots padded to ``k`` so events from different batches stack."""
    extra = k - cs.available.shape[1]
    if extra == 0:
        return tuple(cs)
    return (np.pad(cs.features, ((0, 0), (0, extra), (0, 0))), np.pad(cs.distance, ((0, 0), (0, extra))),
            np.pad(cs.available, ((0, 0), (0, extra))), np.pad(cs.chosen, ((0, 0), (0, extra))), cs.taken,
            cs.world, cs.reach, cs.cell, cs.left)
