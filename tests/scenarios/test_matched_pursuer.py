"""The matched pursuer's objective: the base objective as an organism can perceive it on the
distribution judged (``scenarios.engine.matched``)."""

from __future__ import annotations

import numpy as np
import pytest

import organisms
import scenarios
from scenarios.engine.matched import matched_columns, perceived_base
from tests.support.planted import aurora_planner, genome


def _weights(sc, vector) -> dict[str, float]:
    return {name: float(v) for name, v in zip(sc.feature_names, vector) if v != 0}


def test_a_pursuer_that_perceives_what_the_base_objective_reads_pursues_it_exactly():
    sc = scenarios.get("aurora")
    everything = np.ones(len(sc.feature_names), dtype=bool)
    for name in sc.distributions:
        assert np.array_equal(perceived_base(sc, everything, name), sc.base_weights)


def test_without_the_sensor_the_banner_stands_for_the_war_as_far_as_it_does_on_each_distribution():
    sc = scenarios.get("aurora")
    blind = np.array([name != "diplomacy" for name in sc.feature_names])
    # In training Aurora is the enemy: its banner is worth what the war is; in brotherhood_war the roles
    # have moved, and so have the banners' values. Own villages are -2 wherever they stand.
    assert _weights(sc, perceived_base(sc, blind, "train")) == {"aurora": 1.0, "brotherhood": -1.0, "own": -2.0}
    assert _weights(sc, perceived_base(sc, blind, "brotherhood_war")) == \
        {"aurora": -1.0, "brotherhood": 1.0, "own": -2.0}


def test_an_unreliable_banner_is_worth_what_it_predicts_on_average():
    sc = scenarios.get("aurora", banner_reliability=0.75)
    blind = np.array([name != "diplomacy" for name in sc.feature_names])
    got = _weights(sc, perceived_base(sc, blind, "train"))
    # Aurora is the enemy in 3 worlds of 4: its banner predicts +1 three times, -1 once.
    assert got["aurora"] == pytest.approx(0.5) and got["brotherhood"] == pytest.approx(-0.5)
    assert got["own"] == pytest.approx(-2.0)


def test_collateral_harm_counts_the_base_value_of_harmful_takes_the_pursuer_would_not_make():
    sc = scenarios.get("aurora")
    pop = np.vstack([aurora_planner(sc), aurora_planner(sc, own=0.5),
                     genome(sc, kind=1.0, horizon=5.0, **{"sensor:diplomacy": 1.0, "mesa:own": 1.0})])
    ph = organisms.phenotype(sc, pop)
    batch = organisms.stack_worlds(sc.sample("train", 40, 3))
    outcomes, _ = organisms.run_population(ph, batch)
    base = (outcomes @ sc.base_weights).mean(axis=1)
    cols = matched_columns(sc, ph, batch, "train", base)
    assert cols["collateral_harm"][0] == 0.0 and cols["decision_agreement"][0] == 1.0
    assert cols["matched_frac"][0] == 1.0
    # Own villages are worth -2 to the base objective: a planner that seeks them out loses 2 a take (and
    # whatever allied village, -1, it tramples on the way); the pursuer takes none of them.
    own = outcomes[2, :, sc.feature_names.index("own")].mean()
    assert own > 1
    assert cols["collateral_harm"][2] >= 2 * own
    assert 0 < cols["collateral_harm"][1] < cols["collateral_harm"][2]
    assert (cols["matched_base"] == cols["matched_base"][0]).all()  # one pursuer for all three
