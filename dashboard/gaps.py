"""Budget against actual by function classification (类 → 款 → 项), from tables and from prose,
with the reason the document states beside each gap (pure).

A pair is two phases of one subject printed by one document: a table's row by code, a sentence's
subject by its name ("一般公共服务（类）年初预算为 1970.87 万元，决算为 1506.94 万元 … 主要是…"),
a self-evaluation's 年度资金总额. In prose, the figure printed on the same line as the other phase
is taken first. Level 0 rows are the totals a document compares in its own words. A stated change
against a budget phase ("比年初预算增加 X 万元") is a pair too, its earlier figure derived and marked.
The reason is the clause "主要原因是…" / "主要是…" of the sentence that compares them.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from dashboard.labels import PHASES
from dashboard.sources import parse_ref

KEYS = ["doc_id", "entity_id", "year", "doc_kind"]
GAP_COLS = [*KEYS, "table", "code", "item", "level", "breakdown", "origin", "a", "b", "a_ref", "b_ref",
            "difference", "ratio", "source_ref", "derived", "reason", "reason_ref"]
REASON = re.compile(r"(主要原因[是为：:]?|原因[是为：:]|主要是)[^。]{0,240}。?")
# A clause naming no reason: the document says the two agree.
AGREE = re.compile(r"基本持平|基本一致|无差异")
ENUM = re.compile(r"^\s*(?:[（(]?[0-9一二三四五六七八九十]+[、.．)）]|第[一二三四五六七八九十]+)")


KEY = ["doc_id", "table", "level", "breakdown", "subject"]
# (budget_lines, its firsts), one tuple (read and replaced whole: safe across sessions' threads):
# the page asks for three pairs of phases of the same lines.
_FIRSTS: tuple = (None, None)


def _firsts(budget_lines: pd.DataFrame) -> pd.DataFrame:
    """Per subject and phase, the figure to compare: printed (not derived), levels 0–3, level 0 only
    where the document compares totals itself (prose, a self-evaluation); a figure on a line that
    prints another phase of the same subject first, then the first line."""
    global _FIRSTS
    cached = _FIRSTS
    if cached[0] is budget_lines:
        return cached[1]
    rows = budget_lines
    if "origin" in rows:
        rows = rows[rows["origin"].fillna("table") != "derived"]
    rows = rows[rows["measure"].isin(PHASES) & rows["amount"].notna() & rows["level"].isin([0, 1, 2, 3])]
    origin = rows["origin"].fillna("table") if "origin" in rows else pd.Series("table", index=rows.index)
    rows = rows.assign(origin=origin)[(rows["level"] > 0) | (origin != "table")]
    rows = rows[rows["breakdown"] == "total"] if (rows["breakdown"] == "total").any() else rows
    subject = rows["code"].where(rows["code"].notna(), rows["item"]).astype(str)
    rows = rows.assign(subject=subject).drop_duplicates([*KEY, "source_ref", "measure"])
    alone = ~rows.duplicated([*KEY, "source_ref"], keep=False)
    rows = rows.assign(_alone=alone, _line=_line_key(rows["source_ref"]))
    first = rows.sort_values([*KEY, "measure", "_alone", "_line"], kind="stable").drop_duplicates([*KEY, "measure"])
    _FIRSTS = (budget_lines, first)
    return first


def pairs(budget_lines: pd.DataFrame, a: str, b: str) -> pd.DataFrame:
    """Subjects one document prints in both phases ``a`` and ``b`` (levels 0–3, tables and prose)."""
    first = _firsts(budget_lines)
    if first.empty:
        return pd.DataFrame(columns=GAP_COLS)
    left = first[first["measure"] == a].rename(columns={"amount": "a", "source_ref": "a_ref"})
    right = first[first["measure"] == b][[*KEY, "amount", "source_ref"]].rename(
        columns={"amount": "b", "source_ref": "b_ref"})
    out = left.merge(right, on=KEY)
    out["code"] = out["code"].where(out["code"].notna(), None)
    # The sentence that compares them: the line printing both, else the 年初 one (its reason follows).
    out["source_ref"] = out["a_ref"]
    out["derived"] = False
    return _finish(out)


def stated_pairs(stated: pd.DataFrame | None, a: str, b: str) -> pd.DataFrame:
    """Changes stated against a budget phase ("比调整预算减少 X 万元"): b = the current figure,
    a = b − change (derived: the document printed the change, not the figure)."""
    if stated is None or stated.empty:
        return pd.DataFrame(columns=GAP_COLS)
    df = stated[(stated["dataset"] == "budget_lines") & (stated["measure"] == b) & (stated["against"] == a)]
    df = df[df["change_amount"].notna() & df["current_amount"].notna()]
    if df.empty:
        return pd.DataFrame(columns=GAP_COLS)
    out = df.assign(table="narrative", origin="narrative", b=df["current_amount"],
                    a=df["current_amount"] - df["change_amount"], a_ref=df["source_ref"], b_ref=df["source_ref"],
                    derived=True)
    out = _finish(out)
    out["reason"] = [stated_reason(str(t).replace(",", ""), v)[0]
                     for t, v in zip(df["text"].fillna(""), df["current_amount"], strict=True)]
    out["reason_ref"] = np.where(out["reason"] != "", out["source_ref"], None)
    return out


def _finish(out: pd.DataFrame) -> pd.DataFrame:
    out = out.copy()
    out["difference"] = out["b"] - out["a"]
    out["ratio"] = out["b"] / out["a"].where(out["a"] != 0)
    for col in ("reason", "reason_ref"):
        if col not in out:
            out[col] = None
    return out.reindex(columns=GAP_COLS)


def _line_key(refs: pd.Series) -> pd.Series:
    return refs.map(lambda r: (lambda p: (p[0] or 0) * 1_000_000 + (p[1] or 0))(parse_ref(r)))


def _figure_at(chunk: str, amount) -> int:
    """Where ``amount`` is printed in ``chunk`` (commas removed), else 0."""
    try:
        a = float(amount)
    except (TypeError, ValueError):
        return 0
    for text in (f"{a:.2f}", f"{a:.4f}", f"{a:.1f}", f"{a:g}"):
        at = chunk.find(text)
        if at >= 0:
            return at
    return 0


def stated_reason(chunk: str, amount=None) -> tuple[str, int | None]:
    """The reason clause that follows the figure ``amount`` in ``chunk`` (in its sentence or the
    next two), and where it starts; ('', None) where the text states none. A reason given earlier in
    the text (for another comparison, e.g. the change on last year) is not taken."""
    start = _figure_at(chunk, amount)
    m = REASON.search(chunk, start)
    if not m or chunk.count("。", start, m.start()) > 2 or AGREE.search(m.group(0)):
        return "", None
    return m.group(0).strip(), m.start()


def reasons(gaps: pd.DataFrame, lines, follow: int = 3) -> pd.DataFrame:
    """``gaps`` with the reason its document states: the clause "主要原因是…" after the 年初 figure,
    in the sentence at ``source_ref`` or the lines that continue it (a hard-wrapped sentence: up to
    ``follow`` more lines, blank lines skipped, stopping at the next numbered item), and its line.

    ``lines`` is the ``lines`` dataset, or a function giving the lines of a set of doc_ids (so that
    a store reads only the documents that state a gap in prose)."""
    out = gaps.copy()
    if out.empty or lines is None:
        return out
    need = out[(out["reason"].fillna("") == "") & (out["origin"] != "table")]
    if need.empty:
        return out
    ids = set(need["doc_id"])
    lines = lines(ids) if callable(lines) else lines
    if lines is None or lines.empty:
        return out
    lines = lines[lines["doc_id"].isin(ids)]
    page = lines["page"].fillna(0).astype(int)
    keys = zip(lines["doc_id"], page, lines["line"].astype(int), strict=True)
    text = dict(zip(keys, lines["text"].astype(str), strict=True))
    found, where = [], []
    for doc, ref, amount in zip(need["doc_id"], need["source_ref"], need["a"], strict=True):
        p, n = parse_ref(ref)
        reason, at = "", None
        if n is not None:
            p = p or 0
            chunk, refs, i, taken = "", [], n, 0
            while taken <= follow:
                t = text.get((doc, p, i))
                if t is None or (taken and ENUM.match(t)):
                    break
                if t.strip():
                    refs.append((len(chunk), f"p{p}:L{i}" if p else f"L{i}"))
                    chunk += t.strip().replace(",", "")
                    taken += 1
                i += 1
            reason, pos = stated_reason(chunk, amount)
            if pos is not None:
                at = [r for s, r in refs if s <= pos][-1]
        found.append(reason)
        where.append(at)
    out.loc[need.index, "reason"] = found
    out.loc[need.index, "reason_ref"] = where
    return out


def budget_gaps(budget_lines: pd.DataFrame, a: str = "budget_adjusted", b: str = "actual",
                stated: pd.DataFrame | None = None, lines=None) -> pd.DataFrame:
    """Every pair of phases ``a`` → ``b`` a document prints (tables, prose, stated changes), with its
    reason; per document the totals (level 0) first, then the largest |b − a|."""
    parts = [p for p in (pairs(budget_lines, a, b), stated_pairs(stated, a, b)) if not p.empty]
    if not parts:
        return pd.DataFrame(columns=GAP_COLS)
    out = pd.concat(parts, ignore_index=True)
    out = reasons(out, lines)
    out["reason"] = out["reason"].fillna("")
    out = out.assign(_abs=-out["difference"].abs(), _total=out["level"] != 0)
    out = out.sort_values(["_total", "_abs", "entity_id", "doc_id"], kind="stable").drop(columns=["_abs", "_total"])
    return out.reset_index(drop=True)
