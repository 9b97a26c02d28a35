"""One department's brief, second half (pure): projects outside the execution band, indicators
missed or scored below their weight, the audit findings that failed."""

from __future__ import annotations

import inspect

import pandas as pd

from briefing import adapters
from briefing.context import Context
from briefing.model import Message, Table, money, number, ref_cell, text
from briefing.model import pct as pct_cell
from briefing.parts import chart, default_band, join, pct
from dashboard.fmt import is_missing
from dashboard.labels import SEVERITY, label

MAX_ROWS = 15


def projects(ctx: Context, eid: str) -> Message:
    from dashboard import projects as pj
    from dashboard.common import entity_colors

    low, high = default_band()
    band = f"{low:.0%}–{high:.0%}"
    rows = pj.project_rows(ctx.of("projects", eid))
    rated = rows[rows["execution_rate"].notna()]
    kinds = set(ctx.docs.loc[ctx.docs["entity_id"] == eid, "doc_kind"])
    if rated.empty:
        why = (ctx.t("预算文件没有实际支出：不能计算项目执行率。", "A budget has no actual spending: no project rates.")
               if kinds == {"budget"} else
               ctx.t("文档未披露单个项目的调整预算与决算：没有项目执行率。",
                     "The documents do not print single projects' adjusted budget and actual: no project rates."))
        return Message(ctx.t("项目执行率：未披露", "Project execution: not disclosed"), [why])
    flagged = adapters.project_reasons(ctx, pj.flagged(rows, low, high), rows)
    fig = chart(pj.rate_figure, "projects-rate", rows, ctx.labels, entity_colors(ctx.docs), low, high, ctx.lang,
                **({"reasons": flagged} if "reasons" in inspect.signature(pj.rate_figure).parameters else {}))
    said = [ctx.t(f"执行率 = 决算 ÷ 调整预算；区间 {band} 为仪表盘的默认阈值；共 {len(rated)} 个项目印出两数。",
                  f"Execution rate = actual ÷ adjusted budget; the band {band} is the dashboard's default; "
                  f"{len(rated)} projects print both figures.")]
    if flagged.empty:
        return Message(ctx.t(f"{len(rated)} 个项目的执行率都在 {band} 之内", f"All {len(rated)} project rates within {band}"),
                       said, None, fig, [ctx.ref(d, r) for d, r in zip(rated["doc_id"], rated["source_ref"], strict=True)])
    cells = []
    for r in flagged.to_dict("records"):
        ref = ctx.ref(r["doc_id"], r["source_ref"])
        why = r.get("reason")
        why_ref = ctx.ref(r["doc_id"], r.get("reason_ref")) if isinstance(r.get("reason_ref"), str) else None
        cells.append([text(r["project"]), money(r["budget_adjusted"], ref), money(r["actual"], ref),
                      pct_cell(r["execution_rate"], ref), pct_cell(r.get("stated_execution_rate"), ref),
                      text(why if isinstance(why, str) and why else ctx.t("文档未说明", "not stated"), why_ref),
                      text(" / ".join(dict.fromkeys(x for x in (r["source_ref"], r.get("reason_ref"))
                                                     if isinstance(x, str))), ref)])
    table = Table([ctx.t("项目", "project"), ctx.t("调整预算（万元）", "adjusted budget"), ctx.t("决算（万元）", "actual"),
                   ctx.t("执行率", "rate"), ctx.t("文中执行率", "stated rate"), ctx.t("偏差原因", "reason stated"),
                   ctx.t("出处", "ref")], cells)
    named = join([f"{r['project']} {pct(r['execution_rate'], ctx)}" for r in flagged.head(3).to_dict("records")], ctx)
    title = ctx.t(f"{len(rated)} 个项目中 {len(flagged)} 个执行率在 {band} 之外：{named}",
                  f"{len(flagged)} of {len(rated)} projects outside {band}: {named}")
    return Message(title, said, table, fig)


