"""Shared primitives for the tab-separated tables of budget disclosures (预算 and 决算).

A table is found by its title line; its unit comes from the 单位 line under the title; its
columns are read from the header rows by their text (never by fixed positions: a PDF or a
page break shifts cells). The 栏次 row (1, 2, 3 … under the headers), when printed, tells
which columns hold figures. A table is read into :class:`Entry` items: one per label
(code + name) with the figures printed beside it. Side-by-side layouts (收入 | 支出, or the
three 人员经费/公用经费 blocks of the 基本支出 table) are split into :class:`Segment` s.

Typical use::

    for block in find_tables(source, my_title_test):
        for entry in read_entries(block, warn=ex.warn):
            for value in entry.values: ...   # value.column.label, value.amount
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from loaders.numbers import declared_unit, is_placeholder, parse_number
from loaders.readers.source import Source, SourceLine
from loaders.spec.columns import Column, column_labels, is_column_number_row  # noqa: F401  (re-exported)

# --- Titles -------------------------------------------------------------------------------

_YEAR_PREFIX = re.compile(r"^\d{4}年(?:度)?")
_ORDINAL = re.compile(
    r"^(?:[-•·]\s*)?(?:(?:附表|表)\s*\d*\s*[、.．:：)）]?|[一二三四五六七八九十]+\s*[、.．)）]|\d+\s*[、.．)）])\s*"
)
_PUBLIC_NO = re.compile(r"公开\s*\d+\s*表")
_PART_HEADING = re.compile(r"^第[一二三四五六七八九十\d]+部分")
_SENTENCE = re.compile(r"[，。；;,]")


def clean_title(text: str) -> str:
    """A title without whitespace, list numbering, 《》, the 公开 0N 表 marker or the year.

    ``"2023 年度收入支出决算总表"`` → ``"收入支出决算总表"``: the year is a column of its own.
    """
    t = re.sub(r"\s+", "", text)
    t = _PUBLIC_NO.sub("", t)
    t = _ORDINAL.sub("", t)
    t = t.strip("《》<>")
    return _YEAR_PREFIX.sub("", t)


def title_text(line: SourceLine, *, max_chars: int = 60) -> str | None:
    """The line's text when it can be a table title standing alone (one cell, ends in 表, no
    sentence punctuation), else ``None``. The caller decides which titles it wants."""
    cells = [c for c in line.cells if c]
    if len(cells) != 1:
        return None
    text = _PUBLIC_NO.sub("", cells[0]).strip()
    if not text or len(text) > max_chars or _SENTENCE.search(text) or not text.endswith("表"):
        return None
    return text


def is_part_heading(line: SourceLine) -> bool:
    """``第三部分 …`` : a document section, which ends any table before it."""
    return bool(_PART_HEADING.match(line.clean.strip()))


# --- Codes --------------------------------------------------------------------------------

_CODE = re.compile(r"\d{3}(?:\s*\d{2}){0,2}")


def normalize_code(text: str | None) -> str | None:
    """A classification code as one string: ``"22101 99"`` → ``"2210199"``; 3, 5 or 7 digits."""
    if not text:
        return None
    s = text.strip()
    if not _CODE.fullmatch(s):
        return None
    return re.sub(r"\s+", "", s)


def code_level(code: str | None) -> int | None:
    """1 for a 类 (3 digits), 2 for a 款 (5), 3 for a 项 (7)."""
    return {3: 1, 5: 2, 7: 3}.get(len(code)) if code else None


def is_total_label(item: str) -> bool:
    """合计 / 总计 rows (本年收入合计, 人员经费合计 …)."""
    return bool(re.search(r"(?:合计|总计)$", re.sub(r"\s+", "", item)))


# --- Declared-empty tables ----------------------------------------------------------------

_EMPTY = re.compile(r"(?:本|此|该)表无(?:数据|内容)|(?:为|是)空表|无(?:此|该)项(?:数据|内容)?[，。]?$")


def declares_empty(text: str) -> bool:
    """``本表无数据`` / ``故此表无数据`` / ``…决算表为空表``."""
    return bool(_EMPTY.search(re.sub(r"\s+", "", text)))


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
        return column_labels([h.cells for h in self.header], self.number_row.cells if self.number_row else None)


_FURNITURE = re.compile(r"^(?:部门|单位|编制单位|编制部门|预算单位|单位名称|部门名称)\s*[:：]|^公开\s*\d+\s*表$|^第?\s*\d+\s*页")
_NOTE = re.compile(r"^(?:注|备注|说明)\s*\d*\s*[:：.、]")


def _has_amount(cells: list[str]) -> bool:
    return any(re.fullmatch(r"-?[\d,]*\d\.\d+|-?\d{1,3}(?:,\d{3})+", c) for c in cells)


def _is_data_row(cells: list[str]) -> bool:
    """A body row: an amount, or a code or 合计 label in one of the first cells."""
    first = next((i for i, c in enumerate(cells) if c), None)
    if _has_amount(cells):
        return True
    if first is None or first >= 3:
        return False
    if normalize_code(cells[first]):
        return True
    # "合计" alone is an (empty) total row; "合计 | 因公出国（境）费 | …" is a header row.
    return is_total_label(cells[first]) and not any(_is_text(c) for c in cells[first + 1:])


def find_tables(source: Source, is_title: Callable[[SourceLine], str | None]) -> Iterator[TableBlock]:
    """Every table whose title line ``is_title`` accepts (it returns the title, or None).

    A table runs to the next accepted title or the next ``第…部分`` heading. Inside it:
    unit and 部门 lines, the header rows (up to the 栏次 row, or up to the first data row),
    the body (tab rows; header rows, 栏次 rows and the title printed again after a page
    break are skipped), and a declared-empty sentence among the notes.
    """
    lines = source.lines
    starts = [(i, t) for i, line in enumerate(lines) if (t := is_title(line))]
    for n, (start, title) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        for j in range(start + 1, end):
            if is_part_heading(lines[j]):
                end = j
                break
        yield _read_block(lines[start:end], title)


def _read_block(lines: list[SourceLine], title: str) -> TableBlock:
    block = TableBlock(title, lines[0])
    header_texts: set[str] = set()
    in_body, after_body, after_count = False, False, 0
    for line in lines[1:]:
        text = line.clean.strip()
        if not text:
            continue
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
        if "\t" not in line.clean:
            if _NOTE.match(text) or (in_body and not _FURNITURE.search(text) and not declared_unit(text)
                                     and clean_title(text) != clean_title(title)):
                after_body = in_body or bool(_NOTE.match(text))
            continue
        key = "\t".join(re.sub(r"\s+", "", c) for c in cells).strip("\t")
        if not in_body:
            if is_column_number_row(cells):
                block.number_row, in_body = line, True
                header_texts.add(key)
                continue
            if not _is_data_row(cells):
                block.header.append(line)
                header_texts.add(key)
                continue
            in_body = True
        if key in header_texts or is_column_number_row(cells):
            continue  # the header printed again after a page break
        if not any(cells):
            continue
        block.body.append(line)
    return block


# --- Reading the rows ----------------------------------------------------------------------


@dataclass(frozen=True)
class Value:
    column: Column
    amount: float
    text: str  # as printed


@dataclass
class Entry:
    """One label (code and/or name) and the figures printed for it on one line."""

    line: SourceLine
    segment: Segment
    code: str | None
    item: str
    values: list[Value]

    @property
    def level(self) -> int | None:
        return 0 if is_total_label(self.item) else code_level(self.code)


def _is_text(cell: str) -> bool:
    return bool(cell) and not is_placeholder(cell) and parse_number(cell) is None


def _label(cells: list[str], cols: list[Column]) -> tuple[str | None, str]:
    """Code and name from a segment's label cells (a code may be split over 类/款/项 cells)."""
    pieces: list[str] = []
    name_parts: list[str] = []
    for col in cols:
        cell = cells[col.index] if col.index < len(cells) else ""
        if col.leaf == "行次" or not cell or re.fullmatch(r"[类款项]", cell):
            continue  # 类 / 款 / 项: a header word a PDF row can carry along
        if not pieces and not name_parts and normalize_code(cell):
            pieces.append(cell)
        elif pieces and not name_parts and re.fullmatch(r"\d{2}", cell):
            pieces.append(cell)  # 款 / 项 digits printed in their own column
        elif _is_text(cell):
            name_parts.append(cell)
    code = normalize_code(" ".join(pieces)) if pieces else None
    return code, " ".join(name_parts).strip()


