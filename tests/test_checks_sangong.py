"""三公经费: total = items; vehicles = purchase + operation; never a missing item as zero."""

from __future__ import annotations

import pandas as pd

from loaders.checks import run_checks

KEYS = {"doc_id": "d1", "entity_id": "e1", "year": 2023, "doc_kind": "final_accounts"}


def sg(item, amount, measure="actual", ref="L5"):
    return {**KEYS, "item": item, "measure": measure, "amount": amount, "source_ref": ref, "origin": "table"}


def run(rule, rows):
    return [r for r in run_checks({"sangong": pd.DataFrame(rows)}, {}) if r["rule"] == rule]


def test_items_sum_pass_fail_rounding():
    rows = [
        sg("total", 10.0),
        sg("outbound_travel", 2.0),
        sg("vehicle_total", 5.0),
        sg("official_reception", 3.0),
    ]
    assert [r["status"] for r in run("SG-ITEMS", rows)] == ["pass"]
    rows[0] = sg("total", 12.0, ref="L9")
    (row,) = run("SG-ITEMS", rows)
    assert row["status"] == "fail" and row["expected"] == 10.0 and row["difference"] == 2.0
    assert row["source_ref"] == "L9" and row["severity"] == "high"
    rows[0] = sg("total", 10.01)
    assert [r["status"] for r in run("SG-ITEMS", rows)] == ["pass"]


def test_items_use_purchase_and_operation_without_vehicle_total():
    rows = [sg("total", 10.0), sg("vehicle_purchase", 4.0), sg("vehicle_operation", 6.0)]
    (row,) = run("SG-ITEMS", rows)
    assert row["status"] == "pass"


def test_missing_item_is_not_zero():
    rows = [sg("total", 10.0), sg("official_reception", 3.0)]  # travel and vehicles not printed
    (row,) = run("SG-ITEMS", rows)
    assert row["status"] == "warn" and "未列示" in row["message"]


def test_vehicles():
    rows = [sg("vehicle_total", 5.0), sg("vehicle_purchase", 0.0), sg("vehicle_operation", 5.0)]
    assert [r["status"] for r in run("SG-VEHICLES", rows)] == ["pass"]
    rows[2] = sg("vehicle_operation", 4.0)
    assert [r["status"] for r in run("SG-VEHICLES", rows)] == ["fail"]
    rows[2] = sg("vehicle_operation", 4.995)
    assert [r["status"] for r in run("SG-VEHICLES", rows)] == ["pass"]


def test_measures_are_kept_apart():
    rows = [
        sg("total", 10.0, "actual"),
        sg("official_reception", 10.0, "actual"),
        sg("official_reception", 3.0, "budget_adjusted"),
    ]
    (row,) = run("SG-ITEMS", rows)
    assert row["status"] == "pass"


def test_a_wrong_vehicle_subtotal_is_one_finding_not_two():
    # 汨罗's shape: 公务用车 printed 0 beside 运行 3.00; the total adds up with the parts
    rows = [sg("total", 21.8), sg("vehicle_total", 0.0), sg("vehicle_purchase", 0.0), sg("vehicle_operation", 3.0),
            sg("outbound_travel", 0.0), sg("official_reception", 18.8)]  # fmt: skip
    assert [r["status"] for r in run("SG-ITEMS", rows)] == ["pass"]
    assert [r["status"] for r in run("SG-VEHICLES", rows)] == ["fail"]
