"""Table identities: totals, code roll-ups, column splits, carry-over (fund totals: test_checks_funds)."""

from __future__ import annotations

import pandas as pd

from loaders.checks import run_checks

KEYS = {"doc_id": "d1", "entity_id": "e1", "year": 2022, "doc_kind": "budget"}


def line(
    item,
    amount,
    *,
    code=None,
    level=None,
    breakdown="total",
    measure="budget_initial",
    table="支出总表",
    ref="L1",
):
    return {
        **KEYS, "table": table, "code": code, "item": item, "level": level, "breakdown": breakdown,
        "measure": measure, "amount": amount, "unit_as_printed": "万元", "source_ref": ref,
    }  # fmt: skip


def run(rule, rows):
    return [r for r in run_checks({"budget_lines": pd.DataFrame(rows)}, {}) if r["rule"] == rule]


def statuses(rows):
    return [r["status"] for r in rows]


def test_total_equals_rows_pass_fail_and_rounding():
    ok = [
        line("合计", 300.0, level=0),
        line("类一", 100.0, code="208", level=1),
        line("类二", 200.0, code="221", level=1),
    ]
    assert statuses(run("TBL-SUM", ok)) == ["pass"]
    bad = [{**ok[0], "amount": 306.07, "source_ref": "L9"}, *ok[1:]]
    (row,) = run("TBL-SUM", bad)
    assert row["status"] == "fail" and row["found"] == 306.07 and row["expected"] == 300.0
    assert abs(row["difference"] - 6.07) < 1e-9 and row["source_ref"] == "L9"
    assert row["severity"] == "high" and row["family"] == "table" and row["doc_id"] == "d1"
    rounded = [{**ok[0], "amount": 300.01}, *ok[1:]]
    assert statuses(run("TBL-SUM", rounded)) == ["pass"]


def test_total_sum_is_per_column_and_measure():
    rows = [
        line("合计", 10.0, level=0), line("a", 10.0, code="208", level=1),
        line("合计", 5.0, level=0, breakdown="basic"), line("a", 5.0, code="208", level=1, breakdown="basic"),
        line("合计", 7.0, level=0, measure="actual"), line("a", 7.0, code="208", level=1, measure="actual"),
    ]  # fmt: skip
    assert statuses(run("TBL-SUM", rows)) == ["pass"] * 3


def test_code_rollup_by_prefix():
    rows = [
        line("住房保障支出", 50164.16, code="221", level=1),
        line("保障性安居工程支出", 50026.51, code="22101", level=2),
        line("住房改革支出", 135.57, code="22102", level=2),
        line("廉租住房", 321.32, code="2210101", level=3),
        line("公共租赁住房", 49705.19, code="22101 06", level=3),
        line("住房公积金", 135.57, code="2210201", level=3),
    ]
    found = {r["subject"].split()[1]: r for r in run("TBL-CODE-ROLLUP", rows)}
    assert found["221"]["status"] == "fail" and abs(found["221"]["difference"] - 2.08) < 1e-9
    assert found["22101"]["status"] == "pass"  # 321.32 + 49705.19 = 50026.51
    assert found["22102"]["status"] == "pass"


def test_code_rollup_rounding_within_tolerance():
    rows = [
        line("类", 10.01, code="221", level=1),
        line("款", 5.0, code="22101", level=2),
        line("款", 5.0, code="22102", level=2),
    ]
    assert statuses(run("TBL-CODE-ROLLUP", rows)) == ["pass"]


def test_basic_plus_project():
    rows = [
        line("合计", 86991.86, level=0), line("合计", 1965.0, level=0, breakdown="basic"),
        line("合计", 85026.86, level=0, breakdown="project"),
        line("城乡社区管理事务", 4382.67, code="21201"), line("城乡社区管理事务", 1069.15, code="21201", breakdown="basic"),
        line("城乡社区管理事务", 3319.59, code="21201", breakdown="project"),
    ]  # fmt: skip
    by = {r["subject"]: r for r in run("TBL-BASIC-PROJECT", rows)}
    total = next(r for s, r in by.items() if "合计" in s)
    row = next(r for s, r in by.items() if "21201" in s)
    assert total["status"] == "pass"
    assert row["status"] == "fail" and abs(row["difference"] + 6.07) < 1e-9


