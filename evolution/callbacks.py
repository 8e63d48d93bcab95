"""Per-generation callbacks: ``evolve(scenario, config, callbacks=[...])``.

A callback is any callable taking one argument. After each generation is evaluated and logged,
every callback is called in turn with that generation's log row: a new dict holding ``generation``
and every ``run.log`` column, the values plain Python numbers (NaN where the log has NaN).

Stopping. A callback that returns ``True`` (a bool, numpy's too, so ``lambda row:
row["planner_share"] > 0.9`` works) stops the run after this generation, once every callback has
seen it; any other return value (None, the count a ``file.write`` returns) lets the run go on. A
run stopped after generation g *is* the run of g + 1 generations: the same log, population and hall
of fame, bit for bit, and its ``RunResult.config`` says so (``generations=g + 1``; the Config passed
in is not changed). With ``out``, the run directory holds that finished run of g + 1 generations:
it loads, assesses and re-runs to its own log, and, like any finished run, is not resumed (a longer
run with the same seed repeats the stopped one's generations exactly and goes on).

A callback that raises stops the run with that exception, as a crash would: ``out`` keeps its last
checkpoint, from which ``evolve(..., resume=out)`` continues. On resume, callbacks see the
generations run from the checkpoint on (not those restored from it).

Callbacks do not change results: each gets its own copy of the row, the run's random streams are
reseeded from the run's seed before every draw (``evolution.loop``), and nothing a callback returns
but ``True`` is read. A callback is called in the main thread between generations, where Ctrl-C is
deferred (``evolution.interrupt``).

``JsonLinesLog`` is the built-in one: a JSON-lines stream of the log, a line per generation, to
tail while a run goes or to load with ``pandas.read_json(path, lines=True)``.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from organisms.records import jsonable

Callback = Callable[[dict[str, Any]], Any]
"""Called with a generation's log row; returning ``True`` stops the run after that generation."""


def check_callbacks(callbacks: Iterable[Callback] | None) -> tuple[Callback, ...]:
    """The callbacks as a tuple; anything but an iterable of callables is a ``ValueError``."""
    if callbacks is None:
        return ()
    if callable(callbacks) or isinstance(callbacks, (str, bytes, Mapping)) or not isinstance(callbacks, Iterable):
        raise ValueError(f"callbacks: must be a list of callables (each called with a generation's log "
                         f"row), got {callbacks!r}")
    found = tuple(callbacks)
    bad = [c for c in found if not callable(c)]
    if bad:
        raise ValueError(f"callbacks: each must be callable with a generation's log row; not so for {bad[:3]}")
    return found


def notify(callbacks: tuple[Callback, ...], row: Mapping[str, Any]) -> bool:
    """Call every callback with its own copy of ``row``; whether any asked to stop the run."""
    plain = jsonable(dict(row))
    stop = False
    for callback in callbacks:
        answer = callback(dict(plain))
        stop |= isinstance(answer, (bool, np.bool_)) and bool(answer)
    return stop


def _line(row: Mapping[str, Any]) -> str:
    # JSON has no NaN: null, which pandas.read_json reads back as NaN.
    plain = {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in jsonable(dict(row)).items()}
    return json.dumps(plain, allow_nan=False) + "\n"


class JsonLinesLog:
    """A callback that writes the run log as JSON lines: one object per generation, flushed to disk
    as each generation ends, so ``tail -f`` follows the run and ``pandas.read_json(path,
    lines=True)`` loads it (NaN written as null; ``precise_float=True`` reads every value back
    exactly, as ``json.loads`` does). Never stops the run.

    The first row a run passes decides what the file keeps of an earlier stream: lines of earlier
    generations stay, the rest go. A fresh run (generation 0) therefore starts the file anew, and a
    run resumed from a checkpoint continues the stream of the run that was killed, without the
    generations that run again, so the file ends up holding every generation once.

    Args:
        path: the file to write (its folder is created).
    """

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self._next: int | None = None
        """The generation that continues the stream being written (None: none yet)."""

    def __repr__(self) -> str:
        return f"JsonLinesLog({str(self.path)!r})"

    def __call__(self, row: Mapping[str, Any]) -> None:
        generation = int(row["generation"])
        if generation != self._next:  # a run starts (or the instance is used for another one)
            self._start(generation)
        with open(self.path, "a", encoding="utf-8") as stream:  # closed, hence flushed, every line
            stream.write(_line(row))
        self._next = generation + 1
        return None

    def _start(self, generation: int) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        kept = []
        if self.path.exists():
            for line in self.path.read_text(encoding="utf-8").splitlines():
                try:
                    earlier = json.loads(line)["generation"] < generation
                except (ValueError, KeyError, TypeError):
                    earlier = False  # a line cut short by a kill, or not a row: dropped
                if earlier:
                    kept.append(line + "\n")
        self.path.write_text("".join(kept), encoding="utf-8")
