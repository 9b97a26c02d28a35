"""Outlier screens and the findings table (pure pandas)."""

from __future__ import annotations

import pandas as pd

from dashboard import screening as scr


def projects(rows):
    return pd.DataFrame(
        [
            {"doc_id": "d", "entity_id": e, "year": 2023, "doc_kind": "performance_self_eval", "project": p,
             "budget_initial": i, "budget_adjusted": b, "actual": a, "source_ref": "L1"}
            for e, p, i, b, a in rows
        ]
    )  # fmt: skip


def test_execution_outliers_default_band():
    df = projects([("a", "low", 100, 100, 80), ("a", "ok", 100, 100, 95), ("a", "high", 100, 100, 110),
                   ("a", "edge", 100, 100, 90), ("a", "no budget", 100, None, 50), ("a", "zero", 0, 0, 5)])  # fmt: skip
    out = scr.execution_outliers(df)
    assert dict(zip(out["project"], out["flag"], strict=True)) == {"low": "low", "high": "high"}


def test_execution_outliers_user_threshold():
    df = projects([("a", "p", 100, 100, 95)])
    assert scr.execution_outliers(df, low=0.96)["project"].tolist() == ["p"]
    assert scr.execution_outliers(df, low=0.5, high=0.9)["flag"].tolist() == ["high"]


def test_iqr_within_and_across_departments():
    rows = [("a", f"a{i}", 100, 100, 95 + i) for i in range(5)] + [("a", "a-out", 100, 100, 40)]
    rows += [("b", f"b{i}", 100, 100, 50 + i) for i in range(5)]
    out = scr.rate_iqr_outliers(projects(rows))
    within = out[out["basis"] == "within"]
    assert within["project"].tolist() == ["a-out"] and within["scope"].tolist() == ["a"]
    assert set(out.loc[out["basis"] == "across", "project"]) <= {"a-out"}


def test_iqr_needs_four_values():
    assert scr.iqr_bounds(pd.Series([1.0, 2.0, 3.0])) is None
    assert scr.iqr_outliers(pd.DataFrame({"v": [1.0, 2.0, 100.0]}), "v").empty


def test_adjustment_outliers():
    df = projects([("a", "up", 100, 150, 150), ("a", "down", 100, 70, 70), ("a", "small", 100, 110, 110),
                   ("a", "zero", 0, 10, 10), ("a", "none", None, 10, 10)])  # fmt: skip
    out = scr.adjustment_outliers(df, share=0.2)
    assert dict(zip(out["project"], out["adjustment_share"], strict=True)) == {"up": 0.5, "down": -0.3}
    assert scr.adjustment_outliers(df, share=0.4)["project"].tolist() == ["up"]


def test_sangong_per_staff_only_where_both_are_printed():
    keys = {"year": 2023, "doc_kind": "final_accounts", "source_ref": "L1"}
    sangong = pd.DataFrame(
        [
            {**keys, "doc_id": "d1", "entity_id": "a", "item": "total", "measure": "actual", "amount": 10.0},
            {
                **keys,
                "doc_id": "d1",
                "entity_id": "a",
                "item": "total",
                "measure": "budget_adjusted",
                "amount": 99.0,
            },
            {**keys, "doc_id": "d2", "entity_id": "b", "item": "total", "measure": "actual", "amount": 5.0},
            {
                **keys,
                "doc_id": "d3",
                "entity_id": "c",
                "item": "official_reception",
                "measure": "actual",
                "amount": 1.0,
            },
        ]
    )
    documents = pd.DataFrame(
        {"doc_id": ["d1", "d2", "d3"], "staff_count": pd.array([50, None, 10], dtype="Int32")}
    )
    out = scr.sangong_per_staff(sangong, documents)
    assert out["doc_id"].tolist() == ["d1"] and out["per_staff"].tolist() == [0.2]


def checks():
    base = {"doc_id": "d", "year": 2023, "doc_kind": "budget", "source_ref": "L1", "message": "",
            "expected": 1.0, "found": 2.0, "difference": 1.0}  # fmt: skip
    return pd.DataFrame(
        [
            {**base, "entity_id": "a", "rule": "TBL-SUM", "family": "table", "severity": "high", "status": "fail", "subject": "x"},
            {**base, "entity_id": "b", "rule": "PERF-PAIRING", "family": "performance", "severity": "low", "status": "warn", "subject": "y"},
            {**base, "entity_id": "a", "rule": "SG-ITEMS", "family": "sangong", "severity": "high", "status": "pass", "subject": "z"},
            {**base, "entity_id": "b", "rule": "RATE-EXEC", "family": "rate", "severity": "medium", "status": "fail", "subject": "w"},
        ]
    )  # fmt: skip


def test_findings_filters_and_order():
    out = scr.findings(checks())
    assert out["rule"].tolist() == ["TBL-SUM", "RATE-EXEC", "PERF-PAIRING"]
    assert scr.findings(checks(), severities=["high"], statuses=())["rule"].tolist() == [
        "TBL-SUM",
        "SG-ITEMS",
    ]
    assert scr.findings(checks(), families=["rate"])["rule"].tolist() == ["RATE-EXEC"]