def test_basic_plus_project_missing_part_is_never_zero():
    # project not printed: agreeing figures give no row, disagreeing ones only a warning
    agree = [line("a", 24.78, code="2080501"), line("a", 24.78, code="2080501", breakdown="basic")]
    assert run("TBL-BASIC-PROJECT", agree) == []
    differ = [line("b", 3313.52, code="2120199"), line("b", 3319.59, code="2120199", breakdown="project")]
    (row,) = run("TBL-BASIC-PROJECT", differ)
    assert row["status"] == "warn" and "未列示" in row["message"]


def test_personnel_plus_public():
    rows = [
        line("基本支出", 100.0, level=0, breakdown="basic", table="基本支出表"),
        line("人员经费", 80.0, level=0, breakdown="personnel", table="基本支出表"),
        line("公用经费", 20.0, level=0, breakdown="public", table="基本支出表"),
    ]
    assert statuses(run("TBL-PERS-PUBLIC", rows)) == ["pass"]
    rows[2] = {**rows[2], "amount": 25.0}
    assert statuses(run("TBL-PERS-PUBLIC", rows)) == ["fail"]
    rows[2] = {**rows[2], "amount": 20.01}
    assert statuses(run("TBL-PERS-PUBLIC", rows)) == ["pass"]


def _summary(income_total, spend_total, carry=0.0):
    t = "收入支出决算总表"
    return [
        line("本年收入合计", 21488.85, level=0, breakdown="income", table=t),
        line("年初结转和结余", carry, breakdown="income", table=t),
        line("总计", income_total, level=0, breakdown="income", table=t),
        line("本年支出合计", 21488.85, level=0, table=t),
        line("年末结转和结余", 0.0, table=t),
        line("总计", spend_total, level=0, table=t),
    ]


def test_carryover():
    assert statuses(run("TBL-CARRYOVER", _summary(21488.85, 21488.85))) == ["pass", "pass"]
    assert statuses(run("TBL-CARRYOVER", _summary(21500.0, 21488.85))) == ["fail", "pass"]
    assert statuses(run("TBL-CARRYOVER", _summary(21498.86, 21488.85, carry=10.0))) == ["pass", "pass"]


def test_carryover_same_column_left_to_right():
    rows = [{**r, "breakdown": "total"} for r in _summary(21488.85, 21488.85)]
    assert statuses(run("TBL-CARRYOVER", rows)) == ["pass", "pass"]


def test_narrative_rows_are_not_table_rows():
    rows = [
        line("合计", 999.0, level=0, table="narrative"),
        line("a", 1.0, code="208", level=1, table="narrative"),
    ]
    assert run("TBL-SUM", rows) == []


def test_code_rollup_when_a_class_is_printed_twice():
    # 汉阳's 收入决算表 prints 221 twice: each printing owns the rows below it
    rows = [
        line("住房保障支出", 100.0, code="221", level=1), line("保障性安居工程支出", 60.0, code="22101", level=2),
        line("公共租赁住房", 60.0, code="2210106", level=3), line("住房改革支出", 40.0, code="22102", level=2),
        line("住房公积金", 40.0, code="2210201", level=3),
        line("住房保障支出", 25.0, code="221", level=1), line("保障性安居工程支出", 25.0, code="22101", level=2),
        line("保障性租赁住房", 25.0, code="2210110", level=3),
    ]  # fmt: skip
    assert statuses(run("TBL-CODE-ROLLUP", rows)) == ["pass"] * 5


def test_carryover_per_column():
    t = "财政拨款收支总表"
    rows = [
        line("本年支出合计", 85440.88, level=0, table=t), line("支出总计", 85440.88, level=0, table=t),
        line("本年支出合计", 53440.88, level=0, breakdown="general_public_budget", table=t),
        line("支出总计", 53440.88, level=0, breakdown="general_public_budget", table=t),
    ]  # fmt: skip
    assert statuses(run("TBL-CARRYOVER", rows)) == ["pass", "pass"]


def test_personnel_plus_public_in_a_basic_spending_table():
    t = "一般公共预算财政拨款基本支出表"
    rows = [
        line("合计", 1965.0, level=0, table=t),
        line("合计", 1813.48, level=0, breakdown="personnel", table=t),
        line("合计", 151.52, level=0, breakdown="public", table=t),
    ]
    assert statuses(run("TBL-PERS-PUBLIC", rows)) == ["pass"]
