"""What a family parser returns: typed rows per dataset, each with its source reference.

Parsers call :meth:`Extraction.add` with the line a figure was read from; the build adds
the document keys (doc_id, entity_id, year, doc_kind). A figure that the document prints
twice (a table and its prose, a report and its attachment) is kept once per key; the
second printing is remembered in ``repeats`` so the checks can compare them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from loaders.identity.entities import Entity
from loaders.readers.source import SourceLine

# Datasets where one (key) must give one row; the rest keep every row they are given.
UNIQUE_KEYS: dict[str, tuple[str, ...]] = {
    "sangong": ("item", "measure"),
    "sangong_counts": ("item", "what", "measure"),
}


@dataclass(frozen=True)
class DocumentMeta:
    doc_kind: str  # final_accounts | budget | performance_self_eval
    scope: str  # department | unit
    entity: Entity
    year: int
    title: str
    # Where identity was read (for the report): the name exactly as printed, and
    # "<title|label|table|text> <ref>" for the name, the year and the family.
    entity_as_printed: str = ""
    entity_found_in: str = ""
    year_found_in: str = ""
    family_found_in: str = ""
    warnings: tuple[str, ...] = ()


@dataclass
class Repeat:
    """The same figure printed twice; the checks compare ``first`` with ``second``."""

    dataset: str
    key: tuple
    first: dict
    second: dict


@dataclass
class Extraction:
    rows: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    repeats: list[Repeat] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    staff_count: int | None = None
    # Standard tables the document lists, prints, or declares empty:
    # {"table": title, "status": "present" | "empty" | "missing", "source_ref": ref}
    inventory: list[dict] = field(default_factory=list)
    _seen: dict[tuple, dict] = field(default_factory=dict, repr=False)

    def add(self, dataset: str, where: SourceLine | str, /, **values) -> dict | None:
        """Add one row; ``where`` is the line the figure was printed on (or its ref).

        Returns the row, or ``None`` when the key was already present (the repeat is kept
        for the checks).
        """
        ref = where if isinstance(where, str) else where.ref
        row = {**values, "source_ref": ref}
        key_cols = UNIQUE_KEYS.get(dataset)
        if key_cols:
            key = (dataset, *(values.get(c) for c in key_cols))
            if key in self._seen:
                self.repeats.append(Repeat(dataset, key[1:], self._seen[key], row))
                return None
            self._seen[key] = row
        self.rows[dataset].append(row)
        return row

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def count(self, dataset: str) -> int:
        return len(self.rows.get(dataset, ()))
