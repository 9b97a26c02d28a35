"""The output folder is a store: unchanged documents are not parsed again, and the result
always equals a clean build of the documents given."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from loaders.build import build
from loaders.schema import dataset_path
from loaders.store import STORE_DIR, parser_version

from .conftest import SEEDS, assert_same_datasets


def _same(a: Path, b: Path) -> None:
    assert_same_datasets(a, b)


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    src = tmp_path / "raw"
    src.mkdir()
    for key in ("hanyang", "handan", "yueyang"):
        shutil.copy(SEEDS[key], src / SEEDS[key].name)
    return src


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_rebuild_parses_nothing_and_equals_a_clean_build(raw: Path, tmp_path: Path, jobs: int) -> None:
    store, clean = tmp_path / "store", tmp_path / "clean"
    assert build([raw], store, jobs=jobs).parsed == 3
    again = build([raw], store, jobs=jobs)
    assert again.parsed == 0 and len(again.summaries) == 3 and not again.written
    build([raw], clean, jobs=1)
    _same(store, clean)


def test_a_changed_document_alone_is_parsed_and_a_removed_one_is_dropped(raw: Path, tmp_path: Path) -> None:
    store, clean = tmp_path / "store", tmp_path / "clean"
    build([raw], store, jobs=1)
    changed = raw / SEEDS["handan"].name
    changed.write_text(changed.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    (raw / SEEDS["yueyang"].name).unlink()
    result = build([raw], store, jobs=1)
    assert result.parsed == 1 and {d.entity_id for d in result.summaries} == {"hanyang", "handan"}
    assert len(list((store / STORE_DIR).glob("*.entry"))) == 2  # the removed document's entry is gone
    build([raw], clean, jobs=1)
    _same(store, clean)


def test_a_damaged_entry_is_parsed_again(raw: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    build([raw], store, jobs=1)
    for entry in (store / STORE_DIR).glob("*.entry"):
        entry.write_bytes(b"not an entry")
    assert build([raw], store, jobs=1).parsed == 0  # the datasets are as written: nothing to read
    dataset_path(store, "lines").unlink()  # now the entries are needed, and are parsed again
    result = build([raw], store, jobs=1)
    assert result.parsed == 3 and not result.failures and result.written


def test_a_moved_document_keeps_its_entry_and_names_its_new_path(raw: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    build([raw], store, jobs=1)
    moved = raw / "renamed.txt"
    (raw / SEEDS["hanyang"].name).rename(moved)
    result = build([raw], store, jobs=1)
    assert result.parsed == 0
    assert str(moved) in set(pq.read_table(dataset_path(store, "documents")).column("source_file").to_pylist())


def test_the_parser_version_is_a_hash_of_the_loaders() -> None:
    import hashlib

    from loaders.store import LOADERS

    version = parser_version()
    assert len(version) == 12 and int(version, 16) >= 0  # any change to a loader file changes it
    digest = hashlib.sha256()  # as its definition says: every code and data file, kind by kind
    for pattern in ("*.py", "*.toml", "*.tsv"):
        for path in sorted(p for p in LOADERS.rglob(pattern) if "__pycache__" not in p.parts):
            digest.update(str(path.relative_to(LOADERS)).encode() + path.read_bytes())
    assert version == digest.hexdigest()[:12]


def test_a_runaway_document_fails_alone_with_its_line(raw: Path, tmp_path: Path, monkeypatch) -> None:
    import time

    from loaders import build as build_module

    real = build_module.load_document  # parsed in-process (jobs=1), so the patch applies

    def slow_for_handan(path: Path):
        if "handan" in path.name:
            time.sleep(12)
        return real(path)

    monkeypatch.setattr(build_module, "load_document", slow_for_handan)
    result = build([raw], tmp_path / "out", jobs=1, seconds_per_document=6)
    assert [(p.name, reason) for p, reason in result.failures] == [
        (SEEDS["handan"].name, "parsing took longer than 6 s and was stopped")]
    assert {d.entity_id for d in result.summaries} == {"hanyang", "yueyang"}


def test_an_entry_reads_back_as_written_and_a_cut_one_is_refused() -> None:
    from loaders.entry import entry_bytes, entry_from_bytes, make_entry
    from loaders.loaded import load_document

    entry = make_entry(load_document(SEEDS["yueyang"]))
    data = entry_bytes(entry)
    back = entry_from_bytes(data)
    assert back.summary == entry.summary and back.parser == entry.parser
    assert back.linkable == entry.linkable and back.raw_size == entry.raw_size
    assert list(back.tables) == list(entry.tables)
    for name, table in entry.tables.items():
        assert back.tables[name].equals(table) and back.tables[name].schema.equals(table.schema), name
    assert back.document(SEEDS["yueyang"]).doc_id == entry.summary.doc_id
    for cut in (data[: len(data) // 2], data[:-1], b"BDE1" + data[4:]):
        with pytest.raises(Exception):  # noqa: B017,PT011  (ValueError or Arrow's own: Store.get parses again)
            entry_from_bytes(cut)


def test_documents_are_found_in_folders_and_hidden_folders_not_through_linked_folders(tmp_path: Path) -> None:
    """The search reads directory entries (a stat for a linked file only): it finds what a recursive glob of
    supported, non-hidden files finds, linked files included, broken links and linked folders not;
    found sources are not searched again."""
    from loaders.build import find_sources

    top, elsewhere = tmp_path / "docs", tmp_path / "elsewhere"
    (top / ".hidden").mkdir(parents=True)
    elsewhere.mkdir()
    for path in (top / "一.txt", top / ".hidden" / "二.TXT", top / ".三.txt", top / "note.csv", elsewhere / "四.pdf"):
        path.write_text("x", encoding="utf-8")
    (top / "linked-folder").symlink_to(elsewhere)
    (top / "linked.pdf").symlink_to(elsewhere / "四.pdf")
    (top / "broken.txt").symlink_to(tmp_path / "nowhere.txt")
    found = find_sources([top, elsewhere / "四.pdf"])
    assert found == sorted([top / ".hidden" / "二.TXT", top / "linked.pdf", top / "一.txt", elsewhere / "四.pdf"])
    assert find_sources(found) is found
