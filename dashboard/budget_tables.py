"""预算与决算 tables for reading (pure): each department's years, where each total was read, and
the gaps with their stated reasons. Links open the source viewer at the line (``lang`` kept)."""

from __future__ import annotations

import pandas as pd

from dashboard.common import with_lang
from dashboard.fmt import fmt_pct, fmt_wan, is_missing
from dashboard.labels import DOC_KIND, MEASURE, PHASES, label
from dashboard.sources import source_url
from dashboard.totals import line_label
from dashboard.trends import NOT_APPLICABLE, SPENDING_KINDS

LEVEL = {0: ("合计", "total"), 1: ("类", "class"), 2: ("款", "section"), 3: ("项", "item")}
COVERAGE = {"all": ("全部支出", "all spending"), "evaluated": ("绩效自评的资金", "funds self-evaluated")}
SHORT = {"budget_initial": ("年初", "initial"), "budget_adjusted": ("调整", "adjusted"), "actual": ("决算", "actual")}


def _h(zh: str, en: str, lang: str) -> str:
    return zh if lang == "zh" else en


def link(doc_id, ref, lang: str = "zh") -> str:
    """The source viewer at ``ref`` of ``doc_id`` ('' where there is no line)."""
    if not isinstance(doc_id, str) or not isinstance(ref, str) or not ref:
        return ""
    return with_lang(source_url(doc_id, ref), lang)


def spending_years(documents: pd.DataFrame) -> set[tuple[str, int]]:
    """(department, year) pairs with a document that can print spending (决算, 绩效自评)."""
    docs = documents[documents["doc_kind"].isin(SPENDING_KINDS)]
    return set(zip(docs["entity_id"], docs["year"].astype(int), strict=True))


def sources_text(row: dict, lang: str) -> str:
    """'年初：预算 2022 · 支出总表 · 合计 · L145；决算：决算 2022 · …' (phases read from one line merged)."""
    groups: dict[str, list[str]] = {}
    for m in PHASES:
        ref = row.get(f"{m}_source_ref")
        if not isinstance(ref, str):
            continue
        doc = f"{label(DOC_KIND, row.get(f'{m}_doc_kind'), lang)} {int(row['year'])}"
        where = f"{doc} · {line_label(row.get(f'{m}_table'), row.get(f'{m}_item'), ref, lang)}"
        groups.setdefault(where, []).append(label(SHORT, m, lang))
    sep = "；" if lang == "zh" else "; "
    colon = "：" if lang == "zh" else ": "
    return sep.join(f"{'、'.join(ms) if lang == 'zh' else '/'.join(ms)}{colon}{w}" for w, ms in groups.items())


def years_display(wide: pd.DataFrame, documents: pd.DataFrame, labels: dict[str, str],
                  lang: str = "zh") -> pd.DataFrame:
    """One row per department and year: 年初 → 调整 → 决算, the execution rate, and which document
    and line each came from. A year with only a budget document: its actual is 不适用, not 未披露."""
    heads = [_h("部门", "department", lang), _h("年度", "year", lang), _h("年初预算（万元）", "initial budget", lang),
             _h("调整预算（万元）", "adjusted budget", lang), _h("决算（万元）", "actual", lang),
             _h("执行率", "execution rate", lang),
             _h("各阶段来源（文档 · 表 · 行）", "where each phase was read (document · table · line)", lang),
             _h("执行率所取行", "rate read from", lang)]
    if wide.empty:
        return pd.DataFrame(columns=heads)
    spends = spending_years(documents)
    rows = []
    for rec in wide.to_dict("records"):
        can_spend = (rec["entity_id"], int(rec["year"])) in spends
        cells = [labels.get(rec["entity_id"], rec["entity_id"]), str(int(rec["year"]))]
        for m in PHASES:
            v = rec[m]
            cells.append(NOT_APPLICABLE[lang] if is_missing(v) and m != "budget_initial" and not can_spend
                         else fmt_wan(v, lang, unit=False))
        rate = rec["execution_rate"]
        cells.append(NOT_APPLICABLE[lang] if is_missing(rate) and not can_spend else fmt_pct(rate, lang))
        cells.append(sources_text(rec, lang))
        cells.append(line_label(rec.get("rate_table"), rec.get("rate_item"), rec.get("rate_source_ref"), lang))
        rows.append(cells)
    out = pd.DataFrame(rows, columns=heads)
    return out if (out[heads[-1]] != "").any() else out.drop(columns=heads[-1])


