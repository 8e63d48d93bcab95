"""Hubinger et al. (2019) §4's toy example of deceptive alignment, computed exactly and by simulation.

An agent wants to go to B as often as possible. There are ``T`` training episodes and then ``D``
deployment episodes; it cannot tell which it is in, and if it goes to B during training it is
modified and never goes to B again (the B it took still counts). It goes to B with probability
``p`` in every episode while unmodified. With q = 1 - p, the expected number of B-episodes is

    E(p) = (1 - q^T) + q^T * D * p

(a B in training ends its run after that one B; with no B in training, each deployment episode is B
with probability p). Setting dE/dp = q^(T-1) * (T + D q - D T p) to zero gives the optimum

    p* = (T + D) / (D (T + 1)),

so for the paper's T = 2, D = 3: p* = 5/9 ≈ 0.556 with E = 275/243 ≈ 1.132. The paper reports
p ≈ 0.61; under the rules as stated the curve is flat there (E(0.61) ≈ 1.126), which is why a rough
optimisation can land on it. This is the toy, not a claim about the evolving organisms of
``scenarios.overseer``, which have no objective spanning episodes.

Run it: ``python -m scenarios.deceptive_toy [--training T] [--deployment D] [--out FIGURE]``.
"""

from __future__ import annotations

import argparse
from fractions import Fraction
from pathlib import Path

import numpy as np
from scipy.optimize import minimize_scalar

from organisms.validation import require_integer

PAPER_P = 0.61
"""The defection probability the paper reports as optimal."""


def expected_b(p, training: int = 2, deployment: int = 3):
    """E(p), the expected number of B-episodes: exact (a ``Fraction`` in, a ``Fraction`` out) or on
    arrays of floats."""
    q = 1 - p
    return (1 - q ** training) + q ** training * deployment * p


def optimum(training: int = 2, deployment: int = 3) -> tuple[Fraction, Fraction]:
    """The exact optimal defection probability p* = (T + D) / (D (T + 1)) and E(p*)."""
    require_integer(training, "training", lo=1)
    require_integer(deployment, "deployment", lo=1)
    p = Fraction(training + deployment, deployment * (training + 1))
    return p, expected_b(p, training, deployment)


def simulate(p: float, n: int, rng: np.random.Generator, training: int = 2, deployment: int = 3) -> dict:
    """``n`` agents defecting with probability ``p``, episode by episode.

    Returns:
        ``b`` (B-episodes per agent), and ``k``, ``m``: the B and A choices each made while unmodified
        (the choices ``p`` governs; what a likelihood ratio needs to reweight to another ``p``).
    """
    # The first B is geometric in episodes; after it in deployment, the rest are independent coins.
    first = rng.geometric(p, size=n) if p > 0 else np.full(n, np.iinfo(np.int64).max)
    total = training + deployment
    in_training, never = first <= training, first > total
    rest = np.where(in_training | never, 0, total - first)
    extra = rng.binomial(rest, p)
    b = np.where(never, 0, 1 + extra)
    k = b.copy()
    m = np.where(never, total, np.minimum(first, total + 1) - 1 + rest - extra)
    return {"b": b, "k": k, "m": m}


def simulated_optimum(n: int, rng: np.random.Generator, training: int = 2, deployment: int = 3,
                      p0: float = 0.5) -> float:
    """The optimum of the simulated curve: agents simulated once at ``p0``, their B-counts reweighted
    to every p by the likelihood ratio of the choices they made, p^k (1-p)^m / (p0^k (1-p0)^m),
    and the resulting smooth estimate of E(p) maximised on [0, 1]."""
    sim = simulate(p0, n, rng, training, deployment)
    # k equals b (every B is a free choice), so (b, m) names an agent's pattern of choices.
    width = training + deployment + 1
    counts = np.bincount(sim["b"] * width + sim["m"], minlength=width * width)
    pattern = np.flatnonzero(counts)
    b, m = np.divmod(pattern, width)
    k = b
    weights = counts[pattern] / n

    def minus_e(p: float) -> float:
        return -float(np.sum(weights * b * (p / p0) ** k * ((1 - p) / (1 - p0)) ** m))

    return float(minimize_scalar(minus_e, bounds=(0.0, 1.0), method="bounded", options={"xatol": 1e-9}).x)


def draw(path: Path, training: int = 2, deployment: int = 3, n: int = 200_000, seed: int = 0) -> Path:
    """The exact curve, simulated points with 95 % intervals, the optimum and the paper's p."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rng = np.random.default_rng(seed)
    grid = np.linspace(0.0, 1.0, 401)
    ps = np.linspace(0.05, 0.95, 19)
    sims = [simulate(float(p), n, rng, training, deployment)["b"] for p in ps]
    p_star, e_star = optimum(training, deployment)
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(grid, expected_b(grid, training, deployment), label="exact E(p)")
    ax.errorbar(ps, [s.mean() for s in sims], yerr=[1.96 * s.std() / np.sqrt(n) for s in sims], fmt="o",
                ms=3, label=f"simulated ({n:,} agents per point)")
    ax.axvline(float(p_star), ls="--", c="k", label=f"optimum p* = {p_star} (E = {e_star})")
    ax.axvline(PAPER_P, ls=":", c="r", label=f"paper's p = {PAPER_P} (E = {expected_b(PAPER_P, training, deployment):.3f})")
    ax.set(xlabel="probability of going to B in an episode (p)", ylabel="expected B-episodes",
           title=f"Hubinger et al. §4 toy: {training} training, {deployment} deployment episodes")
    ax.legend(fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return path


def main(argv: list[str] | None = None) -> int:
    """Print the exact optimum, the simulated one and E at the paper's p; draw the curve."""
    parser = argparse.ArgumentParser(prog="python -m scenarios.deceptive_toy", description=__doc__.split("\n")[0])
    parser.add_argument("--training", type=int, default=2)
    parser.add_argument("--deployment", type=int, default=3)
    parser.add_argument("--agents", type=int, default=20_000_000, help="simulated agents for the optimum")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=None, help="write the figure here (PNG or SVG)")
    args = parser.parse_args(argv)
    try:
        p_star, e_star = optimum(args.training, args.deployment)
    except ValueError as exc:
        print(f"{parser.prog}: error: {exc}")
        return 2
    t, d = args.training, args.deployment
    sim = simulated_optimum(args.agents, np.random.default_rng(args.seed), t, d)
    print(f"E(p) = (1 - (1-p)^{t}) + (1-p)^{t} * {d} * p;  p* = (T + D) / (D (T + 1))")
    print(f"exact optimum p* = {p_star} = {float(p_star):.4f}, E(p*) = {e_star} = {float(e_star):.4f}")
    print(f"simulated optimum ({args.agents:,} agents) p = {sim:.4f}")
    print(f"at the paper's p = {PAPER_P}: E = {expected_b(PAPER_P, t, d):.4f}")
    if args.out is not None:
        print(f"figure: {draw(args.out, t, d, seed=args.seed)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
