"""The scenario factory of robustness maps: a built-in story at one setting of its knobs, world
shape and run sizes, so that ``evolution.sweep`` runs a whole map (one grid key, ``setting``) on one
executor, resumable like any sweep.

    import functools
    factory = functools.partial(story_at, "sweet_tooth", run=(("population", 60), ("generations", 30)))
    evolution.sweep(factory, {"setting": [(), (("sensor_cost", 0.2),), (("world_size", 8),)]}, range(5))
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from evolution.config import Config
from scenarios.analyses.robustness import WORLD_KEYS, Setting, with_world
from scenarios.engine.scenario import Scenario
from scenarios.registry import get, knob_names


def story_at(name: str, run: Setting = (), setting: Setting = ()) -> Scenario:
    """The story ``name`` with ``run`` then ``setting`` applied: story knobs to its ``make``,
    ``world_size`` and ``steps`` to every world (``scenarios.analyses.robustness.with_world``), and
    ``Config`` fields (population, episodes, generations) to the scenario's recommended config, so
    that a sweep with ``config=None`` runs the point at them.

    The scenario's ``knobs`` record says the world shape and the ``setting`` too, so a saved point
    tells what it was.

    Raises:
        ValueError: a key that is none of these, naming the valid ones.
    """
    merged = {**dict(run), **dict(setting)}
    story, fields = knob_names(name), Config.field_names()
    unknown = sorted(k for k in merged if k not in story and k not in WORLD_KEYS and k not in fields)
    if unknown:
        raise ValueError(f"{name}: unknown setting key(s) {unknown}; knobs are {story}, world keys "
                         f"{list(WORLD_KEYS)}, Config fields {list(fields)}")
    sc = get(name, **{k: v for k, v in merged.items() if k in story})
    sc = with_world(sc, **{k: merged[k] for k in WORLD_KEYS if k in merged})
    spec = sc.train.components[0][1]
    defaults = {**sc.defaults, **{k: v for k, v in merged.items() if k in fields}}
    knobs: dict[str, Any] = {**sc.knobs, "world_size": spec.size[0], "steps": spec.steps,
                             "setting": tuple(setting)}
    return replace(sc, defaults=defaults, knobs=knobs)
