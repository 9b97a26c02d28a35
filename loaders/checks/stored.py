"""The documents as the stored datasets hold them, for the rules that read a document.

Several rules need more than the fact rows: the standard tables each document prints (the
``tables`` dataset), the figures printed twice (``repeats``), the lines as read (``lines``:
the line that printed a finding's figure, an indicator row printed twice) and the prose,
read again for its stated rates and changes. All of it is stored, so the rule engine
runs from the datasets alone: the build runs it this way too, which is why
``python -m loaders check`` gives the build's checks exactly.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa

from loaders.checks.core import arrow_records
from loaders.extraction import DocumentMeta, Repeat
from loaders.identity.entities import Entity
from loaders.readers.source import Source, SourceLine
from loaders.readers.source import _new_line as new_line


@dataclass
class StoredExtraction:
    inventory: list[dict] = field(default_factory=list)
    repeats: list[Repeat] = field(default_factory=list)


@dataclass
class StoredDocument:
    """What the rules read of a document: its keys, meta, lines, tables and repeats."""

    doc_id: str
    keys: dict
    meta: DocumentMeta
    source: Source
    part: str
    extraction: StoredExtraction


if TYPE_CHECKING:
    import pandas as pd


def _none(value):
    if value is None or (isinstance(value, float) and value != value):
        return None
    pd = sys.modules.get("pandas")  # without pandas loaded, no value is its NA
    return None if pd is not None and value is pd.NA else value


def _records(df: pd.DataFrame | pa.Table | None) -> list[dict]:
    if isinstance(df, pa.Table):
        return arrow_records(df)
    if df is None or df.empty:
        return []
    return [{k: _none(v) for k, v in row.items()} for row in df.to_dict("records")]


def _column(df: pd.DataFrame | pa.Table, name: str) -> list:
    if isinstance(df, pa.Table):
        return df.column(name).to_pylist() if name in df.column_names else [None] * df.num_rows
    return df[name].tolist() if name in df.columns else [None] * len(df)


def stored_documents(frames: dict[str, pd.DataFrame | pa.Table]) -> dict[str, StoredDocument]:
    """The documents of these datasets (pandas frames, or Arrow tables read as pandas would)."""
    lines: dict[str, list[SourceLine]] = {}
    df = frames.get("lines")
    if df is not None and len(df):
        # Column by column: the lines are most of the rows, and row dicts cost more than the rules.
        for doc_id, number, text, page in zip(_column(df, "doc_id"), _column(df, "line"), _column(df, "text"),
                                              _column(df, "page"), strict=True):
            page = _none(page)
            lines.setdefault(doc_id, []).append(new_line(int(number), _none(text), int(page) if page else None))
    tables: dict[str, list[dict]] = {}
    for r in _records(frames.get("tables")):
        tables.setdefault(r["doc_id"], []).append(
            {k: r.get(k) for k in ("table", "name", "kind", "format", "title", "status", "listed", "source_ref")})
    repeats: dict[str, list[Repeat]] = {}
    for r in _records(frames.get("repeats")):
        f = r["field"]
        repeats.setdefault(r["doc_id"], []).append(Repeat(
            r["dataset"], tuple(json.loads(r["key"])),
            {f: r.get("first_value"), "source_ref": r.get("first_ref")},
            {f: r.get("second_value"), "source_ref": r.get("second_ref")}))
    docs: dict[str, StoredDocument] = {}
    for d in _records(frames.get("documents")):
        entity = Entity(d["entity_id"], d["entity_name"], d.get("entity_short") or "", d.get("city") or "",
                        d.get("province") or "", d.get("admin_level") or "")
        meta = DocumentMeta(d["doc_kind"], d["scope"], entity, int(d["year"]), d.get("title") or "")
        source = Source(Path(d["source_file"]), d["format"], d["sha256"], lines.get(d["doc_id"], []),
                        n_pages=d.get("n_pages"))
        keys = {"doc_id": d["doc_id"], "entity_id": d["entity_id"], "year": int(d["year"]), "doc_kind": d["doc_kind"]}
        docs[d["doc_id"]] = StoredDocument(d["doc_id"], keys, meta, source, d.get("part") or "whole",
                                           StoredExtraction(tables.get(d["doc_id"], []), repeats.get(d["doc_id"], [])))
    return docs


def repeat_rows(repeats: list[Repeat]) -> list[dict]:
    """``repeats`` rows of one document (keys added by the build)."""
    out = []
    for rep in repeats:
        f = "amount" if "amount" in rep.first else "count"
        out.append({"dataset": rep.dataset, "key": json.dumps(list(rep.key), ensure_ascii=False), "field": f,
                    "first_value": rep.first.get(f), "first_ref": rep.first.get("source_ref"),
                    "second_value": rep.second.get(f), "second_ref": rep.second.get("source_ref")})
    return out
