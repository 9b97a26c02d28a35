"""The comparison brief, for several departments (pure): headline side by side, 三公 per staff
member, the execution-rate distribution, indicator completion, and what makes them hard to
compare."""

from __future__ import annotations

import pandas as pd

from briefing import adapters
from briefing.context import Context
from briefing.cover import not_disclosed
from briefing.dept_money import head_row
from briefing.model import NOT_APPLICABLE, Brief, Message, Section, Table, money, number, ref_cell, text
from briefing.model import pct as pct_cell
from briefing.parts import chart, default_band, join, pct
from dashboard.fmt import is_missing
from dashboard.labels import DOC_KIND, PHASES, label


def comparison_brief(ctx: Context, ids: list[str]) -> Brief:
    t = ctx.t
    sections = [
        Section("cover", t("封面", "Cover"), [cover(ctx, ids)]),
        Section("headline", t("预算与决算并列", "Headline side by side"), [headline(ctx, ids)]),
        Section("sangong", t("三公经费人均", "三公 per staff member"), [sangong(ctx, ids)]),
        Section("projects", t("项目执行率分布", "Execution-rate distribution"), [rates(ctx, ids)]),
        Section("indicators", t("指标完成情况", "Indicator completion"), [indicators(ctx, ids)]),
        Section("caveats", t("为什么难以直接比较", "What makes them hard to compare"), [caveats(ctx, ids)]),
    ]
    names = [ctx.labels.get(e, e) for e in ids]
    title = t(f"部门比较：{'、'.join(names)}", f"Comparison: {', '.join(names)}")
    years = sorted({int(y) for y in ctx.docs["year"]})
    subtitle = t(f"{'、'.join(map(str, years))} 年度 · {len(ids)} 个部门", f"{', '.join(map(str, years))} · {len(ids)} departments")
    return Brief("comparison", ctx.lang, title, subtitle, list(ids), sections, ctx.doc_infos())


def cover(ctx: Context, ids: list[str]) -> Message:
    infos = ctx.doc_infos()
    owner = dict(zip(ctx.docs["doc_id"], ctx.docs["entity_id"], strict=True))
    rows = [[text(ctx.names.get(e, e)), text(join([f"{d.kind} {d.year}" for d in infos if owner.get(d.doc_id) == e], ctx)),
             text(join(not_disclosed(ctx, e), ctx) or "—")] for e in ids]
    table = Table([ctx.t("部门（文档所印）", "department (as printed)"), ctx.t("文档", "documents"),
                   ctx.t("未披露", "not disclosed")], rows)
    said = [ctx.t("依据的文档：", "Documents: ") + join([f"{d.label}（{d.file}）" if ctx.lang == "zh"
                                                      else f"{d.label} ({d.file})" for d in infos], ctx)]
    return Message(ctx.t(f"{len(ids)} 个部门的比较简报", f"Comparison brief of {len(ids)} departments"), said, table,
                   None, [ctx.ref(d.doc_id) for d in infos])


