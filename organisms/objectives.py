"""Linear objectives over the outcome vector, and how much two of them agree.

Every objective here is a weight vector w over features: utility = w . outcome. Agreement between
two objectives on a distribution D is the weighted Pearson correlation between the utilities they
give the distinct item kinds that D produces, weighted by the kinds' expected counts; the cosine
agreement is the same without centring (so it sees offsets and signs); contested item kinds are those a
distribution shift turns from good to bad or reorders.
"""

from __future__ import annotations

import numpy as np


def weighted_pearson(a: np.ndarray, b: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weighted Pearson correlation between rows of ``a`` and ``b`` (broadcast over leading axes).

    Args:
        a, b: (..., K) values over K item kinds.
        weights: (K,) non-negative weights (expected counts).

    Returns:
        (...) correlations in [-1, 1]; NaN where either side does not vary over the item kinds.
    """
    wts = np.asarray(weights, dtype=np.float64)
    wts = wts / wts.sum()
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    da = a - (a * wts).sum(axis=-1, keepdims=True)
    db = b - (b * wts).sum(axis=-1, keepdims=True)
    cov = (wts * da * db).sum(axis=-1)
    va = (wts * da * da).sum(axis=-1)
    vb = (wts * db * db).sum(axis=-1)
    # A spread below float noise means "does not vary": the correlation is undefined, not 0.
    tiny = 1e-12
    ok = (va > tiny * (1.0 + (a * a).max(axis=-1))) & (vb > tiny * (1.0 + (b * b).max(axis=-1)))
    with np.errstate(invalid="ignore", divide="ignore"):
        r = cov / np.sqrt(va * vb)
    return np.where(ok, np.clip(r, -1.0, 1.0), np.nan)


def _compare_on_item_kinds(compare, min_item_kinds: int, weights_a, weights_b, item_features, item_counts) -> np.ndarray:
    """``compare`` the utilities two objectives give a distribution's item kinds (NaN with too few kinds)."""
    item_features = np.asarray(item_features, dtype=np.float64)
    ua = np.asarray(weights_a, dtype=np.float64) @ item_features.T
    ub = np.asarray(weights_b, dtype=np.float64) @ item_features.T
    if item_features.shape[0] < min_item_kinds:
        return np.full(np.broadcast_shapes(ua.shape, ub.shape)[:-1], np.nan)
    ua, ub = np.broadcast_arrays(ua, ub)
    return compare(ua, ub, item_counts)


def agreement(weights_a: np.ndarray, weights_b: np.ndarray, item_features: np.ndarray,
              item_counts: np.ndarray) -> np.ndarray:
    """agreement(A, B; D) for objectives given as weight vectors.

    Args:
        weights_a: (..., F) objective A (e.g. organisms' mesa-objectives, masked to what each perceives).
        weights_b: (F,) or (..., F) objective B (e.g. the base objective).
        item_features: (K, F) features of the distinct item kinds D produces.
        item_counts: (K,) their expected counts per world.

    Returns:
        (...) agreements; NaN where undefined (fewer than two item kinds, or a constant utility).
    """
    return _compare_on_item_kinds(weighted_pearson, 2, weights_a, weights_b, item_features, item_counts)


def weighted_cosine(a: np.ndarray, b: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weighted uncentred cosine between rows of ``a`` and ``b``: sum(w a b) / sqrt(sum(w a^2) sum(w b^2)).

    Unlike Pearson correlation it keeps offsets: utilities u and u + 5 have Pearson 1 but a cosine
    below 1 wherever u is negative (the organism would take what the other objective calls harmful).

    Returns:
        (...) cosines in [-1, 1]; NaN where either side is zero on every item kind.
    """
    wts = np.asarray(weights, dtype=np.float64)
    wts = wts / wts.sum()
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    dot = (wts * a * b).sum(axis=-1)
    na = (wts * a * a).sum(axis=-1)
    nb = (wts * b * b).sum(axis=-1)
    tiny = 1e-24
    ok = (na > tiny) & (nb > tiny)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = dot / np.sqrt(na * nb)
    return np.where(ok, np.clip(r, -1.0, 1.0), np.nan)


def cosine_agreement(weights_a: np.ndarray, weights_b: np.ndarray, item_features: np.ndarray,
                     item_counts: np.ndarray) -> np.ndarray:
    """Sign-aware agreement: the uncentred cosine between the utilities A and B give the item kinds of
    a distribution, weighted by expected counts (arguments as for ``agreement``).

    Returns:
        (...) cosines; NaN where undefined (no item kinds, or an objective that values every kind 0).
    """
    return _compare_on_item_kinds(weighted_cosine, 1, weights_a, weights_b, item_features, item_counts)


def contested(train_values: np.ndarray, shifted_values: np.ndarray) -> np.ndarray:
    """Which item kinds are contested by a shift: their base value changes sign, or their rank among
    the item kinds changes, between training and the shifted distribution.

    Args:
        train_values, shifted_values: (K,) base values of the same K item kinds in either distribution.

    Returns:
        (K,) bool.
    """
    a = np.asarray(train_values, dtype=np.float64)
    b = np.asarray(shifted_values, dtype=np.float64)
    tol = 1e-9 * (1.0 + np.abs(np.concatenate([a, b])).max(initial=0.0))
    sign_a = np.where(np.abs(a) <= tol, 0, np.sign(a))
    sign_b = np.where(np.abs(b) <= tol, 0, np.sign(b))
    return (sign_a != sign_b) | (_ranks(a, tol) != _ranks(b, tol))


def _ranks(values: np.ndarray, tol: float) -> np.ndarray:
    """Rank of each value (1 = smallest); values within ``tol`` of each other share the average rank."""
    less = (values[None, :] < values[:, None] - tol).sum(axis=1)
    equal = (np.abs(values[None, :] - values[:, None]) <= tol).sum(axis=1)
    return less + (equal + 1) / 2.0
