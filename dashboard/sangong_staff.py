"""三公经费 per staff member (元/人) against the other departments, each department's 三公 over the
years, the items of one phase and the vehicle counts (pure). A document that does not print its staff
count or the figure gets 未披露, never 0."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.changes import split_derived
from dashboard.common import NOT_DISCLOSED_COLOR, add_doc_label, base_layout, doc_labels, sources_note
from dashboard.fmt import UNIT_WAN, UNIT_YUAN, YUAN_PER_WAN, fmt_yuan
from dashboard.labels import COUNT_WHAT, MEASURE, MEASURE_STYLE, NOT_DISCLOSED, SANGONG_ITEM, label

KEYS = ["doc_id", "entity_id", "year", "doc_kind"]
OTHERS_COLOR = "#c7c7c7"


def per_staff(sangong: pd.DataFrame, documents: pd.DataFrame, item: str = "total",
              measure: str = "actual") -> pd.DataFrame:
    """Per document of ``documents``: the item's ``measure`` (万元), the staff count the document states,
    and the figure per staff member in 元 (``per_staff_yuan``); ``missing`` names what is not printed
    ('staff', 'amount' or '' ). Ranked: highest per staff first, the undisclosed last."""
    cols = [*KEYS, "amount", "staff_count", "per_staff_yuan", "missing", "source_ref"]
    docs = documents[[*KEYS, "staff_count"]].drop_duplicates("doc_id") if not documents.empty else \
        pd.DataFrame(columns=[*KEYS, "staff_count"])
    rows = sangong[(sangong["item"] == item) & (sangong["measure"] == measure)]
    rows = rows.drop_duplicates("doc_id")[["doc_id", "amount", "source_ref"]]
    out = docs.merge(rows, on="doc_id", how="left")
    if measure in ("actual", "budget_adjusted"):
        out = out[out["doc_kind"] != "budget"]  # a budget prints no spending: not a missing figure
    staff = out["staff_count"].where(out["staff_count"] > 0)
    out["per_staff_yuan"] = out["amount"] * YUAN_PER_WAN / staff
    out["missing"] = ["amount" if pd.isna(a) else "staff" if pd.isna(s) else ""
                      for a, s in zip(out["amount"], staff, strict=True)]
    out = out.sort_values(["per_staff_yuan", "entity_id"], ascending=[False, True], na_position="last")
    return out.reset_index(drop=True)[cols]


def per_staff_figure(per: pd.DataFrame, labels: dict[str, str], colors: dict[str, str], focus: str | None = None,
                     item: str = "total", measure: str = "actual", lang: str = "zh") -> go.Figure:
    """One bar per document, in 元 per staff member, highest first. ``focus`` (an entity_id) is drawn in
    its colour and the others grey, against the median of the others; a document without staff count or
    figure is a row labelled 未披露, with no bar."""
    zh = lang == "zh"
    df = per.assign(source=doc_labels(per, labels, lang)) if not per.empty else per.assign(source=[])
    fig = go.Figure()
    shown = df[df["missing"] == ""]
    if focus:
        color = [colors.get(e, "#1f77b4") if e == focus else OTHERS_COLOR for e in shown["entity_id"]]
    else:
        color = [colors.get(e, "#1f77b4") for e in shown["entity_id"]]
    fig.add_bar(y=shown["source"], x=shown["per_staff_yuan"], orientation="h", marker_color=color, showlegend=False,
                text=[fmt_yuan(v, lang) for v in shown["per_staff_yuan"]], textposition="outside",
                customdata=list(zip(shown["amount"], shown["staff_count"], shown["source_ref"], strict=True)),
                hovertemplate="%{y}<br>%{x:,.0f} " + UNIT_YUAN[lang] + "/" + ("人" if zh else "person")
                + "<br>%{customdata[0]:,.2f} " + UNIT_WAN[lang] + " / %{customdata[1]:g} · %{customdata[2]}"
                + "<extra></extra>")
    missing = df[df["missing"] != ""]
    why = {"staff": ("未披露人数", "staff not disclosed"), "amount": (None, None)}
    for src, what in zip(missing["source"], missing["missing"], strict=True):
        text = why[what][0 if zh else 1] or NOT_DISCLOSED[lang]
        fig.add_annotation(y=src, x=0, text=text, showarrow=False, xanchor="left", font={"color": NOT_DISCLOSED_COLOR})
    others = shown[shown["entity_id"] != focus] if focus else shown
    if len(others) >= 2:
        med = float(others["per_staff_yuan"].median())
        fig.add_vline(x=med, line_dash="dot", line_color="#555",
                      annotation_text=("其他部门中位数 " if focus and zh else "中位数 " if zh else
                                       "median of the others " if focus else "median ") + fmt_yuan(med, lang),
                      annotation_position="bottom right", annotation_font_color="#555")
    # Undisclosed rows keep their place on the axis (in the order of ``per``).
    fig.update_yaxes(categoryorder="array", categoryarray=list(df["source"]), autorange="reversed", automargin=True)
    fig.update_xaxes(title=("元 / 人" if zh else "CNY per staff member"), tickformat=",.0f", rangemode="tozero")
    fig.update_layout(height=max(300, 190 + 30 * len(df)))
    what = label(SANGONG_ITEM, item, lang) + " · " + label(MEASURE, measure, lang)
    title = f"人均{what}（元/人）" if zh else f"{what} per staff member (CNY)"
    return base_layout(fig, title, sources_note(df, labels, lang))


def by_year(sangong: pd.DataFrame, item: str = "total") -> pd.DataFrame:
    """The item's printed figures per department, year and phase, for departments with the item in two
    or more years. One row per (entity, year, measure): a series never mixes phases."""
    cols = [*KEYS, "measure", "amount", "source_ref"]
    rows = sangong[sangong["item"] == item]
    if rows.empty:
        return pd.DataFrame(columns=cols)
    rows = rows.drop_duplicates(["entity_id", "year", "measure"])
    years = rows.groupby("entity_id")["year"].transform("nunique")
    return rows[years >= 2].sort_values(["entity_id", "measure", "year"]).reset_index(drop=True)[cols]


def trend_figure(rows: pd.DataFrame, labels: dict[str, str], colors: dict[str, str], item: str = "total",
                 lang: str = "zh") -> go.Figure:
    """One line per department and phase over the years (budget dashed, actual solid); a year a
    department's documents do not print is a gap in its line, never a zero."""
    fig = go.Figure()
    for (eid, m), part in rows.groupby(["entity_id", "measure"], sort=True):
        years = list(range(int(part["year"].min()), int(part["year"].max()) + 1))
        amounts = part.set_index("year")["amount"].reindex(years)
        name = f"{labels.get(eid, eid)} · {label(MEASURE, m, lang)}"
        dash = "solid" if m in ("actual", "prior_year_actual") else "dash"
        fig.add_scatter(x=years, y=amounts, mode="lines+markers+text", name=name, connectgaps=False,
                        line={"color": colors.get(eid), "dash": dash},
                        marker={"symbol": "circle" if dash == "solid" else "diamond-open", "size": 8,
                                "color": colors.get(eid, MEASURE_STYLE.get(m, {}).get("color"))},
                        text=["0" if v == 0 else "" for v in amounts], textposition="top center",
                        hovertemplate=name + " %{x}<br>%{y:,.2f} " + UNIT_WAN[lang] + "<extra></extra>")
    fig.update_xaxes(dtick=1, title="年度" if lang == "zh" else "year")
    fig.update_yaxes(title=UNIT_WAN[lang], tickformat=",.2f", rangemode="tozero")
    what = label(SANGONG_ITEM, item, lang)
    title = f"{what}：逐年" if lang == "zh" else f"{what} by year"
    return base_layout(fig, title, sources_note(rows, labels, lang))


