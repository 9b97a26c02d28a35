"""Parse documents in worker processes, each within a time and a memory limit.

Parsing is CPU-bound and documents are independent, so a build spreads them over the
machine's cores. A worker returns the document's outcome (or its one-line failure); the
build yields them in the order the documents were given, so the datasets do not depend on
``jobs``. A document that runs past its limits fails alone: past the time limit its parse is
interrupted; past the memory limit its allocations fail (the worker's address space is
capped for the duration of the document); a worker that dies anyway is replaced and only
the document it was parsing fails. By default, small text-only sets are parsed in-process:
starting workers would cost more than it saves; an explicit ``jobs`` is always honoured.
"""

from __future__ import annotations

import gc
import os
import signal
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path

from loaders.errors import DocumentError
from loaders.readers.source import TEXT_SUFFIXES

# Below this much text (and with no PDF or Word file) workers are not worth starting. Forking
# two workers takes ≈ 9 ms (11–20 ms on 2026-12-04's busier EPYC), and each pays ≈ 11 ms of
# copy-on-write faults and ≈ 35 ms of warm-up (pattern compiling, first calls) on its first
# document; text parses at ≈ 0.6 ms CPU per KB. Measured on 2 cores: two documents of 117 KB
# in all build 16 % faster in two workers, two of 48 KB in all no faster.
IN_PROCESS_BYTES = 100_000
# Called from a thread other than the main one (a web server's script thread), a fork copies
# the other threads' locks in whatever state they are in: there, only this much text is worth it.
THREADED_IN_PROCESS_BYTES = 2_000_000
# One document's parse may take this long, and grow its worker by this much memory.
DOCUMENT_SECONDS = 300.0
DOCUMENT_MB = 2048
# Documents handed to the workers at a time, per worker: enough to keep them busy, few
# enough that a worker that dies names the document it was parsing.
_WINDOW = 4
# Within each run of this many documents, the largest are handed out first: a large one
# handed out last keeps one worker busy while the others wait (the seeds' five documents on
# two workers: their parsing took a median 220 ms where it took 258 in the given order, 6
# timelines each, as a worker often got both of the two largest). Results still come in the
# given order; a block bounds how many finished documents wait for an earlier one.
_BLOCK = 32


class ParseTimeout(DocumentError):
    """A document whose parsing ran past the time limit."""


class ParseMemory(DocumentError):
    """A document whose parsing needed more memory than the limit."""


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextmanager
def time_limit(seconds: float | None):
    """Raise :class:`ParseTimeout` in the block after ``seconds``. Only a process's main
    thread can take the alarm (a worker's task, the command line); elsewhere (a dashboard
    thread) the block runs unlimited: uploads are parsed in a child process with its own limit."""
    if not seconds or not _main_thread():
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


def _address_space() -> int | None:
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None  # not Linux: no way to measure, so no limit


@contextmanager
def memory_limit(mb: float | None):
    """Let the process's address space grow by at most ``mb`` MB in the block; an allocation
    past it raises MemoryError, turned into :class:`ParseMemory`. Only on a process's main
    thread (the cap is the whole process's), and only where ``resource`` exists."""
    try:
        import resource
    except ImportError:  # not POSIX
        resource = None
    now = _address_space() if mb and resource is not None and _main_thread() else None
    if now is None:
        yield
        return
    previous = resource.getrlimit(resource.RLIMIT_AS)
    cap = now + int(mb * 1024 * 1024)
    if previous[1] != resource.RLIM_INFINITY:
        cap = min(cap, previous[1])
    resource.setrlimit(resource.RLIMIT_AS, (cap, previous[1]))
    try:
        yield
    except MemoryError:
        raise ParseMemory(f"memory limit {mb:.0f} MB exceeded; parsing stopped") from None
    finally:
        resource.setrlimit(resource.RLIMIT_AS, previous)


@contextmanager
def collector_paused(path: Path | None):
    """The cycle collector off while a text document is parsed (on a process's main thread).

    Parsing text makes no reference cycles (the seeds and 10 generated documents: none left
    for the collector after each, but for the 1,809 objects of the modules the first one
    imports), so every collection during it only walks the document's live objects: 5 % of
    the instructions of parsing 10 generated documents (callgrind). A PDF's parse leaves
    6,800–43,000 objects in cycles (pdfminer's layout): the collector stays on for those.
    Turned back on after the document, it collects what the parse left."""
    pause = (path is not None and path.suffix.lower() in TEXT_SUFFIXES and gc.isenabled()
             and _main_thread())
    if not pause:
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@contextmanager
def document_limits(seconds: float | None, mb: float | None, path: Path | None = None):
    """The time and memory limits of one document's parse (and, for ``path`` a text
    document, the collector paused: outermost, so that the alarm is off before the collector
    is turned back on)."""
    with collector_paused(path), memory_limit(mb), time_limit(seconds):
        yield


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def worth_workers(paths: list[Path], jobs: int) -> bool:
    if jobs <= 1 or len(paths) <= 1:
        return False
    if any(p.suffix.lower() in (".pdf", ".docx") for p in paths):
        return True
    limit = IN_PROCESS_BYTES if _main_thread() else THREADED_IN_PROCESS_BYTES
    return sum(map(_size, paths)) > limit


