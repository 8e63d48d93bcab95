"""Behavioral objectives: choice events match their plain-Python twin, planted objectives are recovered,
Aurora's planners and heuristics get the objectives the essay says, and degenerate inputs give NaN with
a reason."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from scipy.optimize import minimize

import evolution
import organisms
import scenarios
from organisms.behavioral_objective import within_reach
from organisms.choice_model import (
    chosen_columns,
    logit_sums,
    newton_fit,
    penalised_nll,
    reference_logit_sums,
    reference_penalised_nll,
)
from organisms.choices import NOTHING, population_choice_events, reference_choice_events
from organisms.reference import reference_organism, reference_world
from scenarios import AlignmentThresholds, Feature, ItemKind, Objective, Scenario, WorldSpec
from tests.organisms.test_kernels import random_population, spec_worlds
from tests.scenarios.test_assessment import planted, pseudo_aligned, robustly_aligned
from tests.support.planted import (
    SPARSE_KINDS,
    choices_of,
    cosine,
    make_pantry,
    planted_planner,
    random_objectives,
)
from tests.support.treasure import TREASURE_SPECS, make_treasure

# --- choice events ------------------------------------------------------------------------------

@pytest.mark.parametrize("spec_name", sorted(TREASURE_SPECS))
def test_compiled_choice_events_equal_the_plain_python_reference(spec_name):
    sc = make_treasure()
    rng = np.random.default_rng([3, len(spec_name)])
    pop = np.vstack([random_population(sc.layout, kind, 3, rng) for kind in ("planner", "heuristic")])
    ph = organisms.phenotype(sc, pop)
    worlds = spec_worlds(spec_name, seed=[5, len(spec_name)])
    batch = organisms.stack_worlds(worlds)
    organism, world, cell, available, chosen, taken, radius, _ = population_choice_events(ph, ph.is_planner, batch)
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


def random_events(seed: int, n: int = 80, k: int = 7, p: int = 4):
    rng = np.random.default_rng(seed)
    z = rng.normal(size=(n, k, p))
    available = rng.random((n, k)) < 0.7
    available[:, 0] = True
    chosen = available & (rng.random((n, k)) < 0.3)
    chosen[::5] = False  # some events choose the outside option
    return rng, z, available, chosen_columns(chosen)


def test_compiled_sums_per_group_equal_their_numpy_twin():
    rng, z, available, chosen = random_events(1)
    weight = rng.integers(0, 3, len(z)).astype(np.float64)  # a resample's multiplicities, zeros too
    group = rng.integers(0, 5, len(z)).astype(np.int64)
    for theta in (np.zeros(4), rng.normal(size=4), 20 * rng.normal(size=4)):
        got = logit_sums(theta, z, available, chosen, True, weight, group, 5, 2)
        ref = reference_logit_sums(theta, z, available, chosen, True, weight, group, 5)
        for a, b in zip(got, ref):
            assert np.allclose(a, b, rtol=1e-9, atol=1e-10)


def test_newton_solver_finds_the_optimum_scipy_finds():
    _, z, available, chosen = random_events(2, n=300)
    theta, iterations, converged = newton_fit(z, available, chosen, True, np.ones(len(z)), 1e-4, np.zeros(4), 100, 1e-9)
    ref = minimize(reference_penalised_nll, np.zeros(4), args=(z, available, chosen, 1e-4, True), jac=True,
                   method="L-BFGS-B", options={"gtol": 1e-10, "maxiter": 1000})
    assert converged and iterations < 30
    assert np.allclose(theta, ref.x, atol=1e-5)


# --- recovery of planted objectives ---------------------------------------------------------------

@pytest.fixture(scope="module")
def pantry():
    return make_pantry()


@pytest.fixture(scope="module")
def shortest_pantry():
    """The pantry with shortest-path routes: the fit's own model of a planner (its distances are
    shortest paths), where claims about the fit's statistics are exact."""
    return replace(make_pantry(), avoid_harm=False)


