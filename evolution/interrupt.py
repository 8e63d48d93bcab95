"""Ctrl-C (or a notebook's stop button) between generations, never inside one.

A SIGINT that lands inside a compiled kernel surfaces as numba's ``SystemError`` mid-call rather than
as a ``KeyboardInterrupt``, and one that lands inside a checkpoint write would leave work half done.
So while a run is in progress the first Ctrl-C only raises a flag, and the loop stops at the end of
the generation it is in (after that generation's checkpoint, if one was due), raising
``KeyboardInterrupt`` there; a second Ctrl-C stops at once.

Where SIGINT is ignored, it stays ignored. A process inherits an ignored SIGINT from whoever started
it: a background job of a non-interactive shell (``command &`` in a script), ``nohup`` and some CI
runners start programs that way, and Python then leaves SIGINT ignored instead of installing its
``KeyboardInterrupt`` handler. A run started so cannot be stopped by Ctrl-C or ``kill -INT``: the
signal never arrives, and the run goes on to its end (stop it with SIGTERM or SIGKILL, and resume
from its last checkpoint). The same holds where a program installed a SIGINT handler of its own, or
outside the main thread: ``evolve`` leaves it alone. To make a run interruptible again, restore the
default disposition before Python starts (``signal.signal(SIGINT, SIG_DFL)`` in a
``subprocess.Popen(preexec_fn=...)``), or install ``signal.default_int_handler`` before calling
``evolve``.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def interrupt_between_generations() -> Iterator[Callable[[], None]]:
    """Defer SIGINT for the duration of the block; yields the check to call between generations.

    Outside the main thread, or where SIGINT is ignored or someone else handles it, signals are left
    alone and the check does nothing.
    """
    if (threading.current_thread() is not threading.main_thread()
            or signal.getsignal(signal.SIGINT) is not signal.default_int_handler):
        yield lambda: None
        return
    pending: list[int] = []

    def defer(signum, frame):
        if pending:
            raise KeyboardInterrupt
        pending.append(signum)

    def check() -> None:
        if pending:
            raise KeyboardInterrupt

    signal.signal(signal.SIGINT, defer)
    try:
        yield check
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
