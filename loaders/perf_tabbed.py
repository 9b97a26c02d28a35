"""Placeholder: perf_tabbed (being written)."""

from __future__ import annotations

from loaders.extraction import DocumentMeta, Extraction
from loaders.source import Source


def extract(source: Source, meta: DocumentMeta, ex: Extraction) -> None:
    return None
