"""The one conversion of values to what JSON stores, shared by every layer that writes JSON
(``scenarios`` serializing a scenario, ``evolution`` writing run directories and sweep points)."""

from __future__ import annotations

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
