"""Scenarios to and from plain JSON-able dicts, so a saved run can be loaded and assessed again.

Reading is strict (an unknown key is a ``ValueError`` naming it, see ``records``). Each declarative
piece reads and writes itself (``Feature.from_dict``, ``WorldSpec.to_dict``, ...); this module puts a
scenario's pieces together. ``scenario_fields`` returns the keyword arguments of ``Scenario``, and
``Scenario.from_dict`` builds the scenario from them, so this module does not need the class.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from organisms.kinds import DEFAULT_KINDS
from organisms.records import check_keys, jsonable
from scenarios.engine.spec import Feature, Objective, distribution_from_dict

if TYPE_CHECKING:
    from scenarios.engine.scenario import Scenario

SCENARIO_KEYS = ("name", "features", "train", "deploy", "base", "intended", "compute_cost", "defaults",
                 "description", "knobs", "organism_kinds", "log_format", "map_cost", "avoid_harm")
"""Keys of a scenario's dict, in the order ``scenario_to_dict`` writes them."""
OPTIONAL_SCENARIO_KEYS = ("defaults", "description", "knobs", "organism_kinds", "log_format", "map_cost", "avoid_harm")
FIRST_LOG_FORMAT = 1
"""The run log's version of a scenario whose dict names none: it was saved before versions existed."""
"""Keys a scenario's dict may leave out (their defaults apply)."""


def scenario_to_dict(sc: Scenario) -> dict:
    """A scenario as plain data (the inverse of ``Scenario.from_dict``)."""
    data = {
        "name": sc.name,
        "features": [f.to_dict() for f in sc.features],
        "train": sc.train.to_dict(),
        "deploy": {k: v.to_dict() for k, v in sc.deploy.items()},
        "base": sc.base.to_dict(),
        "intended": None if sc.intended is None else sc.intended.to_dict(),
        "compute_cost": sc.compute_cost,
        "defaults": jsonable(dict(sc.defaults)),
        "description": sc.description,
        "knobs": jsonable(dict(sc.knobs)),
    }
    if tuple(sc.organism_kinds) != DEFAULT_KINDS:  # written only when not the default: old files unchanged
        data["organism_kinds"] = list(sc.organism_kinds)
    if sc.log_format != FIRST_LOG_FORMAT:  # so a scenario read from an old file writes that file again
        data["log_format"] = sc.log_format
    if sc.map_cost is not None:  # likewise: files of scenarios without the map gene unchanged
        data["map_cost"] = sc.map_cost
    if sc.avoid_harm:  # likewise: files of scenarios whose routes are shortest paths unchanged
        data["avoid_harm"] = True
    return data


def scenario_fields(d: Any) -> dict[str, Any]:
    """The ``Scenario`` keyword arguments saved by ``scenario_to_dict``; unknown or missing keys and
    malformed values raise ValueError."""
    where = "scenario file"
    required = tuple(k for k in SCENARIO_KEYS if k not in OPTIONAL_SCENARIO_KEYS)
    check_keys(d, where, SCENARIO_KEYS, required=required)
    try:
        return {
            "name": d["name"],
            "features": [Feature.from_dict(f, f"{where}: features[{i}]") for i, f in enumerate(d["features"])],
            "train": distribution_from_dict(d["train"], f"{where}: train"),
            "deploy": {k: distribution_from_dict(v, f"{where}: deploy[{k!r}]") for k, v in d["deploy"].items()},
            "base": Objective.from_dict(d["base"], f"{where}: base"),
            "intended": None if d["intended"] is None else Objective.from_dict(d["intended"], f"{where}: intended"),
            "compute_cost": d["compute_cost"],
            "defaults": d.get("defaults", {}),
            "description": d.get("description", ""),
            "knobs": d.get("knobs", {}),
            "organism_kinds": tuple(d.get("organism_kinds", DEFAULT_KINDS)),
            "log_format": d.get("log_format", FIRST_LOG_FORMAT),
            "map_cost": d.get("map_cost"),
            "avoid_harm": d.get("avoid_harm", False),
        }
    except (KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"{where}: malformed scenario ({type(exc).__name__}: {exc})") from exc
