"""Adding or removing a document in the background (pure: no Streamlit here).

The 文档 page saves an upload (or parks a file it removes) and starts this module in a detached
process: ``python -m dashboard.ingest --raw DIR --out DIR --job ID``. The build is incremental
(the store under ``OUT/.store``: only the new document is parsed), one job at a time (a lock
file), and each job writes its state to ``OUT/.ingest/<job>.json`` (queued → running → done |
failed), which the page polls. The datasets are replaced atomically, so the pages, whose store
is keyed by the files' modification times, see the change on their next rerun.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JOBS_DIR = ".ingest"
LOCK = "lock"
PARKED = ".removing-"  # a file being removed: hidden, so the build no longer sees it
ACTIVE = ("queued", "running")
KEEP = 50  # finished jobs kept on record


@dataclass
class Job:
    id: str
    action: str  # add | remove
    name: str  # the document's file name in the raw folder
    state: str = "queued"  # queued | running | done | failed
    message: str = ""
    pid: int | None = None
    created: float = field(default_factory=time.time)
    finished: float | None = None
    seconds: float | None = None

    @property
    def active(self) -> bool:
        return self.state in ACTIVE


def jobs_dir(out_dir: Path) -> Path:
    return Path(out_dir) / JOBS_DIR


def _path(out_dir: Path, job_id: str) -> Path:
    return jobs_dir(out_dir) / f"{job_id}.json"


def write_job(out_dir: Path, job: Job) -> None:
    """Replace the job's status file atomically (the page may read it at any moment)."""
    d = jobs_dir(out_dir)
    d.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=d, prefix=".job-")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(asdict(job), f, ensure_ascii=False)
    os.replace(tmp, _path(out_dir, job.id))


def read_job(out_dir: Path, job_id: str) -> Job | None:
    try:
        job = Job(**json.loads(_path(out_dir, job_id).read_text(encoding="utf-8")))
    except (FileNotFoundError, ValueError, TypeError):
        return None
    if job.active and job.pid and not _alive(job.pid):  # the worker died without a word
        job.state, job.message = "failed", "the ingest process stopped before it finished"
    return job


def jobs(out_dir: Path) -> list[Job]:
    """Every job on record, oldest first."""
    d = jobs_dir(out_dir)
    found = [read_job(out_dir, p.stem) for p in d.glob("*.json")] if d.exists() else []
    return sorted((j for j in found if j is not None), key=lambda j: j.created)


def wait(out_dir: Path, timeout: float = 120.0, poll: float = 0.1) -> list[Job]:
    """Until no job over ``out_dir`` is queued or running (or ``timeout`` seconds); the jobs."""
    deadline = time.monotonic() + timeout
    found = jobs(out_dir)
    while any(j.active for j in found) and time.monotonic() < deadline:
        time.sleep(poll)
        found = jobs(out_dir)
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A finished child not yet reaped is a zombie: gone for our purpose.
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ")[-1][:1]
    except OSError:
        return True
    return state != "Z"


@contextmanager
def one_at_a_time(out_dir: Path):
    """The ingest lock: jobs over one dataset folder run one after the other."""
    d = jobs_dir(out_dir)
    d.mkdir(parents=True, exist_ok=True)
    with open(d / LOCK, "a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def start(raw_dir: Path, out_dir: Path, action: str, name: str) -> Job:
    """Record a queued job and start its worker, detached (the web request does not wait)."""
    job = Job(uuid.uuid4().hex[:12], action, name)
    forget_old(out_dir)
    write_job(out_dir, job)
    log = open(jobs_dir(out_dir) / f"{job.id}.log", "ab")  # noqa: SIM115 (the child keeps it)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    proc = subprocess.Popen(
        [sys.executable, "-m", "dashboard.ingest", "--raw", str(raw_dir), "--out", str(out_dir), "--job", job.id],
        cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    log.close()
    job.pid = proc.pid
    # The worker rewrites the file when it starts; until then the pid says it was started.
    current = read_job(out_dir, job.id)
    if current is not None and current.state == "queued":
        write_job(out_dir, job)
    _reap_later(proc)
    return job


def forget_old(out_dir: Path, keep: int = KEEP) -> None:
    """Drop the records of finished jobs beyond the latest ``keep``."""
    done = [j for j in jobs(out_dir) if not j.active]
    for job in done[:-keep] if len(done) > keep else []:
        for suffix in (".json", ".log"):
            (jobs_dir(out_dir) / f"{job.id}{suffix}").unlink(missing_ok=True)


def _reap_later(proc: subprocess.Popen) -> None:
    """Collect the finished child's exit status without waiting in the request (no zombies)."""
    import threading

    threading.Thread(target=proc.wait, daemon=True).start()


def run(raw_dir: Path, out_dir: Path, job_id: str) -> Job:
    """The worker: wait for the lock, build incrementally, record the outcome."""
    from dashboard.documents import loaded, rebuild

    job = read_job(out_dir, job_id) or Job(job_id, "add", "")
    job.pid = os.getpid()
    with one_at_a_time(out_dir):
        job.state = "running"
        write_job(out_dir, job)
        started = time.perf_counter()
        parked = raw_dir / f"{PARKED}{job.name}"
        try:
            result = rebuild(raw_dir, out_dir)
            failed = {p.name: r for p, r in result.failures}
            if job.action == "add" and job.name in failed:
                (raw_dir / job.name).unlink(missing_ok=True)  # as before: a document that fails is taken out
                job.state, job.message = "failed", failed[job.name]
            else:
                parked.unlink(missing_ok=True)
                job.state = "done"
                job.message = f"{loaded(result)} documents, {result.parsed} parsed"
        except Exception as exc:  # noqa: BLE001 (one line for the page, never a traceback)
            if job.action == "remove" and parked.exists():
                os.replace(parked, raw_dir / job.name)
            if job.action == "add":
                (raw_dir / job.name).unlink(missing_ok=True)
            job.state, job.message = "failed", f"{type(exc).__name__}: {exc}"
        job.seconds = round(time.perf_counter() - started, 2)
        job.finished = time.time()
        write_job(out_dir, job)
    return job


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m dashboard.ingest", description=__doc__.splitlines()[0])
    ap.add_argument("--raw", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--job", required=True)
    args = ap.parse_args(argv)
    job = run(args.raw, args.out, args.job)
    print(f"{job.action} {job.name}: {job.state} {job.message}")
    return 0 if job.state == "done" else 1


if __name__ == "__main__":
    sys.exit(main())
