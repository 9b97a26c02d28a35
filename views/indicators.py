"""绩效指标: completion per project (ranked), points lost, missed targets with their reasons, the trend
over years, department scores."""

import streamlit as st

from dashboard import indicators as ic
from dashboard import ui
from dashboard.flags import mark
from dashboard.tables import display

t = ui.t
ds, f = ui.page("绩效指标", "Performance indicators")
indicators, checks = f.apply(ds["indicators"]), f.apply(ds["checks"])
data = ui.cached(ds, f, lambda: mark(indicators, checks,
                                    subjects=ic.subject(indicators) + " " + indicators["name"].astype(str)))
colors = ui.entity_colors(ds["documents"])
ui.stop_if_empty(data, t("当前筛选下的文档没有披露绩效指标。", "The selected documents disclose no indicators."))

c1, c2 = st.columns([3, 1])
with c1:
    scope = ui.choice(st.radio, t("范围", "Scope"), ["all", "project", "department"], "ic_scope", horizontal=True,
                      what=("范围", "scope"),
                      format_func={"all": t("全部", "all"), "project": t("项目", "projects"),
                                   "department": t("部门整体", "whole department")}.get)
top = int(ui.number(t("图中显示的项目数", "Projects in the chart"), "ic_top", ui.CHART_DEPARTMENTS, 5, 200, 5,
                    what=("项目数", "number of projects"), container=c2, integer=True))
if scope != "all":
    data = data[data["scope"] == scope]
ui.stop_if_empty(data, t("该范围没有指标。", "No indicators in this scope."))

summary = ui.cached(ds, f, ic.project_summary, data, f.lang, depends=(scope,))
st.caption(t("每行一个项目（或部门整体），达标指标占比最低者在上：达标 = 完成度 ≥ 100%（非数值指标看得分是否等于分值）。"
             "右栏每个点为一个指标的完成度，坐标超过 100%；超过 300% 的画在边上（▶）并写出数值。",
             "One row per project (or the whole department), lowest share met first: met = completion ≥ 100% "
             "(a non-numeric indicator: score equal to its weight). On the right each dot is one indicator's "
             "completion, on an axis past 100%; beyond 300% it sits at the edge (▶) with its value written."))
if summary["n_judged"].sum() == 0:
    ui.show_empty(t("这些指标没有可判断的完成情况（目标或实际值非数值，且未印出得分）。",
                    "No indicator here can be judged (no numeric completion, no score)."))
else:
    ui.show_chart(ui.cached(ds, f, ic.ranked_figure, summary, data, f.labels, f.lang, top=top,
                            depends=(scope,)), "indicators-ranked")
# The sections below the chart are drawn when opened (ui.section), but for the missed targets.
box = ui.section("每个项目的指标数、达标数与失分（表）", "Indicators, met and points lost per project (table)",
                 "ic_projects")
if box.open:
    with box:
        ui.show_table(display(summary, ["source", "subject", "n_indicators", "n_judged", "n_met", "share_met",
                                        "points_lost", "worst", "max_completion"], f.labels, f.lang),
                      "indicators-by-project")

st.subheader(t("未完成的目标及原因", "Missed targets and reasons"))
miss = ui.with_links(ic.missed(data, f.lang))
ui.show_flagged_table(display(miss, ["source", "subject", "name", "target_text", "actual_text", "completion",
                                     "deviation_note", "link"], f.labels, f.lang), miss, "indicators-missed",
                      empty=t("没有未完成的目标。", "No missed targets."), column_config=ui.link_config())

box = ui.section("失分", "Points lost", "ic_lost")
if box.open:
    with box:
        lost = ui.cached(ds, f, ic.points_lost, data, f.lang, depends=(scope,))
        if lost.empty:
            ui.show_empty(t("没有失分的指标（或未披露分值与得分）。", "No points lost (or weights/scores not disclosed)."))
        else:
            ui.show_chart(ui.cached(ds, f, ic.points_lost_figure, lost, f.labels, colors, f.lang, depends=(scope,)),
                          "indicators-lost")
            lost = ui.with_links(lost)
            ui.show_flagged_table(display(lost, ["source", "subject", "group", "name", "weight", "score", "lost",
                                                 "deviation_note", "link"], f.labels, f.lang), lost,
                                  "indicators-lost", column_config=ui.link_config())

box = ui.section("逐年完成情况", "Completion by year", "ic_trend")
if box.open:
    with box:
        by_year = ui.cached(ds, f, ic.completion_by_year, data, depends=(scope,))
        if by_year.empty:
            ui.show_empty(t("当前筛选下没有部门在两个以上年度披露绩效指标。",
                            "No department in the selection discloses indicators in two or more years."))
        else:
            ui.show_chart(ic.trend_figure(by_year, f.labels, colors, f.lang), "indicators-trend")

box = ui.section("部门得分", "Department scores", "ic_scores")
if box.open:
    with box:
        st.caption(t("部门整体支出自评印出的得分 / 满分与执行率；部门指标中同时印出分值与得分的合计；有总分的项目数。"
                     "未印出的为未披露。", "Score / max score and execution printed for the whole department; sums "
                     "over department indicators printing both weight and score; projects with a printed score."))
        scores = ui.cached(ds, f, lambda: mark(ic.department_scores(indicators, f.apply(ds["projects"])), checks))
        ui.show_flagged_table(display(scores, ["source", "score", "max_score", "budget_adjusted", "actual",
                                               "execution_rate", "indicator_score", "indicator_weight",
                                               "n_indicators", "n_projects_scored", "mean_project_score",
                                               "source_ref"], f.labels, f.lang),
                              scores, "indicators-scores")
