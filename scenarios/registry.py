"""The built-in scenarios: each is a module ``scenarios.<name>`` with a ``Knobs`` dataclass and
``make(**knobs) -> Scenario``."""

from __future__ import annotations

import importlib
from dataclasses import fields
from types import ModuleType
from typing import Any

from scenarios.engine.scenario import Scenario

BUILT_IN = ("aurora", "troops", "sweet_tooth", "bottle_cap", "emergence", "suboptimality", "overseer",
            "coinrun")
"""Scenario modules, in the order ``python -m scenarios`` lists them."""


def names() -> list[str]:
    """The built-in scenario names."""
    return list(BUILT_IN)


def module(name: str) -> ModuleType:
    if name not in BUILT_IN:
        raise ValueError(f"scenario: unknown name {name!r}; valid names are {list(BUILT_IN)}")
    return importlib.import_module(f"scenarios.stories.{name}")


def knob_names(name: str) -> list[str]:
    """The knobs a built-in scenario takes."""
    return [f.name for f in fields(module(name).Knobs)]


def get(name: str, **knobs: Any) -> Scenario:
    """A built-in scenario with its knobs set; an unknown name or knob raises ValueError listing
    the valid ones."""
    mod = module(name)
    valid = knob_names(name)
    unknown = sorted(set(knobs) - set(valid))
    if unknown:
        raise ValueError(f"{name}: unknown knob(s) {unknown}; valid knobs are {valid}")
    return mod.make(**knobs)
