"""Every command the README and the docs print runs something that exists: each ``python -m MODULE``
names an importable module, a story's options are options of its command line, its ``--set`` knobs
are its knobs with values it accepts, and a script's options appear in the script."""

from __future__ import annotations

import importlib.util
import re
import shlex
from pathlib import Path

import pytest

import scenarios
from scenarios.app.cli import build_parser, parse_knobs

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
COMMAND = re.compile(r"python3? -m ([\w.]+)(.*)")


def commands(path: Path) -> list[str]:
    """``python -m ...`` commands in a page's code: fenced blocks line by line, inline code spans
    whole (a span may wrap over lines), each cut at a comment or a shell operator."""
    text = path.read_text(encoding="utf-8")
    found = []
    for block in re.findall(r"```[a-z]*\n(.*?)```", text, re.S):
        found += block.splitlines()
    found += [" ".join(span.split()) for span in re.findall(r"`([^`]+)`", re.sub(r"```.*?```", "", text, flags=re.S))]
    out = []
    for line in found:
        for part in re.split(r"&&|\|\||;", line.split(" #")[0]):
            match = COMMAND.search(part)
            if match:
                out.append(f"{match.group(1)}{match.group(2)}".strip())
    return out


ALL = sorted({(path.relative_to(ROOT).as_posix(), command) for path in PAGES for command in commands(path)})


def test_the_pages_print_commands_and_the_extraction_finds_them():
    found = {command for _, command in ALL}
    assert "scenarios.aurora" in found and "pytest -q" in found
    assert any(c.startswith("studies.") for c in found) and any(c.startswith("benchmarks.") for c in found)


@pytest.mark.parametrize("page, command", ALL, ids=[f"{p}: {c}" for p, c in ALL])
def test_every_printed_command_runs_something_that_exists(page, command):
    module, *argv = shlex.split(command)
    if "<" in module:  # a placeholder: python -m scenarios.<name>
        return
    assert importlib.util.find_spec(module) is not None, f"{page}: no module {module!r}"
    story = module.removeprefix("scenarios.")
    if module.startswith("scenarios.") and story in scenarios.names():
        story_module = scenarios.registry.module(story)
        parser = build_parser(story, story_module.Knobs, story_module.__doc__)
        if "--help" in argv:
            return
        try:
            args = parser.parse_args(argv)
        except SystemExit:
            pytest.fail(f"{page}: `python -m {command}` is not a valid command line")
        story_module.make(**parse_knobs(args.knobs, story_module.Knobs))  # knobs and values it accepts
    elif argv:
        spec = importlib.util.find_spec(module)
        script = Path(spec.origin)
        if spec.submodule_search_locations:  # python -m PACKAGE runs its __main__
            script = script.with_name("__main__.py")
        source = script.read_text(encoding="utf-8")
        for option in (a.split("=")[0] for a in argv if a.startswith("--")):
            assert f'"{option}"' in source, f"{page}: {module} has no option {option}"
