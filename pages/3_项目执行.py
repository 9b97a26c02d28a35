"""项目执行: every project's execution rate, budget vs actual, flagged projects with sources."""

import streamlit as st

from dashboard import projects as pj
from dashboard import ui
from dashboard.tables import display

t = ui.t
st.title(t("项目执行", "Project execution"))
ds = ui.load_datasets()
f = ui.sidebar_filters(ds)
data = f.apply(ds["projects"])
colors = ui.entity_colors(ds["documents"])
if data.empty:
    ui.show_empty(t("当前筛选下的文档没有披露项目。", "The selected documents disclose no projects."))
    st.stop()

c1, c2 = st.columns(2)
low = c1.number_input(t("执行率低于（%）", "Rate below (%)"), 0.0, 500.0, 90.0, 5.0, key="pj_low") / 100
high = c2.number_input(t("执行率高于（%）", "Rate above (%)"), 0.0, 500.0, 100.0, 5.0, key="pj_high") / 100
st.caption(t("执行率 = 决算 / 调整预算（文档中未给出其一的项目不计算）。",
             "Execution rate = actual / adjusted budget (projects missing either are not rated)."))
ui.show_chart(pj.rate_figure(data, f.labels, colors, low, high, f.lang), "projects-rate")
ui.show_chart(pj.scatter_figure(data, f.labels, colors, f.lang), "projects-scatter")

st.subheader(t("超出阈值的项目", "Projects outside the threshold"))
flag = pj.flagged(data, low, high)
flag["link"] = [ui.source_url(d, r) for d, r in zip(flag["doc_id"], flag["source_ref"], strict=True)]
cols = ["source", "project", "budget_adjusted", "actual", "execution_rate", "stated_execution_rate",
        "deviation_note", "link"]
ui.show_table(display(flag, cols, f.labels, f.lang), "projects-flagged",
              empty=t("没有超出阈值的项目。", "No project is outside the threshold."),
              column_config={t("原文", "source"): ui.link_column()})

st.subheader(t("全部项目", "All projects"))
all_cols = ["source", "project", "budget_initial", "budget_adjusted", "actual", "execution_rate", "score",
            "max_score", "source_ref"]
ui.show_table(display(data.sort_values("execution_rate"), all_cols, f.labels, f.lang), "projects-all")
