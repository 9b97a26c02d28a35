"""三公经费: budget vs actual vs prior year, change, per staff member, vehicle counts (pure)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.changes import (
    PRIOR_YEAR,
    basis_text,
    change_cell,
    mark_derived,
    money_cell,
    split_derived,
    year_on_year,
)
from dashboard.common import (
    add_doc_label,
    add_not_disclosed,
    add_phase_bars,
    base_layout,
    doc_labels,
    sources_note,
    with_lang,
)
from dashboard.fmt import UNIT_WAN, YUAN_PER_WAN, fmt_pct, fmt_wan, is_missing
from dashboard.labels import DERIVED_STYLE, MEASURE, MEASURE_STYLE, SANGONG_ITEM, label
from dashboard.sangong_staff import (  # noqa: F401  (per staff, by year, items, counts: their own module, named here too)
    OTHERS_COLOR,
    breakdown_figure,
    by_year,
    counts_figure,
    counts_wide,
    per_staff,
    per_staff_figure,
    trend_figure,
)
from dashboard.sources import source_url
from dashboard.tables import HEADERS, display

KEYS = ["doc_id", "entity_id", "year", "doc_kind"]
# Over this many documents, the item chart lists them downwards (their names stay readable).
HORIZONTAL_OVER = 8
SHOWN = ("budget_initial", "budget_adjusted", "actual", "prior_year_actual", "prior_year_budget")


def sangong_wide(sangong: pd.DataFrame, documents: pd.DataFrame, derived: pd.DataFrame | None = None,
                 stated: pd.DataFrame | None = None) -> pd.DataFrame:
    """Document × item with one column per measure (NaN = 未披露), change and per-staff figures.

    A prior-year figure the document does not print is taken from ``derived`` (current − the
    change it states), with ``<measure>_derived`` True. The change is the one the document
    states (``stated_changes``, ``change_stated``) where it states one, else actual − the
    printed prior-year actual (or 年初预算 − the printed 上年预算) of the same document;
    ``change_measure`` / ``change_against`` say which. Per staff uses documents.staff_count.
    """
    cols = [*KEYS, "item", *SHOWN, *(f"{m}_derived" for m in PRIOR_YEAR), "change", "change_pct",
            "change_stated", "change_pct_stated", "change_measure", "change_against", "change_ref",
            "change_text", "staff_count", "actual_per_staff", "actual_per_staff_yuan", "source_ref"]
    sangong, derived = _printed_and_derived(sangong, derived)
    if sangong.empty and derived.empty:
        return pd.DataFrame(columns=cols)
    wide = _pivot(sangong)
    extra = _pivot(derived)
    if not extra.empty:
        got = [m for m in PRIOR_YEAR if m in extra]
        extra = extra[[*KEYS, "item", *got]].rename(columns={m: f"{m}_d" for m in got})
        wide = wide.merge(extra, on=[*KEYS, "item"], how="outer")
    for m in SHOWN:
        if m not in wide:
            wide[m] = float("nan")
    for m in PRIOR_YEAR:
        alt = wide.pop(f"{m}_d") if f"{m}_d" in wide else pd.Series(float("nan"), index=wide.index)
        wide[f"{m}_derived"] = wide[m].isna() & alt.notna()
        wide[m] = wide[m].fillna(alt)
    wide = _with_change(wide, year_on_year(stated, "sangong"))
    staff = documents[["doc_id", "staff_count"]].drop_duplicates("doc_id")
    wide = wide.merge(staff, on="doc_id", how="left")
    wide["actual_per_staff"] = wide["actual"] / wide["staff_count"].where(wide["staff_count"] > 0)
    wide["actual_per_staff_yuan"] = wide["actual_per_staff"] * YUAN_PER_WAN
    wide = wide.merge(_first_refs(sangong), on=[*KEYS, "item"], how="left")
    order = {k: i for i, k in enumerate(SANGONG_ITEM)}
    wide = wide.sort_values(["entity_id", "year", "item"], key=lambda s: s.map(order) if s.name == "item" else s)
    return wide[cols].reset_index(drop=True)


def _printed_and_derived(rows: pd.DataFrame, derived: pd.DataFrame | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The printed rows, and the derived ones. Derived figures are used only where they are passed
    apart (with the stated changes they come from); any among ``rows`` are dropped, never shown as printed."""
    printed = split_derived(rows)[0]
    if derived is None or derived.empty:
        return printed, printed.head(0)
    return printed, derived


