"""The store the pages query (dashboard/store.py): every dataset and selection read through DuckDB
gives the rows the pandas path gives (``read_all`` then ``Filters.apply``), in the same order."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from dashboard.common import Filters
from dashboard.data import Selection, StoreDatasets, default_departments, read_all
from dashboard.store import Store, stamp
from loaders.build import build
from loaders.schema import DATASETS
from tests.conftest import SEEDS


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    raw, out = tmp_path_factory.mktemp("raw"), tmp_path_factory.mktemp("store")
    for path in SEEDS.values():
        shutil.copy(path, raw / path.name)
    build([raw], out, jobs=1)
    return out


@pytest.fixture(scope="module")
def store(built) -> Store:
    return Store(built)


def selections(docs: pd.DataFrame) -> list[Filters]:
    ents = sorted(set(docs["entity_id"]))
    years = sorted(set(docs["year"]))
    kinds = sorted(set(docs["doc_kind"]))
    return [
        Filters(),
        Filters(entities=(ents[0],)),
        Filters(entities=tuple(ents[:3])),
        Filters(years=(years[-1],)),
        Filters(doc_kinds=(kinds[0],)),
        Filters(entities=tuple(ents), years=(years[-1],), doc_kinds=tuple(kinds[:2])),
        Filters(entities=("no-such-department",)),
    ]


def test_every_dataset_and_selection_equals_the_pandas_path(built, store):
    old = read_all(built)
    assert not old["documents"].empty
    for f in selections(old["documents"]):
        ds = StoreDatasets(store).narrowed(f)
        for name in DATASETS:
            if name in ("documents", "lines"):
                continue
            want = f.apply(old[name]).reset_index(drop=True)
            pd.testing.assert_frame_equal(ds[name], want, obj=f"{name} {f}")
            assert f.apply(ds[name]).shape == ds[name].shape  # the pages' own f.apply changes nothing
        for name in ("budget_lines", "sangong"):
            want = f.apply(old.derived(name)).reset_index(drop=True)
            pd.testing.assert_frame_equal(ds.derived(name), want, check_dtype=not want.empty, obj=name)
        docs = f.apply(old["documents"]).reset_index(drop=True)
        pd.testing.assert_frame_equal(ds.frames["documents"].reset_index(drop=True), docs)
        pd.testing.assert_frame_equal(ds["documents"], old["documents"])  # whole, whatever the selection
        lines = old["lines"][old["lines"]["doc_id"].isin(docs["doc_id"])].reset_index(drop=True)
        pd.testing.assert_frame_equal(ds["lines"], lines, obj=f"lines {f}")


def test_reading_rules_declarations_and_derived_apart(built, store):
    raw = {name: store.query(f'SELECT * FROM "_raw_{name}"') for name in ("projects", "indicators", "sangong")}
    for name in ("projects", "indicators"):
        shown = store.query(f"SELECT * FROM {name}")
        assert "declaration" not in set(shown["origin"].dropna())
        assert len(shown) == (raw[name]["origin"].fillna("self_eval") != "declaration").sum()
    printed, derived = store.query("SELECT * FROM sangong"), store.query("SELECT * FROM sangong__derived")
    assert "derived" not in set(printed["origin"].dropna()) and set(derived["origin"]) <= {"derived"}
    assert len(printed) + len(derived) == len(raw["sangong"])


def test_a_documents_stored_lines(built, store):
    lines = read_all(built)["lines"]
    doc = lines["doc_id"].iloc[0]
    want = lines[lines["doc_id"] == doc][["page", "line", "text"]].reset_index(drop=True)
    pd.testing.assert_frame_equal(store.lines(doc), want, check_dtype=False)
    assert store.lines("no-such-doc").empty


def test_aggregation_pushed_down(built, store):
    """A page can ask the store for what it shows: one number per department, not the rows."""
    old = read_all(built)["budget_lines"]
    got = store.query("SELECT entity_id, count(*) AS n, sum(amount) AS total FROM budget_lines "
                      "WHERE measure = ? GROUP BY entity_id ORDER BY entity_id", ["actual"])
    part = old[old["measure"] == "actual"]
    want = part.groupby("entity_id").agg(n=("amount", "size"), total=("amount", "sum")).reset_index()
    assert list(got["entity_id"]) == list(want["entity_id"]) and list(got["n"]) == list(want["n"])
    assert got["total"].round(6).tolist() == want["total"].round(6).tolist()


def test_missing_datasets_read_as_empty(tmp_path):
    s = Store(tmp_path)
    ds = StoreDatasets(s)
    assert ds.empty and ds["projects"].empty and "project" in ds["projects"].columns
    assert ds.derived("budget_lines").empty


def test_the_stamp_changes_with_a_rebuild(built, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(built, copy)
    before = stamp(copy)
    (copy / "projects.parquet").unlink()
    assert stamp(copy) != before


def test_default_departments():
    docs = pd.DataFrame({"entity_id": ["c", "a", "b", "a"]})
    names = {"a": "乙", "b": "甲", "c": "丙"}
    assert default_departments(docs, names, 2) == (["c", "a"], 3)  # by name (code points) among equals
    assert default_departments(docs, names, 2, {"b": 4, "a": 2}) == (["b", "a"], 3)  # the most themes first
    assert Selection.of(Filters(years=(2023,))) == Selection((), (2023,), ())
