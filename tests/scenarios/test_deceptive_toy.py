"""Hubinger et al.'s §4 toy: the exact optimum, checked by simulation."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from scipy.optimize import minimize_scalar

from scenarios.analyses import deceptive_toy as toy

EPISODE_COUNTS = [(2, 3), (1, 4), (3, 5), (2, 10)]
"""(training, deployment) episode counts, the paper's first."""


def test_the_papers_rules_give_five_ninths_not_the_reported_point_six_one():
    p, e = toy.optimum(2, 3)
    assert (p, e) == (Fraction(5, 9), Fraction(275, 243))
    assert toy.expected_b(0.61) == pytest.approx(1.126, abs=5e-4)
    assert toy.expected_b(0.61) < float(e)


@pytest.mark.parametrize("training, deployment", EPISODE_COUNTS)
def test_the_closed_form_optimum_maximises_the_exact_curve(training, deployment):
    p, e = toy.optimum(training, deployment)
    found = minimize_scalar(lambda x: -toy.expected_b(x, training, deployment), bounds=(0, 1),
                            method="bounded", options={"xatol": 1e-10})
    assert float(p) == pytest.approx(found.x, abs=1e-6)
    assert float(e) == pytest.approx(-found.fun, abs=1e-9)


@pytest.mark.parametrize("training, deployment", EPISODE_COUNTS)
def test_simulated_and_exact_optima_agree_to_three_decimals(training, deployment):
    rng = np.random.default_rng([13, training, deployment])
    simulated = toy.simulated_optimum(20_000_000, rng, training, deployment)
    assert abs(simulated - float(toy.optimum(training, deployment)[0])) < 5e-4


@pytest.mark.parametrize("p", [0.2, 5 / 9, 0.9])
def test_simulated_mean_b_episodes_match_the_exact_curve(p):
    b = toy.simulate(p, 400_000, np.random.default_rng(3))["b"]
    assert abs(b.mean() - toy.expected_b(p)) < 4 * b.std() / np.sqrt(len(b))
