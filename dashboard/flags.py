"""Figures that a failing check rests on (pure): a ⚠ column for tables, a red outline for charts.

A check row points at the line it read (doc_id + source_ref); a figure printed on that line is
marked with the rule codes. Only ``fail`` rows mark a figure (warnings are on the 核查 page).
"""

from __future__ import annotations

from urllib.parse import urlencode

import pandas as pd
import plotly.graph_objects as go

FLAG = "check_flag"
AUDIT_PATH = "audit"
OUTLINE = "#d62728"
MARK = "⚠"


def failing_rules(checks: pd.DataFrame) -> dict[tuple[str, str], str]:
    """(doc_id, source_ref) → 'RULE-A, RULE-B' for the failing check rows."""
    if checks.empty:
        return {}
    fail = checks[checks["status"] == "fail"]
    # A plain loop over three columns: a groupby here cut thousands of small frames (0.5 s a page).
    rules: dict[tuple[str, str], set[str]] = {}
    for doc, ref, rule in zip(fail["doc_id"], fail["source_ref"], fail["rule"], strict=True):
        if pd.notna(doc) and pd.notna(ref):  # groupby leaves out a missing key
            rules.setdefault((doc, ref), set()).add(rule)
    return {key: ", ".join(sorted(rules[key])) for key in sorted(rules)}


# Rules whose finding is about a project's own figures (its subject: "<project> 总分", "<project>
# 预算执行率得分"…): they mark the project's row although they point at the line of the figure.
PROJECT_RULES = ("PERF-TOTAL", "PERF-OVERSPEND-FULL", "RATE-EXEC", "RATE-STATED", "FUND-TOTAL")


def mark(df: pd.DataFrame, checks: pd.DataFrame, subjects: pd.Series | None = None,
         rules: tuple[str, ...] = ()) -> pd.DataFrame:
    """``df`` with a ``flag`` column: the failing rules on the row's line ('' where none).

    With ``subjects`` (per row, what a finding names: a project, "<project> <indicator>"), a failing
    finding of the same document naming the row also marks it: its subject equal to the row's, or,
    for a rule among ``rules``, beginning with it and a space. A finding points at the line of the
    offending figure, which need not be the row's own line (a project's title line, its 总分 row)."""
    by_line = failing_rules(checks)
    out = df.copy()
    if out.empty or "doc_id" not in out or "source_ref" not in out:
        out[FLAG] = pd.Series("", index=out.index, dtype=object)
        return out
    flags = [by_line.get((d, r), "") for d, r in zip(out["doc_id"], out["source_ref"], strict=True)]
    if subjects is not None and not checks.empty:
        named = _failing_by_subject(checks, rules)
        flags = [", ".join(sorted(set(filter(None, [*f.split(", "), *named.get((d, s), [])]))))
                 for f, d, s in zip(flags, out["doc_id"], subjects, strict=True)]
    out[FLAG] = flags
    return out


def _failing_by_subject(checks: pd.DataFrame, rules: tuple[str, ...]) -> dict[tuple[str, str], list[str]]:
    fail = checks[checks["status"] == "fail"].dropna(subset=["subject"])
    out: dict[tuple[str, str], list[str]] = {}
    for doc, subject, rule in zip(fail["doc_id"], fail["subject"].astype(str), fail["rule"], strict=True):
        out.setdefault((doc, subject), []).append(rule)
        if rule in rules and " " in subject:
            out.setdefault((doc, subject.rsplit(" ", 1)[0]), []).append(rule)
    return out


def flag_text(flag: str) -> str:
    """'⚠ RULE' for a table cell; '' where nothing failed."""
    return f"{MARK} {flag}" if flag else ""


def audit_url(entity_id: str | None = None, doc_kind: str | None = None, lang: str = "zh") -> str:
    """Relative link to the 核查 page narrowed to a department and document kind (in the language)."""
    params = {k: v for k, v in (("dept", entity_id), ("kind", doc_kind), ("lang", "en" if lang == "en" else None))
              if v}
    return f"{AUDIT_PATH}?{urlencode(params)}" if params else AUDIT_PATH


def with_flag_columns(shown: pd.DataFrame, marked: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Add the ⚠ column (rule codes) and a link to the 核查 page to a display table built from ``marked``."""
    out = shown.copy()
    flags = list(marked[FLAG]) if FLAG in marked else [""] * len(out)
    head, link = flag_headers(lang)
    out.insert(0, head, [flag_text(f) for f in flags])
    if any(flags):
        out[link] = [audit_url(e, k, lang) if f else ""
                     for f, e, k in zip(flags, marked["entity_id"], marked["doc_kind"], strict=True)]
    return out


def flag_headers(lang: str = "zh") -> tuple[str, str]:
    return ("⚠ 核查", "核查页") if lang == "zh" else ("⚠ check", "audit page")


def outline(flags, width: float = 3.0) -> dict:
    """marker.line for bars: a red outline where a failing check rests on the figure."""
    flags = list(flags)
    return {"color": [OUTLINE if f else "rgba(0,0,0,0)" for f in flags],
            "width": [width if f else 0 for f in flags]}


def add_flag_points(fig: go.Figure, x, y, flags, lang: str = "zh") -> go.Figure:
    """Red rings around marked points, one legend entry naming what they mean."""
    pts = [(a, b, f) for a, b, f in zip(x, y, flags, strict=True) if f]
    if not pts:
        return fig
    name = "⚠ 核查未通过" if lang == "zh" else "⚠ failed a check"
    fig.add_scatter(
        x=[p[0] for p in pts], y=[p[1] for p in pts], mode="markers", name=name, showlegend=True,
        marker={"symbol": "circle-open", "size": 16, "color": OUTLINE, "line": {"width": 2.5}},
        text=[p[2] for p in pts], hovertemplate="⚠ %{text}<extra></extra>",
    )
    return fig
