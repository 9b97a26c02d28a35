"""Build the datasets from a set of source documents.

One bad document never stops the others; its reason is collected as one line. Nothing is
written until every document has been parsed and every table validated, and then each
file is replaced atomically.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass, field
from functools import cached_property, partial
from pathlib import Path

import pandas as pd
import pyarrow as pa

from loaders import families
from loaders.checks import run_checks
from loaders.checks.stored import repeat_rows, stored_documents
from loaders.disclosures import disclosure_id, link_disclosures
from loaders.errors import DocumentError
from loaders.extraction import DocumentMeta, Extraction
from loaders.identity.detect import detect
from loaders.parallel import DOCUMENT_SECONDS, parse_all, time_limit
from loaders.readers import read_source
from loaders.readers.source import SUPPORTED_SUFFIXES, Source
from loaders.schema import DATASETS, FACT_DATASETS, SCHEMAS, read_dataset, to_table, write_datasets
from loaders.store import Store, parser_version

PARSER_VERSION = "1.1.0"
# A file with fewer sentences than this outside its tables is a tables-only publication
# (its notes under the tables are not an explanatory text).
PROSE_LINES = 8


@dataclass
class LoadedDocument:
    source: Source
    meta: DocumentMeta
    extraction: Extraction
    doc_id: str

    @cached_property  # read by the disclosure linking, the documents row and the report
    def part(self) -> str:
        """What the file holds of its disclosure: ``whole``, only the ``narrative`` (说明, its
        tables published apart) or only the ``tables``. A 绩效自评 is read whole."""
        if self.meta.doc_kind == "performance_self_eval":
            return "whole"
        tables = any(e.get("status") in ("present", "empty") for e in self.extraction.inventory)
        prose = sum(1 for ln in self.source.lines if "\t" not in ln.clean and "。" in ln.clean) >= PROSE_LINES
        if tables and not prose:
            return "tables"
        return "narrative" if prose and not tables else "whole"

    @property
    def warnings(self) -> list[str]:
        """The reader's, the identity's and the parsers' warnings, in that order."""
        return [*self.source.warnings, *self.meta.warnings, *self.extraction.warnings]

    @property
    def keys(self) -> dict:
        return {
            "doc_id": self.doc_id,
            "entity_id": self.meta.entity.entity_id,
            "year": self.meta.year,
            "doc_kind": self.meta.doc_kind,
        }


@dataclass
class BuildResult:
    documents: list[LoadedDocument] = field(default_factory=list)
    failures: list[tuple[Path, str]] = field(default_factory=list)
    tables: dict[str, pa.Table] = field(default_factory=dict)
    seconds: float = 0.0
    parsed: int = 0  # documents parsed in this build (the others came from the store)

    @property
    def n_failed_checks(self) -> int:
        checks = self.tables.get("checks")
        if checks is None:
            return 0
        return sum(1 for s in checks.column("status").to_pylist() if s == "fail")

    @property
    def warnings(self) -> list[str]:
        return [f"{d.source.name}: {w}" for d in self.documents for w in d.warnings]


def find_sources(paths: Iterable[Path]) -> list[Path]:
    """Files under the given paths, searched recursively, in a deterministic order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                p for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES and not p.name.startswith(".")
            )
        else:
            found.append(path)
    return sorted(dict.fromkeys(found))


def doc_id_for(sha256: str) -> str:
    return sha256[:16]


def load_document(path: Path) -> LoadedDocument:
    """Read, detect and parse one document. Raises DocumentError with a one-line reason."""
    source = read_source(path)
    meta = detect(source)
    extraction = families.extract(source, meta)
    return LoadedDocument(source, meta, extraction, doc_id_for(source.sha256))


def document_row(doc: LoadedDocument) -> dict:
    e = doc.meta.entity
    m = doc.meta
    return {
        "doc_id": doc.doc_id, "disclosure_id": disclosure_id(m),
        "entity_as_printed": getattr(m, "entity_as_printed", None) or e.name,
        "entity_found_in": getattr(m, "entity_found_in", None),
        "division_code": getattr(e, "division_code", None) or None,
        "year_found_in": getattr(m, "year_found_in", None), "part": doc.part,
        "entity_id": e.entity_id, "entity_name": e.name, "entity_short": e.short,
        "city": e.city, "province": e.province, "admin_level": e.admin_level, "year": doc.meta.year,
        "doc_kind": doc.meta.doc_kind, "scope": doc.meta.scope, "title": doc.meta.title,
        "source_file": str(doc.source.path), "sha256": doc.source.sha256, "format": doc.source.format,
        "parser_version": f"{PARSER_VERSION}+{parser_version()}", "n_pages": doc.source.n_pages, "n_lines": len(doc.source.lines),
        "staff_count": doc.extraction.staff_count,
        "warnings": doc.warnings,
    }


def keyed_rows(docs: list[LoadedDocument]) -> dict[str, list[dict]]:
    """Every dataset's rows with the document keys added (checks still empty)."""
    rows: dict[str, list[dict]] = {name: [] for name in DATASETS}
    for doc in docs:
        rows["documents"].append(document_row(doc))
        for name in FACT_DATASETS:
            rows[name].extend({**doc.keys, **r} for r in doc.extraction.rows.get(name, ()))
        rows["lines"].extend(
            {"doc_id": doc.doc_id, "page": ln.page, "line": ln.number, "text": ln.text} for ln in doc.source.lines
        )
        rows["tables"].extend({**doc.keys, **entry} for entry in doc.extraction.inventory)
        rows["repeats"].extend({**doc.keys, **r} for r in repeat_rows(doc.extraction.repeats))
    for row in rows["projects"]:
        row.setdefault("scope", "project")
        row.setdefault("origin", "self_eval")
    for row in rows["budget_lines"]:
        row.setdefault("origin", "narrative" if row.get("table") == "narrative" else "table")
    for row in rows["indicators"]:
        row.setdefault("origin", "self_eval")
    return rows


