"""项目执行: every project's execution rate, the outliers with the reasons their documents state,
budget vs actual, the trend over years, whole-department execution."""

import streamlit as st

from dashboard import projects as pj
from dashboard import reasons as rs
from dashboard import ui
from dashboard.flags import PROJECT_RULES, mark
from dashboard.tables import HEADERS, display

t = ui.t
CHART_POINTS = 150
ds, f = ui.page("项目执行", "Project execution")
projects_all = f.apply(ds["projects"])
every = ui.cached(ds, f, lambda: mark(projects_all, f.apply(ds["checks"]), subjects=projects_all["project"],
                                     rules=PROJECT_RULES))
ui.stop_if_empty(every, t("当前筛选下的文档没有披露项目。", "The selected documents disclose no projects."))
data = ui.cached(ds, f, pj.project_rows, every)
whole = ui.cached(ds, f, pj.department_rows, every)
colors = ui.entity_colors(ds["documents"])

c1, c2 = st.columns(2)
low = ui.number(t("执行率低于（%）", "Rate below (%)"), "pj_low", 90.0, 0.0, 500.0, 5.0,
                what=("下限", "lower threshold"), container=c1) / 100
high = ui.number(t("执行率高于（%）", "Rate above (%)"), "pj_high", 100.0, 0.0, 500.0, 5.0,
                 what=("上限", "upper threshold"), container=c2) / 100
st.caption(t("执行率 = 决算 / 调整预算（文档中未给出其一的项目不计算）。只含单个项目；部门整体支出见页末。"
             "绿色带为正常区间；区间外的点标出项目名，悬停可见文档所述原因。红圈：该数所在行有未通过的核查。",
             "Execution rate = actual / adjusted budget (projects missing either are not rated). Single projects "
             "only; whole-department spending is at the end. Green band: the expected range; points outside it "
             "name their project, and the hover gives the reason the document states. Red ring: a check on that "
             "line failed."))

flag = pj.flagged(data, low, high)
# The reasons: the projects' own notes, their indicator rows, and the prose of their sections.
found = ui.cached(ds, f, lambda: rs.candidates(flag, f.apply(ds["indicators"]),
                                              rs.gather_lines(flag["doc_id"], ui.document_lines), data),
                  depends=(low, high))
flag = rs.with_reasons(flag, found, f.lang)

# Over many departments the chart draws those with the most projects outside the band (a switch shows all).
# (and no more than CHART_POINTS projects: each is a labelled point the browser measures)
shown = ui.chart_departments(ui.cached(ds, f, pj.ranked_departments, data, low, high), "pj_depts",
                             "区间外项目最多", "with the most projects outside the range",
                             rows=ui.cached(ds, f, lambda: data.groupby("entity_id")["execution_rate"].count().to_dict()),
                             max_rows=CHART_POINTS)
in_chart = data if shown is None else data[data["entity_id"].isin(shown)]
ui.show_chart(ui.cached(ds, f, pj.rate_figure, in_chart, f.labels, colors, low, high, f.lang, reasons=flag,
                        depends=(tuple(shown or ()),)), "projects-rate")

st.subheader(t("超出阈值的项目及原因", "Projects outside the threshold, and why"))
st.caption(t("原因取自文档本身：项目的偏差说明、该项目一节中写明原因的句子，或其绩效指标行的偏差原因"
             "（未完成的指标优先）。点“原因原文”在来源中查看该行。",
             "The reason is the document's own: the project's deviation note, a sentence of its section "
             "stating a reason, or the deviation notes of its indicator rows (missed indicators first). "
             "'reason source' opens that line."))
flag = ui.with_links(ui.with_links(flag), ref="reason_ref", column="reason_link")
cols = ["source", "project", "execution_rate", "reason", "reason_link", "reason_from", "budget_adjusted", "actual",
        "stated_execution_rate", "link"]
lg = 0 if f.lang == "zh" else 1
config = {**ui.link_config(HEADERS["reason_link"][lg]),
          HEADERS["reason"][lg]: st.column_config.TextColumn(HEADERS["reason"][lg], width=520)}
ui.show_flagged_table(display(flag, cols, f.labels, f.lang), flag, "projects-flagged",
                      empty=t("没有超出阈值的项目。", "No project is outside the threshold."), column_config=config)
# The sections below are drawn when opened (ui.section): the first view is the chart and the table above.
if len(found) > (flag["n_reasons"] > 0).sum() and (
        box := ui.section("这些项目的全部原因", "Every reason stated for these projects", "pj_reasons")).open:
    with box:
        every_reason = ui.with_links(pj.reasons_table(found, data, f.labels, f.lang))
        ui.show_table(display(every_reason, ["source", "project", "kind_name", "indicator", "reason", "link"],
                              f.labels, f.lang), "projects-reasons", column_config=ui.link_config())

box = ui.section("项目预算与决算（对数坐标）", "Project budget vs actual (log axes)", "pj_scatter")
if box.open:
    with box:
        ui.show_chart(ui.cached(ds, f, pj.scatter_figure, data, f.labels, colors, f.lang), "projects-scatter")

box = ui.section("逐年执行率", "Execution by year", "pj_trend")
if box.open:
    with box:
        by_year = pj.rate_by_year(data, low, high)
        if by_year.empty:
            ui.show_empty(t("当前筛选下没有部门在两个以上年度披露项目执行率。",
                            "No department in the selection discloses project execution in two or more years."))
        else:
            ui.show_chart(pj.trend_figure(by_year, f.labels, colors, low, high, f.lang), "projects-trend")

box = ui.section("全部项目", "All projects", "pj_all")
if box.open:
    with box:
        all_cols = ["source", "project", "budget_initial", "budget_adjusted", "actual", "execution_rate", "score",
                    "max_score", "source_ref"]
        ordered = data.sort_values("execution_rate")
        ui.show_flagged_table(display(ordered, all_cols, f.labels, f.lang), ordered, "projects-all",
                              empty=t("没有单个项目的数据。", "No single-project rows."))

box = ui.section("部门整体支出执行", "Whole-department execution", "pj_dept")
if box.open:
    with box:
        st.caption(t("绩效自评中的部门整体支出（不是单个项目，不画入上面的图）。", "From the whole-department "
                     "self-evaluation (not a project; not in the charts above)."))
        whole_cols = ["source", "project", "budget_initial", "budget_adjusted", "actual", "execution_rate",
                      "stated_execution_rate", "score", "max_score", "deviation_note", "source_ref"]
        ui.show_flagged_table(display(whole, whole_cols, f.labels, f.lang), whole, "projects-department",
                              empty=t("当前筛选下的文档没有部门整体支出自评。",
                                      "The selected documents print no whole-department self-evaluation."))
