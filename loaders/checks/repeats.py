"""A figure printed twice must agree: Extraction.repeats, and tables vs the prose."""

from __future__ import annotations

from collections import defaultdict

from loaders.checks.core import AMOUNT_TOL, Context, doc_keys, finding, fmt, keys_of, rule
from loaders.readers.normalize import no_blanks

FAMILY = "repeat"


@rule("DUP-AGREE", FAMILY, "high", "同一数字两处印出应一致")
def repeats_agree(ctx: Context):
    for doc_id, doc in ctx.docs.items():
        keys = doc_keys(ctx, doc_id)
        for rep in getattr(doc.extraction, "repeats", ()):
            field = "amount" if "amount" in rep.first else "count"
            first, second = rep.first.get(field), rep.second.get(field)
            if first is None or second is None:
                continue
            tol = AMOUNT_TOL if field == "amount" else 0.0
            subject = f"{rep.dataset} {'/'.join(str(k) for k in rep.key if k is not None)}"
            yield finding(
                subject,
                first,
                second,
                tol,
                rep.second.get("source_ref", ""),
                f"{rep.first.get('source_ref')} 印 {fmt(first)}，{rep.second.get('source_ref')} 印 {fmt(second)}",
                keys,
            )


def item_key(item) -> str:
    """An item as named, without spaces and list numbering: the table's 基本支出 is the prose's."""
    return no_blanks(str(item or "")).lstrip("一二三四五六七八九十、（）()0123456789.")


def _figure_key(r: dict, disclosure: dict[str, str]) -> tuple:
    """The same figure in a table and in the prose: disclosure (a 说明 and its tables may be
    two files), item as named, measure, column."""
    return (disclosure.get(r["doc_id"], r["doc_id"]), item_key(r["item"]), r["measure"], r.get("breakdown"))


@rule("DUP-NARRATIVE", FAMILY, "medium", "说明中的数字与表中同一项目同一口径的数字一致")
def narrative_agrees_with_tables(ctx: Context):
    disclosure = {d["doc_id"]: d.get("disclosure_id") or d["doc_id"] for d in ctx.records("documents")}
    rows = [r for r in ctx.records("budget_lines") if r.get("amount") is not None]
    tables: dict[tuple, list[dict]] = defaultdict(list)
    for r in rows:
        if r.get("table") != "narrative" and r.get("origin") in (None, "table"):
            tables[_figure_key(r, disclosure)].append(r)  # a 绩效 attachment measures other things
    for r in rows:
        if r.get("table") != "narrative":
            continue
        printed = tables.get(_figure_key(r, disclosure))
        if not printed:
            continue
        best = min(printed, key=lambda t: abs(t["amount"] - r["amount"]))
        yield finding(
            f"{r['item']}（{r['measure']}）",
            best["amount"],
            r["amount"],
            AMOUNT_TOL,
            r["source_ref"],
            f"说明 {r['source_ref']} 印 {fmt(r['amount'])}，{best['table']} {best['source_ref']} 印 {fmt(best['amount'])}"
            + ("" if best["doc_id"] == r["doc_id"] else "（同一公开的另一文件）"),
            keys_of(r),
        )
