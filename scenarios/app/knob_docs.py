"""The knobs of a built-in scenario as documentation: each field of its ``Knobs`` dataclass with its
default and the docstring written under it.

``python -m scenarios.app.knob_docs aurora`` prints the Markdown table that the scenario's page in
``docs/stories/`` holds (a test checks every page against it); with no name, every scenario's.
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
import sys
from typing import NamedTuple

from scenarios.registry import module, names


class KnobDoc(NamedTuple):
    """One knob, as its ``Knobs`` dataclass declares it."""

    name: str
    """The field's name (``--set name=value`` on the command line)."""
    default: object
    """Its default value."""
    doc: str
    """The docstring under the field, on one line ("" where there is none)."""


def _field_docstrings(cls: type) -> dict[str, str]:
    """Attribute docstrings (a string statement right after an annotated field) of a class."""
    tree = ast.parse(inspect.getsource(cls))
    body = tree.body[0].body  # the class statement
    docs = {}
    for stmt, after in zip(body, body[1:]):
        if (isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name)
                and isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant)
                and isinstance(after.value.value, str)):
            docs[stmt.target.id] = " ".join(after.value.value.split())
    return docs


def knob_docs(name: str) -> list[KnobDoc]:
    """Every knob of the built-in scenario ``name``, in declaration order."""
    cls = module(name).Knobs
    docs = _field_docstrings(cls)
    return [KnobDoc(f.name, f.default, docs.get(f.name, "")) for f in dataclasses.fields(cls)]


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def knob_table(name: str) -> str:
    """The Markdown table of a scenario's knobs: name, default, meaning."""
    rows = ["| knob | default | meaning |", "|---|---|---|"]
    rows += [f"| `{k.name}` | `{k.default!r}` | {_cell(k.doc)} |" for k in knob_docs(name)]
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    chosen = (argv if argv is not None else sys.argv[1:]) or names()
    for name in chosen:
        if len(chosen) > 1:
            print(f"## {name}\n")
        print(knob_table(name) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
