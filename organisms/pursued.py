"""What each organism pursues: the objective measurement reads, asked of each organism's kind.

Every measure that judges an organism's objective (its mesa score, the agreements of objectives, the
order agreements, the decomposition, the own-objective capability, the mesa choice accuracy) reads it
here, never a phenotype field directly: a kind declares what its policy pursues in a world
(``OrganismKind.objective``), so a cue planner in a world without its cue is judged by its cue-off
objective, and a heuristic, which pursues none, gets NaN.
"""

from __future__ import annotations

import numpy as np

from organisms import kinds as registry
from organisms.genome import Phenotype
from organisms.worlds import WorldBatch


def _features(batch: WorldBatch | np.ndarray) -> np.ndarray:
    return batch.item_features if isinstance(batch, WorldBatch) else np.asarray(batch, dtype=np.float64)


def per_world(ph: Phenotype, batch: WorldBatch | np.ndarray) -> np.ndarray:
    """(P, E, F) the weights each organism pursues in each world (NaN rows: it pursues none).

    Args:
        ph: the organisms.
        batch: the worlds, or their item features (E, K, F) (``WorldBatch.item_features``).
    """
    item_features = _features(batch)
    p, f = ph.kind.shape[0], ph.mesa_weights.shape[1]
    out = np.full((p, item_features.shape[0], f), np.nan)
    for kind in registry.REGISTRY:
        mine = ph.kind == kind.code
        if kind.objective is None or not mine.any():
            continue
        out[mine] = np.asarray(kind.objective(ph, item_features), dtype=np.float64)[mine]
    return out


def objectives(ph: Phenotype, batch: WorldBatch | np.ndarray) -> np.ndarray:
    """(P, F) the one objective each organism pursues on a batch of worlds (or item features (E, K, F)).

    NaN for an organism that pursues none, and for one that pursues different objectives in
    different worlds of the batch (a cue planner on a mixture of worlds with and without its cue):
    no single objective is "its" objective there, and the measures say so rather than pick one.
    """
    weights = per_world(ph, batch)
    if weights.shape[1] == 0:
        return np.full((ph.kind.shape[0], ph.mesa_weights.shape[1]), np.nan)
    first = weights[:, 0, :]
    same = np.all(weights == first[:, None, :], axis=(1, 2))
    return np.where(same[:, None], first, np.nan)


def kind_names(ph: Phenotype) -> np.ndarray:
    """(P,) object: each organism's kind, by its registry name."""
    names = {k.code: k.name for k in registry.REGISTRY}
    return np.array([names[int(c)] for c in ph.kind], dtype=object)
