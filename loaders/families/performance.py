"""绩效 tables in any family: department-level and project self-evaluation tables.

Two layouts occur: one cell per line (rows separated by blank lines, each cell opening
with a tab: 岳阳, 汨罗) and tab-separated rows (汉阳, 乌鲁木齐, 邯郸's target tables).
"""

from __future__ import annotations

from loaders.extraction import DocumentMeta, Extraction
from loaders.families import perf_cells, perf_tabbed
from loaders.readers.source import Source


def extract(source: Source, meta: DocumentMeta, ex: Extraction) -> None:
    perf_cells.extract(source, meta, ex)
    perf_tabbed.extract(source, meta, ex)
