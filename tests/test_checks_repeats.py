"""The same figure printed twice must agree; tables vs prose; document-level rules."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pandas as pd

from loaders.checks import run_checks
from loaders.extraction import Extraction
from loaders.readers.source import Source, lines_from_text

KEYS = {"doc_id": "d1", "entity_id": "e1", "year": 2023, "doc_kind": "final_accounts"}


def doc(text="", ex=None):
    source = Source(Path("x.txt"), "txt", "0" * 64, lines_from_text(text))
    return SimpleNamespace(keys=KEYS, source=source, extraction=ex or Extraction(), doc_id="d1")


def repeated(first, second):
    ex = Extraction()
    ex.add("sangong", "L3", item="total", measure="actual", amount=first)
    ex.add("sangong", "L40", item="total", measure="actual", amount=second)
    return ex


def run(rule, docs, **frames):
    out = run_checks({k: pd.DataFrame(v) for k, v in frames.items()}, docs)
    return [r for r in out if r["rule"] == rule]


def test_repeats_agree_pass_fail_rounding():
    assert [r["status"] for r in run("DUP-AGREE", {"d1": doc(ex=repeated(5.0, 5.0))})] == ["pass"]
    (row,) = run("DUP-AGREE", {"d1": doc(ex=repeated(5.0, 6.0))})
    assert row["status"] == "fail" and row["source_ref"] == "L40" and "L3" in row["message"]
    assert row["entity_id"] == "e1" and row["difference"] == 1.0
    assert [r["status"] for r in run("DUP-AGREE", {"d1": doc(ex=repeated(5.0, 5.01))})] == ["pass"]


def test_repeated_counts_compare_exactly():
    ex = Extraction()
    ex.add("sangong_counts", "L3", item="vehicle_total", what="vehicles", measure="actual", count=3.0)
    ex.add("sangong_counts", "L9", item="vehicle_total", what="vehicles", measure="actual", count=4.0)
    assert [r["status"] for r in run("DUP-AGREE", {"d1": doc(ex=ex)})] == ["fail"]


def bl(table, amount, ref, item="支出总计"):
    return {**KEYS, "table": table, "code": None, "item": item, "level": 0, "breakdown": "total",
            "measure": "actual", "amount": amount, "source_ref": ref}  # fmt: skip


def test_narrative_agrees_with_table():
    rows = [bl("收入支出决算总表", 21488.85, "L116"), bl("narrative", 21488.85, "L417")]
    assert [r["status"] for r in run("DUP-NARRATIVE", {}, budget_lines=rows)] == ["pass"]
    rows[1] = bl("narrative", 21488.0, "L417")
    (row,) = run("DUP-NARRATIVE", {}, budget_lines=rows)
    assert row["status"] == "fail" and row["source_ref"] == "L417" and row["expected"] == 21488.85
    rows[1] = bl("narrative", 21488.855, "L417")
    assert [r["status"] for r in run("DUP-NARRATIVE", {}, budget_lines=rows)] == ["pass"]


def test_narrative_without_a_table_twin_is_not_checked():
    rows = [bl("narrative", 5.0, "L1", item="机关运行经费")]
    assert run("DUP-NARRATIVE", {}, budget_lines=rows) == []


def test_completeness_from_inventory():
    ex = Extraction()
    ex.inventory = [
        {"table": "收入支出决算总表", "status": "present", "source_ref": "L80"},
        {"table": "国有资本经营预算财政拨款支出决算表", "status": "empty", "source_ref": "L400"},
        {"table": "政府性基金预算财政拨款收入支出决算表", "status": "missing", "source_ref": "L12"},
    ]
    rows = run("COMPLETE-TABLES", {"d1": doc(ex=ex)})
    assert [r["status"] for r in rows] == ["pass", "pass", "fail"]
    assert rows[2]["source_ref"] == "L12" and rows[2]["expected"] is None and rows[2]["year"] == 2023


def test_document_without_inventory_gives_no_rows():
    assert run("COMPLETE-TABLES", {"d1": doc()}) == []
