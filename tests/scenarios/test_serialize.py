"""Scenarios and their pieces to plain data and back: equal after a JSON round trip, and strict on the
way in (an unknown key is a ValueError naming it, never dropped), while run directories written before
the strict reading still load."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from pathlib import Path

import pytest

import scenarios
from scenarios import AlignmentThresholds, Feature, ItemKind, Mixture, Objective, Scenario, WorldSpec
from tests.support.treasure import make_treasure

OLD_RUN = Path(__file__).resolve().parents[1] / "fixtures" / "run_v1" / "aurora" / "config.json"


def _round_trip(sc: Scenario) -> Scenario:
    return Scenario.from_dict(json.loads(json.dumps(sc.to_dict())))


@pytest.mark.parametrize("sc", [scenarios.get("aurora", banner_reliability=0.75), make_treasure()],
                         ids=["aurora-mixture", "treasure"])
def test_a_scenario_survives_a_json_round_trip(sc):
    assert _round_trip(sc) == sc


def test_a_scenario_saved_before_the_strict_reading_still_loads():
    record = json.loads(OLD_RUN.read_text())["scenario"]["data"]
    # Saved before run logs had versions and routes around harm: it reads back in version 1 with
    # shortest-path routes, and is otherwise today's Aurora.
    assert "avoid_harm" not in record
    assert Scenario.from_dict(record) == replace(scenarios.get("aurora"), log_format=1, avoid_harm=False)


def test_a_scenario_records_its_log_version_and_refuses_an_unknown_one():
    sc = scenarios.get("aurora")
    assert sc.to_dict()["log_format"] == sc.log_format == 3
    old = replace(sc, log_format=1)
    assert "log_format" not in old.to_dict()  # written as a scenario saved before versions existed
    assert _round_trip(old) == old
    assert _round_trip(replace(sc, log_format=2)).log_format == 2
    with pytest.raises(ValueError, match=r"Scenario.log_format: must be one of \[1, 2, 3\]"):
        replace(sc, log_format=4)


def _planted(path: tuple, key: str = "colour", value="red") -> dict:
    """Aurora's dict with an unknown key planted in the record at ``path``."""
    data = copy.deepcopy(scenarios.get("aurora", banner_reliability=0.75).to_dict())
    record = data
    for step in path:
        record = record[step]
    record[key] = value
    return data


@pytest.mark.parametrize(("path", "where"), [
    ((), "scenario file"),
    (("features", 0), r"scenario file: features\[0\]"),
    (("train",), "scenario file: train"),
    (("train", "components", 0, 1), r"scenario file: train.components\[0\]"),
    (("train", "components", 1, 1, "items", 2), r"scenario file: train.components\[1\].items\[2\]"),
    (("deploy", "brotherhood_war"), r"scenario file: deploy\['brotherhood_war'\]"),
])
def test_an_unknown_key_anywhere_in_a_scenario_is_refused_by_name(path, where):
    with pytest.raises(ValueError, match=rf"{where}: unknown key\(s\) \['colour'\]; valid keys are"):
        Scenario.from_dict(_planted(path))


def test_an_unknown_feature_in_an_objective_is_refused_by_name():
    with pytest.raises(ValueError, match=r"Scenario.base: weights name unknown feature\(s\) \['colour'\]"):
        Scenario.from_dict(_planted(("base",), value=1.0))


def test_a_missing_key_is_named():
    data = scenarios.get("aurora").to_dict()
    del data["train"]["steps"]
    with pytest.raises(ValueError, match=r"scenario file: train: missing key\(s\) \['steps'\]"):
        Scenario.from_dict(data)


@pytest.mark.parametrize("piece", [
    Feature("toxin", observable=False, sensor_cost=0.2),
    ItemKind("chest", {"gold": 3}, count=(1, 3), requires={"key": 1}),
    WorldSpec(size=(6, 7), steps=12, items=[ItemKind("gem", {"gem": 1}, 3)], layout="rooms", walls=0.1),
    Mixture([(1.0, WorldSpec(size=(5, 5), steps=9, items=[])), (2.0, WorldSpec(size=(4, 4), steps=3, items=[]))]),
    Objective({"gem": 1.0, "toxin": -2.0}),
    AlignmentThresholds(agreement=0.2, contested=False, result=0.5, objective="behavioral"),
], ids=lambda p: type(p).__name__)
def test_each_piece_reads_back_what_it_writes_and_refuses_unknown_keys(piece):
    data = json.loads(json.dumps(piece.to_dict()))
    assert type(piece).from_dict(data) == piece
    if isinstance(piece, Objective):
        return  # an objective's keys are feature names: the Scenario checks them (test above)
    with pytest.raises(ValueError, match=r"unknown key\(s\) \['colour'\]"):
        type(piece).from_dict({**data, "colour": "red"})


def test_the_map_cost_survives_a_round_trip_and_only_it_adds_the_map_gene():
    from dataclasses import replace

    plain = scenarios.get("aurora")
    priced = replace(plain, map_cost=0.3)
    assert _round_trip(priced) == priced and _round_trip(priced).map_cost == 0.3
    assert "map_cost" not in plain.to_dict()  # files of scenarios without the map are unchanged
    assert priced.layout.length == plain.layout.length + 1
    assert priced.layout.gene_names()[:-1] == plain.layout.gene_names()
    assert priced.layout.gene_names()[-1] == "map"
    with pytest.raises(ValueError, match="map_cost"):
        replace(plain, map_cost=-1.0)


def test_routes_around_harm_are_on_by_default_off_in_old_files_and_decoded_into_every_planner_and_the_oracle():
    import numpy as np

    import organisms

    routed = scenarios.get("aurora")
    assert all(scenarios.get(name).avoid_harm is True for name in scenarios.names())  # every story
    assert routed.to_dict()["avoid_harm"] is True and _round_trip(routed) == routed
    plain = replace(routed, avoid_harm=False)
    assert "avoid_harm" not in plain.to_dict() and _round_trip(plain) == plain  # as files saved before routes
    without_key = {k: v for k, v in routed.to_dict().items() if k != "avoid_harm"}
    assert Scenario.from_dict(without_key).avoid_harm is False  # an old file keeps its shortest paths
    assert routed.layout.length == plain.layout.length  # not a gene
    pop = np.random.default_rng(0).normal(size=(5, plain.genome_length))
    assert not organisms.phenotype(plain, pop).avoids_harm.any()
    assert organisms.phenotype(routed, pop).avoids_harm.all()
    assert organisms.oracle_phenotype(routed.layout, routed.base_weights).avoids_harm.all()
    assert not organisms.oracle_phenotype(plain.layout, plain.base_weights).avoids_harm.any()
    for bad in (1, "yes", None):
        with pytest.raises(ValueError, match="Scenario.avoid_harm: must be a bool"):
            replace(plain, avoid_harm=bad)
