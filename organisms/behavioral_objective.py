"""The behavioral objective: the linear objective over perceived features that best explains what an
organism chose, for any organism (Hubinger et al.'s "behavioral objective").

Choice model (conditional logit with an outside option). At each choice event (see
``organisms.choices``) the organism sets off toward item i of its choice set with probability
proportional to exp(beta . x_i - gamma * d_i), or takes nothing more with probability proportional to
exp(0). This is a planner's own rule made stochastic: a planner targets
argmax(mesa . x_i - C_DIST * d_i) and stays where that is not positive, so for a planner beta / gamma
estimates mesa / C_DIST. Where the trajectory leaves open which of several items the organism set off
toward (one lay on the way to the other), the event's likelihood is that of the set: the sum of their
probabilities.

A deterministic chooser makes the data separable and the plain maximum-likelihood estimate diverges,
so we minimise the mean negative log-likelihood plus ``penalty`` / 2 * |(beta, gamma)|^2 (L-BFGS-B,
analytic gradient), each covariate first divided by its root mean square over the choice sets' items
so that the penalty does not depend on the features' units. Only the direction of the estimate is
reported: ``weights`` are beta scaled to unit norm, ``distance`` is gamma on the same scale.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize

from organisms.choice_model import chosen_columns, penalised_nll
from organisms.choices import ChoiceSets
from organisms.genome import C_DIST
from organisms.validation import is_integer

PENALTY = 1e-4
"""Default L2 penalty on the mean negative log-likelihood, on standardised coefficients (small: it is
there to keep a deterministic chooser's estimate finite; larger values pull the estimate toward the
mean direction of the choices and cost accuracy on planners)."""

BOOTSTRAP = 20
"""Default bootstrap resamples of the choice events, for standard errors (0 turns them off)."""

MIN_CHOICES = 20
"""Fewer choice events than this (in which something was taken) is too little to fit an objective."""

VARIES = 1e-9
"""A feature varies within a choice set where its values over the set's items span more than this."""


@dataclass(frozen=True)
class BehavioralObjective:
    """What an organism's choices reveal; NaN throughout, with a ``reason``, where they reveal nothing."""

    weights: np.ndarray
    """(F,) beta scaled to unit norm over the identifiable features; NaN on the others."""
    se: np.ndarray
    """(F,) bootstrap standard errors of ``weights`` (NaN without bootstrap or where weights are NaN)."""
    distance: float
    """gamma on the scale of ``weights``: utility lost per step of distance."""
    accuracy: float
    """Share of choice events whose choice the fitted model ranks first (in-sample)."""
    choices: int
    """Choice events the fit used (outside-option events included)."""
    identifiable: np.ndarray
    """(F,) bool: perceived and varying among the items of at least one choice set."""
    rank: int = 0
    """Independent directions the choice sets vary in, over the identifiable features. Below their
    number, features are confounded: only combinations are identified (Aurora's banner and diplomacy
    on training worlds, where the proxy is perfect), and the penalty splits weight between them."""
    reason: str = ""
    """Empty when fitted; otherwise why every number is NaN."""

    @property
    def ok(self) -> bool:
        return not self.reason

    def mesa_equivalent(self) -> np.ndarray:
        """The weights rescaled so the distance coefficient is C_DIST: a planner with this mesa-objective
        (zeros where NaN) makes the fitted choices. NaN where the fit found no distance aversion."""
        if not self.ok or not self.distance > 0:
            return np.full_like(self.weights, np.nan)
        return np.nan_to_num(self.weights * (C_DIST / self.distance))


def unexplained(n_features: int, reason: str, choices: int = 0,
                identifiable: np.ndarray | None = None) -> BehavioralObjective:
    """A behavioral objective that could not be inferred, and why."""
    nan = np.full(n_features, np.nan)
    ident = np.zeros(n_features, dtype=bool) if identifiable is None else identifiable
    return BehavioralObjective(nan, nan.copy(), float("nan"), float("nan"), int(choices), ident, 0, reason)


def varying_features(cs: ChoiceSets) -> np.ndarray:
    """(F,) bool: features whose value differs between two items of at least one choice set."""
    if cs.n == 0:
        return np.zeros(cs.features.shape[-1], dtype=bool)
    mask = cs.available[..., None]
    hi = np.where(mask, cs.features, -np.inf).max(axis=1)
    lo = np.where(mask, cs.features, np.inf).min(axis=1)
    return ((hi - lo) > VARIES).any(axis=0)


def _contrast_rank(cs: ChoiceSets, columns: np.ndarray, outside: bool) -> int:
    """Rank of the feature contrasts the choices compare: item vs item within a choice set, and item vs
    the outside option (which has no features) where there is one."""
    x = cs.features[..., columns]
    first = np.argmax(cs.available, axis=1)
    rows = (x - x[np.arange(cs.n), first][:, None, :])[cs.available]
    if outside:
        rows = np.concatenate([rows, x[cs.available]])
    if not rows.size:
        return 0
    eig = np.linalg.eigvalsh(rows.T @ rows)  # rank of the rows = rank of their Gram matrix
    return int((eig > 1e-9 * max(eig.max(), 1e-300)).sum())


