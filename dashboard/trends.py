"""Year over year: a department's total per phase across the years its documents cover (pure).

One series per department and phase (a budget is never joined to an actual). A year the
department published a document for, but whose document prints no total of that phase, is
未披露 (drawn as a grey label at the foot of the chart, never as a point at 0); a year with only
a budget document has no actual to disclose (不适用).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.common import entity_color
from dashboard.fmt import UNIT_WAN, fmt_pct, fmt_wan
from dashboard.labels import DOC_KIND, MEASURE, NOT_DISCLOSED, PHASES, label

TREND_COLS = ["entity_id", "year", "measure", "amount", "state", "doc_id", "doc_kind", "table", "item",
              "source_ref"]
SPENDING_KINDS = ("final_accounts", "performance_self_eval")
NOT_APPLICABLE = {"zh": "不适用（预算文件）", "en": "n/a (budget document)"}


def phase_trend(yearly: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Every (department, year with a document, phase), with the total where one was printed.

    ``state``: ``printed``; ``not_disclosed`` (a document of that year, no such line); or
    ``not_applicable`` (an actual or adjusted budget of a year with only budget documents).
    ``yearly`` is ``totals.year_totals``.
    """
    if documents.empty:
        return pd.DataFrame(columns=TREND_COLS)
    docs = documents[["entity_id", "year", "doc_kind"]].copy()
    docs["spends"] = docs["doc_kind"].isin(SPENDING_KINDS)
    years = docs.groupby(["entity_id", "year"], as_index=False)["spends"].any()
    grid = years.merge(pd.DataFrame({"measure": list(PHASES)}), how="cross")
    cols = ["entity_id", "year", "measure", "amount", "doc_id", "doc_kind", "table", "item", "source_ref"]
    got = yearly.reindex(columns=cols) if not yearly.empty else pd.DataFrame(columns=cols)
    out = grid.merge(got, on=["entity_id", "year", "measure"], how="left")
    out["state"] = "printed"
    out.loc[out["amount"].isna(), "state"] = "not_disclosed"
    out.loc[out["amount"].isna() & ~out["spends"] & (out["measure"] != "budget_initial"), "state"] = "not_applicable"
    order = {m: i for i, m in enumerate(PHASES)}
    out = out.assign(_m=out["measure"].map(order)).sort_values(["entity_id", "_m", "year"])
    return out[TREND_COLS].reset_index(drop=True)


def multi_year(trend: pd.DataFrame) -> pd.DataFrame:
    """The rows of departments whose documents cover two years or more."""
    if trend.empty:
        return trend
    n = trend.groupby("entity_id")["year"].transform("nunique")
    return trend[n > 1]


def ranked_departments(trend: pd.DataFrame) -> list[str]:
    """The departments of ``trend`` by their largest printed total (any phase, any year), largest
    first. What the page's first chart draws the first of."""
    printed = trend[trend["state"] == "printed"]
    top = printed.groupby("entity_id")["amount"].max().sort_values(ascending=False, kind="stable")
    return [*top.index, *sorted(set(trend["entity_id"]) - set(top.index))]


def trend_changes(trend: pd.DataFrame) -> pd.DataFrame:
    """Per department and phase, each printed total against the previous printed year's:
    from_year, to_year, from_amount, amount, change, change_pct (same phase only)."""
    cols = ["entity_id", "measure", "from_year", "year", "from_amount", "amount", "change", "change_pct",
            "doc_id", "source_ref", "from_doc_id", "from_source_ref"]
    shown = trend[trend["state"] == "printed"].sort_values(["entity_id", "measure", "year"])
    if shown.empty:
        return pd.DataFrame(columns=cols)
    g = shown.groupby(["entity_id", "measure"])
    out = shown.assign(from_year=g["year"].shift(), from_amount=g["amount"].shift(),
                       from_doc_id=g["doc_id"].shift(), from_source_ref=g["source_ref"].shift())
    out = out.dropna(subset=["from_year"]).copy()
    out["from_year"] = out["from_year"].astype(int)
    out["change"] = out["amount"] - out["from_amount"]
    out["change_pct"] = out["change"] / out["from_amount"].where(out["from_amount"] != 0)
    return out[cols].reset_index(drop=True)


