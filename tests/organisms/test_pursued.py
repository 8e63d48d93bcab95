"""What each kind pursues: the objective measurement reads (``organisms.pursued``) is the objective its
policy searches for. For every registered kind, an organism's trajectory in each world equals that of a
plain planner with the same horizon and perception pursuing the hook's objective for that world; a
kind that declares no objective gets NaN, never a silent 0."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

import organisms
from organisms import kinds
from organisms.planner import CODE as PLANNER_CODE
from scenarios.engine.world import assessment_seed
from scenarios.stories import overseer

KIND_NAMES = [kind.name for kind in kinds.REGISTRY]
WORLDS = 12


@pytest.fixture(scope="module")
def every_kind():
    """The overseer's fields (worlds with and without the cue) with a layout carrying every kind, and
    random genomes of each kind."""
    sc = replace(overseer.make(), organism_kinds=tuple(KIND_NAMES), defaults={"kinds": tuple(KIND_NAMES)})
    rng = np.random.default_rng(5)
    pop = rng.normal(size=(4 * len(KIND_NAMES), sc.layout.length))
    for k, name in enumerate(KIND_NAMES):
        pop[4 * k:4 * (k + 1), sc.layout.kind] = sc.layout.kind_gene_value(name)
    return sc, pop


def plain_planner(ph: organisms.Phenotype, o: int, weights: np.ndarray) -> organisms.Phenotype:
    """A plain planner with organism ``o``'s horizon and perception, pursuing ``weights``."""
    one = organisms.Phenotype(*(field[o:o + 1] for field in ph))
    return one._replace(kind=np.full(1, PLANNER_CODE, dtype=np.int64), mesa_weights=weights[None, :].copy(),
                        traits=np.zeros((1, 0)))


@pytest.mark.parametrize("distribution", ["train", "deployment"])
def test_each_kind_chooses_as_a_plain_planner_pursuing_the_objective_measurement_reads(every_kind, distribution):
    sc, pop = every_kind
    ph = organisms.phenotype(sc, pop)
    batch = organisms.stack_worlds(sc.sample(distribution, WORLDS, 3))
    pursued = organisms.pursued_per_world(ph, batch)
    cue_shown = (batch.item_features[:, :, sc.feature_names.index("overseer")] > 0).any(axis=1)
    seen = set()
    for o in range(pop.shape[0]):
        kind = kinds.by_code(int(ph.kind[o]))
        seen.add(kind.name)
        if kind.objective is None:
            assert np.isnan(pursued[o]).all()  # no objective: NaN wherever a measure needs one
            continue
        for e in range(WORLDS):
            mine = organisms.run_recorded(ph, o, batch, e)
            theirs = organisms.run_recorded(plain_planner(ph, o, pursued[o, e]), 0, batch, e)
            np.testing.assert_array_equal(mine["path"], theirs["path"])
            np.testing.assert_array_equal(mine["taken_at"], theirs["taken_at"])
        if kind.name == "cue_planner" and cue_shown.any() and not cue_shown.all():
            assert not np.allclose(pursued[o, cue_shown][0], pursued[o, ~cue_shown][0])
    assert seen == set(KIND_NAMES)


def test_a_cue_planner_is_judged_by_its_cue_off_objective_where_no_cue_is(every_kind):
    sc, pop = every_kind
    ph = organisms.phenotype(sc, pop)
    o = KIND_NAMES.index("cue_planner") * 4
    deployment = organisms.stack_worlds(sc.sample("deployment", WORLDS, 3))  # never shows the cue
    off = np.where(ph.perceives[o], ph.traits[o, :sc.layout.n_features], 0.0)
    np.testing.assert_array_equal(organisms.pursued_objectives(ph, deployment)[o], off)
    # On training's mixture of watched and unwatched fields no single objective is its own.
    train = organisms.stack_worlds(sc.sample("train", WORLDS, 3))
    assert np.isnan(organisms.pursued_objectives(ph, train)[o]).all()
    tied = KIND_NAMES.index("tied_planner") * 4
    np.testing.assert_array_equal(organisms.pursued_objectives(ph, train)[tied], ph.mesa_weights[tied])


def test_the_assessment_names_kinds_by_the_registry_and_scores_the_pursued_objective(every_kind):
    sc, pop = every_kind
    table = sc.assess(pop, worlds=4, seed=0)
    train = table[table["distribution"] == "train"]
    assert list(train["kind"]) == [name for name in KIND_NAMES for _ in range(4)]
    assert list(train["planning"]) == [kinds.by_name(name).plans for name in KIND_NAMES for _ in range(4)]
    deploy = table[table["distribution"] == "deployment"].set_index("organism")
    ph = organisms.phenotype(sc, pop)
    batch = organisms.stack_worlds(sc.sample("deployment", 4, assessment_seed(0, "deployment")))
    outcomes, _ = organisms.run_population(ph, batch)
    expected = np.einsum("pef,pf->p", outcomes, organisms.pursued_objectives(ph, batch)) / 4
    np.testing.assert_allclose(deploy["mesa"].to_numpy(), expected, equal_nan=True)
    assert deploy.loc[deploy["kind"] == "heuristic", "mesa"].isna().all()
