"""`make bench-scale`: the build over N generated documents (bench/scale/generate.py).

For each N (``SCALE_N``, default ``1000,10000``), as whole processes of the command line:

- cold build with the default jobs (documents per second), and, at the smallest N (or at
  every N listed in ``SCALE_JOBS1_N``), cold with ``--jobs 1``: the speed-up of the workers;
- rebuild with nothing changed, and with one document added;
- peak memory of the build: the proportional set size (PSS: shared pages counted once) of
  its whole process tree (the command and its workers), sampled every 50 ms with psutil.

Documents are text unless ``SCALE_PDF_SHARE`` (a fraction) asks for some PDFs. Results print
as a table and go to bench/results/scale.json. Then every dashboard page is timed in Chromium
over the largest store (``SCALE_PAGES=0`` skips it). ``SCALE_N=200 make bench-scale`` for a
quick run.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench" / "scale"))
from generate import generate  # noqa: E402

WORK = Path(os.environ.get("SCALE_WORK", "/tmp/bench-scale"))
RESULTS = ROOT / "bench" / "results" / "scale.json"


def _tree_rss(proc: psutil.Process) -> int:
    try:
        procs = [proc, *proc.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    total = 0
    for p in procs:
        with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
            # PSS: a page the forked workers share with the build is counted once, not per
            # process (RSS summed over the tree would count the imports three times).
            info = p.memory_full_info()
            total += getattr(info, "pss", info.rss)
    return total


def timed_build(src: Path, out: Path, *extra: str) -> dict:
    """One ``python -m loaders build`` as a whole process: seconds, exit status, peak RSS.
    What the previous build wrote is flushed to disk first (``sync``, not timed): otherwise
    the kernel's writeback of a 10,000-document build's gigabyte lands in the next build's time."""
    os.sync()
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "loaders", "build", str(src), "--out", str(out), "-q", *extra],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    ps = psutil.Process(proc.pid)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(ps))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = proc.communicate()
    done.set()
    sampler.join()
    seconds = time.perf_counter() - started
    failed = [ln for ln in stderr.decode("utf-8", "replace").splitlines() if ln.startswith("error")]
    return {"seconds": round(seconds, 2), "exit": proc.returncode, "peak_mb": round(peak / 2**20), "failed": len(failed)}


def bench_n(n: int, pdf_share: float, with_jobs1: bool) -> dict:
    docs = WORK / "docs"
    generate(docs, n + 1, pdf_share=pdf_share)  # documents 0 … n (n: the one to add)
    names = sorted(p.name for p in docs.iterdir())
    src = WORK / f"src-{n}"
    shutil.rmtree(src, ignore_errors=True)
    src.mkdir(parents=True)
    added = next(p for p in names if p.startswith(f"{n:05d}-"))
    for name in names:
        if int(name[:5]) < n:
            (src / name).symlink_to(docs / name)
    out = WORK / f"out-{n}"
    shutil.rmtree(out, ignore_errors=True)
    row = {"n": n, "cold": timed_build(src, out)}
    row["docs_per_second"] = round(n / row["cold"]["seconds"], 1)
    row["nothing_changed"] = timed_build(src, out)
    (src / added).symlink_to(docs / added)
    row["one_added"] = timed_build(src, out)
    if with_jobs1:
        out1 = WORK / f"out-{n}-jobs1"
        shutil.rmtree(out1, ignore_errors=True)
        row["cold_jobs1"] = timed_build(src, out1, "--jobs", "1")
        row["jobs1_slowdown"] = round(row["cold_jobs1"]["seconds"] / row["cold"]["seconds"], 2)
        shutil.rmtree(out1, ignore_errors=True)
    return row


def main() -> None:
    ns = [int(x) for x in os.environ.get("SCALE_N", "1000,10000").split(",") if x.strip()]
    jobs1 = {int(x) for x in os.environ.get("SCALE_JOBS1_N", str(min(ns))).split(",") if x.strip()}
    pdf_share = float(os.environ.get("SCALE_PDF_SHARE", "0"))
    rows = [bench_n(n, pdf_share, n in jobs1) for n in ns]
    if len(rows) > 1:
        first, last = rows[0], rows[-1]
        # Linear cost: seconds per document at the largest N over that at the smallest.
        last["cost_per_doc_vs_smallest"] = round(
            (last["cold"]["seconds"] / last["n"]) / (first["cold"]["seconds"] / first["n"]), 2)
    result = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                    "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
                    "load_average_at_end": os.getloadavg()},
        "pdf_share": pdf_share,
        "runs": rows,
    }
    if os.environ.get("SCALE_PAGES", "1") != "0":
        # Every page in Chromium over the largest store (bench/page_times.py: warm in the app and
        # by link, against an empty Streamlit page), into bench/results/pages.json.
        n = max(ns)
        subprocess.run([sys.executable, str(ROOT / "bench" / "page_times.py"), "--data", str(WORK / f"out-{n}"),
                        "--label", f"scale-{n}", "--warm", "3"], cwd=ROOT, check=False)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{'N':>7} {'cold s':>8} {'docs/s':>7} {'jobs1 ×':>8} {'no change s':>12} {'one added s':>12} {'peak MB':>8}")
    for r in rows:
        print(f"{r['n']:>7} {r['cold']['seconds']:>8} {r['docs_per_second']:>7} {r.get('jobs1_slowdown', '—'):>8} "
              f"{r['nothing_changed']['seconds']:>12} {r['one_added']['seconds']:>12} "
              f"{max(r['cold']['peak_mb'], r['one_added']['peak_mb']):>8}")
    print(f"→ {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
