"""Episodes from a decision's state (``kernels.EpisodeStarts``) and matched pursuers: the compiled
next take equals the plain-Python twin's, an organism put back where it decided does what it did, and
a matched pursuer keeps everything of the organism but its objective."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

import organisms
from organisms import kinds, matched
from organisms.reference import reference_organism, reference_world
from tests.organisms.test_kernels import KIND_NAMES, random_population, spec_worlds
from tests.support.treasure import TREASURE_SPECS, make_treasure


def _decisions(kind: str, spec_name: str):
    sc = replace(make_treasure(), organism_kinds=tuple(KIND_NAMES))
    rng = np.random.default_rng([3, len(spec_name), KIND_NAMES.index(kind)])
    worlds = spec_worlds(spec_name, seed=[5, len(spec_name)])
    ph = organisms.phenotype(sc, random_population(sc.layout, kind, 6, rng))
    ph = ph._replace(knows_walls=np.arange(6) % 2 == 0, avoids_harm=np.arange(6) % 3 != 1)
    batch = organisms.stack_worlds(worlds)
    organism, events = organisms.choice_events(ph, batch)
    return sc, worlds, ph, batch, events, matched.decision_starts(organism, events, batch)


def _part_way(starts, j: int, batch, n_items: int) -> dict:
    w = batch.walls.shape[2]
    return {"cell": (int(starts.cell[j] // w), int(starts.cell[j] % w)), "step": int(starts.step[j]),
            "gone": starts.gone[j, :n_items].tolist(), "held": starts.held[j].tolist()}


@pytest.mark.parametrize("kind", KIND_NAMES)
@pytest.mark.parametrize("spec_name", sorted(TREASURE_SPECS))
def test_an_organism_put_back_where_it_decided_takes_what_it_took(spec_name, kind):
    # Every kind re-decides from its state each step, so from each decision's state (place, step, items
    # gone, holdings: keys held open chests) it takes again what it took, or again nothing.
    _, _, ph, batch, events, starts = _decisions(kind, spec_name)
    again = matched.next_takes(ph, batch, starts)
    assert (events.taken != organisms.NOTHING).sum() > 10  # the comparison means something
    assert (again == events.taken).all()
    assert (matched.next_takes(ph, batch, starts, parallel=True) == again).all()


@pytest.mark.parametrize("kind", KIND_NAMES)
@pytest.mark.parametrize("spec_name", ["open_walls", "maze", "rooms"])
def test_a_pursuers_next_take_equals_the_plain_python_twins(spec_name, kind):
    sc, worlds, ph, batch, _, starts = _decisions(kind, spec_name)
    pursuers = matched.pursuer_phenotype(ph, np.tile(sc.base_weights, (ph.kind.shape[0], 1)))
    got = matched.next_takes(pursuers, batch, starts)
    for j in range(got.shape[0]):
        x = int(starts.world[j])
        ref = matched.reference_next_take(reference_organism(pursuers, int(starts.organism[j])),
                                          reference_world(worlds[x]),
                                          _part_way(starts, j, batch, len(worlds[x].item_pos)))
        assert ref == got[j], f"decision {j}"


def test_the_state_of_a_decision_is_what_the_organism_had_taken_and_held_by_then():
    sc, worlds, ph, batch, events, starts = _decisions("planner", "open_walls")
    for o in range(ph.kind.shape[0]):
        for x in range(len(worlds)):
            rows = np.flatnonzero((starts.organism == o) & (starts.world == x))
            rec = organisms.run_recorded(ph, o, batch, x)
            for j in rows:
                t = starts.step[j]
                gone = (rec["taken_at"] >= 0) & (rec["taken_at"] <= t)
                assert starts.gone[j, :len(gone)].tolist() == gone.tolist()
                assert tuple(rec["path"][t]) == divmod(int(starts.cell[j]), batch.walls.shape[2])
                items = batch.item_features[x, :len(gone)] - batch.item_requires[x, :len(gone)]
                assert np.allclose(starts.held[j], items[gone].sum(axis=0))


def test_a_matched_pursuer_keeps_all_but_the_objective():
    sc = replace(make_treasure(), organism_kinds=tuple(KIND_NAMES), map_cost=0.1)
    rng = np.random.default_rng(0)
    pop = np.vstack([random_population(sc.layout, kind, 3, rng) for kind in KIND_NAMES])
    ph = organisms.phenotype(sc, pop)
    weights = rng.normal(size=(ph.kind.shape[0], sc.layout.n_features))
    pursuers = matched.pursuer_phenotype(ph, weights)
    for field in ("horizon", "perceives", "sensors", "knows_walls", "avoids_harm", "decay"):
        assert (getattr(pursuers, field) == getattr(ph, field)).all(), field
    heuristic = ph.kind == kinds.by_name("heuristic").code
    assert (pursuers.kind[heuristic] == ph.kind[heuristic]).all()
    # The cue-conditional planners plan by the planner's steps: their pursuer is a planner.
    assert (pursuers.kind[~heuristic] == kinds.by_name("planner").code).all()
    seen = np.where(ph.perceives, weights, 0.0)
    assert np.array_equal(pursuers.heuristic_weights[heuristic], seen[heuristic])
    assert np.array_equal(pursuers.mesa_weights[~heuristic], seen[~heuristic])


def test_the_compiled_decision_states_equal_the_plain_python_twins_to_the_last_bit():
    _, _, ph, batch, events, starts = _decisions("heuristic", "open_walls")
    organism = starts.organism
    gone, held = matched.reference_decision_states(organism, events.world, events.taken,
                                                   batch.item_features - batch.item_requires)
    assert starts.gone.tolist() == gone
    assert starts.held.tolist() == held
    assert starts.gone.any() and np.abs(starts.held).sum() > 0


@pytest.mark.parametrize("kind", [k.name for k in kinds.REGISTRY if k.reads is not None])
def test_a_kind_reads_only_the_fields_it_declares(kind):
    # Scramble every other field: the episodes must not change (matched pursuers are run once per
    # distinct value of these fields).
    sc, worlds, ph, batch, _, _ = _decisions(kind, "open_walls")
    declared = kinds.by_name(kind).reads
    rng = np.random.default_rng(1)
    scrambled = {}
    for name in ph._fields[1:]:
        if name in declared or name == "perceives":
            continue
        value = getattr(ph, name)
        scrambled[name] = (rng.permutation(value) if value.dtype == bool
                           else rng.normal(size=value.shape).astype(value.dtype) if value.dtype.kind == "f"
                           else rng.permutation(value))
    again = ph._replace(**scrambled)
    a, _ = organisms.run_population(ph, batch)
    b, _ = organisms.run_population(again, batch)
    assert np.array_equal(a, b)
    assert (a != 0).any()


@pytest.mark.parametrize("spec_name", ["open_walls", "rooms"])
def test_a_decision_state_shared_by_pursuers_that_walk_alike_is_run_once_and_answers_for_all(spec_name):
    # A pursuer per organism, all of one policy: every episode's first decision is one state for
    # all of them, so there are fewer episodes than decisions, and each decision still gets the take
    # a run of its own gives.
    sc, _, ph, batch, _, starts = _decisions("planner", spec_name)
    same = ph._replace(**{f: np.repeat(getattr(ph, f)[:1], len(ph.kind), axis=0) for f in ph._fields})
    pursuers = matched.pursuer_phenotype(same, np.tile(sc.base_weights, (ph.kind.shape[0], 1)))
    distinct, inverse = matched.distinct_starts(pursuers, starts)
    assert len(distinct.organism) < len(starts.organism)
    got = matched.next_takes(pursuers, batch, starts)
    for j in range(len(starts.organism)):
        one = organisms.kernels.EpisodeStarts(*(a[j:j + 1] for a in starts))
        assert matched._next_takes(pursuers, batch, one, False)[0] == got[j], f"decision {j}"
    for field in ("world", "cell", "step", "gone", "held"):
        assert np.array_equal(getattr(distinct, field)[inverse], getattr(starts, field))


def test_unique_rows_equals_numpy_unique_and_survives_a_hash_collision(monkeypatch):
    rng = np.random.default_rng(0)
    key = rng.integers(0, 3, size=(500, 5)).astype(np.int64)
    first, inverse = matched.unique_rows(key)
    assert np.array_equal(key[first][inverse], key)
    assert len(first) == len(np.unique(key, axis=0))
    monkeypatch.setattr(matched, "_MIX", np.zeros(64, dtype=np.uint64))  # every row hashes alike
    first, inverse = matched.unique_rows(key)
    assert np.array_equal(key[first][inverse], key)
    assert len(first) == len(np.unique(key, axis=0))
