"""The largest gaps between two phases of one 类/款 figure of one document, with the reason the
document states next to it (pure).

The dashboard's ``budget.gaps`` pairs classified (coded) table rows; many documents state the
gap only in their text ("住房保障支出(类)年初预算为 940.79 万元，决算支出 18621.92 万元，完成年初
预算 2128.43%，主要是中央资金拨款增加"), so rows read from the text are paired here too, and
the reason is the clause of that sentence that gives it.
"""

from __future__ import annotations

import re

import pandas as pd

from dashboard.sources import parse_ref

# The pairs compared, in order of preference: 调整预算 → 决算, else 年初预算 → 决算.
PAIRS = (("budget_adjusted", "actual"), ("budget_initial", "actual"))
REASON = re.compile(r"(主要原因|原因|主要是|主要用于|主要系|系因|由于)")
COLS = ["doc_id", "entity_id", "year", "doc_kind", "code", "item", "level", "a", "b", "a_measure", "b_measure",
        "a_ref", "b_ref", "difference", "ratio", "reason", "reason_ref"]


def line_text(lines: pd.DataFrame, doc_id: str, ref: str | None) -> str | None:
    """The text of the line a ``source_ref`` names, from the lines dataset."""
    page, line = parse_ref(ref)
    if line is None:
        return None
    rows = lines[(lines["doc_id"] == doc_id) & (lines["line"] == line)]
    if page is not None and "page" in rows:
        rows = rows[rows["page"] == page]
    return str(rows.iloc[0]["text"]) if not rows.empty else None


def reason_in(text: str | None, limit: int = 140) -> str | None:
    """The clause of a sentence that states a reason ('主要原因为厉行节约，压减开支'), else None."""
    if not text:
        return None
    m = REASON.search(text)
    if not m:
        return None
    clause = text[m.start():].strip().rstrip("。；; ")
    return clause if len(clause) <= limit else clause[: limit - 1] + "…"


def largest_gaps(budget_lines: pd.DataFrame, lines: pd.DataFrame, stated: pd.DataFrame | None = None,
                 n: int = 10) -> pd.DataFrame:
    """Rows (类 and 款) where one document prints two phases, largest |b − a| first, with reasons."""
    from dashboard.budget import main_table

    rows = budget_lines[budget_lines["level"].isin([1, 2]) & (budget_lines["breakdown"] == "total")]
    if rows.empty:
        return pd.DataFrame(columns=COLS)
    coded = rows[rows["code"].notna()].merge(main_table(budget_lines), on=["doc_id", "table"])
    told = rows[rows["code"].isna()]
    # One figure may be a table row and a sentence of the text: it is one figure, keyed by its
    # document, level and name; its code from the table, its phases from wherever printed.
    both = pd.concat([coded, told], ignore_index=True)
    both = both.assign(name=both["item"].astype(str).str.strip())
    out = []
    for (_doc, _level, _name), g in both.groupby(["doc_id", "level", "name"], sort=False):
        pair = next(((a, b) for a, b in PAIRS if {a, b} <= set(g["measure"])), None)
        if pair is None:
            continue
        a_row, b_row = _pick(g, *pair)
        codes = g["code"].dropna()
        out.append({**{k: a_row[k] for k in ["doc_id", "entity_id", "year", "doc_kind", "item", "level"]},
                    "code": codes.iloc[0] if not codes.empty else None,
                    "a": a_row["amount"], "b": b_row["amount"], "a_measure": pair[0], "b_measure": pair[1],
                    "a_ref": a_row["source_ref"], "b_ref": b_row["source_ref"]})
    if not out:
        return pd.DataFrame(columns=COLS)
    df = pd.DataFrame(out)
    df["difference"] = df["b"] - df["a"]
    df["ratio"] = df["b"] / df["a"].where(df["a"] != 0)
    reasons = [_reason(r, budget_lines, lines, stated) for r in df.to_dict("records")]
    df["reason"] = [r[0] for r in reasons]
    df["reason_ref"] = [r[1] for r in reasons]
    df = df.reindex(df["difference"].abs().sort_values(ascending=False, kind="stable").index)
    return df[COLS].head(n).reset_index(drop=True)


def _pick(g: pd.DataFrame, a: str, b: str) -> tuple[dict, dict]:
    """The two phases' rows, from one line where one line prints both."""
    a_rows, b_rows = g[g["measure"] == a], g[g["measure"] == b]
    same = set(a_rows["source_ref"]) & set(b_rows["source_ref"])
    if same:
        ref = sorted(same)[0]
        a_rows, b_rows = a_rows[a_rows["source_ref"] == ref], b_rows[b_rows["source_ref"] == ref]
    return a_rows.iloc[0].to_dict(), b_rows.iloc[0].to_dict()


def _reason(row: dict, budget_lines: pd.DataFrame, lines: pd.DataFrame,
            stated: pd.DataFrame | None) -> tuple[str | None, str | None]:
    """The reason stated for a gap: a stated change against the budget phase, else the sentence
    of the text that prints this figure's phases."""
    doc = row["doc_id"]
    if stated is not None and not stated.empty:
        said = stated[(stated["doc_id"] == doc) & (stated["item"] == row["item"])
                      & (stated["against"] == row["a_measure"])]
        for r in said.to_dict("records"):
            why = reason_in(r.get("text"))
            if why:
                return why, r["source_ref"]
    told = budget_lines[(budget_lines["doc_id"] == doc) & (budget_lines["table"] == "narrative")
                        & (budget_lines["item"] == row["item"])]
    refs = [row["a_ref"], row["b_ref"], *told["source_ref"]]
    for ref in dict.fromkeys(r for r in refs if isinstance(r, str)):
        why = reason_in(line_text(lines, doc, ref))
        if why:
            return why, ref
    return None, None
