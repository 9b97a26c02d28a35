"""预算与决算: totals by phase, the 类→款→项 tree, gaps and adjustments (pure)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import totals as tt
from dashboard.changes import change_cell, money_cell, split_derived, year_on_year
from dashboard.common import (
    add_doc_label,
    add_not_disclosed,
    add_phase_bars,
    base_layout,
    doc_labels,
    sources_note,
)
from dashboard.fmt import UNIT_WAN, fmt_wan
from dashboard.labels import BREAKDOWN, MEASURE, PHASES, label
from dashboard.sources import parse_ref, source_url

KEYS = ["doc_id", "entity_id", "year", "doc_kind"]


def main_table(lines: pd.DataFrame) -> pd.DataFrame:
    """Per document, the expenditure table that covers all funds: titles naming 支出 (not 收入)
    first, then the largest printed total, the most classified (类/款/项) rows, the shortest title."""
    if lines.empty:
        return pd.DataFrame(columns=["doc_id", "table"])
    title = lines["table"].astype(str)
    spend = title.str.contains("支出") & ~title.str.contains("收入")
    df = lines.assign(
        spend=spend,
        total=lines["amount"].where((lines["level"] == 0) & (lines["breakdown"] == "total")),
        coded=lines["level"].isin([1, 2, 3]),
    )
    rank = df.groupby(["doc_id", "table"]).agg(spend=("spend", "first"), total=("total", "max"),
                                               coded=("coded", "sum")).reset_index()
    rank["total"] = rank["total"].fillna(-1)
    rank["title_len"] = rank["table"].str.len()  # the general table, not a fund's subset
    rank = rank.sort_values(["doc_id", "spend", "total", "coded", "title_len", "table"],
                            ascending=[True, False, False, False, True, True])
    return rank.drop_duplicates("doc_id")[["doc_id", "table"]]


def phase_totals(lines: pd.DataFrame) -> pd.DataFrame:
    """One row per (document, measure): the document's total of each phase, as defined once in
    ``dashboard.totals`` (the line it comes from in ``table``, ``item``, ``source_ref``). A measure
    with no printed total has no row (shown as 未披露, never summed up or zero)."""
    cols = [*KEYS, "measure", "amount", "table", "item", "source_ref"]
    return tt.department_totals(lines).reindex(columns=cols)


def totals_wide(totals: pd.DataFrame) -> pd.DataFrame:
    """Documents × phases (NaN = 未披露), with execution rate actual / adjusted (same document)."""
    if totals.empty:
        return pd.DataFrame(columns=[*KEYS, "table", "item", *PHASES, "execution_rate"])
    wide = totals.pivot_table(index=KEYS, columns="measure", values="amount", aggfunc="first").reset_index()
    where = totals.drop_duplicates("doc_id").set_index("doc_id")
    wide["table"] = wide["doc_id"].map(where["table"]) if "table" in where else None
    wide["item"] = wide["doc_id"].map(where["item"]) if "item" in where else None
    for m in PHASES:
        if m not in wide:
            wide[m] = float("nan")
    wide["execution_rate"] = wide["actual"] / wide["budget_adjusted"]
    wide.columns.name = None
    return wide[[*KEYS, "table", "item", *PHASES, "execution_rate"]]


def phase_figure(totals: pd.DataFrame, labels: dict[str, str], lang: str = "zh") -> go.Figure:
    """Grouped bars: one trace per phase (never mixed), x = department · document kind year."""
    df = add_doc_label(totals, labels, lang)
    fig = go.Figure()
    order = sorted(df["source"].unique()) if not df.empty else []
    add_phase_bars(fig, df, PHASES, ["table", "source_ref"], lang)
    fig.update_layout(barmode="group", yaxis_title=UNIT_WAN[lang], yaxis_tickformat=",.0f")
    fig.update_xaxes(categoryorder="array", categoryarray=order)
    title = "支出总额：年初预算 → 调整预算 → 决算" if lang == "zh" else "Total spending by phase"
    return base_layout(fig, title, sources_note(df, labels, lang))


def year_phase_figure(yearly: pd.DataFrame, labels: dict[str, str], lang: str = "zh") -> go.Figure:
    """Grouped bars per department and year (budget from its 预算, actual from its 决算: the hover
    names the document and line of each bar), one trace per phase. A phase the year's documents do
    not print gets a grey 未披露 label at the foot of its group, never a bar at 0."""
    from dashboard.labels import DOC_KIND

    df = yearly.copy()
    df["source"] = [f"{labels.get(e, e)} · {int(y)}" for e, y in zip(df["entity_id"], df["year"], strict=True)]
    df["document"] = [f"{label(DOC_KIND, k, lang)} {int(y)}" for k, y in zip(df["doc_kind"], df["year"], strict=True)]
    df["table"] = [("文字说明" if lang == "zh" else "text") if t == "narrative" else (t if isinstance(t, str) else "")
                   for t in df["table"]]
    df["source_ref"] = df["source_ref"].astype(object).where(df["source_ref"].notna(), "")
    fig = go.Figure()
    add_phase_bars(fig, df, PHASES, ["document", "table", "source_ref"], lang)
    # Each department-year once, in order; a year with a 决算 or 绩效自评 can print spending.
    spends = df.assign(s=df["doc_kind"].isin(("final_accounts", "performance_self_eval"))).groupby("source")["s"].any()
    everyone = pd.DataFrame({"source": sorted(spends.index)})
    everyone["doc_kind"] = np.where(everyone["source"].map(spends), "final_accounts", "budget")
    everyone["doc_id"] = everyone["source"]
    add_not_disclosed(fig, df, df.head(0), everyone, lang)
    fig.update_layout(barmode="group", yaxis_title=UNIT_WAN[lang], yaxis_tickformat=",.0f")
    title = "支出总额：年初预算 → 调整预算 → 决算" if lang == "zh" else "Total spending by phase"
    note = ("每个阶段取自印出它的文档：年初取预算文件，调整与决算取决算文件" if lang == "zh"
            else "Each phase from the document that prints it: initial from the budget, adjusted and actual "
                 "from the final accounts")
    return base_layout(fig, title, note)


PART = {"narrative": ("说明", "text"), "tables": ("公开表", "tables")}


def distinct_names(names: dict[str, str], documents: pd.DataFrame, lang: str = "zh") -> dict[str, str]:
    """doc_id → name, a disclosure's files told apart where they share a name ('… 2017（公开表）')."""
    part = documents.drop_duplicates("doc_id").set_index("doc_id")["part"] if "part" in documents else {}
    seen = pd.Series(list(names.values())).value_counts()
    out = {}
    for d, n in names.items():
        p = part.get(d) if seen[n] > 1 else None
        out[d] = f"{n}（{label(PART, p, lang)}）" if lang == "zh" and p in PART else (
            f"{n} ({label(PART, p, lang)})" if p in PART else n)
    return out


