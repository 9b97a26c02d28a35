"""Placeholder: the final_accounts table parser (being written)."""

from __future__ import annotations

from loaders.extraction import DocumentMeta, Extraction
from loaders.source import Source


def parse_tables(source: Source, meta: DocumentMeta, ex: Extraction) -> None:
    return None
