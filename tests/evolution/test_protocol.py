"""The scenario protocol as code: every registered scenario keeps it, and the checker catches planted
broken scenarios (non-deterministic sampling, NaN fitness, wrong shapes, a lossy round trip) with a
message that names what is broken, before ``evolve`` or ``sweep`` starts."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pytest

import evolution
import scenarios
from evolution.protocol import EvolvableScenario, ScenarioCheckError, check_scenario
from evolution.sweeps import plan
from scenarios import Scenario
from tests.support.treasure import make_treasure


@pytest.mark.parametrize("name", scenarios.names())
def test_every_registered_scenario_passes_the_checker(name):
    sc = scenarios.get(name)
    assert isinstance(sc, EvolvableScenario)
    check_scenario(sc, assess=True)


def test_a_scenario_of_ones_own_with_every_engine_feature_passes_the_checker():
    check_scenario(make_treasure(), assess=True)


@dataclass(frozen=True, kw_only=True)
class UnseededScenario(Scenario):
    """Samples its worlds from fresh entropy instead of the seed it is given."""

    def sample(self, distribution, n, seed):
        return super().sample(distribution, n, None)


class Flawed:
    """Delegates to a real scenario, with one planted flaw."""

    def __init__(self, scenario, flaw: str):
        self.scenario, self.flaw = scenario, flaw
        self.name, self.layout = scenario.name, scenario.layout

    def evaluate(self, population, *args, **kwargs):
        fitness, summary = self.scenario.evaluate(population, *args, **kwargs)
        if self.flaw == "nan":
            fitness = fitness.copy()
            fitness[1] = np.nan
        elif self.flaw == "short":
            fitness = fitness[:-1]
        elif self.flaw == "column":
            fitness = fitness[:, None]
        elif self.flaw == "summary":
            summary = {**summary, "label": "pseudo-aligned"}
        return fitness, summary

    def assess(self, *args, **kwargs):
        table = self.scenario.assess(*args, **kwargs)
        return table.iloc[1:] if self.flaw == "assess" else table

    def to_dict(self):
        data = self.scenario.to_dict()
        if self.flaw == "json":
            data["base"] = np.array([1.0])
        if self.flaw == "lossy":
            data.pop("deploy")
        return data

    def from_dict(self, data):
        return Flawed(Scenario.from_dict(data), self.flaw)


@pytest.fixture(scope="module")
def aurora():
    return scenarios.get("aurora")


def test_non_deterministic_sampling_is_caught(aurora):
    unseeded = UnseededScenario(**{k: getattr(aurora, k) for k in aurora.__dataclass_fields__})
    with pytest.raises(ScenarioCheckError, match="'aurora': evaluate is not deterministic"):
        check_scenario(unseeded)


@pytest.mark.parametrize(("flaw", "message"), [
    ("nan", "fitness that is NaN or infinite"),
    ("short", r"fitness of shape \(3,\) for a population of 4; expected \(4,\)"),
    ("column", r"fitness of shape \(4, 1\)"),
    ("summary", r"log columns must map names to numbers; not so for \['label'\]"),
    ("json", "to_dict must return JSON-able data"),
    ("lossy", r"from_dict\(to_dict\(\)\) failed: ValueError: scenario file: missing key\(s\) \['deploy'\]"),
])
def test_the_checker_names_what_is_broken(aurora, flaw, message):
    with pytest.raises(ScenarioCheckError, match=message):
        check_scenario(Flawed(aurora, flaw))


def test_a_broken_assessment_is_caught_when_asked_for(aurora):
    check_scenario(Flawed(aurora, "assess"))  # assess is not run on entry to evolve (it is slow)
    with pytest.raises(ScenarioCheckError, match="one row per"):
        check_scenario(Flawed(aurora, "assess"), assess=True)


def test_a_layout_that_describes_no_genome_is_caught(aurora):
    flawed = Flawed(aurora, "none")
    flawed.layout = type("Layout", (), {"length": 0, "kind": 0})()
    with pytest.raises(ScenarioCheckError, match=r"layout.length must be an integer >= 1, got 0"):
        check_scenario(flawed)


def test_a_scenario_without_part_of_the_protocol_is_named(aurora):
    bare = type("Bare", (), {"name": "bare", "layout": aurora.layout, "evaluate": aurora.evaluate})()
    with pytest.raises(ScenarioCheckError, match=r"missing \['assess', 'to_dict', 'from_dict'\]"):
        check_scenario(bare)


def test_evolve_refuses_a_broken_scenario_before_writing_anything(aurora, tmp_path):
    with pytest.raises(ValueError, match="NaN or infinite"):
        evolution.evolve(Flawed(aurora, "nan"), evolution.Config(population=4, generations=1, episodes=1),
                         progress=False, out=tmp_path / "run")
    assert not (tmp_path / "run").exists()


def flawed_aurora(flaw: str = "short", **knobs):
    return Flawed(scenarios.get("aurora", **knobs), flaw)


def test_sweep_refuses_a_broken_scenario_on_entry():
    with pytest.raises(ValueError, match="expected"):
        plan(functools.partial(flawed_aurora, "short"), grid={"sensor_cost": [0.0]}, seeds=[0])
