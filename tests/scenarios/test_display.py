"""In a notebook, a scenario and a run show themselves as compact HTML cards with the numbers a
reader looks for first; what they show is read from the objects, not typed in."""

from __future__ import annotations

import re

import numpy as np
import pytest

import evolution
import scenarios
from evolution.display import run_html
from scenarios import Feature, ItemKind, Objective, Scenario, WorldSpec


@pytest.fixture(scope="module")
def run():
    sc = scenarios.get("aurora", banner_reliability=0.75)
    return evolution.evolve(sc, evolution.Config.for_scenario(sc, generations=6, population=20), progress=False)


def test_scenario_card_shows_story_features_objectives_and_every_distribution():
    sc = scenarios.get("aurora", banner_reliability=0.75)
    html = sc._repr_html_()
    assert "Scenario aurora" in html
    for feature in sc.feature_names:
        assert feature in html
    assert "sensor, cost 0.2" in html  # the costly sensor is visible at a glance
    assert "diplomacy +1, own -2" in html  # the base objective's weights
    assert "deploy: brotherhood_war" in html
    # The training Mixture shows each component's share.
    assert "<b>75%</b>" in html and "<b>25%</b>" in html
    assert "banner_reliability = 0.75" in html


def test_scenario_card_escapes_user_text():
    sc = Scenario(name="x<script>", features=[Feature("a")],
                  train=WorldSpec(size=(4, 4), steps=5, items=[ItemKind("<b>odd</b>", {"a": 1}, count=1)]),
                  base=Objective({"a": 1.0}), description="<img src=x onerror=alert(1)>")
    html = sc._repr_html_()
    assert "<script>" not in html and "<img" not in html and "<b>odd</b>" not in html
    assert "&lt;script&gt;" in html


def test_run_card_reports_the_final_generation_and_draws_one_line_per_distribution(run):
    html = run._repr_html_()
    last = run.log.iloc[-1]
    assert f"best {last['fitness_max']:.3g}" in html
    train = last["base_mean"] / last["oracle_base"]
    deploy = last["brotherhood_war:base_mean"] / last["brotherhood_war:oracle_base"]
    assert f"base / oracle: train</th><td style='text-align:left'>{train:.0%}" in html
    assert f"base / oracle: brotherhood_war</th><td style='text-align:left'>{deploy:.0%}" in html
    polylines = re.findall(r"<polyline[^>]*points='([^']*)'", html)
    assert len(polylines) == 2  # train and the one deployment
    for points in polylines:
        assert len(points.split()) == len(run.log)  # a point per generation


def test_run_card_survives_generations_where_the_oracle_gains_nothing(run):
    log = run.log.copy()
    log.loc[0, "oracle_base"] = 0.0
    html = run_html(type(run)(**{**run.__dict__, "log": log}))
    polylines = re.findall(r"<polyline[^>]*points='([^']*)'", html)
    assert len(polylines[0].split()) == len(log) - 1  # the undefined ratio is skipped, not drawn as 0
    assert np.isfinite(run.log["base_mean"]).all()


def test_assess_shows_a_bar_over_distributions_and_behavioral_fits_only_when_asked(run, capsys):
    sc = run.scenario
    scenarios.assess(sc, run.population[:3], worlds=4, progress=False)
    assert capsys.readouterr().err == ""
    scenarios.assess(sc, run.population[:3], worlds=4, behavior=True, bootstrap=0, progress=True)
    err = capsys.readouterr().err
    assert "aurora: assess" in err
    assert "/4 [" in err  # two distributions, each scored and its behaviour fitted
    assert "behavioral objectives" in err