def test_planted_planner_objectives_are_recovered_with_cosine_at_least_0_9_from_500_choices(pantry):
    for k, mesa in enumerate(random_objectives(5, seed=2024)):
        cs = choices_of(pantry, planted_planner(pantry, mesa), 500, seed=k)
        fit = organisms.fit_behavioral_objective(cs, np.ones(4, bool), bootstrap=0)
        assert fit.ok and fit.choices == 500
        assert cosine(fit.weights, mesa) >= 0.9, (mesa, fit.weights)
        assert fit.identifiable.all() and fit.rank == 4


@pytest.mark.parametrize("avoid_harm", [False, True])
def test_behavioral_objective_predicts_a_planted_planner_as_well_as_its_mesa_objective(pantry, avoid_harm):
    sc = replace(pantry, avoid_harm=avoid_harm)
    mesa = random_objectives(1, seed=7)[0]
    cs = choices_of(sc, planted_planner(sc, mesa), 300, seed=1)
    fit = organisms.fit_behavioral_objective(cs, np.ones(4, bool), bootstrap=0)
    planted_accuracy = organisms.choice_accuracy(mesa, organisms.C_DIST, cs)
    if avoid_harm:
        # The fit's distances are shortest paths, the planner's are its routes around what it values
        # below zero: its own rule, read on shortest paths, misses a few choices (the documented limit).
        assert 0.95 <= planted_accuracy < 1.0
    else:
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
    behavior = [c for c in table.columns if c.startswith("behavior") and c not in (
        "behavior_reason", "behavior_choices", "behavior_rank", "behavior_contrast", "behavior_label")]
    assert table[behavior].isna().all().all()
    assert (table["label"] == "inactive").all()  # takes nothing: no verdict on its objective
    assert (table["behavior_label"] == "inactive").all()


def test_a_world_with_one_item_kind_reveals_only_the_combination_of_its_features():
    sc = one_kind_scenario()
    genome = np.zeros(sc.layout.length)
    genome[sc.layout.kind] = 1.0
    genome[sc.layout.mesa] = [1.0, 0.5]
    genome[sc.layout.horizon] = 5.0
    table = scenarios.assess(sc, genome, worlds=20, behavior=True, bootstrap=3)
    row = table.iloc[0]
    assert row["outcome:gold"] > 0  # it does take coins: a coin is worth more than nothing ...
    assert row["behavior_reason"] == "" and row["behavior_rank"] == 1
    # ... but gold and shine always come together: neither gets a weight of its own.
    assert np.isnan([row["behavior:gold"], row["behavior:shine"]]).all()
    assert "gold" in row["behavior_contrast"] and "shine" in row["behavior_contrast"]
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


# --- honest numbers: world bootstrap, held-out accuracy, ties, horizon, label stability --------------

def test_one_step_world_bootstrap_tracks_draws_refitted_to_convergence(shortest_pantry):
    """The default draws take one Newton step from the full estimate; refitting each to convergence is
    the check. They agree closely for most organisms; where a few resamples move a separable fit far,
    the one-step errors are smaller (1 of these 8 objectives: half). Checked where the choice model is
    the planner's own (shortest paths): with routes around harm the median ratio is 1.18, one objective
    at 1.98 (docs/behavioral_objective.md, "Routes around harm")."""
    pantry = shortest_pantry
    ratios, gaps = [], []
    for k, mesa in enumerate(random_objectives(8, seed=4)):
        cs = choices_of(pantry, planted_planner(pantry, mesa), 400, seed=3 + k)
        fast = organisms.fit_behavioral_objective(cs, np.ones(4, bool), bootstrap=50, seed=1, folds=0)
        slow = organisms.fit_behavioral_objective(cs, np.ones(4, bool), bootstrap=50, seed=1, folds=0, refit=True)
        assert fast.draws.shape == (50, 4)
        ratios.append(np.median(fast.se / slow.se))
        gaps.append(np.median(np.abs(fast.draws - slow.draws)))
    assert 0.9 <= np.median(ratios) <= 1.1 and min(ratios) >= 0.4, ratios
    assert max(gaps) < 0.002, gaps


