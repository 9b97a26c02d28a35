"""What the columns of a budget table mean, shared by the 预算 and 决算 parsers.

Columns are labelled from the header rows by their text (never by position: a PDF or a page
break shifts cells); a PDF's multi-level header arrives flattened as ``收入/项目`` paths and
is split on ``/``. From a column's labels follow its budget phase (:func:`column_measure`)
and its breakdown (:func:`breakdown_of`). The 栏次 row (1, 2, 3 … under the headers) is
recognised in its variants, and a row a page break cut in two is put back together
(:func:`merge_fragment`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from loaders.readers.normalize import no_blanks
from loaders.spec.formats import spec

# --- The 栏次 row ------------------------------------------------------------------------------

_HEADER_WORDS = re.compile(r"[类款项]+")
_COLUMN_NUMBERS = re.compile(r"^(?:栏次|档次|行次|栏号)$")  # 档次: a misprint seen in the wild (Handan)


def is_column_number_row(cells: list[str]) -> bool:
    """The 栏次 row (1, 2, 3 … under the headers).

    ``栏次`` in any cell, or 栏次/档次/行次/栏号 as the first cell; or consecutive numbers
    (two or more) beside nothing but 类/款/项 labels, starting at 1 — or anywhere when the
    first cell is blank (a table printed in parts numbers its columns on).
    """
    squashed = [no_blanks(c) for c in cells]
    if "栏次" in squashed or (squashed and _COLUMN_NUMBERS.match(squashed[0])):
        return True
    filled = [c for c in squashed if c]
    digits = [int(c) for c in filled if c.isdigit()]
    others = [c for c in filled if not c.isdigit()]
    if len(digits) < 2 or not all(_HEADER_WORDS.fullmatch(c) for c in others):
        return False
    first = 1 if squashed[0] else digits[0]
    return digits == list(range(first, first + len(digits)))


# --- Column labels --------------------------------------------------------------------------

_DESCRIPTOR = re.compile(
    r"^(?:项目|科目|科目名称|名称|.*编码|.*代码|.*分类|行次|栏次|类|款|项|款项|类款项|序号"
    r"|.*名称|.*科目|采购品目|大类|采购组织形式?|[式目])(?:[(（][^)）]*[)）])?$"
)


_FURNITURE = re.compile(r"^(?:部门|单位|编制单位|编制部门|部门名称|单位名称|预算单位)\s*[:：]")


@dataclass(frozen=True)
class Column:
    index: int
    parts: tuple[str, ...]  # header texts from the top row down, whitespace removed
    is_value: bool  # holds figures (not a code / name / 行次 column)

    @property
    def label(self) -> str:
        return "/".join(self.parts)

    @property
    def leaf(self) -> str:
        return self.parts[-1] if self.parts else ""

    @property
    def parent(self) -> str:
        """The headers above the leaf (``本年收入`` over ``小计``), space-joined."""
        return " ".join(self.parts[:-1])


def column_labels(header_rows: list[list[str]], number_row: list[str] | None = None) -> list[Column]:
    """Label each column from the header rows (without the 栏次 row).

    A blank cell takes the label to its left only where a row below has a label in that
    column (the parent header spans its children: 本年支出 over 基本支出 | 项目支出), and not
    past the start of a new span in a row above; a blank in the lowest row is a cell merged
    from above, not a span.
    """
    rows = [[no_blanks(c) for c in r] for r in header_rows]
    width = max([len(r) for r in rows] + [len(number_row or [])] + [0])
    rows = [r + [""] * (width - len(r)) for r in rows]
    filled = [list(r) for r in rows]
    for k in range(len(rows) - 1):
        last = ""
        for i in range(width):
            if rows[k][i]:
                last = rows[k][i]
            elif any(rows[up][i] for up in range(k)):
                last = ""  # a new span starts above: the label to the left does not reach here
            elif last and any(rows[down][i] for down in range(k + 1, len(rows))):
                filled[k][i] = last
    columns = []
    numbers = [no_blanks(c) for c in (number_row or [])]
    for i in range(width):
        # "收入/项目": the PDF reader joins stacked header cells with "/"; repeats are dropped.
        # A 部门：… or 单位：万元 label the PDF swallowed into the header is no column label.
        parts = tuple(dict.fromkeys(p for r in filled for p in r[i].split("/") if p and not _FURNITURE.match(p)))
        if numbers:  # a 预算 栏次 row numbers its label columns too
            is_value = i < len(numbers) and numbers[i].isdigit() and not (parts and _DESCRIPTOR.match(parts[-1]))
        else:
            is_value = bool(parts) and not _DESCRIPTOR.match(parts[-1])
        columns.append(Column(i, parts, is_value))
    return columns


# --- Phase and breakdown ----------------------------------------------------------------------


def _measure_rules() -> dict[str, re.Pattern]:
    return {k: re.compile(v) for k, v in spec()["measures"].items()}


_MEASURES = _measure_rules()


_YEAR = re.compile(r"(\d{4})年")


@lru_cache(maxsize=1 << 12)  # asked for every figure of every row: one answer per label
def column_measure(label: str, *, doc_kind: str, year: int | None = None) -> str | None:
    """The budget phase a column (or row label) holds; ``None`` where it is not a phase (增减, %).

    A 决算 table prints actuals unless a column says otherwise, and its 预算数 is the year's
    final (全年) budget; a 预算 table prints the year's initial budget. The wording of each
    phase is in the spec (``[measures]``).
    """
    if _MEASURES["not_a_phase"].search(label):
        return None
    for phase in ("prior_year_actual", "prior_year_budget"):
        if _MEASURES[phase].search(label):
            return phase
    m = _YEAR.search(label)
    if m and year and int(m.group(1)) == year - 1:
        return "prior_year_budget" if "预算" in label else "prior_year_actual"
    for phase in ("budget_initial", "budget_adjusted"):
        if _MEASURES[phase].search(label):
            return phase
    if doc_kind == "final_accounts":
        return "budget_adjusted" if "预算数" in label else "actual"
    return "budget_initial"


# Breakdown by header text; the first text (the column's own, lowest label) that matches wins.
BREAKDOWNS: list[tuple[str, str]] = [(b["pattern"], b["name"]) for b in spec()["breakdowns"]]
_BREAKDOWNS = [(re.compile(pattern), name) for pattern, name in BREAKDOWNS]  # compiled once: asked per cell
_TOTAL = re.compile(spec()["columns"]["total"])


def breakdown_of(texts: Iterable[str]) -> str | None:
    """The breakdown the first matching text names (pass the lowest label first)."""
    for text in texts:
        for pattern, name in _BREAKDOWNS:
            if pattern.search(text):
                return name
    return None


def is_total_column(texts: Iterable[str]) -> bool:
    """合计 / 总计 / 预算数 / 金额 …: the column holds the whole, not a part."""
    return any(_TOTAL.search(t) for t in texts)


# --- Rows cut by a page break ----------------------------------------------------------------


def is_fragment(cells: list[str]) -> bool:
    """What a page break left of the row before it: a few digit pieces, no 序号, no name."""
    filled = [c for c in cells if c]
    return bool(filled) and not cells[0] and all(re.fullmatch(r"\d{1,3}", c) for c in filled)


def merge_fragment(prev: list[str], frag: list[str], warn: Callable[[str, str], None]) -> list[str]:
    """The previous row completed with the pieces a page break pushed onto a fragment row.

    A cell cut by the break continues in the same column. Digits that extend a code into a
    valid classification code are appended ("21201" + "09" → "2120109": the 项 row then no
    longer repeats its 款's code). A digit under a figure is appended only when that figure
    is visibly unfinished ("1069.1" + "5"); under a complete figure ("1069.15") it is a
    remnant of the wrapped cell re-emitted after the break, and appending it would invent
    a third decimal (1069.155) that a 万元 table never prints: it is dropped and reported
    through ``warn(piece, cell)``.
    """
    cells = list(prev) + [""] * max(0, len(frag) - len(prev))
    for j, piece in enumerate(frag):
        if not piece:
            continue
        before = no_blanks(cells[j])
        joined = before + piece
        extends_code = re.fullmatch(r"\d{3}|\d{5}", before) and len(joined) in (5, 7)
        if extends_code or re.fullmatch(r"[\d,]+\.\d?", before):
            cells[j] = joined
        else:
            warn(piece, cells[j])
    return cells
