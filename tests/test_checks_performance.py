"""绩效自评表 rules on a hand-made table shaped like 汨罗's 附件3-3."""

from __future__ import annotations

import pandas as pd

from loaders.checks import run_checks

KEYS = {"doc_id": "d1", "entity_id": "miluo", "year": 2023, "doc_kind": "performance_self_eval"}
T = "2023年度项目支出绩效自评表"


def ind(
    name,
    weight,
    score,
    level1="产出指标",
    level1_weight=30.0,
    target="10",
    actual="10",
    completion=1.0,
    ref="L10",
):
    return {**KEYS, "scope": "project", "project": "补助", "table": T, "level1": level1,
            "level1_weight": level1_weight, "name": name, "target_text": target, "actual_text": actual,
            "completion": completion, "weight": weight, "score": score, "source_ref": ref}  # fmt: skip


def proj(score=100.0, max_score=100.0, execution_weight=10.0, execution_score=10.0, actual=8.0, budget=8.0):
    return {**KEYS, "project": "补助", "table": T, "budget_initial": budget, "budget_adjusted": budget,
            "actual": actual, "score": score, "max_score": max_score, "execution_weight": execution_weight,
            "execution_score": execution_score, "source_ref": "L5"}  # fmt: skip


def clean_table():
    return [
        ind("a", 10.0, 10.0), ind("b", 10.0, 10.0), ind("c", 10.0, 10.0),
        ind("d", 15.0, 15.0, "效益指标", 30.0), ind("e", 15.0, 15.0, "效益指标", 30.0),
        ind("f", 20.0, 20.0, "成本指标", 20.0),
        ind("满意度", 10.0, 10.0, "满意度指标", 10.0, target="100%", actual="100%"),
    ]  # fmt: skip


def run(indicators, projects, rule=None):
    frames = {"indicators": pd.DataFrame(indicators), "projects": pd.DataFrame(projects)}
    rows = run_checks(frames, {})
    return [r for r in rows if rule is None or r["rule"] == rule]


def test_a_clean_table_gives_only_passes():
    rows = run(clean_table(), [proj()])
    assert rows and {r["status"] for r in rows} == {"pass"}
    assert {r["rule"] for r in rows} >= {
        "PERF-WEIGHTS",
        "PERF-GROUP-WEIGHT",
        "PERF-SCORE-LE-WEIGHT",
        "PERF-TOTAL",
    }


def test_total_score_miluo_shape():
    # 汨罗 3-3: rows add to 79 + 10 (执行率) = 89, 总分 printed 99
    table = [ind("a", 10.0, 10.0), ind("b", 10.0, 10.0), ind("c", 10.0, 10.0), ind("d", 10.0, 10.0, "效益指标"),
             ind("e", 10.0, 10.0, "效益指标"), ind("f", 20.0, 20.0, "成本指标", 20.0),
             ind("满意度", 10.0, 9.0, "满意度指标", 10.0, target="100%", actual="98%", completion=0.98)]  # fmt: skip
    (row,) = run(table, [proj(score=99.0)], "PERF-TOTAL")
    assert (
        row["status"] == "fail"
        and row["expected"] == 89.0
        and row["found"] == 99.0
        and row["difference"] == 10.0
    )
    (weights,) = run(table, [proj(score=99.0)], "PERF-WEIGHTS")
    assert weights["status"] == "fail" and weights["expected"] == 90.0
    groups = {r["subject"]: r["status"] for r in run(table, [proj(score=99.0)], "PERF-GROUP-WEIGHT")}
    assert groups["补助 效益指标 分值"] == "fail" and groups["补助 产出指标 分值"] == "pass"
    (missed,) = run(table, [proj(score=99.0)], "PERF-MISSED-FULL")
    assert missed["status"] == "pass"  # 98% of target, scored 9 of 10


def test_total_within_rounding():
    table = clean_table()
    table[0] = ind("a", 10.0, 9.995)
    assert [r["status"] for r in run(table, [proj()], "PERF-TOTAL")] == ["pass"]


def test_score_above_weight():
    table = clean_table()
    table[0] = ind("a", 10.0, 12.0, ref="L33")
    rows = {r["subject"]: r for r in run(table, [proj(score=102.0)], "PERF-SCORE-LE-WEIGHT")}
    assert rows["补助 a"]["status"] == "fail" and rows["补助 a"]["source_ref"] == "L33"
    assert rows["补助 总分"]["status"] == "fail"
    assert rows["补助 b"]["status"] == "pass"


def test_missed_target_scored_in_full():
    table = clean_table()
    table[-1] = ind("满意度", 10.0, 10.0, "满意度指标", 10.0, target="≥95%", actual="90%", completion=0.947)
    (row,) = run(table, [proj()], "PERF-MISSED-FULL")
    assert row["status"] == "fail"


def test_overspend_scored_in_full():
    (row,) = run(clean_table(), [proj(actual=9.0, budget=8.0)], "PERF-OVERSPEND-FULL")
    assert row["status"] == "fail"
    (row,) = run(clean_table(), [proj(actual=9.0, budget=8.0, execution_score=8.0)], "PERF-OVERSPEND-FULL")
    assert row["status"] == "pass"
    assert run(clean_table(), [proj(actual=8.005, budget=8.0)], "PERF-OVERSPEND-FULL") == []


def test_pairing():
    table = [
        ind("num-text", 10.0, 10.0, target="100%", actual="按时缴纳"),
        ind("units", 10.0, 10.0, target="8万元", actual="8套"),
        ind("ok", 10.0, 10.0, target="≥95%", actual="98%"),
        ind("text", 10.0, 10.0, target="有序稳步发展", actual="有序稳步发展"),
        ind("longer unit", 10.0, 10.0, target="26万元", actual="26万"),
    ]
    rows = {r["subject"]: r["status"] for r in run(table, [], "PERF-PAIRING")}
    assert rows == {
        "补助 num-text": "warn",
        "补助 units": "warn",
        "补助 ok": "pass",
        "补助 longer unit": "pass",
    }


def test_weights_not_printed_are_not_checked():
    table = [ind("a", None, None), ind("b", None, None)]
    assert run(table, [proj()], "PERF-WEIGHTS") == []
    assert run(table, [proj()], "PERF-TOTAL") == []
    assert run(table, [proj(max_score=None)], "PERF-WEIGHTS") == []
