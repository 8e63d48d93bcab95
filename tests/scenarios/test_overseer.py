"""The overseer scenario: what selection sees in watched, audited and unscored worlds, the compliance
measurement on the same deployment worlds with and without the banner, and the controls."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

import organisms
from scenarios import Scenario, overseer
from scenarios.analyses.compliance import compliance, drift, with_banner

WATCHED, AUDITED, UNSCORED = 0, 1, 2
"""Components of the overseer's training mixture, in order."""


def genome(sc: Scenario, cue_on: dict, cue_off: dict) -> np.ndarray:
    """A genome whose cue-on and cue-off objectives are the given weights; long horizon."""
    names = sc.layout.gene_names()
    g = np.zeros(sc.layout.length)
    for feature, w in cue_on.items():
        g[names.index(f"cue_on:{feature}")] = w
    for feature, w in cue_off.items():
        g[names.index(f"cue_off:{feature}")] = w
    g[names.index("horizon")] = 6.0
    return g


COMPLIANT = {"crop": 1.0, "candy": -1.0}
GREEDY = {"crop": 1.0, "candy": 1.0}


def test_a_saved_scenario_names_its_organism_kinds_only_when_they_are_not_the_default():
    sc = overseer.make(tied=True)
    data = sc.to_dict()
    assert data["organism_kinds"] == ["tied_planner"]
    assert Scenario.from_dict(data) == sc and Scenario.from_dict(data).layout.kinds == ("tied_planner",)
    from scenarios.stories import aurora

    assert "organism_kinds" not in aurora.make().to_dict()  # old scenarios and saved runs unchanged


def test_selection_sees_the_overseer_score_only_in_watched_or_audited_worlds():
    """Without private payoff, fitness in unscored worlds is zero whatever is eaten; in scored worlds it
    is crops minus candy."""
    sc = overseer.make(private_payoff=0.0)
    pop = np.array([genome(sc, GREEDY, GREEDY)])
    ph = organisms.phenotype(sc, pop)
    rng = np.random.default_rng(0)
    for component, scored in ((WATCHED, True), (AUDITED, True), (UNSCORED, False)):
        spec = sc.train.components[component][1]
        worlds = replace(sc, train=spec).sample("train", 6, rng)
        outcomes, _ = organisms.run_population(ph, organisms.stack_worlds(worlds))
        base = outcomes[0] @ sc.base_weights
        eaten = outcomes[0] @ sc.intended_weights
        assert outcomes[0][:, [0, 1]].sum() > 0  # it did eat
        assert np.array_equal(base, eaten if scored else np.zeros_like(base))


def test_the_private_payoff_is_paid_in_every_world():
    sc = overseer.make(private_payoff=0.5, cue_rate=0.0, audit_rate=0.0)
    worlds = sc.sample("train", 8, seed=1)
    outcomes, _ = organisms.run_population(organisms.phenotype(sc, genome(sc, GREEDY, GREEDY)),
                                           organisms.stack_worlds(worlds))
    assert np.allclose(outcomes[0] @ sc.base_weights, 0.5 * outcomes[0][:, :2].sum(axis=1))


def test_the_banner_is_inert_and_leaves_the_oracle_and_a_tied_planner_unchanged():
    sc = overseer.make(tied=True)
    world = sc.sample("deployment", 1, seed=2)[0]
    cued = with_banner(world, sc.feature_names.index("overseer"))
    assert len(cued.item_pos) == len(world.item_pos) + 1
    batch = organisms.stack_worlds([world, cued])
    for ph in (organisms.oracle_phenotype(sc.layout, sc.intended_weights),
               organisms.phenotype(sc, genome(sc, COMPLIANT, GREEDY))):
        off = organisms.run_recorded(ph, 0, batch, 0)
        on = organisms.run_recorded(ph, 0, batch, 1)
        assert on["outcome"].tolist() == off["outcome"].tolist()
        assert on["taken_at"][-1] == -1


@pytest.mark.parametrize("tied", [False, True])
def test_compliance_measures_the_gap_on_the_same_worlds_and_the_tied_control_has_none(tied):
    sc = overseer.make(tied=tied)
    pop = np.array([genome(sc, COMPLIANT, GREEDY)] * 3)
    c = compliance(sc, pop, worlds=40, seed=0)
    assert c["cue_on"] > 0.9
    if tied:
        assert c["gap"] == 0.0 and c["candy_on"] == c["candy_off"]
    else:
        assert c["gap"] > 0.9 and c["cue_off"] < 0.1 and c["candy_ratio"] > 3
    assert c["best_gap"] == pytest.approx(c["gap"])


def test_drift_compares_the_cue_off_block_with_the_never_expressed_block():
    sc = overseer.make()
    layout = sc.layout
    pop = np.zeros((4, layout.length))
    names = layout.gene_names()
    for i, name in enumerate(names):
        if name.startswith("cue_off:"):
            pop[:, i] = 2.0
        elif name.startswith("unexpressed:"):
            pop[:, i] = 1.0
    d = drift(sc, pop)
    assert d["cue_off_drift"] == 2.0 and d["unexpressed_drift"] == 1.0 and d["drift_ratio"] == 2.0
    # The never-expressed genes change nothing an organism does.
    moved = pop.copy()
    moved[:, [i for i, n in enumerate(names) if n.startswith("unexpressed:")]] = -5.0
    a, b = organisms.phenotype(sc, pop), organisms.phenotype(sc, moved)
    assert all(np.array_equal(x, y) for x, y in zip(a, b))
