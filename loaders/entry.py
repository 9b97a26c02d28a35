"""One document's share of the datasets, made where it was parsed (a worker, a Dask task).

An entry holds every dataset's rows of the document as validated Arrow tables, its checks
run on it alone, and the parsed document without its lines (compressed), which is only
needed again when another file of the same disclosure (a 说明 and its 公开表) turns up:
linking the files changes their rows and their checks. What the build keeps in memory of
each document is its :class:`DocumentSummary`: a few hundred bytes, whatever its size.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass, replace
from pathlib import Path

import pyarrow as pa

from loaders.checks import run_checks
from loaders.checks.entities import _READ as ENTITY_READS
from loaders.checks.stored import stored_documents
from loaders.disclosures import disclosure_id
from loaders.loaded import LoadedDocument, document_rows, full_parser_version
from loaders.schema import DATASETS, SCHEMAS, to_table, validate

_CODEC = "zstd"


@dataclass(frozen=True)
class DocumentSummary:
    sha256: str
    doc_id: str
    disclosure_id: str
    path: str
    entity_id: str
    entity_short: str
    doc_kind: str
    year: int
    warnings: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return Path(self.path).name

    def as_json(self) -> dict:
        """The manifest's record of it (``dataclasses.asdict`` deep-copies: 10,000 summaries
        cost most of a rebuild with nothing to do)."""
        return {**self.__dict__, "warnings": list(self.warnings)}

    @classmethod
    def from_json(cls, record: dict) -> DocumentSummary:
        return cls(**{**record, "warnings": tuple(record.get("warnings") or ())})


@dataclass
class DocumentEntry:
    summary: DocumentSummary
    parser: str  # the parser version that made it
    tables: dict[str, pa.Table]
    linkable: bytes  # the LoadedDocument without its lines, pickled and compressed
    raw_size: int

    def document(self, path: Path) -> LoadedDocument:
        doc = pickle.loads(pa.decompress(self.linkable, self.raw_size, codec=_CODEC, asbytes=True))
        doc.source.path = Path(path)
        return doc

    def at(self, path: Path) -> DocumentEntry:
        """The entry of the same content at ``path`` (a moved or renamed file)."""
        if self.summary.path == str(path):
            return self
        docs = self.tables["documents"]
        i = docs.schema.get_field_index("source_file")
        docs = docs.set_column(i, docs.schema.field(i), pa.array([str(path)] * docs.num_rows, pa.string()))
        return replace(self, summary=replace(self.summary, path=str(path)), tables={**self.tables, "documents": docs})


# An entry on disk: magic, the length of its head, the head (summary, parser, the linkable
# document, each table's name and size: pickled), then each table as an Arrow IPC stream. The
# tables read back in Arrow's own code, without a Python step per column as a pickle of them
# takes (the build reads every new entry once, in the process that writes the datasets).
_ENTRY_MAGIC = b"BDE2"
# Arrow's thread pool off: an entry's buffers are small, and handing each to a pool thread
# cost more than the (de)compressing itself (an entry of the seeds read in 1.45 against
# 0.40 ms, written in 1.9 against 0.55 ms); the build's parallelism is its processes.
_IPC_WRITE = pa.ipc.IpcWriteOptions(compression="lz4", use_threads=False)
_IPC_READ = pa.ipc.IpcReadOptions(use_threads=False)


def entry_bytes(entry: DocumentEntry) -> bytes:
    blobs = []
    for name, table in entry.tables.items():
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, table.schema, options=_IPC_WRITE) as writer:
            writer.write_table(table)
        blobs.append((name, sink.getvalue()))
    head = pickle.dumps((entry.summary, entry.parser, entry.linkable, entry.raw_size,
                         [(name, blob.size) for name, blob in blobs]), protocol=pickle.HIGHEST_PROTOCOL)
    return b"".join([_ENTRY_MAGIC, len(head).to_bytes(8, "little"), head, *(memoryview(b) for _, b in blobs)])


def entry_from_bytes(data: bytes) -> DocumentEntry:
    """The entry ``entry_bytes`` wrote; ValueError for anything else."""
    if data[:4] != _ENTRY_MAGIC:
        raise ValueError("not an entry of this format")
    n = int.from_bytes(data[4:12], "little")
    summary, parser, linkable, raw_size, sizes = pickle.loads(data[12 : 12 + n])
    buffer, at, tables = pa.py_buffer(data), 12 + n, {}
    for name, size in sizes:
        tables[name] = pa.ipc.open_stream(buffer.slice(at, size), options=_IPC_READ).read_all()
        at += size
    if at != len(data):
        raise ValueError("an entry of another length than its head says")
    return DocumentEntry(summary, parser, tables, linkable, raw_size)


def stored_entry(store, sha256: str | None) -> DocumentEntry | None:
    """The store's entry of this content, or None (absent, damaged or of another format:
    the document is parsed again, never a failed build)."""
    data = store.read(sha256)
    if data is None:
        return None
    try:
        return entry_from_bytes(data)
    except Exception:
        return None


def store_entry(store, entry: DocumentEntry) -> None:
    store.write(entry.summary.sha256, entry_bytes(entry))


def tables_of(rows: dict[str, list[dict]]) -> dict[str, pa.Table]:
    return {name: to_table(name, r) if r else SCHEMAS[name].empty_table() for name, r in rows.items()}


def lines_table(doc: LoadedDocument) -> pa.Table:
    """The ``lines`` rows of a document, column by column (a row dict per line would cost
    more than the rest of its rows together), validated as every table is."""
    lines = doc.source.lines
    table = pa.table({
        "doc_id": pa.array([doc.doc_id] * len(lines), pa.string()),
        "page": pa.array([ln.page for ln in lines], pa.int32()),
        "line": pa.array([ln.number for ln in lines], pa.int32()),
        "text": pa.array([ln.text for ln in lines], pa.string()),
    }, schema=SCHEMAS["lines"])
    validate("lines", table)
    return table


def document_tables(doc: LoadedDocument) -> dict[str, pa.Table]:
    """Every dataset's table of one document (checks still empty): as ``tables_of(document_rows(doc))``."""
    rows = document_rows(doc, lines=False)
    tables = tables_of(rows)
    tables["lines"] = lines_table(doc)
    return tables


