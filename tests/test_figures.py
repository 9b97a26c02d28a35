"""Unit tests of the dashboard's pure builders (no Streamlit), on synthetic schema-valid data."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard import budget as bd
from dashboard import indicators as ic
from dashboard import overview as ov
from dashboard import projects as pj
from dashboard import sangong as sg
from dashboard import sources as src
from dashboard.common import Filters, entity_colors, entity_labels, png_config, sources_note
from dashboard.fmt import fmt_pct, fmt_wan
from dashboard.labels import MEASURE, label
from dashboard.tables import display
from tests.dash_synthetic import frames as synthetic


@pytest.fixture(scope="module")
def fr() -> dict[str, pd.DataFrame]:
    return synthetic()


@pytest.fixture(scope="module")
def labels(fr):
    return entity_labels(fr["documents"])


def trace_measures(fig) -> list[str]:
    return [tr.name for tr in fig.data]


# ---- formatting and shared helpers ---------------------------------------------------------


def test_fmt_wan_separators_and_not_disclosed():
    assert fmt_wan(1234567.891) == "1,234,567.89 万元"
    assert fmt_wan(None) == "未披露"
    assert fmt_wan(float("nan")) == "未披露"
    assert fmt_wan(0.0) == "0.00 万元"  # a printed zero stays a zero
    assert fmt_wan(None, "en") == "not disclosed"
    assert fmt_pct(0.9941) == "99.4%" and fmt_pct(None) == "未披露"


def test_entity_colors_stable_and_distinct(fr):
    docs = fr["documents"]
    c1 = entity_colors(docs)
    c2 = entity_colors(docs.sample(frac=1, random_state=1))
    assert c1 == c2 and len(set(c1.values())) == len(c1)


def test_filters_apply(fr):
    f = Filters(entities=("hanyang",), years=(2023,))
    out = f.apply(fr["budget_lines"])
    assert set(out["entity_id"]) == {"hanyang"}
    assert len(Filters().apply(fr["budget_lines"])) == len(fr["budget_lines"])
    assert Filters(doc_kinds=("budget",)).apply(fr["sangong"])["entity_id"].unique().tolist() == ["handan"]


def test_sources_note_names_kind_and_year(fr, labels):
    note = sources_note(fr["sangong"], labels)
    assert "汉阳区 · 决算 2023" in note and "邯郸市 · 预算 2022" in note


def test_png_config_has_filename():
    assert png_config("x")["toImageButtonOptions"] == {"format": "png", "filename": "x", "scale": 2}


def test_display_shows_not_disclosed(fr, labels):
    wide = bd.totals_wide(bd.phase_totals(fr["budget_lines"]))
    shown = display(wide, ["source", "budget_initial", "actual", "execution_rate"], labels)
    row = shown[shown["来源文档"] == "邯郸市 · 预算 2022"].iloc[0]
    # A budget document cannot print spending: not applicable, not "withheld".
    assert row["决算（万元）"] == "不适用（预算文件）" and row["执行率"] == "不适用（预算文件）"
    assert row["年初预算（万元）"] == "3,000.00"
    final = shown[shown["来源文档"].str.contains("决算")]
    assert not final.empty and "不适用（预算文件）" not in set(final["决算（万元）"])


# ---- 预算与决算 -----------------------------------------------------------------------------


def test_phase_totals_printed_totals_only(fr):
    totals = bd.phase_totals(fr["budget_lines"])
    hy = totals[totals["doc_id"] == "d_hy"].set_index("measure")["amount"]
    assert hy["actual"] == 1000.0 and hy["budget_adjusted"] == pytest.approx(1100.0)
    # Hanyang prints an initial budget for one 类 only, no total: 未披露, not a sum, not zero.
    assert "budget_initial" not in hy
    wide = bd.totals_wide(totals).set_index("doc_id")
    assert math.isnan(wide.loc["d_hd", "actual"])
    assert wide.loc["d_hy", "execution_rate"] == pytest.approx(1000 / 1100)


def test_phase_figure_one_phase_per_trace(fr, labels):
    fig = bd.phase_figure(bd.phase_totals(fr["budget_lines"]), labels)
    names = trace_measures(fig)
    assert names == [label(MEASURE, m) for m in ("budget_initial", "budget_adjusted", "actual")]
    actual = next(t for t in fig.data if t.name == label(MEASURE, "actual"))
    # the budget document contributes no actual bar
    assert not any("预算 2022" in x for x in actual.x)
    assert all(" · " in x and ("决算" in x or "预算" in x) for t in fig.data for x in t.x)
    budget = next(t for t in fig.data if t.name == label(MEASURE, "budget_initial"))
    assert budget.marker.pattern.shape == "/" and actual.marker.pattern.shape == ""


def test_classification_tree_parents(fr):
    tree = bd.classification(fr["budget_lines"], "d_hy", "actual").set_index("code")
    assert tree.loc["22101", "parent"] == "221" and tree.loc["2210108", "parent"] == "22101"
    assert tree.loc["221", "parent"] == ""
    fig = bd.classification_figure(tree.reset_index(), "note")
    assert fig.data[0].type == "icicle" and "note" in fig.layout.title.text


def test_gaps_same_document_only(fr):
    gap = bd.gaps(fr["budget_lines"], "budget_adjusted", "actual")
    assert set(gap["doc_id"]) == {"d_hy"}
    assert gap["difference"].abs().is_monotonic_decreasing
    adj = bd.gaps(fr["budget_lines"], "budget_initial", "budget_adjusted")
    assert adj["code"].tolist() == ["208"] and adj["difference"].iloc[0] == pytest.approx(20.0)


def test_budget_builders_empty():
    empty = synthetic()["budget_lines"].head(0)
    assert bd.phase_totals(empty).empty
    assert bd.totals_wide(bd.phase_totals(empty)).empty
    assert bd.gaps(empty).empty
    assert len(bd.phase_figure(bd.phase_totals(empty), {}).data) == 0


# ---- 三公 ----------------------------------------------------------------------------------


def test_sangong_wide_change_and_per_staff(fr):
    wide = sg.sangong_wide(fr["sangong"], fr["documents"])
    hy = wide[(wide["doc_id"] == "d_hy") & (wide["item"] == "total")].iloc[0]
    assert hy["change"] == pytest.approx(2.11 - 3.0)
    assert hy["actual_per_staff"] == pytest.approx(2.11 / 51)
    ur = wide[(wide["doc_id"] == "d_ur") & (wide["item"] == "total")].iloc[0]
    assert math.isnan(ur["change"]) and math.isnan(ur["actual_per_staff"])  # not disclosed
    hd = wide[(wide["doc_id"] == "d_hd")].iloc[0]
    assert math.isnan(hd["actual"])


def test_sangong_item_figure_phases_separate(fr, labels):
    fig = sg.item_figure(fr["sangong"], "total", labels)
    for trace in fig.data:
        assert trace.name in {label(MEASURE, m) for m in sg.SHOWN}
    actual = next(t for t in fig.data if t.name == label(MEASURE, "actual"))
    assert "邯郸市 · 预算 2022" not in list(actual.x)
    assert "数据来源" in fig.layout.title.text


def test_sangong_breakdown_and_counts(fr, labels):
    colors = entity_colors(fr["documents"])
    fig = sg.breakdown_figure(fr["sangong"], "actual", labels, colors)
    assert {t.marker.color for t in fig.data} <= set(colors.values())
    assert all("合计" not in x for t in fig.data for x in t.x)
    cfig = sg.counts_figure(fr["sangong_counts"], labels)
    assert list(cfig.data[0].y) == [2.0]
    assert sg.counts_wide(fr["sangong_counts"].head(0)).empty


# ---- 项目 ----------------------------------------------------------------------------------


def test_flagged_thresholds(fr):
    out = pj.flagged(fr["projects"], 0.9, 1.0)
    assert set(out["project"]) == {"棚户区改造", "保障房运营"}
    assert "未披露执行项目" not in set(out["project"])  # no rate: not flagged, not zero
    assert set(pj.flagged(fr["projects"], 0.5, 2.0)["project"]) == set()


def test_project_figures(fr, labels):
    colors = entity_colors(fr["documents"])
    fig = pj.rate_figure(fr["projects"], labels, colors, 0.9, 1.0)
    assert len(fig.data) == 1 and len(fig.layout.shapes) == 1  # one trace for every point; the band shaded
    sc = pj.scatter_figure(fr["projects"], labels, colors)
    assert sc.layout.xaxis.type == "log" and sc.layout.yaxis.type == "log"
    assert sum(len(t.x) for t in sc.data if t.name != "100%") == 4


# ---- 绩效 ----------------------------------------------------------------------------------


def test_indicator_heatmap_blank_when_not_numeric(fr, labels):
    fig = ic.heatmap_figure(fr["indicators"], labels)
    hm = fig.data[0]
    z = pd.DataFrame(hm.z, index=hm.y, columns=hm.x)
    assert math.isnan(z.loc["岳阳市 · 棚户区改造", "社会效益"])  # not disclosed: blank, not 0
    assert "岳阳市 · 公租房维修" not in z.index  # no numeric completion at all
    assert z.loc["岳阳市 · 棚户区改造", "数量指标"] == pytest.approx(0.8)


def test_points_lost_and_missed(fr, labels):
    lost = ic.points_lost(fr["indicators"])
    assert lost["lost"].tolist() == [2.0, 1.0, 1.0]
    fig = ic.points_lost_figure(lost, labels, entity_colors(fr["documents"]))
    assert fig.data[0].orientation == "h"
    miss = ic.missed(fr["indicators"])
    assert set(miss["name"]) == {"改造户数", "满意度", "保障户数"}
    assert "拆迁未完成" in set(miss["deviation_note"])


def test_department_scores(fr):
    scores = ic.department_scores(fr["indicators"], fr["projects"]).set_index("doc_id")
    # the whole-department self-evaluation as printed, beside the indicator sums
    assert scores.loc["d_yy", "score"] == 92.0 and scores.loc["d_yy", "max_score"] == 100.0
    assert scores.loc["d_yy", "execution_rate"] == pytest.approx(0.85)
    assert scores.loc["d_yy", "indicator_score"] == 29.0 and scores.loc["d_yy", "indicator_weight"] == 30.0
    assert scores.loc["d_yy", "n_projects_scored"] == 3  # the department row is not a project
    # a document printing no whole-department score: 未披露, never zero
    no_whole = ic.department_scores(fr["indicators"], fr["projects"][fr["projects"]["scope"] == "project"])
    shown = display(no_whole, ["score", "max_score"], {})
    assert (shown == "未披露").all().all()


def test_project_charts_exclude_department_rows(fr, labels):
    whole = pj.department_rows(fr["projects"])
    assert list(whole["project"]) == ["部门整体支出"]
    fig = pj.rate_figure(fr["projects"], labels, entity_colors(fr["documents"]), 0.9, 1.0)
    assert all("部门整体支出" not in list(tr.text) for tr in fig.data if tr.text is not None)
    scatter = pj.scatter_figure(fr["projects"], labels, entity_colors(fr["documents"]))
    assert all("部门整体支出" not in list(tr.text) for tr in scatter.data if tr.text is not None)


# ---- 总览 ----------------------------------------------------------------------------------


def test_coverage_matrix(fr, labels):
    cov = ov.coverage(fr, labels)
    assert cov.loc["岳阳市", "预算与决算"] == "未披露"
    assert cov.loc["汉阳区", "预算与决算"] == "决算 2023"
    assert cov.loc["邯郸市", "三公经费"] == "预算 2022"


def test_headline_rows(fr, labels):
    head = ov.headline(fr).set_index("entity_id")
    assert head.loc["hanyang", "actual"] == 1000.0
    assert math.isnan(head.loc["handan", "actual"])  # a budget has no actuals
    assert head.loc["urumqi", "sangong_actual"] == 12.0
    # a self-evaluation without a printed total: its whole-department row, marked as partial
    assert head.loc["yueyang", "actual"] == 850.0 and head.loc["yueyang", "basis"] == "performance_self_eval"
    shown = ov.headline_display(ov.headline(fr), labels).set_index("部门")
    assert shown.loc["邯郸市", "决算（万元）"] == "不适用（预算文件）"
    assert shown.loc["岳阳市", "覆盖范围"].startswith("部分支出")
    assert shown.loc["汉阳区", "年初预算（万元）"] == "未披露"


def test_headline_one_line_per_document():
    lines = pd.DataFrame([
        {"doc_id": "d", "entity_id": "e", "year": 2023, "doc_kind": "final_accounts", "table": "narrative",
         "code": None, "item": item, "level": 0, "breakdown": "total", "measure": m, "amount": a, "source_ref": r}
        for item, m, a, r in [("支出总计", "actual", 700.0, "L1"), ("本年支出合计", "actual", 650.0, "L2"),
                              ("一般公共预算财政拨款支出", "budget_initial", 10.0, "L3"),
                              ("一般公共预算财政拨款支出", "actual", 500.0, "L3")]
    ])
    totals = bd.phase_totals(lines)
    # phases from one line (本年支出合计, not 总计 with balances), never a budget from another line
    assert list(totals["item"]) == ["本年支出合计"] and list(totals["measure"]) == ["actual"]


def test_caveats(fr, labels):
    text = " ".join(ov.caveats(fr, labels))
    assert "2022" in text and "邯郸市" in text and "岳阳市" in text


# ---- sources -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "ref,expected",
    [("L123", (None, 123)), ("p3:L12", (3, 12)), ("p3", (3, None)), ("x", (None, None)), (None, (None, None))],
)
def test_parse_ref(ref, expected):
    assert src.parse_ref(ref) == expected


def test_window_highlights_line():
    lines = pd.DataFrame({"page": [None] * 50, "line": range(1, 51), "text": [f"t{i}" for i in range(1, 51)]})
    w = src.window(lines, "L25", 3)
    assert w["line"].tolist() == list(range(22, 29)) and w.loc[w["hit"], "line"].tolist() == [25]
    assert src.window(lines, "L99", 3).empty
    paged = pd.DataFrame({"page": [1, 1, 2, 2], "line": [1, 2, 1, 2], "text": list("abcd")})
    w = src.window(paged, "p2:L1", 5)
    assert w.loc[w["hit"], "text"].tolist() == ["c"]


def test_source_url_and_checks_order(fr):
    assert src.source_url("d1", "p3:L12") == "sources?doc=d1&ref=p3:L12"
    ordered = src.checks_sorted(fr["checks"])
    assert ordered["status"].tolist()[0] == "fail"


def test_completion_grid_drops_non_numeric(fr, labels):
    ind = fr["indicators"]
    grid = ic.completion_grid(ind[ind["completion"].isna()], labels)
    assert grid.empty
    assert not ic.completion_grid(ind, labels).empty


def test_display_blank_text_not_none(fr, labels):
    shown = display(fr["projects"], ["project", "deviation_note"], labels)
    assert "None" not in shown.to_csv() and "nan" not in shown.to_csv()


# ---- figures that failed a check ---------------------------------------------------------------


def test_mark_and_flag_columns(fr, labels):
    from dashboard import flags

    marked = flags.mark(fr["projects"], fr["checks"])
    row = marked.set_index("project").loc["棚户区改造"]
    assert row[flags.FLAG] == "PERF-TOTAL"  # doc_id + source_ref of a failing check
    assert (marked.set_index("project").loc["公租房维修", flags.FLAG]) == ""  # a warning does not mark
    shown = flags.with_flag_columns(display(marked, ["project"], labels), marked)
    assert "⚠ PERF-TOTAL" in set(shown["⚠ 核查"])
    links = shown["核查页"].dropna()
    assert [x for x in links if x] == ["audit?dept=yueyang&kind=performance_self_eval"]
    fig = pj.rate_figure(marked, labels, entity_colors(fr["documents"]), 0.9, 1.0)
    rings = [tr for tr in fig.data if tr.name == "⚠ 核查未通过"]
    assert len(rings) == 1 and list(rings[0].x) == [0.8]  # rates on x (a strip per department)


def test_bars_outlined_where_check_failed(fr, labels):
    from dashboard import flags

    totals = flags.mark(bd.phase_totals(fr["budget_lines"]), fr["checks"].assign(source_ref="L10"))
    fig = bd.phase_figure(totals, labels)
    actual = next(t for t in fig.data if t.name == label(MEASURE, "actual"))
    assert flags.OUTLINE in actual.marker.line.color
    unmarked = bd.phase_figure(bd.phase_totals(fr["budget_lines"]), labels)
    assert all(t.marker.line.color is None for t in unmarked.data)


def test_phase_totals_prefer_the_line_that_states_budget_and_actual() -> None:
    # Regression: 汉阳's tables print only the 决算 合计, while its report states 年初/调整/执行
    # on one line ("年初部门预算数为…，调整预算数为…，预算执行数…"); the chart must tell that story.
    keys = {"doc_id": "d", "entity_id": "e", "year": 2023, "doc_kind": "final_accounts", "code": None,
            "level": 0, "breakdown": "total", "unit_as_printed": "万元"}
    lines = pd.DataFrame([
        {**keys, "table": "支出决算表", "item": "合计", "measure": "actual", "amount": 500.0, "source_ref": "L10"},
        {**keys, "table": "narrative", "item": "部门预算", "measure": "budget_initial", "amount": 200.0,
         "source_ref": "L90"},
        {**keys, "table": "narrative", "item": "部门预算", "measure": "budget_adjusted", "amount": 500.0,
         "source_ref": "L90"},
        {**keys, "table": "narrative", "item": "部门预算", "measure": "actual", "amount": 500.0, "source_ref": "L90"},
    ])
    totals = bd.phase_totals(lines)
    # each phase from its own best line (dashboard/totals.py): the 决算 from the expenditure table
    assert dict(zip(totals["measure"], totals["source_ref"], strict=True)) == {
        "budget_initial": "L90", "budget_adjusted": "L90", "actual": "L10"}
    assert dict(zip(totals["measure"], totals["amount"], strict=True)) == {
        "budget_initial": 200.0, "budget_adjusted": 500.0, "actual": 500.0}


def test_coverage_project_execution_needs_an_actual() -> None:
    # Regression: 邯郸's budget lists its projects (targets only); that is no execution data.
    keys = {"doc_id": "d", "entity_id": "e", "year": 2022, "doc_kind": "budget", "source_ref": "L1"}
    frames = {name: pd.DataFrame(columns=["entity_id", "doc_kind", "year"]) for name in
              ("budget_lines", "sangong", "projects", "indicators")}
    frames["documents"] = pd.DataFrame([{**keys}])
    frames["projects"] = pd.DataFrame([{**keys, "project": "p", "actual": float("nan")}])
    cov = ov.coverage(frames, {"e": "E"})
    assert cov.loc["E", "项目执行"] == "未披露"


def test_window_pages_on_and_keeps_the_hit():
    lines = pd.DataFrame({"page": [None] * 100, "line": range(1, 101), "text": [f"t{i}" for i in range(1, 101)]})
    w = src.window(lines, "L50", 15)
    assert w["line"].tolist() == list(range(35, 66)) and w.loc[w["hit"], "line"].tolist() == [50]
    later = src.window(lines, "L50", 15, shift=31)
    assert later["line"].tolist()[0] == 66 and not later["hit"].any()
    assert src.window(lines, "L50", 15, shift=500)["line"].tolist()[-1] == 100  # stops at the end
    assert src.window(lines, "L2", 15)["line"].tolist()[0] == 1  # …and at the start
    assert src.window(lines, None, 15)["line"].tolist() == list(range(1, 32))
    assert src.span_text(w, 100) == "L35 – L65（全文 100 行）"


def test_window_runs_across_pages():
    paged = pd.DataFrame({"page": [1] * 3 + [2] * 3, "line": [1, 2, 3] * 2, "text": list("abcdef")})
    w = src.window(paged, "p2:L1", 1)
    assert w["text"].tolist() == ["c", "d", "e"] and w.loc[w["hit"], "text"].tolist() == ["d"]
    assert src.window(paged, "p2", 1)["text"].tolist()[0] == "d" and not src.window(paged, "p2", 1)["hit"].any()
    assert src.window(paged, "p9:L1", 1).empty
    assert "p2:L1" in src.window_html(w)


def test_window_html_marks_the_hit_and_escapes():
    lines = pd.DataFrame({"page": [None] * 3, "line": [1, 2, 3], "text": ["<b>x</b>", "合计\t100.00\t\t", "y"]})
    html = src.window_html(src.window(lines, "L2", 1))
    assert html.count("▶") == 1 and "▶ L2" in html and "#fff3b0" in html
    assert "&lt;b&gt;" in html and "<b>x" not in html
    assert "合计 │ 100.00<" in html  # cells split, empty trailing cells dropped


def test_documents_tables_named():
    from dashboard import doc_tables as dt
    from dashboard.documents import DocumentStatus

    docs = [DocumentStatus("a.txt", "loaded", "", "甲局", 2023, "final_accounts"),
            DocumentStatus("b.pdf", "failed", "无法识别年度")]
    zh = dt.collection_table(docs)
    assert zh.columns.tolist() == ["文件", "状态", "单位", "年度", "文档类型", "原因"]
    assert zh["状态"].tolist() == ["已载入", "载入失败"] and zh["文档类型"].tolist() == ["决算", ""]
    assert dt.collection_table(docs, "en")["document kind"].tolist() == ["final accounts", ""]
    assert dt.rows_table({"budget_lines": 3}, "zh").iloc[0].tolist() == ["预算决算表行", 3]


def test_display_names_measures_and_narrative():
    df = pd.DataFrame({"measure": ["actual", "budget_initial"], "table": ["narrative", "收入支出决算总表"],
                       "breakdown": ["basic", "total"]})
    out = display(df, ["measure", "table", "breakdown"], {}, "zh")
    assert out["口径"].tolist() == ["决算", "年初预算"]
    assert out["表"].tolist() == ["文字说明", "收入支出决算总表"] and out["栏目"].tolist() == ["基本支出", "合计"]


# ---- prior years stated as a change (stated_changes, origin "derived") ---------------------


def _derived(fr, name="sangong"):
    df = fr[name]
    return df[df["origin"] == "derived"]


def test_sangong_wide_takes_derived_prior_year_with_its_mark(fr):
    wide = sg.sangong_wide(fr["sangong"], fr["documents"], _derived(fr), fr["stated_changes"])
    row = wide.set_index(["doc_id", "item"])
    ur = row.loc[("d_ur", "total")]
    assert ur["prior_year_actual"] == pytest.approx(15.0) and ur["prior_year_actual_derived"]
    assert ur["change"] == pytest.approx(-3.0) and ur["change_stated"]
    assert ur["change_pct"] == pytest.approx(-0.2) and ur["change_pct_stated"] and ur["change_ref"] == "L40"
    # "与上年持平": a stated zero is a 0, shown as such, not 未披露
    rec = row.loc[("d_ur", "official_reception")]
    assert rec["change"] == 0.0 and rec["change_stated"] and rec["prior_year_actual"] == 2.0
    # printed prior year: the difference of two printed figures, not marked
    hy = row.loc[("d_hy", "total")]
    assert not hy["prior_year_actual_derived"] and not hy["change_stated"]
    assert hy["change"] == pytest.approx(2.11 - 3.0) and hy["change_against"] == "prior_year_actual"
    # a budget compares with the prior-year budget, never with an actual; no % stated → none
    hd = row.loc[("d_hd", "total")]
    assert hd["prior_year_budget"] == pytest.approx(7.5) and hd["prior_year_budget_derived"]
    assert math.isnan(hd["prior_year_actual"]) and not hd["prior_year_actual_derived"]
    assert hd["change"] == pytest.approx(0.5) and math.isnan(hd["change_pct"])
    assert (hd["change_measure"], hd["change_against"]) == ("budget_initial", "prior_year_budget")
    # neither printed nor stated: 未披露 as before
    ur_hy = row.loc[("d_hy", "vehicle_operation")]
    assert math.isnan(ur_hy["prior_year_actual"]) and math.isnan(ur_hy["change"])


def test_sangong_builders_never_take_derived_rows_as_printed(fr, labels):
    wide = sg.sangong_wide(fr["sangong"], fr["documents"])  # derived rows inside, not passed apart
    ur = wide[(wide["doc_id"] == "d_ur") & (wide["item"] == "total")].iloc[0]
    assert math.isnan(ur["prior_year_actual"]) and not ur["prior_year_actual_derived"]
    fig = sg.breakdown_figure(fr["sangong"], "prior_year_actual", labels, entity_colors(fr["documents"]))
    assert all("乌鲁木齐市" not in t.name for t in fig.data)


def test_sangong_detail_table_marks_derived_and_stated(fr, labels):
    wide = sg.sangong_wide(fr["sangong"], fr["documents"], _derived(fr), fr["stated_changes"])
    for lang, derived, stated in (("zh", "15.00（推算）", "-3.00（文中所述）"), ("en", "15.00 (derived)", "-3.00 (stated)")):
        table = sg.detail_table(wide, labels, lang)
        src = "来源文档" if lang == "zh" else "document"
        ur = table[table[src].str.startswith("乌鲁木齐市")].iloc[0]
        assert derived in set(ur) and stated in set(ur)
        assert ur[sg.CHANGE_SOURCE[lang]] == "sources?doc=d_ur&ref=L40" + ("&lang=en" if lang == "en" else "")
        hy = table[table[src].str.startswith("汉阳区")].iloc[0]
        assert "3.00" in set(hy) and "-0.89" in set(hy)  # printed: no mark
        assert not any(("推算" in str(v) or "derived" in str(v)) for v in hy)
        assert pd.isna(hy[sg.CHANGE_SOURCE[lang]])
    zh = sg.detail_table(wide, labels, "zh")
    assert "0.00（文中所述）" in set(zh.iloc[:, 7])  # the stated zero of 公务接待费
    assert set(zh[sg.CHANGE_BASIS["zh"]]) >= {"文中所述：决算 比 上年决算", "两数之差：决算 − 上年决算",
                                              "文中所述：年初预算 比 上年预算"}
    en = sg.detail_table(wide, labels, "en")
    assert not (set(en.astype(str).to_numpy().ravel()) & {"prior_year_actual", "budget_initial", "derived"})


def test_sangong_item_figure_derived_trace_apart(fr, labels):
    fig = sg.item_figure(fr["sangong"], "total", labels, "zh", _derived(fr), fr["stated_changes"])
    printed = next(t for t in fig.data if t.name == label(MEASURE, "prior_year_actual"))
    assert "乌鲁木齐市 · 决算 2023" not in list(printed.x)
    derived = next(t for t in fig.data if t.name == "上年决算（推算）")
    assert list(derived.x) == ["乌鲁木齐市 · 决算 2023"] and list(derived.y) == [15.0]
    assert derived.marker.pattern.shape == "x" and derived.marker.opacity < 1
    assert "-3.00" in derived.customdata[0][0] and "L40" in derived.customdata[0][0]
    budget = next(t for t in fig.data if t.name == "上年预算（推算）")  # a budget's prior year: its own trace
    assert list(budget.x) == ["邯郸市 · 预算 2022"]
    en = sg.item_figure(fr["sangong"], "total", labels, "en", _derived(fr), fr["stated_changes"])
    assert "prior-year actual (derived)" in {t.name for t in en.data}


def test_sangong_stated_table(fr, labels):
    table = sg.stated_table(fr["stated_changes"], labels)
    assert len(table) == 3  # the budget_lines change is not a 三公 one
    ur = table[table["项目"] == "三公经费合计"].set_index("来源文档")
    assert ur.loc["乌鲁木齐市 · 决算 2023", "变动（%）"] == "-20.00%"
    assert ur.loc["邯郸市 · 预算 2022", "变动（%）"] == "未披露"
    assert ur.loc["邯郸市 · 预算 2022", "原文"] == "sources?doc=d_hd&ref=L7"
    assert sg.stated_table(fr["stated_changes"].head(0), labels).empty


def test_read_all_keeps_derived_rows_apart(tmp_path):
    from dashboard.data import read_all
    from tests import dash_synthetic

    ds = read_all(dash_synthetic.write(tmp_path))
    assert not (ds["sangong"]["origin"] == "derived").any()
    assert not (ds["budget_lines"]["origin"] == "derived").any()
    assert len(ds.derived("sangong")) == 3 and len(ds.derived("budget_lines")) == 1
    assert ds.derived("projects").empty


def test_budget_year_on_year_lines(fr, labels):
    lines = fr["budget_lines"]
    rows = bd.year_on_year_lines(fr["stated_changes"], lines, lines[lines["origin"] == "derived"])
    assert len(rows) == 1  # the 三公 changes are not budget_lines ones
    hy = rows.iloc[0]
    assert hy["prior"] == pytest.approx(900.0) and hy["prior_derived"]
    assert hy["change_amount"] == pytest.approx(100.0) and hy["against"] == "prior_year_actual"
    shown = bd.year_on_year_display(rows, labels)
    assert list(shown.iloc[0][["上年（万元）", "变动（万元）", "变动（%）", "原文"]]) == [
        "900.00（推算）", "100.00（文中所述）", "11.11%（文中所述）", "sources?doc=d_hy&ref=L10"]
    # the prior year printed by the document wins, unmarked
    printed = pd.concat([lines, lines[lines["origin"] == "derived"].assign(origin="table", amount=901.0)])
    again = bd.year_on_year_lines(fr["stated_changes"], printed)
    assert again.iloc[0]["prior"] == 901.0 and not again.iloc[0]["prior_derived"]
    # derived rows among the lines are found, and never taken as printed
    inside = bd.year_on_year_lines(fr["stated_changes"], lines)
    assert inside.iloc[0]["prior_derived"]
    en = bd.year_on_year_display(rows, labels, "en")
    assert en.iloc[0]["prior year"] == "900.00 (derived)" and en.iloc[0]["measure"] == "actual / prior-year actual"
    assert bd.year_on_year_lines(fr["stated_changes"].head(0), lines).empty
    assert bd.phase_totals(lines)["measure"].isin(("budget_initial", "budget_adjusted", "actual")).all()
