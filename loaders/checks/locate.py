"""The line that printed a figure, for a finding's source_ref.

A projects row points at its table (the title, or the first line of its funds block); a
finding about its 总分 or its 预算执行率 score should point at the line that printed that
figure. :func:`figure_ref` walks forward from the row's line through a short path of marks
(a label, then figures in the order the table prints them) and returns the line where the
last mark was found; where the path is not found it returns the row's own line, so a
finding never points at a guess.
"""

from __future__ import annotations

import re
import unicodedata

from loaders.checks.core import Context

_NUMBER = re.compile(r"(?<![\d.])-?\d[\d,]*(?:\.\d+)?(?P<pct>\s*[%％])?")
# How far past the row's line its figures may be printed (one table, cell-per-line layouts).
WINDOW = 260


class Pct(float):
    """A mark for a percentage: matches ``99.41%`` for 0.9941."""


def doc_lines(ctx: Context, doc_id: str) -> tuple[list, dict[str, int]]:
    def compute():
        doc = ctx.docs.get(doc_id)
        lines = list(doc.source.lines) if doc is not None else []
        index = {}
        for i, ln in enumerate(lines):
            index.setdefault(ln.ref, i)
        return lines, index

    return ctx.cached(("located_lines", doc_id), compute)


def _text(ctx: Context, doc_id: str, i: int, lines: list) -> str:
    """A line's clean text in compatibility form (１００％ reads as 100%), once per run."""
    key = ("located_text", doc_id, i)
    if key not in ctx._cache:
        ctx._cache[key] = unicodedata.normalize("NFKC", lines[i].clean)
    return ctx._cache[key]


def line_nfkc(ctx: Context, doc_id: str, i: int) -> str:
    """The clean text of a document's ``i``-th line in compatibility form."""
    lines, _index = doc_lines(ctx, doc_id)
    return _text(ctx, doc_id, i, lines) if 0 <= i < len(lines) else ""


def _find(mark, text: str, start: int) -> int | None:
    """End offset of ``mark`` in ``text`` from ``start``, or None."""
    if isinstance(mark, tuple):
        hits = [e for e in (_find(m, text, start) for m in mark) if e is not None]
        return min(hits) if hits else None
    if isinstance(mark, str):
        mark = unicodedata.normalize("NFKC", mark)
        at = text.find(mark, start)
        return None if at < 0 else at + len(mark)
    want = float(mark) * 100 if isinstance(mark, Pct) else float(mark)
    for m in _NUMBER.finditer(text, start):
        if isinstance(mark, Pct) and not m.group("pct"):
            continue
        digits = m.group(0).rstrip("%％ ").replace(",", "")
        try:
            value = float(digits)
        except ValueError:
            continue
        if abs(value - want) < 1e-6:
            return m.end()
    return None


def figure_ref(ctx: Context, doc_id: str, from_ref: str | None, marks: list, back: int = 0,
               window: int = WINDOW, until: int | None = None) -> str | None:
    """The ref of the line where the last of ``marks`` is printed, searching forward from
    ``from_ref`` (``back`` lines before it) in order; ``from_ref`` where the path is not found.

    Marks: a str (a word in the line), a tuple (any of them), a float (a number printed so),
    a :class:`Pct` (a percentage). A line may hold several marks in order (a one-line row)."""
    lines, index = doc_lines(ctx, doc_id)
    at = index.get(from_ref or "")
    if at is None or not marks:
        return from_ref
    i, offset, step = max(0, at - back), 0, 0
    end = min(len(lines), at + window, until if until is not None and until > at else len(lines))
    found_at = None
    while i < end and step < len(marks):
        hit = _find(marks[step], _text(ctx, doc_id, i, lines), offset)
        if hit is None:
            i, offset = i + 1, 0
            continue
        found_at, offset, step = i, hit, step + 1
    if step < len(marks) or found_at is None:
        return from_ref
    return lines[found_at].ref


def _table_starts(ctx: Context, doc_id: str) -> list[int]:
    """Where each 绩效自评表 of a document starts (its projects rows' lines), in order."""
    def compute():
        _lines_, index = doc_lines(ctx, doc_id)
        refs = {p.get("source_ref") for p in ctx.records("projects") if p.get("doc_id") == doc_id}
        return sorted(index[r] for r in refs if r in index)

    return ctx.cached(("table_starts", doc_id), compute)


def project_ref(ctx: Context, p: dict, marks: list, back: int = 0) -> str:
    """The line of a projects row's figure, looked for within its own table only."""
    doc_id, ref = p["doc_id"], p.get("source_ref")
    _lines_, index = doc_lines(ctx, doc_id)
    at = index.get(ref or "")
    until = next((s for s in _table_starts(ctx, doc_id) if at is not None and s > at), None)
    return figure_ref(ctx, doc_id, ref, marks, back=back, until=until) or ref


TOTAL_LABELS = ("总分", "综合得分", "自评得分", "评价得分")
FUNDS_LABELS = ("年度资金总额", "年度总资金", "资金总额", "预算执行率")


def total_ref(ctx: Context, p: dict, figure: float) -> str:
    """The 总分 row's line that prints ``figure`` (its 分值 or its 得分)."""
    return project_ref(ctx, p, [TOTAL_LABELS, figure])


def execution_ref(ctx: Context, p: dict, figure: float | None = None) -> str:
    """The line of the 预算执行率 block: its stated rate, or ``figure`` (the score) after it."""
    marks: list = [FUNDS_LABELS]
    if p.get("stated_execution_rate") is not None:
        marks.append(Pct(p["stated_execution_rate"]))
    if figure is not None:
        marks.append(figure)
    # The funds block may open a line or two before the row's line (its label above its figures).
    return project_ref(ctx, p, marks, back=12)


def group_weight_ref(ctx: Context, r: dict, back: int = 30) -> str:
    """The line printing a 一级指标's own weight ("效益指标(30分)", or "(30分)" under it): the
    nearest such line at or before the group's first row, within its table."""
    lines, index = doc_lines(ctx, r["doc_id"])
    at = index.get(r.get("source_ref") or "")
    if at is None or r.get("level1_weight") is None:
        return r.get("source_ref")
    weight = f"{r['level1_weight']:g}"
    mark = re.compile(rf"[（(]\s*{re.escape(weight)}(?:\.0+)?\s*分\s*[）)]")
    level1 = str(r.get("level1") or "")
    starts = [s for s in _table_starts(ctx, r["doc_id"]) if s <= at]
    floor = max([at - back, *starts[-1:]])
    for i in range(at, max(floor, 0) - 1, -1):
        if mark.search(lines[i].clean) and (level1 in lines[i].clean or (i and level1 in lines[i - 1].clean)):
            return lines[i].ref
    return r.get("source_ref")
