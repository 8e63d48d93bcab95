"""CMA-ES, the reference evolution strategy (``Config(optimizer="cmaes")``).

DEAP's ``cma.Strategy`` (Hansen and Ostermeier 2001) does the work: sampling and the update of
the mean, the step size, the covariance matrix and its two evolution paths. It was chosen over the
``cma`` package because its whole state is a handful of plain numpy attributes (``centroid``,
``sigma``, ``C``, ``pc``, ``ps``, ``B``, ``diagD``, ``BD``, ``cond``, ``update_count``): they go into
the checkpoint as they are, JSON and npz, and a state read back continues bit for bit; ``cma``'s
state is a deep object graph that only pickle saves, and it too samples from numpy's global
generator. DEAP is already the project's library, so nothing new is installed.

DEAP samples from numpy's global generator: ``tell`` (and ``init``) seed it through
``organisms.seeding.seed_numpy_random`` from the seed the loop gives, right before sampling, so
the sampled genomes are a function of (state, seed) alone. As in the GA, the state carries the
genomes the next ``ask`` returns.

Population: CMA-ES's textbook lambda = 4 + 3 ln n (11 for Aurora's 12 genes) is tuned for
noise-free objectives; basemesa's fitness is a mean over a few random worlds, and comparisons
between optimizers are made at an equal budget of episodes, so by default lambda is the Config's
``population`` (the option sets another). The initial mean is 0 and the initial step size 1, so
the first generation is drawn N(0, 1) per gene, as the GA's is.

Clamped genes (the kind gene with one organism kind): the update sees the repaired genomes, so the
mean moves onto the clamped value and the variance along that gene shrinks geometrically (by about
1 - c_mu per generation). DEAP's path update divides by the square roots of the eigenvalues, so
once that variance falls to rounding level the mean's rounding error would be divided by it; the
strategy therefore keeps the covariance's smallest eigenvalue at ``floor`` (relative to the largest).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from deap import cma

from evolution.ga import organisms
from evolution.strategy import Strategy
from organisms.seeding import seed_numpy_random
from organisms.validation import require_integer, require_number

ARRAYS = ("centroid", "C", "pc", "ps", "B", "diagD", "BD")
"""The attributes of DEAP's strategy that are arrays (the others: sigma, cond, update_count)."""


@dataclass(frozen=True)
class CMAOptions:
    """CMA-ES's own options."""

    population: int | None = None
    """Genomes sampled per generation (lambda, >= 2); None: the Config's ``population``."""
    parents: int | None = None
    """Best genomes the mean and covariance are updated from (mu, 1 .. lambda); None: lambda // 2."""
    step: float = 1.0
    """Initial step size (sigma, > 0): the first generation is drawn N(0, step^2) per gene."""
    floor: float = 1e-12
    """Smallest eigenvalue of the covariance relative to its largest (> 0, < 1): keeps a gene that
    repair clamps from making the covariance singular."""

    def __post_init__(self):
        name = "Config.optimizer_options"
        if self.population is not None:
            object.__setattr__(self, "population", require_integer(self.population, f"{name}.population", lo=2))
        if self.parents is not None:
            object.__setattr__(self, "parents", require_integer(self.parents, f"{name}.parents", lo=1))
        if self.population is not None and self.parents is not None and self.parents > self.population:
            raise ValueError(f"{name}.parents: must be <= population ({self.population}), got {self.parents}")
        step = require_number(self.step, f"{name}.step", lo=0.0)
        if step <= 0:
            raise ValueError(f"{name}.step: must be > 0, got {self.step!r}")
        object.__setattr__(self, "step", step)
        floor = require_number(self.floor, f"{name}.floor", lo=0.0, hi=1.0)
        if not 0 < floor < 1:
            raise ValueError(f"{name}.floor: must be in (0, 1), got {self.floor!r}")
        object.__setattr__(self, "floor", floor)


