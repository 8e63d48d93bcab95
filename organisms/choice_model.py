"""The conditional-logit likelihood behind the behavioral objective, compiled, with its numpy twin.

Event e offers items i (``available``) with covariates z_ei and utility theta . z_ei, plus an outside
option of utility 0 where ``outside``; its likelihood is the summed probability of its chosen set (the
last column of ``chosen`` is the outside option). ``penalised_nll`` returns the mean negative
log-likelihood plus ``penalty`` / 2 * |theta|^2 and its gradient; ``reference_penalised_nll`` computes
the same with whole-array numpy operations, and a test compares them.
"""

from __future__ import annotations

import numpy as np
from numba import njit


def chosen_columns(chosen: np.ndarray) -> np.ndarray:
    """(n, K + 1) bool: the chosen items, then the outside option, chosen where no item was."""
    return np.concatenate([chosen, ~chosen.any(axis=1, keepdims=True)], axis=1)


@njit(cache=True)
def penalised_nll(theta, z, available, chosen, penalty, outside):
    """Mean negative log-likelihood plus the L2 penalty, and its gradient (compiled).

    Args:
        theta: (p,) coefficients.
        z: (n, K, p) covariates.
        available: (n, K) bool.
        chosen: (n, K + 1) bool (``chosen_columns``); a subset of the available items and the option.
        penalty: the L2 penalty.
        outside: whether the outside option exists (events that chose it need it).

    Returns:
        (value, (p,) gradient).
    """
    n, k, p = z.shape
    grad = np.zeros(p)
    u = np.empty(k)
    total = 0.0
    for e in range(n):
        top = 0.0 if outside else -np.inf
        for i in range(k):
            if available[e, i]:
                acc = 0.0
                for j in range(p):
                    acc += z[e, i, j] * theta[j]
                u[i] = acc
                top = max(top, acc)
        s_all = np.exp(-top) if outside else 0.0
        s_set = s_all if chosen[e, k] else 0.0
        for i in range(k):
            if available[e, i]:
                u[i] = np.exp(u[i] - top)  # from here on u holds the unnormalised probabilities
                s_all += u[i]
                if chosen[e, i]:
                    s_set += u[i]
        total += np.log(s_all) - np.log(s_set)
        # d nll / d theta = E[z] over the choice set minus E[z] over the chosen set (option: z = 0).
        for i in range(k):
            if available[e, i]:
                q = u[i] / s_all - (u[i] / s_set if chosen[e, i] else 0.0)
                for j in range(p):
                    grad[j] += q * z[e, i, j]
    value = total / n
    for j in range(p):
        grad[j] = grad[j] / n + penalty * theta[j]
        value += 0.5 * penalty * theta[j] * theta[j]
    return value, grad


def _logsumexp(u: np.ndarray) -> np.ndarray:
    """Row-wise log-sum-exp of (n, m) values, -inf allowed (every row has a finite entry)."""
    top = u.max(axis=1)
    return top + np.log(np.exp(u - top[:, None]).sum(axis=1))


def reference_penalised_nll(theta, z, available, chosen, penalty, outside):
    """``penalised_nll`` with whole-array numpy operations (the twin a test compares it with)."""
    n, k = available.shape
    u = np.where(available, z @ theta, -np.inf)
    last = np.zeros((n, 1)) if outside else np.full((n, 1), -np.inf)
    u = np.concatenate([u, last], axis=1)
    lse = _logsumexp(u)
    u_set = np.where(chosen, u, -np.inf)
    lse_set = _logsumexp(u_set)
    p_all = np.exp(u[:, :k] - lse[:, None])
    p_set = np.exp(u_set[:, :k] - lse_set[:, None])
    grad = np.einsum("nk,nkp->p", p_all - p_set, z) / n + penalty * theta
    return (lse - lse_set).mean() + 0.5 * penalty * theta @ theta, grad
