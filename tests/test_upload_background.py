"""An upload is ingested in the background: the page returns before the ingest finishes (the test
holds the ingest lock, so the worker waits: no timing involved); once it finishes the pages show
the document without a restart; removing it drops its rows."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import documents as dm
from dashboard import ingest
from dashboard.store import Store
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
    yield raw, out
    ingest.wait(out)  # no worker left writing into a deleted folder


def entities(out: Path) -> set[str]:
    return set(Store(out).documents()["entity_id"])


def dept_options(at: AppTest) -> set[str]:
    return set(at.multiselect(key="dept").options)


def test_upload_returns_before_the_ingest_and_the_pages_see_it(collection):
    raw, out = collection
    overview = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    before = dept_options(overview)
    at = AppTest.from_file(str(ROOT / "views" / "documents.py"), default_timeout=120).run()
    at.file_uploader(key="doc_upload").set_value(("urumqi.txt", SEEDS["urumqi"].read_bytes(), "text/plain")).run()
    with ingest.one_at_a_time(out):  # the worker cannot start its build while we hold this
        at.button(key="doc_save").click().run()
        assert not at.exception
        (job,) = ingest.jobs(out)
        assert job.active and job.action == "add" and job.name == "urumqi.txt"  # returned, not done
        assert (raw / "urumqi.txt").exists() and "urumqi" not in entities(out)
        assert any("urumqi.txt" in m.value and "后台" in m.value for m in [*at.success, *at.info])
        statuses = {d.name: d.status for d in dm.list_documents(raw, out)}
        assert statuses["urumqi.txt"] == "ingesting"
    (job,) = ingest.wait(out)
    assert job.state == "done", job.message
    assert "urumqi" in entities(out)
    at.run()
    assert not at.exception and any("urumqi.txt" in m.value for m in at.success)
    assert {d.name: d.status for d in dm.list_documents(raw, out)}["urumqi.txt"] == "loaded"
    overview.run()  # the same server process: its cached store was keyed by the files' times
    assert not overview.exception
    assert dept_options(overview) - before  # the new department, without a restart


def test_removal_in_the_background_drops_its_rows(collection):
    raw, out = collection
    shutil.copy(SEEDS["yueyang"], raw / "yueyang.txt")
    dm.rebuild(raw, out)
    assert "yueyang" in entities(out) and not Store(out).rows("projects", entities=["yueyang"]).empty
    at = AppTest.from_file(str(ROOT / "views" / "documents.py"), default_timeout=120).run()
    at.selectbox(key="doc_remove_pick").set_value("yueyang.txt").run()
    with ingest.one_at_a_time(out):
        at.button(key="doc_remove").click().run()
        assert not at.exception
        assert not (raw / "yueyang.txt").exists() and "yueyang" in entities(out)  # rows still there
        assert any("yueyang.txt" in m.value for m in at.info)
    (job,) = ingest.wait(out)
    assert job.state == "done", job.message
    store = Store(out)
    assert "yueyang" not in set(store.documents()["entity_id"])
    for name in ("projects", "indicators", "budget_lines", "lines"):
        assert store.scalar(f"SELECT count(*) FROM {name} WHERE doc_id NOT IN (SELECT doc_id FROM documents)") == 0
    assert store.rows("projects", entities=["yueyang"]).empty
    assert not list(raw.glob(f"{ingest.PARKED}*"))


def test_a_failed_ingest_takes_the_file_out(collection, monkeypatch):
    raw, out = collection
    (raw / "junk.txt").write_text("今天天气很好。", encoding="utf-8")
    job = ingest.start(raw, out, "add", "junk.txt")
    (job,) = [j for j in ingest.wait(out) if j.id == job.id]
    assert job.state == "failed" and "not a budget" in job.message
    assert not (raw / "junk.txt").exists()
    assert "不是预算" in dm.reason_text(job.message, "zh") and dm.reason_text(job.message, "en") == job.message
