"""预算与决算: each department's budget against its actual, every year; the trend per phase;
类→款→项 drill-down; the largest gaps and the budget adjustments, each with the reason stated."""

import streamlit as st

from dashboard import budget as bd
from dashboard import budget_tables as bt
from dashboard import gaps as gp
from dashboard import totals as tt
from dashboard import trends as tr
from dashboard import ui
from dashboard.common import doc_names
from dashboard.flags import mark
from dashboard.labels import MEASURE, PHASES, label
from dashboard.tables import display

t = ui.t
ds, f = ui.page("预算与决算", "Budget and final accounts")
lines = f.apply(ds["budget_lines"])
ui.stop_if_empty(lines, t("当前筛选下的文档没有披露预算或决算数。",
                          "The selected documents disclose no budget or account figures."))
docs = f.apply(ds["documents"])
checks = f.apply(ds["checks"])
tables, projects = f.apply(ds["tables"]), f.apply(ds["projects"])

# ---- the department's budget against its actual, every year (one definition of a total) ---------
yearly, wide = ui.cached(ds, f, tt.summary, lines, docs, tables, projects)
st.subheader(t("预算与决算：各部门各年度", "Budget against actual, every department and year"))
st.caption(t("每个阶段取一个印出的总额行：支出总表的合计，其次收支总表的本年支出合计，其次文字说明中的支出总额，"
             "最后部门整体绩效自评（只覆盖被评价的资金）；不取总计（含结转结余），不取财政拨款等部分。年初预算取自预算文件，"
             "调整预算与决算取自决算文件。执行率 = 决算 / 调整预算，取自文档把两者印在一起的那一行。",
             "Each phase is one printed total: the expenditure table's 合计, else the summary table's spending "
             "line, else the spending total stated in the text, else the whole-department self-evaluation (funds "
             "evaluated only); never a 总计 (it adds carry-over) nor a part (fiscal appropriation …). The initial "
             "budget comes from the budget document, adjusted budget and actual from the final accounts. "
             "Execution rate = actual / adjusted budget, from the line where the document prints both."))
if wide.empty:
    ui.show_empty(t("文档未印出支出合计行。", "The documents print no total row."))
else:
    ui.show_table(ui.cached(ds, f, bt.years_display, wide, docs, f.labels, f.lang), "budget-years")
    several = ui.cached(ds, f, lambda: tr.multi_year(tr.phase_trend(yearly, docs)))
    if not several.empty:
        st.subheader(t("年度变化（每个阶段一张图）", "Year over year, one chart per phase"))
        # Over many departments the chart draws the largest (a switch shows all).
        shown = ui.chart_departments(ui.cached(ds, f, tr.ranked_departments, several), "bd_depts",
                                     "总额最大", "with the largest totals")
        in_chart = several if shown is None else several[several["entity_id"].isin(shown)]
        ui.show_chart(ui.cached(ds, f, lambda: tr.trend_figure(in_chart, f.labels, f.lang),
                                depends=(tuple(shown or ()),)), "budget-trend")
        box = ui.section("各阶段总额的逐年变动（表）", "Year-over-year changes by phase (table)", "bd_changes")
        if box.open:
            with box:
                ui.show_table(tr.changes_display(tr.trend_changes(several), f.labels, f.lang), "budget-trend-changes",
                              empty=t("没有相邻两个年度都印出的同一阶段总额。", "No phase is printed in two years."))
    else:
        ui.show_chart(ui.cached(ds, f, lambda: bd.year_phase_figure(mark(yearly, checks), f.labels, f.lang)), "budget-phases")
        st.caption(t("所选部门的文档只覆盖一个年度：选择有多个年度文档的部门可看年度变化。",
                     "The selected departments' documents cover one year: choose one with several years for a trend."))
    box = ui.section("每个总额所取的行（可打开原文）", "The line each total was read from (opens the source)",
                     "bd_lines")
    if box.open:
        with box:
            ui.show_table(bt.provenance_display(yearly, f.labels, f.lang), "budget-total-lines",
                          column_config=ui.link_config())

# The sections below are drawn when opened (ui.section): the first view is the table and the chart above.
yoy = ui.cached(ds, f, bd.year_on_year_lines, f.apply(ds["stated_changes"]), lines, f.apply(ds.derived("budget_lines")))
if not yoy.empty and (box := ui.section("较上年：文中所述的变动", "Change on the prior year, as stated in the text",
                                        "bd_yoy")).open:
    with box:
        st.caption(t("文档未印出上年数、只用文字说明变动的，上年数 = 本年数 − 所述变动，标“推算”；印出上年数的照印出数显示。",
                     "Where the document states the change in words but does not print the prior-year figure, that "
                     "figure is current − stated change and marked 'derived'; a printed prior-year figure is shown "
                     "as printed."))
        ui.show_table(bd.year_on_year_display(yoy, f.labels, f.lang), "budget-year-on-year",
                      column_config=ui.link_config())