@dataclass(frozen=True)
class CMAState:
    """DEAP's strategy attributes, and the genomes sampled from them for the next ``ask``."""

    centroid: np.ndarray
    """(n,) the mean of the search distribution."""
    sigma: float
    """The step size."""
    C: np.ndarray
    """(n, n) the covariance matrix."""
    pc: np.ndarray
    """(n,) the evolution path of the covariance."""
    ps: np.ndarray
    """(n,) the evolution path of the step size (conjugate)."""
    B: np.ndarray
    """(n, n) eigenvectors of C, by ascending eigenvalue."""
    diagD: np.ndarray
    """(n,) square roots of C's eigenvalues, ascending."""
    BD: np.ndarray
    """(n, n) B scaled by diagD: samples are centroid + sigma * BD @ z."""
    cond: float
    """Condition number of C: its largest eigenvalue over its smallest."""
    update_count: int
    """Updates done so far (enters the step-size path's normalisation)."""
    samples: np.ndarray
    """(lambda, n) the genomes the next ``ask`` returns."""


class CMAES(Strategy):
    """CMA-ES with DEAP's ``cma.Strategy``: the mean, step size, covariance and paths in the state."""

    name = "cmaes"
    title = "CMA-ES"
    Options = CMAOptions
    State = CMAState

    def __init__(self, config: Any, genome_length: int):
        super().__init__(config, genome_length)
        self.parents = self.population // 2 if self.options.parents is None else self.options.parents
        if self.parents > self.population:
            raise ValueError(f"Config.optimizer_options.parents: must be <= the population "
                             f"({self.population}), got {self.parents}")

    def _deap(self, state: CMAState) -> cma.Strategy:
        """DEAP's strategy holding ``state`` (copies: DEAP updates its arrays in place)."""
        es = cma.Strategy(centroid=state.centroid.copy(), sigma=state.sigma, lambda_=self.population,
                          mu=self.parents)
        for attr in ARRAYS:
            setattr(es, attr, getattr(state, attr).copy())
        es.cond, es.update_count = state.cond, state.update_count
        return es

    def _state(self, es: cma.Strategy, seed: np.random.SeedSequence) -> CMAState:
        seed_numpy_random(seed)
        samples = np.array(es.generate(np.asarray), dtype=np.float64)
        return CMAState(**{a: np.array(getattr(es, a), dtype=np.float64) for a in ARRAYS},
                        sigma=float(es.sigma), cond=float(es.cond), update_count=int(es.update_count),
                        samples=samples)

    def init(self, seed: np.random.SeedSequence) -> CMAState:
        n = self.genome_length
        es = cma.Strategy(centroid=np.zeros(n), sigma=self.options.step, lambda_=self.population,
                          mu=self.parents)
        return self._state(es, seed)

    def ask(self, state: CMAState) -> np.ndarray:
        return state.samples.copy()

    def tell(self, state: CMAState, genomes: np.ndarray, fitness: np.ndarray,
             seed: np.random.SeedSequence) -> CMAState:
        """DEAP's update from the evaluated (repaired) genomes, then the next generation's sample."""
        es = self._deap(state)
        es.update(organisms(genomes, fitness))
        low = self.options.floor * float(es.diagD[-1] ** 2)
        if es.diagD[0] ** 2 < low:
            # Lift the eigenvalues below the floor and rebuild C, B, D as DEAP's update does.
            d2 = np.maximum(es.diagD ** 2, low)
            es.C = (es.B * d2) @ es.B.T
            es.diagD = np.sqrt(d2)
            es.BD = es.B * es.diagD
            es.cond = float(d2[-1] / d2[0])
        return self._state(es, seed)

    def diagnostics(self, state: CMAState) -> dict[str, float]:
        return {"step_size": state.sigma, "condition": state.cond}

    def check_state(self, state: CMAState) -> None:
        n, lam = self.genome_length, self.population
        shapes = {"centroid": (n,), "C": (n, n), "pc": (n,), "ps": (n,), "B": (n, n), "diagD": (n,),
                  "BD": (n, n), "samples": (lam, n)}
        for name, shape in shapes.items():
            value = getattr(state, name)
            if not isinstance(value, np.ndarray) or value.shape != shape or not np.isfinite(value).all():
                raise ValueError(f"CMA-ES state: {name} must be a finite array of shape {shape}")
        if not (isinstance(state.sigma, float) and np.isfinite(state.sigma) and state.sigma > 0):
            raise ValueError(f"CMA-ES state: sigma must be a finite number > 0, got {state.sigma!r}")
        if not isinstance(state.update_count, int) or state.update_count < 0:
            raise ValueError(f"CMA-ES state: update_count must be an integer >= 0, got {state.update_count!r}")
