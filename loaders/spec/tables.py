"""Shared primitives for the tab-separated tables of budget disclosures (预算 and 决算).

A table is found by its title line; its unit comes from the 单位 line under the title; its
columns are read from the header rows by their text (never by fixed positions: a PDF or a
page break shifts cells). The 栏次 row (1, 2, 3 … under the headers), when printed, tells
which columns hold figures. A table is read into :class:`Entry` items: one per label
(code + name) with the figures printed beside it. Side-by-side layouts (收入 | 支出, or the
three 人员经费/公用经费 blocks of the 基本支出 table) are split into :class:`Segment` s.

Typical use (the rows are read by :mod:`loaders.spec.rows`)::

    for block in find_tables(source, my_title_test):
        for entry in read_entries(block, warn=ex.warn):
            for value in entry.values: ...   # value.column.label, value.amount
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from loaders.numbers import declared_unit, is_placeholder, parse_number
from loaders.readers.normalize import no_blanks
from loaders.readers.source import Source, SourceLine
from loaders.spec.columns import Column, column_labels, is_column_number_row, is_fragment, merge_fragment  # noqa: F401
from loaders.spec.formats import declares_empty as _declares_empty

# --- Titles -------------------------------------------------------------------------------

_TOTAL_LABEL = re.compile(r"(?:合计|总计)$")
_YEAR_PREFIX = re.compile(r"^\d{4}年(?:度)?")
_ORDINAL = re.compile(
    r"^(?:[-•·]\s*)?(?:(?:附表|表)\s*\d*\s*[、.．:：)）]?|[一二三四五六七八九十]+\s*[、.．)）]|\d+\s*[、.．)）])\s*"
)
_PUBLIC_NO = re.compile(r"公开\s*\d+\s*表")
_PART_HEADING = re.compile(r"^第[一二三四五六七八九十\d]+部分")
_SENTENCE = re.compile(r"[，。；;,]")
_QUALIFIER = re.compile(r"\s*[（(][^（()）]{1,8}[）)]$")  # 支出预算表（功能科目）


@lru_cache(maxsize=1 << 14)  # asked of every line by the title tests, the 目录 and the inventory
def clean_title(text: str) -> str:
    """A title without whitespace, list numbering, 《》, the 公开 0N 表 marker or the year.

    ``"2023 年度收入支出决算总表"`` → ``"收入支出决算总表"``: the year is a column of its own.
    """
    t = no_blanks(text)
    t = _PUBLIC_NO.sub("", t)
    t = _ORDINAL.sub("", t)
    t = t.strip("《》<>:：")
    return _YEAR_PREFIX.sub("", t)


def title_text(line: SourceLine, *, max_chars: int = 60) -> str | None:
    """The line's text when it can be a table title standing alone (one cell, ends in 表, no
    sentence punctuation), else ``None``. The caller decides which titles it wants."""
    return _title_text(line.clean, max_chars)


@lru_cache(maxsize=1 << 14)
def _title_text(clean: str, max_chars: int) -> str | None:
    cells = [c for c in map(str.strip, clean.split("\t")) if c] if "\t" in clean else [clean.strip()]
    if len(cells) != 1 or not cells[0]:
        return None
    text = _PUBLIC_NO.sub("", cells[0]).strip().lstrip(":：").strip()
    if not text or len(text) > max_chars or _SENTENCE.search(text) or not _QUALIFIER.sub("", text).endswith("表"):
        return None
    return text


def is_part_heading(line: SourceLine) -> bool:
    """``第三部分 …`` : a document section, which ends any table before it."""
    return bool(_PART_HEADING.match(line.clean.strip()))


# --- Codes --------------------------------------------------------------------------------

_CODE = re.compile(r"\d{3}(?:\s*\d{2}){0,2}")


@lru_cache(maxsize=1 << 14)
def normalize_code(text: str | None) -> str | None:
    """A classification code as one string: ``"22101 99"`` → ``"2210199"``; 3, 5 or 7 digits."""
    if not text:
        return None
    s = text.strip()
    if not _CODE.fullmatch(s):
        return None
    return no_blanks(s)


def code_level(code: str | None) -> int | None:
    """1 for a 类 (3 digits), 2 for a 款 (5), 3 for a 项 (7)."""
    return {3: 1, 5: 2, 7: 3}.get(len(code)) if code else None


@lru_cache(maxsize=1 << 14)
def is_total_label(item: str) -> bool:
    """合计 / 总计 rows (本年收入合计, 人员经费合计 …)."""
    return bool(_TOTAL_LABEL.search(no_blanks(item)))


# --- Declared-empty tables: the sentences are in the spec ----------------------------------

declares_empty = _declares_empty


# --- Header rows and columns: see loaders.spec.columns ------------------------------------


@dataclass(frozen=True)
class Segment:
    """One block of a side-by-side layout: its label columns and its figure columns."""

    labels: tuple[Column, ...]
    values: tuple[Column, ...]

    @property
    def start(self) -> int:
        return (self.labels or self.values)[0].index


def segments(columns: list[Column]) -> list[Segment]:
    """Split the columns where a label column follows a figure column (收入 | 支出)."""
    out: list[Segment] = []
    labels: list[Column] = []
    values: list[Column] = []
    for col in columns:
        if not col.is_value and values:
            out.append(Segment(tuple(labels), tuple(values)))
            labels, values = [], []
        (values if col.is_value else labels).append(col)
    if labels or values:
        out.append(Segment(tuple(labels), tuple(values)))
    return [s for s in out if s.values]


# --- Finding a table -----------------------------------------------------------------------


@dataclass
class TableBlock:
    """A printed table: its title, unit, header rows, body rows and what follows it."""

    title: str  # as printed (clean text, one line)
    title_line: SourceLine
    unit: str | None = None
    header: list[SourceLine] = field(default_factory=list)
    number_row: SourceLine | None = None
    body: list[SourceLine] = field(default_factory=list)
    empty_line: SourceLine | None = None  # "本表无数据" and the like

    @property
    def columns(self) -> list[Column]:
        # Asked several times per table (and the header may be replaced by a continued
        # table's): worked out once per header text.
        return list(_columns(tuple(h.clean for h in self.header), self.number_row.clean if self.number_row else None))


@lru_cache(maxsize=1 << 10)
def _columns(header: tuple[str, ...], number_row: str | None) -> tuple[Column, ...]:
    def cells(clean: str) -> list[str]:
        return [c.strip() for c in clean.split("\t")]

    return tuple(column_labels([cells(h) for h in header], cells(number_row) if number_row is not None else None))


_FURNITURE = re.compile(r"^(?:部门|单位|编制单位|编制部门|预算单位|单位名称|部门名称)\s*[:：]|^公开\s*\d+\s*表$|^第?\s*\d+\s*页")
_ROW_LABEL = re.compile(r"^(?:[一二三四五六七八九十]+、|\d{1,2}[、.．](?!\d)|[（(][一二三四五六七八九十\d]+[)）]|其中[:：])")
_NOTE = re.compile(r"^(?:注|备注|说明)\s*\d*\s*[:：.、]")


@lru_cache(maxsize=1 << 15)
def _is_text(cell: str) -> bool:
    return bool(cell) and not is_placeholder(cell) and parse_number(cell) is None


_AMOUNT = re.compile(r"-?[\d,]*\d\.\d+|-?\d{1,3}(?:,\d{3})+")


def _has_amount(cells: list[str]) -> bool:
    return any(map(_AMOUNT.fullmatch, cells))


def _is_data_row(cells: list[str], has_header: bool = False) -> bool:
    """A body row: an amount, or a code or 合计 label in one of the first cells; under a
    header, also a label followed by whole figures (a 元 table: ``上年预算数 80000``)."""
    first = next((i for i, c in enumerate(cells) if c), None)
    if _has_amount(cells):
        return True
    if has_header and first is not None and any(parse_number(c) is not None for c in cells[first + 1:]):
        return True
    if first is None or first >= 3:
        return False
    if normalize_code(cells[first]):
        return True
    # "合计" alone is an (empty) total row; "合计 | 因公出国（境）费 | …" is a header row.
    return is_total_label(cells[first]) and not any(_is_text(c) for c in cells[first + 1:])


def find_tables(source: Source, is_title: Callable[[SourceLine], str | None],
                warn: Callable[[str], None] | None = None) -> Iterator[TableBlock]:
    """Every table whose title line ``is_title`` accepts (it returns the title, or None).

    A table runs to the next accepted title or the next ``第…部分`` heading. Inside it:
    unit and 部门 lines, the header rows (up to the 栏次 row, or up to the first data row),
    the body (tab rows; header rows, 栏次 rows, the page header block and the title printed
    again after a page break are skipped; a row a page break cut in two is put back
    together), and a declared-empty sentence among the notes.
    """
    lines = source.lines
    starts = [(i, t) for i, line in enumerate(lines) if (t := is_title(line))]
    for n, (start, title) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        for j in range(start + 1, end):
            if is_part_heading(lines[j]):
                end = j
                break
        yield _read_block(lines[start:end], title, warn)


_PAGE_NUMBER = re.compile(r"^(?:第\s*\d+\s*页.*|-?\s*\d+\s*-?|\d+\s*/\s*\d+|公开\s*\d+\s*表)$")
_PAGE_LABEL = re.compile(r"^(?:预算年度|编制单位|编制部门|单位名称|部门名称|预算单位|预算主管部门|部门|单位)\s*[:：]")


def _is_furniture_row(cells: list[str]) -> bool:
    """``编制部门：…⇥单位：元``: the page header printed as one line of cells, not a table row."""
    filled = [c for c in cells if c]
    if filled and all(declared_unit(c) or _PAGE_LABEL.match(c) for c in filled):
        return True
    # "部门：⇥某省…⇥单位：万元": a label, the name it labels, the unit; no figure
    return (0 < len(filled) <= 3 and any(declared_unit(c) or _PAGE_LABEL.match(c) for c in filled)
            and not any(parse_number(c) is not None for c in filled))


@lru_cache(maxsize=1 << 14)  # a header row, printed again on every page, is looked at each time
def _row_shape(clean: str) -> tuple[str, bool]:
    """A row's cells without whitespace, joined (to tell a repeated header), and whether it is
    the 栏次 row: by the line's clean text, whose cells these are."""
    cells = [c.strip() for c in clean.split("\t")]
    return "\t".join(no_blanks(c) for c in cells).strip("\t"), is_column_number_row(cells)


