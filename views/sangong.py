"""三公经费: by department and item — budget vs actual vs prior year, change, per staff, vehicles."""

import streamlit as st

from dashboard import sangong as sg
from dashboard import ui
from dashboard.flags import mark
from dashboard.fmt import fmt_count
from dashboard.labels import MEASURE, SANGONG_ITEM, label
from dashboard.tables import display

t = ui.t
ds, f = ui.page("三公经费", "Three public expenses")
data = ui.cached(ds, f, lambda: mark(f.apply(ds["sangong"]), f.apply(ds["checks"])))
ui.stop_if_empty(data, t("当前筛选下的文档没有披露三公经费。", "The selected documents disclose no 三公 figures."))
colors = ui.entity_colors(ds["documents"])

derived = f.apply(ds.derived("sangong"))
stated = f.apply(ds["stated_changes"])
items = [i for i in SANGONG_ITEM if i in set(data["item"])]
item = ui.choice(st.selectbox, t("项目", "Item"), items, "sg_item", what=("三公项目", "三公 item"),
                 format_func=lambda i: label(SANGONG_ITEM, i, f.lang))
st.caption(t("印出的 0 画为 0 处的柱并标“0”；文档未印出的数在其位置上标“未披露”（不画柱）。",
             "A printed 0 is a bar at 0 labelled '0'; a figure the document does not print is marked "
             "'not disclosed' in its place (no bar)."))
# Over many departments the chart draws those spending the most on this item (a switch shows all).
shown = ui.chart_departments(ui.cached(ds, f, sg.ranked_departments, data, item), "sg_depts",
                             "该项数额最大", "with the largest figures of this item",
                             rows=ui.cached(ds, f, sg.chart_rows, data))
if shown is None:
    ui.show_chart(ui.cached(ds, f, sg.item_figure, data, item, f.labels, f.lang, derived, stated), "sangong-item")
else:
    ui.show_chart(ui.cached(ds, f, lambda: sg.item_figure(
        data[data["entity_id"].isin(shown)], item, f.labels, f.lang, derived[derived["entity_id"].isin(shown)],
        stated), depends=(item, tuple(shown))), "sangong-item")
if (derived["item"] == item).any():
    st.caption(t("交叉斜线的浅色柱为推算的上年数：文档未印出上年数，只用文字说明了变动（本年数 − 所述变动）。",
                 "Pale cross-hatched bars are derived prior-year figures: the document does not print them, "
                 "only states the change in words (current − stated change)."))

docs = f.apply(ds["documents"])
st.subheader(t("明细：预算、决算、上年与人均", "Detail: budget, actual, prior year, per staff"))
st.caption(t("较上年：文档用文字说明了变动的，取所述变动（标“文中所述”，可点“变动原文”查看原句）；否则为同一文档印出的"
             "两数之差（决算 − 上年决算，或年初预算 − 上年预算）。标“推算”的上年数 = 本年数 − 所述变动，"
             "文档并未印出。人均 = 决算 / 文档所述人数。",
             "Change: the change the document states in words where it states one (marked 'stated'; "
             "'change source' opens the sentence); else the difference of two figures printed in the same "
             "document (actual − prior-year actual, or initial budget − prior-year budget). A prior-year "
             "figure marked 'derived' = current − stated change; the document does not print it. "
             "Per staff = actual / staff count."))
wide = ui.cached(ds, f, sg.sangong_wide, data, ds["documents"], derived, stated)
ui.show_table(ui.cached(ds, f, sg.detail_table, wide, f.labels, f.lang), "sangong-detail",
              column_config=ui.link_config(sg.CHANGE_SOURCE[f.lang]))

# The sections below the first chart and the detail table are drawn when opened (ui.section).
per_measures = [m for m in ("actual", "budget_initial", "budget_adjusted") if m in set(data.loc[data["item"] == item,
                                                                                                    "measure"])]
box = ui.section("人均三公经费：与其他部门比较", "Per staff member, against the other departments", "sg_staff",
                 inner=("sg_pmeasure", "sg_focus"))
