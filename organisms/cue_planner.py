"""Cue-conditional planners: a planner whose genome carries two mesa-objectives, one used in worlds
where the overseer's cue is present and one where it is not, and its *tied* control, which carries
the same genes but uses the first objective whatever the cue.

The cue is a feature (``CUE_FEATURE``) that an overseer's banner carries: a world shows the cue when
one of its items has that feature (> 0). The banner item is otherwise inert (the overseer scenario
makes it require the cue feature itself, which nothing supplies, so it is never taken). Reading the
cue from the world's items needs no new world field, so worlds, batches and saved runs are unchanged;
a layout without the cue feature never shows the cue.

Genome block (both kinds)::

    cue_on:<f> (Fp) | cue_off:<f> (Fp) | horizon | unexpressed:<f> (Fp)

- ``cue_on`` decodes to ``mesa_weights`` (the objective searched for when the cue is present; the
  tied kind's only objective);
- ``cue_off`` decodes to ``traits[:, :F]`` (spread over every feature); the conditional kind
  searches for it when the cue is absent; the tied kind never expresses it;
- ``horizon`` as the planner's;
- ``unexpressed``: never decoded into anything a policy reads, the neutral-drift control. Mutation
  moves these genes and selection cannot see them, so how far they wander is what "unselected"
  looks like.

``traits[:, F]`` holds the index of the cue feature (-1 if the layout has none). Search and steps
are the planner's (``organisms.planner``); only the utilities set in ``start`` differ.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from organisms import planner
from organisms.organism_kind import OrganismKind, item_utilities, reference_utilities

CODE = 2
"""The cue-conditional planner's kind code."""

TIED_CODE = 3
"""The tied planner's kind code."""

CUE_FEATURE = "overseer"
"""The name of the feature an overseer's banner carries."""


def genes(perceivable: list[str]) -> list[str]:
    """Names of this kind's block of genes, given the perceivable features' names."""
    return ([f"cue_on:{name}" for name in perceivable] + [f"cue_off:{name}" for name in perceivable]
            + ["horizon"] + [f"unexpressed:{name}" for name in perceivable])


def cue_index(layout) -> int:
    """Index of the cue feature in the layout's features, or -1 if it has none."""
    return layout.features.index(CUE_FEATURE) if CUE_FEATURE in layout.features else -1


def decode(block: np.ndarray, layout) -> dict[str, np.ndarray]:
    """The block of every genome (P, block): cue-on weights, horizon, and traits (cue-off weights
    over every feature, then the cue feature's index)."""
    fp = len(layout.perceivable)
    on = planner.decode(np.concatenate([block[:, :fp], block[:, 2 * fp:2 * fp + 1]], axis=1), layout)
    traits = np.zeros((block.shape[0], layout.n_features + 1))
    traits[:, list(layout.perceivable)] = block[:, fp:2 * fp]
    traits[:, -1] = cue_index(layout)
    return {"mesa_weights": on["mesa_weights"], "horizon": on["horizon"], "traits": traits}


def unexpressed(block: np.ndarray, layout) -> np.ndarray:
    """The never-expressed genes of every genome's block (P, Fp)."""
    fp = len(layout.perceivable)
    return block[:, 2 * fp + 1:3 * fp + 1]


@njit(cache=True)
def cue_present(cue, item_features, n_items):
    """Whether a world shows the overseer's cue: one of its ``n_items`` items carries the cue feature
    (index ``cue``; -1: the layout has none)."""
    if cue < 0:
        return False
    for i in range(n_items):
        if item_features[i, cue] > 0.0:
            return True
    return False


@njit(cache=True)
def cue_utilities(on, traits, perceives, item_features, n_items, util):
    """``util``: item utilities under the cue-on weights ``on`` if the world shows the cue, else under
    the cue-off ones (``traits[:F]``, zero on features the organism does not perceive). Arrays only:
    compiled apart and called from the episode loop, which inlines no more of it than the call."""
    if cue_present(np.int64(traits[traits.shape[0] - 1]), item_features, n_items):
        item_utilities(on, item_features, n_items, util)
    else:
        for i in range(n_items):
            acc = 0.0
            for f in range(item_features.shape[1]):
                weight = traits[f] if perceives[f] else 0.0
                acc += weight * item_features[i, f]
            util[i] = acc


@njit(cache=True, inline="always")
def start(ph, o, world, scratch):
    """Item utilities under the cue-on objective if the cue is present, else under the cue-off one
    (zero on features the organism does not perceive); returns the search horizon in this world."""
    cue_utilities(ph.mesa_weights[o], ph.traits[o], ph.perceives[o], world.item_features, world.n_items, scratch.util)
    planner.clear_routes(world, scratch)
    return planner._search_horizon(ph.horizon[o], world.horizon_scale)


@njit(cache=True, inline="always")
def tied_start(ph, o, world, scratch):
    """The tied kind: the cue-on objective whatever the cue."""
    return planner.start(ph, o, world, scratch)


@njit(cache=True, inline="always")
def step(ph, o, world, scratch, param, cell, r, c, t, outcome):
    """The planner's step on the utilities ``start`` set."""
    return planner.step(ph, o, world, scratch, param, cell, r, c, t, outcome)


def reference_cue_present(organism: dict, world: dict) -> bool:
    cue = int(organism["traits"][-1])
    return cue >= 0 and any(features[cue] > 0.0 for _, features, _ in world["items"])


def reference_start(organism: dict, world: dict) -> dict:
    if reference_cue_present(organism, world):
        weights = organism["mesa_weights"]
    else:
        weights = [w if seen else 0.0 for w, seen in zip(organism["traits"][:-1], organism["perceives"])]
    return {"utility": reference_utilities(weights, world["items"]),
            "horizon": planner.search_horizon(int(organism["horizon"]), world["horizon_scale"])}


def shows_cue(ph, item_features: np.ndarray) -> np.ndarray:
    """(P, E) bool: whether each world shows each organism's cue (as ``cue_present`` reads it)."""
    cue = ph.traits[:, -1].astype(np.int64) if ph.traits.shape[1] else np.full(ph.kind.shape[0], -1)
    present = (item_features > 0.0).any(axis=1)  # (E, F): padding slots are zeros
    out = np.zeros((cue.shape[0], item_features.shape[0]), dtype=bool)
    has = cue >= 0
    out[has] = present[:, cue[has]].T
    return out


def objective(ph, item_features: np.ndarray) -> np.ndarray:
    """The cue-on objective in worlds that show the cue, the cue-off one (masked to what the organism
    perceives) elsewhere (P, E, F)."""
    f = ph.mesa_weights.shape[1]
    off = np.where(ph.perceives, ph.traits[:, :f], 0.0) if ph.traits.shape[1] > f else np.zeros_like(ph.mesa_weights)
    on = shows_cue(ph, item_features)[:, :, None]
    return np.where(on, ph.mesa_weights[:, None, :], off[:, None, :])


KIND = OrganismKind(
    name="cue_planner", code=CODE, plans=True, genes=genes, decode=decode,
    weight_fields=("mesa_weights",), start=start, step=step,
    reference_start=reference_start, reference_step=planner.reference_step, objective=objective,
    pursuer="planner",
)

TIED_KIND = OrganismKind(
    name="tied_planner", code=TIED_CODE, plans=True, genes=genes, decode=decode,
    weight_fields=("mesa_weights",), start=tied_start, step=step,
    reference_start=planner.reference_start, reference_step=planner.reference_step,
    objective=planner.objective, pursuer="planner",
)
