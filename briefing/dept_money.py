"""One department's brief, the money (pure): headline budget → adjusted → final, the largest gaps by
类/款 with their reasons, 三公 by item."""

from __future__ import annotations

import pandas as pd

from briefing import adapters
from briefing.context import Context
from briefing.model import NOT_APPLICABLE, Message, Table, money, number, ref_cell, text
from briefing.model import pct as pct_cell
from briefing.parts import chart, pct, phase, signed_wan, wan
from dashboard.fmt import is_missing
from dashboard.labels import PHASES, SANGONG_ITEM, label


def head_row(ctx: Context, eid: str) -> tuple[dict | None, pd.DataFrame | None]:
    """The department's latest year: each phase's total with the document and line it was read from
    (``<phase>_doc_id``, ``_source_ref``, ``_table``, ``_item``) and the execution rate with its line,
    as the 预算与决算 page defines them; and the yearly totals (for its chart)."""
    got = adapters.department_years(ctx)
    if got is not None:
        yearly, wide = got
        own = wide[wide["entity_id"] == eid].sort_values("year")
        if own.empty:
            return None, None
        return own.iloc[-1].to_dict(), yearly[yearly["entity_id"] == eid]
    from dashboard.budget import phase_totals, totals_wide  # older dashboards: one line per document

    totals = phase_totals(ctx.of("budget_lines", eid))
    wide = totals_wide(totals).sort_values("year")
    if wide.empty:
        return None, None
    w = wide.iloc[-1].to_dict()
    for m in PHASES:
        at = totals[(totals["doc_id"] == w["doc_id"]) & (totals["measure"] == m)]
        w.update({f"{m}_doc_id": w["doc_id"], f"{m}_doc_kind": w["doc_kind"], f"{m}_table": w["table"],
                  f"{m}_item": w["item"], f"{m}_source_ref": at["source_ref"].iloc[0] if not at.empty else None})
    w.update({"rate_doc_id": w["doc_id"], "rate_source_ref": w["actual_source_ref"], "rate_item": w["item"]})
    return w, None


def _rate_pair(ctx: Context, w: dict) -> tuple[float, float]:
    """(adjusted, actual) as printed on the line the execution rate comes from."""
    lines = ctx.of("budget_lines")
    at = lines[(lines["doc_id"] == w.get("rate_doc_id")) & (lines["source_ref"] == w.get("rate_source_ref"))]
    if isinstance(w.get("rate_item"), str):
        at = at[at["item"] == w["rate_item"]]
    got = {m: at.loc[at["measure"] == m, "amount"] for m in ("budget_adjusted", "actual")}
    if all(not v.empty for v in got.values()):
        return float(got["budget_adjusted"].iloc[0]), float(got["actual"].iloc[0])
    proj = ctx.of("projects")  # a whole-department self-evaluation line prints both
    at = proj[(proj["doc_id"] == w.get("rate_doc_id")) & (proj["source_ref"] == w.get("rate_source_ref"))]
    at = at.dropna(subset=["budget_adjusted", "actual"])
    if not at.empty:
        return float(at["budget_adjusted"].iloc[0]), float(at["actual"].iloc[0])
    return w["budget_adjusted"], w["actual"]


def line_label(table, item, ref, lang: str) -> str:
    """'支出决算表 · 合计 · L192' (the dashboard's ``totals.line_label`` where there is one)."""
    try:
        from dashboard.totals import line_label as dashboard_line_label
    except ImportError:
        return " · ".join(str(x) for x in (table, item, ref) if isinstance(x, str) and x)
    return dashboard_line_label(table, item, ref, lang)


