"""Source viewer and checks (pure): where a figure was read, the lines around it, failures first."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlencode

import pandas as pd

REF = re.compile(r"^(?:p(?P<page>\d+))?(?::)?(?:L(?P<line>\d+))?$")
VIEWER_PATH = "sources"
STATUS_ORDER = {"fail": 0, "warn": 1, "pass": 2}
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2, "info": 3}


def parse_ref(ref: str | None) -> tuple[int | None, int | None]:
    """'L123' → (None, 123); 'p3:L12' → (3, 12); 'p3' → (3, None); anything else → (None, None)."""
    m = REF.match((ref or "").strip())
    if not m or not (m["page"] or m["line"]):
        return None, None
    return (int(m["page"]) if m["page"] else None, int(m["line"]) if m["line"] else None)


def source_url(doc_id: str, source_ref: str | None = None) -> str:
    """Relative link to the source viewer page at a row's reference."""
    params = {"doc": doc_id}
    if source_ref:
        params["ref"] = source_ref
    return f"{VIEWER_PATH}?{urlencode(params, safe=':')}"


def lines_frame(lines) -> pd.DataFrame:
    """SourceLine objects (number, text, page) as a DataFrame."""
    return pd.DataFrame(
        {"page": [ln.page for ln in lines], "line": [ln.number for ln in lines], "text": [ln.text for ln in lines]}
    )


def window(lines: pd.DataFrame, ref: str | None, context: int = 12) -> pd.DataFrame:
    """The lines around ``ref`` with a ``hit`` column; the whole first page or 2×context lines if no ref."""
    page, line = parse_ref(ref)
    df = lines if page is None else lines[lines["page"] == page]
    df = df.reset_index(drop=True)
    if line is None:
        return df.head(2 * context + 1).assign(hit=page is not None)
    pos = df.index[df["line"] == line]
    if len(pos) == 0:
        return df.head(0).assign(hit=False)
    at = int(pos[0])
    out = df.iloc[max(0, at - context) : at + context + 1].copy()
    out["hit"] = out["line"] == line
    return out


def checks_sorted(checks: pd.DataFrame) -> pd.DataFrame:
    """Failures first, then warnings, then passes; by severity within each."""
    if checks.empty:
        return checks
    key = checks["status"].map(STATUS_ORDER).fillna(9) * 10 + checks["severity"].map(SEVERITY_ORDER).fillna(5)
    return checks.assign(_k=key).sort_values(["_k", "entity_id", "rule"]).drop(columns="_k")


def resolve(source_file: str, roots: list[Path]) -> Path | None:
    """The document file: as recorded if it exists, else relative to one of ``roots``."""
    p = Path(source_file)
    if p.exists():
        return p
    for root in roots:
        q = root / source_file
        if q.exists():
            return q
    return None
