"""The registry of organism kinds, and the compiled dispatch on kind codes.

``REGISTRY`` lists every kind (an ``OrganismKind`` declared in its own module); a scenario's genome
layout chooses which of them its kind gene selects between. Adding a kind is one new module that
declares it (genome block, decoding, compiled ``start``/``step``, reference twins: see
``organisms.organism_kind``) plus its entry here: one line in ``REGISTRY`` and one branch in each of
``start`` and ``step`` below (none in ``step`` for a kind that steps as another does: ``SHARED_STEPS``).

Why a branch per kind, not a table of functions: numba cannot look a Python registry up at run time,
and a population mixes kinds, so the choice is made inside compiled code, per organism. The
alternatives fail ``@njit(cache=True)`` or the inner loop. A tuple of dispatchers indexed by the code
needs numba's first-class function type, which calls through an address known only at run time:
numba's notes on caching say such code (dynamic globals, runtime addresses) cannot be cached, and
the indirect call is not inlined. A kind's dispatcher passed as an argument is cacheable (one
compiled specialisation per dispatcher) but fixes one kind per call. A dispatcher generated from
the registry (a closure or ``exec``) is keyed in the cache by its pickled closure cells and its
source is nowhere to read. Plain ``if code == ...`` branches calling module-level
``@njit(cache=True, inline="always")`` functions are resolved when the caller compiles: numba inlines
the callees into ``kernels.run_episodes`` (which runs them without reference counting), nothing dynamic
remains, and every function in the chain is cached.

One caveat of numba's cache applies: numba's documentation says a cached function is invalidated
when *its own* source file changes, not when a function it calls changes in another file. Nothing
needs clearing by hand after editing a kind's compiled policy: ``organisms.compiled_cache`` hashes
the compiled packages' sources when ``organisms`` is imported and clears their numba cache when they
changed, and the tests that compare kernels with the reference would catch a stale cache as a
mismatch.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from organisms import cue_planner, heuristic, planner
from organisms.organism_kind import OrganismKind

REGISTRY: tuple[OrganismKind, ...] = (heuristic.KIND, planner.KIND, cue_planner.KIND, cue_planner.TIED_KIND)
"""Every organism kind, in code order."""

DEFAULT_KINDS: tuple[str, ...] = ("heuristic", "planner")
"""The kinds a genome layout selects between unless a scenario says otherwise (today's layout)."""

PLANNING_CODES = np.array([k.code for k in REGISTRY if k.plans], dtype=np.int64)
"""Codes of the kinds that search for plans serving a mesa-objective."""


def by_name(name: str) -> OrganismKind:
    """The registered kind called ``name``."""
    for kind in REGISTRY:
        if kind.name == name:
            return kind
    raise ValueError(f"kind: no organism kind {name!r}; registered: {[k.name for k in REGISTRY]}")


def by_code(code: int) -> OrganismKind:
    """The registered kind with kind code ``code``."""
    for kind in REGISTRY:
        if kind.code == code:
            return kind
    raise ValueError(f"kind: no organism kind with code {code}")


@njit(cache=True, inline="always")
def start(kind, ph, o, world, scratch):
    """The kind's ``start``, chosen by its code."""
    if kind == planner.CODE or kind == cue_planner.TIED_CODE:  # see SHARED_STARTS
        return planner.start(ph, o, world, scratch)
    if kind == cue_planner.CODE:
        return cue_planner.start(ph, o, world, scratch)
    return heuristic.start(ph, o, world, scratch)


SHARED_STARTS = {cue_planner.TIED_CODE: planner.CODE}
"""Kinds whose compiled ``start`` is another kind's (the tied planner's ``tied_start`` only calls
``planner.start``): ``start`` above calls the shared one, so it is inlined into the episode loop once
(each inlined copy costs a few tenths of a second of compiling); ``tests/organisms/test_kinds.py``
checks the list."""


SHARED_STEPS = {cue_planner.CODE: planner.CODE, cue_planner.TIED_CODE: planner.CODE}
"""Kinds whose compiled ``step`` is another kind's (the cue-conditional and tied planners step as the
planner does: ``cue_planner.step`` only calls ``planner.step``). ``step`` below branches once per
distinct step, so the planner's step is inlined into the episode loop once, not three times (each
inlined copy is about a second of compiling); ``tests/organisms/test_kinds.py`` checks the list."""


@njit(cache=True, inline="always")
def step(kind, ph, o, world, scratch, param, cell, r, c, t, outcome):
    """The kind's ``step``, chosen by its code (see ``SHARED_STEPS``)."""
    if kind == heuristic.CODE:
        return heuristic.step(ph, o, world, scratch, param, cell, r, c, t, outcome)
    return planner.step(ph, o, world, scratch, param, cell, r, c, t, outcome)
