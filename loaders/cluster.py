"""The same per-document parse as tasks on a Dask distributed cluster.

``python -m loaders build SOURCES --out DIR --scheduler tcp://host:8786``: the command line
machine reads each file and sends its bytes (workers need not share its filesystem); a
task parses them into the document's entry (:mod:`loaders.entry`) and sends it back; the
entries go into DIR's store as they arrive and the datasets are assembled here, exactly as
a local build does, so the datasets are the same. Only a window of documents is in flight
at a time (memory stays bounded), results are taken in the order the documents were given.
A worker must run the same loaders (the parser version is compared; a mismatch fails the
document with its line). Limits on a cluster are the workers' own: a Dask worker runs tasks
in threads, which cannot be interrupted, so use ``dask worker --memory-limit`` (its nanny
restarts a worker past it; a document that kills workers fails alone, with its line).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from loaders.entry import store_entry
from loaders.errors import ClusterError, DocumentError, failure_reason
from loaders.loaded import full_parser_version

# Documents in flight per worker thread.
_WINDOW = 4


def parse_bytes(name: str, data: bytes, version: str, seconds: float | None, mb: float | None):
    """A Dask task: ``("ok", entry)`` or ``("failed", reason)`` for one document's bytes."""
    from loaders.entry import make_entry
    from loaders.loaded import load_document
    from loaders.parallel import document_limits

    if full_parser_version() != version:
        return "failed", f"the Dask worker runs other loaders (parser {full_parser_version()}, here {version})"
    with tempfile.TemporaryDirectory(prefix="loaders-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        try:
            with document_limits(seconds, mb, path):  # only where the task runs on a main thread
                doc = load_document(path)
                doc.source.path = Path(name)
                return "ok", make_entry(doc)
        except Exception as exc:
            return "failed", failure_reason(exc)


def _client(scheduler):
    try:
        from distributed import Client
    except ImportError as exc:  # pragma: no cover - a dependency of the project
        raise ClusterError(f"dask distributed is not installed ({exc})") from None
    if isinstance(scheduler, Client):
        return scheduler, False
    try:
        return Client(scheduler, timeout=os.environ.get("LOADERS_DASK_TIMEOUT", "15s")), True
    except (OSError, TimeoutError, ValueError) as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None


def parse_on_cluster(paths: list[Path], scheduler, store, seconds: float | None, mb: float | None
                     ) -> Iterator[tuple[Path, object | None, str | None]]:
    """``(path, summary, failure)`` for every path, in order; entries put into ``store``."""
    if not paths:
        return
    from distributed import as_completed

    client, owned = _client(scheduler)
    version = full_parser_version()
    try:
        threads = sum(client.nthreads().values()) or 1
        window = max(2, _WINDOW * threads)
        running: dict = {}
        done: dict[int, tuple] = {}
        following, submitted = 0, 0
        pending = as_completed()

        def submit(i: int) -> None:
            try:
                data = paths[i].read_bytes()
            except OSError as exc:
                done[i] = (paths[i], None, f"cannot read: {exc.strerror or exc}")
                return
            key = f"parse-{hashlib.sha256(data).hexdigest()[:16]}-{i}"
            future = client.submit(parse_bytes, paths[i].name, data, version, seconds, mb, key=key, pure=False)
            running[future] = i
            pending.add(future)

        while submitted < len(paths) and len(running) < window:
            submit(submitted)
            submitted += 1
        while following < len(paths):
            while following in done:
                yield done.pop(following)
                following += 1
            if following >= len(paths):
                break
            future = next(pending)
            i = running.pop(future)
            done[i] = _outcome(paths[i], future, store)
            future.release()
            while submitted < len(paths) and len(running) < window:
                submit(submitted)
                submitted += 1
    finally:
        if owned:
            client.close()


def _outcome(path: Path, future, store) -> tuple:
    try:
        status, payload = future.result()
    except DocumentError as exc:
        return path, None, str(exc)
    except Exception as exc:  # KilledWorker, a lost connection …: this document fails alone
        return path, None, f"the Dask task failed ({type(exc).__name__}: {exc})"
    if status != "ok":
        return path, None, payload
    try:
        store_entry(store, payload)
    except OSError as exc:
        return path, None, f"cannot write its store entry ({exc.strerror or exc})"
    return path, replace(payload.summary, path=str(path)), None
