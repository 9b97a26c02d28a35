"""三公 builders (dashboard/sangong.py, dashboard/sangong_staff.py): a printed 0 and 未披露 drawn
differently, per staff member in 元 with its own chart, the detail table's source column, the trend
over years. Pure, no Streamlit."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard import sangong as sg
from dashboard.common import NOT_DISCLOSED_COLOR
from dashboard.data import read_all
from tests import budget_data

LABELS = {"a": "甲区", "b": "乙市", "c": "丙县", "d": "丁局"}
COLORS = {"a": "#111111", "b": "#222222", "c": "#333333", "d": "#444444"}


def _docs() -> pd.DataFrame:
    return pd.DataFrame([
        {"doc_id": "da", "entity_id": "a", "year": 2023, "doc_kind": "final_accounts", "staff_count": 50.0},
        {"doc_id": "db", "entity_id": "b", "year": 2023, "doc_kind": "final_accounts", "staff_count": 200.0},
        {"doc_id": "dc", "entity_id": "c", "year": 2023, "doc_kind": "final_accounts", "staff_count": None},
        {"doc_id": "dd", "entity_id": "d", "year": 2023, "doc_kind": "budget", "staff_count": 10.0},
    ])


def _sangong() -> pd.DataFrame:
    rows = [("da", "a", "total", "actual", 2.5, "L30"), ("da", "a", "outbound_travel", "actual", 0.0, "L31"),
            ("da", "a", "total", "budget_adjusted", 3.0, "L29"),
            ("db", "b", "total", "actual", 20.0, "L40"), ("db", "b", "total", "budget_initial", 21.0, "L39"),
            ("dc", "c", "total", "actual", 7.0, "L50"), ("dd", "d", "total", "budget_initial", 8.0, "L5")]
    docs = _docs().set_index("doc_id")
    return pd.DataFrame([{"doc_id": d, "entity_id": e, "year": 2023, "doc_kind": docs.loc[d, "doc_kind"], "item": i,
                          "measure": m, "amount": v, "source_ref": r, "origin": "table"}
                         for d, e, i, m, v, r in rows])


def test_per_staff_in_yuan_and_not_disclosed():
    per = sg.per_staff(_sangong(), _docs(), "total", "actual").set_index("entity_id")
    assert per.loc["a", "per_staff_yuan"] == pytest.approx(2.5 * 10_000 / 50)  # 500 元 per person
    assert per.loc["b", "per_staff_yuan"] == pytest.approx(1_000)
    assert per.loc["c", "missing"] == "staff" and math.isnan(per.loc["c", "per_staff_yuan"])
    assert "d" not in per.index  # a budget prints no spending: not a missing figure
    assert list(per.index) == ["b", "a", "c"]  # highest first, the undisclosed last
    budget = sg.per_staff(_sangong(), _docs(), "total", "budget_initial").set_index("entity_id")
    assert budget.loc["d", "per_staff_yuan"] == pytest.approx(8_000) and budget.loc["a", "missing"] == "amount"


def test_per_staff_figure_a_city_against_the_others():
    per = sg.per_staff(_sangong(), _docs(), "total", "actual")
    fig = sg.per_staff_figure(per, LABELS, COLORS, focus="a")
    bars = fig.data[0]
    assert list(bars.y) == ["乙市 · 决算 2023", "甲区 · 决算 2023"] and list(bars.text) == ["1,000", "500"]
    assert list(bars.marker.color) == ["#c7c7c7", "#111111"]  # 甲 in its colour, the others grey
    assert "元/人" in fig.layout.title.text
    notes = [a.text for a in fig.layout.annotations]
    assert "未披露人数" in notes  # 丙 prints no staff count: said, no bar
    assert not fig.layout.shapes  # one other department only: no median to draw
    both = sg.per_staff_figure(per, LABELS, COLORS)
    assert both.layout.shapes[0].x0 == pytest.approx(750) and "中位数 750" in {a.text for a in both.layout.annotations}
    en = sg.per_staff_figure(per, LABELS, COLORS, focus=None, lang="en")
    assert "per staff member (CNY)" in en.layout.title.text and "staff not disclosed" in [a.text for a in
                                                                                         en.layout.annotations]


def test_item_figure_zero_is_a_bar_and_not_disclosed_is_said():
    s = _sangong()
    fig = sg.item_figure(s, "outbound_travel", LABELS)
    actual = next(t for t in fig.data if t.name == "决算")
    assert list(actual.y) == [0.0] and list(actual.text) == ["0"] and list(actual.textposition) == ["outside"]
    notes = [a for a in fig.layout.annotations if a.text == "未披露"]
    # 乙 and 丙 print no outbound travel: 未披露 in the 决算 slot; 丁 is a budget: its actual is not asked
    assert sorted(a.hovertext.split(" · ")[0] for a in notes) == ["丙县", "乙市"]
    assert all(a.font.color == NOT_DISCLOSED_COLOR for a in notes)
    assert list(fig.layout.xaxis.categoryarray) == ["甲区 · 决算 2023", "乙市 · 决算 2023", "丙县 · 决算 2023",
                                                    "丁局 · 预算 2023"]
    total = sg.item_figure(s, "total", LABELS)
    said = {a.hovertext for a in total.layout.annotations}
    assert "甲区 · 决算 2023 · 年初预算: 未披露" in said and "乙市 · 决算 2023 · 调整预算: 未披露" in said
    assert not any(h.startswith("丁局") for h in said)  # a budget: its adjusted budget and actual not asked


def test_item_figure_lists_many_documents_downwards():
    s = _sangong()
    many = pd.concat([s.assign(doc_id=s["doc_id"] + str(k), year=2010 + k) for k in range(4)], ignore_index=True)
    fig = sg.item_figure(many, "total", LABELS)
    assert all(t.orientation == "h" for t in fig.data) and fig.layout.height > 600


def test_detail_table_per_staff_in_yuan_with_a_source_column():
    wide = sg.sangong_wide(_sangong(), _docs())
    for lang, head, link in (("zh", "人均决算（元/人）", "原文"), ("en", "actual per staff (CNY)", "source")):
        table = sg.detail_table(wide, LABELS, lang)
        row = table.iloc[list(wide["item"] == "total").index(True)]
        assert row[head] == "500"  # 2.5 万元 / 50 people, in whole 元
        suffix = "&lang=en" if lang == "en" else ""
        assert row[link] == "sources?doc=da&ref=L30" + suffix  # the actual's line
    per = sg.detail_table(wide, LABELS).set_index("来源文档")
    assert per.loc["丙县 · 决算 2023", "人均决算（元/人）"] == "未披露"


def test_trend_one_line_per_department_and_phase_with_gaps():
    rows = [{"doc_id": f"d{y}", "entity_id": "a", "year": y, "doc_kind": "budget", "item": "total",
             "measure": "budget_initial", "amount": v, "source_ref": "L1"} for y, v in ((2017, 5.0), (2019, 0.0))]
    rows += [{"doc_id": "x", "entity_id": "b", "year": 2019, "doc_kind": "budget", "item": "total",
              "measure": "budget_initial", "amount": 1.0, "source_ref": "L1"}]
    by = sg.by_year(pd.DataFrame(rows), "total")
    assert set(by["entity_id"]) == {"a"}  # one year only: no trend
    fig = sg.trend_figure(by, LABELS, COLORS)
    line = fig.data[0]
    assert line.name == "甲区 · 年初预算" and list(line.x) == [2017, 2018, 2019]
    assert math.isnan(line.y[1]) and line.connectgaps is False  # 2018 not printed: a gap, not 0
    assert list(line.text) == ["", "", "0"]  # a printed 0 is labelled


@pytest.fixture(scope="module")
def years():
    return read_all(budget_data.multi_year())


def test_jiangsu_party_office_sangong_by_year(years):
    by = sg.by_year(years["sangong"], "total")
    office = by[by["entity_id"] == "jiangsu-shengweibangongting"].set_index("year")
    # “三公”经费、会议费、培训费支出预算表, 小计: 509.20 (2017, p11), 508.20 (2019, p9)
    assert office.loc[2017, "amount"] == pytest.approx(509.2) and office.loc[2019, "amount"] == pytest.approx(508.2)
    assert set(office["measure"]) == {"budget_initial"}
    # 公务用车购置费 is blank in each year's table: no trend drawn from it, never a 0
    assert sg.by_year(years["sangong"][years["sangong"]["entity_id"] == "jiangsu-shengweibangongting"],
                      "vehicle_purchase").empty
