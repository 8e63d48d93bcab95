"""A test double for evolution: a scenario that counts the generations it evaluates and can act at
one of them (die, as a killed process would, or receive Ctrl-C)."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

from evolution.protocol import CHECK_EVALUATIONS


class Killed(Exception):
    """Stands for a kill: raised where a real run would have died."""


def die() -> None:
    raise Killed


class CountingScenario:
    """Delegates to ``scenario``; ``calls`` counts the generations evaluated (the scenario checker's
    evaluations on entry excluded), and ``act`` runs on entering the ``at``-th one (0-based)."""

    def __init__(self, scenario, at: int | None = None, act: Callable[[], None] = die):
        self.scenario, self.at, self.act, self.calls = scenario, at, act, -CHECK_EVALUATIONS

    def evaluate(self, *args, **kwargs):
        if self.calls == self.at:
            self.act()
        self.calls += 1
        return self.scenario.evaluate(*args, **kwargs)

    def __getattr__(self, name):
        if name == "scenario":  # not set yet (e.g. during copying): no delegation loop
            raise AttributeError(name)
        return getattr(self.scenario, name)


class CountingPool(ProcessPoolExecutor):
    """A one-worker spawn pool (a sweep's "serial" executor) that counts the points submitted to it."""

    def __init__(self):
        super().__init__(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
        self.submitted = 0

    def submit(self, fn, /, *args, **kwargs):
        self.submitted += 1
        return super().submit(fn, *args, **kwargs)
