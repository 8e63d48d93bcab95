"""Checks of user-given numbers, shared by every layer: a bad value raises ``ValueError`` naming it.

``bool`` is refused wherever a number is expected (``True`` is an ``int`` to Python, never to a
user who typed a population size), and so are NaN and infinities unless asked for.
"""

from __future__ import annotations

import math
from numbers import Integral, Real
from typing import Any


def is_number(value: Any) -> bool:
    """A real number that is not a bool."""
    return isinstance(value, Real) and not isinstance(value, bool)


def is_integer(value: Any) -> bool:
    """An integer (Python's or numpy's) that is not a bool."""
    return isinstance(value, Integral) and not isinstance(value, bool)


def require_integer(value: Any, name: str, lo: int | None = None, hi: int | None = None) -> int:
    """``value`` as an int, or ValueError naming ``name`` (bounds inclusive)."""
    if not is_integer(value):
        raise ValueError(f"{name}: must be an integer, got {value!r}")
    if lo is not None and value < lo:
        raise ValueError(f"{name}: must be >= {lo}, got {value}")
    if hi is not None and value > hi:
        raise ValueError(f"{name}: must be <= {hi}, got {value}")
    return int(value)


def require_number(value: Any, name: str, lo: float | None = None, hi: float | None = None,
                   finite: bool = True) -> float:
    """``value`` as a float, or ValueError naming ``name`` (bounds inclusive; NaN always refused)."""
    if not is_number(value) or math.isnan(float(value)) or (finite and not math.isfinite(float(value))):
        kind = "a finite number" if finite else "a number"
        raise ValueError(f"{name}: must be {kind}, got {value!r}")
    if lo is not None and value < lo:
        raise ValueError(f"{name}: must be >= {lo}, got {value}")
    if hi is not None and value > hi:
        raise ValueError(f"{name}: must be <= {hi}, got {value}")
    return float(value)


def require_probability(value: Any, name: str) -> float:
    """``value`` as a float in [0, 1], or ValueError naming ``name``."""
    if not is_number(value) or not 0.0 <= float(value) <= 1.0:
        raise ValueError(f"{name}: must be a probability in [0, 1], got {value!r}")
    return float(value)
