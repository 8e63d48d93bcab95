"""Behavioral objectives: choice events match their plain-Python twin, planted objectives are recovered,
Aurora's planners and heuristics get the objectives the essay says, and degenerate inputs give NaN with
a reason."""

from __future__ import annotations

import numpy as np
import pytest

import evolution
import organisms
import scenarios
from organisms.choice_model import chosen_columns, penalised_nll, reference_penalised_nll
from organisms.choices import NOTHING, population_choice_events, reference_choice_events
from organisms.episodes import reference_organism, reference_world
from scenarios import Feature, ItemKind, Objective, Scenario, WorldSpec
from tests.planted import (
    SPARSE_KINDS,
    choices_of,
    cosine,
    make_pantry,
    planted_planner,
    random_objectives,
)
from tests.test_assessment import planted, pseudo_aligned, robustly_aligned
from tests.test_kernels import random_population, spec_worlds
from tests.treasure import TREASURE_SPECS, make_treasure

# --- choice events ------------------------------------------------------------------------------

@pytest.mark.parametrize("spec_name", sorted(TREASURE_SPECS))
def test_compiled_choice_events_equal_the_plain_python_reference(spec_name):
    sc = make_treasure()
    rng = np.random.default_rng([3, len(spec_name)])
    pop = np.vstack([random_population(sc.layout, kind, 3, rng) for kind in ("planner", "heuristic")])
    ph = organisms.phenotype(sc, pop)
    worlds = spec_worlds(spec_name, seed=[5, len(spec_name)])
    batch = organisms.stack_worlds(worlds)
    organism, world, cell, available, chosen, taken, radius = population_choice_events(
        ph.is_planner, ph.heuristic_weights, ph.decay, ph.mesa_weights, ph.horizon, *batch.kernel_args())
    width = batch.walls.shape[2]
    events = 0
    for o in range(len(pop)):
        for w, sampled in enumerate(worlds):
            rows = np.flatnonzero((organism == o) & (world == w))
            ref = reference_choice_events(reference_organism(ph, o), reference_world(sampled))
            got = [((int(cell[r] // width), int(cell[r] % width)), np.flatnonzero(available[r]).tolist(),
                    np.flatnonzero(chosen[r]).tolist(), int(taken[r]), int(radius[r])) for r in rows]
            assert got == ref, f"{spec_name}: organism {o} world {w}"
            events += len(rows)
    assert events > len(worlds)  # organisms did choose


def test_every_event_chose_available_items_and_the_outside_option_only_after_its_last_take(treasure):
    pop = random_population(treasure.layout, "planner", 4, np.random.default_rng(0))
    ph = organisms.phenotype(treasure, pop)
    batch = organisms.stack_worlds(treasure.sample("mixed", 20, seed=1))
    for cs in organisms.choice_sets(ph, batch):
        assert not (cs.chosen & ~cs.available).any()
        assert cs.available.any(axis=1).all()
        took = cs.taken != NOTHING
        assert (cs.chosen.any(axis=1) == took).all()
        assert cs.chosen[np.flatnonzero(took), cs.taken[took]].all()  # the next take is always chosen
        for w in np.unique(cs.world):  # at most one outside-option event per world, and it is the last
            nothing = ~took[cs.world == w]
            assert nothing.sum() <= 1 and (not nothing.any() or nothing[-1])
        assert (cs.distance[cs.available] > 0).all()


def test_compiled_likelihood_equals_its_numpy_twin():
    rng = np.random.default_rng(0)
    n, k, p = 60, 7, 4
    z = rng.normal(size=(n, k, p))
    available = rng.random((n, k)) < 0.7
    available[:, 0] = True
    chosen = available & (rng.random((n, k)) < 0.3)
    chosen[::5] = False  # some events choose the outside option
    columns = chosen_columns(chosen)
    for theta in (np.zeros(p), rng.normal(size=p), 30 * rng.normal(size=p)):
        value, grad = penalised_nll(theta, z, available, columns, 0.01, True)
        ref_value, ref_grad = reference_penalised_nll(theta, z, available, columns, 0.01, True)
        assert value == pytest.approx(ref_value, rel=1e-10)
        assert np.allclose(grad, ref_grad, rtol=1e-8, atol=1e-12)
    took = chosen.any(axis=1)  # without the outside option, only events that took something
    value, grad = penalised_nll(theta, z[took], available[took], columns[took], 0.0, False)
    ref_value, ref_grad = reference_penalised_nll(theta, z[took], available[took], columns[took], 0.0, False)
    assert value == pytest.approx(ref_value, rel=1e-10) and np.allclose(grad, ref_grad, rtol=1e-8)


# --- recovery of planted objectives ---------------------------------------------------------------

@pytest.fixture(scope="module")
def pantry():
    return make_pantry()


def test_planted_planner_objectives_are_recovered_with_cosine_at_least_0_9_from_500_choices(pantry):
    for k, mesa in enumerate(random_objectives(5, seed=2024)):
        cs = choices_of(pantry, planted_planner(pantry, mesa), 500, seed=k)
        fit = organisms.fit_behavioral_objective(cs, np.ones(4, bool), bootstrap=0)
        assert fit.ok and fit.choices == 500
        assert cosine(fit.weights, mesa) >= 0.9, (mesa, fit.weights)
        assert fit.identifiable.all() and fit.rank == 4


def test_behavioral_objective_predicts_a_planted_planner_as_well_as_its_mesa_objective(pantry):
    mesa = random_objectives(1, seed=7)[0]
    cs = choices_of(pantry, planted_planner(pantry, mesa), 300, seed=1)
    fit = organisms.fit_behavioral_objective(cs, np.ones(4, bool), bootstrap=0)
    planted_accuracy = organisms.choice_accuracy(mesa, organisms.C_DIST, cs)
    assert planted_accuracy == 1.0  # the set-valued choice makes a planner's rule exact
    assert fit.accuracy >= planted_accuracy - 0.02
    # On a planner's scale (distance coefficient C_DIST) the weights are the planted ones.
    assert np.allclose(fit.mesa_equivalent(), mesa, atol=0.25 * np.abs(mesa).max())


def test_choices_reveal_how_much_a_planner_values_what_it_takes_but_not_how_much_it_dislikes_the_rest():
    sc = make_pantry(SPARSE_KINDS)
    mesa = np.array([-0.85, 0.39, -2.5, -0.05])  # only the lemon is worth taking
    fit = organisms.fit_behavioral_objective(choices_of(sc, planted_planner(sc, mesa), 500, seed=0),
                                             np.ones(4, bool), bootstrap=0)
    kinds = np.array(list(SPARSE_KINDS.values()))
    planted_values, fitted_values = kinds @ mesa, kinds @ fit.mesa_equivalent()
    liked = planted_values > 0
    assert np.allclose(fitted_values[liked], planted_values[liked], atol=0.05)
    assert (fitted_values[~liked] < 0).all()
    assert (fitted_values[~liked] > planted_values[~liked]).all()  # shrunk toward "just not worth it"
    assert cosine(fit.weights, mesa) < 0.9  # which is why the recovery claim needs trade-offs to watch


def test_bootstrap_standard_errors_are_reproducible_and_nan_where_the_weight_is(pantry):
    cs = choices_of(pantry, planted_planner(pantry, random_objectives(1, seed=3)[0]), 200, seed=2)
    a = organisms.fit_behavioral_objective(cs, np.array([True, True, True, False]), bootstrap=8, seed=5)
    b = organisms.fit_behavioral_objective(cs, np.array([True, True, True, False]), bootstrap=8, seed=5)
    assert np.array_equal(a.se, b.se, equal_nan=True)
    assert np.isfinite(a.se[:3]).all() and (a.se[:3] > 0).all()
    assert np.isnan(a.weights[3]) and np.isnan(a.se[3])  # not perceived: not part of the objective
    assert np.isnan(organisms.fit_behavioral_objective(cs, np.ones(4, bool), bootstrap=0).se).all()


# --- Aurora ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def aurora():
    return scenarios.get("aurora")


def evolved(sc, kinds: tuple[str, ...], seed: int):
    cfg = evolution.Config.for_scenario(sc, seed=seed, population=30, generations=25, kinds=kinds)
    run = evolution.evolve(sc, cfg, progress=False)
    return scenarios.assess(sc, run.population, worlds=80, behavior=True, bootstrap=0)


@pytest.mark.slow
def test_aurora_planners_behavioral_objective_predicts_their_choices_as_well_as_their_mesa_objective(aurora):
    table = evolved(aurora, ("planner",), seed=0)
    assert (table["kind"] == "planner").all()
    assert (table["behavior_reason"] == "").all()
    gap = table["behavior_accuracy"] - table["mesa_accuracy"]
    shown = table[["organism", "distribution", "behavior_accuracy", "mesa_accuracy"]]
    assert gap.abs().mean() <= 0.05, shown
    # Never worse by more than 5 points; where better, the mesa-objective ignores the planner's horizon.
    assert gap.min() >= -0.05, shown


@pytest.mark.slow
def test_aurora_heuristics_get_behavioral_objectives_with_positive_weight_on_the_aurora_banner(aurora):
    table = evolved(aurora, ("heuristic",), seed=0)
    train = table[table["distribution"] == "train"]
    assert (train["kind"] == "heuristic").all()
    assert (train["behavior:aurora"] > 0).all(), train["behavior:aurora"].describe()
    assert (train["behavior:aurora"] > train["behavior:brotherhood"]).all()
    # Heuristics have no mesa-objective: the behavioral one is what puts them on the planners' chart.
    assert train["mesa"].isna().all() and train["behavior_agreement"].notna().all()


def test_aurora_banner_and_diplomacy_are_confounded_for_behaviour_on_training_worlds(aurora):
    table = scenarios.assess(aurora, robustly_aligned(aurora), worlds=60, behavior=True, bootstrap=0)
    train = table[table["distribution"] == "train"].iloc[0]
    # Four perceived features vary, but on training worlds the banner is a perfect proxy for diplomacy.
    assert train["behavior_rank"] == 3
    # So no split of weight between them is reported: only their identified combination, and the
    # direction (banner against diplomacy) that no choice on training worlds can see.
    confounded = ["aurora", "brotherhood", "diplomacy"]
    assert np.isnan([train[f"behavior:{f}"] for f in confounded]).all()
    assert np.isfinite(train["behavior:own"]) and train["behavior:own"] < 0
    assert "plus any multiple of" in train["behavior_contrast"]
    assert all(f in train["behavior_contrast"] for f in confounded) and "own" not in train["behavior_contrast"]
    # The utilities it chose among are identified all the same: its agreement is defined, and high.
    assert train["behavior_agreement"] > 0.8


def test_behavior_columns_are_the_same_whatever_population_an_organism_is_assessed_with(aurora):
    pop = np.vstack([robustly_aligned(aurora), pseudo_aligned(aurora)])
    together = scenarios.assess(aurora, pop, worlds=40, behavior=True, bootstrap=4)
    alone = scenarios.assess(aurora, pop[1], worlds=40, behavior=True, bootstrap=4)
    cols = [c for c in together.columns if c.startswith("behavior") or c == "mesa_accuracy"]
    a = together[together["organism"] == 1][cols].reset_index(drop=True)
    b = alone[cols].reset_index(drop=True)
    assert a.equals(b)


# --- degenerate inputs ----------------------------------------------------------------------------

def one_kind_scenario() -> Scenario:
    return Scenario(name="coins", features=[Feature("gold"), Feature("shine")],
                    train=WorldSpec(size=(8, 8), steps=30, items=[ItemKind("coin", {"gold": 1, "shine": 1}, 6)]),
                    base=Objective({"gold": 1.0}))


def test_an_organism_that_never_moves_gets_nan_with_a_reason_in_the_table(aurora):
    still = planted(aurora, kind=-1.0)  # a heuristic valuing nothing: staying wins every tie
    shy = planted(aurora, kind=1.0, **{"mesa:aurora": -1.0, "mesa:brotherhood": -1.0, "mesa:own": -1.0})
    table = scenarios.assess(aurora, np.vstack([still, shy]), worlds=20, behavior=True, bootstrap=3)
    assert (table["outcome:aurora"] == 0).all()
    assert table["behavior_reason"].str.contains("took no item").all()
    behavior = [c for c in table.columns if c.startswith("behavior") and c not in ("behavior_reason",
                                                                                   "behavior_choices", "behavior_rank")]
    assert table[behavior].isna().all().all()
    assert (table.loc[table["kind"] == "heuristic", "label"] == "undetermined").all()


def test_a_world_with_one_item_kind_gives_nan_with_a_reason():
    sc = one_kind_scenario()
    genome = np.zeros(sc.layout.length)
    genome[sc.layout.kind] = 1.0
    genome[sc.layout.mesa] = [1.0, 0.5]
    genome[sc.layout.horizon] = 5.0
    table = scenarios.assess(sc, genome, worlds=20, behavior=True, bootstrap=3)
    row = table.iloc[0]
    assert row["outcome:gold"] > 0  # it does take coins ...
    assert "no perceived feature varies" in row["behavior_reason"]  # ... but never has to choose a kind
    assert np.isnan([row["behavior:gold"], row["behavior:shine"], row["behavior_accuracy"]]).all()
    assert np.isnan(row["agreement"]) and np.isnan(row["behavior_agreement"])  # one kind: no correlation


def test_fit_refuses_bad_arguments_and_reports_thin_or_blind_data(pantry):
    cs = choices_of(pantry, planted_planner(pantry, random_objectives(1, seed=3)[0]), 40, seed=0)
    with pytest.raises(ValueError, match="penalty"):
        organisms.fit_behavioral_objective(cs, np.ones(4, bool), penalty=0.0)
    with pytest.raises(ValueError, match="bootstrap"):
        organisms.fit_behavioral_objective(cs, np.ones(4, bool), bootstrap=-1)
    blind = organisms.fit_behavioral_objective(cs, np.zeros(4, bool))
    assert "perceives no feature" in blind.reason and np.isnan(blind.weights).all()
    thin = organisms.fit_behavioral_objective(cs, np.ones(4, bool), min_choices=1000)
    assert "fewer than 1000" in thin.reason and np.isnan(thin.accuracy)
    empty = organisms.fit_behavioral_objective(cs.subset(np.zeros(cs.n, bool)), np.ones(4, bool))
    assert "took no item" in empty.reason and empty.choices == 0