def classification(lines: pd.DataFrame, doc_id: str, measure: str) -> pd.DataFrame:
    """The 类→款→项 rows of one document's main table for one measure, with parent codes."""
    main = lines[lines["doc_id"] == doc_id]
    main = main.merge(main_table(main), on=["doc_id", "table"])
    rows = main[(main["measure"] == measure) & main["level"].isin([1, 2, 3]) & main["code"].notna()]
    rows = rows[rows["breakdown"] == "total"] if (rows["breakdown"] == "total").any() else rows
    rows = rows.drop_duplicates("code").copy()
    width = {1: 3, 2: 5, 3: 7}
    codes = set(rows["code"])
    parents = []
    for code, level in zip(rows["code"], rows["level"], strict=True):
        parent = code[: width.get(int(level) - 1, 0)] if int(level) > 1 else ""
        parents.append(parent if parent in codes else "")
    rows["parent"] = parents
    return rows[["code", "item", "level", "parent", "amount", "table", "source_ref"]].sort_values("code")


def classification_figure(tree: pd.DataFrame, caption: str, lang: str = "zh") -> go.Figure:
    """Icicle of 类→款→项. Sizes come from the lowest printed rows; hover shows each printed amount."""
    has_child = set(tree["parent"])
    sizes = [0.0 if c in has_child else max(a, 0.0) for c, a in zip(tree["code"], tree["amount"], strict=True)]
    fig = go.Figure(
        go.Icicle(
            ids=tree["code"],
            labels=[f"{c} {i}" for c, i in zip(tree["code"], tree["item"], strict=True)],
            parents=tree["parent"],
            values=sizes,
            branchvalues="remainder",
            customdata=[[fmt_wan(a, lang), r] for a, r in zip(tree["amount"], tree["source_ref"], strict=True)],
            hovertemplate="%{label}<br>%{customdata[0]}<br>%{customdata[1]}<extra></extra>",
        )
    )
    title = "功能分类 类→款→项" if lang == "zh" else "Function classification"
    return base_layout(fig, title, caption)


