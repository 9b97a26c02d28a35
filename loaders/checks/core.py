"""The rule registry, tolerances and the one way a finding becomes a checks row.

A rule is a function ``(ctx) -> iterable of rows`` registered with a stable code, a family,
a severity and a one-line Chinese description. Rows come from :func:`finding`, which
computes the difference and the status from the tolerance. Rules only ever compare figures
the documents printed: a part that was not printed is left out, never taken as zero.
"""

from __future__ import annotations

import math
import re
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pyarrow as pa

if TYPE_CHECKING:
    import pandas as pd
# pandas is imported where a pandas frame is asked for: a build reads Arrow tables only.

# The key columns every checks row carries (a row without them is dropped by run_checks).
KEYS = ("doc_id", "entity_id", "year", "doc_kind")
# Amounts are printed in 万元 to two decimals: one unit of the last digit.
AMOUNT_TOL = 0.01
# Scores (分值, 得分) are printed to at most two decimals.
SCORE_TOL = 0.01
_EPS = 1e-9


@dataclass(frozen=True)
class Rule:
    code: str
    family: str
    severity: str  # high | medium | low | info
    description: str
    func: Callable[[Context], Iterable[dict]]
    # What a rule compares: one disclosure's files ("disclosure"), or an entity's documents of
    # several years ("entity": it needs the other years' datasets beside this one's).
    scope: str = "disclosure"


RULES: dict[str, Rule] = {}
SCOPES = ("disclosure", "entity")


def rule(code: str, family: str, severity: str, description: str, scope: str = "disclosure"):
    """Register a rule under its stable code."""

    def register(func):
        RULES[code] = Rule(code, family, severity, description, func, scope)
        return func

    return register


@dataclass
class Context:
    """What the rules read: the assembled frames and the loaded documents, with what the
    rules derive from them (records, groupings, line texts) computed once per run."""

    frames: dict[str, pd.DataFrame | pa.Table]  # Arrow tables are read as pandas would read them
    docs: dict
    _cache: dict = field(default_factory=dict, repr=False)

    def frame(self, name: str) -> pd.DataFrame:
        import pandas as pd

        df = self.frames.get(name)
        if isinstance(df, pa.Table):
            return self.cached(("frame", name), df.to_pandas)
        return df if df is not None else pd.DataFrame()

    def cached(self, key, compute: Callable[[], object]):
        """``compute()`` once per run under ``key``, shared by every rule; read-only."""
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    def records(self, name: str) -> list[dict]:
        """Rows of a dataset as dicts (missing values as None), computed once; read-only.

        Figures derived from a stated change (origin ``derived``) are the product's
        arithmetic, not the document's: no rule judges them as printed."""
        return self.cached(("records", name), lambda: [
            r for r in self._rows(name) if r.get("origin") != "derived"])

    def records_of(self, name: str, columns: tuple[str, ...], where: tuple[str, ...], values: frozenset) -> list[dict]:
        """``records(name)`` restricted to the rows whose ``where`` columns hold one of the
        ``values`` tuples, and to ``columns``: the same values as ``records`` gives them, for a
        rule that reads a few of a large dataset's rows, without every row's dict."""
        def compute():
            table = self.frames.get(name)
            if not isinstance(table, pa.Table):
                return [{c: r.get(c) for c in columns} for r in self.records(name)
                        if tuple(r.get(c) for c in where) in values]
            # The test row by row on the ``where`` columns alone (as the pandas path tests it),
            # the other columns read for the rows kept only.
            tested = zip(*(table.column(c).to_pylist() for c in where), strict=True)
            keep = pa.array([t in values for t in tested], pa.bool_())
            wanted = [*columns, *(["origin"] if "origin" in table.column_names and "origin" not in columns else [])]
            rows = arrow_records(table.select(wanted), keep)
            return [r for r in rows if r.get("origin") != "derived"] if "origin" in wanted else rows

        return self.cached(("records_of", name, columns, where, values), compute)

    def _rows(self, name: str) -> list[dict]:
        table = self.frames.get(name)
        if isinstance(table, pa.Table):
            return arrow_records(table)
        return _records(self.frame(name)) if table is not None else []


