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
def _event_probabilities(z, theta, available, chosen, e, outside, u):
    """Event ``e``'s unnormalised choice probabilities into ``u`` (shifted by the largest utility, so
    nothing overflows); returns their sums over the choice set and over the chosen set (the outside
    option included where it exists or was chosen)."""
    k, p = z.shape[1], z.shape[2]
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
            u[i] = np.exp(u[i] - top)
            s_all += u[i]
            if chosen[e, i]:
                s_set += u[i]
    return s_all, s_set


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
        s_all, s_set = _event_probabilities(z, theta, available, chosen, e, outside, u)
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


# --- batched sums and the Newton solver -------------------------------------------------------------
# The fit, its cross-fitted folds and its world bootstrap all reduce to sums over events of the
# negative log-likelihood, its gradient and its Hessian, grouped by an index (one group: the whole
# sample; the world: per-world terms for the bootstrap; the event: per-event log-likelihoods). The
# Hessian of a set-valued choice is Cov over the choice set minus Cov over the chosen set, which need
# not be positive definite: the solver damps it until a Cholesky factorisation succeeds.


@njit(cache=True, nogil=True)
def logit_sums(theta, z, available, chosen, outside, weight, group, n_groups, order):
    """Weighted sums per group of each event's negative log-likelihood, gradient and Hessian (compiled).

    Args:
        theta: (p,) coefficients.
        z: (n, K, p) covariates; available (n, K) bool; chosen (n, K + 1) bool (``chosen_columns``).
        outside: whether the outside option (utility 0) is in every choice set.
        weight: (n,) event weights (a bootstrap's world multiplicities; 0 leaves an event out).
        group: (n,) int64 group of each event, in [0, n_groups).
        order: 0 values only, 1 also gradients, 2 also Hessians.

    Returns:
        value (G,), gradient (G, p), Hessian (G, p, p) (zeros where ``order`` leaves them out).
    """
    n, k, p = z.shape
    value = np.zeros(n_groups)
    grad = np.zeros((n_groups, p))
    hess = np.zeros((n_groups, p, p))
    u = np.empty(k)
    m_all = np.empty(p)
    m_set = np.empty(p)
    for e in range(n):
        w = weight[e]
        if w == 0.0:
            continue
        gi = group[e]
        s_all, s_set = _event_probabilities(z, theta, available, chosen, e, outside, u)
        value[gi] += w * (np.log(s_all) - np.log(s_set))
        if order == 0:
            continue
        m_all[:] = 0.0
        m_set[:] = 0.0
        for i in range(k):
            if available[e, i]:
                pa = u[i] / s_all
                ps = u[i] / s_set if chosen[e, i] else 0.0
                for j in range(p):
                    m_all[j] += pa * z[e, i, j]
                    m_set[j] += ps * z[e, i, j]
        for j in range(p):
            grad[gi, j] += w * (m_all[j] - m_set[j])
        if order < 2:
            continue
        for i in range(k):
            if available[e, i]:
                q = u[i] / s_all - (u[i] / s_set if chosen[e, i] else 0.0)
                for a in range(p):
                    za = q * z[e, i, a]
                    for b in range(a + 1):
                        hess[gi, a, b] += w * za * z[e, i, b]
        for a in range(p):
            for b in range(a + 1):
                hess[gi, a, b] -= w * (m_all[a] * m_all[b] - m_set[a] * m_set[b])
    for g in range(n_groups):
        for a in range(p):
            for b in range(a):
                hess[g, b, a] = hess[g, a, b]
    return value, grad, hess


@njit(cache=True, nogil=True)
def _cholesky_solve(a, b):
    """Solve a x = b for a symmetric positive definite a; (x, False) where a is not."""
    p = a.shape[0]
    low = np.zeros((p, p))
    for i in range(p):
        for j in range(i + 1):
            s = a[i, j]
            for q in range(j):
                s -= low[i, q] * low[j, q]
            if i == j:
                if s <= 1e-14 * max(1.0, abs(a[i, i])):
                    return b * 0.0, False
                low[i, i] = np.sqrt(s)
            else:
                low[i, j] = s / low[j, j]
    y = np.empty(p)
    for i in range(p):
        s = b[i]
        for q in range(i):
            s -= low[i, q] * y[q]
        y[i] = s / low[i, i]
    x = np.empty(p)
    for i in range(p - 1, -1, -1):
        s = y[i]
        for q in range(i + 1, p):
            s -= low[q, i] * x[q]
        x[i] = s / low[i, i]
    return x, True