def test_bootstrap_resamples_worlds_so_copied_events_add_no_information(pantry):
    """Events of one world are dependent. Copying every world's events five times (perfect dependence)
    leaves the estimate and its world-bootstrap errors as they were; an event bootstrap would shrink
    the errors by sqrt(5)."""
    cs = choices_of(pantry, planted_planner(pantry, random_objectives(1, seed=5)[0]), 300, seed=4)
    copied = organisms.ChoiceSets(*(np.concatenate([a] * 5) for a in cs))
    one = organisms.fit_behavioral_objective(cs, np.ones(4, bool), bootstrap=200, seed=2, folds=0)
    five = organisms.fit_behavioral_objective(copied, np.ones(4, bool), bootstrap=200, seed=2, folds=0)
    assert np.allclose(one.weights, five.weights, atol=1e-6)
    assert np.allclose(one.se, five.se, rtol=1e-6)


def test_held_out_a_planted_planner_beats_the_distance_only_baseline_and_a_feature_blind_chooser_does_not(pantry):
    cs = choices_of(pantry, planted_planner(pantry, random_objectives(1, seed=6)[0]), 600, seed=5)
    fit = organisms.fit_behavioral_objective(cs, np.ones(4, bool), bootstrap=0)
    assert fit.heldout_accuracy >= 0.95 and fit.heldout_accuracy > fit.baseline_accuracy + 0.3
    assert fit.heldout_loglik > fit.baseline_loglik + 0.5
    # The model has no stochastic organism: a chooser blind to features is drawn on the same choice
    # sets, heading for an item with probability decreasing in its distance, or for nothing.
    rng = np.random.default_rng(0)
    logits = np.where(cs.available, 1.0 - 0.3 * cs.distance, -np.inf)
    logits = np.concatenate([logits, np.zeros((cs.n, 1))], axis=1)
    prob = np.exp(logits - logits.max(axis=1, keepdims=True))
    prob /= prob.sum(axis=1, keepdims=True)
    pick = (prob.cumsum(axis=1) > rng.random((cs.n, 1))).argmax(axis=1)
    chosen = np.zeros_like(cs.chosen)
    took = pick < cs.chosen.shape[1]
    chosen[np.flatnonzero(took), pick[took]] = True
    blind = cs._replace(chosen=chosen, taken=np.where(took, pick, organisms.NOTHING))
    walk = organisms.fit_behavioral_objective(blind, np.ones(4, bool), bootstrap=0)
    assert walk.ok
    assert walk.heldout_accuracy <= walk.baseline_accuracy + 0.02
    assert walk.heldout_loglik <= walk.baseline_loglik + 0.01


def test_a_tie_is_not_a_hit():
    features = np.array([[[1.0], [1.0], [0.0]]])  # two items alike, at one distance: no objective parts them
    cs = organisms.ChoiceSets(features=features, distance=np.array([[2.0, 2.0, 1.0]]),
                              available=np.ones((1, 3), bool), chosen=np.array([[True, False, False]]),
                              taken=np.array([0]), world=np.array([0]))
    assert organisms.choice_accuracy(np.array([1.0]), 0.05, cs) == 0.5
    assert organisms.choice_accuracy(np.array([1.0]), 0.05, cs, ties="hit") == 1.0


def test_choice_sets_respect_a_planners_horizon(shortest_pantry):
    # On shortest paths, where the fit's distances are the planner's: with routes around harm the
    # recovered distance aversion of this organism is 1.38 times the planted one (the documented limit).
    pantry = shortest_pantry
    mesa = random_objectives(1, seed=8)[0]
    genome = planted_planner(pantry, mesa, horizon_gene=-1.0)
    horizon = int(organisms.phenotype(pantry, genome).horizon[0])
    assert horizon == 7
    cs = choices_of(pantry, genome, 400, seed=6)
    assert (cs.reach <= horizon).all()
    seen = within_reach(cs)
    assert (seen.distance[seen.available] <= horizon).all()
    assert (cs.distance[cs.available] > horizon).any()  # there was something beyond its search
    # Items beyond its search are not alternatives it turned down: with them in the choice sets the fit
    # explains their neglect by a steep distance aversion; without them it recovers the planted one.
    honest = organisms.fit_behavioral_objective(cs, np.ones(4, bool), bootstrap=0)
    blind = organisms.fit_behavioral_objective(cs._replace(reach=None), np.ones(4, bool), bootstrap=0)
    planted_distance = organisms.C_DIST / np.linalg.norm(mesa)
    assert abs(honest.distance / planted_distance - 1) < 0.25
    assert blind.distance > 2 * planted_distance
    assert organisms.choice_accuracy(mesa, organisms.C_DIST, seen) > organisms.choice_accuracy(
        mesa, organisms.C_DIST, cs) + 0.1