def arrow_records(table: pa.Table, keep: pa.ChunkedArray | None = None) -> list[dict]:
    """Rows of an Arrow table as ``_records(table.to_pandas())`` gives them, without pandas:
    missing values (and NaN) as None, an integer column with a missing value as floats (a
    list stays a list, where pandas gives an array: no rule reads one). ``keep``: only the
    rows it marks, their values as the whole table's records give them."""
    cols = table.column_names
    columns = []
    for column in table.columns:
        floats = pa.types.is_integer(column.type) and column.null_count  # as over the whole table
        if keep is not None:
            column = column.filter(keep)
        values = column.to_pylist()
        kind = column.type
        if pa.types.is_floating(kind):
            values = [None if v is None or v != v else v for v in values]
        elif floats:
            values = [None if v is None else float(v) for v in values]
        columns.append(values)
    return [dict(zip(cols, values, strict=True)) for values in zip(*columns, strict=True)]


def _records(df: pd.DataFrame) -> list[dict]:
    cols = list(df.columns)
    columns = [_column(df[c]) for c in cols]
    return [dict(zip(cols, values, strict=True)) for values in zip(*columns, strict=True)]


def _column(series: pd.Series) -> list:
    """A column's values, missing ones as None (by dtype: a NaN test per value is what costs)."""
    values = series.tolist()
    kind = series.dtype.kind
    if kind in "iub":
        return values
    if kind == "f" or series.dtype == "str":  # only NaN marks a missing value here
        return [None if v != v else v for v in values]
    return [none_if_nan(v) for v in values]


def group_by(rows: Iterable[dict], *cols: str) -> dict[tuple, list[dict]]:
    """Rows by the values of ``cols`` (None where absent), groups in order of first row."""
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for r in rows:
        groups[tuple(r.get(c) for c in cols)].append(r)
    return groups


def none_if_nan(value):
    if value is None:
        return None
    pd = sys.modules.get("pandas")  # without pandas loaded, no value is one of its markers
    if pd is not None and (value is pd.NA or value is pd.NaT):
        return None
    if isinstance(value, float) and value != value:
        return None
    return value


def amount_tol(n_parts: int = 2) -> float:
    """0.01 万元, or half a unit per printed part when more parts were each rounded."""
    return max(AMOUNT_TOL, 0.005 * n_parts)


_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*[%％]")


def decimals_of(value: float, max_decimals: int = 6) -> int:
    """Decimals needed to write ``value`` (trailing zeros dropped)."""
    text = f"{value:.{max_decimals}f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


def printed_decimals(rate: float, printed_text: str | None = None) -> int:
    """Decimals of a percentage as printed: from the line's literal (``99.40%`` → 2) where
    the line is at hand, else from the value itself."""
    pct = rate * 100
    if printed_text:
        for m in _PERCENT.finditer(printed_text):
            if abs(float(m.group(1)) - abs(pct)) < 1e-6:
                literal = m.group(1)
                return len(literal.split(".")[1]) if "." in literal else 0
    return decimals_of(round(abs(pct), 6))


def rate_tol(rate: float, printed_text: str | None = None) -> float:
    """Half a unit of the last printed digit of a percentage, as a fraction."""
    return 0.5 * 10 ** (-printed_decimals(rate, printed_text)) / 100


def truncated(expected: float, stated: float, decimals: int) -> bool:
    """Whether ``stated`` is ``expected`` cut (not rounded) to the printed decimals."""
    scale = 100 * 10**decimals
    return abs(math.trunc(expected * scale + 1e-9 * (1 if expected >= 0 else -1)) - stated * scale) < 1e-6


def rate_finding(subject, expected, stated, moved, printed_text, source_ref, message, keys) -> dict:
    """A stated rate against its recomputation: within the printed precision (plus what the
    amounts' rounding can move) passes; a rate cut rather than rounded is only a warning.
    ``message`` may hold ``{stated}``: the rate as printed."""
    decimals = printed_decimals(stated, printed_text)
    tol = 0.5 * 10 ** (-decimals) / 100 + moved
    shown = f"{stated * 100:.{decimals}f}%"
    row = finding(subject, expected, stated, tol, source_ref, message.format(stated=shown), keys)
    if row["status"] == "fail" and truncated(expected, stated, decimals):
        row["status"] = "warn"
        row["message"] += "（截断而非四舍五入）"
    return row


