"""Budget against actual by function class, from tables and from prose, with the reason the
document states (dashboard/gaps.py). Figures and sentences read by hand from the seeds (quoted)."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import budget_tables as bt
from dashboard import gaps as gp
from dashboard.data import read_all
from tests import budget_data


@pytest.fixture(scope="module")
def ds():
    return read_all(budget_data.seeds())


@pytest.fixture(scope="module")
def initial_vs_actual(ds):
    return gp.budget_gaps(ds["budget_lines"], "budget_initial", "actual", ds["stated_changes"], ds["lines"])


def _row(gaps, entity, item):
    hit = gaps[(gaps["entity_id"] == entity) & (gaps["item"] == item)]
    assert len(hit) == 1, (entity, item, hit)
    return hit.iloc[0]


def test_hanyang_classes_from_prose_with_their_reasons(initial_vs_actual):
    g = initial_vs_actual
    # L489: "5. 住房保障支出(类)支出年初预算为940.79万元，决算支出18621.92万元，完成年初预算2128.43%，主要是中央资金拨款增加。"
    r = _row(g, "hanyang", "住房保障支出")
    assert (r["level"], r["a"], r["b"], r["source_ref"]) == (1, 940.79, 18621.92, "L489")
    assert r["difference"] == pytest.approx(17681.13)
    assert (r["reason"], r["reason_ref"]) == ("主要是中央资金拨款增加。", "L489")
    # L481: "1. 一般公共服务（类）年初预算为 1970.87 万元，决算为 1506.94 万元，完成年初预算 76.46%。主要是厉行节约，压减开支。"
    r = _row(g, "hanyang", "一般公共服务")
    assert (r["a"], r["b"], r["a_ref"], r["reason"]) == (1970.87, 1506.94, "L481", "主要是厉行节约，压减开支。")
    # L485 prints both phases; the reason two sentences on: "…支出 1102.76 万元。完成年初预算 66.33%。主要原因为厉行节约，压减开支。"
    r = _row(g, "hanyang", "城乡社区支出农林水支出")
    assert (r["a"], r["b"], r["a_ref"], r["b_ref"]) == (1662.50, 1102.76, "L485", "L485")
    assert r["reason"] == "主要原因为厉行节约，压减开支。"
    # L487: "4. 农林水支出(类)年初预算为5万元，决算支出4.29万元，完成年初预算86.00%，主要原因是乡村帮扶干部补助使用基本支出资金支付。"
    assert _row(g, "hanyang", "农林水支出")["reason"] == "主要原因是乡村帮扶干部补助使用基本支出资金支付。"
    classes = g[(g["entity_id"] == "hanyang") & (g["level"] == 1)]
    assert len(classes) == 5 and classes["difference"].abs().is_monotonic_decreasing


def test_the_reason_of_the_budget_comparison_not_of_the_prior_year(initial_vs_actual):
    # L126 gives two reasons: "与上年相比，增加 206,749.59 万元…主要原因是：一是本年在岗人员工资调增…" and,
    # after "与年初预算相比，年初预算数 6,862.79 万元，决算数 507,109.93 万元，预决算差异率" and a blank
    # line, L128: "7,289.27%，主要原因是：本年系统单位人员变动，…".
    r = _row(initial_vs_actual, "urumqi", "一般公共预算财政拨款支出")
    assert (r["level"], r["a"], r["b"]) == (0, 6862.79, 507109.93)
    assert r["reason"].startswith("主要原因是：本年系统单位人员变动") and r["reason_ref"] == "L128"


def test_totals_first_then_classes(initial_vs_actual):
    levels = initial_vs_actual["level"].tolist()
    assert levels == sorted(levels, key=lambda lv: lv != 0)


def test_adjustments_not_empty_where_printed(ds):
    adj = gp.budget_gaps(ds["budget_lines"], "budget_initial", "budget_adjusted", ds["stated_changes"], ds["lines"])
    # L1396: "年初部门预算数为4726.73万元，调整预算数为21488.85万元"
    r = _row(adj, "hanyang", "部门预算")
    assert (r["a"], r["b"], r["source_ref"]) == (4726.73, 21488.85, "L1396")
    # 岳阳 L250/L251: 年度资金总额 1380.68 → 3216.47
    assert tuple(_row(adj, "yueyang", "年度资金总额")[["a", "b"]]) == (1380.68, 3216.47)


def test_display_links_and_no_reason_said_so(initial_vs_actual):
    shown = bt.gaps_display(initial_vs_actual, "budget_initial", "actual", {"hanyang": "汉阳区"})
    row = shown[shown["科目"] == "住房保障支出"].iloc[0]
    assert row["文中所述原因"] == "主要是中央资金拨款增加。" and row["层级"] == "类"
    assert row["原文"].endswith("ref=L489") and row["原因出处"].endswith("ref=L489")
    total = shown[shown["科目"] == "部门预算"].iloc[0]
    assert total["文中所述原因"] == "（文中未说明）" and total["层级"] == "合计"
    en = bt.gaps_display(initial_vs_actual, "budget_initial", "actual", {}, "en")
    assert "reason stated" in en.columns and en["source"].str.endswith("&lang=en").all()


def test_stated_reason_after_its_figure():
    text = "比上年增加10.00万元，主要原因是A。与年初预算相比，年初预算数 5.00 万元，决算数 8.00 万元，主要原因是B。"
    assert gp.stated_reason(text, 5.0) == ("主要原因是B。", text.index("主要原因是B"))
    assert gp.stated_reason("年初预算为 10.00 万元，支出决算为10.00万元。决算数与预算数基本持平。", 10.0) == ("", None)


def test_a_change_stated_against_a_budget_is_a_derived_pair():
    stated = pd.DataFrame([{
        "doc_id": "d", "entity_id": "e", "year": 2023, "doc_kind": "final_accounts", "dataset": "budget_lines",
        "item": "住房保障支出", "breakdown": "total", "code": None, "level": 1, "measure": "actual",
        "against": "budget_adjusted", "current_amount": 120.0, "change_amount": 20.0, "change_pct": 0.2,
        "text": "住房保障支出 120.00 万元，比调整预算增加 20.00 万元，主要原因是追加项目。", "source_ref": "L7"}])
    lines = pd.DataFrame(columns=["doc_id", "entity_id", "year", "doc_kind", "table", "code", "item", "level",
                                  "breakdown", "measure", "amount", "source_ref"])
    got = gp.budget_gaps(lines, "budget_adjusted", "actual", stated).iloc[0]
    assert (got["a"], got["b"], bool(got["derived"])) == (100.0, 120.0, True)
    assert got["reason"] == "主要原因是追加项目。"
    shown = bt.gaps_display(gp.budget_gaps(lines, "budget_adjusted", "actual", stated), "budget_adjusted",
                            "actual", {})
    assert shown.iloc[0]["调整预算（万元）"] == "100.00（推算）"