def headline(ctx: Context, ids: list[str]) -> Message:
    from dashboard.overview import BASIS

    rows, shown, rated, yearly_all = [], [], [], []
    for eid in ids:
        w, yearly = head_row(ctx, eid)
        name = ctx.labels.get(eid, eid)
        kinds = set(ctx.docs.loc[ctx.docs["entity_id"] == eid, "doc_kind"])
        is_budget = kinds == {"budget"}
        if w is None:
            rows.append([text(name), text("—"), text("—"), *[money(None) for _ in PHASES], pct_cell(None), ref_cell(None)])
            continue
        if yearly is not None:
            yearly_all.append(yearly)
        docs = ctx.docs[ctx.docs["entity_id"] == eid]
        kind = "performance_self_eval" if w.get("actual_coverage") == "evaluated" else sorted(
            kinds, key=lambda k: ("final_accounts", "performance_self_eval", "budget").index(k)
            if k in ("final_accounts", "performance_self_eval", "budget") else 9)[0]
        cells = [text(name), text(join([f"{label(DOC_KIND, k, ctx.lang)} {int(y)}" for k, y in
                                        zip(docs["doc_kind"], docs["year"], strict=True)], ctx)),
                 text(label(BASIS, kind, ctx.lang))]
        for m in PHASES:
            v = w.get(m)
            ref = ctx.ref(w.get(f"{m}_doc_id"), w.get(f"{m}_source_ref")) if not is_missing(v) else None
            cells.append(money(v, ref, NOT_APPLICABLE if is_budget and m != "budget_initial" else None))
            if ref:
                shown.append({"doc_id": w.get(f"{m}_doc_id"), "entity_id": eid, "year": w["year"],
                              "doc_kind": w.get(f"{m}_doc_kind"), "measure": m, "amount": v,
                              "table": w.get(f"{m}_table"), "source_ref": w.get(f"{m}_source_ref")})
        rate = w.get("execution_rate")
        rate_ref = ctx.ref(w.get("rate_doc_id"), w.get("rate_source_ref")) if not is_missing(rate) else None
        cells.append(pct_cell(rate, rate_ref, NOT_APPLICABLE if is_budget else None))
        cells.append(ref_cell(rate_ref or next((c.ref for c in cells if c.ref), None)))
        rows.append(cells)
        if not is_missing(rate):
            rated.append(f"{name} {pct(rate, ctx)}")
    table = Table([ctx.t("部门", "department"), ctx.t("文档", "documents"), ctx.t("覆盖范围", "coverage"),
                   *[ctx.t(f"{label_m(m, ctx)}（万元）", label_m(m, ctx)) for m in PHASES], ctx.t("执行率", "rate"),
                   ctx.t("出处", "ref")], rows)
    title = (ctx.t("执行率：", "Execution rate: ") + join(rated, ctx)) if rated else \
        ctx.t("没有一个部门同时印出调整预算与决算", "No department prints both adjusted budget and actual")
    yearly = pd.concat(yearly_all, ignore_index=True) if yearly_all else None
    fig = chart(adapters.phase_chart_figure, "budget-phases", ctx, yearly, pd.DataFrame(shown)) if shown else None
    said = [ctx.t("每个部门取其最新年度；每个阶段取文档印出的一个总额行（与仪表盘同一口径）。覆盖范围不同（全部支出、预算、"
                  "被评价的资金）的数不能直接相比。",
                  "Each department's latest year; each phase one printed total line (as on the dashboard). Figures "
                  "of different coverage (all spending, a budget, the funds self-evaluated) do not compare directly.")]
    return Message(title, said, table, fig)


def label_m(m: str, ctx: Context) -> str:
    from dashboard.labels import MEASURE

    return label(MEASURE, m, ctx.lang)


def sangong(ctx: Context, ids: list[str]) -> Message:
    sg = ctx.of("sangong")
    total = sg[(sg["item"] == "total")]
    rows, named = [], []
    for eid in ids:
        name = ctx.labels.get(eid, eid)
        docs = ctx.docs[ctx.docs["entity_id"] == eid].sort_values("year")
        own = total[total["entity_id"] == eid].sort_values("year")
        staff = docs["staff_count"].dropna() if "staff_count" in docs else pd.Series(dtype=float)
        actual = own[own["measure"] == "actual"]
        is_budget = set(docs["doc_kind"]) == {"budget"}
        if actual.empty:
            rows.append([text(name), money(None, state=NOT_APPLICABLE if is_budget else None),
                         number(staff.iloc[-1] if not staff.empty else None),
                         number(None, "yuan", state=NOT_APPLICABLE if is_budget else None), ref_cell(None)])
            continue
        a = actual.iloc[-1]
        ref = ctx.ref(a["doc_id"], a["source_ref"])
        st = docs.loc[docs["doc_id"] == a["doc_id"], "staff_count"].iloc[0] if "staff_count" in docs else None
        per = a["amount"] * 10000 / st if not is_missing(st) and st > 0 else None
        rows.append([text(name), money(a["amount"], ref), number(st), number(per, "yuan"), ref_cell(ref)])
        if per is not None:
            named.append((per, f"{name} {per:,.2f}" + ctx.t(" 元", " CNY")))
    table = Table([ctx.t("部门", "department"), ctx.t("三公决算（万元）", "三公 actual (10k CNY)"), ctx.t("人数", "staff"),
                   ctx.t("人均（元）", "per staff (CNY)"), ctx.t("出处", "ref")], rows)
    named.sort(reverse=True)
    title = (ctx.t("三公经费人均：", "三公 per staff member: ") + join([n for _, n in named], ctx)) if named else \
        ctx.t("三公经费人均：没有部门同时印出决算与人数", "三公 per staff: no department prints both actual and staff")
    said = [ctx.t("人均 = 三公经费决算 ÷ 文档所述人数（元）；预算文件没有决算，人数未披露的不计算。",
                  "Per staff = 三公 actual ÷ the staff count the document states (CNY); none for a budget or "
                  "where no staff count is disclosed.")]
    return Message(title, said, table)


