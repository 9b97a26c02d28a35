"""Which standard tables a 预算/决算 disclosure prints, declares empty, or lists but omits.

A disclosure may be several files (its 说明 and its 公开表): a table printed in any of them
is printed. A table the document's own 目录 lists but no file prints is a failure; one it
neither lists nor prints is left to the corpus report (formats differ in what they require).
"""

from __future__ import annotations

from loaders.checks.core import Context, doc_keys, finding, rule

FAMILY = "completeness"
MESSAGE = {"present": "已公开", "empty": "公开为空表（已说明无数据）", "missing": "目录列出但正文未见"}
PRINTED = ("present", "empty")


def _disclosures(ctx: Context) -> dict[str, str]:
    return {d["doc_id"]: d.get("disclosure_id") or d["doc_id"] for d in ctx.records("documents")}


def _name(entry: dict) -> str:
    """The table's canonical name in the format's spec (a title may be worded otherwise)."""
    return str(entry.get("name") or entry.get("table"))


@rule("COMPLETE-TABLES", FAMILY, "medium", "目录列出的标准公开表均已印出（或注明为空表）")
def standard_tables(ctx: Context):
    disclosure = _disclosures(ctx)
    printed: dict[tuple[str, str], str] = {}  # (disclosure, table) -> the file that prints it
    for doc_id, doc in ctx.docs.items():
        for entry in getattr(doc.extraction, "inventory", ()) or ():
            if entry.get("status") in PRINTED:
                printed.setdefault((disclosure.get(doc_id, doc_id), _name(entry)), doc.source.name)
    for doc_id, doc in ctx.docs.items():
        keys = doc_keys(ctx, doc_id)
        for entry in getattr(doc.extraction, "inventory", ()) or ():
            status, table = entry.get("status"), str(entry.get("table"))
            if status in PRINTED:
                yield finding(table, None, None, 0, entry.get("source_ref") or "", MESSAGE[status], keys,
                              status="pass")
                continue
            if status != "missing":
                continue
            elsewhere = printed.get((disclosure.get(doc_id, doc_id), _name(entry)))
            if elsewhere is not None and elsewhere != doc.source.name:
                yield finding(table, None, None, 0, entry.get("source_ref") or "",
                              f"印于同一公开的另一文件（{elsewhere}）", keys, status="pass")
            elif getattr(doc, "part", "whole") == "narrative":
                # The file is only the 说明: its tables are published as another file, which
                # was not given. Not a failure of the document; the report says what is missing.
                yield finding(table, None, None, 0, entry.get("source_ref") or "",
                              "本文件仅为情况说明，该表未随附（另册公开？）", keys, status="warn")
            elif entry.get("listed", entry.get("source_ref") is not None):
                yield finding(table, None, None, 0, entry.get("source_ref") or "", MESSAGE["missing"], keys,
                              status="fail")
