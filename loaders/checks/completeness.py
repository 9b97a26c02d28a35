"""Which standard tables a 预算/决算 document prints, declares empty, or lists but omits."""

from __future__ import annotations

from loaders.checks.core import Context, doc_keys, finding, rule

FAMILY = "completeness"
STATUS = {"present": "pass", "empty": "pass", "missing": "fail"}
MESSAGE = {"present": "已公开", "empty": "公开为空表（已说明无数据）", "missing": "目录列出但正文未见"}


@rule("COMPLETE-TABLES", FAMILY, "medium", "目录列出的标准公开表均已印出（或注明为空表）")
def standard_tables(ctx: Context):
    for doc_id, doc in ctx.docs.items():
        keys = doc_keys(ctx, doc_id)
        for entry in getattr(doc.extraction, "inventory", ()) or ():
            status = entry.get("status")
            if status not in STATUS:
                continue
            yield finding(
                str(entry.get("table")),
                None,
                None,
                0,
                entry.get("source_ref") or "",
                MESSAGE[status],
                keys,
                status=STATUS[status],
            )
