"""Year over year per phase (dashboard/trends.py). The multi-year department is 中共江苏省委办公厅:
its 支出预算总表 合计, read by hand from each file (pdftoppm page images): 2017 p3 "20,849.45",
2018 p5 "24,458.43", 2019 p3 "27,664.22"."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import totals as tt
from dashboard import trends as tr
from dashboard.data import read_all
from dashboard.labels import NOT_DISCLOSED
from tests import budget_data

CPC = "jiangsu-shengweibangongting"


@pytest.fixture(scope="module")
def ds():
    return read_all(budget_data.multi_year())


@pytest.fixture(scope="module")
def trend(ds):
    totals = tt.department_totals(ds["budget_lines"], ds["documents"], ds["tables"], ds["projects"])
    return tr.phase_trend(tt.year_totals(totals), ds["documents"])


def test_budget_series_across_three_years(trend):
    cpc = trend[(trend["entity_id"] == CPC) & (trend["measure"] == "budget_initial")]
    assert cpc["year"].tolist() == [2017, 2018, 2019]
    assert cpc["amount"].tolist() == [20849.45, 24458.43, 27664.22]
    assert cpc["source_ref"].tolist() == ["p3:L4", "p5:L4", "p3:L4"]
    # budgets only: no actual to disclose, not 未披露 and never 0
    actual = trend[(trend["entity_id"] == CPC) & (trend["measure"] == "actual")]
    assert set(actual["state"]) == {"not_applicable"} and actual["amount"].isna().all()


def test_changes_between_years_same_phase_only(trend):
    ch = tr.trend_changes(tr.multi_year(trend))
    cpc = ch[ch["entity_id"] == CPC]
    assert set(cpc["measure"]) == {"budget_initial"}
    assert cpc["change"].round(2).tolist() == [3608.98, 3205.79]
    assert cpc["change_pct"].round(4).tolist() == [round(3608.98 / 20849.45, 4), round(3205.79 / 24458.43, 4)]
    shown = tr.changes_display(cpc, {CPC: "省委办公厅"})
    assert shown.iloc[0]["年度"] == "2017 → 2018" and shown.iloc[0]["变动（万元）"] == "3,608.98"


def test_single_year_departments_left_out(trend):
    assert set(tr.multi_year(trend)["entity_id"]) == {CPC}


def test_figure_one_chart_per_phase_and_not_disclosed_apart():
    docs = pd.DataFrame([{"entity_id": "e", "year": y, "doc_kind": "final_accounts"} for y in (2021, 2022, 2023)])
    yearly = pd.DataFrame([
        {"entity_id": "e", "year": 2021, "measure": "actual", "amount": 0.0, "doc_id": "a", "doc_kind":
         "final_accounts", "table": "支出决算表", "item": "合计", "source_ref": "L1"},
        {"entity_id": "e", "year": 2023, "measure": "actual", "amount": 50.0, "doc_id": "c", "doc_kind":
         "final_accounts", "table": "支出决算表", "item": "合计", "source_ref": "L1"},
        {"entity_id": "e", "year": 2023, "measure": "budget_initial", "amount": 60.0, "doc_id": "c", "doc_kind":
         "final_accounts", "table": "narrative", "item": "部门预算", "source_ref": "L9"},
    ])
    trend = tr.phase_trend(yearly, docs)
    fig = tr.trend_figure(trend, {"e": "某局"})
    # two phases printed → two charts (rows); the adjusted budget printed nowhere gets none
    assert [a.text for a in fig.layout.annotations[:2]] == ["年初预算", "决算"]
    line = next(t for t in fig.data if t.yaxis == "y2")
    # the printed 0 is a point at 0; 2022 (a document, no total) is a gap in the line …
    assert list(line.y)[0] == 0.0 and pd.isna(list(line.y)[1]) and not line.connectgaps
    # … and a grey 未披露 label at the chart's foot (hover names the department), never a point
    labels = [a for a in fig.layout.annotations if a.text and a.text.startswith(NOT_DISCLOSED["zh"])]
    assert {(a.x, a.yref) for a in labels} == {(2022, "y2 domain"), (2021, "y domain"), (2022, "y domain")}
    assert all("某局" in a.hovertext for a in labels)
    en = tr.trend_figure(trend, {"e": "Bureau"}, "en")
    assert "initial budget" in [a.text for a in en.layout.annotations]