def _values(cells: list[str], cols: tuple[Column, ...], texts: list[str] | None = None) -> list[Value]:
    out = []
    for k, col in enumerate(cols):
        raw = (texts[k] if k < len(texts) else "") if texts is not None else (
            cells[col.index] if col.index < len(cells) else "")
        amount = parse_number(raw)
        if amount is not None:
            out.append(Value(col, amount, raw))
    return out


def _misaligned(cells: list[str], segs: list[Segment]) -> bool:
    """Cells that do not sit under their headers (a page break or a PDF shifted them)."""
    for seg in segs:
        for col in seg.values:
            if col.index < len(cells) and _is_text(cells[col.index]):
                return True
        for col in seg.labels:
            if col.index < len(cells) and col.leaf != "行次" and _has_amount([cells[col.index]]):
                return True
    orphans = starved = False
    for seg in segs:
        labelled = any(_label(cells, list(seg.labels)))
        has_values = bool(_values(cells, seg.values))
        orphans = orphans or (has_values and not labelled)
        starved = starved or (labelled and not has_values)
    return orphans and starved


def _read_sequential(line: SourceLine, cells: list[str], segs: list[Segment]) -> list[Entry]:
    """Fallback for a shifted row: each label takes the figures that follow it, in order."""
    skip = {c.index for s in segs for c in s.labels if c.leaf == "行次"}
    groups: list[dict] = []
    for idx, cell in enumerate(cells):
        if idx in skip and not _is_text(cell):
            continue
        code = normalize_code(cell)
        last = groups[-1] if groups else None
        if last and last["code"] and not last["item"] and not any(last["values"]) and len(last["code"]) < 7 \
                and re.fullmatch(r"\d{2}", cell):
            last["code"] += cell  # 款 / 项 digits in their own cells: "201" "06" "01"
            continue
        if code or _is_text(cell):
            last = groups[-1] if groups else None
            if last is None or any(last["values"]) or (code and last["code"]) or (not code and last["item"]):
                seg = next((s for s in reversed(segs) if s.start <= idx), segs[0])
                last = {"seg": seg, "code": None, "item": "", "values": []}
                groups.append(last)
            last["code" if code else "item"] = code or cell
            last["values"] = []  # blanks between a code and its name are not figures
        elif groups:
            groups[-1]["values"].append(cell)
    entries = []
    for g in groups:
        seg, texts = g["seg"], g["values"]
        if len(seg.values) == 1:
            texts = [t for t in texts if t][:1]
        item = g["item"] or g["code"]
        if item:
            entries.append(Entry(line, seg, g["code"], item, _values(cells, seg.values, texts)))
    return entries


