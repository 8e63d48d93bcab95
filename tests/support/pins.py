"""Numbers in the README and the docs pinned, by position, to the committed table cell they come from.

A quoted number (or a sentence, or a whole table) sits between two HTML comments that name its
source, which do not show in rendered Markdown::

    falls from <!-- pin aurora_measures:decision agreement, train -->0.99 (0.99 to 1.00)<!-- /pin --> in training

``SOURCE`` names a function in :mod:`tests.support.quoted` that recomputes, from the raw tables in
``docs/results`` (or ``benchmarks/results``), the text of every ``KEY`` it knows. :func:`problems`
compares each pin's text with its recomputed text where it stands, so two numbers swapped, or one
number copied over another, fail even when both values occur elsewhere on the page (a substring
search cannot see that). After a study is re-run::

    python -m tests.support.pins            # lists every pin whose text differs from its table
    python -m tests.support.pins --write    # rewrites every pin's text from the tables

The prose around a pin is not rewritten: read the listed differences before writing.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"<!-- pin (?P<source>\w+):(?P<key>[^>]*?) -->(?P<text>.*?)<!-- /pin -->", re.S)
"""A pinned text: its source and key in the opening comment, the quoted text up to the closing one."""
PINNED = ("README.md", "docs/index.md", *(f"docs/{p}" for p in (
    "stories/aurora.md", "stories/troops.md", "stories/sweet_tooth.md", "stories/bottle_cap.md",
    "stories/emergence.md", "stories/suboptimality.md", "stories/overseer.md", "stories/coinrun.md",
    "optimizers.md", "performance.md", "metrics.md")))
"""The files whose quoted results are pinned (relative to the repository root)."""

Sources = dict[str, Callable[[], dict[str, str]]]


@dataclass(frozen=True)
class Pin:
    """One pinned text of a file."""

    source: str
    """The function of :mod:`tests.support.quoted` that recomputes it."""
    key: str
    """Which of that function's texts it quotes."""
    text: str
    """The text as the file has it, between the two comments."""
    start: int
    """Offset of the opening comment in the file."""

    @property
    def name(self) -> str:
        return f"{self.source}:{self.key}"


def pins(text: str) -> list[Pin]:
    """Every pin of a file's text, in the order it occurs."""
    return [Pin(m["source"], m["key"], m["text"], m.start()) for m in PIN.finditer(text)]


def flat(text: str) -> str:
    """Whitespace collapsed: a line break or an indent is not part of a number."""
    return " ".join(text.split())


def _expected(sources: Sources) -> Callable[[str, str], str | None]:
    cache: dict[str, dict[str, str]] = {}

    def expected(source: str, key: str) -> str | None:
        if source not in sources:
            return None
        if source not in cache:
            cache[source] = sources[source]()
        return cache[source].get(key)

    return expected


def problems(text: str, sources: Sources, required: Iterable[str] = ()) -> list[str]:
    """What is wrong with a file's pins: an unknown source or key, a text that is not its recomputed
    text, an inline pin at the start of a line (CommonMark lets a comment there open an HTML block, which
    would break the paragraph), a required ``source:key`` that no pin quotes, and a comment that opens
    no well-formed pin."""
    expected = _expected(sources)
    found = pins(text)
    out = []
    for pin in found:
        want = expected(pin.source, pin.key)
        line = text.count("\n", 0, pin.start) + 1
        if want is None:
            out.append(f"line {line}: no source text for {pin.name!r}")
        elif flat(pin.text) != flat(want):
            out.append(f"line {line}: {pin.name!r} says {flat(pin.text)!r}, its table gives {flat(want)!r}")
        if not pin.text.startswith("\n") and text[text.rfind("\n", 0, pin.start) + 1:pin.start].strip() == "":
            out.append(f"line {line}: {pin.name!r} opens a line: Markdown would read the line as an HTML block")
    names = {pin.name for pin in found}
    out += [f"no pin quotes {name!r}" for name in required if name not in names]
    if text.count("<!-- pin ") != len(found) or text.count("<!-- /pin -->") != len(found):
        out.append("a pin comment without its pair (or with a malformed source:key)")
    return out


def rewrite(text: str, sources: Sources) -> str:
    """The file's text with every pin's text recomputed (its leading and trailing whitespace kept, so a
    block stays a block); pins without a source text are left as they are."""
    expected = _expected(sources)

    def one(match: re.Match) -> str:
        want = expected(match["source"], match["key"])
        if want is None:
            return match[0]
        old = match["text"]
        lead, trail = old[: len(old) - len(old.lstrip())], old[len(old.rstrip()):]
        return f"<!-- pin {match['source']}:{match['key']} -->{lead}{want.strip()}{trail}<!-- /pin -->"

    return PIN.sub(one, text)


def without_pins(text: str) -> str:
    """The text with every pin (comments and quoted text) removed: what no pin checks."""
    return PIN.sub("", text)


def main(argv: list[str] | None = None) -> int:
    from tests.support.quoted import SOURCES

    parser = argparse.ArgumentParser(description="Check (or rewrite) the pinned numbers of the docs.")
    parser.add_argument("--write", action="store_true", help="rewrite every pin's text from its table")
    args = parser.parse_args(argv)
    bad = 0
    for name in PINNED:
        path = ROOT / name
        text = path.read_text(encoding="utf-8")
        found = problems(text, SOURCES)
        bad += len(found)
        for problem in found:
            print(f"{name}: {problem}")
        if args.write and found:
            path.write_text(rewrite(text, SOURCES), encoding="utf-8")
    return 0 if args.write or not bad else 1


if __name__ == "__main__":
    raise SystemExit(main())
