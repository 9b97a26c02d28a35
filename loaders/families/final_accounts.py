"""部门决算: the nine standard tables of the national disclosure format.

Each table is found by its title (keywords, not exact bytes; the 公开 0N 表 marker is not
needed), its columns are read from the header text (see :mod:`loaders.spec.tables`), and every
printed figure becomes one ``budget_lines`` row; the 三公 table gives ``sangong`` rows.
Figures are recorded as printed — a 合计 that is not the sum of its rows, or a code printed
twice (Hanyang's 221/22101 project blocks), is kept as is for the checks to judge.
``ex.inventory`` says, for each of the nine tables, whether the document prints it with
figures (present), prints it empty or declares it empty (empty), or only lists it (missing).
"""

from __future__ import annotations

import re

from loaders.extraction import DocumentMeta, Extraction
from loaders.numbers import to_wan
from loaders.readers.source import Source, SourceLine
from loaders.spec.columns import breakdown_of
from loaders.spec.columns import column_measure as measure_of
from loaders.spec.tables import (
    Column,
    Entry,
    TableBlock,
    clean_title,
    find_tables,
    is_part_heading,
    read_entries,
    table_unit,
    title_text,
)

# The nine standard tables, in the national order: (kind, canonical title).
STANDARD_TABLES: list[tuple[str, str]] = [
    ("summary", "收入支出决算总表"),
    ("income", "收入决算表"),
    ("expenditure", "支出决算表"),
    ("fiscal_summary", "财政拨款收入支出决算总表"),
    ("general_public", "一般公共预算财政拨款支出决算表"),
    ("general_basic", "一般公共预算财政拨款基本支出决算表"),
    ("government_fund", "政府性基金预算财政拨款收入支出决算表"),
    ("state_capital", "国有资本经营预算财政拨款支出决算表"),
    ("sangong", "财政拨款“三公”经费支出决算表"),
]
STANDARD_NAMES = dict(STANDARD_TABLES)


def table_kind(title: str) -> str | None:
    """Which of the nine tables a title names; wording varies (…明细表, 收入支出 or not)."""
    t = clean_title(title)
    if "决算" not in t or "绩效" in t or not t.endswith("表"):
        return None
    if "三公" in t:
        return "sangong"
    if "基本支出" in t:
        return "general_basic"
    if "政府性基金" in t:
        return "government_fund"
    if "国有资本经营" in t:
        return "state_capital"
    if "一般公共预算" in t:
        return "general_public"
    if "财政拨款" in t and ("收入支出" in t or "收支" in t):
        return "fiscal_summary"
    if re.search(r"(?:收入支出|收支)决算总表$", t):
        return "summary"
    if t.endswith("收入决算表") and "财政拨款" not in t:
        return "income"
    if t.endswith("支出决算表") and not re.search(r"项目|经费|采购|财政拨款", t):
        return "expenditure"
    return None


def _printed_title(line: SourceLine) -> str | None:
    """A table title standing alone on its line (not a 目录 entry, not a part heading)."""
    if is_part_heading(line) or (text := title_text(line)) is None or text[0] in "-•·《":
        return None
    return text if table_kind(text) else None


def _listed_tables(source: Source) -> dict[str, SourceLine]:
    """Standard tables the 目录 (or a 见附表 list) names: the first line naming each."""
    listed: dict[str, SourceLine] = {}
    for line in source.lines:
        text = line.clean.strip()
        if len(text) > 60 or re.search(r"[，。；;,]", text):
            continue
        kind = table_kind(re.sub(r"[\s\d.…]+$", "", text))  # a page number may follow the title
        if kind and kind not in listed:
            listed[kind] = line
    return listed


# --- What a column means -------------------------------------------------------------------

def column_breakdown(col: Column) -> str:
    """The column's breakdown; 合计 / 小计 / 决算数 / 金额: the whole; on the 收入 side, the income."""
    found = breakdown_of(reversed(col.parts))
    if found:
        return found
    return "income" if any("收入" in p and "支出" not in p for p in col.parts) else "total"


def column_measure(col: Column) -> str | None:
    """The budget phase: 决算 tables print actuals unless a column says otherwise."""
    return measure_of(col.label, doc_kind="final_accounts")


def _basic_breakdown(entry: Entry, col: Column) -> str:
    """基本支出 table: 301/303 are 人员经费, the other economic classes 公用经费 (MOF rule)."""
    if "人员经费" in entry.item:
        return "personnel"
    if "公用经费" in entry.item:
        return "public"
    if entry.code:
        return "personnel" if entry.code[:3] in ("301", "303") else "public"
    return column_breakdown(col)


# --- 三公 ------------------------------------------------------------------------------------

SANGONG_ITEMS: list[tuple[str, str]] = [
    (r"因公出国", "outbound_travel"),
    (r"购置及运行|购置和运行", "vehicle_total"),
    (r"车.*购置", "vehicle_purchase"),
    (r"车.*运行|运行维护", "vehicle_operation"),
    (r"接待", "official_reception"),
    (r"合计|总计|三公", "total"),
]


def sangong_item(text: str) -> str | None:
    for pattern, item in SANGONG_ITEMS:
        if re.search(pattern, text):
            return item
    return None


_SANGONG_BUDGET_PHASE = re.compile(r"三公”?经费[^。；]{0,20}?(年初预算|全年预算|调整预算|调整后预算)")


def sangong_budget_phase(text: str) -> str:
    """The phase of the 三公 table's bare 预算数 column, as the document's own prose names it.

    The national 决算 template's 说明 reads "“三公”经费财政拨款支出年初预算为…" for that
    column; a department that says 全年预算 means the adjusted budget. No wording: 年初.
    """
    m = _SANGONG_BUDGET_PHASE.search(text)
    return "budget_initial" if m is None or m.group(1) == "年初预算" else "budget_adjusted"


