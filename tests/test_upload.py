"""Documents page: upload preview in a child process, save + rebuild, remove; rejected files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dashboard import documents as dm
from dashboard import ingest
from loaders.errors import DocumentError
from loaders.schema import DATASETS, dataset_path
from tests.conftest import SEEDS

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def collection(tmp_path, monkeypatch):
    raw, out = tmp_path / "raw", tmp_path / "processed"
    raw.mkdir()
    shutil.copy(SEEDS["handan"], raw / SEEDS["handan"].name)
    dm.rebuild(raw, out)
    monkeypatch.setenv("BUDGET_RAW_DIR", str(raw))
    monkeypatch.setenv("BUDGET_DATA_DIR", str(out))
    return raw, out


def snapshot(raw: Path, out: Path) -> dict:
    files = {p.name: p.read_bytes() for p in raw.iterdir()}
    return {"raw": files, "datasets": {n: dataset_path(out, n).read_bytes() for n in DATASETS}}


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd.PDF", "passwd.pdf"),
        ("C:\\Users\\x\\预算 2024.docx", "预算_2024.docx"),
        ("a\x00b\x1fc.txt", "abc.txt"),
        ("...", "document"),
        ("报告|*?.md", "报告.md"),
    ],
)
def test_safe_name(name, safe):
    assert dm.safe_name(name) == safe


def test_unique_path(tmp_path):
    (tmp_path / "a.txt").write_text("x")
    assert dm.unique_path(tmp_path, "a.txt").name == "a-2.txt"


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("virus.exe", b"MZ", "unsupported file type"),
        ("empty.txt", b"", "empty file"),
        ("notes.txt", "今天天气很好。".encode(), "not a budget"),
        ("fake.pdf", b"not a pdf at all", "not a PDF"),
    ],
)
def test_rejected_upload_changes_nothing(collection, name, data, reason):
    raw, out = collection
    before = snapshot(raw, out)
    preview = dm.inspect_upload(data, name, raw)
    assert not preview.ok and reason in preview.reason
    assert snapshot(raw, out) == before


def test_duplicate_upload_is_refused(collection):
    raw, _ = collection
    preview = dm.inspect_upload(SEEDS["handan"].read_bytes(), "copy.txt", raw)
    assert not preview.ok and "same content" in preview.reason


def test_timeout_stops_the_child(collection):
    raw, _ = collection
    preview = dm.inspect_upload(SEEDS["urumqi"].read_bytes(), "u.txt", raw, timeout=0.01)
    assert not preview.ok and "longer than" in preview.reason


def test_preview_save_list_remove(collection):
    raw, out = collection
    data = SEEDS["urumqi"].read_bytes()
    preview = dm.inspect_upload(data, "乌鲁木齐 决算.txt", raw)
    assert preview.ok and preview.entity_id == "urumqi" and preview.doc_kind == "final_accounts"
    assert sum(preview.rows.values()) > 0
    assert {p.name for p in raw.iterdir()} == {SEEDS["handan"].name}  # preview saved nothing
    target, result = dm.save_upload(data, "乌鲁木齐 决算.txt", raw, out)
    assert target.name == "乌鲁木齐_决算.txt" and not result.failures
    status = {d.name: d for d in dm.list_documents(raw, out)}
    assert status[target.name].status == "loaded" and status[target.name].entity_name
    dm.remove_document(target.name, raw, out)
    assert [d.name for d in dm.list_documents(raw, out)] == [SEEDS["handan"].name]
    with pytest.raises(DocumentError):
        dm.remove_document("../x.txt", raw, out)


def test_failed_document_listed_with_reason(collection):
    raw, out = collection
    (raw / "junk.txt").write_text("今天天气很好。", encoding="utf-8")
    dm.rebuild(raw, out)
    status = {d.name: d for d in dm.list_documents(raw, out)}
    assert status["junk.txt"].status == "failed" and "not a budget" in status["junk.txt"].reason
    assert status[SEEDS["handan"].name].status == "loaded"


def test_removing_the_last_document_empties_the_datasets(collection):
    raw, out = collection
    dm.remove_document(SEEDS["handan"].name, raw, out)
    assert dm.list_documents(raw, out) == []


# ---- the page, driven by AppTest ------------------------------------------------------


def _app():
    from streamlit.testing.v1 import AppTest

    return AppTest.from_file(str(ROOT / "views" / "documents.py"), default_timeout=120)


def test_page_rejects_a_bad_file(collection):
    raw, out = collection
    before = snapshot(raw, out)
    at = _app().run()
    assert not at.exception
    at.file_uploader(key="doc_upload").set_value(("notes.txt", "今天天气很好。".encode(), "text/plain")).run()
    assert not at.exception
    assert any("not a budget" in e.value for e in at.error)
    assert not [b for b in at.button if b.key == "doc_save"]
    assert snapshot(raw, out) == before


def test_page_upload_confirm_and_remove(collection):
    raw, out = collection
    at = _app().run()
    at.file_uploader(key="doc_upload").set_value(("urumqi.txt", SEEDS["urumqi"].read_bytes(), "text/plain")).run()
    assert not at.exception and not at.error
    assert {p.name for p in raw.iterdir()} == {SEEDS["handan"].name}  # not saved before confirmation
    at.button(key="doc_save").click().run()
    assert not at.exception and any("urumqi.txt" in s.value for s in at.success)
    assert (raw / "urumqi.txt").exists()
    ingest.wait(out)  # the ingest runs in the background (tests/test_upload_background.py)
    at.run()
    at.selectbox(key="doc_remove_pick").set_value("urumqi.txt").run()
    at.button(key="doc_remove").click().run()
    assert not at.exception
    assert not (raw / "urumqi.txt").exists()
    assert all(j.state == "done" for j in ingest.wait(out))
