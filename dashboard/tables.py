"""Tables for display (pure): 万元 with separators, percentages, 未披露 for missing, readable headers."""

from __future__ import annotations

import pandas as pd

from dashboard.common import doc_labels
from dashboard.exports import keep_raw
from dashboard.fmt import fmt_count, fmt_pct, fmt_wan, fmt_yuan
from dashboard.labels import (
    BREAKDOWN,
    CHECK_STATUS,
    COUNT_WHAT,
    DOC_KIND,
    MEASURE,
    SANGONG_ITEM,
    TABLE_NAME,
    label,
    labelled,
)

HEADERS = {
    "source": ("来源文档", "document"),
    "entity_id": ("部门", "department"),
    "doc_kind": ("文档类型", "document kind"),
    "year": ("年度", "year"),
    "item": ("项目", "item"),
    "code": ("科目编码", "code"),
    "table": ("表", "table"),
    "level": ("层级", "level"),
    "breakdown": ("栏目", "breakdown"),
    "measure": ("口径", "measure"),
    "amount": ("金额（万元）", "amount (10k CNY)"),
    "budget_initial": ("年初预算（万元）", "initial budget"),
    "budget_adjusted": ("调整预算（万元）", "adjusted budget"),
    "actual": ("决算（万元）", "actual"),
    "prior_year_actual": ("上年决算（万元）", "prior-year actual"),
    "prior_year_budget": ("上年预算（万元）", "prior-year budget"),
    "execution_rate": ("执行率", "execution rate"),
    "stated_execution_rate": ("文中执行率", "stated rate"),
    "difference": ("差额（万元）", "difference"),
    "ratio": ("比率", "ratio"),
    "change": ("较上年（万元）", "change vs prior year"),
    "change_pct": ("较上年（%）", "change %"),
    "staff_count": ("人数", "staff"),
    "actual_per_staff": ("人均决算（万元）", "actual per staff"),
    "sangong_actual": ("三公决算（万元）", "三公 actual"),
    "project": ("项目名称", "project"),
    "item_line": ("所取行", "line read"),
    "deviation_note": ("偏差说明", "deviation note"),
    "reason": ("原因（文档所述）", "reason (as the document states)"),
    "reason_from": ("原因出处", "reason from"),
    "reason_link": ("原因原文", "reason source"),
    "indicator": ("指标", "indicator"),
    "kind_name": ("原因类别", "kind of reason"),
    "share_met": ("达标指标占比", "share of indicators met"),
    "n_met": ("达标指标数", "indicators met"),
    "n_judged": ("可判断指标数", "indicators judged"),
    "points_lost": ("失分合计", "points lost"),
    "worst": ("未达标最严重的指标", "worst misses"),
    "max_completion": ("最高完成度", "highest completion"),
    "subject_label": ("项目", "project"),
    "actual_per_staff_yuan": ("人均决算（元/人）", "actual per staff (CNY)"),
    "per_staff_yuan": ("人均（元/人）", "per staff (CNY)"),
    "source_ref": ("出处", "source ref"),
    "link": ("原文", "source"),
    "what": ("计量", "what"),
    "count": ("数量", "count"),
    "status": ("结果", "status"),
    "severity": ("严重程度", "severity"),
    "rule": ("规则", "rule"),
    "subject": ("对象", "subject"),
    "expected": ("应为", "expected"),
    "found": ("实际", "found"),
    "message": ("说明", "message"),
    "name": ("指标", "indicator"),
    "group": ("指标组", "group"),
    "target_text": ("目标值", "target"),
    "actual_text": ("实际值", "actual value"),
    "completion": ("完成度", "completion"),
    "weight": ("分值", "weight"),
    "score": ("得分", "score"),
    "lost": ("失分", "points lost"),
    "max_score": ("满分", "max score"),
    "n_indicators": ("指标数", "indicators"),
    "indicator_score": ("部门指标得分合计", "department indicator score"),
    "indicator_weight": ("部门指标分值合计", "department indicator weight"),
    "n_projects_scored": ("有得分的项目数", "projects scored"),
    "mean_project_score": ("项目平均得分", "mean project score"),
    "budget_source": ("预算决算来源", "budget source"),
    "basis": ("覆盖范围", "coverage"),
    "sangong_source": ("三公来源", "三公 source"),
}
MONEY = {"amount", "budget_initial", "budget_adjusted", "actual", "prior_year_actual", "prior_year_budget",
         "difference", "change", "actual_per_staff", "sangong_actual", "expected", "found"}
PCT = {"execution_rate", "stated_execution_rate", "ratio", "change_pct", "completion", "share_met",
       "max_completion"}
YUAN = {"actual_per_staff_yuan", "per_staff_yuan"}
COUNTS = {"staff_count", "count", "weight", "score", "lost", "max_score", "mean_project_score", "indicator_score",
          "indicator_weight", "n_indicators", "n_projects_scored", "n_met", "n_judged", "points_lost"}
VOCABS = {"doc_kind": DOC_KIND, "measure": MEASURE, "item": SANGONG_ITEM, "what": COUNT_WHAT, "status": CHECK_STATUS,
          "breakdown": BREAKDOWN, "table": TABLE_NAME}
# Closed vocabularies named wherever they are shown; item / what only when asked (``item`` is
# often the printed row name).
ALWAYS_NAMED = ("doc_kind", "measure", "breakdown", "status", "table")


NOT_IN_A_BUDGET = ("actual", "execution_rate")
BUDGET_NA = {"zh": "不适用（预算文件）", "en": "n/a (budget document)"}


def display(df: pd.DataFrame, columns: list[str], labels: dict[str, str], lang: str = "zh",
            vocab_columns: tuple[str, ...] = ()) -> pd.DataFrame:
    """Select ``columns`` and format them for reading: money, rates, names; missing → 未披露."""
    out = pd.DataFrame(index=df.index)
    raw = {}  # header → the figures before formatting, for the analysts' exports (dashboard/exports.py)
    for col in columns:
        if col == "source" and "source" not in df:
            s = pd.Series(doc_labels(df, labels, lang), index=df.index, dtype=object)
        elif col not in df:
            continue
        else:
            s = df[col]
        if col in MONEY:
            s = s.map(lambda v: fmt_wan(v, lang, unit=False))
        elif col in PCT:
            s = s.map(lambda v: fmt_pct(v, lang))
        elif col in YUAN:
            s = s.map(lambda v: fmt_yuan(v, lang))
        if col in NOT_IN_A_BUDGET and "doc_kind" in df:
            # A budget document cannot disclose spending: its missing actual is "not applicable",
            # not 未披露 (which would suggest the department withheld it).
            s = s.where(~((df["doc_kind"] == "budget") & df[col].isna()), BUDGET_NA[lang])
        elif col in COUNTS:
            s = s.map(lambda v: fmt_count(v, lang))
        elif col == "entity_id":
            s = s.map(lambda v: labels.get(v, v))
        elif col in vocab_columns or col in ALWAYS_NAMED:
            s = labelled(s, VOCABS[col], lang)
        elif col.endswith("_source"):
            s = s.map(lambda v: "" if not isinstance(v, tuple) else f"{label(DOC_KIND, v[0], lang)} {v[1]}")
        elif s.dtype == object or pd.api.types.is_string_dtype(s):
            s = s.astype(object).where(s.notna(), "")
        header = HEADERS.get(col, (col, col))[0 if lang == "zh" else 1]
        if col in MONEY or col in PCT or col in COUNTS:
            raw[header] = df[col]
        out[header] = s
    return keep_raw(out.reset_index(drop=True), raw)