def test_label_stability_is_one_for_a_clear_cut_organism_and_lower_for_a_borderline_one(aurora):
    genome = pseudo_aligned(aurora)
    table = scenarios.assess(aurora, genome, worlds=60, behavior=True, bootstrap=200)
    assert (table["behavior_label"] == "pseudo-aligned").all()
    assert (table["behavior_label_stability"] == 1.0).all()  # agreement 0.9 on training, -1 under shift
    # The draws reach the agreement itself: an error bar, small beside the 0.5 threshold's distance.
    assert ((table["behavior_agreement_se"] > 0) & (table["behavior_agreement_se"] < 0.1)).all()
    # Judged at a threshold equal to its own training agreement, the same organism is a borderline case.
    own = float(table.loc[table["distribution"] == "train", "behavior_agreement"].iloc[0])
    border = scenarios.assess(aurora, genome, worlds=60, behavior=True, bootstrap=200,
                              thresholds=AlignmentThresholds(agreement=own))
    assert (border["behavior_label"] == "pseudo-aligned").all()
    assert 0.1 <= border["behavior_label_stability"].iloc[0] <= 0.9


# --- the guide's custom-scenario example ----------------------------------------------------------

def fruit_scenario() -> Scenario:
    """The guide's scenario of one's own (docs/guide.md), as written there."""
    return Scenario(
        name="fruit",
        features=[Feature("sweet"), Feature("nutrition", observable=False),
                  Feature("toxin", observable=False, sensor_cost=0.2)],
        train=WorldSpec(size=(12, 12), steps=40,
                        items=[ItemKind("fruit", {"sweet": 1, "nutrition": 1}, count=8),
                               ItemKind("berry", {"sweet": 1, "toxin": 1}, count=(2, 4))]),
        deploy={"candy": WorldSpec(size=(12, 12), steps=40, layout="rooms",
                                   items=[ItemKind("candy", {"sweet": 1}, count=8),
                                          ItemKind("fruit", {"sweet": 1, "nutrition": 1}, count=2)])},
        base=Objective({"nutrition": 1.0, "toxin": -1.0}),
        defaults={"kinds": ("planner",)},
    )


def test_the_guide_fruit_example_gets_behavioral_objectives_that_predict_held_out_choices():
    """Every item is sweet, so sweetness never varies within a choice set: it is revealed only against
    the outside option (take it, or take nothing), which the fit once ignored (accuracy 0.06)."""
    sc = fruit_scenario()
    # As evolution leaves them: sweet-seekers that pay for the toxin sensor and shun berries.
    pop = np.vstack([planted(sc, kind=1.0, **{"mesa:sweet": 1.0, "mesa:toxin": -1.3, "sensor:toxin": 1.0,
                                              "horizon": 1.0}),
                     planted(sc, kind=1.0, **{"mesa:sweet": 1.0, "sensor:toxin": -1.0, "horizon": 1.0})])
    table = scenarios.assess(sc, pop, worlds=100, behavior=True, bootstrap=50)
    assert (table["behavior_reason"] == "").all()
    assert (table["behavior_heldout_accuracy"] >= 0.8).all(), table["behavior_heldout_accuracy"]
    assert (table["behavior:sweet"] > 0).all()
    train = table[table["distribution"] == "train"].set_index("organism")
    assert train.loc[0, "behavior:toxin"] < 0  # it shuns what its sensor shows
    # Telling berries from fruit is what the objective adds to "go for what is near".
    assert train.loc[0, "behavior_heldout_accuracy"] > train.loc[0, "behavior_baseline_accuracy"] + 0.1
    assert train.loc[0, "behavior_heldout_loglik"] > train.loc[0, "behavior_baseline_loglik"]
    candy = table[table["distribution"] == "candy"]
    assert (candy["behavior_rank"] == 1).all()  # only sweet-or-nothing is contrasted among candy and fruit
