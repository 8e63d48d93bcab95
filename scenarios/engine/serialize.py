"""Scenarios to and from plain JSON-able dicts, so a saved run can be loaded and assessed again.

Reading is strict: a key this module does not know is a ``ValueError`` naming it (a misspelt key in a
hand-edited scenario file must not be dropped silently). ``scenario_fields`` returns the keyword
arguments of ``Scenario``; ``Scenario.from_dict`` builds the scenario from them, so this module does
not need the ``Scenario`` class.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from typing import TYPE_CHECKING, Any

from scenarios.engine.spec import Distribution, Feature, ItemKind, Mixture, Objective, WorldSpec

if TYPE_CHECKING:
    from scenarios.engine.scenario import Scenario

SCENARIO_KEYS = ("name", "features", "train", "deploy", "base", "intended", "compute_cost", "defaults",
                 "description", "knobs")
"""Keys of a scenario's dict, in the order ``scenario_to_dict`` writes them."""
OPTIONAL_SCENARIO_KEYS = ("defaults", "description", "knobs")
FEATURE_KEYS = ("name", "observable", "sensor_cost")
ITEM_KEYS = ("name", "features", "count", "requires")
WORLD_SPEC_KEYS = ("type", "items", *(f.name for f in fields(WorldSpec) if f.name != "items"))
MIXTURE_KEYS = ("type", "components")


def check_keys(data: Any, allowed: tuple[str, ...], where: str, required: tuple[str, ...] = ()) -> None:
    """Refuse a dict with a key outside ``allowed`` (or without one of ``required``), naming them."""
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


def _item_to_dict(item: ItemKind) -> dict:
    return {"name": item.name, "features": dict(item.features), "count": jsonable(item.count),
            "requires": dict(item.requires)}


def _item_from_dict(d: Any, where: str) -> ItemKind:
    check_keys(d, ITEM_KEYS, where, required=("name", "features", "count"))
    count = tuple(d["count"]) if isinstance(d["count"], list) else d["count"]
    return ItemKind(d["name"], d["features"], count, d.get("requires") or None)


def _feature_from_dict(d: Any, where: str) -> Feature:
    check_keys(d, FEATURE_KEYS, where, required=("name",))
    return Feature(**d)


def _dist_to_dict(dist: Distribution) -> dict:
    if isinstance(dist, Mixture):
        return {"type": "Mixture", "components": [[w, _dist_to_dict(s)] for w, s in dist.components]}
    out = {f.name: jsonable(getattr(dist, f.name)) for f in fields(dist) if f.name != "items"}
    out["items"] = [_item_to_dict(it) for it in dist.items]
    return {"type": "WorldSpec", **out}


def _dist_from_dict(d: Any, where: str) -> Distribution:
    if isinstance(d, Mapping) and d.get("type") == "Mixture":
        check_keys(d, MIXTURE_KEYS, where, required=MIXTURE_KEYS)
        return Mixture([(w, _dist_from_dict(s, f"{where}.components[{i}]"))
                        for i, (w, s) in enumerate(d["components"])])
    if not isinstance(d, Mapping) or d.get("type") != "WorldSpec":
        raise ValueError(f"{where}: unknown distribution type {d.get('type') if isinstance(d, Mapping) else d!r}")
    check_keys(d, WORLD_SPEC_KEYS, where, required=("type", "size", "steps", "items"))
    kw = {k: v for k, v in d.items() if k not in ("type", "items")}
    kw["size"] = tuple(kw["size"])
    items = [_item_from_dict(it, f"{where}.items[{i}]") for i, it in enumerate(d["items"])]
    return WorldSpec(items=items, **kw)


def scenario_to_dict(sc: Scenario) -> dict:
    """A scenario as plain data (the inverse of ``Scenario.from_dict``)."""
    return {
        "name": sc.name,
        "features": [{"name": f.name, "observable": f.observable, "sensor_cost": f.sensor_cost}
                     for f in sc.features],
        "train": _dist_to_dict(sc.train),
        "deploy": {k: _dist_to_dict(v) for k, v in sc.deploy.items()},
        "base": dict(sc.base.weights),
        "intended": None if sc.intended is None else dict(sc.intended.weights),
        "compute_cost": sc.compute_cost,
        "defaults": jsonable(dict(sc.defaults)),
        "description": sc.description,
        "knobs": jsonable(dict(sc.knobs)),
    }


def scenario_fields(d: Any) -> dict[str, Any]:
    """The ``Scenario`` keyword arguments saved by ``scenario_to_dict``; unknown or missing keys and
    malformed values raise ValueError."""
    required = tuple(k for k in SCENARIO_KEYS if k not in OPTIONAL_SCENARIO_KEYS)
    check_keys(d, SCENARIO_KEYS, "scenario file", required=required)
    try:
        return {
            "name": d["name"],
            "features": [_feature_from_dict(f, f"scenario file: features[{i}]") for i, f in enumerate(d["features"])],
            "train": _dist_from_dict(d["train"], "scenario file: train"),
            "deploy": {k: _dist_from_dict(v, f"scenario file: deploy[{k!r}]") for k, v in d["deploy"].items()},
            "base": Objective(d["base"]),
            "intended": None if d["intended"] is None else Objective(d["intended"]),
            "compute_cost": d["compute_cost"],
            "defaults": d.get("defaults", {}),
            "description": d.get("description", ""),
            "knobs": d.get("knobs", {}),
        }
    except (KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"scenario file: malformed scenario ({type(exc).__name__}: {exc})") from exc
