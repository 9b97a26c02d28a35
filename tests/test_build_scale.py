"""The build at scale: incremental equals clean through additions, removals and changes
(row groups kept and spliced), per-document memory limits and dying workers, and a build
killed by SIGKILL at any moment leaving readable datasets and a next build that completes."""

from __future__ import annotations

import os
import pickle
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from loaders import assemble
from loaders import splice as splice_module
from loaders.build import build
from loaders.schema import DATASETS, dataset_path
from loaders.splice import ParquetParts, splice
from loaders.store import STORE_DIR

from .conftest import ROOT, SEEDS, assert_same_datasets

KEYS = ("hanyang", "handan", "yueyang", "urumqi")


def _same(a: Path, b: Path) -> None:
    # The documents without parser_version, which a loader edited between two builds (other
    # work in the same tree) would change without anything here being wrong.
    assert_same_datasets(a, b, ignore={"documents": ("parser_version",)})


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    src = tmp_path / "raw"
    src.mkdir()
    for key in KEYS[:3]:
        shutil.copy(SEEDS[key], src / SEEDS[key].name)
    return src


def test_incremental_equals_clean_through_added_removed_and_changed(raw: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(assemble, "BATCH_DOCS", 1)  # one row group per document: kept ones are spliced
    store = tmp_path / "store"

    def step(label: str, parsed: int) -> None:
        result = build([raw], store, jobs=2)  # parsed and assembled in workers, one batch each
        assert result.parsed == parsed, label
        clean = tmp_path / f"clean-{label}"
        build([raw], clean, jobs=1)
        _same(store, clean)

    step("cold", 3)
    before = {n: dataset_path(store, n).stat().st_mtime_ns for n in DATASETS}
    result = build([raw], store, jobs=1)
    assert result.parsed == 0 and not result.written  # nothing changed: nothing read or written
    assert {n: dataset_path(store, n).stat().st_mtime_ns for n in DATASETS} == before
    shutil.copy(SEEDS["urumqi"], raw / SEEDS["urumqi"].name)  # sorts between the others
    step("added", 1)
    assert pq.ParquetFile(dataset_path(store, "lines")).metadata.num_row_groups == 4
    (raw / SEEDS["handan"].name).unlink()
    step("removed", 0)
    changed = raw / SEEDS["yueyang"].name
    changed.write_text(changed.read_text(encoding="utf-8") + "\n附注。\n", encoding="utf-8")
    step("changed", 1)
    assert len(list((store / STORE_DIR).glob("*.entry"))) == 3


@pytest.mark.parametrize("cache", ["kept", "damaged", "stale"])
def test_a_splice_reads_the_kept_footers_or_decodes_the_file(raw: Path, tmp_path: Path, monkeypatch,
                                                           cache: str) -> None:
    """The footers the last build wrote are reused; a damaged or stale record is not trusted."""
    monkeypatch.setattr(assemble, "BATCH_DOCS", 1)
    monkeypatch.setattr(assemble, "FOOTER_KEPT_FROM", 1)  # three row groups: kept all the same
    store = tmp_path / "store"
    build([raw], store, jobs=1)
    record = store / STORE_DIR / assemble.FOOTERS
    assert record.exists()
    if cache == "damaged":
        record.write_bytes(b"not a pickle")
    elif cache == "stale":  # recorded for files of another size: decoded again
        entries = pickle.loads(record.read_bytes())
        record.write_bytes(pickle.dumps({k: ((size + 1, mtime), footer) for k, ((size, mtime), footer)
                                         in entries.items()}))
    shutil.copy(SEEDS[KEYS[3]], raw / SEEDS[KEYS[3]].name)
    assert build([raw], store, jobs=1).parsed == 1
    clean = tmp_path / "clean"
    build([raw], clean, jobs=1)
    _same(store, clean)


def test_a_damaged_manifest_or_replaced_dataset_gives_a_full_assembly(raw: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    build([raw], store, jobs=1)
    (store / STORE_DIR / "manifest.json").write_text("{not json", encoding="utf-8")
    result = build([raw], store, jobs=1)
    assert result.parsed == 0 and result.written
    pq.write_table(pq.read_table(dataset_path(store, "lines")).slice(0, 10), dataset_path(store, "lines"))
    result = build([raw], store, jobs=1)
    assert result.written and pq.read_table(dataset_path(store, "lines")).num_rows > 10


@pytest.mark.parametrize("in_kernel", [True, False])
def test_splice_copies_row_groups_byte_for_byte(tmp_path: Path, monkeypatch, in_kernel: bool) -> None:
    if not in_kernel:  # a file system without copy_file_range: the copy goes through the mapping
        def refuse(*_args):
            raise OSError(18, "Invalid cross-device link")

        monkeypatch.setattr(splice_module.os, "copy_file_range", refuse, raising=False)
    table = pa.table({"doc_id": [f"d{i % 7}" for i in range(5000)], "line": list(range(5000)),
                      "text": [f"第{i}行" if i % 3 else None for i in range(5000)]})
    a, b, out = tmp_path / "a.parquet", tmp_path / "b.parquet", tmp_path / "out.parquet"
    with pq.ParquetWriter(a, table.schema) as w:
        for start in (0, 1000, 2000):
            w.write_table(table.slice(start, 1000), row_group_size=1000)
    pq.write_table(table.slice(3000), b)
    with ParquetParts(a) as pa_, ParquetParts(b) as pb:
        # Row groups 1 and 2 of a are adjacent in a and in the result: copied as one range.
        splice(out, [(pa_, 1), (pa_, 2), (pb, 0), (pa_, 0)])
    expected = pa.concat_tables([table.slice(1000, 2000), table.slice(3000), table.slice(0, 1000)])
    assert pq.read_table(out).equals(expected)
    assert pq.ParquetFile(out).metadata.num_row_groups == 4


def _hungry_for(name: str):
    from loaders import build as build_module

    real = build_module.load_document

    def load(path: Path):
        if name in path.name:
            hoard = bytearray(1024 * 1024 * 1024)  # 1 GB: past a 200 MB limit
            hoard[-1] = 1
        return real(path)

    return load


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_document_past_the_memory_limit_fails_alone(raw: Path, tmp_path: Path, monkeypatch, jobs: int) -> None:
    from loaders import build as build_module

    monkeypatch.setattr(build_module, "load_document", _hungry_for("handan"))  # workers fork: patched too
    result = build([raw], tmp_path / "out", jobs=jobs, memory_per_document=200)
    assert [(p.name, reason) for p, reason in result.failures] == [
        (SEEDS["handan"].name, "memory limit 200 MB exceeded; parsing stopped")]
    assert {d.entity_id for d in result.summaries} == {"hanyang", "yueyang"}


def test_a_document_that_kills_its_worker_fails_alone(raw: Path, tmp_path: Path, monkeypatch) -> None:
    from loaders import build as build_module

    real, parent = build_module.load_document, os.getpid()

    def load(path: Path):
        if "handan" in path.name and os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)  # as the kernel's OOM killer would
        return real(path)

    monkeypatch.setattr(build_module, "load_document", load)
    result = build([raw], tmp_path / "out", jobs=2)
    assert [p.name for p, _ in result.failures] == [SEEDS["handan"].name]
    assert "worker parsing it died" in result.failures[0][1]
    assert {d.entity_id for d in result.summaries} == {"hanyang", "yueyang"}


def _cli_build(src: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "loaders", "build", str(src), "--out", str(out), "-q", "--jobs", "1"],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _wait_for(proc: subprocess.Popen, ready, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None and not ready():
        time.sleep(0.005)


def test_a_build_killed_at_any_moment_leaves_readable_datasets(tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    shutil.copy(SEEDS["yueyang"], raw / "a.txt")
    shutil.copy(SEEDS["handan"], raw / "b.txt")
    build([raw], out, jobs=1)
    # The next build: one file removed, one added that is another file of a's disclosure.
    (raw / "b.txt").unlink()
    (raw / "c.txt").write_text(SEEDS["yueyang"].read_text(encoding="utf-8") + "\n附注。\n", encoding="utf-8")
    moments = {
        "once parsed": lambda: len(list((out / STORE_DIR).glob("*.entry"))) > 2,
        "while writing": lambda: any(out.glob(".*.tmp")),
        "while replacing": lambda: not (out / STORE_DIR / "manifest.json").exists(),
    }
    for moment, ready in moments.items():  # noqa: B007  (named for a failing run's traceback)
        proc = _cli_build(raw, out)
        _wait_for(proc, ready)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        for name in DATASETS:  # every dataset readable: the previous one or the new one, whole
            pq.read_table(dataset_path(out, name))
    assert _cli_build(raw, out).wait() == 0
    assert _cli_build(raw, tmp_path / "clean").wait() == 0  # both by the same loaders, in subprocesses
    _same(out, tmp_path / "clean")
    assert not list(out.glob(".*.tmp"))  # a completed build leaves no temp file behind


def test_dask_local_cluster_gives_the_local_datasets(raw: Path, tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    local = tmp_path / "local"
    build([raw], local, jobs=1)
    seen: list[Path] = []
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        result = build([raw], tmp_path / "dask", scheduler=client, on_progress=lambda p, _f: seen.append(p))
    assert result.parsed == 3 and not result.failures
    assert seen == sorted(raw.iterdir())  # progress per document, in the documents' order
    _same(local, tmp_path / "dask")


def test_an_unreachable_scheduler_is_a_usage_error(raw: Path, tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "loaders", "build", str(raw), "--out", str(tmp_path / "o"),
                           "--scheduler", "tcp://127.0.0.1:9"], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "LOADERS_DASK_TIMEOUT": "1s"})
    assert proc.returncode == 2 and "cannot reach the Dask scheduler" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_default_workers_for_more_than_a_little_text_and_not_off_the_main_thread(tmp_path: Path) -> None:
    import threading

    from loaders import parallel

    small, large = tmp_path / "small.txt", tmp_path / "large.txt"
    small.write_bytes(b"x" * (parallel.IN_PROCESS_BYTES // 2))
    large.write_bytes(b"x" * (parallel.IN_PROCESS_BYTES + 1))
    assert parallel.resolve_jobs([small, small], None) == 1  # starting workers would cost more
    assert parallel.resolve_jobs([large, small], None) == parallel.default_jobs()
    assert parallel.resolve_jobs([large], None) == 1  # one document: nothing to share out
    assert parallel.resolve_jobs([small, small], 2) == 2  # an explicit --jobs is honoured
    seen = []  # from a server's script thread: no fork for so little
    thread = threading.Thread(target=lambda: seen.append(parallel.resolve_jobs([large, small], None)))
    thread.start()
    thread.join()
    assert seen == [1]


def test_the_collector_is_paused_while_a_text_document_is_parsed_and_only_then() -> None:
    import gc
    import threading

    from loaders.parallel import document_limits

    def enabled_inside(path: Path | None) -> bool:
        with document_limits(None, None, path):
            return gc.isenabled()

    assert gc.isenabled()
    assert not enabled_inside(Path("a.txt")) and not enabled_inside(Path("b.MD"))
    assert gc.isenabled()  # back on after the document
    assert enabled_inside(Path("a.pdf")) and enabled_inside(Path("a.docx")) and enabled_inside(None)
    with pytest.raises(ValueError), document_limits(None, None, Path("a.txt")):
        raise ValueError("a parse that fails")
    assert gc.isenabled()  # back on after a failed document too
    gc.disable()
    try:  # a caller's own choice is kept
        enabled_inside(Path("a.txt"))
        assert not gc.isenabled()
    finally:
        gc.enable()
    seen = []  # a server's script thread: the collector is the whole process's, left alone
    thread = threading.Thread(target=lambda: seen.append(enabled_inside(Path("a.txt"))))
    thread.start()
    thread.join()
    assert seen == [True]


@given(st.lists(st.integers(min_value=0, max_value=10**7), max_size=80), st.integers(min_value=1, max_value=40))
def test_the_dispatch_order_is_largest_first_within_each_block(sizes: list[int], block: int) -> None:
    from loaders.parallel import dispatch_order

    order = dispatch_order(sizes, block)
    assert sorted(order) == list(range(len(sizes)))  # every document once
    for start in range(0, len(sizes), block):
        chunk = order[start:start + block]
        assert set(chunk) == set(range(start, min(start + block, len(sizes))))  # a block stays a block
        assert [-sizes[i] for i in chunk] == sorted(-sizes[i] for i in chunk)  # largest first
        assert all(a < b for a, b in zip(chunk, chunk[1:], strict=False) if sizes[a] == sizes[b])  # ties in order


def test_workers_take_the_largest_first_and_results_come_in_the_given_order(tmp_path: Path, monkeypatch) -> None:
    from concurrent.futures import ProcessPoolExecutor

    from loaders import parallel

    handed: list[str] = []

    class Recording(ProcessPoolExecutor):
        def submit(self, fn, path, *args, **kwargs):
            handed.append(path.name)
            return super().submit(fn, path, *args, **kwargs)

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", Recording)
    paths = []
    for i, size in enumerate([10, 3000, 20, 2000, 5]):
        paths.append(tmp_path / f"{i}.txt")
        paths[-1].write_bytes(b"x" * size)
    assert list(parallel.parse_all(paths, _name_of, jobs=2)) == [p.name for p in paths]
    assert handed == ["1.txt", "3.txt", "2.txt", "0.txt", "4.txt"]


def _name_of(path: Path) -> str:
    return path.name


def test_a_killed_builds_temp_files_are_removed_and_no_other_file(tmp_path: Path) -> None:
    ours = [tmp_path / ".lines.fresh.ab12.tmp", tmp_path / ".checks.new.x_9.tmp"]
    others = [tmp_path / ".notes.fresh.a.tmp", tmp_path / "lines.parquet", tmp_path / ".lines.fresh.ab12.txt"]
    for path in [*ours, *others]:
        path.write_bytes(b"x")
    assemble.remove_leftovers(tmp_path)
    assert [p.exists() for p in ours] == [False, False]
    assert all(p.exists() for p in others)