def rates(ctx: Context, ids: list[str]) -> Message:
    from dashboard import projects as pj
    from dashboard.common import entity_colors

    low, high = default_band()
    proj = pj.project_rows(ctx.of("projects"))
    rows, summary = [], []
    for eid in ids:
        name = ctx.labels.get(eid, eid)
        r = proj[(proj["entity_id"] == eid)]["execution_rate"].dropna()
        if r.empty:
            na = NOT_APPLICABLE if set(ctx.docs.loc[ctx.docs["entity_id"] == eid, "doc_kind"]) == {"budget"} else None
            rows.append([text(name), number(None, state=na), pct_cell(None, state=na), pct_cell(None, state=na),
                         pct_cell(None, state=na), number(None, state=na)])
            continue
        outside = int(((r < low) | (r > high)).sum())
        rows.append([text(name), number(len(r)), pct_cell(r.min()), pct_cell(r.median()), pct_cell(r.max()),
                     number(outside)])
        summary.append(ctx.t(f"{name} 中位 {pct(r.median(), ctx)}", f"{name} median {pct(r.median(), ctx)}"))
    band = f"{low:.0%}–{high:.0%}"
    table = Table([ctx.t("部门", "department"), ctx.t("有执行率的项目", "projects rated"), ctx.t("最低", "min"),
                   ctx.t("中位", "median"), ctx.t("最高", "max"), ctx.t(f"{band} 之外", f"outside {band}")], rows)
    fig = chart(pj.rate_figure, "projects-rate", proj, ctx.labels, entity_colors(ctx.docs), low, high, ctx.lang)
    title = (ctx.t("项目执行率：", "Project execution: ") + join(summary, ctx)) if summary else \
        ctx.t("项目执行率：所选部门都未披露", "Project execution: none of them discloses it")
    said = [ctx.t("执行率 = 决算 ÷ 调整预算，只含印出两数的单个项目。", "Rate = actual ÷ adjusted budget, single "
                  "projects printing both.")]
    refs = [ctx.ref(d, s) for d, s in zip(proj["doc_id"], proj["source_ref"], strict=True)]
    return Message(title, said, table, fig, refs)


def indicators(ctx: Context, ids: list[str]) -> Message:
    from dashboard import indicators as im

    ind = ctx.of("indicators")
    rows, summary = [], []
    for eid in ids:
        name = ctx.labels.get(eid, eid)
        own = ind[ind["entity_id"] == eid]
        judged = own[own["completion"].notna() | own["score"].notna()]
        if judged.empty:
            rows.append([text(name), number(len(own) if len(own) else None), number(None), number(None), pct_cell(None)])
            continue
        missed = im.missed(own, ctx.lang)
        met_share = 1 - len(missed) / len(judged)
        rows.append([text(name), number(len(own)), number(len(judged)), number(len(missed)), pct_cell(met_share)])
        summary.append(f"{name} {pct(met_share, ctx)}")
    table = Table([ctx.t("部门", "department"), ctx.t("指标数", "indicators"), ctx.t("有完成值或得分", "with result"),
                   ctx.t("未达目标或失分", "missed or lost points"), ctx.t("达标比例", "share met")], rows)
    title = (ctx.t("指标达标比例：", "Indicators met: ") + join(summary, ctx)) if summary else \
        ctx.t("指标完成：所选部门都未披露", "Indicator results: none of them discloses them")
    said = [ctx.t("达标：完成度 ≥ 100% 且得分不低于分值；只计印出完成值或得分的指标。",
                  "Met: completion ≥ 100% and no points lost; only indicators printing a result count.")]
    return Message(title, said, table)


def caveats(ctx: Context, ids: list[str]) -> Message:
    from dashboard.overview import caveats as overview_caveats

    said = list(overview_caveats(ctx.frames, ctx.labels, ctx.lang))
    for eid in ids:
        missing = not_disclosed(ctx, eid)
        if missing:
            said.append(ctx.t(f"{ctx.labels.get(eid, eid)} 未披露：{join(missing, ctx)}。",
                              f"{ctx.labels.get(eid, eid)} does not disclose: {join(missing, ctx)}."))
    kinds = sorted(set(ctx.docs["doc_kind"]))
    years = sorted(set(int(y) for y in ctx.docs["year"]))
    title = ctx.t(f"难以直接比较：{len(years)} 个年度、{len(kinds)} 种文档", f"Hard to compare: {len(years)} year(s), "
                  f"{len(kinds)} document kind(s)")
    return Message(title, said)
