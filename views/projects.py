"""项目执行: every project's execution rate, budget vs actual, flagged projects with sources."""

import streamlit as st

from dashboard import projects as pj
from dashboard import ui
from dashboard.flags import mark
from dashboard.tables import display

t = ui.t
ds, f = ui.page("项目执行", "Project execution")
every = mark(f.apply(ds["projects"]), f.apply(ds["checks"]))
ui.stop_if_empty(every, t("当前筛选下的文档没有披露项目。", "The selected documents disclose no projects."))
data = pj.project_rows(every)
whole = pj.department_rows(every)
colors = ui.entity_colors(ds["documents"])

c1, c2 = st.columns(2)
low = c1.number_input(t("执行率低于（%）", "Rate below (%)"), 0.0, 500.0, 90.0, 5.0, key="pj_low") / 100
high = c2.number_input(t("执行率高于（%）", "Rate above (%)"), 0.0, 500.0, 100.0, 5.0, key="pj_high") / 100
st.caption(t("执行率 = 决算 / 调整预算（文档中未给出其一的项目不计算）。只含单个项目；部门整体支出见页末。"
             "红圈：该数所在行有未通过的核查。",
             "Execution rate = actual / adjusted budget (projects missing either are not rated). Single projects "
             "only; whole-department spending is at the end. Red ring: a check on that line failed."))
ui.show_chart(pj.rate_figure(data, f.labels, colors, low, high, f.lang), "projects-rate")
ui.show_chart(pj.scatter_figure(data, f.labels, colors, f.lang), "projects-scatter")

st.subheader(t("超出阈值的项目", "Projects outside the threshold"))
flag = ui.with_links(pj.flagged(data, low, high))
cols = ["source", "project", "budget_adjusted", "actual", "execution_rate", "stated_execution_rate",
        "deviation_note", "link"]
ui.show_flagged_table(display(flag, cols, f.labels, f.lang), flag, "projects-flagged",
              empty=t("没有超出阈值的项目。", "No project is outside the threshold."),
              column_config=ui.link_config())

st.subheader(t("全部项目", "All projects"))
all_cols = ["source", "project", "budget_initial", "budget_adjusted", "actual", "execution_rate", "score",
            "max_score", "source_ref"]
ordered = data.sort_values("execution_rate")
ui.show_flagged_table(display(ordered, all_cols, f.labels, f.lang), ordered, "projects-all",
                      empty=t("没有单个项目的数据。", "No single-project rows."))

st.subheader(t("部门整体支出执行", "Whole-department execution"))
st.caption(t("绩效自评中的部门整体支出（不是单个项目，不画入上面的图）。", "From the whole-department self-evaluation "
             "(not a project; not in the charts above)."))
whole_cols = ["source", "project", "budget_initial", "budget_adjusted", "actual", "execution_rate",
              "stated_execution_rate", "score", "max_score", "deviation_note", "source_ref"]
ui.show_flagged_table(display(whole, whole_cols, f.labels, f.lang), whole, "projects-department",
                      empty=t("当前筛选下的文档没有部门整体支出自评。",
                              "The selected documents print no whole-department self-evaluation."))
