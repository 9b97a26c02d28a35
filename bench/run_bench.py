"""`make bench`: whole-process timings, each with a baseline measured in the same run.

1. Building the five seeds cold (``python -m loaders build data/raw`` into a new folder each
   run) against the bare interpreter start with the same imports (what any run of the CLI
   costs), the three run in turn, each after BENCH_SETTLE_S seconds of quiet; and a rebuild
   of them with nothing changed (the store).
2. The rule engine alone over the five seeds (in process: what checks add to the build).
3. Building the four shared PDFs against a bare pdfplumber pass over the same files
   (open, extract_words and extract_tables on every page), both as whole processes.
4. Every dashboard page rendered by AppTest once the data is cached.

Results print as a table and go to bench/results/latest.json.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED_PDFS = ROOT.parent / "shared" / "pdfs"
SHARED_CORPUS = ROOT.parent / "shared" / "corpus"
PY = sys.executable
REPEATS = int(os.environ.get("BENCH_REPEATS", "5"))
SETTLE_S = float(os.environ.get("BENCH_SETTLE_S", "2"))
# The seeds' ratio is the target of a whole-process comparison on a VM whose speed drifts by
# a third from one minute to the next: more rounds than the other figures.
SEEDS_ROUNDS = int(os.environ.get("BENCH_SEEDS_ROUNDS", "15"))

IMPORT_BASELINE = "import pandas, pyarrow.parquet, typer, rich.progress"
PROJECT_BASELINE = "import loaders.__main__"
PDFPLUMBER_PASS = """
import sys, pdfplumber
for path in sys.argv[1:]:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_words()
            page.extract_tables()
"""


def timed(cmd: list[str], repeats: int = REPEATS, fresh_out: Path | None = None) -> tuple[float, float]:
    """Median wall time and median CPU time (user + system, the process and its workers) of a
    whole process, in seconds. With ``fresh_out``, every run builds into a new folder there
    (``--out`` added): a cold build, never a hit of the previous run's store."""
    return interleaved({"run": (cmd, fresh_out)}, repeats, settle=0.0)["run"]


def _run_once(cmd: list[str], fresh_out: Path | None, i: int, settle: float = 0.0) -> tuple[float, float]:
    """One run's wall and CPU seconds, after ``settle`` seconds of quiet."""
    if settle:
        time.sleep(settle)
    run = cmd if fresh_out is None else [*cmd, "--out", str(fresh_out / f"run{i}-{time.monotonic_ns()}")]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(run, cwd=ROOT, check=False, capture_output=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def interleaved(cmds: dict[str, tuple[list[str], Path | None]], repeats: int = REPEATS,
                settle: float = SETTLE_S) -> dict[str, tuple[float, float]]:
    """Median wall and CPU seconds of each command, run in turn (``repeats`` rounds), each run
    after ``settle`` seconds of quiet, so that none starts in another's wake: on the VM measured
    on 2026-12-04 a build started right after another build ran 56–78 ms slower than one started
    right after the bare interpreter; run back to back, the builds paid that and the baselines
    did not."""
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in cmds}
    for i in range(repeats):
        for name, (cmd, fresh_out) in cmds.items():
            runs[name].append(_run_once(cmd, fresh_out, i, settle))
    return {name: (statistics.median(w for w, _ in r), statistics.median(c for _, c in r)) for name, r in runs.items()}


def wall(cmd: list[str], repeats: int = REPEATS, fresh_out: Path | None = None) -> float:
    return timed(cmd, repeats, fresh_out)[0]


def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{model or platform.processor()} × {os.cpu_count()} cores, Python {platform.python_version()}"


def bench_seeds(out: Path) -> dict:
    # The interpreter with the project's command line imported (what every build costs before
    # it reads a document): the build minus it is the reading, checking and writing. The three
    # run in turn, each after the same quiet (see ``interleaved``).
    runs = interleaved({
        "build": ([PY, "-m", "loaders", "build", "data/raw", "-q"], out / "cold"),
        "imports": ([PY, "-c", IMPORT_BASELINE], None),
        "project": ([PY, "-c", PROJECT_BASELINE], None),
    }, repeats=SEEDS_ROUNDS)
    (build, build_cpu), (base, _), (project, project_cpu) = runs["build"], runs["imports"], runs["project"]
    # The datasets the pages bench reads, and a rebuild of them with nothing changed (the store).
    cmd = [PY, "-m", "loaders", "build", "data/raw", "--out", str(out / "seeds"), "-q"]
    subprocess.run(cmd, cwd=ROOT, check=False, capture_output=True)
    unchanged = wall(cmd)
    return {"build_seeds_s": build, "baseline_imports_s": base, "ratio": build / base,
            "baseline_project_s": project, "ratio_project": build / project,
            "build_seeds_cpu_s": build_cpu, "baseline_project_cpu_s": project_cpu,
            "work_cpu_s": build_cpu - project_cpu, "rebuild_unchanged_s": unchanged,
            "rounds": SEEDS_ROUNDS, "settle_s": SETTLE_S}