@njit(cache=True, nogil=True)
def newton_fit(z, available, chosen, outside, weight, penalty, start, maxiter, gtol):
    """Minimise the weighted mean negative log-likelihood + ``penalty`` / 2 |theta|^2 (compiled).

    Damped Newton steps with Armijo backtracking; the objective is strictly convex where every choice
    is a single item, and the penalty keeps it bounded below in every case.

    Returns:
        (theta, iterations, converged).
    """
    n, _, p = z.shape
    group = np.zeros(n, dtype=np.int64)
    total = weight.sum()
    theta = start.copy()
    if total <= 0.0:
        return theta, 0, False
    value, grad, hess = logit_sums(theta, z, available, chosen, outside, weight, group, 1, 2)
    f = value[0] / total + 0.5 * penalty * (theta @ theta)
    for it in range(maxiter):
        g = grad[0] / total + penalty * theta
        if np.max(np.abs(g)) < gtol:
            return theta, it, True
        h = hess[0] / total
        damp = 0.0
        ok = False
        step = g * 0.0
        while not ok:
            a = h.copy()
            for j in range(p):
                a[j, j] += penalty + damp
            step, ok = _cholesky_solve(a, g)
            damp = max(2.0 * damp, 1e-8 * max(1.0, np.abs(h).max()))
        slope = g @ step
        if slope < 1e-14:  # the Newton decrement: within rounding of the optimum
            return theta, it, True
        t = 1.0
        accepted = False
        for _ in range(60):
            trial = theta - t * step
            v, _, _ = logit_sums(trial, z, available, chosen, outside, weight, group, 1, 0)
            ft = v[0] / total + 0.5 * penalty * (trial @ trial)
            if ft <= f - 1e-4 * t * slope:
                accepted = True
                break
            t *= 0.5
        if not accepted:  # no decrease left at machine precision: as converged as it gets
            return theta, it, np.max(np.abs(g)) < 1e3 * gtol
        theta = trial
        value, grad, hess = logit_sums(theta, z, available, chosen, outside, weight, group, 1, 2)
        f = value[0] / total + 0.5 * penalty * (theta @ theta)
    g = grad[0] / total + penalty * theta
    return theta, maxiter, np.max(np.abs(g)) < gtol


def reference_logit_sums(theta, z, available, chosen, outside, weight, group, n_groups):
    """``logit_sums`` (order 2) one event at a time in numpy (the twin a test compares it with)."""
    n, k, p = z.shape
    value, grad, hess = np.zeros(n_groups), np.zeros((n_groups, p)), np.zeros((n_groups, p, p))
    for e in range(n):
        items = np.flatnonzero(available[e])
        u = z[e, items] @ theta
        zz = z[e, items]
        if outside:
            u = np.append(u, 0.0)
            zz = np.vstack([zz, np.zeros(p)])
        in_set = np.append(chosen[e, items], chosen[e, k]) if outside else chosen[e, items]
        p_all = np.exp(u - u.max())
        p_all /= p_all.sum()
        p_set = np.where(in_set, np.exp(u - u[in_set].max()), 0.0)
        p_set /= p_set.sum()
        value[group[e]] += weight[e] * -np.log(p_all[in_set].sum())
        m_all, m_set = p_all @ zz, p_set @ zz
        grad[group[e]] += weight[e] * (m_all - m_set)
        cov_all = (zz * p_all[:, None]).T @ zz - np.outer(m_all, m_all)
        cov_set = (zz * p_set[:, None]).T @ zz - np.outer(m_set, m_set)
        hess[group[e]] += weight[e] * (cov_all - cov_set)
    return value, grad, hess
