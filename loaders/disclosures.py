"""One disclosure in several files: a department's 说明 and its 公开表 published apart.

Documents of one entity, year, kind and scope are one disclosure (``disclosure_id``). A
figure that two of its files both print (the 三公 total in the 说明 and in the 三公 table;
基本支出 in the prose and in the 支出总表) is one row: the table's, where one of the files
is a table file; the other printing becomes a repeat for the checks (DUP-AGREE), never a
second row to add up. Within one file the prose's figures stay rows of their own (table
``narrative``), as before: DUP-NARRATIVE compares them with the tables.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from loaders.checks.repeats import item_key
from loaders.extraction import UNIQUE_KEYS, DocumentMeta, Repeat

if TYPE_CHECKING:  # the build passes its documents in; no import of the build here
    from loaders.build import LoadedDocument


def disclosure_id(meta: DocumentMeta) -> str:
    """``<entity>-<year>-<kind>``, with ``-unit`` for a unit's own (单位预算/决算)."""
    return f"{meta.entity.entity_id}-{meta.year}-{meta.doc_kind}" + ("-unit" if meta.scope == "unit" else "")


def link_disclosures(docs: list[LoadedDocument]) -> None:
    """Keep one row per key across the files of each disclosure; the rest become repeats."""
    groups: dict[str, list[LoadedDocument]] = defaultdict(list)
    for doc in docs:
        groups[disclosure_id(doc.meta)].append(doc)
    for members in groups.values():
        if len(members) < 2:
            continue
        # Tables first: a figure printed in a table is the row, the 说明's is its repeat.
        members = sorted(members, key=lambda d: (d.part == "narrative", d.source.name))
        seen: dict[tuple, tuple[LoadedDocument, dict]] = {}
        for doc in members:
            for dataset, key_cols in UNIQUE_KEYS.items():
                kept = []
                for row in doc.extraction.rows.get(dataset, ()):
                    key = (dataset, *(row.get(c) for c in key_cols))
                    first = seen.get(key)
                    if first is not None and first[0] is not doc:
                        other, printed = first
                        where = {**printed, "source_ref": f"{other.source.name} {printed['source_ref']}"}
                        doc.extraction.repeats.append(Repeat(dataset, key[1:], where, row))
                        continue
                    seen.setdefault(key, (doc, row))
                    kept.append(row)
                if dataset in doc.extraction.rows:
                    doc.extraction.rows[dataset] = kept
        _prose_repeats(members)


def _figure_key(row: dict) -> tuple:
    return (item_key(row.get("item")), row.get("code"), row.get("breakdown"), row.get("measure"))


def _prose_repeats(members: list[LoadedDocument]) -> None:
    """A prose figure of one file that a table of another file prints: a repeat, not a row."""
    printed: dict[tuple, list[tuple[LoadedDocument, dict]]] = defaultdict(list)
    for doc in members:
        for row in doc.extraction.rows.get("budget_lines", ()):
            if row.get("table") != "narrative" and row.get("origin") in (None, "table"):
                printed[_figure_key(row)].append((doc, row))
    for doc in members:
        rows = doc.extraction.rows.get("budget_lines")
        if not rows:
            continue
        kept = []
        for row in rows:
            others = [(d, r) for d, r in printed.get(_figure_key(row), ()) if d is not doc]
            if row.get("table") != "narrative" or row.get("origin") == "derived" or not others:
                kept.append(row)
                continue
            other, first = min(others, key=lambda dr: abs(dr[1]["amount"] - row["amount"]))
            where = {**first, "source_ref": f"{other.source.name} {first['source_ref']}"}
            doc.extraction.repeats.append(Repeat("budget_lines", _figure_key(row), where, row))
        doc.extraction.rows["budget_lines"] = kept
