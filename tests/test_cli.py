"""The command line of the data contract: exit codes, one-line errors, atomic writes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from loaders.schema import DATASETS, dataset_path

from .conftest import ROOT, SEEDS


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "loaders", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def bad_inputs(tmp_path: Path) -> Path:
    """A folder with one good seed and one of each kind of bad file."""
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SEEDS["hanyang"], src / "good.txt")
    (src / "empty.txt").write_bytes(b"")
    (src / "binary.txt").write_bytes(bytes(range(256)) * 40)
    seed = SEEDS["yueyang"].read_text(encoding="utf-8")
    (src / "gbk.txt").write_bytes(seed.encode("gbk"))
    data = SEEDS["handan"].read_bytes()
    cut = next(i for i in range(len(data) // 3, len(data)) if 0x80 <= data[i] < 0xC0)  # mid-character
    (src / "truncated.txt").write_bytes(data[:cut])
    (src / "recipe.txt").write_text("红烧肉做法\n五花肉 500 克，冰糖 30 克。\n" * 20, encoding="utf-8")
    (src / "one_line.txt").write_text("预算" * 200_000, encoding="utf-8")
    return src


def assert_every_dataset_written(out: Path) -> None:
    for name in DATASETS:
        assert dataset_path(out, name).exists(), name


def test_bad_inputs_one_line_each_good_ones_written(bad_inputs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = run_cli("build", str(bad_inputs), "--out", str(out))
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    error_lines = [ln for ln in proc.stderr.splitlines() if ln.startswith("error")]
    named = {Path(ln.split(": ", 2)[1]).name for ln in error_lines}
    assert {"empty.txt", "binary.txt", "recipe.txt", "one_line.txt", "truncated.txt"} <= named, proc.stderr
    assert "good.txt" not in named and "gbk.txt" not in named
    for ln in error_lines:
        assert len(ln.split(": ", 2)) == 3 and ln.split(": ", 2)[2].strip(), ln
    docs = pq.read_table(dataset_path(out, "documents")).to_pandas()
    assert set(docs["entity_id"]) >= {"hanyang", "yueyang"}  # the GBK copy loads
    assert_every_dataset_written(out)


def test_all_datasets_written_with_schema_even_when_empty(tmp_path: Path) -> None:
    out = tmp_path / "out"
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SEEDS["miluo"], src / "m.txt")
    proc = run_cli("build", str(src), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert_every_dataset_written(out)


def test_failed_build_keeps_existing_datasets(tmp_path: Path) -> None:
    out = tmp_path / "out"
    good = tmp_path / "good"
    good.mkdir()
    shutil.copy(SEEDS["hanyang"], good / "h.txt")
    assert run_cli("build", str(good), "--out", str(out)).returncode == 0
    before = {n: dataset_path(out, n).read_bytes() for n in DATASETS}
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    proc = run_cli("build", str(bad), "--out", str(out))
    assert proc.returncode == 1
    assert "left as they were" in proc.stderr
    assert {n: dataset_path(out, n).read_bytes() for n in DATASETS} == before


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run_cli("build", str(tmp_path / "nope")).returncode == 2
    empty_dir = tmp_path / "empty"
    empty_dir.mkdir()
    assert run_cli("build", str(empty_dir)).returncode == 2
    assert run_cli("frobnicate").returncode == 2


def test_summary_names_every_dataset(tmp_path: Path) -> None:
    proc = run_cli("build", str(SEEDS["handan"]), "--out", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    for name in DATASETS:
        assert name in proc.stdout
    assert "failed checks" in proc.stdout


def test_deterministic(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    for out in (a, b):
        assert run_cli("build", "data/raw", "--out", str(out), "-q").returncode == 0
    for name in DATASETS:
        ta = pq.read_table(dataset_path(a, name))
        tb = pq.read_table(dataset_path(b, name))
        assert ta.equals(tb), name


def test_jobs_give_the_same_datasets_as_one_process(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    assert run_cli("build", str(ROOT / "data" / "raw"), "--out", str(one), "-q", "--jobs", "1").returncode == 0
    assert run_cli("build", str(ROOT / "data" / "raw"), "--out", str(two), "-q", "--jobs", "2").returncode == 0
    for name in DATASETS:  # rows, their order and every value: the workers change nothing
        assert pq.read_table(dataset_path(one, name)).equals(pq.read_table(dataset_path(two, name))), name


def test_check_from_the_stored_datasets_equals_the_builds_checks(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_cli("build", str(ROOT / "data" / "raw"), "--out", str(out), "-q").returncode == 0
    built = pq.read_table(dataset_path(out, "checks"))
    dataset_path(out, "checks").unlink()
    proc = run_cli("check", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert pq.read_table(dataset_path(out, "checks")).equals(built)
    assert "failed" in proc.stdout


def test_check_without_datasets_is_a_usage_error(tmp_path: Path) -> None:
    proc = run_cli("check", "--out", str(tmp_path))
    assert proc.returncode == 2 and "no datasets here" in proc.stderr and "Traceback" not in proc.stderr


def _allocator(env: dict[str, str]) -> str:
    probe = "import loaders.__main__, pyarrow; print(pyarrow.default_memory_pool().backend_name)"
    return subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True,
                          timeout=60, env=env, check=True).stdout.strip()


def test_the_command_line_takes_the_c_librarys_allocator_unless_one_is_named() -> None:
    env = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    assert _allocator(env) == "system"  # nothing it imports first loads pyarrow
    assert _allocator({**env, "ARROW_DEFAULT_MEMORY_POOL": "jemalloc"}) == "jemalloc"


def test_exit_statuses_and_output_survive_the_exit_without_teardown(tmp_path: Path) -> None:
    done = run_cli("build", str(SEEDS["yueyang"]), "--out", str(tmp_path / "out"))
    assert done.returncode == 0
    assert "failed documents: 0" in done.stdout  # flushed before the process ended
    assert run_cli("build", str(tmp_path / "absent"), "--out", str(tmp_path / "out")).returncode == 2
