"""The corpus report: what each document gave, and what it did not.

    python -m loaders report SOURCE...

Per document: family, year, scope, entity (as the document names itself, and where), which
standard tables of its format it prints, declares empty or lacks, rows per dataset and its
warnings; a document that cannot be read says why in one line. At the end, the share that
loaded. Nothing is written: this is the tool to run over a folder before and after a change.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from loaders.build import BuildResult, LoadedDocument
from loaders.disclosures import disclosure_id
from loaders.schema import FACT_DATASETS

# Datasets a reader of the report cares about, in the order shown (checks are a build's).
REPORTED = tuple(n for n in FACT_DATASETS if n != "checks")


@dataclass
class DocumentReport:
    file: str
    ok: bool
    reason: str = ""
    doc_kind: str = ""
    year: int | None = None
    scope: str = ""
    entity_id: str = ""
    entity_name: str = ""
    entity_found_in: str | None = None
    disclosure_id: str = ""
    part: str = ""
    tables: dict[str, list[str]] = field(default_factory=dict)  # status -> canonical table names
    rows: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    # What the reader could not read (pages without a text layer, glyphs without Unicode):
    # shown always, since figures on those pages are missing from every dataset.
    unreadable: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def _tables(doc: LoadedDocument) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {"present": [], "empty": [], "missing": []}
    for entry in doc.extraction.inventory:
        status = entry.get("status")
        if status in out:
            out[status].append(str(entry.get("name") or entry.get("table")))
    return out


def document_report(doc: LoadedDocument) -> DocumentReport:
    m = doc.meta
    return DocumentReport(
        file=str(doc.source.path),
        ok=True,
        doc_kind=m.doc_kind,
        year=m.year,
        scope=m.scope,
        entity_id=m.entity.entity_id,
        entity_name=m.entity.name,
        entity_found_in=getattr(m, "entity_found_in", None),
        disclosure_id=disclosure_id(m),
        part=doc.part,
        tables=_tables(doc),
        rows={name: doc.extraction.count(name) for name in REPORTED},
        warnings=doc.warnings,
        unreadable=list(doc.source.warnings),
    )


def corpus_report(result: BuildResult) -> list[DocumentReport]:
    """One report per document given, loaded or not, in the build's (sorted) order."""
    reports = [document_report(d) for d in result.documents]
    reports += [DocumentReport(file=str(path), ok=False, reason=reason) for path, reason in result.failures]
    return sorted(reports, key=lambda r: r.file)


def summary(reports: list[DocumentReport]) -> dict:
    loaded = [r for r in reports if r.ok]
    kinds = Counter(r.doc_kind for r in loaded)
    return {
        "documents": len(reports),
        "loaded": len(loaded),
        "share_loaded": round(len(loaded) / len(reports), 4) if reports else 0.0,
        "disclosures": len({r.disclosure_id for r in loaded}),
        "entities": len({r.entity_id for r in loaded}),
        "by_kind": dict(sorted(kinds.items())),
        "rows": {name: sum(r.rows.get(name, 0) for r in loaded) for name in REPORTED},
        "without_tables": sum(1 for r in loaded if not r.tables.get("present") and not r.tables.get("empty")),
        "warnings": sum(len(r.warnings) for r in loaded),
    }


def load_reports(paths: list[Path], on_progress=None) -> tuple[list[DocumentReport], BuildResult]:
    from loaders.build import build

    result = build(paths, Path("."), on_progress=on_progress, write=False, checks=False)
    return corpus_report(result), result
