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
from loaders.numbers import declared_unit, parse_number, to_wan
from loaders.source import Source, SourceLine
from loaders.tables import code_level, is_total_label, normalize_code

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


# --- Header rows and columns ----------------------------------------------------------------

_COLUMN_NUMBERS = re.compile(r"^(?:栏次|档次|行次|栏号)$")  # 档次: a misprint seen in the wild


def is_column_number_row(cells: list[str]) -> bool:
    """The 栏次 row (1, 2, 3 … under the headers), whatever its first cell says.

    Unlike ``tables.is_column_number_row`` it accepts the misprint 档次 (Handan's 政府性基金
    table) and numbering that does not start at 1.
    """
    if cells and _COLUMN_NUMBERS.match(cells[0].replace(" ", "")):
        return True
    rest = [c for c in cells[1:] if c]
    if cells and cells[0] or len(rest) < 2 or not all(c.isdigit() for c in rest):
        return False
    first = int(rest[0])
    return [int(c) for c in rest] == list(range(first, first + len(rest)))


@dataclass
class Column:
    index: int
    label: str  # child label (or the parent's where the child is blank)
    parent: str  # the spanning header above it, forward-filled


def header_columns(header_rows: list[list[str]]) -> list[Column]:
    """Label every column from the header rows; blank spanning cells take the label to their left."""
    header_rows = [r for r in header_rows if not is_column_number_row(r)] or [[]]
    width = max(len(r) for r in header_rows)
    columns = []
    parents = [""] * width
    if len(header_rows) > 1:
        last = ""
        for i in range(width):
            cell = header_rows[0][i] if i < len(header_rows[0]) else ""
            last = cell or last
            parents[i] = last
    for i in range(width):
        label = ""
        for row in reversed(header_rows):
            if i < len(row) and row[i]:
                label = row[i]
                break
        columns.append(Column(i, re.sub(r"\s+", "", label), re.sub(r"\s+", "", parents[i])))
    return columns


def column_measure(label: str, year: int) -> str | None:
    """The budget phase a column holds; ``None`` for columns that are not a phase (增减, %)."""
    if re.search(r"增减|变动|增长|比上年|%|占比", label):
        return None
    if re.search(r"上年(?:决算|执行|实际)", label):
        return "prior_year_actual"
    if re.search(r"上年预算|上年年初", label):
        return "prior_year_budget"
    m = re.search(r"(\d{4})年", label)
    if m and int(m.group(1)) == year - 1:
        return "prior_year_budget" if "预算" in label else "prior_year_actual"
    return "budget_initial"


# Breakdown of a column, first match on the column's own label, then on its parent's.
BREAKDOWNS: list[tuple[str, str]] = [
    (r"人员经费|人员支出", "personnel"),
    (r"公用经费|公用支出", "public"),
    (r"基本支出", "basic"),
    (r"项目支出", "project"),
    (r"事业单位经营支出|^经营支出", "operating"),
    (r"上缴上级|上解上级", "remittance_to_higher"),
    (r"对附属单位补助", "subsidy_to_subordinate"),
    (r"一般公共预算", "general_public_budget"),
    (r"政府性基金|政府基金|基金预算", "government_fund"),
    (r"国有资本经营", "state_capital"),
    (r"财政专户", "fiscal_special_account"),
    (r"财政拨款", "fiscal_appropriation"),
    (r"经营收入", "operating_income"),
    (r"事业收入", "public_institution_income"),
    (r"上级补助", "higher_level_subsidy"),
    (r"附属单位上缴", "subordinate_remittance"),
    (r"其他收入", "other_income"),
    (r"上年结转|结转结余|结余", "prior_year_carryover"),
    (r"合计|总计|预算数|金额|^预算|^决算|^执行", "total"),
]


def column_breakdown(col: Column) -> str | None:
    if col.label == "小计" and "收入" in col.parent:
        return "current_year_income"  # 本年收入 小计: income of the year, carry-over excluded
    for text in (col.label, col.parent):
        for pattern, name in BREAKDOWNS:
            if re.search(pattern, text):
                return name
    return None


_NAME = re.compile(r"科目名称|项目|名称|^科目$")
_CODE = re.compile(r"编码|代码")


# --- Reading one table ------------------------------------------------------------------------


