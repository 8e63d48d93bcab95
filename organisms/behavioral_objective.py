"""The behavioral objective: the linear objective over perceived features that best explains what an
organism chose, for any organism (Hubinger et al.'s "behavioral objective").

Choice model (conditional logit with an outside option). At each choice event (see
``organisms.choices``) the organism sets off toward item i of its choice set with probability
proportional to exp(beta . x_i - gamma * d_i), or takes nothing more with probability proportional to
exp(0). This is a planner's own rule made stochastic: a planner targets
argmax(mesa . x_i - C_DIST * d_i) and stays where that is not positive, so for a planner beta / gamma
estimates mesa / C_DIST. Where the trajectory leaves open which of several items the organism set off
toward, the event's likelihood is that of the set. Choice sets hold only what the organism could see:
a planner's search ends at its horizon (``ChoiceSets.reach``).

A deterministic chooser makes the data separable and the plain maximum-likelihood estimate diverges,
so we minimise the mean negative log-likelihood plus ``penalty`` / 2 * |(beta, gamma)|^2 (damped Newton,
compiled in ``organisms.choice_model``), each covariate first divided by its root mean square over the
choice sets' items. Only the direction of the estimate is reported.

Honesty of the numbers (METRICS.md): the bootstrap resamples *worlds* (events within a world depend on
each other); accuracy and log-likelihood are also reported held out, cross-fitted by world, beside a
distance-only baseline; a tie is not a hit (split credit); features that vary only together get NaN,
and the combination they are identified in is reported instead of an arbitrary split.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from organisms.choice_model import chosen_columns, logit_sums, newton_fit
from organisms.choices import ChoiceSets
from organisms.genome import C_DIST
from organisms.seeding import seed_child
from organisms.validation import is_integer

PENALTY = 1e-4
"""Default L2 penalty on the mean negative log-likelihood, on standardised coefficients (small: it is
there to keep a deterministic chooser's estimate finite)."""

BOOTSTRAP = 200
"""Default world-bootstrap draws (0 turns the bootstrap off)."""

FOLDS = 2
"""Default folds of worlds for the cross-fitted (held-out) accuracy and log-likelihood (0: none)."""

MIN_CHOICES = 20
"""Fewer choice events than this (in which something was taken) is too little to fit an objective."""

VARIES = 1e-9
"""A contrast is nonzero, a direction identified, where it exceeds this (relative for eigenvalues)."""

MAXITER, GTOL = 200, 1e-9
"""The Newton solver's iteration cap and gradient tolerance."""


@dataclass(frozen=True)
class BehavioralObjective:
    """What an organism's choices reveal; NaN throughout, with a ``reason``, where they reveal nothing."""

    weights: np.ndarray
    """(F,) the estimate scaled to unit norm; NaN on features not perceived, never contrasted, or
    confounded with others (only a combination of them is identified: see ``contrast``)."""
    se: np.ndarray
    """(F,) world-bootstrap standard errors of ``weights`` (NaN without bootstrap or where weights are)."""
    distance: float
    """gamma on the scale of ``weights``: utility lost per step of distance."""
    accuracy: float
    """In-sample share of events whose choice the fitted model ranks first, ties split (a tie of m
    alternatives with j of them chosen counts j / m)."""
    choices: int
    """Choice events the fit used (outside-option events included)."""
    identifiable: np.ndarray
    """(F,) bool: perceived and contrasted by at least one choice (item vs item, or item vs nothing)."""
    rank: int = 0
    """Independent directions the choices contrast, over the identifiable features; below their number
    some features are confounded (Aurora's banner and diplomacy on training worlds)."""
    reason: str = ""
    """Empty when fitted; otherwise why every number is NaN."""
    estimate: np.ndarray | None = None
    """(F,) the identified estimate in full (the minimum-norm representative, 0 where not identifiable):
    its utilities of the items the organism chose among are identified even where ``weights`` is NaN."""
    contrast: str = ""
    """Where features are confounded: the estimate on them and the directions the choices cannot see."""
    ties: float = float("nan")
    """Share of events on which the fitted model ties two or more alternatives at the top."""
    heldout_accuracy: float = float("nan")
    """``accuracy`` of models fitted on the other folds of worlds (cross-fitting by world)."""
    heldout_loglik: float = float("nan")
    """Mean held-out log-likelihood per event of the chosen set (cross-fitted as above)."""
    baseline_accuracy: float = float("nan")
    """Held-out accuracy of the distance-only baseline (a constant utility per item, minus distance)."""
    baseline_loglik: float = float("nan")
    """Held-out mean log-likelihood of the distance-only baseline."""
    draws: np.ndarray | None = None
    """(B, F) world-bootstrap draws of the unit-norm estimate (``estimate``'s scale), for resampled
    agreement and labels; None without bootstrap."""

    @property
    def ok(self) -> bool:
        return not self.reason

    def mesa_equivalent(self) -> np.ndarray:
        """The estimate rescaled so the distance coefficient is C_DIST: a planner with this mesa-objective
        makes the fitted choices. NaN where the fit found no distance aversion."""
        if not self.ok or not self.distance > 0:
            return np.full_like(self.weights, np.nan)
        full = self.weights if self.estimate is None else self.estimate
        return np.nan_to_num(full * (C_DIST / self.distance))


def unexplained(n_features: int, reason: str, choices: int = 0,
                identifiable: np.ndarray | None = None) -> BehavioralObjective:
    """A behavioral objective that could not be inferred, and why."""
    nan = np.full(n_features, np.nan)
    ident = np.zeros(n_features, dtype=bool) if identifiable is None else identifiable
    return BehavioralObjective(nan, nan.copy(), float("nan"), float("nan"), int(choices), ident, 0, reason)


def within_reach(cs: ChoiceSets) -> ChoiceSets:
    """The events restricted to what the organism could see (``ChoiceSets.reach``): items beyond it
    leave the choice set; an event left with no item, or whose choice lay beyond it, is dropped."""
    if cs.reach is None:
        return cs
    available = cs.available & (cs.distance <= cs.reach[:, None])
    chosen = cs.chosen & available
    took = cs.chosen.any(axis=1)
    keep = available.any(axis=1) & (chosen.any(axis=1) | ~took)
    return cs._replace(available=available, chosen=chosen).subset(keep)


def _contrast_gram(cs: ChoiceSets, outside: bool) -> np.ndarray:
    """(F, F) Gram matrix of the contrasts the choices compare: item vs item within an event, and item
    vs the outside option (which has no features) where there is one."""
    x = np.where(cs.available[..., None], cs.features, 0.0)
    if outside:
        return np.einsum("nkf,nkg->fg", x, x)
    count = cs.available.sum(axis=1)[:, None]
    centred = np.where(cs.available[..., None], x - x.sum(axis=1, keepdims=True) / count[..., None], 0.0)
    return np.einsum("nkf,nkg->fg", centred, centred)


def varying_features(cs: ChoiceSets, outside_option: bool = True) -> np.ndarray:
    """(F,) bool: features some choice contrasts (between two items of an event, or, with the outside
    option, between an item and nothing)."""
    if cs.n == 0:
        return np.zeros(cs.features.shape[-1], dtype=bool)
    gram = _contrast_gram(cs, outside_option)
    return np.diag(gram) > VARIES


def _subspaces(gram: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Orthonormal bases (columns) of the identified directions and of the unseen ones."""
    eig, vec = np.linalg.eigh(gram)
    seen = eig > VARIES * max(float(eig.max()), 1e-300)
    return vec[:, seen], vec[:, ~seen]


def _design(cs: ChoiceSets, columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(n, K, p + 1) covariates (the feature columns, then minus the distance), each divided by its root
    mean square over available items, and those (p + 1,) scales."""
    z = np.concatenate([cs.features[..., columns], -cs.distance[..., None]], axis=-1)
    scale = np.sqrt((z[cs.available] ** 2).mean(axis=0))
    scale = np.where(scale > 0, scale, 1.0)
    return z / scale, scale


def _baseline_design(cs: ChoiceSets) -> np.ndarray:
    """(n, K, 2) covariates of the distance-only baseline: a constant utility per item, minus distance."""
    z = np.stack([np.ones_like(cs.distance), -cs.distance], axis=-1)
    scale = np.sqrt((z[cs.available] ** 2).mean(axis=0))
    return z / np.where(scale > 0, scale, 1.0)


def _credit(u: np.ndarray, available: np.ndarray, chosen: np.ndarray, outside: bool) -> tuple[np.ndarray, np.ndarray]:
    """Per event: the share of the top-ranked alternatives (items, then the outside option) that were
    chosen (a tie is not a hit: split credit), and whether the top was tied."""
    u = np.where(available, u, -np.inf)
    u = np.concatenate([u, np.zeros((len(u), 1)) if outside else np.full((len(u), 1), -np.inf)], axis=1)
    best = u.max(axis=1, keepdims=True)
    top = u >= best - 1e-9 * np.maximum(1.0, np.abs(best))
    m = top.sum(axis=1)
    return (top & chosen).sum(axis=1) / m, m > 1


def choice_accuracy(weights: np.ndarray, distance: float, cs: ChoiceSets, outside_option: bool = True,
                    ties: str = "split") -> float:
    """Share of events whose choice ranks first under utility weights . x - distance * d.

    Args:
        ties: "split" (default): a tie among m top alternatives, j of them chosen, counts j / m;
            "hit": any chosen alternative at the top counts 1 (the old, generous rule).

    NaN weights count as zero.
    """
    if cs.n == 0:
        return float("nan")
    w = np.nan_to_num(np.asarray(weights, dtype=np.float64))
    u = cs.features @ w - distance * cs.distance
    credit, _ = _credit(u, cs.available, chosen_columns(cs.chosen), outside_option)
    if ties == "hit":
        credit = credit > 0
    elif ties != "split":
        raise ValueError(f"ties: must be 'split' or 'hit', got {ties!r}")
    return float(np.mean(credit))


def _fit(z, available, chosen, weight, penalty, outside, start):
    theta, _, _ = newton_fit(z, available, chosen, outside, weight, penalty, start, MAXITER, GTOL)
    return theta


def _cross_fit(z, available, chosen, fold, folds, penalty, outside, start) -> tuple[np.ndarray, np.ndarray]:
    """Per event, the log-likelihood of its chosen set and its split credit under the model fitted on
    the other folds (NaN where that fold's complement has no events)."""
    n = len(fold)
    loglik, credit = np.full(n, np.nan), np.full(n, np.nan)
    events = np.arange(n, dtype=np.int64)
    for k in range(folds):
        test = fold == k
        if not test.any() or test.all():
            continue
        theta = _fit(z, available, chosen, (~test).astype(np.float64), penalty, outside, start)
        value, _, _ = logit_sums(theta, z, available, chosen, outside, test.astype(np.float64), events, n, 0)
        loglik[test] = -value[test]
        credit[test], _ = _credit(z[test] @ theta, available[test], chosen[test], outside)
    return loglik, credit


def _one_step_draws(z, available, chosen, outside, penalty, theta, world, multiplicity) -> np.ndarray:
    """(B, p) bootstrap estimates: one Newton step from ``theta`` on each resample of worlds, from
    per-world gradients and Hessians computed once (the linearised, "one-step" bootstrap)."""
    n_worlds = multiplicity.shape[1]
    _, grad, hess = logit_sums(theta, z, available, chosen, outside, np.ones(len(world)), world, n_worlds, 2)
    count = np.bincount(world, minlength=n_worlds).astype(np.float64)
    total = multiplicity @ count
    g = (multiplicity @ grad) / total[:, None] + penalty * theta
    h = np.einsum("bw,wpq->bpq", multiplicity, hess) / total[:, None, None] + penalty * np.eye(len(theta))
    # Where a set-valued choice makes a draw's Hessian indefinite, damp it (as the solver does).
    low = np.linalg.eigvalsh(h)[:, 0]
    h += np.maximum(0.0, 1e-8 - low)[:, None, None] * np.eye(len(theta))
    return theta - np.linalg.solve(h, g[..., None])[..., 0]


def _refit_draws(z, available, chosen, outside, penalty, theta, world, multiplicity) -> np.ndarray:
    """(B, p) bootstrap estimates refitted to convergence on each resample (slow; the check on the
    one-step draws)."""
    return np.array([_fit(z, available, chosen, m[world], penalty, outside, theta) for m in multiplicity])


def _contrast_text(names, estimate, unseen, columns) -> str:
    """The estimate on confounded features and the directions no choice can see."""
    involved = np.abs(unseen).max(axis=1) > 1e-6
    shown = " ".join(f"{estimate[columns[j]]:+.3f} {names[j]}" for j in np.flatnonzero(involved))
    dirs = "; ".join(
        "(" + " ".join(f"{v:+.2f} {names[j]}" for j, v in enumerate(col) if abs(v) > 1e-6) + ")"
        for col in unseen.T)
    return f"{shown}, plus any multiple of {dirs}"


def fit_behavioral_objective(cs: ChoiceSets, perceives: np.ndarray, penalty: float = PENALTY,
                             bootstrap: int = BOOTSTRAP, seed: int | np.random.SeedSequence = 0,
                             outside_option: bool = True, min_choices: int = MIN_CHOICES,
                             folds: int = FOLDS, refit: bool = False,
                             feature_names: tuple[str, ...] | None = None,
                             n_worlds: int | None = None) -> BehavioralObjective:
    """Infer the behavioral objective from an organism's choice events.

    Args:
        cs: the organism's choice events (``organisms.choice_sets``); items beyond ``cs.reach`` are
            dropped from the choice sets (``within_reach``).
        perceives: (F,) bool, the features the organism perceives (the objective is over these).
        penalty: L2 penalty on the mean negative log-likelihood (> 0).
        bootstrap: world-bootstrap draws (0: none): worlds are resampled with replacement.
        seed: seeds the bootstrap's resamples and the folds' assignment of worlds.
        outside_option: whether "take nothing more" is a choice with utility 0; without it, events in
            which the organism took nothing more are left out.
        min_choices: fewest events in which an item was taken for a fit.
        folds: folds of worlds for the held-out numbers (0 or 1: none).
        refit: refit every bootstrap draw to convergence instead of one Newton step (slow; a check).
        feature_names: for the ``contrast`` text (default f0, f1, ...).
        n_worlds: the worlds the events were drawn on (``cs.world`` in [0, n_worlds); default one more
            than the largest). Resamples and folds are drawn over them from ``seed`` alone, so with one
            seed every organism of a population gets the same resampled worlds and the same folds.

    Returns:
        The ``BehavioralObjective``; NaN with a reason for degenerate inputs (never an exception).
    """
    if not penalty > 0:
        raise ValueError(f"penalty: must be > 0, got {penalty!r}")
    if not is_integer(bootstrap) or bootstrap < 0:
        raise ValueError(f"bootstrap: must be an integer >= 0, got {bootstrap!r}")
    if not is_integer(folds) or folds < 0:
        raise ValueError(f"folds: must be an integer >= 0, got {folds!r}")
    nf = cs.features.shape[-1]
    names = tuple(feature_names) if feature_names is not None else tuple(f"f{j}" for j in range(nf))
    perceives = np.asarray(perceives, dtype=bool)
    cs = within_reach(cs)
    if not outside_option:
        cs = cs.subset(cs.chosen.any(axis=1))
    ident = varying_features(cs, outside_option) & perceives
    took = int(cs.chosen.any(axis=1).sum())
    if took == 0:
        return unexplained(nf, "took no item in any world: no choice reveals a preference", cs.n, ident)
    if not perceives.any():
        return unexplained(nf, "perceives no feature", cs.n, ident)
    if not ident.any():
        return unexplained(nf, "no perceived feature is contrasted by any choice", cs.n, ident)
    if took < min_choices:
        return unexplained(nf, f"took items in only {took} choice events (fewer than {min_choices})", cs.n, ident)
    columns = np.flatnonzero(ident)
    z, scale = _design(cs, columns)
    chosen = chosen_columns(cs.chosen)
    theta = _fit(z, cs.available, chosen, np.ones(cs.n), penalty, outside_option, np.zeros(len(columns) + 1))
    if not np.all(np.isfinite(theta)):
        return unexplained(nf, "the optimizer failed", cs.n, ident)
    seen, unseen = _subspaces(_contrast_gram(cs, outside_option)[np.ix_(columns, columns)])
    project = seen @ seen.T  # onto what the choices identify, in the features' own units

    def identified(t: np.ndarray) -> tuple[np.ndarray, float]:
        """(p,) unit-norm identified weights and the distance coefficient on their scale, per estimate."""
        beta = project @ (t[:-1] / scale[:-1])
        norm = float(np.linalg.norm(beta))
        return beta / max(norm, 1e-300), float(t[-1] / scale[-1]) / max(norm, 1e-300)

    beta, distance = identified(theta)
    if np.linalg.norm(project @ (theta[:-1] / scale[:-1])) <= 1e-12:
        return unexplained(nf, "the choices are explained by distance alone", cs.n, ident)
    estimate = np.zeros(nf)
    estimate[columns] = beta
    confounded = np.zeros(nf, dtype=bool)
    confounded[columns] = np.abs(unseen).max(axis=1) > 1e-6 if unseen.size else False
    weights = np.where(ident & ~confounded, estimate, np.nan)
    credit, tied = _credit(cs.features @ estimate - distance * cs.distance, cs.available, chosen, outside_option)

    n_worlds = int(cs.world.max()) + 1 if n_worlds is None else int(n_worlds)
    world = cs.world.astype(np.int64)
    fold_rng, draw_rng = (np.random.default_rng(seed_child(seed, k)) for k in (0, 1))
    heldout = {}
    if folds >= 2 and n_worlds >= folds:
        fold = fold_rng.permutation(n_worlds)[world] % folds
        for key, zz, start in (("behavior", z, theta), ("baseline", _baseline_design(cs), np.zeros(2))):
            loglik, hit = _cross_fit(zz, cs.available, chosen, fold, folds, penalty, outside_option, start)
            heldout[key] = (float(np.nanmean(hit)), float(np.nanmean(loglik)))
    se = np.full(nf, np.nan)
    draws = None
    if bootstrap:
        multiplicity = draw_rng.multinomial(n_worlds, np.full(n_worlds, 1.0 / n_worlds),
                                            size=bootstrap).astype(np.float64)
        step = _refit_draws if refit else _one_step_draws
        thetas = step(z, cs.available, chosen, outside_option, penalty, theta, world, multiplicity)
        draws = np.zeros((bootstrap, nf))
        for b, t in enumerate(thetas):
            draws[b, columns] = identified(t)[0]
        if bootstrap > 1:
            se = np.where(np.isnan(weights), np.nan, draws.std(axis=0, ddof=1))
    contrast = _contrast_text([names[c] for c in columns], estimate, unseen, columns) if confounded.any() else ""
    nan2 = (float("nan"), float("nan"))
    return BehavioralObjective(
        weights=weights,
        se=se,
        distance=distance,
        accuracy=float(credit.mean()),
        choices=cs.n,
        identifiable=ident,
        rank=seen.shape[1],
        estimate=estimate,
        contrast=contrast,
        ties=float(tied.mean()),
        heldout_accuracy=heldout.get("behavior", nan2)[0],
        heldout_loglik=heldout.get("behavior", nan2)[1],
        baseline_accuracy=heldout.get("baseline", nan2)[0],
        baseline_loglik=heldout.get("baseline", nan2)[1],
        draws=draws,
    )
