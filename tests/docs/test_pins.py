"""Every number the README and the docs quote from a committed table is pinned where it stands: its
text is the one recomputed from its table cell (``tests/support/quoted.py``), so a number swapped with
another, or copied over another, fails, even where a search for each number as a substring passes."""

from __future__ import annotations

import functools
import re

import pytest

from tests.support import quoted
from tests.support.pins import PINNED, ROOT, flat, pins, problems, rewrite, without_pins

TEXTS = {name: f() for name, f in quoted.SOURCES.items()}
SOURCES = {name: functools.partial(TEXTS.__getitem__, name) for name in TEXTS}
"""Each source computed once for the module."""


def every(source: str, *skip: str) -> list[str]:
    return [f"{source}:{key}" for key in SOURCES[source]() if key not in skip]


SIGNATURES = [f"signature:{s}" for s in ("aurora", "troops", "sweet_tooth", "bottle_cap")]
REQUIRED = {
    "README.md": [*SIGNATURES, "emergence:decided", "suboptimality:loss", "benchmarks:readme"],
    "docs/index.md": [*SIGNATURES, "emergence:decided", "suboptimality:loss"],
    "docs/stories/aurora.md": [*every("aurora_measures"), *every("aurora_lottery"), "signature:aurora",
                               "oracle_optimum:aurora train", "oracle_optimum:aurora brotherhood_war"],
    "docs/stories/troops.md": ["signature:troops", "signature:troops_kinds", "signature:troops_deploy"],
    "docs/stories/sweet_tooth.md": ["signature:sweet_tooth", "signature:sweet_heuristics", "signature:sweet_kinds",
                                    "signature:sweet_shares", "signature:sweet_deploy", "signature:sweet_heuristics_train"],
    "docs/stories/bottle_cap.md": ["signature:bottle_cap", "signature:bottle_behavior", "signature:bottle_cosine",
                                   "signature:bottle_agreement"],
    "docs/stories/emergence.md": [*every("emergence"), *(f"robustness_maps:{k}" for k in SOURCES["robustness_maps"]()
                                                          if k.startswith("emergence "))],
    "docs/stories/suboptimality.md": [*every("suboptimality"), "bounded_planners:table",
                                      *(f"robustness_maps:{k}" for k in SOURCES["robustness_maps"]()
                                        if k.startswith("suboptimality "))],
    "docs/stories/overseer.md": every("overseer"),
    "docs/stories/coinrun.md": [*every("coinrun_2x2"), *(f"robustness_maps:{k}" for k in SOURCES["robustness_maps"]()
                                                        if k.startswith("coinrun "))],
    "docs/optimizers.md": every("optimizers"),
    "docs/performance.md": every("benchmarks", "readme"),
    "docs/metrics.md": ["oracle_optimum:aurora train", "oracle_optimum:worlds"],
}
"""What each pinned file must quote: every number of its results that comes from a committed table."""
NUMBER = re.compile(r"\d+(?:\.\d+)?")


def text_of(name: str) -> str:
    return (ROOT / name).read_text(encoding="utf-8")


def test_every_pinned_file_has_its_required_pins():
    assert sorted(REQUIRED) == sorted(PINNED)


@pytest.mark.parametrize("name", PINNED)
def test_every_pinned_number_is_its_recomputed_table_cell(name):
    found = problems(text_of(name), SOURCES, REQUIRED[name])
    assert not found, f"{name} (python -m tests.support.pins lists them, --write rewrites them):\n" + "\n".join(found)


def swapped(text: str, a, b) -> str:
    """The text with the quoted texts of pins ``a`` and ``b`` (a before b) exchanged, comments in place."""
    def span(pin):
        opening = text.index("-->", pin.start) + 3
        return opening, opening + len(pin.text)

    (a0, a1), (b0, b1) = span(a), span(b)
    return text[:a0] + b.text + text[a1:b0] + a.text + text[b1:]


def copied(text: str, a, b) -> str:
    """The text with pin ``a``'s quoted text copied over pin ``b``'s."""
    opening = text.index("-->", b.start) + 3
    return text[:opening] + a.text + text[opening + len(b.text):]


@pytest.mark.parametrize("name", PINNED)
def test_two_quoted_numbers_swapped_or_copied_fail(name):
    text = text_of(name)
    found = pins(text)
    pairs = [(a, b) for a, b in zip(found, found[1:]) if flat(a.text) != flat(b.text)]
    for a, b in pairs:
        assert len(problems(swapped(text, a, b), SOURCES)) >= 2, f"{name}: swapping {a.name} and {b.name} passed"
        assert problems(copied(text, a, b), SOURCES), f"{name}: {a.name} copied over {b.name} passed"