@dataclass
class Row:
    line: SourceLine
    cells: list[str]


@dataclass
class Table:
    kind: str
    title: str
    title_line: SourceLine
    unit: str | None = None
    header: list[list[str]] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    note: str | None = None


def _is_page_furniture(text: str, signature: set[str]) -> bool:
    """Lines of the page header/footer block that repeat after a page break."""
    return (
        text in signature
        or declared_unit(text) is not None
        or bool(re.match(r"^(?:预算年度|编制单位|编制部门|单位名称|部门名称)\s*[:：]", text))
        or bool(re.fullmatch(r"(?:第\s*\d+\s*页.*|-?\s*\d+\s*-?|\d+\s*/\s*\d+)", text))
    )


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
        if "\t" not in line.clean:
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
        elif after_break and table.rows and _is_fragment(cells):
            _merge_fragment(table.rows[-1], Row(line, cells), ex, title)
        else:
            table.rows.append(Row(line, cells))
            after_break = False
    return table, i


def _is_header_row(cells: list[str]) -> bool:
    """Header rows hold labels (and the 栏次 numbers), never a figure."""
    return is_column_number_row(cells) or all(parse_number(c) is None for c in cells[1:])


def _is_fragment(cells: list[str]) -> bool:
    """What a page break left of the row before it: a few digit pieces, no 序号, no name."""
    filled = [c for c in cells if c]
    return bool(filled) and not cells[0] and all(re.fullmatch(r"\d{1,3}", c) for c in filled)


def _merge_fragment(prev: Row, frag: Row, ex: Extraction, title: str) -> None:
    """Complete the previous row with the pieces a page break pushed onto a fragment row.

    A cell cut by the break continues in the same column. Digits that extend a code into a
    valid classification code are appended ("21201" + "09" → "2120109": the 项 row then no
    longer repeats its 款's code). A digit under a figure is appended only when that figure
    is visibly unfinished ("1069.1" + "5"); under a complete figure ("1069.15") it is a
    remnant of the wrapped cell re-emitted after the break, and appending it would invent
    a third decimal (1069.155) that a 万元 table never prints: it is dropped, with a warning.
    """
    cells = list(prev.cells) + [""] * max(0, len(frag.cells) - len(prev.cells))
    for j, piece in enumerate(frag.cells):
        if not piece:
            continue
        before = cells[j]
        joined = re.sub(r"\s+", "", before) + piece
        extends_code = re.fullmatch(r"\d{3}|\d{5}", re.sub(r"\s+", "", before)) and len(joined) in (5, 7)
        if extends_code or re.fullmatch(r"[\d,]+\.\d?", re.sub(r"\s+", "", before)):
            cells[j] = joined
        else:
            ex.warn(f"{title}: page-break fragment '{piece}' ({frag.line.ref}) under a complete cell "
                    f"'{before}' ({prev.line.ref}) ignored")
    prev.cells = cells


# --- From a table to rows -----------------------------------------------------------------------

_NAME_LABEL = re.compile(r"^(?:科目名称|项目|项目名称|名称|科目|功能分类科目|经济分类科目)(?:[(（].*[)）])?$")
_ORDINAL = re.compile(r"^[一二三四五六七八九十]+、")


def tidy(text: str) -> str:
    """A label as printed, without the spaces that layout put between characters (合 计)."""
    text = re.sub(r"(?<=[\u4e00-\u9fff（）()“”])\s+(?=[\u4e00-\u9fff（）()“”])", "", text.strip())
    return re.sub(r"\s+", " ", text)


@dataclass
class Layout:
    code: list[int]  # one column, or 类/款/项 columns joined
    names: list[int]  # two name columns: a two-sided table (收入 | 支出)
    amounts: list[tuple[int, str, str, str]]  # (index, breakdown, measure, side)


def layout(table: Table, year: int) -> Layout:
    columns = header_columns(table.header) if table.header else []
    code = [c.index for c in columns if _CODE.search(c.label)]
    if not code:
        code = [c.index for c in columns if c.label in ("类", "款", "项")]
    names = [c.index for c in columns if _NAME_LABEL.match(c.label) and c.index not in code]
    amounts = []
    for c in columns:
        if c.index in code or c.index in names or c.index == 0 and re.match(r"序号|行次", c.label):
            continue
        side = next((columns[n].parent for n in reversed(names) if n < c.index), "")
        measure = column_measure(c.label + " " + c.parent, year)
        breakdown = "income" if len(names) > 1 and "收入" in side else column_breakdown(c)
        if measure and breakdown:
            amounts.append((c.index, breakdown, measure, side))
    return Layout(code, names, amounts)