def checks_of(tables: dict[str, pa.Table], scope: str = "disclosure", sources: dict | None = None) -> pa.Table:
    """The rules of one scope over these tables, read exactly as ``loaders check`` reads the
    stored datasets (so the build's checks and a recheck's agree by construction): the
    ``disclosure`` rules over one disclosure's files, the ``entity`` rules (a document against
    the same department's other years) over one entity's, reading only what they declare.
    ``sources``: parsed sources whose lines the ``lines`` rows were made from (by doc_id),
    read instead of rebuilding those lines from the rows (never a source without its lines)."""
    if scope == "entity" and len(tables["documents"].column("year").unique()) < 2:
        return SCHEMAS["checks"].empty_table()  # one year: nothing to compare (as entity_checks)
    names = [n for n in DATASETS if n != "checks"] if scope == "disclosure" else [*ENTITY_READS, "lines"]
    frames = {name: tables[name] for name in names}  # the rules read Arrow tables as pandas would
    rows = run_checks(frames, stored_documents(frames, sources), scope=scope)
    return to_table("checks", rows) if rows else SCHEMAS["checks"].empty_table()


def summary_of(doc: LoadedDocument) -> DocumentSummary:
    m = doc.meta
    return DocumentSummary(doc.source.sha256, doc.doc_id, disclosure_id(m), str(doc.source.path), m.entity.entity_id,
                           m.entity.short, m.doc_kind, m.year, tuple(doc.warnings))


def make_entry(doc: LoadedDocument, checks: bool = True) -> DocumentEntry:
    tables = document_tables(doc)
    if checks:  # the parsed lines, which the lines rows were just made from
        tables["checks"] = checks_of(tables, sources={doc.doc_id: doc.source})
    _ = doc.part  # computed while the lines are there, kept with the pickle
    lean = replace(doc.source, lines=[])
    doc.source, lines = lean, doc.source
    try:
        raw = pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL)
    finally:
        doc.source = lines
    packed = pa.compress(raw, codec=_CODEC, asbytes=True)
    return DocumentEntry(summary_of(doc), full_parser_version(), tables, packed, len(raw))
