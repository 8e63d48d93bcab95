"""Shared fixtures."""

from __future__ import annotations

import pytest

from scenarios import Scenario
from tests.support.treasure import make_treasure


@pytest.fixture(scope="session")
def treasure() -> Scenario:
    """The treasure scenario (see ``tests/support/treasure.py``)."""
    return make_treasure()
