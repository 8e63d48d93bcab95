"""A gradient-estimating evolution strategy, the essay's "gradient descent" (``Config(optimizer="es")``).

In the manner of Salimans et al. 2017, "Evolution Strategies as a Scalable Alternative to
Reinforcement Learning": one mean genome theta; each generation evaluates antithetic pairs
theta +- noise * eps (eps ~ N(0, I)); fitness is shaped into centred ranks (in [-0.5, 0.5], ties
averaged, by ``scipy.stats.rankdata``); their weighted sum of eps / (n * noise) estimates the
gradient of the smoothed base fitness E[F(theta + noise * eps)], and Adam (Kingma and Ba 2015)
takes an ascent step on it. This is stochastic gradient ascent on a Gaussian-smoothed objective:
the base objective is piecewise constant in the threshold genes (kind, sensors) and the horizon,
so a plain gradient would be zero almost everywhere; the smoothing is what gives it a slope.

The update sees the repaired genomes: eps is recovered from them as (genome - theta) / noise, and a
gene that every genome carries at the same value (a gene that repair clamped) carries no
perturbation; theta takes its clamped value. With an odd population the mean itself is evaluated
too (eps = 0: it shapes the ranks but adds nothing to the gradient).

The initial mean is drawn N(0, 1) per gene, like one of the GA's initial organisms.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from evolution.strategy import Strategy
from organisms.validation import require_integer, require_number

BETAS = (0.9, 0.999)
"""Adam's decay rates of its first and second moment estimates (Kingma and Ba's defaults)."""
EPSILON = 1e-8
"""Adam's guard against division by zero."""


def centred_ranks(fitness: np.ndarray) -> np.ndarray:
    """Fitness shaped into ranks scaled to [-0.5, 0.5] (ties share their mean rank); they sum to 0."""
    n = len(fitness)
    if n < 2:
        return np.zeros(n)
    from scipy.stats import rankdata  # here, not at import: scipy.stats takes ~1 s to import
    return (rankdata(fitness) - 1.0) / (n - 1) - 0.5


@dataclass(frozen=True)
class ESOptions:
    """The evolution strategy's own options."""

    population: int | None = None
    """Genomes evaluated per generation (>= 2; pairs theta +- noise * eps, and theta itself when
    odd); None: the Config's ``population``."""
    learning_rate: float = 0.1
    """Adam's step size (> 0): about the distance each gene's mean moves per generation."""
    noise: float = 0.3
    """Standard deviation of the perturbations (> 0): the width of the smoothing, in gene units."""

    def __post_init__(self):
        name = "Config.optimizer_options"
        if self.population is not None:
            object.__setattr__(self, "population", require_integer(self.population, f"{name}.population", lo=2))
        for field in ("learning_rate", "noise"):
            value = require_number(getattr(self, field), f"{name}.{field}", lo=0.0)
            if value <= 0:
                raise ValueError(f"{name}.{field}: must be > 0, got {getattr(self, field)!r}")
            object.__setattr__(self, field, value)


@dataclass(frozen=True)
class ESState:
    """The mean, Adam's moments and the genomes the next ``ask`` returns."""

    theta: np.ndarray
    """(n,) the mean genome."""
    m: np.ndarray
    """(n,) Adam's first moment (a running mean of the gradient estimates)."""
    v: np.ndarray
    """(n,) Adam's second moment (a running mean of their squares)."""
    t: int
    """Adam steps taken."""
    samples: np.ndarray
    """(population, n) the genomes the next ``ask`` returns."""
    grad_norm: float | None
    """Norm of the last gradient estimate (None before the first)."""
    update_norm: float | None
    """Norm of the last step of the mean (None before the first)."""


def adam_step(theta: np.ndarray, m: np.ndarray, v: np.ndarray, t: int, gradient: np.ndarray,
              learning_rate: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """One Adam ascent step on ``gradient``: (theta, m, v, t) after it."""
    b1, b2 = BETAS
    t += 1
    m = b1 * m + (1 - b1) * gradient
    v = b2 * v + (1 - b2) * gradient ** 2
    m_hat, v_hat = m / (1 - b1 ** t), v / (1 - b2 ** t)
    return theta + learning_rate * m_hat / (np.sqrt(v_hat) + EPSILON), m, v, t


class EvolutionStrategy(Strategy):
    """Antithetic Gaussian perturbations, centred-rank shaping, Adam on the gradient estimate."""

    name = "es"
    title = "a gradient-estimating evolution strategy with Adam"
    Options = ESOptions
    State = ESState

    def _sample(self, theta: np.ndarray, seed: np.random.SeedSequence) -> np.ndarray:
        pairs = self.population // 2
        eps = np.random.default_rng(seed).normal(size=(pairs, self.genome_length))
        half = self.options.noise * eps
        rows = [theta + half, theta - half] + ([theta[None, :]] if self.population % 2 else [])
        return np.concatenate(rows)

    def init(self, seed: np.random.SeedSequence) -> ESState:
        init_seed, sample_seed = seed.spawn(2)
        theta = np.random.default_rng(init_seed).normal(size=self.genome_length)
        zeros = np.zeros(self.genome_length)
        return ESState(theta, zeros, zeros.copy(), 0, self._sample(theta, sample_seed), None, None)

    def ask(self, state: ESState) -> np.ndarray:
        return state.samples.copy()

    def gradient(self, theta: np.ndarray, genomes: np.ndarray, fitness: np.ndarray) -> np.ndarray:
        """The estimate of the smoothed fitness's gradient at ``theta`` from evaluated genomes."""
        noise = self.options.noise
        eps = (genomes - theta) / noise
        eps[:, np.ptp(genomes, axis=0) == 0] = 0.0  # a clamped gene was not perturbed
        return centred_ranks(np.asarray(fitness, dtype=np.float64)) @ eps / (len(genomes) * noise)

    def tell(self, state: ESState, genomes: np.ndarray, fitness: np.ndarray,
             seed: np.random.SeedSequence) -> ESState:
        clamped = np.ptp(genomes, axis=0) == 0
        theta = np.where(clamped, genomes[0], state.theta)
        g = self.gradient(theta, genomes, fitness)
        new, m, v, t = adam_step(theta, state.m, state.v, state.t, g, self.options.learning_rate)
        return ESState(new, m, v, t, self._sample(new, seed), float(np.linalg.norm(g)),
                       float(np.linalg.norm(new - theta)))

    def diagnostics(self, state: ESState) -> dict[str, float]:
        nan = float("nan")
        return {"grad_norm": nan if state.grad_norm is None else state.grad_norm,
                "update_norm": nan if state.update_norm is None else state.update_norm}

    def check_state(self, state: ESState) -> None:
        n = self.genome_length
        for name, shape in {"theta": (n,), "m": (n,), "v": (n,), "samples": (self.population, n)}.items():
            value = getattr(state, name)
            if not isinstance(value, np.ndarray) or value.shape != shape or not np.isfinite(value).all():
                raise ValueError(f"ES state: {name} must be a finite array of shape {shape}")
        if not isinstance(state.t, int) or state.t < 0:
            raise ValueError(f"ES state: t must be an integer >= 0, got {state.t!r}")
        if (state.v < 0).any():
            raise ValueError("ES state: Adam's second moment v must be >= 0")