def read_entries(
    block: TableBlock, warn: Callable[[str], None] | None = None, unlabelled: str | None = None
) -> list[Entry]:
    """Every labelled row of every segment, with the figures it prints (blank cells: none).

    Figures with no label beside them are given the item ``unlabelled`` when the caller
    knows what such a row is; otherwise they are reported through ``warn`` and dropped.
    """
    segs = segments(block.columns)
    if not segs:
        return []
    entries: list[Entry] = []
    for line in block.body:
        cells = line.cells
        if _misaligned(cells, segs):
            entries.extend(_read_sequential(line, cells, segs))
            continue
        for seg in segs:
            code, item = _label(cells, list(seg.labels))
            values = _values(cells, seg.values)
            if not (code or item) and values and unlabelled:
                item = unlabelled
            if not (code or item):
                if values and warn:
                    warn(f"{clean_title(block.title)}: figure(s) {', '.join(v.text for v in values)} "
                         f"without a label ({line.ref}) ignored")
                continue
            entries.append(Entry(line, seg, code, item or code, values))
    return entries


def table_unit(block: TableBlock, default: str | None = None) -> str | None:
    """The unit the table declares, else ``default`` (e.g. the document's unit)."""
    if block.unit:
        return block.unit
    for line in block.header:
        if unit := declared_unit(line.clean):
            return unit
    return default
