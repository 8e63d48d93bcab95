"""Scenarios to and from plain JSON-able dicts, so a saved run can be loaded and assessed again."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from scenarios.engine.scenario import Scenario
from scenarios.engine.spec import Distribution, Feature, ItemKind, Mixture, Objective, WorldSpec


def _jsonable(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


def _item_to_dict(item: ItemKind) -> dict:
    out = {"name": item.name, "features": dict(item.features), "count": _jsonable(item.count),
           "requires": dict(item.requires)}
    # Written only when set, so every scenario saved before the rule existed reads back equal.
    if item.distance is not None:
        out["distance"] = _jsonable(item.distance)
    return out


def _dist_to_dict(dist: Distribution) -> dict:
    if isinstance(dist, Mixture):
        return {"type": "Mixture", "components": [[w, _dist_to_dict(s)] for w, s in dist.components]}
    out = {f.name: _jsonable(getattr(dist, f.name)) for f in fields(dist) if f.name != "items"}
    out["items"] = [_item_to_dict(it) for it in dist.items]
    return {"type": "WorldSpec", **out}


def _dist_from_dict(d: dict) -> Distribution:
    if d.get("type") == "Mixture":
        return Mixture([(w, _dist_from_dict(s)) for w, s in d["components"]])
    if d.get("type") != "WorldSpec":
        raise ValueError(f"scenario file: unknown distribution type {d.get('type')!r}")
    kw = {k: v for k, v in d.items() if k not in ("type", "items")}
    kw["size"] = tuple(kw["size"])
    items = [
        ItemKind(it["name"], it["features"], tuple(it["count"]) if isinstance(it["count"], list) else it["count"],
                 it.get("requires") or None, it.get("distance"))
        for it in d["items"]
    ]
    return WorldSpec(items=items, **kw)


def scenario_to_dict(sc: Scenario) -> dict:
    """A scenario as plain data (the inverse of ``scenario_from_dict``)."""
    return {
        "name": sc.name,
        "features": [{"name": f.name, "observable": f.observable, "sensor_cost": f.sensor_cost}
                     for f in sc.features],
        "train": _dist_to_dict(sc.train),
        "deploy": {k: _dist_to_dict(v) for k, v in sc.deploy.items()},
        "base": dict(sc.base.weights),
        "intended": None if sc.intended is None else dict(sc.intended.weights),
        "compute_cost": sc.compute_cost,
        "defaults": _jsonable(dict(sc.defaults)),
        "description": sc.description,
        "knobs": _jsonable(dict(sc.knobs)),
    }


def scenario_from_dict(d: dict) -> Scenario:
    """Rebuild a scenario saved by ``scenario_to_dict``; a malformed dict raises ValueError."""
    try:
        return Scenario(
            name=d["name"],
            features=[Feature(**f) for f in d["features"]],
            train=_dist_from_dict(d["train"]),
            deploy={k: _dist_from_dict(v) for k, v in d["deploy"].items()},
            base=Objective(d["base"]),
            intended=None if d["intended"] is None else Objective(d["intended"]),
            compute_cost=d["compute_cost"],
            defaults=d.get("defaults", {}),
            description=d.get("description", ""),
            knobs=d.get("knobs", {}),
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"scenario file: malformed scenario ({type(exc).__name__}: {exc})") from exc
