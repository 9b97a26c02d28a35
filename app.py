"""Entry point: language switch, navigation over all pages, and the 总览 (overview) page."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard import export_panel, ui
from dashboard import overview as ov
from dashboard import trends as tr
from dashboard.data import data_dir
from dashboard.flags import mark

HERE = Path(__file__).resolve().parent

st.set_page_config(page_title="预算公开数据看板", layout="wide")
ui.language_switch()
t = ui.t


def overview_page() -> None:
    st.title(t("总览", "Overview"))
    ds = ui.load_datasets()
    if ds.empty:
        ui.show_empty(ui.no_datasets_text())
        return
    f = ui.sidebar_filters(ds)
    frames = ui.filtered(ds, f)
    if frames["documents"].empty:
        ui.show_empty(t("当前筛选下没有文档。", "No documents match the current selection."))
        return
    for note in ov.caveats(frames, f.labels, f.lang):
        st.warning(note)
    st.subheader(t("披露情况：部门 × 主题", "Coverage: department × theme"))
    st.caption(t("单元格为提供数据的文档类型与年度；未披露表示这些文档中没有该项数据。",
                 "Cells name the document kind and year with data; 'not disclosed' means none."))
    sel = ds.narrowed(f)  # results kept per store and selection (ui.cached)
    cov = ui.cached(sel, f, ov.coverage, frames, f.labels, f.lang).reset_index()
    ui.show_table(cov, "coverage")
    st.subheader(t("部门要点", "Headline figures per department"))
    st.caption(t("每个部门最近一个年度的各阶段总额，与“预算与决算”页同一定义、同一行：年初预算取自预算文件，调整预算与决算"
                 "取自决算文件；执行率 = 决算 / 调整预算。预算文件没有决算数；绩效自评只覆盖被评价的资金。",
                 "Each department's totals by phase for its latest year, the same definition and lines as the "
                 "Budget page: initial budget from the budget document, adjusted budget and actual from the final "
                 "accounts; rate = actual / adjusted budget. A budget has no actual; a self-evaluation covers "
                 "only the funds evaluated."))
    totals = ui.cached(sel, f, ov.totals_summary, frames)
    head = ui.cached(sel, f, lambda: mark(ov.headline(frames, totals), frames["checks"]))
    ui.show_flagged_table(ov.headline_display(head, f.labels, f.lang), head, "headline",
                          column_config=ui.link_config())
    trend = ui.cached(sel, f, lambda: ov.trend(frames, totals))
    if not trend.empty:
        # Drawn on demand: the page's answer is the two tables above (a chart costs the browser most).
        box = ui.section("多年度部门：各阶段总额的年度变化", "Departments with several years: totals by phase",
                         "ov_trend")
        if box.open:
            with box:
                ui.show_chart(ui.cached(sel, f, lambda: tr.trend_figure(trend, f.labels, f.lang)), "overview-trend")
        keep = {k: v for k in ("dept", "year", "kind", "lang") if (v := ",".join(st.query_params.get_all(k)))}
        st.page_link("views/budget.py", label=t("在“预算与决算”页查看各年度的预算与决算及其出处 →",
                                                "Budget against actual, every year, with sources →"),
                     query_params=keep)


def _page(path: str, zh: str, en: str, url: str) -> st.Page | None:
    """A file page, if the file is there.

    Page files live in views/, not pages/: where a pages/ folder exists, a fresh server runs
    its first session in Streamlit's legacy multipage mode, so a shared deep link would open
    the page file without this script (or a "Page not found" box).
    """
    if not (HERE / path).exists():
        return None
    return st.Page(path, title=t(zh, en), url_path=url)


pages = [
    st.Page(overview_page, title=t("总览", "Overview"), default=True),
    _page("views/budget.py", "预算与决算", "Budget & accounts", "budget"),
    _page("views/sangong.py", "三公经费", "Three public expenses", "sangong"),
    _page("views/projects.py", "项目执行", "Project execution", "projects"),
    _page("views/indicators.py", "绩效指标", "Performance indicators", "indicators"),
    _page("views/sources.py", "数据核查与来源", "Checks & sources", "sources"),
    _page("views/audit.py", "核查", "Audit findings", "audit"),
    _page("views/documents.py", "文档", "Documents", "documents"),
]
st.navigation([p for p in pages if p is not None]).run()
# After the page ran: the tables it showed are known, so the export panel can offer them.
export_panel.panel(data_dir())
ui.warn_unknown_params()
