"""The 绩效自评 basic-data table (部门整体支出绩效评价基础数据表) and a department's overall
funds, as ``budget_lines`` (origin ``attachment``).

The basic-data table's 经费控制情况 block prints, under year headings, the 三公经费 (read
into ``sangong`` by :mod:`loaders.families.perf_cells`) and then, by row label:

    经费控制情况（万元）   2022年决算数  2023年预算数  2023年决算数
    项目支出：             5000          200           1800.00      ← a total (level 0)
        1、业务工作经费    300           150           140.00       ← its parts
        3、市级专项资金                                             ← blank: no row
           保障房建设资金  3600          0             1500         ← under 3、 (parent)
    公用经费               250.00        120.00        130.00
        其中：办公经费     …
    政府采购金额           ——            290.00        340.00
    部门基本支出预算调整   ——            1340.00       1320.00

Each printed figure is one row: breakdown by the block (project / public / procurement /
basic / personnel), the item as printed (numbering and 其中 dropped), level 0 for the
block's total and null for its parts (they are not 类/款/项, and a blank heading such as
3、市级专项资金 would make a roll-up check read its children as missing), ``parent`` the row
a part is printed under. The measure comes from the column's year heading (the document's
year or the one before, 决算 or 预算); a column whose heading says neither gives no row.

The department's 部门整体支出绩效自评表 prints 年度资金总额 under 年初预算数 / 全年预算数 /
全年执行数: one ``budget_lines`` row per printed phase (breakdown ``total``, level 0), so
that budget against actual exists for a 绩效自评 department.
"""

from __future__ import annotations

import re

from loaders.extraction import DocumentMeta, Extraction
from loaders.families.cell_grid import Row
from loaders.numbers import bracketed_unit, parse_number, to_wan
from loaders.readers.normalize import squash
from loaders.readers.source import SourceLine

TABLE = "部门整体支出绩效评价基础数据表"  # the template's name, where the document prints no title

# Row label (numbering and 其中 dropped) → the block it opens, most specific first.
BLOCKS = (
    (re.compile(r"^项目支出"), "project"),
    (re.compile(r"^公用经费"), "public"),
    (re.compile(r"^人员经费"), "personnel"),
    (re.compile(r"^政府采购"), "procurement"),
    (re.compile(r"^(?:部门)?基本支出"), "basic"),
)
# Rows that open a block of other figures (not amounts by phase): the amounts are over.
_OTHER_BLOCKS = re.compile(r"^(?:楼堂馆所|厉行节约|财政供养人员)")
_NUMBERED = re.compile(r"^(?:\d+|[一二三四五六七八九十]+)\s*[、.．]\s*")
_OF_WHICH = re.compile(r"^其中\s*[:：]\s*")
_PHASE_HEADING = re.compile(r"(20\d{2})年(?:度)?(决算|预算|执行)")


def measure_for(year: int, phase: str, doc_year: int) -> str | None:
    """A year heading's phase: 决算/执行 is the actual, a bare 预算数 the 年初预算 of the year
    (as the 三公 rows of the same columns read it); the year before gives the prior year."""
    if year == doc_year:
        return "budget_initial" if phase == "预算" else "actual"
    if year == doc_year - 1:
        return "prior_year_budget" if phase == "预算" else "prior_year_actual"
    return None


def column_measures(header: Row, doc_year: int, warn) -> dict[int, str]:
    """Column index → measure from the year headings of ``header`` (first column: labels)."""
    measures: dict[int, str] = {}
    for i, label in enumerate(header.labels[1:], start=1):
        m = _PHASE_HEADING.search(label)
        measure = measure_for(int(m.group(1)), m.group(2), doc_year) if m else None
        if measure is None:
            warn(f"基础数据表 {header.line.ref}: column heading {label or '(blank)'} states no phase of {doc_year} "
                 "or the year before; its figures were not read")
        else:
            measures[i] = measure
    return measures


def item_label(label: str) -> tuple[str, bool]:
    """(the item as printed without numbering / 其中 / a closing colon, whether it was numbered)."""
    s = squash(label)
    numbered = bool(_NUMBERED.match(s))
    s = _OF_WHICH.sub("", _NUMBERED.sub("", s))
    return s.rstrip(":："), numbered


def basic_data_lines(rows: list[Row], header: Row, table: str, meta: DocumentMeta, ex: Extraction,
                     is_sangong) -> None:
    """The amounts by phase after the 经费控制情况 heading row ``header``."""
    unit = bracketed_unit(header.label(0))
    measures = column_measures(header, meta.year, ex.warn)
    block: str | None = None
    total: str | None = None  # the block's total row
    heading: str | None = None  # the last numbered part: unnumbered rows after it are its parts
    for row in rows:
        label = row.label(0)
        if _OTHER_BLOCKS.match(label):
            break
        item, numbered = item_label(label)
        if not item or is_sangong(item):
            continue
        opened = next((b for pat, b in BLOCKS if pat.match(item)), None)
        if opened is not None and not numbered:
            block, total, heading = opened, item, None
            level, parent = 0, None
        elif block is None:
            if _figures(row, header, measures):
                ex.warn(f"基础数据表 {row.line.ref}: {item} is printed outside 项目支出 / 公用经费 / 政府采购 / "
                        "基本支出; not read")
            continue
        elif numbered:
            heading, level, parent = item, None, total
        else:
            level, parent = None, heading or total
        for col, (cell, amount) in _figures(row, header, measures).items():
            ex.add("budget_lines", cell.line, table=table, code=None, item=item, level=level,
                   breakdown=block, measure=measures[col], amount=to_wan(amount, unit),
                   unit_as_printed=unit or "万元", origin="attachment", parent=parent)


def _figures(row: Row, header: Row, measures: dict[int, str]) -> dict:
    """Column → (cell, amount) for the printed figures of ``row`` (blank, —— : none);
    headings and figures end on the same column."""
    out = {}
    shift = len(row) - len(header)
    for col in measures:
        cell = row.cell(col + shift)
        amount = parse_number(cell.text) if cell is not None else None
        if amount is not None:
            out[col] = (cell, amount)
    return out


def add_overall_funds(ex: Extraction, figures: list[tuple[SourceLine, dict]], table: str, meta: DocumentMeta) -> None:
    """年度资金总额 of a department's 部门整体支出绩效自评表, one row per printed phase."""
    if meta.doc_kind != "performance_self_eval":
        return  # a 决算 or 预算 prints the department's totals in its own tables
    for where, figure in figures:
        if figure["source"] != "total":
            continue
        ex.add("budget_lines", where, table=table, code=None, item=figure["source_as_printed"] or "年度资金总额",
               level=0, breakdown="total", measure=figure["measure"], amount=figure["amount"],
               unit_as_printed=figure["unit_as_printed"], origin="attachment")


def table_title(lines: list[SourceLine], start: int, lookback: int = 6) -> str:
    """The basic-data table's title: the lines just above the grid, after its 附件 number
    (a title may wrap: "…绩效评价基础" / "数 据 表")."""
    parts: list[str] = []
    for line in reversed(lines[max(0, start - lookback) : start]):
        text = squash(line.clean)
        if not text:
            if parts:
                break
            continue
        if text.startswith("附件") or "\t" in line.clean:
            break
        parts.insert(0, text)
    title = "".join(parts)
    return title if title.endswith("表") else TABLE
