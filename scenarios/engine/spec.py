"""The declarative pieces of a scenario: features, item kinds, world specs, mixtures, objectives.

Each is a frozen dataclass validated on construction: a bad value raises ``ValueError`` naming the
field and what is allowed. Checks that need the scenario's feature list (unknown feature names)
happen when the ``Scenario`` is built.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from organisms.records import check_keys, jsonable
from organisms.validation import is_integer, is_number

LAYOUTS = ("open", "rooms", "maze")
"""Grid structures a world spec may ask for."""

START_RULES = ("random", "center", "corner")
"""Where the organism starts: a random free cell, the central cell, or the top-left cell."""

MAX_STEPS = 10_000
"""Longest episode a spec may ask for (distances are stored as 16-bit integers)."""

MAX_CELLS = 32_000
"""Largest grid (rows x columns) a spec may ask for, for the same reason."""


def _number(value, where: str) -> float:
    if not is_number(value) or not math.isfinite(float(value)):
        raise ValueError(f"{where}: must be a finite number, got {value!r}")
    return float(value)


def _weights(mapping, where: str, allow_empty: bool) -> dict[str, float]:
    if mapping is None:
        mapping = {}
    if not isinstance(mapping, Mapping):
        raise ValueError(f"{where}: must be a mapping of feature name to number, got {mapping!r}")
    if not mapping and not allow_empty:
        raise ValueError(f"{where}: needs at least one feature weight")
    out = {}
    for key, value in mapping.items():
        if not isinstance(key, str) or not key:
            raise ValueError(f"{where}: feature names must be non-empty strings, got {key!r}")
        out[key] = _number(value, f"{where}[{key!r}]")
    return out


@dataclass(frozen=True)
class Feature:
    """A named dimension of the outcome vector (e.g. "aurora banner", "enemy")."""

    name: str
    """Unique, non-empty name."""
    observable: bool = True
    """Whether every organism perceives it for free."""
    sensor_cost: float | None = None
    """For an unobservable feature: fitness paid per episode by an organism whose sensor gene for it
    is on; None means no sensor exists and the feature is never perceived."""

    def __post_init__(self):
        if not isinstance(self.name, str) or not self.name.strip():
            raise ValueError(f"Feature.name: must be a non-empty string, got {self.name!r}")
        if not isinstance(self.observable, bool):
            raise ValueError(f"Feature.observable: must be True or False, got {self.observable!r}")
        if self.sensor_cost is not None:
            cost = _number(self.sensor_cost, f"Feature({self.name!r}).sensor_cost")
            if cost < 0:
                raise ValueError(f"Feature({self.name!r}).sensor_cost: must be >= 0, got {cost}")
            if self.observable:
                raise ValueError(
                    f"Feature({self.name!r}).sensor_cost: an observable feature needs no sensor; "
                    "set observable=False or drop the cost"
                )
            object.__setattr__(self, "sensor_cost", cost)

    @property
    def sensed(self) -> bool:
        return not self.observable and self.sensor_cost is not None

    def to_dict(self) -> dict:
        return {"name": self.name, "observable": self.observable, "sensor_cost": self.sensor_cost}

    @classmethod
    def from_dict(cls, data: Any, where: str = "Feature") -> Feature:
        """The feature ``to_dict`` describes; an unknown key raises ValueError naming it."""
        check_keys(data, where, ("name", "observable", "sensor_cost"), required=("name",))
        return cls(**data)


def _distance_range(value, where: str) -> tuple[int, int | None] | None:
    """A placement distance as an inclusive (lo, hi) pair (hi None: unbounded), or None."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        if len(value) != 2:
            raise ValueError(f"{where}: a range is (lo, hi), got {value!r}")
        lo, hi = value
    else:
        lo, hi = value, None
    for d in (lo,) if hi is None else (lo, hi):
        if not is_integer(d) or d < 1:
            raise ValueError(f"{where}: must be an int >= 1 (steps from the start) or an (lo, hi) pair of "
                             f"them (hi may be None), got {value!r}")
    if hi is not None and lo > hi:
        raise ValueError(f"{where}: range ({lo}, {hi}) is inverted")
    return (int(lo), None if hi is None else int(hi))