def _first_refs(rows: pd.DataFrame) -> pd.DataFrame:
    """Per document and item, the line of its figure to open: the actual's, else the first phase printed."""
    if rows.empty:
        return pd.DataFrame(columns=[*KEYS, "item", "source_ref"])
    order = {m: i for i, m in enumerate(dict.fromkeys(("actual", *SHOWN)))}
    ranked = rows.assign(_o=rows["measure"].map(order).fillna(99)).sort_values("_o")
    return ranked.drop_duplicates([*KEYS, "item"])[[*KEYS, "item", "source_ref"]]


def _pivot(rows: pd.DataFrame | None) -> pd.DataFrame:
    if rows is None or rows.empty:
        return pd.DataFrame(columns=[*KEYS, "item"])
    wide = rows.pivot_table(index=[*KEYS, "item"], columns="measure", values="amount", aggfunc="first")
    wide = wide.reset_index()
    wide.columns.name = None
    return wide


def _with_change(wide: pd.DataFrame, stated: pd.DataFrame) -> pd.DataFrame:
    """The change columns: the stated change where there is one, else the difference of two printed
    figures of one phase pair (never a derived figure: that would restate the stated change)."""
    out = wide.copy()
    printed = {m: out[m].where(~out[f"{m}_derived"]) for m in PRIOR_YEAR}
    pairs = [("actual", "prior_year_actual"), ("budget_initial", "prior_year_budget")]
    out["change"] = float("nan")
    out["change_pct"] = float("nan")
    out["change_measure"] = None
    out["change_against"] = None
    for cur, prior in pairs:
        diff = out[cur] - printed[prior]
        use = out["change"].isna() & diff.notna()
        out.loc[use, "change"] = diff[use]
        out.loc[use, "change_pct"] = (diff / printed[prior].where(printed[prior] != 0))[use]
        out.loc[use, "change_measure"] = cur
        out.loc[use, "change_against"] = prior
    out["change_stated"] = False
    out["change_pct_stated"] = False
    out["change_ref"] = None
    out["change_text"] = None
    if stated.empty:
        return out
    first = stated.drop_duplicates([*KEYS, "item"])
    cols = ["measure", "against", "change_amount", "change_pct", "source_ref", "text"]
    got = out[[*KEYS, "item"]].merge(first[[*KEYS, "item", *cols]], on=[*KEYS, "item"], how="left")
    got.index = out.index
    has = got["source_ref"].notna()
    amount_stated = has & got["change_amount"].notna()
    pct_stated = has & got["change_pct"].notna()
    # One comparison per row: a stated change replaces the computed one entirely, so that
    # the amount and the % never compare different phases.
    out.loc[has, ["change", "change_pct"]] = float("nan")
    out.loc[amount_stated, "change"] = got.loc[amount_stated, "change_amount"]
    out.loc[pct_stated, "change_pct"] = got.loc[pct_stated, "change_pct"]
    out.loc[has, "change_measure"] = got.loc[has, "measure"]
    out.loc[has, "change_against"] = got.loc[has, "against"]
    out["change_stated"] = amount_stated
    out["change_pct_stated"] = pct_stated
    out.loc[has, "change_ref"] = got.loc[has, "source_ref"]
    out.loc[has, "change_text"] = got.loc[has, "text"]
    return out


DETAIL = ["source", "item", "budget_initial", "budget_adjusted", "actual", "prior_year_budget", "prior_year_actual",
          "change", "change_pct"]