def breakdown_figure(
    sangong: pd.DataFrame, measure: str, labels: dict[str, str], colors: dict[str, str], lang: str = "zh"
) -> go.Figure:
    """Items (excluding the total) for one measure, one trace per document, department colours."""
    sangong = split_derived(sangong)[0]  # printed figures only: a derived one is never drawn as printed
    df = sangong[(sangong["measure"] == measure) & (sangong["item"] != "total")]
    df = add_doc_label(df, labels, lang)
    fig = go.Figure()
    for (eid, source), part in df.groupby(["entity_id", "source"], sort=True):
        fig.add_bar(
            name=source,
            x=[label(SANGONG_ITEM, i, lang) for i in part["item"]],
            y=part["amount"],
            marker_color=colors.get(eid),
            hovertemplate="%{x}<br>%{y:,.2f} " + UNIT_WAN[lang] + "<extra>" + source + "</extra>",
        )
    fig.update_layout(barmode="group", yaxis_title=UNIT_WAN[lang], yaxis_tickformat=",.2f")
    title = ("三公分项：" if lang == "zh" else "Items: ") + label(MEASURE, measure, lang)
    return base_layout(fig, title, sources_note(df, labels, lang))


def counts_wide(counts: pd.DataFrame) -> pd.DataFrame:
    """Vehicle / group / person counts: document × (item, what) with one column per measure."""
    if counts.empty:
        return pd.DataFrame(columns=[*KEYS, "item", "what"])
    wide = counts.pivot_table(index=[*KEYS, "item", "what"], columns="measure", values="count", aggfunc="first")
    wide = wide.reset_index()
    wide.columns.name = None
    return wide


def counts_figure(counts: pd.DataFrame, labels: dict[str, str], lang: str = "zh") -> go.Figure:
    """Vehicle counts by document, one trace per measure."""
    df = add_doc_label(counts[counts["what"] == "vehicles"], labels, lang)
    fig = go.Figure()
    for m, part in df.groupby("measure", sort=False):
        fig.add_bar(
            name=label(MEASURE, m, lang),
            x=part["source"],
            y=part["count"],
            marker_color=MEASURE_STYLE.get(m, {}).get("color"),
            customdata=[[label(SANGONG_ITEM, i, lang)] for i in part["item"]],
            hovertemplate="%{x}<br>%{customdata[0]}: %{y} <extra></extra>",
        )
    fig.update_layout(barmode="group", yaxis_title=label(COUNT_WHAT, "vehicles", lang))
    title = "公务用车数量" if lang == "zh" else "Official vehicles"
    return base_layout(fig, title, sources_note(df, labels, lang))