@pytest.mark.parametrize("name", PINNED)
def test_two_numbers_swapped_or_copied_within_one_quoted_text_fail(name):
    """Inside a pinned sentence, table cell or table: the first two different numbers exchanged, or the
    first copied over the second."""
    text = text_of(name)
    for pin in pins(text):
        numbers = list(NUMBER.finditer(pin.text))
        distinct = [m for m in numbers if m[0] != numbers[0][0]] if numbers else []
        if not distinct:
            continue
        first, other = numbers[0], distinct[0]
        body = pin.text
        swap = body[:first.start()] + other[0] + body[first.end():other.start()] + first[0] + body[other.end():]
        copy = body[:other.start()] + first[0] + body[other.end():]
        opening = text.index("-->", pin.start) + 3
        for changed in (swap, copy):
            edited = text[:opening] + changed + text[opening + len(body):]
            assert problems(edited, SOURCES), f"{name}: {pin.name} edited to {changed!r} passed"


def test_on_the_aurora_page_a_swap_that_every_substring_search_passes_fails():
    """The old check (each quoted number somewhere in the section) passes swaps of numbers that occur
    more than once; checked by position, each of them fails."""
    text = text_of("docs/stories/aurora.md")
    measures = [p for p in pins(text) if p.source == "aurora_measures" and NUMBER.search(p.text)]
    cells = {flat(v) for v in SOURCES["aurora_measures"]().values()}
    blind = []
    for i, a in enumerate(measures):
        for b in measures[i + 1:]:
            if flat(a.text) == flat(b.text):
                continue
            edited = swapped(text, a, b)
            if all(cell in flat(edited) for cell in cells):
                blind.append((a.name, b.name))
                assert len(problems(edited, SOURCES)) >= 2, f"swapping {a.name} and {b.name} passed"
    assert blind, "no swap that a substring search misses: the demonstration needs one"


def test_the_readme_with_two_signature_numbers_swapped_or_one_copied_fails():
    """Aurora's training and deployment scores (99 and −35 % of the oracle today) exchanged, or the
    first written twice."""
    text = text_of("README.md")
    pin = next(p for p in pins(text) if p.name == "signature:aurora")
    first, second = list(NUMBER.finditer(pin.text))[:2]
    assert first[0] != second[0]
    body = pin.text
    swap = body[:first.start()] + second[0] + body[first.end():second.start()] + first[0] + body[second.end():]
    copy = body[:second.start()] + first[0] + body[second.end():]
    assert not problems(text, SOURCES)
    for changed in (swap, copy):
        assert problems(text.replace(body, changed, 1), SOURCES)


def stories_table(text: str) -> dict[str, str]:
    """The signature column of a page's stories table, by story name."""
    rows = {}
    for line in text.splitlines():
        match = re.match(r"\| \[`(\w+)`\]\([^)]*\) \| .* \| (.*) \|$", line)
        if match:
            rows[match.group(1)] = match.group(2)
    return rows


@pytest.mark.parametrize("name", ["README.md", "docs/index.md"])
def test_the_stories_tables_list_every_story_and_no_number_outside_a_pin(name):
    import scenarios

    assert sorted(stories_table(text_of(name))) == sorted(scenarios.names())
    for story, cell in stories_table(without_pins(text_of(name))).items():
        assert not re.search(r"\d", cell), f"{name}, {story}: a number no pin checks: {cell!r}"


def test_a_pin_with_an_unknown_key_a_lost_pair_or_a_missing_required_key_is_reported():
    sources = {"s": lambda: {"k": "1.0 ± 0.1"}}
    good = "x <!-- pin s:k -->1.0 ± 0.1<!-- /pin --> y"
    assert problems(good, sources, ["s:k"]) == []
    assert problems(good.replace("1.0 ±", "1.0\n  ±"), sources) == []  # a line break is not a number
    assert problems("<!-- pin s:other -->1.0<!-- /pin -->", sources)
    assert problems("<!-- pin t:k -->1.0<!-- /pin -->", sources)
    assert problems(good + " <!-- pin s:k -->1.0 ± 0.1", sources)
    assert problems("no pins", sources, ["s:k"]) == ["no pin quotes 's:k'"]
    # Opening a line, an inline pin would be read as an HTML block; a block pin's text starts on a new line.
    assert problems("x\n<!-- pin s:k -->1.0 ± 0.1<!-- /pin --> y", sources)
    assert problems("x\n\n<!-- pin s:k -->\n\n1.0 ± 0.1\n\n<!-- /pin -->", sources) == []


def test_rewriting_restores_every_pin_and_keeps_blocks_blocks():
    sources = {"s": lambda: {"k": "1.0 ± 0.1", "t": "| a |\n|---|\n| 2 |"}}
    stale = "x <!-- pin s:k -->0.9 ± 0.2<!-- /pin -->\n<!-- pin s:t -->\n\n| a |\n|---|\n| 3 |\n\n<!-- /pin -->"
    fresh = rewrite(stale, sources)
    assert problems(fresh, sources) == []
    assert "<!-- pin s:t -->\n\n| a |\n|---|\n| 2 |\n\n<!-- /pin -->" in fresh
