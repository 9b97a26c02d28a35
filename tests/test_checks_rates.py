"""Stated rates recomputed, within the printed precision."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from loaders.checks import run_checks
from loaders.checks.core import rate_tol
from loaders.extraction import Extraction
from loaders.readers.source import Source, lines_from_text

KEYS = {"doc_id": "d1", "entity_id": "e1", "year": 2023, "doc_kind": "performance_self_eval"}


def project(stated, actual, budget, ref="L2"):
    return {**KEYS, "project": "p", "table": "t", "budget_adjusted": budget, "actual": actual,
            "stated_execution_rate": stated, "source_ref": ref}  # fmt: skip


def doc(text):
    source = Source(Path("x.txt"), "txt", "0" * 64, lines_from_text(text))
    return SimpleNamespace(keys=KEYS, source=source, extraction=Extraction(), doc_id="d1")


def run(rule, projects, docs=None):
    rows = run_checks({"projects": pd.DataFrame(projects)}, docs or {})
    return [r for r in rows if r["rule"] == rule]


def test_rate_tolerance_is_half_the_last_printed_digit():
    assert rate_tol(1.0) == pytest.approx(0.005)
    assert rate_tol(0.9941) == pytest.approx(0.00005)
    assert rate_tol(0.994, "执行率\t99.40%") == pytest.approx(0.00005)
    assert rate_tol(0.994) == pytest.approx(0.0005)


def test_execution_rate_pass_fail_rounding():
    assert [r["status"] for r in run("RATE-EXEC", [project(1.0, 8.0, 8.0)])] == ["pass"]
    (row,) = run("RATE-EXEC", [project(0.95, 80.0, 100.0, ref="L7")])
    assert row["status"] == "fail" and row["expected"] == 0.8 and row["source_ref"] == "L7"
    # 99.41% printed; 994.1 / 1000 = 0.9941 ... and 99% printed for 0.9912 is within half a percent
    assert [r["status"] for r in run("RATE-EXEC", [project(0.99, 991.2, 1000.0)])] == ["pass"]
    assert [r["status"] for r in run("RATE-EXEC", [project(0.9941, 994.14, 1000.0)])] == ["pass"]


def test_execution_rate_printed_precision_from_the_line():
    docs = {"d1": doc("标题\n执行率\t99.40%")}
    assert [r["status"] for r in run("RATE-EXEC", [project(0.994, 994.02, 1000.0)], docs)] == ["pass"]
    # 99.40% is printed to two decimals: 99.43% is outside it (99.4% would have allowed it)
    assert [r["status"] for r in run("RATE-EXEC", [project(0.994, 994.3, 1000.0)], docs)] == ["fail"]
    assert [r["status"] for r in run("RATE-EXEC", [project(0.994, 994.3, 1000.0)])] == ["pass"]


def test_not_printed_is_not_checked():
    assert run("RATE-EXEC", [project(None, 8.0, 8.0), project(1.0, None, 8.0)]) == []


def test_stated_rates_from_the_narrative(monkeypatch):
    items = [
        {
            "rate": 0.064,
            "numerator": 1386.81,
            "denominator": 20102.04,
            "source_ref": "L1",
            "label": "收支总计增长",
            "kind": "share",
        },
        {"rate": 0.069, "numerator": 1386.81, "denominator": 20102.04, "source_ref": "L1", "kind": "share"},
        {
            "stated": 0.069,
            "numerator": 1386.81,
            "denominator": 21488.85,
            "source_ref": "L1",
            "kind": "growth",
        },
        {"stated": -0.2, "numerator": 80.0, "denominator": 100.0, "source_ref": "L1", "kind": "difference"},
        {"stated": 0.5, "numerator": 1.0, "denominator": None, "source_ref": "L1", "kind": "share"},
        {"stated": 0.5, "numerator": 1.0, "denominator": 2.0, "source_ref": "L1", "kind": "other"},
    ]
    fake = SimpleNamespace(stated_rates=lambda source, meta=None: items)
    monkeypatch.setitem(sys.modules, "loaders.families.narrative", fake)
    rows = [r for r in run_checks({}, {"d1": doc("增长6.4%")}) if r["rule"] == "RATE-STATED"]
    assert [r["status"] for r in rows] == ["fail", "pass", "pass", "pass"], rows
    assert rows[0]["subject"] == "占比 收支总计增长" and rows[0]["doc_id"] == "d1"


def test_a_rate_cut_instead_of_rounded_is_a_warning():
    # 汉阳: 21,488.85 / 4,726.73 = 454.62 %, printed "454%"
    docs = {"d1": doc("标题\n完成年初预算的 454%")}
    (row,) = run("RATE-EXEC", [project(4.54, 21488.85, 4726.73)], docs)
    assert row["status"] == "warn" and "截断" in row["message"]
    docs = {"d1": doc("标题\n完成年初预算的 453%")}
    (row,) = run("RATE-EXEC", [project(4.53, 21488.85, 4726.73)], docs)
    assert row["status"] == "fail"