def _cell(cells: list[str], j: int) -> str:
    return cells[j] if j < len(cells) else ""


def emit_lines(table: Table, meta: DocumentMeta, ex: Extraction) -> int:
    """One budget_lines row per printed figure; returns how many."""
    lay = layout(table, meta.year)
    n = 0
    for row in table.rows:
        code = normalize_code("".join(_cell(row.cells, j) for j in lay.code)) if lay.code else None
        for index, breakdown, measure, _side in lay.amounts:
            amount = parse_number(_cell(row.cells, index))
            if amount is None:
                continue
            name_col = max((j for j in lay.names if j < index), default=None)
            item = tidy(_cell(row.cells, name_col)) if name_col is not None else ""
            row_code = code
            if not lay.code:  # code and name in one cell: "2080501 行政单位离退休"
                m = re.match(r"^(\d{3}(?:\s*\d{2}){0,2})\s+(\S.*)$", item)
                if m:
                    row_code, item = normalize_code(m.group(1)), m.group(2)
            if len(lay.names) > 1:
                row_code = None  # a two-sided summary lists no codes
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


def sangong_item(text: str, parent: str = "") -> str | None:
    t = re.sub(r"\s+", "", text)
    if not t or "机关运行" in t:
        return None
    if "出国" in t:
        return "outbound_travel"
    if "接待" in t:
        return "official_reception"
    if re.search(r"购置(?:及|和)(?:运|维)", t) or t == "小计" and "公务用车" in parent:
        return "vehicle_total"
    if "购置" in t:
        return "vehicle_purchase"
    if re.search(r"运行|运维|维护", t):
        return "vehicle_operation"
    if is_total_label(t):
        return "total"
    return None


def emit_sangong(table: Table, meta: DocumentMeta, ex: Extraction) -> int:
    """三公 rows: items down the rows (one amount column per phase), or across the columns."""
    columns = header_columns(table.header) if table.header else []
    lay = layout(table, meta.year)
    n = 0
    if lay.names and any(sangong_item(_cell(r.cells, lay.names[0])) for r in table.rows):
        totals = {index for index, breakdown, _, _ in lay.amounts if breakdown == "total"}
        chosen: dict[str, int] = {}  # per phase: the 合计 column (fund-source columns are parts of it)
        for index, breakdown, measure, _ in lay.amounts:
            if measure not in chosen or breakdown == "total" and index not in totals:
                chosen[measure] = index
        for row in table.rows:
            item = sangong_item(_cell(row.cells, lay.names[0]))
            for measure, index in chosen.items():
                amount = parse_number(_cell(row.cells, index))
                if item and amount is not None:
                    n += _add_sangong(ex, row.line, item, measure, amount, table.unit)
        return n
    items = {c.index: sangong_item(c.label, c.parent) for c in columns}
    for row in table.rows:
        label = next((c for c in row.cells if c and parse_number(c) is None), "")
        for c in columns:
            item = items.get(c.index)
            amount = parse_number(_cell(row.cells, c.index))
            measure = column_measure(label + " " + c.parent, meta.year)
            if item and amount is not None and measure:
                n += _add_sangong(ex, row.line, item, measure, amount, table.unit)
    return n


def _add_sangong(ex: Extraction, line: SourceLine, item: str, measure: str, amount: float, unit) -> int:
    row = ex.add("sangong", line, item=item, measure=measure, amount=to_wan(amount, unit),
                 unit_as_printed=unit or "万元", origin="table")
    return 1 if row else 0


# --- The document ----------------------------------------------------------------------------------


def _warn_sequence(table: Table, ex: Extraction) -> None:
    """序号 that jump (22 → 26) mean rows the document did not print."""
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
        _warn_sequence(table, ex)
        emit = emit_sangong if table.kind == "sangong" else emit_lines
        tables[table.kind] = (table, emit(table, meta, ex))
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