@dataclass(frozen=True)
class ItemKind:
    """A kind of item: what taking one adds to the outcome, and how many a world holds."""

    name: str
    """Readable name (e.g. "Aurora village")."""
    features: Mapping[str, float]
    """Feature name -> value added to the outcome when taken (empty: an inert thing)."""
    count: int | tuple[int, int]
    """Items of this kind per world: an int, or an inclusive (lo, hi) range sampled uniformly."""
    requires: Mapping[str, float] | None = None
    """Holdings needed to take one (feature name -> amount, e.g. {"key": 1}); spent when taken."""
    distance: int | tuple[int, int | None] | None = None
    """Where items of this kind are placed: the shortest-path distance from the start (walls
    respected), an int ``d`` for at least ``d`` steps or an inclusive ``(lo, hi)`` range (``hi`` None:
    no upper bound); None: anywhere reachable. A world that cannot honour it is redrawn."""

    def __post_init__(self):
        if not isinstance(self.name, str) or not self.name.strip():
            raise ValueError(f"ItemKind.name: must be a non-empty string, got {self.name!r}")
        where = f"ItemKind({self.name!r})"
        object.__setattr__(self, "features", _weights(self.features, f"{where}.features", True))
        requires = _weights(self.requires, f"{where}.requires", True)
        if any(v < 0 for v in requires.values()):
            raise ValueError(f"{where}.requires: amounts must be >= 0, got {requires}")
        object.__setattr__(self, "requires", requires)
        count = self.count
        if isinstance(count, (list, tuple)):
            if len(count) != 2:
                raise ValueError(f"{where}.count: a range is (lo, hi), got {count!r}")
            lo, hi = count
        else:
            lo = hi = count
        for c in (lo, hi):
            if not is_integer(c):
                raise ValueError(f"{where}.count: must be an int or an (lo, hi) pair of ints, got {count!r}")
            if c < 0:
                raise ValueError(f"{where}.count: must be >= 0, got {count!r}")
        lo, hi = int(lo), int(hi)  # numpy integers too, stored as Python's (JSON holds those)
        if lo > hi:
            raise ValueError(f"{where}.count: range ({lo}, {hi}) is inverted")
        object.__setattr__(self, "count", lo if lo == hi else (lo, hi))
        object.__setattr__(self, "distance", _distance_range(self.distance, f"{where}.distance"))

    @property
    def count_range(self) -> tuple[int, int]:
        return self.count if isinstance(self.count, tuple) else (self.count, self.count)

    @property
    def expected_count(self) -> float:
        lo, hi = self.count_range
        return (lo + hi) / 2.0

    def to_dict(self) -> dict:
        out = {"name": self.name, "features": dict(self.features), "count": jsonable(self.count),
               "requires": dict(self.requires)}
        # Written only when set, so every scenario saved before the rule existed reads back equal.
        if self.distance is not None:
            out["distance"] = jsonable(self.distance)
        return out

    @classmethod
    def from_dict(cls, data: Any, where: str = "ItemKind") -> ItemKind:
        """The item kind ``to_dict`` describes; an unknown key raises ValueError naming it."""
        check_keys(data, where, ("name", "features", "count", "requires", "distance"),
                   required=("name", "features", "count"))
        count = tuple(data["count"]) if isinstance(data["count"], list) else data["count"]
        distance = data.get("distance")
        distance = tuple(distance) if isinstance(distance, list) else distance
        return cls(data["name"], data["features"], count, data.get("requires") or None, distance)


