"""预算 三公 table: the 三公 items (down the rows or across the columns) and, where the table
prints it beside them, 机关运行经费 (a ``budget_lines`` row with breakdown ``operating``).

The table is read by :func:`loaders.families.budget.read_table` like the other eight, and its columns
are labelled by :func:`loaders.families.budget.layout`, which hands them here.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from loaders.extraction import DocumentMeta, Extraction
from loaders.numbers import parse_number, to_wan
from loaders.readers.source import SourceLine
from loaders.spec.columns import column_measure
from loaders.spec.tables import is_total_label

if TYPE_CHECKING:  # loaders.families.budget calls this module: types only, no import cycle
    from loaders.families.budget import Layout, Table


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


def emit_sangong(table: Table, lay: Layout, meta: DocumentMeta, ex: Extraction) -> int:
    """三公 rows: items down the rows (one amount column per phase), or across the columns."""
    columns = lay.columns
    n = 0
    if lay.names and any(sangong_item(r.cell(lay.names[0])) for r in table.rows):
        totals = {index for index, breakdown, _, _ in lay.amounts if breakdown == "total"}
        chosen: dict[str, int] = {}  # per phase: the 合计 column (fund-source columns are parts of it)
        for index, breakdown, measure, _ in lay.amounts:
            if measure not in chosen or breakdown == "total" and index not in totals:
                chosen[measure] = index
        for row in table.rows:
            name = row.cell(lay.names[0])
            item = sangong_item(name)
            for measure, index in chosen.items():
                amount = parse_number(row.cell(index))
                if amount is not None and _is_operating(name):
                    n += _add_operating(ex, table, row.line, measure, amount)
                elif item and amount is not None:
                    n += _add_sangong(ex, row.line, item, measure, amount, table.unit)
        return n
    items = {c.index: sangong_item(c.leaf, c.parent) for c in columns}
    for row in table.rows:
        label = next((c for c in row.cells if c and parse_number(c) is None), "")
        for c in columns:
            item = items.get(c.index)
            amount = parse_number(row.cell(c.index))
            if amount is not None and _is_operating(c.label):  # 机关运行经费 printed beside the 三公
                measure = column_measure(f"{label} {' '.join(c.parts)}", doc_kind="budget", year=meta.year)
                n += _add_operating(ex, table, row.line, measure, amount) if measure else 0
                continue
            measure = column_measure(label + " " + c.parent, doc_kind="budget", year=meta.year)
            if item and amount is not None and measure:
                n += _add_sangong(ex, row.line, item, measure, amount, table.unit)
    return n


def _is_operating(text: str) -> bool:
    return "机关运行" in re.sub(r"\s+", "", text)


def _add_operating(ex: Extraction, table: Table, line: SourceLine, measure: str, amount: float) -> int:
    """机关运行经费: a budget line of its own (breakdown ``operating``), not a 三公 item."""
    ex.add("budget_lines", line, table=table.title, code=None, item="机关运行经费", level=None,
           breakdown="operating", measure=measure, amount=to_wan(amount, table.unit),
           unit_as_printed=table.unit or "万元")
    return 1


def _add_sangong(ex: Extraction, line: SourceLine, item: str, measure: str, amount: float, unit) -> int:
    row = ex.add("sangong", line, item=item, measure=measure, amount=to_wan(amount, unit),
                 unit_as_printed=unit or "万元", origin="table")
    return 1 if row else 0
