"""The rule registry and run_checks as a whole: codes, schema, a clean document."""

from __future__ import annotations

import re

import pandas as pd

from loaders.checks import RULES, rule_table, run_checks
from loaders.schema import SEVERITIES, to_table

KEYS = {"doc_id": "d1", "entity_id": "e1", "year": 2023, "doc_kind": "final_accounts"}


def test_every_rule_has_a_stable_code_family_severity_and_chinese_description():
    assert len(RULES) >= 19
    for code, r in RULES.items():
        assert re.fullmatch(r"[A-Z]+(-[A-Z]+)+", code) and r.code == code
        assert r.severity in SEVERITIES and r.family
        assert re.search(r"[\u4e00-\u9fff]", r.description) and "\n" not in r.description
    assert list(rule_table().columns) == ["rule", "family", "severity", "description"]


def clean_frames():
    bl = [
        {"table": "支出决算表", "code": None, "item": "合计", "level": 0, "breakdown": "total", "amount": 300.0},
        {"table": "支出决算表", "code": None, "item": "合计", "level": 0, "breakdown": "basic", "amount": 100.0},
        {"table": "支出决算表", "code": None, "item": "合计", "level": 0, "breakdown": "project", "amount": 200.0},
        {"table": "支出决算表", "code": "221", "item": "住房保障支出", "level": 1, "breakdown": "total", "amount": 300.0},
        {"table": "支出决算表", "code": "22101", "item": "保障性安居工程支出", "level": 2, "breakdown": "total", "amount": 300.0},
        {"table": "narrative", "code": None, "item": "合计", "level": 0, "breakdown": "total", "amount": 300.0},
    ]  # fmt: skip
    sg = [("total", 3.0), ("outbound_travel", 0.0), ("vehicle_total", 2.0), ("official_reception", 1.0),
          ("vehicle_purchase", 0.5), ("vehicle_operation", 1.5)]  # fmt: skip
    return {
        "budget_lines": pd.DataFrame([{**KEYS, **r, "measure": "actual", "source_ref": "L1"} for r in bl]),
        "sangong": pd.DataFrame(
            [{**KEYS, "item": i, "measure": "actual", "amount": a, "source_ref": "L2"} for i, a in sg]
        ),
        "projects": pd.DataFrame(
            [
                {
                    **KEYS,
                    "project": "p",
                    "budget_adjusted": 10.0,
                    "actual": 9.95,
                    "stated_execution_rate": 0.995,
                    "source_ref": "L3",
                }
            ]
        ),  # fmt: skip
    }


def test_a_clean_document_yields_only_passes_in_the_checks_schema():
    rows = run_checks(clean_frames(), {})
    assert {r["rule"] for r in rows} >= {"TBL-SUM", "TBL-CODE-ROLLUP", "TBL-BASIC-PROJECT", "SG-ITEMS",
                                         "SG-VEHICLES", "DUP-NARRATIVE", "RATE-EXEC"}  # fmt: skip
    assert {r["status"] for r in rows} == {"pass"}
    table = to_table("checks", rows)
    assert table.num_rows == len(rows)
    assert set(table.column("source_ref").to_pylist()) <= {"L1", "L2", "L3"}


def test_only_the_chosen_rules_run():
    rows = run_checks(clean_frames(), {}, codes=["SG-ITEMS"])
    assert {r["rule"] for r in rows} == {"SG-ITEMS"}


def test_no_datasets_no_rows():
    assert run_checks({}, {}) == []
