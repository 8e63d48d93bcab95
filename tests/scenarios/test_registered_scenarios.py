"""Every registered scenario, walked by one parametrised test: deterministic worlds, two generations,
an assessment, its figures, its summary and its ``--help``. A scenario added to the registry is
tested here the moment it is registered."""

from __future__ import annotations

import dataclasses
import inspect

import numpy as np
import pytest

import scenarios
from evolution import RunResult
from scenarios.registry import module

TINY = ["--generations", "2", "--population", "8", "--episodes", "2", "--assess-worlds", "4", "--formats", "png"]


def _cli(name: str, argv: list, capsys) -> tuple[int, str, str]:
    try:
        code = module(name).main([str(a) for a in argv])
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("name", scenarios.names())
def test_every_registered_scenario_runs_end_to_end(name, tmp_path, capsys):
    mod = module(name)
    sc = scenarios.get(name)
    assert sc.name == name and mod.__doc__ and sc.description
    # Worlds from a seed are the same worlds, in every distribution.
    for dist in sc.distributions:
        first, again = sc.sample(dist, 3, 7), sc.sample(dist, 3, 7)
        for a, b in zip(first, again):
            assert np.array_equal(a.walls, b.walls) and np.array_equal(a.item_pos, b.item_pos)
            assert np.array_equal(a.item_features, b.item_features)
    code, out, _ = _cli(name, ["--help"], capsys)
    assert code == 0 and f"python -m scenarios.{name}" in out
    for knob in scenarios.knob_names(name):
        assert knob in out, knob
    run_dir = tmp_path / "run"
    code, out, err = _cli(name, [*TINY, "--out", run_dir], capsys)
    assert code == 0, err
    run = RunResult.load(run_dir)
    assert len(run.log) == 2 and set(run.assessment["distribution"]) == set(sc.distributions)
    da = run.assessment["decision_agreement"]
    assert (da.between(0, 1) | da.isna()).all()
    for figure in ("divergence.png", "episode.png", "train_vs_deploy.png"):
        assert (run_dir / figure).stat().st_size > 0, figure
    # The summary leads with the story where the scenario tells one, before the standard table.
    story = getattr(mod, "story_summary", None)
    if story is not None:
        assert out.splitlines()[: len(story(run))] == story(run)


@pytest.mark.parametrize("name", scenarios.names())
def test_every_knob_is_documented_and_a_bad_value_names_it(name):
    knobs_cls = module(name).Knobs
    source = inspect.getsource(knobs_cls)
    for field in dataclasses.fields(knobs_cls):
        assert f'{field.name}: ' in source and '"""' in source.split(f"{field.name}: ", 1)[1][:200], field.name
        with pytest.raises(ValueError, match=field.name):
            scenarios.get(name, **{field.name: "not a value" if field.type != "str" else 12345})


def test_the_stories_with_a_kinds_knob_accept_and_refuse_the_same_values():
    """One kinds knob (``scenarios.engine.kinds_knob``): each value selects the same organism kinds in
    every story that takes it, and an unknown one is refused naming the story and the valid values."""
    from evolution import Config
    from scenarios.engine.kinds_knob import KIND_CHOICES

    takers = [n for n in scenarios.names() if "kinds" in scenarios.knob_names(n)]
    assert takers == ["troops", "sweet_tooth", "bottle_cap"]
    for name in takers:
        for value, kinds in KIND_CHOICES.items():
            assert Config.for_scenario(scenarios.get(name, kinds=value)).kinds == kinds
        with pytest.raises(ValueError, match=rf"^{name}: knob kinds must be one of \['both', 'heuristic', 'planner'\]"):
            scenarios.get(name, kinds="planners")


def test_a_scenario_names_its_kinds_once_and_a_run_selects_among_those_its_genomes_carry():
    from evolution import Config

    for tied, kind in ((False, "cue_planner"), (True, "tied_planner")):
        sc = scenarios.get("overseer", tied=tied)
        assert "kinds" not in sc.defaults and sc.organism_kinds == (kind,)
        assert Config.for_scenario(sc).kinds == (kind,)
    aurora = scenarios.get("aurora")  # carries both kinds; its defaults narrow the run to planners
    assert aurora.layout.kinds == ("heuristic", "planner") and Config.for_scenario(aurora).kinds == ("planner",)
