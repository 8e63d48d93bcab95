"""Every seed derivation in basemesa, in one place.

One integer seed becomes a ``numpy.random.SeedSequence``; every stream a run or an assessment needs
is a child of it addressed by a fixed key (never by the order in which work happens), so a resumed
run, a run on another executor and a run on another machine draw the same numbers. Names (a
distribution's, a genome's bytes) enter a key through CRC-32, which is stable across processes and
Python versions (``hash`` is not).

Keys in use: (0, g) generation g's training worlds, (1, g) generation g's variation, (2,) the
initial population (see ``evolution``); assessment worlds and bootstrap streams are keyed by name.
"""

from __future__ import annotations

import random
import zlib
from typing import Any

import numpy as np

SeedLike = int | np.random.SeedSequence


def seed_child(seed: SeedLike, *key: int) -> np.random.SeedSequence:
    """The child ``key`` of a seed (an int or a SeedSequence), the same however often it is asked."""
    ss = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(int(seed))
    return np.random.SeedSequence(ss.entropy, spawn_key=tuple(ss.spawn_key) + tuple(int(k) for k in key))


def name_key(name: str | bytes | np.ndarray) -> int:
    """A stable integer for a name, a byte string or an array's float64 bytes."""
    if isinstance(name, str):
        data = name.encode()
    elif isinstance(name, np.ndarray):
        data = np.ascontiguousarray(name, dtype=np.float64).tobytes()
    else:
        data = bytes(name)
    return zlib.crc32(data)


def named_seed(seed: int, *names: Any) -> np.random.SeedSequence:
    """A stream fixed by a seed and names alone (e.g. a distribution's assessment worlds)."""
    return np.random.SeedSequence([int(seed), *(name_key(n) for n in names)])


def run_assessment_seed(assess_seed: int, run_seed: int) -> int:
    """The assessment seed of one run when runs are summarised across seeds: each run is assessed on
    worlds of its own, fixed by the assessment seed and the run's seed, so an interval over runs
    includes the sampling of assessment worlds (a single comparison keeps one shared seed)."""
    return int(np.random.SeedSequence([int(assess_seed), name_key("run assessment"), int(run_seed)])
               .generate_state(1)[0])


def seed_python_random(ss: np.random.SeedSequence) -> None:
    """Seed Python's global ``random`` (which DEAP's operators draw from) from a SeedSequence."""
    random.seed(int(ss.generate_state(1)[0]))


def seed_numpy_random(ss: np.random.SeedSequence) -> None:
    """Seed numpy's global generator (which DEAP's ``cma.Strategy`` samples from) from a SeedSequence."""
    np.random.seed(ss.generate_state(4))