def headline(ctx: Context, eid: str) -> Message:
    w, yearly = head_row(ctx, eid)
    kinds = set(ctx.docs.loc[ctx.docs["entity_id"] == eid, "doc_kind"])
    if w is None:
        return Message(ctx.t("文档未印出支出合计：无法给出预算与决算", "No spending total printed: no budget or actual"),
                       [ctx.t("文档中没有印出支出合计行。", "The documents print no total spending line.")])
    is_budget = kinds == {"budget"}
    cells, refs = [], []
    for m in PHASES:
        v = w.get(m)
        ref = ctx.ref(w.get(f"{m}_doc_id"), w.get(f"{m}_source_ref")) if not is_missing(v) else None
        na = NOT_APPLICABLE if is_budget and m in ("actual", "budget_adjusted") else None
        where = line_label(w.get(f"{m}_table"), w.get(f"{m}_item"), w.get(f"{m}_source_ref"), ctx.lang) if ref else ""
        cells.append([text(phase(m, ctx)), money(v, ref, na), text(ref.doc if ref else ""), text(where),
                      ref_cell(ref)])
        refs += [ref] if ref else []
    rate = w.get("execution_rate")
    rate_ref = ctx.ref(w.get("rate_doc_id"), w.get("rate_source_ref")) if not is_missing(rate) else None
    where = line_label(w.get("rate_table") or w.get("actual_table"), w.get("rate_item"), w.get("rate_source_ref"),
                       ctx.lang) if rate_ref else ""
    cells.append([text(ctx.t("执行率", "execution rate")), pct_cell(rate, rate_ref, NOT_APPLICABLE if is_budget else None),
                  text(rate_ref.doc if rate_ref else ""), text(where), ref_cell(rate_ref)])
    table = Table([ctx.t("阶段", "phase"), ctx.t("金额（万元）", "amount (10k CNY)"), ctx.t("来源文档", "document"),
                   ctx.t("所取的行", "line read"), ctx.t("出处", "ref")], cells)
    ini, adj, act = w.get("budget_initial"), w.get("budget_adjusted"), w.get("actual")
    year = int(w["year"])
    if is_budget or (is_missing(act) and is_missing(adj) and not is_missing(ini)):
        title = ctx.t(f"{year} 年初预算 {wan(ini, ctx)}：预算文件没有实际支出，不能计算执行率",
                      f"{year} initial budget {wan(ini, ctx)}: a budget has no actual spending, no rate")
    elif not is_missing(rate):
        p_adj, p_act = _rate_pair(ctx, w)
        title = ctx.t(f"执行率 {pct(rate, ctx)}：决算 {wan(p_act, ctx)}，调整预算 {wan(p_adj, ctx)}",
                      f"Execution {pct(rate, ctx)}: actual {wan(p_act, ctx)}, adjusted budget {wan(p_adj, ctx)}")
    elif not is_missing(act):
        title = ctx.t(f"决算 {wan(act, ctx)}：调整预算未披露，不能计算执行率",
                      f"Actual {wan(act, ctx)}: adjusted budget not disclosed, no execution rate")
    else:
        title = ctx.t(f"年初预算 {wan(ini, ctx)}：决算未披露", f"Initial budget {wan(ini, ctx)}: actual not disclosed")
    said = [ctx.t("每个阶段取文档印出的一个总额行（与仪表盘“预算与决算”页同一口径）；执行率取自文档把调整预算与决算印在一起的那一行。",
                  "Each phase is one printed total line (as on the dashboard's budget page); the rate comes from "
                  "the line printing adjusted budget and actual together.")]
    p_adj, p_act = _rate_pair(ctx, w) if not is_missing(rate) else (None, None)
    if not is_missing(rate) and not is_missing(act) and (abs(p_act - act) > 0.005 or abs(p_adj - adj) > 0.005):
        said.append(ctx.t(f"执行率所在行印出决算 {wan(p_act, ctx)}、调整预算 {wan(p_adj, ctx)}（{rate_ref.text()}），"
                          f"与全部支出的决算合计（{wan(act, ctx)}）口径不同。",
                          f"The rate's line prints actual {wan(p_act, ctx)} and adjusted budget {wan(p_adj, ctx)} "
                          f"({rate_ref.text()}), a different coverage from the spending total ({wan(act, ctx)})."))
    if not is_missing(ini) and not is_missing(adj):
        said.append(ctx.t(f"调整预算较年初预算 {signed_wan(adj - ini, ctx)}。",
                          f"Adjusted budget vs initial: {signed_wan(adj - ini, ctx)}."))
    if any(ctx.docs.loc[ctx.docs["doc_id"] == r.doc_id, "doc_kind"].eq("performance_self_eval").any() for r in refs):
        said.append(ctx.t("绩效自评的部门整体支出只覆盖被评价的资金。", "A self-evaluation's totals cover the funds "
                          "evaluated only."))
    if is_budget:
        said.append(ctx.t("预算文件只有预算数：调整预算、决算与执行率不适用（不是 0）。",
                          "A budget document has budget figures only: adjusted budget, actual and rate are not "
                          "applicable (not 0)."))
    shown = pd.DataFrame([{"doc_id": w.get(f"{m}_doc_id"), "entity_id": eid, "year": year,
                           "doc_kind": w.get(f"{m}_doc_kind"), "measure": m, "amount": w.get(m),
                           "table": w.get(f"{m}_table"), "source_ref": w.get(f"{m}_source_ref")}
                          for m in PHASES if not is_missing(w.get(m))])
    fig = chart(adapters.phase_chart_figure, "budget-phases", ctx, yearly, shown) if not shown.empty else None
    return Message(title, said, table, fig, refs)


