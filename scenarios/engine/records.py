"""Plain JSON records: what JSON can hold, and strict reading of a record's keys.

Every ``from_dict`` in the engine reads strictly: a key it does not know is a ``ValueError`` naming
it, so a misspelt key in a hand-edited scenario file is never dropped silently.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def check_keys(data: Any, allowed: tuple[str, ...], where: str, required: tuple[str, ...] = ()) -> None:
    """Refuse a record that is not a dict, has a key outside ``allowed`` or lacks one of ``required``."""
    if not isinstance(data, Mapping):
        raise ValueError(f"{where}: expected a dict, got {type(data).__name__}")
    unknown = sorted(str(k) for k in set(data) - set(allowed))
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {unknown}; valid keys are {list(allowed)}")
    missing = [k for k in required if k not in data]
    if missing:
        raise ValueError(f"{where}: missing key(s) {missing}")


def jsonable(value: Any) -> Any:
    """Tuples (nested too) as lists and dict keys as strings: what JSON can hold."""
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return value
