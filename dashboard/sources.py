"""Source viewer and checks (pure): where a figure was read, the lines around it, failures first."""

from __future__ import annotations

import html
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


def source_url(doc_id: str, source_ref: str | None = None, lang: str | None = None) -> str:
    """Relative link to the source viewer page at a row's reference (``lang="en"`` keeps English)."""
    params = {"doc": doc_id}
    if source_ref:
        params["ref"] = source_ref
    if lang == "en":
        params["lang"] = "en"
    return f"{VIEWER_PATH}?{urlencode(params, safe=':')}"


def with_links(df: pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    """``df`` with a ``link`` column: each row's ``source_url`` (doc_id, source_ref, lang)."""
    return df.assign(link=[source_url(d, r, lang) for d, r in zip(df["doc_id"], df["source_ref"], strict=True)])


def lines_frame(lines) -> pd.DataFrame:
    """SourceLine objects (number, text, page) as a DataFrame."""
    return pd.DataFrame(
        {"page": [ln.page for ln in lines], "line": [ln.number for ln in lines], "text": [ln.text for ln in lines]}
    )


def locate(lines: pd.DataFrame, ref: str | None) -> int | None:
    """Row position of ``ref`` in ``lines`` (a page alone → its first line); None if absent or unreadable."""
    page, line = parse_ref(ref)
    if page is None and line is None:
        return None
    mask = pd.Series(True, index=lines.index)
    if page is not None:
        mask &= lines["page"] == page
    if line is not None:
        mask &= lines["line"] == line
    hits = [i for i, m in enumerate(mask.tolist()) if m]
    return hits[0] if hits else None


def window(lines: pd.DataFrame, ref: str | None, context: int = 15, shift: int = 0) -> pd.DataFrame:
    """The lines around ``ref`` (±context), moved ``shift`` lines on, with a ``hit`` column.

    No ref → the start of the document; a page alone (p3) → from its first line; a ref the
    document does not have → no rows. The window runs across pages (line numbers restart per page).
    """
    df = lines.reset_index(drop=True)
    page, line = parse_ref(ref)
    at = locate(df, ref)
    if at is None and (line is not None or page is not None):
        return df.head(0).assign(hit=False)
    size = 2 * context + 1
    if at is None:
        first = 0
    elif line is None:
        first = at
    else:
        first = at - context
    first = max(0, min(first + shift, len(df) - size))
    out = df.iloc[first : first + size].copy()
    out["hit"] = False
    if at is not None and line is not None and first <= at < first + size:
        out.loc[at, "hit"] = True
    return out


def cells_text(text) -> str:
    """A line for reading: tab-separated cells joined by │, empty trailing cells dropped."""
    return str(text).rstrip("\t \r").replace("\t", " │ ")


def window_html(view: pd.DataFrame) -> str:
    """The window as compact HTML: line numbers (page:line for PDFs), cells split by │, the hit line
    marked ▶ on a yellow background. Text is escaped."""
    paged = "page" in view and view["page"].notna().any()
    rows = []
    for rec in view.to_dict("records"):
        num = ref_of(rec["page"] if paged else None, rec["line"])
        text = html.escape(cells_text(rec["text"]))
        style = "background:#fff3b0;font-weight:600;border-left:4px solid #d62728;" if rec["hit"] else \
            "border-left:4px solid transparent;"
        mark = "▶" if rec["hit"] else ""
        rows.append(f'<div style="{style}padding:1px 6px;display:flex;gap:10px">'
                    f'<span style="color:#888;min-width:5.5em;text-align:right;flex:none">{mark} {num}</span>'
                    f'<span style="white-space:pre-wrap">{text}</span></div>')
    return ('<div style="font-family:ui-monospace,Menlo,Consolas,\'Noto Sans Mono CJK SC\',monospace;'
            'font-size:0.85rem;line-height:1.5;border:1px solid #ddd;border-radius:6px;padding:4px 0">'
            + "".join(rows) + "</div>")


def ref_of(page, line) -> str:
    """(3, 12) → 'p3:L12'; (None, 12) → 'L12'."""
    return f"p{int(page)}:L{int(line)}" if pd.notna(page) else f"L{int(line)}"


def span_text(view: pd.DataFrame, total: int, lang: str = "zh") -> str:
    """'L130 – L160（全文 812 行）' for the window shown."""
    if view.empty:
        return ""
    first = ref_of(view["page"].iloc[0], view["line"].iloc[0])
    last = ref_of(view["page"].iloc[-1], view["line"].iloc[-1])
    return f"{first} – {last}（全文 {total} 行）" if lang == "zh" else f"{first} – {last} (of {total} lines)"


def worst_first(checks: pd.DataFrame, then: list[str]) -> pd.DataFrame:
    """Check rows by status (fail, warn, pass), severity within each, then by the columns ``then``."""
    key = checks["status"].map(STATUS_ORDER).fillna(9) * 10 + checks["severity"].map(SEVERITY_ORDER).fillna(5)
    return checks.assign(_k=key).sort_values(["_k", *then]).drop(columns="_k")


def checks_sorted(checks: pd.DataFrame) -> pd.DataFrame:
    """Failures first, then warnings, then passes; by severity within each."""
    if checks.empty:
        return checks
    return worst_first(checks, ["entity_id", "rule"])


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
