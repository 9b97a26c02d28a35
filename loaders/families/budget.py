"""部门/单位预算: the standard tables (the national nine, 江苏 公开01–12表, 上海's department
and unit versions …), read by :mod:`loaders.spec.reader` with the spec's titles and columns.

What is 预算-specific is only its phases and column words: a 预算 table prints the year's
initial budget unless a column names another phase (上年预算数, 调整预算数 …); the 小计 of
本年收入 is the year's income without carry-over. Figures are recorded as printed, even
where a 合计 is not the sum of its rows: the checks engine judges them.
"""

from __future__ import annotations

from functools import lru_cache

from loaders.extraction import DocumentMeta, Extraction
from loaders.readers.source import Source
from loaders.spec.columns import Column, breakdown_of, is_total_column
from loaders.spec.columns import column_measure as measure_of
from loaders.spec.formats import table_kind as _kind
from loaders.spec.reader import Family, read_standard_tables
from loaders.spec.tables import clean_title

FAMILY = "budget"


def table_kind(title: str) -> str | None:
    """Which standard table a title names (wording varies: 收支预算总表, 政府基金, …)."""
    return _kind(clean_title(title), FAMILY)


def column_measure(label: str, year: int | None) -> str | None:
    """The budget phase a column holds; ``None`` for columns that are not a phase (增减, %)."""
    return measure_of(label, doc_kind=FAMILY, year=year)


@lru_cache(maxsize=1 << 12)  # asked for every figure of every row: one answer per column
def column_breakdown(col: Column, income_side: bool = False) -> str | None:
    if income_side:
        return "income"  # the 收入 side of a two-sided 收支总表
    if col.leaf == "小计" and "收入" in col.parent:
        return "current_year_income"  # 本年收入 小计: income of the year, carry-over excluded
    for text in reversed(col.parts):  # the column's own label first: 合计 under 基本支出 is the total
        if found := breakdown_of([text]) or ("total" if is_total_column([text]) else None):
            return found
    return None


def family(year: int | None) -> Family:
    def measure(label: str) -> str | None:
        return column_measure(label.replace("/", " "), year)

    return Family(FAMILY, measure, column_breakdown, measure, lambda block: block.title)


def parse_tables(source: Source, meta: DocumentMeta | None, ex: Extraction) -> None:
    read_standard_tables(source, meta, ex, family(meta.year if meta else None))