def gaps(ctx: Context, eid: str) -> Message:
    rows = adapters.gaps(ctx, eid)
    kinds = set(ctx.docs.loc[ctx.docs["entity_id"] == eid, "doc_kind"])
    if rows.empty:
        why = (ctx.t("预算文件只有预算数，没有决算：无法比较预算与决算。",
                     "A budget document has no actual spending: budget and actual cannot be compared.")
               if kinds == {"budget"} else
               ctx.t("文档没有在同一科目（类/款）同时印出预算与决算两个阶段的数，无法列出差距。",
                     "No 类/款 figure is printed in two phases by one document: no gap can be shown."))
        return Message(ctx.t("预算与决算差距：无法列出", "Budget vs actual gaps: none can be shown"), [why])
    cells = []
    for r in rows.to_dict("records"):
        ra, rb = ctx.ref(r["doc_id"], r["a_ref"]), ctx.ref(r["doc_id"], r["b_ref"])
        name = f"{r['code']} {r['item']}" if isinstance(r["code"], str) else str(r["item"])
        why = r["reason"] if isinstance(r["reason"], str) else ctx.t("文档未说明", "not stated")
        cells.append([text(name), text(f"{phase(r['a_measure'], ctx)} → {phase(r['b_measure'], ctx)}"),
                      money(r["a"], ra), money(r["b"], rb), money(r["difference"]), pct_cell(r["ratio"]),
                      text(why, ctx.ref(r["doc_id"], r["reason_ref"]) if r["reason_ref"] else None),
                      text(" / ".join(dict.fromkeys([x for x in (r["a_ref"], r["b_ref"]) if isinstance(x, str)])))])
    table = Table([ctx.t("科目", "item"), ctx.t("比较", "phases"), ctx.t("前一阶段（万元）", "from (10k CNY)"),
                   ctx.t("后一阶段（万元）", "to (10k CNY)"), ctx.t("差额（万元）", "difference"), ctx.t("比率", "ratio"),
                   ctx.t("文档所述原因", "reason stated"), ctx.t("出处", "ref")], cells)
    top = rows.iloc[0]
    title = ctx.t(f"差距最大：{top['item']} {phase(top['a_measure'], ctx)} {wan(top['a'], ctx)} → "
                  f"{phase(top['b_measure'], ctx)} {wan(top['b'], ctx)}（{signed_wan(top['difference'], ctx)}）",
                  f"Largest gap: {top['item']} {phase(top['a_measure'], ctx)} {wan(top['a'], ctx)} → "
                  f"{phase(top['b_measure'], ctx)} {wan(top['b'], ctx)} ({signed_wan(top['difference'], ctx)})")
    said = [ctx.t("同一文档中同一科目印出的两个阶段之差，按差额绝对值排序；原因照文档原句摘出。",
                  "Two phases of one 类/款 figure printed by one document, largest difference first; reasons "
                  "quoted from the document.")]
    return Message(title, said, table)


def sangong(ctx: Context, eid: str) -> Message:
    from dashboard import sangong as sg

    rows = ctx.of("sangong", eid)
    derived = ctx.derived.get("sangong")
    derived = derived[derived["entity_id"] == eid] if derived is not None else None
    stated = ctx.of("stated_changes", eid)
    if rows.empty:
        return _no_sangong(ctx, eid)
    wide = sg.sangong_wide(rows, ctx.docs, derived, stated)
    refs = {(r["doc_id"], r["item"], r["measure"]): r["source_ref"] for r in rows.to_dict("records")}
    cols = ["budget_initial", "budget_adjusted", "actual", "prior_year_budget", "prior_year_actual"]
    cells = []
    for w in wide.to_dict("records"):
        doc, item = w["doc_id"], w["item"]
        is_budget = w["doc_kind"] == "budget"
        row = [text(label(SANGONG_ITEM, item, ctx.lang))]
        for m in cols:
            derived_mark = bool(w.get(f"{m}_derived"))
            ref = ctx.ref(doc, w["change_ref"] if derived_mark else refs.get((doc, item, m)))
            na = NOT_APPLICABLE if is_budget and m in ("actual", "budget_adjusted") else None
            row.append(money(w[m], ref if not is_missing(w[m]) else None, na,
                             mark=ctx.t("推算", "derived") if derived_mark and not is_missing(w[m]) else ""))
        stated_mark = ctx.t("文中所述", "stated") if w.get("change_stated") else ""
        row.append(money(w["change"], ctx.ref(doc, w["change_ref"]) if w.get("change_ref") else None, mark=stated_mark))
        per = w["actual_per_staff"] * 10000 if not is_missing(w["actual_per_staff"]) else None
        row.append(number(per, "yuan", state=NOT_APPLICABLE if is_budget else None))
        row.append(ref_cell(ctx.ref(doc, refs.get((doc, item, "actual")) or refs.get((doc, item, "budget_initial")))))
        cells.append(row)
    heads = [ctx.t("项目", "item"), *[ctx.t(f"{phase(m, ctx)}（万元）", phase(m, ctx)) for m in cols],
             ctx.t("较上年（万元）", "change on prior year"), ctx.t("人均决算（元）", "actual per staff (CNY)"), ctx.t("出处", "ref")]
    table = Table(heads, cells)
    title, said = _sangong_message(ctx, wide)
    total = "total" if (rows["item"] == "total").any() else rows["item"].iloc[0]
    fig = chart(sg.item_figure, "sangong-item", rows, total, ctx.labels, ctx.lang, derived, stated)
    counts = ctx.of("sangong_counts", eid)
    for c in counts.to_dict("records"):
        from dashboard.labels import COUNT_WHAT

        said.append(f"{label(SANGONG_ITEM, c['item'], ctx.lang)} · {label(COUNT_WHAT, c['what'], ctx.lang)} · "
                    f"{phase(c['measure'], ctx)}: {c['count']:g}（{c['source_ref']}）")
    return Message(title, said, table, fig, [ctx.ref(d) for d in wide["doc_id"].unique()])


