"""Route a detected document to its family parser, and the shared extractors to all.

决算 and 预算 documents carry their own tables; every family may also carry narrative
facts and 绩效 tables (a 决算 report often appends its 绩效自评表).
"""

from __future__ import annotations

from loaders.extraction import DocumentMeta, Extraction
from loaders.families import budget, final_accounts, narrative, narrative_items, performance
from loaders.readers.source import Source

TABLE_PARSERS = {
    "final_accounts": final_accounts.parse_tables,
    "budget": budget.parse_tables,
}


def extract(source: Source, meta: DocumentMeta) -> Extraction:
    ex = Extraction()
    if parse := TABLE_PARSERS.get(meta.doc_kind):
        parse(source, meta, ex)
    # Tables before prose: where both print a 三公 figure, the table's row is kept and
    # the prose's becomes a repeat for the checks.
    performance.extract(source, meta, ex)
    narrative.extract(source, meta, ex)
    narrative_items.extract(source, meta, ex)  # per-item 类/款/项 paragraphs, after: enriches
    return ex
