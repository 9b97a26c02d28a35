"""Parse documents in worker processes, results in the order the documents were given.

Parsing is CPU-bound and documents are independent, so a build spreads them over the
machine's cores. A worker returns the loaded document or its one-line failure; the build
then goes on as if it had parsed them itself, so the datasets do not depend on ``jobs``.
By default, small text-only sets are parsed in-process: starting workers would cost more
than it saves; an explicit ``jobs`` is always honoured.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from loaders.errors import DocumentError

# Below this much text (and with no PDF or Word file) workers are not worth starting.
IN_PROCESS_BYTES = 2_000_000
Outcome = tuple[Path, object | None, str | None]  # path, LoadedDocument, failure


# One document's parse may take this long; a runaway document fails alone, with its line.
DOCUMENT_SECONDS = 300.0


class ParseTimeout(DocumentError):
    """A document whose parsing ran past the time limit."""


@contextmanager
def time_limit(seconds: float | None):
    """Raise :class:`ParseTimeout` in the block after ``seconds``. Only a process's main
    thread can take the alarm (a worker's task, the command line); elsewhere (a dashboard
    thread) the block runs unlimited: uploads are parsed in a child process with its own limit."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(_signum, _frame):
        raise ParseTimeout(f"parsing took longer than {seconds:.0f} s and was stopped")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def worth_workers(paths: list[Path], jobs: int) -> bool:
    if jobs <= 1 or len(paths) <= 1:
        return False
    if any(p.suffix.lower() in (".pdf", ".docx") for p in paths):
        return True
    return sum(p.stat().st_size for p in paths if p.exists()) > IN_PROCESS_BYTES


def parse_all(paths: list[Path], load: Callable[[Path], Outcome], jobs: int | None) -> Iterator[Outcome]:
    """``load(path)`` for every path, in the given order, over ``jobs`` processes (``None``:
    the machine's cores, where that is worth it)."""
    if jobs is None:
        jobs = default_jobs() if worth_workers(paths, default_jobs()) else 1
    if jobs <= 1 or len(paths) <= 1:
        yield from map(load, paths)
        return
    with ProcessPoolExecutor(max_workers=min(jobs, len(paths))) as pool:
        # map keeps the order of paths; chunks of one so a big PDF doesn't hold others back.
        yield from pool.map(load, paths, chunksize=1)