def indicators(ctx: Context, eid: str) -> Message:
    from dashboard import indicators as ind_mod
    from dashboard.common import entity_colors

    ind = ctx.of("indicators", eid)
    if ind.empty:
        return Message(ctx.t("绩效指标：未披露", "Performance indicators: not disclosed"),
                       [ctx.t("文档没有绩效指标表。", "The documents print no performance indicators.")])
    judged = ind[ind["completion"].notna() | ind["score"].notna()]
    if judged.empty:
        return Message(ctx.t(f"{len(ind)} 项指标只印出目标值：完成情况未披露",
                             f"{len(ind)} indicators print targets only: results not disclosed"),
                       [ctx.t("文档没有印出这些指标的实际值或得分，不能判断是否达标（不是 0，也不是达标）。",
                              "The documents print no actual value or score for them: met or missed cannot be "
                              "said (neither 0 nor met).")])
    missed = ind_mod.missed(ind, ctx.lang)
    if missed.empty:
        return Message(ctx.t(f"{len(ind)} 项指标都达到目标、得分等于分值", f"All {len(ind)} indicators met, full scores"),
                       [ctx.t("完成度与得分均按文档印出的目标值、实际值、分值、得分。",
                              "Completion and scores as the documents print them.")])
    lost = ind_mod.points_lost(ind, ctx.lang)
    fig = chart(ind_mod.points_lost_figure, "indicators-lost", lost, ctx.labels, entity_colors(ctx.docs), ctx.lang,
                height=560) if not lost.empty else None
    cells = []
    for r in missed.head(MAX_ROWS).to_dict("records"):
        ref = ctx.ref(r["doc_id"], r["source_ref"])
        note = r.get("deviation_note")
        cells.append([text(r["subject"]), text(r["name"]), text(r.get("target_text")), text(r.get("actual_text")),
                      pct_cell(r["completion"], ref), number(r["weight"], "score", ref), number(r["score"], "score", ref),
                      text(note if isinstance(note, str) and note else ctx.t("文档未说明", "not stated")), ref_cell(ref)])
    note = ctx.t(f"列出 {min(len(missed), MAX_ROWS)} / {len(missed)} 项（完成度最低的在前）",
                 f"showing {min(len(missed), MAX_ROWS)} of {len(missed)} (lowest completion first)")
    table = Table([ctx.t("对象", "subject"), ctx.t("指标", "indicator"), ctx.t("目标值", "target"),
                   ctx.t("实际值", "actual"), ctx.t("完成度", "completion"), ctx.t("分值", "weight"),
                   ctx.t("得分", "score"), ctx.t("偏差原因", "reason stated"), ctx.t("出处", "ref")], cells,
                  note if len(missed) > MAX_ROWS else "")
    n_short = int((missed["completion"] < 1).sum())
    n_lost = int((missed["score"] < missed["weight"]).sum())
    title = ctx.t(f"{len(ind)} 项指标中 {len(missed)} 项未达目标或失分（未达目标 {n_short}，失分 {n_lost}）",
                  f"{len(missed)} of {len(ind)} indicators missed or lost points ({n_short} missed, {n_lost} lost points)")
    said = [ctx.t("未达目标：完成度 < 100%（按目标值与实际值计算，方向已考虑）；失分：得分 < 分值。",
                  "Missed: completion < 100% (from target and actual, direction-aware); lost points: score < weight.")]
    return Message(title, said, table, fig)


def audit(ctx: Context, eid: str) -> Message:
    from dashboard import checks_display as cd
    from dashboard.screening import findings
    from loaders.checks import RULES

    checks = ctx.of("checks", eid)
    fails = findings(checks, statuses=("fail",)) if not checks.empty else checks
    n_pass = int((checks["status"] == "pass").sum()) if not checks.empty else 0
    if fails.empty:
        return Message(ctx.t(f"核查：{n_pass} 项通过，没有不符", f"Audit: {n_pass} passed, none failed"),
                       [ctx.t("核查规则只比较文档自己印出的数。", "The rules compare only figures the document prints.")])
    desc = cd.rule_descriptions({c: r.description for c, r in RULES.items()}, ctx.lang)
    family_of = {c: r.family for c, r in RULES.items()}
    kinds = {"wan": "money", "pct": "pct", "score": "score", "plain": "count"}
    cells = []
    for r in fails.head(MAX_ROWS).to_dict("records"):
        ref = ctx.ref(r["doc_id"], r["source_ref"])
        fam = r.get("family") if isinstance(r.get("family"), str) else family_of.get(r["rule"])
        kind = kinds.get(cd.value_unit(r["rule"], fam, r["subject"]), "count")
        cells.append([text(label(SEVERITY, r["severity"], ctx.lang)), text(r["rule"]), text(desc.get(r["rule"], "")),
                      text(cd.plain_subject(r["subject"], ctx.lang)), _value(r["expected"], kind, ref),
                      _value(r["found"], kind, ref), _value(r["difference"], kind, None), ref_cell(ref)])
    table = Table([ctx.t("严重程度", "severity"), ctx.t("规则", "rule"), ctx.t("规则说明", "description"),
                   ctx.t("对象", "subject"), ctx.t("应为", "expected"), ctx.t("印出", "found"),
                   ctx.t("差额", "difference"), ctx.t("出处", "ref")], cells,
                  ctx.t(f"列出 {MAX_ROWS} / {len(fails)} 项", f"showing {MAX_ROWS} of {len(fails)}")
                  if len(fails) > MAX_ROWS else "")
    sev = fails["severity"].value_counts()
    parts = join([f"{label(SEVERITY, s, ctx.lang)} {int(sev[s])}" for s in SEVERITY if s in sev], ctx)
    title = ctx.t(f"{len(fails)} 项核查不符（{parts}）", f"{len(fails)} audit findings failed ({parts})")
    said = [ctx.t("每条核查只比较文档自己印出的数；未印出的数不当作 0。", "Each rule compares figures the document prints; "
                  "a figure not printed is never taken as 0.")]
    return Message(title, said, table)


def _value(v, kind: str, ref):
    """A check's expected / found / difference: '—' where the rule compares no number."""
    if v is None or (isinstance(v, float) and pd.isna(v)) or is_missing(v):
        return text("—")
    return number(v, kind, ref) if kind != "money" else money(v, ref)
