"""One disclosure in several files: a department's 说明 and its 公开表 published apart.

Documents of one entity, year, kind and scope are one disclosure (``disclosure_id``). A
figure that two of its files both print (the 三公 total in the 说明 and in the 三公 table)
is one row: the table's, where one of the files is a table file; the other printing
becomes a repeat for the checks (DUP-AGREE), never a second row to add up.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

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