def _sangong(block: TableBlock, entries: list[Entry], unit: str | None, ex: Extraction,
             budget_phase: str) -> int:
    """Items are either the columns (one row of figures) or the rows (预算数 | 决算数 columns)."""
    n = 0
    for entry in entries:
        for v in entry.values:
            measure = column_measure(v.column)
            if measure is None:
                continue  # 增减 / % columns: not a phase
            if measure == "budget_adjusted" and not re.search(r"全年|调整", v.column.label):
                measure = budget_phase  # a bare 预算数
            # The lowest label naming an item wins: 小计 under 公务用车购置及运行费 is vehicle_total.
            item = next((i for p in reversed(v.column.parts) if (i := sangong_item(p))), None)
            if item is None or item == "total" and sangong_item(entry.item) not in (None, "total"):
                item = sangong_item(entry.item)
            if item is None:
                ex.warn(f"{clean_title(block.title)}: {v.text} ({entry.line.ref}) not matched to a 三公 item")
                continue
            ex.add("sangong", entry.line, item=item, measure=measure,
                   amount=to_wan(v.amount, unit), unit_as_printed=unit, origin="table")
            n += 1
    return n


# --- The document ----------------------------------------------------------------------------


def _carryover(entries: list[Entry]) -> dict[int, str]:
    """总表 rows that are carry-overs, by entry index: the 年初/年末结转和结余 row and the
    fund rows printed under it (一般公共预算财政拨款 …) up to the 总计 row."""
    out: dict[int, str] = {}
    current: dict[int, str] = {}  # segment start -> breakdown of the open block
    for i, entry in enumerate(entries):
        side = entry.segment.start
        item = re.sub(r"\s+", "", entry.item)
        if entry.level == 0:
            current.pop(side, None)
        elif re.search(r"年初.*结转|上年结转", item):
            current[side] = "prior_year_carryover"
        elif re.search(r"年末.*结转", item):
            current[side] = "year_end_carryover"
        if side in current and entry.level != 0:
            out[i] = current[side]
    return out


def _rows(block: TableBlock, kind: str, entries: list[Entry], unit: str | None, ex: Extraction) -> int:
    table = clean_title(block.title)
    carryover = _carryover(entries) if kind in ("summary", "fiscal_summary") else {}
    n = 0
    for i, entry in enumerate(entries):
        for v in entry.values:
            measure = column_measure(v.column)
            if measure is None:
                continue  # 增减 / % columns: not a phase
            if kind == "general_basic":
                breakdown = _basic_breakdown(entry, v.column)
            else:
                breakdown = column_breakdown(v.column)
                if i in carryover:  # a fund column of a carry-over row keeps its fund
                    generic = breakdown in ("total", "income")
                    breakdown = carryover[i] if generic else f"{carryover[i]}_{breakdown}"
            ex.add("budget_lines", entry.line, table=table, code=entry.code, item=entry.item,
                   level=entry.level, breakdown=breakdown, measure=measure,
                   amount=to_wan(v.amount, unit), unit_as_printed=unit)
            n += 1
    return n


def _listing(source: Source) -> set[str]:
    """Refs of 目录 entries: title lines next to another title line (blank lines aside).

    The last entry of a 目录 would otherwise run on over whatever follows it (prose, the
    单位构成 list) as if it were the table.
    """
    lines = [line for line in source.lines if line.clean.strip()]
    titled = [bool(_printed_title(line)) for line in lines]
    return {line.ref for k, line in enumerate(lines)
            if titled[k] and ((k > 0 and titled[k - 1]) or (k + 1 < len(lines) and titled[k + 1]))}


def parse_tables(source: Source, meta: DocumentMeta, ex: Extraction) -> None:
    status: dict[str, dict] = {}
    previous: tuple[str, TableBlock] | None = None
    listing = _listing(source)
    for block in find_tables(source, _printed_title):
        kind = table_kind(block.title)
        assert kind is not None
        if block.title_line.ref in listing or not (block.header or block.body or block.empty_line):
            continue  # a title with nothing under it, or in a run of titles: a 目录 entry
        if previous and previous[0] == kind and not block.header:
            # The title printed again on the next page: the table goes on under the same header.
            block.header, block.number_row = previous[1].header, previous[1].number_row
        elif kind in status:
            ex.warn(f"{clean_title(block.title)} printed twice ({status[kind]['source_ref']}, "
                    f"{block.title_line.ref}); the second printing is not read")
            continue
        previous = (kind, block)
        unit = table_unit(block)
        # A 三公 table often prints its one row of figures with no label: it is the 合计 row.
        entries = read_entries(block, warn=ex.warn, unlabelled="合计" if kind == "sangong" else None)
        if unit is None and any(e.values for e in entries):
            ex.warn(f"{clean_title(block.title)} ({block.title_line.ref}) declares no unit; read as 万元")
        if kind == "sangong":
            n = _sangong(block, entries, unit, ex, sangong_budget_phase(source.text))
        else:
            n = _rows(block, kind, entries, unit, ex)
        entry = status.setdefault(kind, {"table": STANDARD_NAMES[kind], "title": clean_title(block.title),
                                         "status": "empty", "source_ref": block.title_line.ref})
        if n:
            entry["status"] = "present"
        elif block.empty_line is not None:
            entry["source_ref"] = block.empty_line.ref  # where the document says it is empty
    listed = _listed_tables(source)
    for kind, name in STANDARD_TABLES:
        if kind in status:
            ex.inventory.append(status[kind])
        else:
            where = listed.get(kind)
            ex.inventory.append({"table": name, "title": None, "status": "missing",
                                 "source_ref": where.ref if where else None})