def _layout_free_cells(size: tuple[int, int], layout: str) -> int:
    h, w = size
    if layout == "rooms" and h >= 3 and w >= 3:
        return h * w - (h + w - 1) + 4
    if layout == "maze":
        n = ((h + 1) // 2) * ((w + 1) // 2)
        return 2 * n - 1
    return h * w


@dataclass(frozen=True)
class WorldSpec:
    """A distribution of worlds: sampling it with a seed gives the same world, always."""

    size: tuple[int, int]
    """Grid rows and columns, each >= 1."""
    steps: int
    """Step budget of an episode (>= 1)."""
    items: tuple[ItemKind, ...]
    """The item kinds placed in each world (names unique)."""
    walls: float = 0.0
    """Density of random wall cells added on top of the layout, in [0, 1)."""
    layout: str = "open"
    """Grid structure: "open", "rooms" (four rooms joined by doors) or "maze"."""
    start: str = "random"
    """Start rule: "random" (a random free cell), "center" or "corner"."""
    horizon_scale: float = 1.0
    """Multiplies planners' horizons in worlds drawn from this spec (> 0)."""

    def __post_init__(self):
        size = self.size
        if not isinstance(size, (list, tuple)) or len(size) != 2:
            raise ValueError(f"WorldSpec.size: must be (rows, columns), got {size!r}")
        for s in size:
            if not is_integer(s) or s < 1:
                raise ValueError(f"WorldSpec.size: rows and columns must be integers >= 1, got {size!r}")
        if size[0] * size[1] > MAX_CELLS:
            raise ValueError(f"WorldSpec.size: at most {MAX_CELLS} cells, got {size!r}")
        object.__setattr__(self, "size", (int(size[0]), int(size[1])))
        if not is_integer(self.steps) or not 1 <= self.steps <= MAX_STEPS:
            raise ValueError(f"WorldSpec.steps: must be an integer in 1..{MAX_STEPS}, got {self.steps!r}")
        object.__setattr__(self, "steps", int(self.steps))
        if not isinstance(self.items, (list, tuple)):
            raise ValueError(f"WorldSpec.items: must be a list of ItemKind, got {self.items!r}")
        items = tuple(self.items)
        for it in items:
            if not isinstance(it, ItemKind):
                raise ValueError(f"WorldSpec.items: must be ItemKind objects, got {it!r}")
        names = [it.name for it in items]
        if len(set(names)) != len(names):
            raise ValueError(f"WorldSpec.items: item kind names must be unique, got {names}")
        object.__setattr__(self, "items", items)
        walls = _number(self.walls, "WorldSpec.walls")
        if not 0.0 <= walls < 1.0:
            raise ValueError(f"WorldSpec.walls: density must be in [0, 1), got {walls}")
        object.__setattr__(self, "walls", walls)
        if self.layout not in LAYOUTS:
            raise ValueError(f"WorldSpec.layout: must be one of {LAYOUTS}, got {self.layout!r}")
        if self.start not in START_RULES:
            raise ValueError(f"WorldSpec.start: must be one of {START_RULES}, got {self.start!r}")
        scale = _number(self.horizon_scale, "WorldSpec.horizon_scale")
        if scale <= 0:
            raise ValueError(f"WorldSpec.horizon_scale: must be > 0, got {scale}")
        object.__setattr__(self, "horizon_scale", scale)
        most = sum(it.count_range[1] for it in items)
        free = _layout_free_cells(self.size, self.layout)
        if most + 1 > free:
            raise ValueError(
                f"WorldSpec.items: up to {most} items plus the start need {most + 1} free cells, "
                f"but a {self.layout} {self.size[0]}x{self.size[1]} grid has {free}"
            )
        for it in items:
            if it.distance is not None and it.distance[0] > free - 1:
                raise ValueError(f"ItemKind({it.name!r}).distance: at least {it.distance[0]} steps from the "
                                 f"start, but a {self.layout} {self.size[0]}x{self.size[1]} grid has no path "
                                 f"longer than {free - 1}")
        # Sampling walls off exactly round(walls * cells beside the start) of them (see world.py).
        walled = int(round(walls * (free - 1)))
        if most > free - 1 - walled:
            raise ValueError(
                f"WorldSpec.walls: density {walls} walls off {walled} of the {free - 1} cells beside the "
                f"start, leaving {free - 1 - walled} for up to {most} items"
            )

    @property
    def components(self) -> tuple[tuple[float, WorldSpec], ...]:
        return ((1.0, self),)

    def to_dict(self) -> dict:
        out = {f.name: jsonable(getattr(self, f.name)) for f in fields(self) if f.name != "items"}
        return {"type": "WorldSpec", **out, "items": [it.to_dict() for it in self.items]}

    @classmethod
    def from_dict(cls, data: Any, where: str = "WorldSpec") -> WorldSpec:
        """The spec ``to_dict`` describes; an unknown key raises ValueError naming it."""
        allowed = ("type", *(f.name for f in fields(cls)))
        check_keys(data, where, allowed, required=("size", "steps", "items"))
        if data.get("type", "WorldSpec") != "WorldSpec":
            raise ValueError(f"{where}: type must be 'WorldSpec', got {data['type']!r}")
        kw = {k: v for k, v in data.items() if k not in ("type", "items")}
        kw["size"] = tuple(kw["size"]) if isinstance(kw["size"], list) else kw["size"]
        items = [ItemKind.from_dict(it, f"{where}.items[{i}]") for i, it in enumerate(data["items"])]
        return cls(items=items, **kw)


@dataclass(frozen=True)
class Mixture:
    """Worlds drawn from one of several specs, with probability proportional to its weight."""

    components: tuple[tuple[float, WorldSpec], ...] = field(default=())
    """(weight, WorldSpec) pairs; weights >= 0 and not all zero."""

    def __post_init__(self):
        if not isinstance(self.components, (list, tuple)):
            raise ValueError(f"Mixture.components: must be a list of (weight, WorldSpec) pairs, got {self.components!r}")
        comps = tuple(tuple(c) if isinstance(c, (list, tuple)) else c for c in self.components)
        if not comps:
            raise ValueError("Mixture.components: needs at least one (weight, WorldSpec) pair")
        out = []
        for c in comps:
            if not isinstance(c, tuple) or len(c) != 2 or not isinstance(c[1], WorldSpec):
                raise ValueError(f"Mixture.components: each must be a (weight, WorldSpec) pair, got {c!r}")
            weight = _number(c[0], "Mixture.components weight")
            if weight < 0:
                raise ValueError(f"Mixture.components: weights must be >= 0, got {weight}")
            out.append((weight, c[1]))
        if sum(w for w, _ in out) <= 0:
            raise ValueError("Mixture.components: weights must not all be zero")
        object.__setattr__(self, "components", tuple(out))

    def to_dict(self) -> dict:
        return {"type": "Mixture", "components": [[w, spec.to_dict()] for w, spec in self.components]}

    @classmethod
    def from_dict(cls, data: Any, where: str = "Mixture") -> Mixture:
        """The mixture ``to_dict`` describes; an unknown key raises ValueError naming it."""
        check_keys(data, where, ("type", "components"), required=("components",))
        if data.get("type", "Mixture") != "Mixture":
            raise ValueError(f"{where}: type must be 'Mixture', got {data['type']!r}")
        return cls([(w, WorldSpec.from_dict(s, f"{where}.components[{i}]"))
                    for i, (w, s) in enumerate(data["components"])])


Distribution = WorldSpec | Mixture


@dataclass(frozen=True)
class Objective:
    """A linear objective over the outcome: utility = sum of weight x feature."""

    weights: Mapping[str, float]
    """Feature name -> weight; at least one."""

    def __post_init__(self):
        object.__setattr__(self, "weights", _weights(self.weights, "Objective.weights", False))

    def to_dict(self) -> dict:
        """The weights by feature name (the scenario checks the names against its features)."""
        return dict(self.weights)

    @classmethod
    def from_dict(cls, data: Any, where: str = "Objective") -> Objective:
        """The objective ``to_dict`` describes: its keys are feature names, checked by the Scenario."""
        if not isinstance(data, Mapping):
            raise ValueError(f"{where}: expected a dict of feature name to weight, got {type(data).__name__}")
        return cls(data)


def distribution_from_dict(data: Any, where: str = "distribution") -> Distribution:
    """A WorldSpec or a Mixture from its ``to_dict`` record (told apart by ``type``)."""
    form = data.get("type") if isinstance(data, Mapping) else None
    if form == "Mixture":
        return Mixture.from_dict(data, where)
    if form == "WorldSpec":
        return WorldSpec.from_dict(data, where)
    raise ValueError(f"{where}: unknown distribution type {form!r}; expected 'WorldSpec' or 'Mixture'")