def _read_block(lines: list[SourceLine], title: str, warn: Callable[[str], None] | None = None) -> TableBlock:
    block = TableBlock(title, lines[0])
    header_texts: set[str] = set()
    signature: set[str] = set()  # the page header lines above the first header row (entity, 预算年度)
    in_body, after_body, after_count, after_break = False, False, 0, False
    page = lines[0].page
    for line in lines[1:]:
        text = line.clean.strip()
        if not text:
            continue
        if line.page != page:
            page, after_break = line.page, True
        cells = line.cells
        if block.unit is None and not in_body and declared_unit(text):
            block.unit = declared_unit(text)
        if declares_empty(text) and block.empty_line is None:
            block.empty_line = line
        if after_body:
            after_count += 1
            if after_count > 8:  # the notes are over: what follows is not about this table
                break
            continue
        if "\t" not in line.clean or _is_furniture_row(cells):
            squashed = no_blanks(text)
            if not block.header and not in_body:
                if len(signature) < 6:
                    signature.add(squashed)
                continue
            if (squashed in signature or declared_unit(text) or _PAGE_LABEL.match(text) or _PAGE_NUMBER.match(text)
                    or clean_title(text) == clean_title(title) or _FURNITURE.search(text)):
                after_break = True  # the page header block printed again after a page break
                continue
            if in_body and _ROW_LABEL.match(squashed) and len(squashed) <= 40 and not _SENTENCE.search(text):
                continue  # a row label with no figure beside it ("四、其他收入"): the table goes on
            after_body = in_body or bool(_NOTE.match(text))
            continue
        key, numbers = _row_shape(line.clean)
        if not in_body:
            if numbers:
                block.number_row, in_body = line, True
                header_texts.add(key)
                continue
            if not _is_data_row(cells, bool(block.header)):
                block.header.append(line)
                header_texts.add(key)
                continue
            in_body = True
        if key in header_texts or numbers:
            after_break = True  # the header printed again after a page break
            continue
        if not any(cells):
            continue
        if after_break and block.body and is_fragment(cells):
            block.body[-1] = _merged(block.body[-1], line, title, warn)
            continue
        after_break = False
        block.body.append(line)
    return block


def _merged(prev: SourceLine, frag: SourceLine, title: str, warn: Callable[[str], None] | None) -> SourceLine:
    """The previous row completed with the pieces a page break pushed onto ``frag``."""
    def report(piece: str, cell: str) -> None:
        if warn:
            warn(f"{clean_title(title)}: page-break fragment '{piece}' ({frag.ref}) under a complete cell "
                 f"'{cell}' ({prev.ref}) ignored")

    cells = merge_fragment(prev.cells, frag.cells, report)
    return SourceLine(prev.number, "\t".join(cells), prev.page)
