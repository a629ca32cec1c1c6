"""Work spread over the machine's cores: an ordered map run in forked worker processes.

Only a big catalogue's first build uses it (painref.compiler), so no warm run imports it.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

Job = TypeVar("Job")
Result = TypeVar("Result")

# Never more workers than this, whatever the machine: the writer is one process, and the work
# handed out per job is small.
MAX_WORKERS = 4


class WorkersLost(RuntimeError):
    """A worker process died (killed, or out of memory) before it answered."""


def workers() -> int:
    """How many worker processes are worth starting: the cores this process may run on, or 1 where
    workers cannot be forked (only Linux forks them: macOS's system libraries are not fork-safe,
    and Windows cannot fork)."""
    if sys.platform != "linux":
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except OSError:
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_WORKERS))


def ordered(function: Callable[[Job], Result], jobs: Iterable[Job], processes: int, window: int) -> Iterator[Result]:
    """`function(job)` for each job, in the jobs' order, computed in `processes` forked workers,
    with at most `window` jobs handed out and not yet taken back, so a big input is never held
    whole. The workers see this process's memory as it was when the first job is handed out
    (they are forked then). A worker's exception is raised here, and WorkersLost if a worker dies;
    stopping early cancels the jobs not yet started.
    """
    from concurrent.futures import BrokenExecutor, Future, ProcessPoolExecutor
    from multiprocessing import get_context

    # The objects there are now are left out of the workers' garbage collection, which would
    # otherwise write to every page of them and so copy the whole heap into each worker.
    gc.collect()
    gc.freeze()
    executor = ProcessPoolExecutor(processes, mp_context=get_context("fork"), initializer=_quiet)
    pending: deque[Future[Result]] = deque()
    try:
        started = False
        for job in jobs:
            if started:
                pending.append(executor.submit(function, job))
            else:
                # The workers are forked at the first job, and until `_quiet` runs in them they
                # have this process's handlers: a stop then would print a worker's traceback.
                with deferred_stops(act=True):
                    pending.append(executor.submit(function, job))
                started = True
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    except BrokenExecutor as error:
        raise WorkersLost(str(error)) from None
    finally:
        # Stopping already (Ctrl-C, an error, the caller closed this): a second stop is the same one.
        with deferred_stops(act=sys.exc_info()[1] is None):
            executor.shutdown(wait=True, cancel_futures=True)
            gc.unfreeze()


# The signals that stop a run (see painref.cli.main), deferred while the workers are stopped.
_STOPS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


@contextmanager
def deferred_stops(*, act: bool) -> Iterator[None]:
    """Hold back Ctrl-C and requests to stop until the block is done, then act on the first if
    `act` (else the run is stopping already).

    A second Ctrl-C while the workers are being stopped would break that off half-way: the exit
    then waited for workers no one stopped, and they outlived it. (painref.cache holds a stop
    back while it makes a temporary file, until it knows the file's name to remove.)"""
    if threading.current_thread() is not threading.main_thread():  # only it runs signal handlers
        yield
        return
    previous = {number: signal.getsignal(number) for number in _STOPS}
    received: list[int] = []
    for number in _STOPS:
        signal.signal(number, lambda number, _frame: received.append(number))
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    if act and received and callable(handler := previous[received[0]]):
        handler(received[0], None)


def _quiet() -> None:
    """A worker leaves Ctrl-C to the process that started it, which stops the workers itself, and
    so it does a request to stop sent to the whole group (SIGTERM from `kill`, SIGHUP from a
    closed terminal): a worker killed by one would leave that process writing to its pipe.

    Workers keep its priority: run lower, they made a quiet machine's build 10% faster (the
    writing process is what a build waits for), but starved behind any other busy process."""
    for number in _STOPS:
        signal.signal(number, signal.SIG_IGN)
