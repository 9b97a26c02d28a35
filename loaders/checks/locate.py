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
from bisect import bisect_right
from functools import lru_cache
from itertools import accumulate

from loaders.checks.core import Context, line_index

_NUMBER = re.compile(r"(?<![\d.])-?\d[\d,]*(?:\.\d+)?(?P<pct>\s*[%％])?")
# How far past the row's line its figures may be printed (one table, cell-per-line layouts).
WINDOW = 260


class Pct(float):
    """A mark for a percentage: matches ``99.41%`` for 0.9941."""


def doc_lines(ctx: Context, doc_id: str) -> tuple[list, dict[str, int]]:
    """A document's lines and the index of each ref's first line, once per run."""
    return line_index(ctx, doc_id)


def _texts(ctx: Context, doc_id: str) -> list[str]:
    """Every line's clean text in compatibility form (１００％ reads as 100%), once per run:
    normalised as one text (a newline composes with nothing, so line by line is the same)."""
    def compute():
        lines, _index = doc_lines(ctx, doc_id)
        doc = ctx.docs.get(doc_id)
        whole = doc.source.text if doc is not None else ""  # every line's clean text, joined by newlines
        if not unicodedata.is_normalized("NFKC", whole):
            whole = unicodedata.normalize("NFKC", whole)
        texts = whole.split("\n") if lines else []
        if len(texts) != len(lines):  # never expected; line by line then
            texts = [unicodedata.normalize("NFKC", ln.clean) for ln in lines]
        return texts

    return ctx.cached(("located_texts", doc_id), compute)


def _text(ctx: Context, doc_id: str, i: int, lines: list) -> str:
    """A line's clean text in compatibility form."""
    return _texts(ctx, doc_id)[i]


def _joined(ctx: Context, doc_id: str) -> tuple[str, list[int]]:
    """Every line's compatibility text joined by newlines, and where each line starts in it."""
    def compute():
        texts = _texts(ctx, doc_id)
        starts = [0, *accumulate(len(t) + 1 for t in texts[:-1])] if texts else []
        return "\n".join(texts), starts

    return ctx.cached(("located_joined", doc_id), compute)


def _words(mark) -> tuple[str, ...] | None:
    """A word mark (a str, or a tuple of them) in compatibility form; None for a figure mark."""
    if isinstance(mark, str):
        return (_nfkc(mark),)
    if isinstance(mark, tuple) and all(type(m) is str for m in mark):
        return tuple(_nfkc(m) for m in mark)
    return None


def _next_word_line(ctx: Context, doc_id: str, words: tuple[str, ...], i: int, end: int) -> int | None:
    """The first line from ``i`` before ``end`` whose text holds one of ``words`` (none holds
    a newline, so none is found across two lines)."""
    joined, starts = _joined(ctx, doc_id)
    stop = starts[end] if end < len(starts) else len(joined)
    at = min((p for p in (joined.find(w, starts[i], stop) for w in words) if p >= 0), default=-1)
    return None if at < 0 else bisect_right(starts, at) - 1


def line_nfkc(ctx: Context, doc_id: str, i: int) -> str:
    """The clean text of a document's ``i``-th line in compatibility form."""
    lines, _index = doc_lines(ctx, doc_id)
    return _text(ctx, doc_id, i, lines) if 0 <= i < len(lines) else ""


@lru_cache(maxsize=4096)
def _nfkc(mark: str) -> str:
    return unicodedata.normalize("NFKC", mark)


@lru_cache(maxsize=1 << 15)
def _numbers(text: str) -> tuple[tuple[int, float, bool], ...]:
    """Every number a line prints, from its start: (end offset, value, printed as a percentage)."""
    out = []
    for m in _NUMBER.finditer(text):
        try:
            value = float(m.group(0).rstrip("%％ ").replace(",", ""))
        except ValueError:
            continue
        out.append((m.end(), value, bool(m.group("pct"))))
    return tuple(out)


def _find(mark, text: str, start: int) -> int | None:
    """End offset of ``mark`` in ``text`` from ``start``, or None."""
    if isinstance(mark, str):
        at = text.find(_nfkc(mark), start)
        return None if at < 0 else at + len(_nfkc(mark))
    if isinstance(mark, tuple):
        hits = [e for e in (_find(m, text, start) for m in mark) if e is not None]
        return min(hits) if hits else None
    pct = isinstance(mark, Pct)
    want = float(mark) * 100 if pct else float(mark)
    if start == 0:  # the common case: the numbers of a line found once per run
        for end, value, is_pct in _numbers(text):
            if (is_pct or not pct) and abs(value - want) < 1e-6:
                return end
        return None
    for m in _NUMBER.finditer(text, start):
        if pct and not m.group("pct"):
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
    a :class:`Pct` (a percentage). A line may hold several marks in order (a one-line row).

    Found once per run: several rules locate the same figure (a project's 执行率 line)."""
    # A Pct equals the float it marks: the marks' types are part of the key.
    key = ("figure_ref", doc_id, from_ref, tuple((type(m), m) for m in marks), back, window, until)
    try:
        hash(key)
    except TypeError:  # a mark that is not a value (a list): looked for each time
        return _figure_ref(ctx, doc_id, from_ref, marks, back, window, until)
    return ctx.cached(key, lambda: _figure_ref(ctx, doc_id, from_ref, marks, back, window, until))


def _figure_ref(ctx: Context, doc_id: str, from_ref: str | None, marks: list, back: int, window: int,
                until: int | None) -> str | None:
    lines, index = doc_lines(ctx, doc_id)
    at = index.get(from_ref or "")
    if at is None or not marks:
        return from_ref
    i, offset, step = max(0, at - back), 0, 0
    end = min(len(lines), at + window, until if until is not None and until > at else len(lines))
    found_at = None
    while i < end and step < len(marks):
        if offset == 0 and (words := _words(marks[step])) is not None and "\n" not in "".join(words):
            # A word mark from a line's start: straight to the first line that prints it.
            nxt = _next_word_line(ctx, doc_id, words, i, end)
            if nxt is None or nxt >= end:
                break
            i = nxt
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