def _design(cs: ChoiceSets, columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(n, K, p + 1) covariates (the feature columns, then minus the distance), each divided by its root
    mean square over available items, and those (p + 1,) scales."""
    z = np.concatenate([cs.features[..., columns], -cs.distance[..., None]], axis=-1)
    scale = np.sqrt((z[cs.available] ** 2).mean(axis=0))
    scale = np.where(scale > 0, scale, 1.0)
    return z / scale, scale


def _fit(z, available, chosen, penalty, outside, start):
    res = minimize(penalised_nll, start, args=(z, available, chosen, penalty, outside), jac=True,
                   method="L-BFGS-B", options={"maxiter": 500, "gtol": 1e-8})
    return res.x, res


def choice_accuracy(weights: np.ndarray, distance: float, cs: ChoiceSets, outside_option: bool = True) -> float:
    """Share of events whose choice ranks first under utility weights . x - distance * d.

    An event counts as predicted when one of its chosen items (or the outside option, where it took
    nothing more) attains the highest utility; ties count, since two items of one item kind at one distance
    are indistinguishable to any objective. NaN weights count as zero.
    """
    if cs.n == 0:
        return float("nan")
    w = np.nan_to_num(np.asarray(weights, dtype=np.float64))
    u = np.where(cs.available, cs.features @ w - distance * cs.distance, -np.inf)
    u = np.concatenate([u, np.zeros((cs.n, 1)) if outside_option else np.full((cs.n, 1), -np.inf)], axis=1)
    best = u.max(axis=1)
    picked = np.where(chosen_columns(cs.chosen), u, -np.inf).max(axis=1)
    scale = np.maximum(1.0, np.abs(best))
    return float(np.mean(picked >= best - 1e-9 * scale))


def fit_behavioral_objective(cs: ChoiceSets, perceives: np.ndarray, penalty: float = PENALTY,
                             bootstrap: int = BOOTSTRAP, seed: int | np.random.SeedSequence = 0,
                             outside_option: bool = True,
                             min_choices: int = MIN_CHOICES) -> BehavioralObjective:
    """Infer the behavioral objective from an organism's choice events.

    Args:
        cs: the organism's choice events (``organisms.choice_sets``).
        perceives: (F,) bool, the features the organism perceives (the objective is over these).
        penalty: L2 penalty on the mean negative log-likelihood (> 0: a deterministic chooser makes
            the data separable and the plain estimate diverge).
        bootstrap: resamples of the choice events for standard errors (0: none).
        seed: seeds the bootstrap's ``numpy.random.Generator`` (anything ``default_rng`` takes).
        outside_option: whether "take nothing more" is a choice with utility 0 (it pins down the level
            of utilities, and with it their sign, not only their differences); without it, events in
            which the organism took nothing more are left out.
        min_choices: fewest events in which an item was taken for a fit.

    Returns:
        The ``BehavioralObjective``; NaN with a reason for degenerate inputs (never an exception).
    """
    if not penalty > 0:
        raise ValueError(f"penalty: must be > 0, got {penalty!r}")
    if not is_integer(bootstrap) or bootstrap < 0:
        raise ValueError(f"bootstrap: must be an integer >= 0, got {bootstrap!r}")
    nf = cs.features.shape[-1]
    perceives = np.asarray(perceives, dtype=bool)
    if not outside_option:
        cs = cs.subset(cs.chosen.any(axis=1))
    ident = varying_features(cs) & perceives
    took = int(cs.chosen.any(axis=1).sum())
    if took == 0:
        return unexplained(nf, "took no item in any world: no choice reveals a preference", cs.n, ident)
    if not perceives.any():
        return unexplained(nf, "perceives no feature", cs.n, ident)
    if not ident.any():
        return unexplained(nf, "no perceived feature varies among the items of any choice set "
                               "(e.g. a world with one item kind)", cs.n, ident)
    if took < min_choices:
        return unexplained(nf, f"took items in only {took} choice events (fewer than {min_choices})", cs.n, ident)
    columns = np.flatnonzero(ident)
    z, scale = _design(cs, columns)
    chosen = chosen_columns(cs.chosen)
    theta_std, res = _fit(z, cs.available, chosen, penalty, outside_option, np.zeros(len(columns) + 1))
    theta = theta_std / scale
    if not np.all(np.isfinite(theta)):
        return unexplained(nf, f"the optimizer failed: {res.message}", cs.n, ident)
    norm = float(np.linalg.norm(theta[:-1]))
    if norm <= 1e-12:
        return unexplained(nf, "the choices are explained by distance alone", cs.n, ident)
    weights = np.full(nf, np.nan)
    weights[columns] = theta[:-1] / norm
    se = np.full(nf, np.nan)
    if bootstrap:
        rng = np.random.default_rng(seed)
        draws = np.empty((bootstrap, len(columns)))
        for b in range(bootstrap):
            rows = rng.integers(0, cs.n, size=cs.n)
            tb, _ = _fit(z[rows], cs.available[rows], chosen[rows], penalty, outside_option, theta_std)
            tb = tb / scale
            draws[b] = tb[:-1] / max(float(np.linalg.norm(tb[:-1])), 1e-12)
        se[columns] = draws.std(axis=0, ddof=1) if bootstrap > 1 else np.nan
    distance = float(theta[-1] / norm)
    return BehavioralObjective(
        weights=weights,
        se=se,
        distance=distance,
        accuracy=choice_accuracy(weights, distance, cs, outside_option),
        choices=cs.n,
        identifiable=ident,
        rank=_contrast_rank(cs, columns, outside_option),
    )
