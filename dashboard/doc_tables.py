"""The 文档 page's tables (pure): the collection and an upload's preview, named for reading."""

from __future__ import annotations

import pandas as pd

from dashboard.labels import DATASET, DOC_KIND, DOC_STATUS, label

HEADERS = {
    "name": ("文件", "file"), "status": ("状态", "status"), "reason": ("原因", "reason"),
    "entity_name": ("单位", "entity"), "year": ("年度", "year"), "doc_kind": ("文档类型", "document kind"),
}  # fmt: skip


def collection_table(docs: list, lang: str = "zh") -> pd.DataFrame:
    """One row per file in the raw folder (dashboard.documents.DocumentStatus) with its status."""
    i = 0 if lang == "zh" else 1
    rows = [
        {
            HEADERS["name"][i]: d.name,
            HEADERS["status"][i]: label(DOC_STATUS, d.status, lang),
            HEADERS["entity_name"][i]: d.entity_name,
            HEADERS["year"][i]: "" if d.year is None else str(d.year),
            HEADERS["doc_kind"][i]: label(DOC_KIND, d.doc_kind, lang) if d.doc_kind else "",
            HEADERS["reason"][i]: d.reason,
        }
        for d in docs
    ]
    return pd.DataFrame(rows, columns=[HEADERS[k][i] for k in ("name", "status", "entity_name", "year", "doc_kind",
                                                               "reason")])


def rows_table(rows: dict[str, int], lang: str = "zh") -> pd.DataFrame:
    """An upload's preview: how many rows each dataset would get."""
    head = ("数据集", "行数") if lang == "zh" else ("dataset", "rows")
    return pd.DataFrame({head[0]: [label(DATASET, k, lang) for k in rows], head[1]: list(rows.values())})