def bench_checks() -> dict:
    """run_checks on the frames the build gives it (rows parsed once, outside the timing)."""
    sys.path.insert(0, str(ROOT))
    from loaders.build import find_sources, frames_of, keyed_rows, load_document
    from loaders.checks import run_checks

    docs = [load_document(p) for p in find_sources([ROOT / "data" / "raw"])]
    frames, by_id = frames_of(keyed_rows(docs)), {d.doc_id: d for d in docs}
    run_checks(frames, by_id)  # warm
    times = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        rows = run_checks(frames, by_id)
        times.append(time.perf_counter() - t0)
    return {"checks_s": statistics.median(times), "check_rows": len(rows)}


def bench_pdfs(out: Path) -> dict | None:
    pdfs = sorted(str(p) for p in SHARED_PDFS.glob("*.pdf"))
    if not pdfs:
        return None
    repeats = max(1, REPEATS // 2)
    bare = wall([PY, "-c", PDFPLUMBER_PASS, *pdfs], repeats)
    # One process, like the bare pass: the cost of reading a document, not of the cores.
    build = wall([PY, "-m", "loaders", "build", *pdfs, "-q", "--jobs", "1"], repeats, fresh_out=out / "pdfs")
    return {"build_pdfs_s": build, "bare_pdfplumber_s": bare, "ratio": build / bare, "files": len(pdfs)}


def bench_corpus(out: Path) -> dict | None:
    """Every shared document (corpus, PDFs, seeds): one process against the default workers."""
    if not SHARED_CORPUS.exists():
        return None
    sources = [str(SHARED_CORPUS), *([str(SHARED_PDFS)] if SHARED_PDFS.exists() else []), "data/raw"]
    cmd = [PY, "-m", "loaders", "build", *sources, "-q"]
    one = wall([*cmd, "--jobs", "1"], 1, fresh_out=out / "corpus")
    default = wall(cmd, 1, fresh_out=out / "corpus")
    return {"one_process_s": one, "default_jobs_s": default, "speedup": one / default,
            "files": len(list(SHARED_CORPUS.glob("*.pdf"))) + len(list(SHARED_PDFS.glob("*.pdf"))) + 5}


def bench_pages(out: Path) -> dict:
    """Second render of each page (data cached), via AppTest in this process."""
    os.environ["BUDGET_DATA_DIR"] = str(out / "seeds")
    os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")  # AppTest's bare-mode chatter
    from streamlit.testing.v1 import AppTest

    pages = [ROOT / "app.py", *sorted((ROOT / "views").glob("*.py"))]
    timings = {}
    for page in pages:
        at = AppTest.from_file(str(page), default_timeout=60)
        at.run()
        t0 = time.perf_counter()
        at.run()
        timings[page.name] = {"s": time.perf_counter() - t0, "exception": bool(at.exception)}
    return timings


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        results = {"machine": machine(), "repeats": REPEATS, "seeds": bench_seeds(out)}
        results["checks"] = bench_checks()
        results["pdfs"] = bench_pdfs(out)
        results["corpus"] = bench_corpus(out)
        results["pages"] = bench_pages(out)
    s, c, p = results["seeds"], results["checks"], results["pdfs"]
    print(f"machine: {results['machine']}  (median of {REPEATS})")
    print(f"seeds: {s['rounds']} rounds, each run after {s['settle_s']:g} s of quiet")
    print(
        f"seeds build (5 docs, whole process): {s['build_seeds_s']:.2f} s   "
        f"baseline (interpreter + imports): {s['baseline_imports_s']:.2f} s   ratio {s['ratio']:.2f}×   "
        f"rebuild with nothing changed: {s['rebuild_unchanged_s']:.2f} s"
    )
    print(
        f"  against the interpreter with the project imported: {s['baseline_project_s']:.2f} s, "
        f"ratio {s['ratio_project']:.2f}×; CPU {s['build_seeds_cpu_s']:.2f} s against "
        f"{s['baseline_project_cpu_s']:.2f} s: {s['work_cpu_s']:.2f} s of reading, checking and writing"
    )
    print(f"rule engine over the five seeds: {c['checks_s'] * 1000:.0f} ms ({c['check_rows']} check rows)")
    if p:
        print(
            f"shared PDFs build ({p['files']} files): {p['build_pdfs_s']:.2f} s   bare pdfplumber pass: "
            f"{p['bare_pdfplumber_s']:.2f} s   ratio {p['ratio']:.2f}×"
        )
    else:
        print("shared PDFs: ../shared/pdfs absent, skipped")
    if k := results["corpus"]:
        print(f"all shared documents ({k['files']} files): {k['one_process_s']:.2f} s in one process, "
              f"{k['default_jobs_s']:.2f} s with the default workers ({k['speedup']:.2f}×)")
    for name, t in results["pages"].items():
        print(f"page {name}: {t['s'] * 1000:.0f} ms (cached data){'  EXCEPTION' if t['exception'] else ''}")
    dest = ROOT / "bench" / "results"
    dest.mkdir(exist_ok=True)
    (dest / "latest.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