def resolve_jobs(paths: list[Path], jobs: int | None) -> int:
    """``jobs`` as given, or the machine's cores where workers are worth starting."""
    if jobs is None:
        return default_jobs() if worth_workers(paths, default_jobs()) else 1
    return jobs


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # the parse names what is wrong with it


def dispatch_order(sizes: list[int], block: int = _BLOCK) -> list[int]:
    """The indexes of documents of these sizes in the order they go to the workers: block by
    block, in the given order, each block largest first (ties in the given order)."""
    order: list[int] = []
    for start in range(0, len(sizes), block):
        order += sorted(range(start, min(start + block, len(sizes))), key=lambda i: -sizes[i])
    return order


def _arrow_set_up() -> None:
    """What Arrow sets up on its first conversion of Python rows (its pandas shim: an import
    and a version check), done here before the fork, once: every worker did it again on its
    first document (≈ 3 ms of its first tables), and this process does it anyway."""
    import pyarrow as pa

    pa.array([{"x": 1.0}], type=pa.struct([("x", pa.float64())]), from_pandas=True)


def _alone(load: Callable[[Path], tuple], path: Path, died: Callable[[Path, str], tuple]) -> tuple:
    """``load(path)`` in a worker of its own: if that one dies too, the document is the cause."""
    with _new_pool(1) as solo:
        try:
            return solo.submit(load, path).result()
        except BrokenProcessPool:
            return died(path, "the worker parsing it died (killed or out of memory)")


def parse_all(paths: list[Path], load: Callable[[Path], tuple], jobs: int | None,
              died: Callable[[Path, str], tuple] | None = None) -> Iterator[tuple]:
    """``load(path)`` for every path, yielded in the given order, over ``jobs`` processes
    (``None``: the machine's cores, where that is worth it). When a worker dies, the documents
    it may have been parsing are parsed again one by one in workers of their own, and
    ``died(path, reason)`` is the outcome of the one that kills its worker again (without
    ``died`` the error propagates)."""
    jobs = resolve_jobs(paths, jobs)
    if jobs <= 1 or len(paths) <= 1:
        yield from map(load, paths)
        return
    workers = min(jobs, len(paths))
    done: dict[int, tuple] = {}
    pending = dispatch_order([_size(p) for p in paths])[::-1]  # a stack: the next document at the end
    running: dict = {}
    _arrow_set_up()
    pool = _new_pool(workers)
    following = 0
    try:
        while following < len(paths):
            while pending and len(running) < workers * _WINDOW:
                i = pending.pop()
                running[pool.submit(load, paths[i])] = i
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            suspects = []
            for future in finished:
                i = running.pop(future)
                try:
                    done[i] = future.result()
                except BrokenProcessPool:
                    if died is None:
                        raise
                    suspects.append(i)
            if suspects:  # every document still in the dead pool is a suspect
                suspects += running.values()
                running.clear()
                _stop(pool)
                for i in sorted(suspects):
                    done[i] = _alone(load, paths[i], died)
                pool = _new_pool(workers)
            while following in done:
                yield done.pop(following)
                following += 1
    finally:
        _stop(pool)


# Pools told to stop whose workers may still be exiting: the build goes on meanwhile (≈ 4 ms
# of the seeds build went to waiting for its parse workers to end), and they are waited for
# before the next pool forks, so that no fork happens beside their manager threads. (Several
# dashboard sessions may build at once, each on a thread of its own: hence the lock.)
_STOPPING: list[ProcessPoolExecutor] = []
_STOPPING_LOCK = threading.Lock()


def _stop(pool: ProcessPoolExecutor) -> None:
    """Stop the pool's workers (what they have not started is cancelled) without waiting."""
    pool.shutdown(wait=False, cancel_futures=True)
    with _STOPPING_LOCK:
        _STOPPING.append(pool)


def _new_pool(workers: int) -> ProcessPoolExecutor:
    with _STOPPING_LOCK:
        stopping = _STOPPING[:]
        _STOPPING.clear()
    for pool in stopping:
        pool.shutdown(wait=True)
    return ProcessPoolExecutor(max_workers=workers)


def ordered_map(fn: Callable, items: list, jobs: int, ahead: int = 2) -> Iterator:
    """``fn(item)`` for every item, over ``jobs`` processes, yielded in order, with at most
    ``jobs * ahead`` results waiting (memory stays bounded whatever the number of items).
    An error in ``fn`` propagates, as it would in-process. For steps after the parsing (the
    datasets assembled batch by batch), whose inputs the build itself made."""
    if jobs <= 1 or len(items) <= 1:
        yield from map(fn, items)
        return
    with _new_pool(min(jobs, len(items))) as pool:
        window: list = []
        upcoming = iter(items)
        for item in upcoming:
            window.append(pool.submit(fn, item))
            if len(window) >= jobs * ahead:
                break
        for item in upcoming:
            yield window.pop(0).result()
            window.append(pool.submit(fn, item))
        for future in window:
            yield future.result()
