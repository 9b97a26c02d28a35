"""部门/单位预算: the nine standard tables of the national disclosure format.

Each table is found by its title (keywords, not exact bytes), its columns are read from the
header rows by their text, and every printed figure becomes one ``budget_lines`` row (the
三公 table gives ``sangong`` rows). Tables run over several pages: the page header block
(entity line, 预算年度, 单位, the column headers, 栏次) is printed again after every break
and is skipped; a row cut by the break continues on a fragment row after that block.
Figures are recorded as printed, even where a 合计 is not the sum of its rows: the checks
engine judges them, the parser does not "fix" them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from loaders.extraction import DocumentMeta, Extraction
from loaders.families.budget_sangong import emit_sangong
from loaders.numbers import declared_unit, parse_number, to_wan
from loaders.readers.source import Source, SourceLine
from loaders.spec.columns import (
    Column,
    breakdown_of,
    column_labels,
    is_column_number_row,
    is_fragment,
    is_total_column,
    merge_fragment,
)
from loaders.spec.columns import column_measure as measure_of
from loaders.spec.tables import code_level, is_total_label, normalize_code

# The nine standard tables, in their usual order: (kind, test on the squashed title).
STANDARD_TABLES: list[tuple[str, str]] = [
    ("summary", "收支总表"),
    ("income", "收入总表"),
    ("expenditure", "支出总表"),
    ("fiscal_summary", "财政拨款收支总表"),
    ("general_public", "一般公共预算财政拨款支出表"),
    ("general_basic", "一般公共预算财政拨款基本支出表"),
    ("government_fund", "政府性基金预算财政拨款支出表"),
    ("state_capital", "国有资本经营预算财政拨款支出表"),
    ("sangong", "财政拨款“三公”经费支出表"),
]


def table_kind(title: str) -> str | None:
    """Which standard table a title names (wording varies: 收支预算总表, 政府基金, …)."""
    t = re.sub(r"\s+", "", title)
    if "三公" in t:
        return "sangong"
    if "政府性基金" in t or "政府基金" in t:
        return "government_fund"
    if "国有资本经营" in t:
        return "state_capital"
    if "一般公共预算" in t:
        return "general_basic" if "基本支出" in t else "general_public"
    if "财政拨款" in t and "收支" in t:
        return "fiscal_summary"
    if "收支" in t and "总表" in t:
        return "summary"
    if "收入" in t and "总表" in t:
        return "income"
    if "支出" in t and "总表" in t:
        return "expenditure"
    return None


def _title_of(line: SourceLine) -> tuple[str, str] | None:
    """(kind, title) when the line is a standard table title standing alone (not prose)."""
    cells = [c for c in line.cells if c]
    if len(cells) != 1:
        return None
    title = re.sub(r"^[\d一二三四五六七八九十]+[、.．]\s*", "", cells[0]).strip()
    if len(title) > 40 or re.search(r"[，。；：:]", title) or "绩效" in title or not title.endswith("表"):
        return None
    kind = table_kind(title)
    return (kind, title) if kind else None


def _toc_entry(line: SourceLine) -> tuple[str, str] | None:
    """A table-of-contents line: a standard title followed by a page number."""
    cells = [c for c in line.cells if c]
    if len(cells) == 2 and re.fullmatch(r"\d{1,3}", cells[1]):
        return _title_of(SourceLine(line.number, cells[0], line.page))
    return None


# --- Columns (see loaders.spec.columns) -----------------------------------------------------


def header_columns(header_rows: list[list[str]]) -> list[Column]:
    """Label every column from the header rows (the 栏次 row left out)."""
    return column_labels([r for r in header_rows if not is_column_number_row(r)] or [[]])


def column_measure(label: str, year: int) -> str | None:
    """The budget phase a column holds; ``None`` for columns that are not a phase (增减, %)."""
    return measure_of(label, doc_kind="budget", year=year)


def column_breakdown(col: Column) -> str | None:
    if col.leaf == "小计" and "收入" in col.parent:
        return "current_year_income"  # 本年收入 小计: income of the year, carry-over excluded
    for text in reversed(col.parts):  # the column's own label first: 合计 under 基本支出 is the total
        if found := breakdown_of([text]) or ("total" if is_total_column([text]) else None):
            return found
    return None


_CODE = re.compile(r"编码|代码")


# --- Reading one table ------------------------------------------------------------------------


@dataclass
class Row:
    line: SourceLine
    cells: list[str]

    def cell(self, j: int) -> str:
        return self.cells[j] if j < len(self.cells) else ""


@dataclass
class Table:
    kind: str
    title: str
    title_line: SourceLine
    unit: str | None = None
    header: list[list[str]] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    note: str | None = None


_FURNITURE = re.compile(r"^(?:预算年度|编制单位|编制部门|单位名称|部门名称|预算单位|预算主管部门)\s*[:：]")


def _is_page_furniture(text: str, signature: set[str]) -> bool:
    """Lines of the page header/footer block that repeat after a page break."""
    return (
        text in signature
        or declared_unit(text) is not None
        or bool(_FURNITURE.match(text))
        or bool(re.fullmatch(r"(?:第\s*\d+\s*页.*|-?\s*\d+\s*-?|\d+\s*/\s*\d+)", text))
    )


def _is_furniture_row(cells: list[str]) -> bool:
    """``编制部门：…⇥单位：元``: the page header printed as one line of cells, not a table row."""
    filled = [c for c in cells if c]
    return bool(filled) and all(declared_unit(c) or _FURNITURE.match(c) for c in filled)


def read_table(lines: list[SourceLine], start: int, kind: str, title: str, ex: Extraction) -> tuple[Table, int]:
    """Read the table whose title is at ``lines[start]``; return it and the index after it."""
    table = Table(kind, title, lines[start])
    signature: set[str] = set()  # the page-header lines printed above the first header row
    header_texts: set[str] = set()
    in_header, after_break = True, False
    i = start
    while (i := i + 1) < len(lines):
        line = lines[i]
        text = line.clean.strip()
        if not text:
            continue
        found = _title_of(line)
        if found and found[0] != kind:
            break
        if found:  # the same title printed again on the next page
            after_break = True
            continue
        if "\t" not in line.clean or _is_furniture_row(line.cells):
            if table.unit is None:
                table.unit = declared_unit(text)
            if not table.header and len(signature) < 6:
                signature.add(text)
            elif _is_page_furniture(text, signature):
                after_break = True
            else:  # prose or a note: the table has ended
                if re.match(r"^(?:注|备注|说明)\s*[:：]?", text):
                    table.note = text
                break
            continue
        cells = line.cells
        if in_header:
            starts_data = bool(table.header) and cells[0].isdigit()
            if _is_header_row(cells) and not starts_data:
                table.header.append(cells)
                header_texts.add("\t".join(cells))
                in_header = not is_column_number_row(cells)
                continue
            in_header = False
        if "\t".join(cells) in header_texts or is_column_number_row(cells):
            after_break = True  # the column headers repeated after a page break
        elif after_break and table.rows and is_fragment(cells):
            _merge_fragment(table.rows[-1], Row(line, cells), ex, title)
        else:
            table.rows.append(Row(line, cells))
            after_break = False
    return table, i


def _is_header_row(cells: list[str]) -> bool:
    """Header rows hold labels (and the 栏次 numbers), never a figure."""
    return is_column_number_row(cells) or all(parse_number(c) is None for c in cells[1:])


def _merge_fragment(prev: Row, frag: Row, ex: Extraction, title: str) -> None:
    """Complete the previous row with the pieces a page break pushed onto a fragment row."""
    def warn(piece: str, cell: str) -> None:
        ex.warn(f"{title}: page-break fragment '{piece}' ({frag.line.ref}) under a complete cell "
                f"'{cell}' ({prev.line.ref}) ignored")

    prev.cells = merge_fragment(prev.cells, frag.cells, warn)


# --- From a table to rows -----------------------------------------------------------------------

_NAME_LABEL = re.compile(
    r"^(?:科目名称|项目|项目名称|名称|科目|(?:部门(?:预算)?)?(?:功能|经济)分类科目(?:名称)?)(?:[(（].*[)）])?$")
_ORDINAL = re.compile(r"^[一二三四五六七八九十]+、")


def tidy(text: str) -> str:
    """A label as printed, without the spaces that layout put between characters (合 计)."""
    text = re.sub(r"(?<=[\u4e00-\u9fff（）()“”])\s+(?=[\u4e00-\u9fff（）()“”])", "", text.strip())
    return re.sub(r"\s+", " ", text)


@dataclass
class Layout:
    columns: list[Column]  # from the header rows (none when the table prints no header)
    code: list[int]  # one column, or 类/款/项 columns joined
    names: list[int]  # two name columns: a two-sided table (收入 | 支出)
    amounts: list[tuple[int, str, str, str]]  # (index, breakdown, measure, side)


def layout(table: Table, year: int) -> Layout:
    columns = header_columns(table.header) if table.header else []
    code = [c.index for c in columns if _CODE.search(c.leaf)]
    if not code:
        code = [c.index for c in columns if c.leaf in ("类", "款", "项")]
    names = [c.index for c in columns if _NAME_LABEL.match(c.leaf) and c.index not in code]
    amounts = []
    for c in columns:
        if c.index in code or c.index in names or c.index == 0 and re.match(r"序号|行次", c.leaf):
            continue
        side = next((columns[n].parent for n in reversed(names) if n < c.index), "")
        measure = column_measure(" ".join(c.parts), year)
        breakdown = "income" if len(names) > 1 and "收入" in side else column_breakdown(c)
        if measure and breakdown:
            amounts.append((c.index, breakdown, measure, side))
    return Layout(columns, code, names, amounts)


def emit_lines(table: Table, lay: Layout, meta: DocumentMeta, ex: Extraction) -> int:
    """One budget_lines row per printed figure; returns how many."""
    n = 0
    for row in table.rows:
        code = normalize_code("".join(row.cell(j) for j in lay.code)) if lay.code else None
        for index, breakdown, measure, _side in lay.amounts:
            amount = parse_number(row.cell(index))
            if amount is None:
                continue
            name_col = max((j for j in lay.names if j < index), default=None)
            item = tidy(row.cell(name_col)) if name_col is not None else ""
            row_code = code
            if not lay.code:  # code and name in one cell: "2080501 行政单位离退休"
                m = re.match(r"^(\d{3}(?:\s*\d{2}){0,2})\s+(\S.*)$", item)
                if m:
                    row_code, item = normalize_code(m.group(1)), m.group(2)
            if len(lay.names) > 1:
                row_code = None  # a two-sided summary lists no codes
            if not item and not row_code:  # 合计 printed across the merged code cells
                item = next((t for j in lay.code if is_total_label(t := tidy(row.cell(j)))), "")
            item = item or row_code
            if not item:
                continue
            if is_total_label(item):
                level = 0
            elif row_code:
                level = code_level(row_code)
            elif _ORDINAL.match(item) and breakdown != "income" and len(lay.names) > 1:
                level = 1  # 收支总表's expenditure side lists the 类 by name
            else:
                level = None
            ex.add("budget_lines", row.line, table=table.title, code=row_code, item=item, level=level,
                   breakdown=breakdown, measure=measure, amount=to_wan(amount, table.unit),
                   unit_as_printed=table.unit or "万元")
            n += 1
    return n


# --- The document ----------------------------------------------------------------------------------


def _warn_sequence(table: Table, columns: list[Column], ex: Extraction) -> None:
    """序号 that jump (22 → 26) mean rows the document did not print (where a 序号 column is
    printed: a first column of 类 codes is not one)."""
    if columns and not re.match(r"序号|行次", columns[0].leaf):
        return
    prev = None
    for row in table.rows:
        seq = row.cells[0] if row.cells else ""
        if not seq.isdigit():
            continue
        if prev is not None and int(seq) != prev + 1:
            ex.warn(f"{table.title}: 序号 jumps from {prev} to {seq} ({row.line.ref}); rows may be missing")
        prev = int(seq)


def parse_tables(source: Source, meta: DocumentMeta, ex: Extraction) -> None:
    lines = source.lines
    toc: dict[str, tuple[str, SourceLine]] = {}
    tables: dict[str, tuple[Table, int]] = {}
    i = 0
    while i < len(lines):
        entry = _toc_entry(lines[i])
        if entry:
            toc.setdefault(entry[0], (entry[1], lines[i]))
        found = _title_of(lines[i])
        if not found or found[0] in tables:
            i += 1
            continue
        table, i = read_table(lines, i, found[0], found[1], ex)
        if not table.header and not table.rows:
            continue  # a title mentioned on its own (a heading), not a printed table
        if table.unit is None:
            ex.warn(f"{table.title}: no unit declared; read as 万元")
        lay = layout(table, meta.year)
        _warn_sequence(table, lay.columns, ex)
        emit = emit_sangong if table.kind == "sangong" else emit_lines
        tables[table.kind] = (table, emit(table, lay, meta, ex))
    for kind, name in STANDARD_TABLES:
        if kind in tables:
            table, n = tables[kind]
            status = "present" if n else "empty"
            ex.inventory.append({"table": table.title, "status": status, "source_ref": table.title_line.ref})
        elif kind in toc:
            title, line = toc[kind]
            ex.inventory.append({"table": title, "status": "missing", "source_ref": line.ref})
            ex.warn(f"{title}: listed in the table of contents but not printed")
        else:
            ex.inventory.append({"table": name, "status": "missing", "source_ref": None})
