"""The claim thresholds of the committed studies, read from ``studies/claims.toml``.

A study states its thresholds there before it runs; its verdicts read them through
:func:`thresholds`, so a changed number shows in the file's history, not buried in code.
"""

from __future__ import annotations

import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

CLAIMS = Path(__file__).resolve().with_name("claims.toml")


def thresholds(section: str, path: Path = CLAIMS) -> dict[str, float]:
    """The thresholds of one study.

    Raises:
        KeyError: naming the valid sections when ``section`` is not in the file.
    """
    table = tomllib.loads(path.read_text())
    if section not in table:
        raise KeyError(f"{path.name}: no section {section!r}; sections are {sorted(table)}")
    return dict(table[section])