def provenance_display(yearly: pd.DataFrame, labels: dict[str, str], lang: str = "zh") -> pd.DataFrame:
    """Every total shown, one row per department, year and phase: the document, table and line it
    was read from, what it covers, and a link to that line (column 原文)."""
    heads = [_h("部门", "department", lang), _h("年度", "year", lang), _h("口径", "phase", lang),
             _h("金额（万元）", "amount (10k CNY)", lang), _h("来源文档", "document", lang), _h("表", "table", lang),
             _h("所取行", "line read", lang), _h("覆盖范围", "coverage", lang), _h("出处", "source ref", lang),
             _h("原文", "source", lang)]
    if yearly.empty:
        return pd.DataFrame(columns=heads)
    y = yearly
    return pd.DataFrame({
        heads[0]: [labels.get(e, e) for e in y["entity_id"]],
        heads[1]: y["year"].astype(int).astype(str).to_numpy(),
        heads[2]: [label(MEASURE, m, lang) for m in y["measure"]],
        heads[3]: [fmt_wan(v, lang, unit=False) for v in y["amount"]],
        heads[4]: [f"{label(DOC_KIND, k, lang)} {int(yr)}" for k, yr in zip(y["doc_kind"], y["year"], strict=True)],
        heads[5]: [_h("文字说明", "text of the document", lang) if t == "narrative" else str(t) for t in y["table"]],
        heads[6]: y["item"].astype(str).to_numpy(),
        heads[7]: [label(COVERAGE, c, lang) for c in y["coverage"]],
        heads[8]: y["source_ref"].astype(str).to_numpy(),
        heads[9]: [link(d, r, lang) for d, r in zip(y["doc_id"], y["source_ref"], strict=True)],
    })


def gaps_display(gaps: pd.DataFrame, a: str, b: str, labels: dict[str, str], lang: str = "zh") -> pd.DataFrame:
    """Gaps for reading: the subject (类/款/项 or the total), both phases, the difference, the reason
    the document states and links to the figure's line (原文) and to the reason's (原因出处)."""
    heads = [_h("来源文档", "document", lang), _h("层级", "level", lang), _h("科目", "subject", lang),
             f"{label(MEASURE, a, lang)}{_h('（万元）', '', lang)}", f"{label(MEASURE, b, lang)}{_h('（万元）', '', lang)}",
             _h("差额（万元）", "difference", lang), _h("文中所述原因", "reason stated", lang),
             _h("原因出处", "reason source", lang), _h("原文", "source", lang), _h("比率", "ratio", lang),
             _h("科目编码", "code", lang), _h("出自", "read from", lang)]
    if gaps.empty:
        return pd.DataFrame(columns=heads)
    g = gaps
    docs = [f"{labels.get(e, e)} · {label(DOC_KIND, k, lang)} {int(y)}"
            for e, k, y in zip(g["entity_id"], g["doc_kind"], g["year"], strict=True)]
    derived = g["derived"].fillna(False).astype(bool)
    a_text = [fmt_wan(v, lang, unit=False) + (_h("（推算）", " (derived)", lang) if d else "")
              for v, d in zip(g["a"], derived, strict=True)]
    where = [_h("文字说明", "text", lang) if t == "narrative" else str(t) for t in g["table"]]
    return pd.DataFrame({
        heads[0]: docs,
        heads[1]: [label(LEVEL, int(lv), lang) if not is_missing(lv) else "" for lv in g["level"]],
        heads[2]: g["item"].astype(str).to_numpy(),
        heads[3]: a_text,
        heads[4]: [fmt_wan(v, lang, unit=False) for v in g["b"]],
        heads[5]: [fmt_wan(v, lang, unit=False) for v in g["difference"]],
        heads[6]: [r if isinstance(r, str) and r else _h("（文中未说明）", "(none stated)", lang) for r in g["reason"]],
        heads[7]: [link(d, r, lang) for d, r in zip(g["doc_id"], g["reason_ref"], strict=True)],
        heads[8]: [link(d, r, lang) for d, r in zip(g["doc_id"], g["source_ref"], strict=True)],
        heads[9]: [fmt_pct(v, lang) for v in g["ratio"]],
        heads[10]: [c if isinstance(c, str) else "" for c in g["code"]],
        heads[11]: where,
    })
