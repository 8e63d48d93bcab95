"""Plain records, shared by every layer that writes or reads JSON (``scenarios`` serializing a
scenario, ``evolution`` writing run directories, checkpoints and sweep points): the one conversion
of values to what JSON stores, and the one strict reading of a record's keys.

Every reader is strict: a key it does not know is a ``ValueError`` naming it, so a misspelt key in
a hand-edited file is never dropped silently.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np


def jsonable(value: Any) -> Any:
    """``value`` with numpy scalars turned into Python ones, tuples into lists and mapping keys into
    strings, recursively: what JSON stores and gives back, so a value compares equal to itself after
    a round trip."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return value


def check_keys(data: Any, where: str, known: Iterable[str], required: Iterable[str] = ()) -> Any:
    """``data`` itself, if it is a mapping whose keys are all ``known`` and include every ``required``
    one; else a ``ValueError`` naming ``where`` and the unknown or missing keys."""
    if not isinstance(data, Mapping):
        raise ValueError(f"{where}: expected a mapping, got {type(data).__name__}")
    known = list(known)
    unknown = sorted(str(k) for k in set(data) - set(known))
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {unknown}; valid keys are {known}")
    missing = [k for k in required if k not in data]
    if missing:
        raise ValueError(f"{where}: missing key(s) {missing}")
    return data
