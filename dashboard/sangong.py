"""三公经费: budget vs actual vs prior year, change, per staff member, vehicle counts (pure)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.common import add_doc_label, add_phase_bars, base_layout, sources_note
from dashboard.fmt import UNIT_WAN
from dashboard.labels import COUNT_WHAT, MEASURE, MEASURE_STYLE, SANGONG_ITEM, label

KEYS = ["doc_id", "entity_id", "year", "doc_kind"]
SHOWN = ("budget_initial", "budget_adjusted", "actual", "prior_year_actual", "prior_year_budget")


def sangong_wide(sangong: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Document × item with one column per measure (NaN = 未披露), change and per-staff figures.

    Change compares actual with the prior-year actual printed in the same document;
    per staff uses documents.staff_count of the same document.
    """
    cols = [*KEYS, "item", *SHOWN, "change", "change_pct", "staff_count", "actual_per_staff"]
    if sangong.empty:
        return pd.DataFrame(columns=cols)
    wide = sangong.pivot_table(index=[*KEYS, "item"], columns="measure", values="amount", aggfunc="first")
    wide = wide.reset_index()
    wide.columns.name = None
    for m in SHOWN:
        if m not in wide:
            wide[m] = float("nan")
    wide["change"] = wide["actual"] - wide["prior_year_actual"]
    wide["change_pct"] = wide["change"] / wide["prior_year_actual"].where(wide["prior_year_actual"] != 0)
    staff = documents[["doc_id", "staff_count"]].drop_duplicates("doc_id")
    wide = wide.merge(staff, on="doc_id", how="left")
    wide["actual_per_staff"] = wide["actual"] / wide["staff_count"].where(wide["staff_count"] > 0)
    order = {k: i for i, k in enumerate(SANGONG_ITEM)}
    wide = wide.sort_values(["entity_id", "year", "item"], key=lambda s: s.map(order) if s.name == "item" else s)
    return wide[cols].reset_index(drop=True)


def item_figure(sangong: pd.DataFrame, item: str, labels: dict[str, str], lang: str = "zh") -> go.Figure:
    """One 三公 item across documents: one trace per measure (phases never mixed)."""
    df = add_doc_label(sangong[sangong["item"] == item], labels, lang)
    fig = go.Figure()
    add_phase_bars(fig, df, SHOWN, ["source_ref"], lang)
    fig.update_layout(barmode="group", yaxis_title=UNIT_WAN[lang], yaxis_tickformat=",.2f")
    title = label(SANGONG_ITEM, item, lang) + ("：预算、决算与上年" if lang == "zh" else ": budget, actual, prior year")
    return base_layout(fig, title, sources_note(df, labels, lang))


def breakdown_figure(
    sangong: pd.DataFrame, measure: str, labels: dict[str, str], colors: dict[str, str], lang: str = "zh"
) -> go.Figure:
    """Items (excluding the total) for one measure, one trace per document, department colours."""
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
