"""部门(项目)申报表（含绩效目标） of 汉阳's 决算: budgets and target indicators, origin declaration.

Every expectation was read by hand from the seed text; the comment gives the line(s).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders.build import load_document
from tests.conftest import SEEDS, loaded_seed


@pytest.fixture(scope="module")
def hanyang():
    return loaded_seed("hanyang").extraction


def declared(ex, dataset: str) -> list[dict]:
    return [r for r in ex.rows[dataset] if r.get("origin") == "declaration"]


def project(ex, name: str) -> dict:
    rows = [r for r in declared(ex, "projects") if r["project"] == name]
    assert len(rows) == 1, rows
    return rows[0]


def target(ex, project_name: str | None, name: str, horizon: str) -> dict:
    rows = [r for r in declared(ex, "indicators")
            if r["project"] == project_name and r["name"] == name and r["horizon"] == horizon]
    assert len(rows) == 1, rows
    return rows[0]


def test_hanyang_declared_budgets(hanyang):
    # L547 部门整体支出绩效目标申报表 and twelve 部门项目申报表 blocks (L593, L647, … L1144, L1200)
    rows = declared(hanyang, "projects")
    assert len(rows) == 13 and sum(r["scope"] == "department" for r in rows) == 1
    # L554 当年金额 heading, L563 支出构成 合计 4726.73
    dept = next(r for r in rows if r["scope"] == "department")
    assert (dept["project"], dept["budget_initial"], dept["source_ref"]) == ("武汉市汉阳区住房保障和房屋管理局", 4726.73, "L563")
    # L609 项目总预算 816.61 | 项目当年预算 816.61; L663 残保金 5.14; L1206/L1216 a name wrapped with a space
    assert (project(hanyang, "保障性住房工作经费")["budget_initial"], project(hanyang, "保障性住房工作经费")["source_ref"]) == (816.61, "L609")
    assert project(hanyang, "残保金")["budget_initial"] == 5.14
    assert project(hanyang, "自管房产维修费、物业费")["budget_initial"] == 48.8
    # A declaration has no actual and no score: null, never 0.
    for r in rows:
        assert r.get("actual") is None and r.get("budget_adjusted") is None and r.get("score") is None
        assert r["table"] in ("部门整体支出绩效目标申报表", "部门项目申报表(含绩效目标)")


def test_self_eval_row_kept_beside_the_declaration(hanyang):
    # L1722 2023年度保障性住房工作经费项目自评表: its own row, unchanged
    own = [r for r in hanyang.rows["projects"] if r["project"] == "保障性住房工作经费" and r.get("origin") != "declaration"]
    assert len(own) == 1 and own[0]["table"].endswith("项目自评表")


def test_hanyang_declared_targets(hanyang):
    # L629-630 长期绩效目标表: 长期绩效目标→产出指标→质量指标→全区住房保障“应保尽保”→90%
    r = target(hanyang, "保障性住房工作经费", "全区住房保障“应保尽保”", "long_term")
    assert (r["level1"], r["level2"], r["target_text"], r["target_value"], r["unit"]) == ("产出指标", "质量指标", "90%", 90, "%")
    assert r["actual_text"] is None and r["actual_value"] is None and r["completion"] is None and r["weight"] is None
    # L638-640 年度绩效目标表: 前年 90% | 上年 90% | 预计当年实现 90%: the target is the third
    assert target(hanyang, "保障性住房工作经费", "全区住房保障“应保尽保”", "annual")["source_ref"] == "L640"
    # L642 保障性住房房屋补贴及时发放: 按时发放 printed under 前年 only: no annual target
    r = target(hanyang, "保障性住房工作经费", "保障性住房房屋补贴及时发放", "annual")
    assert r["target_text"] is None
    assert target(hanyang, "保障性住房工作经费", "保障性住房房屋补贴及时发放", "long_term")["target_text"] == "按时发放"  # L633
    # L688 成本指标 项目可使用资金范围 ≤5.14万元
    r = target(hanyang, "残保金", "项目可使用资金范围", "long_term")
    assert (r["comparator"], r["target_value"], r["unit"], r["level2"]) == ("<=", 5.14, "万元", "成本指标")
    # L850 效益指标→社会效益指标→(stray empty)→加强房屋安全监管→确保不发生责任性安全事故
    r = target(hanyang, "房屋安全管理工作经费", "加强房屋安全监管", "long_term")
    assert (r["level1"], r["level2"], r["target_text"]) == ("效益指标", "社会效益指标", "确保不发生责任性安全事故")
    # L907 工会经费计提年度 2020年: a year, not a quantity
    r = target(hanyang, "工会补助经费", "工会经费计提年度", "long_term")
    assert (r["target_text"], r["target_value"]) == ("2020年", None)
    # L573 the department's 长期绩效指标 老旧小区改造个数 31 个 (scope department, project null)
    r = target(hanyang, None, "老旧小区改造个数", "long_term")
    assert (r["scope"], r["target_value"], r["unit"]) == ("department", 31, "个")
    # L970-971 乡村振兴帮扶资金's 年度 table has only 前年 / 上年 sub-headings: no annual target at all
    annual = [r for r in declared(hanyang, "indicators") if r["project"] == "乡村振兴帮扶资金" and r["horizon"] == "annual"]
    assert len(annual) == 6 and all(r["target_text"] is None for r in annual)
    assert any("not under the target heading" in w for w in hanyang.warnings)


def _copy_with(tmp_path: Path, old: str, new: str, count: int = 1) -> Path:
    """The seed with the first printing of ``old`` (printed ``count`` times) changed."""
    text = SEEDS["hanyang"].read_text(encoding="utf-8")
    assert text.count(old) == count, old
    path = tmp_path / SEEDS["hanyang"].name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_perturbed_budget_follows(tmp_path):
    ex = load_document(_copy_with(tmp_path, "项目当年预算\t\t816.61", "项目当年预算\t\t817.61")).extraction  # L609
    assert project(ex, "保障性住房工作经费")["budget_initial"] == 817.61


def test_blank_budget_is_null(tmp_path):
    ex = load_document(_copy_with(tmp_path, "项目当年预算\t\t816.61", "项目当年预算\t\t")).extraction  # L609
    assert project(ex, "保障性住房工作经费")["budget_initial"] is None  # the row stays for its targets


def test_perturbed_target_follows(tmp_path):
    # L688 (long-term) and L697 (annual) print the same text: the first one changes
    ex = load_document(_copy_with(tmp_path, "项目可使用资金范围\t≤5.14万元", "项目可使用资金范围\t≤6.14万元", 2)).extraction
    assert target(ex, "残保金", "项目可使用资金范围", "long_term")["target_value"] == 6.14
