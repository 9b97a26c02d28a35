"""One document read, detected and parsed, and its rows for every dataset.

The build, the workers and the Dask tasks all go through :func:`load_document`; the rows a
document gives (:func:`document_rows`) carry the document keys, ready for the schemas.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from loaders import families
from loaders.checks.stored import repeat_rows
from loaders.disclosures import disclosure_id
from loaders.extraction import DocumentMeta, Extraction
from loaders.identity.detect import detect
from loaders.readers import read_source
from loaders.readers.source import Source
from loaders.schema import DATASETS, FACT_DATASETS
from loaders.store import parser_version

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


def doc_id_for(sha256: str) -> str:
    return sha256[:16]


def load_document(path: Path) -> LoadedDocument:
    """Read, detect and parse one document. Raises DocumentError with a one-line reason."""
    source = read_source(path)
    meta = detect(source)
    extraction = families.extract(source, meta)
    return LoadedDocument(source, meta, extraction, doc_id_for(source.sha256))


def full_parser_version() -> str:
    return f"{PARSER_VERSION}+{parser_version()}"


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
        "parser_version": full_parser_version(), "n_pages": doc.source.n_pages, "n_lines": len(doc.source.lines),
        "staff_count": doc.extraction.staff_count,
        "warnings": doc.warnings,
    }


def fact_rows(doc: LoadedDocument) -> dict[str, list[dict]]:
    """The document's fact and repeats rows, keys added: what linking the files of one
    disclosure can change."""
    rows: dict[str, list[dict]] = {name: [{**doc.keys, **r} for r in doc.extraction.rows.get(name, ())]
                                   for name in FACT_DATASETS if name != "checks"}
    rows["repeats"] = [{**doc.keys, **r} for r in repeat_rows(doc.extraction.repeats)]
    for row in rows["projects"]:
        row.setdefault("scope", "project")
        row.setdefault("origin", "self_eval")
    for row in rows["budget_lines"]:
        row.setdefault("origin", "narrative" if row.get("table") == "narrative" else "table")
    for row in rows["indicators"]:
        row.setdefault("origin", "self_eval")
    return rows


def document_rows(doc: LoadedDocument, lines: bool = True) -> dict[str, list[dict]]:
    """Every dataset's rows of one document (checks still empty; ``lines`` too without ``lines``)."""
    rows: dict[str, list[dict]] = {name: [] for name in DATASETS}
    rows["documents"].append(document_row(doc))
    rows.update(fact_rows(doc))
    if lines:
        rows["lines"] = [{"doc_id": doc.doc_id, "page": ln.page, "line": ln.number, "text": ln.text}
                         for ln in doc.source.lines]
    rows["tables"] = [{**doc.keys, **entry} for entry in doc.extraction.inventory]
    return rows
