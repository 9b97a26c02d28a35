"""部门决算: the standard tables of the national format, read by :mod:`loaders.spec.reader`.

What is 决算-specific is only its phases and column words: a 决算 table prints actuals
unless a column says otherwise; its 预算数 is the year's final (全年) budget, except in the
三公 table, whose bare 预算数 is the phase the document's own prose names (年初 by default).
Figures are recorded as printed — a 合计 that is not the sum of its rows, or a code printed
twice, is kept as is for the checks to judge.
"""

from __future__ import annotations

import re
from functools import lru_cache

from loaders.extraction import DocumentMeta, Extraction
from loaders.readers.source import Source
from loaders.spec.columns import Column, breakdown_of
from loaders.spec.columns import column_measure as measure_of
from loaders.spec.formats import table_kind as _kind
from loaders.spec.reader import Family, read_standard_tables
from loaders.spec.tables import clean_title

FAMILY = "final_accounts"


def table_kind(title: str) -> str | None:
    """Which standard table a title names (wording varies: …明细表, 收入支出 or not)."""
    return _kind(clean_title(title), FAMILY)


@lru_cache(maxsize=1 << 12)  # asked for every figure of every row: one answer per column
def column_breakdown(col: Column, income_side: bool = False) -> str:
    """The column's breakdown; 合计 / 小计 / 决算数 / 金额: the whole; on the 收入 side, the income."""
    found = breakdown_of(reversed(col.parts))
    if found:
        return found
    return "income" if income_side or any("收入" in p and "支出" not in p for p in col.parts) else "total"


def column_measure(col: Column) -> str | None:
    return measure_of(col.label, doc_kind=FAMILY)


_SANGONG_BUDGET_PHASE = re.compile(r"三公”?经费[^。；]{0,20}?(年初预算|全年预算|调整预算|调整后预算)")


def sangong_budget_phase(text: str) -> str:
    """The phase of the 三公 table's bare 预算数 column, as the document's own prose names it.

    The national 决算 template's 说明 reads "“三公”经费财政拨款支出年初预算为…" for that
    column; a department that says 全年预算 means the adjusted budget. No wording: 年初.
    """
    m = _SANGONG_BUDGET_PHASE.search(text)
    return "budget_initial" if m is None or m.group(1) == "年初预算" else "budget_adjusted"


def family(source: Source) -> Family:
    bare_budget = sangong_budget_phase(source.text)

    def sangong_measure(label: str) -> str | None:
        measure = measure_of(label, doc_kind=FAMILY)
        if measure == "budget_adjusted" and not re.search(r"全年|调整", label):
            return bare_budget  # a bare 预算数
        return measure

    return Family(FAMILY, lambda label: measure_of(label, doc_kind=FAMILY), column_breakdown, sangong_measure,
                  lambda block: clean_title(block.title))


def parse_tables(source: Source, meta: DocumentMeta | None, ex: Extraction) -> None:
    read_standard_tables(source, meta, ex, family(source))