def _sangong_message(ctx: Context, wide: pd.DataFrame) -> tuple[str, list[str]]:
    tot = wide[wide["item"] == "total"]
    w = (tot if not tot.empty else wide).iloc[0]
    staff = w["staff_count"]
    said = []
    if is_missing(staff):
        said.append(ctx.t("文档未披露人数：不计算人均。", "The documents do not disclose a staff count: no per-staff figure."))
    else:
        said.append(ctx.t(f"人数 {staff:g} 人（{ctx.doc_text(w['doc_id'])}）；人均 = 决算 ÷ 人数，单位元。",
                          f"Staff {staff:g} ({ctx.doc_text(w['doc_id'])}); per staff = actual ÷ staff, in CNY."))
    name = label(SANGONG_ITEM, w["item"], ctx.lang)
    change = "" if is_missing(w["change"]) else ctx.t(f"，较上年 {signed_wan(w['change'], ctx)}",
                                                       f", {signed_wan(w['change'], ctx)} on the prior year")
    if w["doc_kind"] == "budget" or is_missing(w["actual"]):
        said.append(ctx.t("预算文件只有预算数：决算与人均不适用。", "A budget has no actual: actual and per staff n/a.")
                    if w["doc_kind"] == "budget" else ctx.t("决算未披露。", "Actual not disclosed."))
        return ctx.t(f"{name}年初预算 {wan(w['budget_initial'], ctx)}{change}",
                     f"{name}: initial budget {wan(w['budget_initial'], ctx)}{change}"), said
    per = "" if is_missing(w["actual_per_staff"]) else ctx.t(
        f"；人均 {w['actual_per_staff'] * 10000:,.2f} 元（{staff:g} 人）",
        f"; {w['actual_per_staff'] * 10000:,.2f} CNY per staff member ({staff:g})")
    return ctx.t(f"{name}决算 {wan(w['actual'], ctx)}{change}{per}",
                 f"{name}: actual {wan(w['actual'], ctx)}{change}{per}"), said


def _no_sangong(ctx: Context, eid: str) -> Message:
    tables = ctx.of("tables", eid)
    own = tables[tables["kind"] == "sangong"] if "kind" in tables else tables.head(0)
    said = [ctx.t("文档没有三公经费部分：三公经费未披露（不是 0）。",
                  "The documents have no 三公 section: 三公 expenses are not disclosed (not 0).")]
    for r in own.to_dict("records"):
        if r["status"] == "missing":
            said.append(ctx.t(f"目录列出“{r['table']}”，但正文未印出（{r['source_ref']}）。",
                              f"The contents list '{r['table']}' but the body does not print it ({r['source_ref']})."))
        elif r["status"] == "empty":
            said.append(ctx.t(f"“{r['table']}”声明为空（{r['source_ref']}）。", f"'{r['table']}' is declared empty."))
    refs = [ctx.ref(r["doc_id"], r["source_ref"]) for r in own.to_dict("records")]
    return Message(ctx.t("三公经费：文档未披露", "三公 expenses: not disclosed"), said, None, None, refs)
