"""The genome layout and its decoding into what an organism is."""

from __future__ import annotations

import numpy as np
import pytest

import organisms
import scenarios
from organisms.genome import HORIZON_CAP
from tests.support.treasure import make_treasure


@pytest.fixture(scope="module")
def aurora():
    return scenarios.get("aurora")


def test_gene_names_follow_the_documented_layout(aurora):
    layout = aurora.layout
    names = layout.gene_names()
    assert len(names) == layout.length == aurora.genome_length
    assert names[layout.kind] == "kind"
    assert names[layout.decay] == "decay"
    assert names[layout.horizon] == "horizon"
    assert names[layout.heuristic] == [f"heuristic:{f}" for f in ("aurora", "brotherhood", "own", "diplomacy")]
    assert names[layout.mesa] == [f"mesa:{f}" for f in ("aurora", "brotherhood", "own", "diplomacy")]
    assert names[layout.sensors] == ["sensor:diplomacy"]


def test_a_feature_without_a_sensor_is_not_in_the_genome():
    sc = make_treasure()
    names = sc.layout.gene_names()
    assert "mesa:secret" not in names and "sensor:secret" not in names
    assert "mesa:poison" in names and "sensor:poison" in names


def test_decode_returns_the_documented_columns(aurora):
    rng = np.random.default_rng(0)
    table = organisms.decode(aurora, rng.normal(size=(7, aurora.genome_length)))
    perceivable = ["aurora", "brotherhood", "own", "diplomacy"]
    expected = (["kind"] + [f"mesa:{f}" for f in perceivable] + [f"heuristic:{f}" for f in perceivable]
                + ["decay", "horizon", "sensor:diplomacy"])
    assert list(table.columns) == expected
    assert len(table) == 7
    assert set(table["kind"]) <= {"planner", "heuristic"}
    assert table["sensor:diplomacy"].dtype == bool


def test_decode_values_match_the_genes(aurora):
    names = aurora.layout.gene_names()
    genome = np.zeros(aurora.genome_length)
    genome[names.index("kind")] = 0.3
    genome[names.index("mesa:aurora")] = 1.25
    genome[names.index("heuristic:own")] = -0.5
    genome[names.index("mesa:diplomacy")] = 2.0
    genome[names.index("decay")] = 0.0
    genome[names.index("horizon")] = 0.0
    genome[names.index("sensor:diplomacy")] = -0.1  # sensor off
    off = organisms.decode(aurora, genome).iloc[0]
    assert off["kind"] == "planner"
    assert off["mesa:aurora"] == 1.25 and off["heuristic:own"] == -0.5
    assert off["decay"] == 0.5
    assert off["horizon"] == 1 + HORIZON_CAP // 2
    assert not off["sensor:diplomacy"]
    assert np.isnan(off["mesa:diplomacy"]) and np.isnan(off["heuristic:diplomacy"])  # not perceived
    genome[names.index("sensor:diplomacy")] = 0.1
    genome[names.index("kind")] = 0.0  # not > 0: a heuristic
    on = organisms.decode(aurora, genome).iloc[0]
    assert on["sensor:diplomacy"] and on["mesa:diplomacy"] == 2.0
    assert on["kind"] == "heuristic"


def test_horizon_spans_one_to_the_cap_plus_one(aurora):
    genome = np.zeros((3, aurora.genome_length))
    genome[:, aurora.layout.horizon] = [-50.0, 0.0, 50.0]
    assert organisms.decode(aurora, genome)["horizon"].tolist() == [1, 1 + HORIZON_CAP // 2, 1 + HORIZON_CAP]


def test_phenotype_masks_weights_to_what_each_organism_perceives():
    sc = make_treasure()
    rng = np.random.default_rng(3)
    ph = organisms.phenotype(sc, rng.normal(size=(20, sc.genome_length)))
    secret = sc.feature_names.index("secret")
    poison = sc.feature_names.index("poison")
    assert not ph.perceives[:, secret].any()
    assert np.array_equal(ph.perceives[:, poison], ph.sensors[:, 0])
    assert (ph.mesa_weights[~ph.perceives] == 0).all() and (ph.heuristic_weights[~ph.perceives] == 0).all()


@pytest.mark.parametrize("bad", [np.zeros(3), np.zeros((2, 3)), np.full(12, np.nan)])
def test_decode_rejects_genomes_of_the_wrong_shape_or_not_finite(aurora, bad):
    with pytest.raises(ValueError, match="population"):
        organisms.decode(aurora, bad)


def test_agreement_is_nan_for_a_single_item_kind_and_one_for_equal_objectives():
    kinds = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    counts = np.array([1.0, 2.0, 3.0])
    assert organisms.agreement(np.array([1.0, -1.0]), np.array([2.0, -2.0]), kinds, counts) == pytest.approx(1.0)
    assert organisms.agreement(np.array([1.0, -1.0]), np.array([-1.0, 1.0]), kinds, counts) == pytest.approx(-1.0)
    assert np.isnan(organisms.agreement(np.array([1.0, 0.0]), np.array([1.0, 0.0]), kinds[:1], counts[:1]))
    assert np.isnan(organisms.agreement(np.zeros(2), np.array([1.0, 0.0]), kinds, counts))  # constant utility
