"""Shared pure helpers: filters, department names and colours, source labels, chart config."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pandas as pd
import plotly.graph_objects as go

from dashboard.labels import DOC_KIND, label


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


def entity_labels(documents: pd.DataFrame, lang: str = "zh") -> dict[str, str]:
    """entity_id → a short department name (the full name where short names collide); in English
    mode the name translated and transliterated (dashboard/names_en.py)."""
    if documents.empty:
        return {}
    first = documents.sort_values(["entity_id", "year"]).drop_duplicates("entity_id")
    short = first["entity_short"].fillna(first["entity_name"])
    clash = short.duplicated(keep=False)
    names = short.where(~clash, first["entity_name"])
    if lang == "en":
        from dashboard.names_en import english_names

        names = english_names(names)
    return dict(zip(first["entity_id"], names, strict=True))


def entity_color(entity_id: str) -> str:
    """A department's colour from a hash of its entity_id: the same whatever other documents are
    loaded (never from its position in a list). Hue from the hash, lightness in three steps, so
    that two departments rarely look alike and none is too pale to read on white."""
    h = int.from_bytes(hashlib.blake2s(str(entity_id).encode("utf-8"), digest_size=4).digest(), "big")
    hue = h % 360
    light = (34, 44, 54)[(h >> 9) % 3]
    return f"hsl({hue},70%,{light}%)"


def entity_colors(documents: pd.DataFrame) -> dict[str, str]:
    """One colour per department (``entity_color``): the same on every page and in every corpus."""
    ids = sorted(documents["entity_id"].unique()) if not documents.empty else []
    return {eid: entity_color(eid) for eid in ids}


def with_lang(url: str, lang: str = "zh") -> str:
    """A link within the app that keeps the language: ``lang=en`` added in English mode."""
    if lang != "en" or not isinstance(url, str) or not url:
        return url
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "lang"]
    query.append(("lang", "en"))
    return urlunsplit(parts._replace(query=urlencode(query, safe=":")))


def parse_number_param(raw: str, lo: float, hi: float) -> float | None:
    """A URL parameter as a number inside [lo, hi], or None where it is not one."""
    try:
        value = float(str(raw).strip().rstrip("%"))
    except ValueError:
        return None
    return value if lo <= value <= hi else None


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


def wrap_note(text: str, width: int = 150) -> list[str]:
    """A source line cut into lines of about ``width`` units (a CJK character counts two) at its '；'."""
    lines: list[str] = []
    for piece in text.split("；"):
        size = sum(2 if ord(c) > 0x2e80 else 1 for c in piece)
        if lines and lines[-1][1] + size + 2 <= width:
            lines[-1] = (lines[-1][0] + "；" + piece, lines[-1][1] + size + 2)
        else:
            lines.append((piece, size))
    return [t for t, _ in lines]


def base_layout(fig: go.Figure, title: str, subtitle: str = "") -> go.Figure:
    """Title, its source line (wrapped, so a long list of documents stays inside the chart at 1,400 px)
    and the legend below them."""
    lines = wrap_note(subtitle) if subtitle else []
    text = title if not lines else title + "".join(f"<br><sup>{ln}</sup>" for ln in lines)
    fig.update_layout(
        title={"text": text, "yref": "container", "y": 1, "yanchor": "top", "pad": {"t": 24}, "x": 0.01,
               "xanchor": "left"},
        # title and its source line on top, the legend below them (never over the subtitle)
        margin={"l": 10, "r": 10, "t": 130 + 16 * max(len(lines) - 1, 0), "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
        font={"family": "Noto Sans CJK SC, Microsoft YaHei, sans-serif"},
    )
    return fig


def add_phase_bars(fig: go.Figure, df: pd.DataFrame, measures, where_cols: list[str], lang: str = "zh",
                   horizontal: bool = False) -> None:
    """One bar trace per budget phase (phases are never mixed in a trace), x = ``df.source`` (y with
    ``horizontal``, for many documents).

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
        doc, value = ("y", "x") if horizontal else ("x", "y")
        fig.add_bar(
            name=label(MEASURE, m, lang),
            **{doc: part["source"], value: part["amount"]},
            orientation="h" if horizontal else "v",
            marker={"color": style["color"], "pattern": {"shape": style["pattern"]},
                    **({"line": outline(part[FLAG])} if FLAG in part else {})},
            # A printed zero is a bar at 0 labelled "0", so it never looks like a figure not printed.
            text=["0" if v == 0 else fmt_wan(v, lang, unit=False) for v in part["amount"]],
            textposition=["outside" if v == 0 else "auto" for v in part["amount"]],
            customdata=list(zip(where, flags, strict=True)),
            hovertemplate="%{" + doc + "}<br>%{" + value + ":,.2f} " + UNIT_WAN[lang]
            + " · %{customdata[0]}%{customdata[1]}<extra>" + label(MEASURE, m, lang) + "</extra>",
        )


