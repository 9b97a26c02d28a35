"""Changes a document states in words, and the prior-year figures derived from them (pure).

A disclosure often prints this year's figure and "比上年减少 19.69 万元，下降 43.68%" instead of
last year's figure. ``stated_changes`` holds the change as printed; the loaders add the
prior-year figure (current − change) as a row with origin ``derived``. The pages show that
figure only with its mark, next to the change as printed and a link to the sentence.
"""

from __future__ import annotations

import pandas as pd

from dashboard.fmt import fmt_pct, fmt_wan, is_missing
from dashboard.labels import DERIVED, MEASURE, STATED, label

KEYS = ["doc_id", "entity_id", "year", "doc_kind"]
# A change against one of these is a change "较上年"; against a budget it is an execution gap.
PRIOR_YEAR = ("prior_year_actual", "prior_year_budget")
STATED_COLS = [*KEYS, "dataset", "item", "breakdown", "code", "level", "measure", "against",
               "current_amount", "change_amount", "change_pct", "text", "source_ref"]


def split_derived(rows: pd.DataFrame | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(printed, derived) rows of a dataset: a builder handed rows with origin ``derived`` never
    treats them as printed, however it is called."""
    if rows is None:
        return pd.DataFrame(), pd.DataFrame()
    if "origin" not in rows:
        return rows, rows.head(0)
    is_derived = rows["origin"] == "derived"
    return rows[~is_derived], rows[is_derived]


def year_on_year(stated: pd.DataFrame | None, dataset: str) -> pd.DataFrame:
    """The stated changes of ``dataset`` against a prior-year figure, the prior-year actual first
    where one sentence gives both, one row per figure compared."""
    if stated is None or stated.empty:
        return pd.DataFrame(columns=STATED_COLS)
    df = stated[(stated["dataset"] == dataset) & stated["against"].isin(PRIOR_YEAR)]
    order = {m: i for i, m in enumerate(PRIOR_YEAR)}
    df = df.assign(_o=df["against"].map(order)).sort_values([*KEYS, "item", "_o", "source_ref"], kind="stable")
    return df.drop(columns="_o").reset_index(drop=True)


def mark_derived(text: str, lang: str = "zh") -> str:
    """'45.08' → '45.08（推算）': a derived figure never reads as a printed one."""
    return f"{text}（{DERIVED['zh']}）" if lang == "zh" else f"{text} ({DERIVED['en']})"


def mark_stated(text: str, lang: str = "zh") -> str:
    """'-19.69' → '-19.69（文中所述）': the change as the document states it."""
    return f"{text}（{STATED['zh']}）" if lang == "zh" else f"{text} ({STATED['en']})"


def money_cell(value, derived: bool, lang: str = "zh") -> str:
    text = fmt_wan(value, lang, unit=False)
    return mark_derived(text, lang) if derived and not is_missing(value) else text


def change_cell(value, stated: bool, pct: bool, lang: str = "zh") -> str:
    """A change (万元 or fraction) for a table cell, marked where the document stated it."""
    text = fmt_pct(value, lang, digits=2 if stated else 1) if pct else fmt_wan(value, lang, unit=False)
    return mark_stated(text, lang) if stated and not is_missing(value) else text


def basis_text(measure, against, stated: bool, lang: str = "zh") -> str:
    """What a change compares: '文中所述：决算 比 上年决算' or '两数之差：决算 − 上年决算'."""
    if not isinstance(measure, str) or not isinstance(against, str):
        return ""
    a, b = label(MEASURE, measure, lang), label(MEASURE, against, lang)
    if stated:
        return f"文中所述：{a} 比 {b}" if lang == "zh" else f"stated: {a} vs {b}"
    return f"两数之差：{a} − {b}" if lang == "zh" else f"computed: {a} − {b}"
