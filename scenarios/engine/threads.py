"""How many threads an evaluation runs on: evaluation owns its threads, so the base optimizer's loop
and the sweep's workers only say how many they want (``Scenario.evaluate(parallel=...)``).

The serial and the parallel kernels give the same results bit for bit (each (organism, world) pair
is one independent episode), so the thread count changes only the speed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numba

from organisms.validation import require_integer


def thread_count(parallel: bool | int) -> int:
    """Threads an evaluation asked for with ``parallel`` may use: False or 1 one, True every thread
    numba may start (``NUMBA_NUM_THREADS``, every core unless set), an integer n at most n."""
    if isinstance(parallel, bool):
        wanted = numba.config.NUMBA_NUM_THREADS if parallel else 1
    else:
        wanted = require_integer(parallel, "parallel", lo=1)
    return min(wanted, numba.config.NUMBA_NUM_THREADS)


@contextmanager
def evaluation_threads(parallel: bool | int) -> Iterator[bool]:
    """numba's thread count set from ``parallel`` for the block (then restored); yields whether to
    run the parallel kernels (more than one thread)."""
    threads = thread_count(parallel)
    before = numba.get_num_threads()
    numba.set_num_threads(threads)
    try:
        yield threads > 1
    finally:
        numba.set_num_threads(before)
