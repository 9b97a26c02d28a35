"""绩效指标: completion heatmap, points lost, missed targets with reasons, department scores."""

import streamlit as st

from dashboard import indicators as ic
from dashboard import ui
from dashboard.flags import mark
from dashboard.tables import display

t = ui.t
ds, f = ui.page("绩效指标", "Performance indicators")
indicators, checks = f.apply(ds["indicators"]), f.apply(ds["checks"])
data = mark(indicators, checks)
colors = ui.entity_colors(ds["documents"])
ui.stop_if_empty(data, t("当前筛选下的文档没有披露绩效指标。", "The selected documents disclose no indicators."))

scope = st.radio(t("范围", "Scope"), ["all", "project", "department"], horizontal=True, key="ic_scope",
                 format_func={"all": t("全部", "all"), "project": t("项目", "projects"),
                              "department": t("部门整体", "whole department")}.get)
if scope != "all":
    data = data[data["scope"] == scope]
ui.stop_if_empty(data, t("该范围没有指标。", "No indicators in this scope."))

if ic.completion_grid(data, f.labels, f.lang).empty:
    ui.show_empty(t("这些指标没有可计算的完成度（目标或实际值非数值）。", "No numeric completion for these indicators."))
else:
    ui.show_chart(ic.heatmap_figure(data, f.labels, f.lang), "indicators-heatmap")

st.subheader(t("失分", "Points lost"))
lost = ic.points_lost(data, f.lang)
if lost.empty:
    ui.show_empty(t("没有失分的指标（或未披露分值与得分）。", "No points lost (or weights/scores not disclosed)."))
else:
    ui.show_chart(ic.points_lost_figure(lost, f.labels, colors, f.lang), "indicators-lost")
    ui.show_flagged_table(display(lost, ["source", "subject", "group", "name", "weight", "score", "lost",
                                         "deviation_note", "source_ref"], f.labels, f.lang), lost, "indicators-lost")

st.subheader(t("未完成的目标及原因", "Missed targets and reasons"))
miss = ui.with_links(ic.missed(data, f.lang))
ui.show_flagged_table(display(miss, ["source", "subject", "name", "target_text", "actual_text", "completion",
                                     "deviation_note", "link"], f.labels, f.lang), miss, "indicators-missed",
              empty=t("没有未完成的目标。", "No missed targets."),
              column_config=ui.link_config())

st.subheader(t("部门得分", "Department scores"))
st.caption(t("部门整体支出自评印出的得分 / 满分与执行率；部门指标中同时印出分值与得分的合计；有总分的项目数。"
             "未印出的为未披露。", "Score / max score and execution printed for the whole department; sums over "
             "department indicators printing both weight and score; projects with a printed score."))
scores = mark(ic.department_scores(indicators, f.apply(ds["projects"])), checks)
ui.show_flagged_table(display(scores, ["source", "score", "max_score", "budget_adjusted", "actual", "execution_rate",
                                       "indicator_score", "indicator_weight", "n_indicators", "n_projects_scored",
                                       "mean_project_score", "source_ref"], f.labels, f.lang),
                      scores, "indicators-scores")
