"""AppTest of the 预算与决算 page and the 总览 on datasets built from the documents: one total per
phase on both pages, labelled with its line; gaps and adjustments with their reasons; the trend
of a department with several years. Figures as read by hand (see tests/test_totals.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests import budget_data

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def run(monkeypatch, data: Path, page: str | None = None, **params) -> AppTest:
    monkeypatch.setenv("BUDGET_DATA_DIR", str(data))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    if page:
        at.switch_page(page)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def table(at: AppTest, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def chart_titles(at: AppTest) -> list[str]:
    return [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]


@pytest.fixture(scope="module")
def seeds() -> Path:
    return budget_data.seeds()


def test_budget_page_one_total_per_phase_labelled(monkeypatch, seeds):
    at = run(monkeypatch, seeds, "views/budget.py", bd_lines="1")  # the lines' table drawn on demand
    years = table(at, "各阶段来源（文档 · 表 · 行）").set_index("部门")
    u = years.loc["乌鲁木齐市"]
    assert (u["年初预算（万元）"], u["调整预算（万元）"], u["决算（万元）"], u["执行率"]) == (
        "531,862.78", "632,672.30", "636,847.14", "99.9%")
    assert "决算：决算 2023 · 文字说明 · 本年支出合计 · L100" in u["各阶段来源（文档 · 表 · 行）"]
    assert years.loc["邯郸市", "决算（万元）"] == "不适用（预算文件）"
    lines = table(at, "覆盖范围")
    ur = lines[(lines["部门"] == "乌鲁木齐市") & (lines["口径"] == "决算")].iloc[0]
    assert ur["出处"] == "L100" and ur["原文"].startswith("sources?doc=") and ur["原文"].endswith("ref=L100")


def test_overview_headline_equals_the_budget_page(monkeypatch, seeds):
    at = run(monkeypatch, seeds)
    head = table(at, "各阶段来源（文档 · 表 · 行）").set_index("部门")
    assert head.loc["乌鲁木齐市", "决算（万元）"] == "636,847.14"  # not the self-evaluation's 632,177.48
    assert "L100" in head.loc["乌鲁木齐市", "各阶段来源（文档 · 表 · 行）"]
    assert head.loc["乌鲁木齐市", "原文"].endswith("ref=L100")
    assert head.loc["汉阳区", "年初预算（万元）"] == "4,726.73"


def test_gaps_and_adjustments_with_reasons(monkeypatch, seeds):
    at = run(monkeypatch, seeds, "views/budget.py", dept="hanyang", bd_gaps="1", bd_adjust="1")
    gaps = table(at, "文中所述原因")
    row = gaps[gaps["科目"] == "住房保障支出"].iloc[0]
    assert (row["年初预算（万元）"], row["决算（万元）"], row["文中所述原因"]) == (
        "940.79", "18,621.92", "主要是中央资金拨款增加。")
    assert row["原因出处"].endswith("ref=L489")
    adj = next(d.value for d in at.dataframe if "调整预算（万元）" in d.value.columns and "文中所述原因" in d.value.columns)
    assert adj.iloc[0]["科目"] == "部门预算" and adj.iloc[0]["调整预算（万元）"] == "21,488.85"
    at.radio(key="bd_gap").set_value("budget_adjusted").run()
    assert at.query_params["bd_gap"] in ("budget_adjusted", ["budget_adjusted"])


def test_english(monkeypatch, seeds):
    at = run(monkeypatch, seeds, "views/budget.py", lang="en", bd_gaps="1")
    years = table(at, "where each phase was read (document · table · line)")
    assert "initial budget" in years.columns
    gaps = table(at, "reason stated")
    assert gaps["source"].str.contains("lang=en").all()


def test_trend_of_a_department_with_several_years(monkeypatch):
    data = budget_data.multi_year()
    at = run(monkeypatch, data, "views/budget.py", dept="jiangsu-shengweibangongting", bd_changes="1", bd_class="1")
    assert any("各阶段总额的年度变化" in s for s in chart_titles(at))
    changes = table(at, "本年度总额（万元）")
    assert changes["年度"].tolist() == ["2017 → 2018", "2018 → 2019"]
    years = table(at, "各阶段来源（文档 · 表 · 行）")
    assert years["年初预算（万元）"].tolist() == ["20,849.45", "24,458.43", "27,664.22"]
    # the 类→款→项 picker opens on a file that prints classified rows
    assert not any("没有按功能分类" in i.value for i in at.info)
    overview = run(monkeypatch, data, ov_trend="1")
    assert any("各阶段总额的年度变化" in s for s in chart_titles(overview))


def test_a_disclosures_files_told_apart_in_the_picker():
    import pandas as pd

    from dashboard.budget import distinct_names

    docs = pd.DataFrame({"doc_id": ["n", "t", "x"], "part": ["narrative", "tables", "whole"]})
    names = {"n": "省委办公厅 · 预算 2017", "t": "省委办公厅 · 预算 2017", "x": "汉阳区 · 决算 2023"}
    assert distinct_names(names, docs) == {"n": "省委办公厅 · 预算 2017（说明）", "t": "省委办公厅 · 预算 2017（公开表）",
                                           "x": "汉阳区 · 决算 2023"}
    assert distinct_names(names, docs, "en")["t"] == "省委办公厅 · 预算 2017 (tables)"