def frames_of(rows: dict[str, list[dict]]) -> dict[str, pd.DataFrame]:
    """The frames the rule engine reads (an empty dataset keeps its columns)."""
    return {
        name: (pd.DataFrame.from_records(r) if r else SCHEMAS[name].empty_table().to_pandas())
        for name, r in rows.items()
    }


def assemble(docs: list[LoadedDocument], checks: bool = True) -> dict[str, pa.Table]:
    """Keyed, validated tables for all datasets (checks included unless ``checks`` is false)."""
    rows = keyed_rows(docs)
    if checks:
        # From the rows alone, as `python -m loaders check` runs them from the stored datasets.
        frames = frames_of(rows)
        rows["checks"].extend(run_checks(frames, stored_documents(frames)))
    return {name: to_table(name, r) if r else SCHEMAS[name].empty_table() for name, r in rows.items()}


def _outcome(path: Path, store: Store | None = None, seconds: float | None = DOCUMENT_SECONDS):
    """One document loaded (from the store when parsed before), or the one-line reason it was
    not; run in a worker process, within ``seconds``. The last value: parsed now or not."""
    if store is not None and (doc := store.get(path)) is not None:
        return path, doc, None, False
    try:
        with time_limit(seconds):
            doc = load_document(path)
    except DocumentError as exc:
        return path, None, str(exc), True
    except Exception as exc:  # a parser bug must cost one document, not the build
        return path, None, f"internal parser error ({type(exc).__name__}: {exc})", True
    if store is not None:
        with suppress(OSError):  # a store that cannot be written is only a slower next build
            store.put(doc)
    return path, doc, None, True


def build(
    paths: Iterable[Path],
    out_dir: Path,
    on_progress: Callable[[Path, str | None], None] | None = None,
    write: bool = True,
    checks: bool = True,
    jobs: int | None = None,
    seconds_per_document: float | None = DOCUMENT_SECONDS,
) -> BuildResult:
    """Parse every document under ``paths`` (in ``jobs`` processes: default the machine's
    cores), then assemble, check, validate and write the datasets atomically.

    A build that writes treats ``out_dir`` as a store (:mod:`loaders.store`): a document whose
    content and parser are unchanged is read back, not parsed again."""
    started = time.perf_counter()
    result = BuildResult()
    seen: dict[str, Path] = {}
    files = find_sources(paths)
    store = Store.at(out_dir) if write else None
    for path, doc, failure, parsed in parse_all(files, partial(_outcome, store=store, seconds=seconds_per_document), jobs):
        result.parsed += parsed
        if failure is not None:
            result.failures.append((path, failure))
        elif doc.doc_id in seen:
            failure = f"same content as {seen[doc.doc_id].name}; skipped"
            result.failures.append((path, failure))
        else:
            seen[doc.doc_id] = path
            result.documents.append(doc)
        if on_progress:
            on_progress(path, failure)
    if result.documents:
        link_disclosures(result.documents)
        result.tables = assemble(result.documents, checks=checks)
        if write:
            write_datasets(result.tables, out_dir)
            store.keep_only({d.source.sha256 for d in result.documents})
    result.seconds = time.perf_counter() - started
    return result


def recheck(out_dir: Path) -> pa.Table:
    """The rule engine over the stored datasets alone: the checks a build of them writes."""
    frames = {name: read_dataset(out_dir, name) for name in DATASETS if name != "checks"}
    rows = run_checks(frames, stored_documents(frames))
    return to_table("checks", rows) if rows else SCHEMAS["checks"].empty_table()
