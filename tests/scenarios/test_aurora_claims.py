"""The Aurora story's science claims, on a reduced configuration with fixed seeds.

The full measurement (5 seeds, every condition, populations 100-200) is
``python -m studies.aurora_claims``; these are the same claims at population 100 and 40
generations, three seeds each, so the suite stays fast.
"""

from __future__ import annotations

import pytest

import evolution
import scenarios

pytestmark = pytest.mark.slow  # every test here runs full evolutions (population 100, 40 generations)

SEEDS = (0, 1, 2)


def _measure(seed: int, **knobs) -> dict:
    sc = scenarios.get("aurora", **knobs)
    cfg = evolution.Config.for_scenario(sc, seed=seed, population=100, generations=40)
    run = evolution.evolve(sc, cfg, progress=False)
    table = scenarios.assess(sc, run.population, worlds=150, seed=0)
    train = table[table.distribution == "train"]
    deploy = table[table.distribution == "brotherhood_war"]
    return {
        "best_train_frac": train.base.max() / train.oracle_base.iloc[0],
        "train_frac": train.base.mean() / train.oracle_base.iloc[0],
        "deploy_frac": deploy.base.mean() / deploy.oracle_base.iloc[0],
        "sensor": train["sensor:diplomacy"].mean(),
        "agree_train": train.agreement.mean(),
        "agree_deploy": deploy.agreement.mean(),
    }


@pytest.mark.parametrize("seed", SEEDS)
def test_aurora_planners_are_pseudo_aligned_when_the_banner_is_a_perfect_proxy(seed):
    m = _measure(seed, banner_reliability=1.0)
    # The README's numbers, as stated: the population is as good as the oracle in training ...
    assert m["train_frac"] >= 0.90, m
    assert m["best_train_frac"] >= 0.85, m
    assert m["deploy_frac"] < 0.0, m  # ... and worse than doing nothing against the Brotherhood
    assert m["sensor"] <= 0.05, m  # the costly true signal is dropped
    assert m["agree_train"] >= 0.7, m
    assert m["agree_train"] - m["agree_deploy"] >= 0.5, m


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("reliability", [0.5, 0.75])
def test_aurora_unreliable_banner_selects_the_diplomacy_sensor(seed, reliability):
    m = _measure(seed, banner_reliability=reliability)
    assert m["sensor"] >= 0.8, m
    assert m["deploy_frac"] >= 0.7, m
    assert m["agree_deploy"] >= 0.6, m


def test_aurora_free_sensor_does_not_make_training_on_a_perfect_proxy_robust():
    # With the true signal free but a perfect proxy in training, nothing reliably selects the true
    # goal: the split between banner and diplomacy weights drifts, and across seeds the deploy score
    # stays far below what diverse training (reliability < 1, >= 95 % of the oracle) achieves.
    fracs = [_measure(seed, banner_reliability=1.0, sensor_cost=0.0)["deploy_frac"] for seed in SEEDS]
    assert sum(fracs) / len(fracs) <= 0.5, fracs
