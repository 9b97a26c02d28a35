"""The one reader of the standard tables of 预算 and 决算, for text, PDF and Word lines alike.

Tables are found by their titles (kinds in :file:`national_formats.toml`), read by
:mod:`loaders.spec.tables` (headers by text, page breaks, fragments, side-by-side blocks),
and every printed figure becomes a row: ``budget_lines`` (breakdown by column, and for the
基本支出 tables by economic class), ``sangong`` for the 三公 table (:mod:`loaders.spec.sangong_table`,
which also gives 会议费, 培训费 and 机关运行经费 as budget lines of their own). What is
specific to a family — its phases, its column words — comes in a :class:`Family`.
``ex.inventory`` says, per standard table of the document's format, whether it is printed
with figures (present), printed or declared empty (empty) or not printed (missing), and
whether the document's own 目录 lists it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from loaders.extraction import DocumentMeta, Extraction
from loaders.numbers import to_wan
from loaders.readers.normalize import no_blanks
from loaders.readers.source import Source, SourceLine
from loaders.spec.columns import Column, breakdown_of
from loaders.spec.formats import choose_format, table_kind
from loaders.spec.rows import Entry, read_entries, table_unit
from loaders.spec.sangong_table import emit_sangong
from loaders.spec.tables import (
    Segment,
    TableBlock,
    clean_title,
    find_tables,
    is_part_heading,
    segments,
    title_text,
)


@dataclass(frozen=True)
class Family:
    """What differs between 预算 and 决算: the phases their columns print, and their words."""

    name: str  # budget | final_accounts
    measure: Callable[[str], str | None]  # a column's label → its phase
    breakdown: Callable[[Column, bool], str | None]  # (column, on the 收入 side of a two-sided table)
    sangong_measure: Callable[[str], str | None]  # the 三公 table's phases (a bare 预算数 …)
    table_name: Callable[[TableBlock], str]  # the ``table`` column of the rows


# --- Titles and the 目录 ----------------------------------------------------------------------


def _title_test(family: str) -> Callable[[SourceLine], str | None]:
    # Joining titles, the 目录 and the tables each test every line: the answer is the line's
    # clean text's, so it is worked out once per text.
    answers: dict[str, str | None] = {}

    def is_title(line: SourceLine) -> str | None:
        if line.clean not in answers:
            answers[line.clean] = _title_of(line, family)
        return answers[line.clean]
    return is_title


def _title_of(line: SourceLine, family: str) -> str | None:
    if is_part_heading(line) or (text := title_text(line)) is None or text[0] in "-•·《":
        return None
    return text if table_kind(clean_title(text), family) else None


def _listing(source: Source, is_title) -> set[str]:
    """Refs of 目录 entries: title lines next to another title line (blank lines aside)."""
    lines = [line for line in source.lines if line.clean.strip()]
    titled = [bool(is_title(line)) for line in lines]
    def beside(k: int, j: int) -> bool:  # a 目录 run stays on its page: the next page's title is a table's
        return 0 <= j < len(lines) and titled[j] and lines[j].page == lines[k].page

    return {line.ref for k, line in enumerate(lines) if titled[k] and (beside(k, k - 1) or beside(k, k + 1))}


_SENTENCE_MARK = re.compile(r"[，。；;,]")  # compiled once: _listed asks every line
_PAGE_NUMBER_TAIL = re.compile(r"[\s\d.…]+$")


def _listed(source: Source, family: str, printed: set[str]) -> dict[str, SourceLine]:
    """Standard tables a 目录 (or a 见附表 list) names: the first line naming each."""
    listed: dict[str, SourceLine] = {}
    for line in source.lines:
        kind = _listed_kind(line.clean, family)
        if kind and kind not in listed and line.ref not in printed:
            listed[kind] = line
    return listed


@lru_cache(maxsize=1 << 14)
def _listed_kind(clean: str, family: str) -> str | None:
    """The standard table a 目录 line names (by its clean text)."""
    text = clean.strip()
    if len(text) > 60 or _SENTENCE_MARK.search(text):
        return None
    title = _PAGE_NUMBER_TAIL.sub("", text.replace("\t", " "))  # a page number may follow
    return table_kind(clean_title(title), family) if title else None


# --- Rows ---------------------------------------------------------------------------------------

_ORDINAL = re.compile(r"^[一二三四五六七八九十]+、")
_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff（）()“”])\s+(?=[\u4e00-\u9fff（）()“”])")
_SPACES = re.compile(r"\s+")
_OPENING_CARRYOVER = re.compile(r"年初.*结转|上年结转")
_CLOSING_CARRYOVER = re.compile(r"年末.*结转")
_BASIC = ("general_basic", "fiscal_basic")
_FIXED = {"operating": "operating", "procurement": "procurement"}  # every figure of these tables is one


@lru_cache(maxsize=1 << 14)
def tidy(text: str) -> str:
    """A label as printed, without the spaces layout put between characters (合 计)."""
    return _SPACES.sub(" ", _CJK_GAP.sub("", text.strip()))


def _income_side(seg: Segment, n_segments: int) -> bool:
    return n_segments > 1 and any("收入" in p for c in (*seg.labels, *seg.values) for p in c.parts[:1])


def _basic_breakdown(entry: Entry, column_breakdown: str) -> str:
    """基本支出 table without 人员/公用 columns: 301/303 are 人员经费, the other classes 公用经费."""
    if "人员经费" in entry.item:
        return "personnel"
    if "公用经费" in entry.item:
        return "public"
    if entry.code and entry.level != 0:
        return "personnel" if entry.code[:3] in ("301", "303") else "public"
    return column_breakdown


def _carryover(entries: list[Entry]) -> dict[int, str]:
    """总表 rows that are carry-overs, by entry index: the 年初/年末结转和结余 row and the
    fund rows printed under it (一般公共预算财政拨款 …) up to the 总计 row."""
    out: dict[int, str] = {}
    current: dict[int, str] = {}  # segment start -> breakdown of the open block
    for i, entry in enumerate(entries):
        side = entry.segment.start
        item = no_blanks(entry.item)
        if entry.level == 0:
            current.pop(side, None)
        elif _OPENING_CARRYOVER.search(item):
            current[side] = "prior_year_carryover"
        elif _CLOSING_CARRYOVER.search(item):
            current[side] = "year_end_carryover"
        if side in current and entry.level != 0:
            out[i] = current[side]
    return out


def _emit_lines(block: TableBlock, kind: str, entries: list[Entry], unit: str | None, ex: Extraction,
                family: Family) -> int:
    table = family.table_name(block)
    n_segs = len(segments(block.columns))
    split = any(family.breakdown(c, False) in ("personnel", "public") for c in block.columns if c.is_value)
    carryover = _carryover(entries) if kind in ("summary", "fiscal_summary") else {}
    n = 0
    for i, entry in enumerate(entries):
        income = _income_side(entry.segment, n_segs)
        for v in entry.values:
            measure = family.measure(v.column.label)
            breakdown = _FIXED.get(kind) or family.breakdown(v.column, income)
            if measure is None or breakdown is None:
                continue  # 增减 / % columns, or a column that is no figure of the table
            if kind in _BASIC and not split:
                breakdown = _basic_breakdown(entry, breakdown)
            if kind in _BASIC and breakdown == "total" and not split:
                breakdown = "basic"  # a 基本支出 table's one amount column: its 合计 is the basic total
            elif i in carryover:  # a fund column of a carry-over row keeps its fund
                generic = breakdown in ("total", "income")
                breakdown = carryover[i] if generic else f"{carryover[i]}_{breakdown}"
            level = entry.level
            if kind == "procurement" and level is None and not _ORDINAL.match(entry.item):
                continue  # its 品目 detail repeats the categories' figures: the total and the categories
            named = breakdown_of([entry.item]) if n_segs > 1 and not income and breakdown == "total" else None
            if named in ("basic", "project", "reserve"):
                breakdown = named  # 收支总表 by 支出用途: 一、基本支出 | 二、项目支出 | 三、单位预留机动经费
            elif level is None and n_segs > 1 and not income and _ORDINAL.match(entry.item):
                level = 1  # 收支总表's expenditure side lists the 类 by name
            ex.add("budget_lines", entry.line, table=table, code=None if n_segs > 1 and income else entry.code,
                   item=tidy(entry.item), level=level, breakdown=breakdown, measure=measure,
                   amount=to_wan(v.amount, unit), unit_as_printed=unit)
            n += 1
    return n


def _warn_sequence(block: TableBlock, ex: Extraction) -> None:
    """序号 that jump (22 → 26) mean rows the document did not print (where a 序号 column is
    printed: a first column of 类 codes is not one)."""
    columns = block.columns
    if columns and not re.match(r"序号|行次", columns[0].leaf):
        return
    prev = None
    for line in block.body:
        seq = line.cells[0] if line.cells else ""
        if not seq.isdigit():
            continue
        if prev is not None and int(seq) != prev + 1:
            ex.warn(f"{block.title}: 序号 jumps from {prev} to {seq} ({line.ref}); rows may be missing")
        prev = int(seq)


# --- The document -------------------------------------------------------------------------------


def _joined_titles(source: Source, is_title) -> Source:
    """The source with each title a PDF wrapped over two lines ("…培训费支出预" / "算表") on one."""
    lines = list(source.lines)
    out: list[SourceLine] = []
    k = 0
    n = len(lines)
    while k < n:
        line = lines[k]
        nxt = lines[k + 1] if k + 1 < n else None
        # The cheap tests first (most lines fail them), the title tests last.
        if (nxt is not None and "\t" not in line.clean and "\t" not in nxt.clean and len(nxt.clean.strip()) <= 8
                and line.clean.strip() and not is_title(line) and not is_title(nxt)):
            joined = SourceLine(line.number, line.clean.strip() + nxt.clean.strip(), line.page)
            if is_title(joined):
                out.append(joined)
                k += 2
                continue
        out.append(line)
        k += 1
    if len(out) == len(lines):
        return source
    return Source(source.path, source.format, source.sha256, out, source.n_pages)


def read_standard_tables(source: Source, meta: DocumentMeta | None, ex: Extraction, family: Family) -> None:
    is_title = _title_test(family.name)
    source = _joined_titles(source, is_title)
    listing = _listing(source, is_title)
    status: dict[str, dict] = {}
    printed_refs: set[str] = set()
    previous: tuple[str, TableBlock] | None = None
    for block in find_tables(source, is_title, warn=ex.warn):
        kind = table_kind(clean_title(block.title), family.name)
        assert kind is not None
        if block.title_line.ref in listing or not (block.header or block.body or block.empty_line):
            continue  # a title with nothing under it, or in a run of titles: a 目录 entry
        printed_refs.add(block.title_line.ref)
        same_header = previous and [h.clean for h in block.header] == [h.clean for h in previous[1].header]
        if previous and previous[0] == kind and (not block.header or same_header):
            # The title printed again on the next page: the table goes on under the same header.
            block.header, block.number_row = previous[1].header, previous[1].number_row
            block.unit = block.unit or previous[1].unit
        elif kind in status:
            ex.warn(f"{clean_title(block.title)} printed twice ({status[kind]['source_ref']}, "
                    f"{block.title_line.ref}); the second printing is not read")
            continue
        previous = (kind, block)
        _warn_sequence(block, ex)
        unit = table_unit(block)
        # A 三公 table often prints its one row of figures with no label: it is the 合计 row.
        entries = read_entries(block, warn=ex.warn, unlabelled="合计" if kind == "sangong" else None)
        if unit is None and any(e.values for e in entries):
            ex.warn(f"{clean_title(block.title)} ({block.title_line.ref}) declares no unit; read as 万元")
        if kind == "sangong":
            n = emit_sangong(block, entries, unit, ex, family)
        else:
            n = _emit_lines(block, kind, entries, unit, ex, family)
        entry = status.setdefault(kind, {"title": block.title, "status": "empty",
                                         "source_ref": block.title_line.ref})
        if n:
            entry["status"] = "present"
        elif block.empty_line is not None and entry["status"] == "empty":
            entry["source_ref"] = block.empty_line.ref  # where the document says it is empty
    _inventory(source, family, status, printed_refs, ex)


def _inventory(source: Source, family: Family, status: dict[str, dict], printed: set[str], ex: Extraction) -> None:
    """One entry per standard table of the document's format (a table listed but not printed is
    ``missing`` with ``listed``; the COMPLETE-TABLES check reports it, not a warning)."""
    listed = _listed(source, family.name, printed)
    titles = [clean_title(e["title"]) for e in status.values()] + [
        clean_title(re.sub(r"[\s\d.…]+$", "", line.clean.replace("\t", " "))) for line in listed.values()]
    fmt = choose_format(family.name, set(status) | set(listed), [no_blanks(t) for t in titles])
    for table in fmt.tables:
        where = listed.get(table.kind)
        found = status.get(table.kind)
        row = {"table": table.name, "name": table.name, "kind": table.kind, "format": fmt.name,
               "title": clean_title(found["title"]) if found else None,
               "status": found["status"] if found else "missing",
               "source_ref": found["source_ref"] if found else (where.ref if where else None),
               "listed": where is not None}
        if family.name == "budget" and found:
            row["table"] = found["title"]  # a 预算 names its tables as printed
        elif family.name == "budget" and where is not None:
            row["table"] = clean_title(re.sub(r"[\s\d.…]+$", "", where.clean.replace("\t", " ")))
        ex.inventory.append(row)