def detail_table(wide: pd.DataFrame, labels: dict[str, str], lang: str = "zh") -> pd.DataFrame:
    """The detail table for reading: a derived prior-year figure carries （推算）, a stated change
    （文中所述）, the comparison is named, a stated change links to its sentence, per staff is in 元,
    and 原文 links each row to the line of its figure (the actual's, else the first printed)."""
    shown = display(wide, [*DETAIL, "staff_count", "actual_per_staff_yuan"], labels, lang, vocab_columns=("item",))
    if wide.empty:
        return shown
    rows = wide.reset_index(drop=True)
    for m in PRIOR_YEAR:
        shown[header(m, lang)] = [money_cell(v, d, lang) for v, d in zip(rows[m], rows[f"{m}_derived"], strict=True)]
    shown[header("change", lang)] = [change_cell(v, s, False, lang)
                                     for v, s in zip(rows["change"], rows["change_stated"], strict=True)]
    shown[header("change_pct", lang)] = [change_cell(v, s, True, lang)
                                         for v, s in zip(rows["change_pct"], rows["change_pct_stated"], strict=True)]
    basis = [basis_text(m, a, r is not None and isinstance(r, str), lang) for m, a, r in
             zip(rows["change_measure"], rows["change_against"], rows["change_ref"], strict=True)]
    at = list(shown.columns).index(header("change_pct", lang)) + 1
    shown.insert(at, CHANGE_BASIS[lang], basis)
    shown[CHANGE_SOURCE[lang]] = [with_lang(source_url(d, r), lang) if isinstance(r, str) else None
                                  for d, r in zip(rows["doc_id"], rows["change_ref"], strict=True)]
    if "source_ref" in rows:
        shown[header("link", lang)] = [with_lang(source_url(d, r), lang) if isinstance(r, str) else None
                                       for d, r in zip(rows["doc_id"], rows["source_ref"], strict=True)]
    return shown


CHANGE_BASIS = {"zh": "较上年口径", "en": "change basis"}
CHANGE_SOURCE = {"zh": "变动原文", "en": "change source"}


def header(col: str, lang: str) -> str:
    return HEADERS[col][0 if lang == "zh" else 1]


def stated_table(stated: pd.DataFrame, labels: dict[str, str], lang: str = "zh") -> pd.DataFrame:
    """The 三公 changes the documents state in words, as printed, with the sentence and a link."""
    rows = year_on_year(stated, "sangong")
    heads = {"zh": ["来源文档", "项目", "口径", "比较对象", "本年（万元）", "变动（万元）", "变动（%）", "原文句", "原文"],
             "en": ["document", "item", "measure", "against", "current", "change", "change %", "sentence", "source"]}[lang]
    if rows.empty:
        return pd.DataFrame(columns=heads)
    order = {k: i for i, k in enumerate(SANGONG_ITEM)}
    rows = rows.sort_values(["entity_id", "year", "item"], key=lambda s: s.map(order) if s.name == "item" else s)
    rows = rows.reset_index(drop=True)
    out = pd.DataFrame({
        heads[0]: doc_labels(rows, labels, lang),
        heads[1]: [label(SANGONG_ITEM, i, lang) for i in rows["item"]],
        heads[2]: [label(MEASURE, m, lang) for m in rows["measure"]],
        heads[3]: [label(MEASURE, m, lang) for m in rows["against"]],
        heads[4]: [fmt_wan(v, lang, unit=False) for v in rows["current_amount"]],
        heads[5]: [fmt_wan(v, lang, unit=False) for v in rows["change_amount"]],
        heads[6]: [fmt_pct(v, lang, digits=2) for v in rows["change_pct"]],
        heads[7]: rows["text"].fillna("").astype(str),
        heads[8]: [with_lang(source_url(d, r), lang) for d, r in zip(rows["doc_id"], rows["source_ref"], strict=True)],
    })
    return out


def item_figure(sangong: pd.DataFrame, item: str, labels: dict[str, str], lang: str = "zh",
                derived: pd.DataFrame | None = None, stated: pd.DataFrame | None = None) -> go.Figure:
    """One 三公 item across documents: one trace per measure (phases never mixed); a prior-year
    figure derived from a stated change is a trace of its own, cross-hatched and pale, whose hover
    gives the change as stated and where."""
    printed, derived = _printed_and_derived(sangong, derived)
    df = add_doc_label(printed[printed["item"] == item], labels, lang)
    # Every document of the selection printing any 三公 figure: where it lacks this one, 未披露.
    docs = printed[["entity_id", "doc_kind", "year", "doc_id"]].drop_duplicates("doc_id").sort_values(["entity_id", "year"])
    horizontal = len(docs) > HORIZONTAL_OVER
    fig = go.Figure()
    add_phase_bars(fig, df, SHOWN, ["source_ref"], lang, horizontal=horizontal)
    own = derived[derived["item"] == item] if not derived.empty else derived
    if not own.empty:
        own = add_doc_label(own, labels, lang)
        add_derived_bars(fig, own, year_on_year(stated, "sangong"), lang, horizontal=horizontal)
    add_not_disclosed(fig, df, own, add_doc_label(docs, labels, lang), lang, horizontal=horizontal)
    fig.update_layout(barmode="group")
    if horizontal:
        n_bars = max(len([t for t in fig.data if t.type == "bar"]), 1)
        fig.update_layout(xaxis_title=UNIT_WAN[lang], xaxis_tickformat=",.2f", bargap=0.2,
                          height=200 + len(docs) * max(36, 9 * n_bars))
    else:
        fig.update_layout(yaxis_title=UNIT_WAN[lang], yaxis_tickformat=",.2f")
    title = label(SANGONG_ITEM, item, lang) + ("：预算、决算与上年" if lang == "zh" else ": budget, actual, prior year")
    both = pd.concat([df, own]) if not own.empty else df
    return base_layout(fig, title, sources_note(both, labels, lang))