# ---- gaps and adjustments, with the reason each document states ------------------------------------
stated = f.apply(ds["stated_changes"])


def text_lines(doc_ids: set[str]):
    """The stored lines of the documents whose gaps are stated in prose (only those are read, cached)."""
    return ui.lines_of(doc_ids) if getattr(ds, "store", None) is not None else ds["lines"]


# The gaps and their reasons: computed once per store and selection (three pairs of phases).
def gaps_of(a: str, b: str):
    """(how many pairs, the first 50 with their reasons: the reasons of the rows shown only)."""
    def compute():
        every = gp.budget_gaps(lines, a, b, stated)
        return len(every), gp.reasons(every.head(50), text_lines)
    return ui.derived(("budget-gaps", ds.selection, a, b), compute)


reason_links = ui.link_config(t("原因出处", "reason source"))
box = ui.section("预算与决算差距最大的科目", "Largest gaps between budget and actual", "bd_gaps", inner=("bd_gap",))
if box.open:
    with box:
        compare = {"budget_initial": t("年初预算 → 决算", "initial budget → actual"),
                   "budget_adjusted": t("调整预算 → 决算", "adjusted budget → actual")}
        found = {a: gaps_of(a, "actual") for a in compare}
        default = max(compare, key=lambda a: found[a][0])
        a = ui.choice(st.radio, t("比较", "Compare"), list(compare), "bd_gap", default=default,
                      format_func=compare.get, horizontal=True)
        gap = found[a][1]
        st.caption(t("同一文档印出的两个阶段：表中按科目编码，文字说明中按科目名称（如“一般公共服务（类）年初预算为…决算为…”）。"
                     "合计行是文档自己比较的总额。原因是文中紧随其后的“主要原因是…”。",
                     "Two phases one document prints: in its tables by function code, in its text by the subject's "
                     "name. Total rows are the totals the document itself compares. The reason is the 'main reason "
                     "is …' clause the text gives beside the figures."))
        ui.show_table(bt.gaps_display(gap, a, "actual", f.labels, f.lang), "budget-gaps",
                      empty=t("没有同一文档同时印出这两个阶段的科目。", "No subject is printed in both phases by one document."),
                      column_config=reason_links)

box = ui.section("预算调整（年初预算 → 调整预算）", "Budget adjustments (initial → adjusted)", "bd_adjust")
if box.open:
    with box:
        adj = gaps_of("budget_initial", "budget_adjusted")[1]
        ui.show_table(bt.gaps_display(adj, "budget_initial", "budget_adjusted", f.labels, f.lang),
                      "budget-adjustments", column_config=reason_links,
                      empty=t("没有同一文档同时印出年初预算与调整预算的科目。", "No subject is printed with both initial and "
                              "adjusted budget by one document."))

# ---- function classification -------------------------------------------------------------------
box = ui.section("功能分类：类 → 款 → 项", "Function classification", "bd_class", inner=("bd_doc", "bd_measure"))
if box.open:
    with box:
        doc_keys = lines[["doc_id", "entity_id", "doc_kind", "year"]].drop_duplicates()
        names = bd.distinct_names(doc_names(doc_keys, f.labels, f.lang), docs, f.lang)
        coded = lines[lines["level"].isin([1, 2, 3])]["doc_id"].value_counts()
        c1, c2 = st.columns(2)
        doc_id = ui.choice(c1.selectbox, t("文档", "Document"), list(names), "bd_doc", format_func=names.get,
                           default=max(names, key=lambda d: coded.get(d, 0)), what=("文档", "document"))
        doc_lines = lines[lines["doc_id"] == doc_id]
        measures = [m for m in PHASES if m in set(doc_lines["measure"])]
        if not measures:
            ui.show_empty(t("该文档没有分阶段的分类数。", "This document has no classified figures."))
        else:
            rows_per = doc_lines[doc_lines["level"].isin([1, 2, 3])]["measure"].value_counts()
            measure = ui.choice(c2.radio, t("口径", "Phase"), measures, "bd_measure",
                                default=max(measures, key=lambda m: rows_per.get(m, 0)),
                                format_func=lambda m: label(MEASURE, m, f.lang), horizontal=True)
            tree = mark(bd.classification(lines, doc_id, measure).assign(doc_id=doc_id), checks)
            if tree.empty:
                ui.show_empty(t("该文档没有按功能分类印出的数。", "No function-classified rows in this document."))
            else:
                note = f"{names[doc_id]} · {tree['table'].iloc[0]} · {label(MEASURE, measure, f.lang)}"
                ui.show_chart(bd.classification_figure(tree, note, f.lang), "budget-classification")
                doc = doc_lines.iloc[0]
                ui.show_flagged_table(display(tree, ["code", "item", "level", "amount", "source_ref"], f.labels,
                                              f.lang),
                                      tree.assign(entity_id=doc["entity_id"], doc_kind=doc["doc_kind"]),
                                      "budget-classification")
