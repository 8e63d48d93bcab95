"""Ctrl-C (or a notebook's stop button) between generations, never inside one.

A SIGINT that lands inside a compiled kernel surfaces as numba's ``SystemError`` mid-call rather than
as a ``KeyboardInterrupt``, and one that lands inside a checkpoint write would leave work half done.
So while a run is in progress the first Ctrl-C only raises a flag, and the loop stops at the end of
the generation it is in (after that generation's checkpoint, if one was due), raising
``KeyboardInterrupt`` there; a second Ctrl-C stops at once.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def interrupt_between_generations() -> Iterator[Callable[[], None]]:
    """Defer SIGINT for the duration of the block; yields the check to call between generations.

    Outside the main thread, or where someone else handles SIGINT, signals are left alone and the
    check does nothing.
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