def trend_figure(trend: pd.DataFrame, labels: dict[str, str], lang: str = "zh") -> go.Figure:
    """One chart per phase (rows) across years, one line per department (its own colour). A
    printed 0 is a point on the line at 0; 未披露 is a grey label at the chart's foot (hover: who)."""
    shown = [m for m in PHASES if (trend[trend["measure"] == m]["state"] == "printed").any()] if not trend.empty else []
    title = "各阶段总额的年度变化" if lang == "zh" else "Totals by phase, year over year"
    if not shown:
        return _layout(go.Figure(), title, lang)
    fig = make_subplots(rows=len(shown), cols=1, shared_xaxes=True, vertical_spacing=0.09,
                        subplot_titles=[label(MEASURE, m, lang) for m in shown])
    seen = set()
    for row, m in enumerate(shown, start=1):
        part = trend[trend["measure"] == m]
        for eid, rows in part.groupby("entity_id", sort=True):
            rows = rows.sort_values("year")
            name = labels.get(eid, eid)
            printed = rows["state"] == "printed"
            where = [f"{label(DOC_KIND, k, lang)} {y} · {r}" if isinstance(r, str) else ""
                     for k, y, r in zip(rows["doc_kind"], rows["year"], rows["source_ref"], strict=True)]
            fig.add_scatter(
                x=rows["year"], y=rows["amount"].where(printed), mode="lines+markers", name=name,
                legendgroup=eid, showlegend=eid not in seen, connectgaps=False, row=row, col=1,
                line={"color": entity_color(eid), "width": 2.5}, marker={"size": 9, "color": entity_color(eid)},
                customdata=[[fmt_wan(a, lang), w] for a, w in zip(rows["amount"], where, strict=True)],
                hovertemplate=f"{name}<br>%{{x}} · {label(MEASURE, m, lang)}<br>%{{customdata[0]}}"
                              "<br>%{customdata[1]}<extra></extra>",
            )
            seen.add(eid)
        missing = part[part["state"] == "not_disclosed"]
        for year, who in missing.groupby("year"):
            names = "、".join(labels.get(e, e) for e in who["entity_id"])
            text = NOT_DISCLOSED[lang] + (f" ×{len(who)}" if len(who) > 1 else "")
            fig.add_annotation(x=year, y=0.03, xref=f"x{row if row > 1 else ''}", yref=f"y{row if row > 1 else ''} domain",
                               text=text, hovertext=f"{NOT_DISCLOSED[lang]}：{names}" if lang == "zh"
                               else f"{NOT_DISCLOSED[lang]}: {names}", showarrow=False,
                               font={"color": "#777", "size": 12}, bgcolor="#f2f2f2", bordercolor="#bbb",
                               borderwidth=1, borderpad=2)
        fig.update_yaxes(title_text=UNIT_WAN[lang], tickformat=",.0f", rangemode="tozero", row=row, col=1)
    years = sorted(trend["year"].unique())
    fig.update_xaxes(tickmode="array", tickvals=years, ticktext=[str(y) for y in years])
    fig.update_layout(height=260 * len(shown) + 170)
    return _layout(fig, title, lang)


def _layout(fig: go.Figure, title: str, lang: str) -> go.Figure:
    from dashboard.common import base_layout

    note = ("每条线一个部门、一个阶段；灰色“未披露”：该年文档没有印出这一阶段的总额" if lang == "zh"
            else "One line per department and phase; grey 'not disclosed': that year's document prints no such total")
    base_layout(fig, title, note)
    # the legend under the charts: above them it would sit on the first chart's title
    fig.update_layout(legend={"orientation": "h", "yanchor": "top", "y": -0.08, "x": 0},
                      margin={"l": 10, "r": 10, "t": 110, "b": 40})
    return fig


def changes_display(changes: pd.DataFrame, labels: dict[str, str], lang: str = "zh") -> pd.DataFrame:
    """``trend_changes`` for reading: department, phase, years, both totals, the change."""
    heads = {"zh": ["部门", "口径", "年度", "上一年度总额（万元）", "本年度总额（万元）", "变动（万元）", "变动（%）"],
             "en": ["department", "phase", "years", "earlier total", "total", "change", "change %"]}[lang]
    if changes.empty:
        return pd.DataFrame(columns=heads)
    return pd.DataFrame({
        heads[0]: [labels.get(e, e) for e in changes["entity_id"]],
        heads[1]: [label(MEASURE, m, lang) for m in changes["measure"]],
        heads[2]: [f"{a} → {b}" for a, b in zip(changes["from_year"], changes["year"], strict=True)],
        heads[3]: [fmt_wan(v, lang, unit=False) for v in changes["from_amount"]],
        heads[4]: [fmt_wan(v, lang, unit=False) for v in changes["amount"]],
        heads[5]: [fmt_wan(v, lang, unit=False) for v in changes["change"]],
        heads[6]: [fmt_pct(v, lang) for v in changes["change_pct"]],
    })