# Phases whose absence from a document is worth saying on a chart (a prior-year figure is context).
_SAID_MISSING = ("budget_initial", "budget_adjusted", "actual")
# What a budget document cannot print: its absence is "not applicable", not 未披露.
_NOT_IN_A_BUDGET = ("budget_adjusted", "actual")
NOT_DISCLOSED_COLOR = "#8c8c8c"


def add_not_disclosed(fig: go.Figure, printed: pd.DataFrame, derived: pd.DataFrame, everyone: pd.DataFrame,
                      lang: str = "zh", horizontal: bool = False) -> go.Figure:
    """On a grouped phase-bar chart (``add_phase_bars``, documents = ``source``): fix the documents'
    order to ``everyone`` (doc_id, doc_kind, source) and write "未披露" in grey in the slot of each
    phase a document does not print (never a bar at zero). A budget's actual is not marked."""
    from dashboard.labels import MEASURE, NOT_DISCLOSED

    docs = everyone.drop_duplicates("source").reset_index(drop=True)
    if docs.empty:
        return fig
    order = list(docs["source"])
    if horizontal:
        fig.update_yaxes(categoryorder="array", categoryarray=order[::-1], automargin=True)
    else:
        fig.update_xaxes(categoryorder="array", categoryarray=order, tickvals=order,
                         ticktext=[s.replace(" · ", "<br>") for s in order], tickangle=0)
    bars = [tr for tr in fig.data if tr.type == "bar"]
    by_name = {label(MEASURE, m, lang): m for m in _SAID_MISSING}
    have = set(zip(printed.get("source", []), printed.get("measure", []), strict=True))
    have |= set(zip(derived.get("source", []), derived.get("measure", []), strict=True)) if not derived.empty else set()
    slot = 0.8 / max(len(bars), 1)  # plotly's grouped bars: 1 − bargap (0.2) shared by the traces
    for i, tr in enumerate(bars):
        m = by_name.get(tr.name)
        if m is None:
            continue
        offset = -0.4 + (i + 0.5) * slot
        for src, kind in zip(docs["source"], docs["doc_kind"], strict=True):
            if (src, m) in have or (kind == "budget" and m in _NOT_IN_A_BUDGET):
                continue
            text, font = NOT_DISCLOSED[lang], {"size": 10, "color": NOT_DISCLOSED_COLOR}
            hover = f"{src} · {tr.name}: {NOT_DISCLOSED[lang]}"
            if horizontal:
                # the reversed category order puts the first document on top; within a group plotly
                # draws the first trace lowest
                j = len(order) - 1 - order.index(src)
                fig.add_annotation(y=j + offset, x=0, xref="x", text=text, showarrow=False, xanchor="left",
                                   font=font, hovertext=hover)
            else:
                fig.add_annotation(x=order.index(src) + offset, y=0, yref="y", text=text, showarrow=False,
                                   textangle=-90, xanchor="center", yanchor="bottom", font=font, hovertext=hover)
    return fig
