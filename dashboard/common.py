"""Shared pure helpers: filters, department names and colours, source labels, chart config."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import qualitative

from dashboard.labels import DOC_KIND, label

PALETTE = qualitative.Safe + qualitative.Vivid


@dataclass(frozen=True)
class Filters:
    """The sidebar selection. An empty tuple means 'all'."""

    entities: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    doc_kinds: tuple[str, ...] = ()
    lang: str = "zh"
    labels: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    def apply(self, df: pd.DataFrame) -> pd.DataFrame:
        """Rows of a dataset inside the selection (every dataset has these key columns)."""
        mask = pd.Series(True, index=df.index)
        if self.entities and "entity_id" in df:
            mask &= df["entity_id"].isin(self.entities)
        if self.years and "year" in df:
            mask &= df["year"].isin(self.years)
        if self.doc_kinds and "doc_kind" in df:
            mask &= df["doc_kind"].isin(self.doc_kinds)
        return df[mask]


def entity_labels(documents: pd.DataFrame) -> dict[str, str]:
    """entity_id → a short department name (the full name where short names collide)."""
    if documents.empty:
        return {}
    first = documents.sort_values(["entity_id", "year"]).drop_duplicates("entity_id")
    short = first["entity_short"].fillna(first["entity_name"])
    clash = short.duplicated(keep=False)
    names = short.where(~clash, first["entity_name"])
    return dict(zip(first["entity_id"], names, strict=True))


def entity_colors(documents: pd.DataFrame) -> dict[str, str]:
    """One colour per department, assigned in entity_id order: the same on every page."""
    ids = sorted(set(documents["entity_id"])) if not documents.empty else []
    return {eid: PALETTE[i % len(PALETTE)] for i, eid in enumerate(ids)}


def doc_label(row, labels: dict[str, str], lang: str = "zh") -> str:
    """'汉阳区 · 决算 2023': which department, document kind and year a figure comes from."""
    name = labels.get(row["entity_id"], row["entity_id"])
    return f"{name} · {label(DOC_KIND, row['doc_kind'], lang)} {int(row['year'])}"


def doc_labels(df: pd.DataFrame, labels: dict[str, str], lang: str = "zh") -> list[str]:
    """``doc_label`` of every row."""
    return [doc_label(r, labels, lang) for r in df[["entity_id", "doc_kind", "year"]].to_dict("records")]


def doc_names(docs: pd.DataFrame, labels: dict[str, str], lang: str = "zh") -> dict[str, str]:
    """doc_id → ``doc_label``, in the rows' order (for a document picker)."""
    return dict(zip(docs["doc_id"], doc_labels(docs, labels, lang), strict=True))


def add_doc_label(df: pd.DataFrame, labels: dict[str, str], lang: str = "zh") -> pd.DataFrame:
    out = df.copy()
    out["source"] = doc_labels(out, labels, lang)
    return out


def sources_note(df: pd.DataFrame, labels: dict[str, str], lang: str = "zh") -> str:
    """The caption every chart carries: the documents (kind, year) its marks come from."""
    if df.empty:
        return ""
    docs = df[["entity_id", "doc_kind", "year"]].drop_duplicates().sort_values(["entity_id", "year"])
    items = "；".join(doc_label(r, labels, lang) for r in docs.to_dict("records"))
    return ("数据来源：" if lang == "zh" else "Source: ") + items


def png_config(filename: str) -> dict:
    """Plotly modebar config: the camera button downloads a PNG named after the chart."""
    return {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2},
    }


def base_layout(fig: go.Figure, title: str, subtitle: str = "") -> go.Figure:
    text = title if not subtitle else f"{title}<br><sup>{subtitle}</sup>"
    fig.update_layout(
        title={"text": text, "yref": "container", "y": 0.96, "yanchor": "top", "x": 0.01, "xanchor": "left"},
        # title and its source line on top, the legend below them (never over the subtitle)
        margin={"l": 10, "r": 10, "t": 130, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        font={"family": "Noto Sans CJK SC, Microsoft YaHei, sans-serif"},
    )
    return fig


def add_phase_bars(fig: go.Figure, df: pd.DataFrame, measures, where_cols: list[str], lang: str = "zh") -> None:
    """One bar trace per budget phase (phases are never mixed in a trace), x = ``df.source``.

    Hatching and colour come from MEASURE_STYLE, so a budget never looks like an actual; a bar
    whose figure failed a check (column ``FLAG``) gets a red outline and the rule in its hover.
    ``where_cols`` name the columns shown in the hover as the figure's provenance.
    """
    from dashboard.flags import FLAG, outline
    from dashboard.fmt import UNIT_WAN, fmt_wan
    from dashboard.labels import MEASURE, MEASURE_STYLE

    for m in measures:
        part = df[df["measure"] == m]
        if part.empty:
            continue
        style = MEASURE_STYLE[m]
        flags = [f"<br>⚠ {f}" if f else "" for f in part[FLAG]] if FLAG in part else [""] * len(part)
        where = part[where_cols].astype(str).agg(" ".join, axis=1)
        fig.add_bar(
            name=label(MEASURE, m, lang),
            x=part["source"],
            y=part["amount"],
            marker={"color": style["color"], "pattern": {"shape": style["pattern"]},
                    **({"line": outline(part[FLAG])} if FLAG in part else {})},
            text=[fmt_wan(v, lang, unit=False) for v in part["amount"]],
            customdata=list(zip(where, flags, strict=True)),
            hovertemplate="%{x}<br>%{y:,.2f} " + UNIT_WAN[lang] + " · %{customdata[0]}%{customdata[1]}<extra>"
            + label(MEASURE, m, lang) + "</extra>",
        )