def gaps(lines: pd.DataFrame, a: str = "budget_adjusted", b: str = "actual") -> pd.DataFrame:
    """Classified rows where the same document prints both measures, largest |b − a| first."""
    rows = lines[lines["level"].isin([1, 2, 3]) & lines["code"].notna()]
    idx = [*KEYS, "table", "code", "item", "level", "breakdown"]
    wide = rows.pivot_table(index=idx, columns="measure", values="amount", aggfunc="first").reset_index()
    if a not in wide or b not in wide:
        return pd.DataFrame(columns=[*idx, a, b, "difference", "ratio"])
    wide = wide.dropna(subset=[a, b]).copy()
    wide["difference"] = wide[b] - wide[a]
    wide["ratio"] = wide[b] / wide[a].where(wide[a] != 0)
    wide.columns.name = None
    wide = wide.reindex(wide["difference"].abs().sort_values(ascending=False).index)
    return wide[[*idx, a, b, "difference", "ratio"]].reset_index(drop=True)


def year_on_year_lines(stated: pd.DataFrame | None, lines: pd.DataFrame,
                       derived: pd.DataFrame | None = None) -> pd.DataFrame:
    """The budget_lines figures whose change against the prior year the text states, in document
    order: the current figure, the change and % as stated, and the prior-year figure — printed
    where the document prints it (``prior_derived`` False), else derived from the change (True),
    else NaN (未披露). Phases stay apart: a prior-year budget is never matched with an actual."""
    cols = [*KEYS, "item", "breakdown", "level", "measure", "against", "current_amount", "change_amount",
            "change_pct", "prior", "prior_derived", "text", "source_ref"]
    rows = year_on_year(stated, "budget_lines")
    if rows.empty:
        return pd.DataFrame(columns=cols)
    on = ["doc_id", "item", "breakdown", "against"]
    printed, inside = split_derived(lines)
    derived = pd.concat([d for d in (inside, derived) if d is not None and not d.empty] or [printed.head(0)])

    def prior_of(df: pd.DataFrame, name: str) -> pd.DataFrame:
        df = df.rename(columns={"measure": "against", "amount": name})[[*on, name]]
        return df.drop_duplicates(on)

    out = rows.merge(prior_of(printed, "printed"), on=on, how="left")
    out = out.merge(prior_of(derived, "derived"), on=on, how="left")
    out["prior_derived"] = out["printed"].isna() & out["derived"].notna()
    out["prior"] = out["printed"].fillna(out["derived"])
    ref_order = out["source_ref"].map(_ref_key)
    out = out.assign(_r=ref_order).sort_values(["entity_id", "year", "doc_id", "_r"], kind="stable")
    return out[cols].reset_index(drop=True)


def _ref_key(ref) -> tuple[int, int]:
    page, line = parse_ref(ref)
    return (page or 0, line or 0)


def year_on_year_display(rows: pd.DataFrame, labels: dict[str, str], lang: str = "zh") -> pd.DataFrame:
    """``year_on_year_lines`` for reading: the prior year marked （推算） where derived, the change
    as stated, and a link to the sentence."""
    heads = {"zh": ["来源文档", "项目", "栏目", "口径", "本年（万元）", "上年（万元）", "变动（万元）", "变动（%）",
                    "原文句", "原文"],
             "en": ["document", "item", "breakdown", "measure", "current", "prior year", "change", "change %",
                    "sentence", "source"]}[lang]
    if rows.empty:
        return pd.DataFrame(columns=heads)
    prior_name = [f"{label(MEASURE, m, lang)}" for m in rows["against"]]
    return pd.DataFrame({
        heads[0]: doc_labels(rows, labels, lang),
        heads[1]: rows["item"].astype(str),
        heads[2]: [label(BREAKDOWN, b, lang) if isinstance(b, str) else "" for b in rows["breakdown"]],
        heads[3]: [f"{label(MEASURE, m, lang)} / {p}" for m, p in zip(rows["measure"], prior_name, strict=True)],
        heads[4]: [fmt_wan(v, lang, unit=False) for v in rows["current_amount"]],
        heads[5]: [money_cell(v, d, lang) for v, d in zip(rows["prior"], rows["prior_derived"], strict=True)],
        heads[6]: [change_cell(v, True, False, lang) for v in rows["change_amount"]],
        heads[7]: [change_cell(v, True, True, lang) for v in rows["change_pct"]],
        heads[8]: rows["text"].fillna("").astype(str),
        heads[9]: [source_url(d, r) for d, r in zip(rows["doc_id"], rows["source_ref"], strict=True)],
    })