if box.open:
    with box:
        if not per_measures:
            ui.show_empty(t("所选项目没有可按人数计算的数。", "No figure of this item to divide by staff."))
        else:
            p1, p2 = st.columns(2)
            with p1:
                per_measure = ui.choice(st.radio, t("口径", "Phase"), per_measures, "sg_pmeasure", horizontal=True,
                                        what=("口径", "phase"), format_func=lambda m: label(MEASURE, m, f.lang))
            with p2:
                depts = sorted(set(docs["entity_id"]), key=lambda e: f.labels.get(e, e))
                focus = ui.choice(st.selectbox, t("突出显示的部门", "Department to compare"), ["", *depts],
                                  "sg_focus", what=("部门", "department"),
                                  format_func=lambda e: f.labels.get(e, e) if e else t("（不突出）", "(none)"))
            per = ui.cached(ds, f, sg.per_staff, data, docs, item, per_measure)
            st.caption(t("人均 = 该项数 ÷ 文档所述人数，单位元/人；未印出人数或该数的文档标“未披露”。",
                         "Per staff = the figure ÷ the staff count the document states, in CNY per person; a "
                         "document without either is marked 'not disclosed'."))
            ui.show_chart(ui.cached(ds, f, sg.per_staff_figure, per, f.labels, colors, focus or None, item,
                                    per_measure, f.lang), "sangong-per-staff")

changes = ui.cached(ds, f, sg.stated_table, stated, f.labels, f.lang)
if not changes.empty and (box := ui.section("文中所述的上年变动", "Changes stated in the text", "sg_stated")).open:
    with box:
        ui.show_table(changes, "sangong-stated", column_config=ui.link_config())

box = ui.section("分项构成", "Items", "sg_items", inner=("sg_measure",))
if box.open:
    with box:
        measures = [m for m in MEASURE if m in set(data.loc[data["item"] != "total", "measure"])]
        if not measures:
            ui.show_empty(t("文档没有印出分项数。", "No item breakdown is printed."))
        else:
            measure = ui.choice(st.radio, t("口径", "Phase"), measures, "sg_measure", horizontal=True,
                                default="actual", what=("口径", "phase"),
                                format_func=lambda m: label(MEASURE, m, f.lang))
            ui.show_chart(ui.cached(ds, f, sg.breakdown_figure, data, measure, f.labels, colors, f.lang),
                          "sangong-items")

box = ui.section("逐年变化", "By year", "sg_trend")
if box.open:
    with box:
        trend = sg.by_year(data, item)
        if trend.empty:
            ui.show_empty(t("当前筛选下没有部门在两个以上年度印出该项。",
                            "No department in the selection prints this item in two or more years."))
        else:
            st.caption(t("每个部门每个口径一条线（预算虚线、决算实线），口径不混；某年未印出则断开。",
                         "One line per department and phase (budget dashed, actual solid), phases never mixed; a "
                         "year not printed is a gap."))
            ui.show_chart(sg.trend_figure(trend, f.labels, colors, item, f.lang), "sangong-trend")

box = ui.section("公务用车与出访数量", "Vehicles, groups and persons", "sg_counts")
if box.open:
    with box:
        counts = f.apply(ds["sangong_counts"])
        if counts.empty:
            ui.show_empty(t("文档没有披露车辆或团组数量。", "No counts disclosed."))
        else:
            if (counts["what"] == "vehicles").any():
                ui.show_chart(sg.counts_figure(counts, f.labels, f.lang), "sangong-vehicles")
            cw = sg.counts_wide(counts)
            mcols = [m for m in MEASURE if m in cw]
            shown = display(cw, ["source", "item", "what"], f.labels, f.lang, vocab_columns=("item", "what"))
            for m in mcols:
                shown[label(MEASURE, m, f.lang)] = [fmt_count(v, f.lang) for v in cw[m]]
            ui.show_table(shown, "sangong-counts")