def test_findings_matrix_and_table():
    m = scr.findings_matrix(checks())
    assert list(m.columns) == ["high", "medium", "low"] and m.loc["a", "high"] == 2
    table = scr.findings_table(scr.findings(checks()), {"a": "甲"}, {"TBL-SUM": "合计等于各行之和"})
    assert table.loc[0, "entity_id"] == "甲" and table.loc[0, "description"] == "合计等于各行之和"
    assert table.loc[0, "difference"] == 1.0


def test_missing_tables_note_reads_attachment_reference():
    from tests.dash_synthetic import frames

    checks = frames()["checks"]
    found = scr.findings(checks)
    texts = {"d_ur": ["标题", "第四部分 部门决算报表（见附表）", "- 一、《收入决算表》", "- 二、《支出决算表》"]}
    notes = scr.missing_tables_notes(found, texts, {"urumqi": "乌鲁木齐市"})
    assert len(notes) == 1 and "2 张报表" in notes[0] and "见附表" in notes[0] and "收入决算表" in notes[0]
    plain = scr.missing_tables_notes(found, {"d_ur": ["标题"] * 4}, {})
    assert "没有找到" in plain[0]
    assert scr.missing_tables_notes(found.head(0), texts, {}) == []


def test_findings_failures_first_by_severity():
    from tests.dash_synthetic import frames

    found = scr.findings(frames()["checks"], statuses=())
    status = list(found["status"])
    assert status == sorted(status, key=scr.STATUS_ORDER.get)
    fails = found[found["status"] == "fail"]
    assert list(fails["severity"]) == sorted(fails["severity"], key=scr.SEVERITY_ORDER.get)


# ---- check rows for reading (dashboard.checks_display) ----------------------------------------


def test_check_values_formatted_with_their_unit():
    from dashboard import checks_display as cd

    assert cd.fmt_value(86985.79, "wan") == "86,985.79 万元"
    assert cd.fmt_value(6.07, "wan", difference=True) == "+6.07 万元"
    assert cd.fmt_value(-6.07, "wan", "en", difference=True) == "-6.07 (10k CNY)"
    assert cd.fmt_value(0.7634, "pct") == "76.34%"
    assert cd.fmt_value(0.0005, "pct", difference=True) == "+0.05 个百分点"
    assert cd.fmt_value(9.5, "score") == "9.50 分" and cd.fmt_value(89.0, "score", "en") == "89 pts"
    assert cd.fmt_value(None, "wan") == cd.NO_VALUE and cd.fmt_value(float("nan"), "pct") == cd.NO_VALUE
    assert cd.value_unit("RATE-EXEC", "rate") == "pct" and cd.value_unit("PERF-PAIRING", "performance") == "plain"
    assert cd.value_unit("DUP-AGREE", "repeat", "sangong_counts vehicle_total/vehicles/actual") == "plain"


def test_check_subjects_lose_their_codes():
    from dashboard.checks_display import plain_subject

    assert plain_subject("sangong total/budget_initial") == "三公经费合计/年初预算"
    assert plain_subject("sangong total/budget_initial", "en") == "三公: 三公 total/initial budget"
    assert plain_subject("部门预算支出总表 合计（total/budget_initial）") == "部门预算支出总表 合计（年初预算）"
    assert plain_subject("支出决算表 208 社会保障和就业支出（basic/actual）") == "支出决算表 208 社会保障和就业支出（基本支出/决算）"
    assert plain_subject("棚户区 project B2") == "棚户区 project B2"  # printed words are not codes
    assert plain_subject(None) == ""


def test_check_table_names_everything():
    from dashboard import checks_display as cd
    from loaders.checks import RULES

    rows = checks().assign(subject="合计（total/actual）")
    cols = ["severity", "status", "family", "rule", "description", "subject", "expected", "difference"]
    zh = cd.check_table(rows, cols, {}, RULES, "zh")
    first = zh.iloc[0]
    assert (first["严重程度"], first["状态"], first["类别"], first["规则"]) == ("严重", "不符", "表内勾稽", "TBL-SUM")
    assert first["规则说明"] == RULES["TBL-SUM"].description and first["对象"] == "合计（决算）"
    en = cd.check_table(rows, cols, {}, RULES, "en").iloc[0]
    assert (en["severity"], en["status"], en["family"]) == ("high", "fail", "table arithmetic")
    assert en["description"] == cd.RULE_EN["TBL-SUM"]
    assert cd.rule_descriptions({"NEW-RULE": "新规则"}, "en") == {"NEW-RULE": "新规则"}  # unknown: Chinese kept


def test_screens_formatted_for_reading():
    df = pd.DataFrame({"entity_id": ["甲"], "budget_initial": [1234.5], "actual": [None], "execution_rate": [0.6],
                       "flag": ["low"], "basis": ["within"]})
    out = scr.headed(df)
    assert out.loc[0, "年初预算（万元）"] == "1,234.50" and out.loc[0, "决算（万元）"] == "未披露"
    assert out.loc[0, "执行率"] == "60.0%" and out.loc[0, "偏离"] == "偏低" and out.loc[0, "范围"] == "部门内"
    assert scr.headed(df, "en").loc[0, "flag"] == "below"
