"""Every registered story has its page, and the page documents every knob as the story's ``Knobs``
docstrings do (``python -m scenarios.app.knob_docs NAME`` prints the table the page must hold)."""

from __future__ import annotations

from pathlib import Path

import pytest

import scenarios
from scenarios.app.knob_docs import knob_docs, knob_table, main

ROOT = Path(__file__).resolve().parents[2]
SECTIONS = ("## The story", "## Knobs", "## Results", "## What did not hold")


def page(name: str) -> str:
    return (ROOT / "docs" / "stories" / f"{name}.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", scenarios.names())
def test_every_knob_is_documented_on_the_story_page_as_its_docstring_says(name):
    text = page(name)
    assert knob_table(name) in text, (
        f"docs/stories/{name}.md: the knob table differs from the Knobs docstrings; "
        f"paste the output of `python -m scenarios.app.knob_docs {name}`")
    for knob in scenarios.knob_names(name):
        assert f"| `{knob}` |" in text, f"docs/stories/{name}.md does not document knob {knob!r}"


@pytest.mark.parametrize("name", scenarios.names())
def test_every_knob_has_a_docstring_and_its_default(name):
    docs = knob_docs(name)
    assert [k.name for k in docs] == scenarios.knob_names(name)
    assert all(k.doc for k in docs), f"{name}: knobs without a docstring: {[k.name for k in docs if not k.doc]}"
    story = scenarios.registry.module(name)
    assert [k.default for k in docs] == [getattr(story.Knobs(), k.name) for k in docs]


@pytest.mark.parametrize("name", scenarios.names())
def test_every_story_page_tells_the_story_its_results_and_what_did_not_hold(name):
    text = page(name)
    positions = [text.find(section) for section in SECTIONS]
    assert -1 not in positions and positions == sorted(positions), f"{name}: sections {SECTIONS} in order"
    assert f"python -m scenarios.{name}" in text, f"{name}: the page does not say how to run the story"


def test_a_knob_docstring_with_a_pipe_stays_one_table_cell(monkeypatch):
    from scenarios.app import knob_docs as module

    monkeypatch.setattr(module, "knob_docs", lambda name: [module.KnobDoc("k", 1, "a | b")])
    assert module.knob_table("any").splitlines()[-1] == "| `k` | `1` | a \\| b |"


def test_the_knob_docs_command_prints_the_table(capsys):
    assert main(["troops"]) == 0
    assert knob_table("troops") in capsys.readouterr().out
