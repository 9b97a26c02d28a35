"""The dashboard's pure modules as the brief calls them. They are changing while the brief is used,
so each call falls back to an older builder (or the brief's own) where a newer one is missing;
the brief then shows the same figures as the pages."""

from __future__ import annotations

import pandas as pd

from briefing.context import Context


def department_years(ctx: Context) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """(yearly, wide): each department's total of each phase with its line (``dashboard.totals``),
    or None where that module is not there."""
    try:
        from dashboard import totals as tt
    except ImportError:
        return None
    f = ctx.frames
    lines, docs, tables, projects = f["budget_lines"], f["documents"], f.get("tables"), f["projects"]
    totals = tt.department_totals(lines, docs, tables, projects)
    yearly = tt.year_totals(totals)
    wide = tt.budget_vs_actual(yearly, tt.execution_pairs(lines, tables, projects))
    return yearly, wide


def phase_chart_figure(ctx: Context, yearly: pd.DataFrame | None, shown: pd.DataFrame):
    """The 预算与决算 page's phase chart: ``year_phase_figure`` over the yearly totals where it exists,
    else ``phase_figure`` over the figures shown."""
    from dashboard import budget as bd

    if yearly is not None and hasattr(bd, "year_phase_figure"):
        return bd.year_phase_figure(yearly, ctx.labels, ctx.lang)
    return bd.phase_figure(shown, ctx.labels, ctx.lang)


GAP_PAIRS = ("budget_adjusted", "budget_initial")


def gaps(ctx: Context, eid: str, n: int = 10) -> pd.DataFrame:
    """The largest gaps by 类/款 (level ≥ 1) with their stated reasons: the 预算与决算 page's
    ``dashboard.gaps.budget_gaps`` (the comparison with more rows, as the page picks it), else
    ``briefing.gaps.largest_gaps``. Columns: doc_id, code, item, level, a, b, a_measure, b_measure,
    a_ref, b_ref, difference, ratio, reason, reason_ref."""
    lines, stated, text = ctx.of("budget_lines", eid), ctx.of("stated_changes", eid), ctx.of("lines")
    try:
        from dashboard.gaps import budget_gaps
    except ImportError:
        from briefing.gaps import largest_gaps

        return largest_gaps(lines, text, stated, n)
    found = {a: budget_gaps(lines, a, "actual", stated, text) for a in GAP_PAIRS}
    found = {a: g[g["level"].fillna(0) >= 1] for a, g in found.items()}
    a = max(GAP_PAIRS, key=lambda k: len(found[k]))
    g = found[a]
    if g.empty:
        return g.assign(a_measure=a, b_measure="actual")
    if "derived" in g:
        g = g[~g["derived"].fillna(False).astype(bool)]
    g = g.reindex(g["difference"].abs().sort_values(ascending=False, kind="stable").index).head(n)
    g = g.assign(a_measure=a, b_measure="actual")
    g["reason"] = g["reason"].where(g["reason"].astype(str).str.len() > 0, None) if "reason" in g else None
    return g.reset_index(drop=True)


def project_reasons(ctx: Context, flagged: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """``flagged`` with ``reason`` / ``reason_ref`` / ``reason_from``: the 项目执行 page's
    ``dashboard.reasons`` over the lines dataset, else the project's own deviation_note."""
    try:
        from dashboard import reasons as rs
    except ImportError:
        rs = None
    if rs is not None and not flagged.empty:
        text = ctx.of("lines")
        text = text[text["doc_id"].isin(set(flagged["doc_id"]))]
        try:
            found = rs.candidates(flagged, ctx.of("indicators"), text, rows)
            return rs.with_reasons(flagged, found, ctx.lang)
        except Exception as exc:  # noqa: BLE001 - a module in flux: the project's own note instead
            import sys

            print(f"briefing: dashboard.reasons failed ({type(exc).__name__}: {exc}); using deviation notes",
                  file=sys.stderr)
    note = flagged["deviation_note"] if "deviation_note" in flagged else pd.Series(None, index=flagged.index)
    return flagged.assign(reason=note.fillna(""), reason_ref=flagged["source_ref"].where(note.notna()),
                          reason_from="")
