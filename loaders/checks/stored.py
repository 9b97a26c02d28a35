"""The documents as the stored datasets hold them, for the rules that read a document.

Several rules need more than the fact rows: the standard tables each document prints (the
``tables`` dataset), the figures printed twice (``repeats``), the lines as read (``lines``:
the line that printed a finding's figure, an indicator row printed twice) and the prose,
read again for its stated rates and changes. All of it is stored, so the rule engine
runs from the datasets alone: the build runs it this way too, which is why
``python -m loaders check`` gives the build's checks exactly. A document's lines are made
into SourceLines only when a rule first reads them (an entity's pass reads few).
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


class StoredSource(Source):
    """A document's source whose lines are rebuilt from the ``lines`` dataset on first use:
    most rules of an entity's pass read one document's lines, or none (a source's name
    costs nothing), so the other documents' lines are never made into SourceLines."""

    def __init__(self, *args, lines=None, **kwargs):
        # ``lines``: the lines, or what makes them (() -> list[SourceLine]) when first read.
        self._load = lines if callable(lines) else None
        super().__init__(*args, lines=None if callable(lines) else lines, **kwargs)

    @property
    def lines(self) -> list[SourceLine]:
        if self._lines is None and self._load is not None:
            self._lines, self._load = self._load(), None
        return self._lines

    @lines.setter
    def lines(self, value) -> None:
        self._lines = value


class _Lines:
    """The ``lines`` dataset by document, as SourceLines only when a document's are asked for:
    the rows of a document are found once (they are contiguous, document after document),
    then only those rows' three columns are read."""

    def __init__(self, df):
        self.df = df
        self._at: dict[str, list[tuple[int, int]]] | None = None

    def _runs(self) -> dict[str, list[tuple[int, int]]]:
        if self._at is None:
            at: dict[str, list[tuple[int, int]]] = {}
            n = len(self.df) if self.df is not None else 0
            if isinstance(self.df, pa.Table) and n and len(ids := self.df.column("doc_id").unique()) == 1:
                self._at = {ids[0].as_py(): [(0, n)]}  # one document's lines (a build worker's)
                return self._at
            ids = _column(self.df, "doc_id") if n else []
            start = 0
            for i in range(1, len(ids) + 1):
                if i == len(ids) or ids[i] != ids[start]:
                    at.setdefault(ids[start], []).append((start, i))
                    start = i
            self._at = at
        return self._at

    def of(self, doc_id: str) -> list[SourceLine]:
        out: list[SourceLine] = []
        for start, stop in self._runs().get(doc_id, ()):
            if isinstance(self.df, pa.Table):  # Arrow gives ints and None already: no NaN to look for
                rows = self.df.slice(start, stop - start)
                out += [new_line(number, text, page or None) for number, text, page in zip(
                    _column(rows, "line"), _column(rows, "text"), _column(rows, "page"), strict=True)]
                continue
            rows = self.df.iloc[start:stop]
            for number, text, page in zip(_column(rows, "line"), _column(rows, "text"), _column(rows, "page"),
                                          strict=True):
                page = _none(page)
                out.append(new_line(int(number), _none(text), int(page) if page else None))
        return out


def stored_documents(frames: dict[str, pd.DataFrame | pa.Table],
                     sources: dict[str, Source] | None = None) -> dict[str, StoredDocument]:
    """The documents of these datasets (pandas frames, or Arrow tables read as pandas would).

    ``sources``: a document's source already at hand (the parsed document's, whose lines the
    ``lines`` rows were made from: the same number, page and text), whose lines (and joined
    text) are used instead of rebuilding them; the others' lines are rebuilt from the
    ``lines`` dataset when first read."""
    stored = _Lines(frames.get("lines"))
    given = sources or {}
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
        doc_id = d["doc_id"]
        entity = Entity(d["entity_id"], d["entity_name"], d.get("entity_short") or "", d.get("city") or "",
                        d.get("province") or "", d.get("admin_level") or "")
        meta = DocumentMeta(d["doc_kind"], d["scope"], entity, int(d["year"]), d.get("title") or "")
        load = (lambda ls=given[doc_id].lines: list(ls)) if doc_id in given else (lambda i=doc_id: stored.of(i))
        source = StoredSource(Path(d["source_file"]), d["format"], d["sha256"], lines=load, n_pages=d.get("n_pages"))
        if "text" in getattr(given.get(doc_id), "__dict__", {}):
            source.__dict__["text"] = given[doc_id].__dict__["text"]  # the same lines' text, joined once
        keys = {"doc_id": doc_id, "entity_id": d["entity_id"], "year": int(d["year"]), "doc_kind": d["doc_kind"]}
        docs[doc_id] = StoredDocument(doc_id, keys, meta, source, d.get("part") or "whole",
                                      StoredExtraction(tables.get(doc_id, []), repeats.get(doc_id, [])))
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
