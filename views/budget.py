"""预算与决算: totals by phase, 类→款→项 drill-down, largest gaps, budget adjustments."""

import streamlit as st

from dashboard import budget as bd
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

checks = f.apply(ds["checks"])
totals = mark(bd.phase_totals(lines), checks)
st.subheader(t("各部门支出总额（按阶段）", "Total spending by phase"))
if totals.empty:
    ui.show_empty(t("文档未印出支出合计行。", "The documents print no total row."))
else:
    ui.show_chart(bd.phase_figure(totals, f.labels, f.lang), "budget-phases")
    wide = bd.totals_wide(totals)
    ui.show_table(display(wide, ["source", "table", "item", *PHASES, "execution_rate"], f.labels, f.lang), "budget-phases")

yoy = bd.year_on_year_lines(f.apply(ds["stated_changes"]), lines, f.apply(ds.derived("budget_lines")))
if not yoy.empty:
    st.subheader(t("较上年：文中所述的变动", "Change on the prior year, as stated in the text"))
    st.caption(t("文档未印出上年数、只用文字说明变动的，上年数 = 本年数 − 所述变动，标“推算”；印出上年数的照印出数显示。",
                 "Where the document states the change in words but does not print the prior-year figure, that "
                 "figure is current − stated change and marked 'derived'; a printed prior-year figure is shown as printed."))
    ui.show_table(bd.year_on_year_display(yoy, f.labels, f.lang), "budget-year-on-year",
                  column_config=ui.link_config())

st.subheader(t("功能分类：类 → 款 → 项", "Function classification"))
docs = lines[["doc_id", "entity_id", "doc_kind", "year"]].drop_duplicates()
names = doc_names(docs, f.labels, f.lang)
c1, c2 = st.columns(2)
doc_id = c1.selectbox(t("文档", "Document"), list(names), format_func=names.get, key="bd_doc")
doc_lines = lines[lines["doc_id"] == doc_id]
measures = [m for m in PHASES if m in set(doc_lines["measure"])]
if not measures:
    ui.show_empty(t("该文档没有分阶段的分类数。", "This document has no classified figures."))
else:
    rows_per = doc_lines[doc_lines["level"].isin([1, 2, 3])]["measure"].value_counts()
    measure = c2.radio(t("口径", "Phase"), measures, format_func=lambda m: label(MEASURE, m, f.lang),
                       index=measures.index(max(measures, key=lambda m: rows_per.get(m, 0))),
                       horizontal=True, key="bd_measure")
    tree = mark(bd.classification(lines, doc_id, measure).assign(doc_id=doc_id), checks)
    if tree.empty:
        ui.show_empty(t("该文档没有按功能分类印出的数。", "No function-classified rows in this document."))
    else:
        note = f"{names[doc_id]} · {tree['table'].iloc[0]} · {label(MEASURE, measure, f.lang)}"
        ui.show_chart(bd.classification_figure(tree, note, f.lang), "budget-classification")
        doc = doc_lines.iloc[0]
        ui.show_flagged_table(display(tree, ["code", "item", "level", "amount", "source_ref"], f.labels, f.lang),
                              tree.assign(entity_id=doc["entity_id"], doc_kind=doc["doc_kind"]),
                              "budget-classification")

st.subheader(t("预算与决算差距最大的科目", "Largest gaps between budget and actual"))
gap = bd.gaps(lines, "budget_adjusted", "actual")
st.caption(t("仅比较同一文档同时印出调整预算与决算的科目。", "Only rows where one document prints both."))
ui.show_table(display(gap.head(50), ["source", "table", "code", "item", "budget_adjusted", "actual", "difference",
                                     "ratio"], f.labels, f.lang), "budget-gaps",
              empty=t("没有同时披露调整预算与决算的科目。", "No row discloses both adjusted budget and actual."))

st.subheader(t("预算调整（调整预算 vs 年初预算）", "Budget adjustments (adjusted vs initial)"))
adj = bd.gaps(lines, "budget_initial", "budget_adjusted")
ui.show_table(display(adj.head(50), ["source", "table", "code", "item", "budget_initial", "budget_adjusted",
                                     "difference", "ratio"], f.labels, f.lang), "budget-adjustments",
              empty=t("没有同时披露年初预算与调整预算的科目。", "No row discloses both initial and adjusted budget."))
