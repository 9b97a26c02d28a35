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
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from loaders.extraction import DocumentMeta, Repeat
from loaders.identity.entities import Entity
from loaders.readers.source import Source, SourceLine


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


def _none(value):
    return None if value is None or (isinstance(value, float) and value != value) or value is pd.NA else value


def _records(df: pd.DataFrame | None) -> list[dict]:
    if df is None or df.empty:
        return []
    return [{k: _none(v) for k, v in row.items()} for row in df.to_dict("records")]


def stored_documents(frames: dict[str, pd.DataFrame]) -> dict[str, StoredDocument]:
    lines: dict[str, list[SourceLine]] = {}
    for r in _records(frames.get("lines")):
        page = r.get("page")
        lines.setdefault(r["doc_id"], []).append(SourceLine(int(r["line"]), r["text"], int(page) if page else None))
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