def finding(
    subject: str,
    expected: float | None,
    found: float | None,
    tol: float,
    source_ref: str,
    message: str = "",
    keys: dict | None = None,
    status: str | None = None,
) -> dict:
    """One checks row; the status follows from |found - expected| <= tol unless given."""
    difference = None
    if expected is not None and found is not None:
        difference = round(found - expected, 6)
        if status is None:
            status = "pass" if abs(difference) <= tol + _EPS else "fail"
    return {
        **(keys or {}),
        "subject": subject,
        "expected": None if expected is None else round(float(expected), 6),
        "found": None if found is None else round(float(found), 6),
        "difference": difference,
        "status": status or "warn",
        "message": message,
        "source_ref": source_ref,
    }


def unverifiable_if_unprinted(row: dict, unprinted: list[str], what: str = "未列示") -> dict:
    """A failing sum with parts the document did not print cannot be called wrong: a warning.

    A part not printed is never taken as 0, so the finding says which parts were missing.
    """
    if unprinted and row["status"] == "fail":
        row["status"] = "warn"
        row["message"] += f"；{'、'.join(unprinted)}{what}，无法核对"
    return row


def sum_finding(subject: str, total: dict, parts: list[dict], what: str = "", terms: str = "") -> dict:
    """A printed total against the sum of the parts printed with it, 0.01 万元 or half a unit
    per rounded part. The message: ``{what}：印 <total>，<terms> = <sum>`` (the parts' count
    where ``terms`` is not given)."""
    expected = sum(p["amount"] for p in parts)
    head = f"{what}：" if what else ""
    tail = f"{terms} =" if terms else f"{len(parts)} 项之和"
    return finding(
        subject,
        expected,
        total["amount"],
        amount_tol(len(parts)),
        total["source_ref"],
        f"{head}印 {fmt(total['amount'])}，{tail} {fmt(expected)}",
        keys_of(total),
    )


def keys_of(row: dict) -> dict:
    return {k: row.get(k) for k in KEYS}


def doc_keys(ctx: Context, doc_id: str) -> dict:
    """The key columns of a document, from the loaded document or the documents frame."""
    doc = ctx.docs.get(doc_id)
    if doc is not None:
        return dict(doc.keys)
    docs = ctx.frame("documents")
    if not docs.empty:
        hit = docs[docs["doc_id"] == doc_id]
        if not hit.empty:
            return keys_of(hit.iloc[0].to_dict())
    return {"doc_id": doc_id}


def fmt(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{value:,.0f}"


def line_text(ctx: Context, doc_id: str, source_ref: str | None) -> str | None:
    """The printed text of the line a figure rests on (for its printed precision)."""
    doc = ctx.docs.get(doc_id)
    m = re.fullmatch(r"(?:p(\d+):)?L(\d+)", (source_ref or "").strip())
    if doc is None or not m:
        return None
    lines, index = line_index(ctx, doc_id)
    page, number = (int(m.group(1)) if m.group(1) else None), int(m.group(2))
    at = index.get(f"L{number}" if page is None else f"p{page}:L{number}")
    return None if at is None else lines[at].text


def line_index(ctx: Context, doc_id: str) -> tuple[list, dict[str, int]]:
    """A document's lines and where each ref is first printed, once per run."""
    def compute():
        doc = ctx.docs.get(doc_id)
        lines = list(doc.source.lines) if doc is not None else []
        # SourceLine.ref written out (every line's ref is asked for once); the first line of a
        # ref wins, so the dict is filled from the last line back.
        refs = [f"L{ln.number}" if ln.page is None else f"p{ln.page}:L{ln.number}" for ln in lines]
        return lines, dict(zip(reversed(refs), range(len(refs) - 1, -1, -1), strict=True))

    return ctx.cached(("located_lines", doc_id), compute)