def add_derived_bars(fig: go.Figure, derived: pd.DataFrame, stated: pd.DataFrame, lang: str = "zh",
                     horizontal: bool = False) -> None:
    """One trace per prior-year measure of derived figures, named '上年决算（推算）'."""
    keys = [*KEYS, "item"]
    for m in PRIOR_YEAR:
        part = derived[derived["measure"] == m]
        if part.empty:
            continue
        said = stated[stated["against"] == m].drop_duplicates(keys) if not stated.empty else stated
        if not said.empty:
            part = part.merge(said[[*keys, "measure", "change_amount", "change_pct"]].rename(
                columns={"measure": "current_measure"}), on=keys, how="left")
        else:
            part = part.assign(current_measure=None, change_amount=float("nan"), change_pct=float("nan"))
        name = mark_derived(label(MEASURE, m, lang), lang)
        how = [_derived_hover(r, lang) for r in part.to_dict("records")]
        doc, value = ("y", "x") if horizontal else ("x", "y")
        fig.add_bar(
            name=name,
            **{doc: part["source"], value: part["amount"]},
            orientation="h" if horizontal else "v",
            marker={"color": MEASURE_STYLE[m]["color"], "pattern": {"shape": DERIVED_STYLE["pattern"]},
                    "opacity": DERIVED_STYLE["opacity"]},
            text=[mark_derived(fmt_wan(v, lang, unit=False), lang) for v in part["amount"]],
            customdata=[[h] for h in how],
            hovertemplate="%{" + doc + "}<br>%{" + value + ":,.2f} " + UNIT_WAN[lang] + " · %{customdata[0]}<extra>"
            + name + "</extra>",
        )


def _derived_hover(row: dict, lang: str) -> str:
    """'由文中所述变动推算：决算 比 上年决算 -19.69 万元（-43.68%） · L176'."""
    change = fmt_wan(row.get("change_amount"), lang, unit=False)
    pct = row.get("change_pct")
    pct = "" if is_missing(pct) else f"（{fmt_pct(pct, lang, digits=2)}）" if lang == "zh" else f" ({fmt_pct(pct, lang, 2)})"
    cur = row.get("current_measure")
    cur = label(MEASURE, cur, lang) if isinstance(cur, str) else ""
    against = label(MEASURE, row["measure"], lang)
    if lang == "zh":
        return f"由文中所述变动推算：{cur} 比 {against} {change} 万元{pct} · {row['source_ref']}"
    return f"derived from the stated change: {cur} vs {against} {change}{pct} · {row['source_ref']}"


def ranked_departments(sangong: pd.DataFrame, item: str) -> list[str]:
    """The departments by their largest printed figure of ``item`` (any phase), largest first; then
    those printing none of it (by id). What the page's first chart draws the first of."""
    printed = split_derived(sangong)[0]
    own = printed[printed["item"] == item]
    top = own.groupby("entity_id")["amount"].max().sort_values(ascending=False, kind="stable").dropna()
    return [*top.index, *sorted(set(printed["entity_id"]) - set(top.index))]


def chart_rows(sangong: pd.DataFrame) -> dict[str, int]:
    """Per department, the rows it takes in the item chart: its documents printing any 三公 figure."""
    printed = split_derived(sangong)[0]
    return printed.groupby("entity_id")["doc_id"].nunique().to_dict()
