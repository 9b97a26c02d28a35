"""Every stated rate recomputed from the figures it rests on."""

from __future__ import annotations

import importlib

from loaders.checks.core import (
    AMOUNT_TOL,
    Context,
    doc_keys,
    finding,
    fmt,
    keys_of,
    line_text,
    rate_tol,
    rule,
)

FAMILY = "rate"


def _ratio_tol(stated: float, numerator: float, denominator: float, printed: str | None) -> float:
    """The stated rate's printed precision, plus what 0.01 万元 in either amount moves the ratio."""
    amounts = AMOUNT_TOL * (1 + abs(numerator / denominator)) / abs(denominator)
    return rate_tol(stated, printed) + amounts


@rule("RATE-EXEC", FAMILY, "medium", "填报的预算执行率 = 全年执行数 ÷ 全年预算数")
def execution_rate(ctx: Context):
    for p in ctx.records("projects"):
        stated, actual, budget = p.get("stated_execution_rate"), p.get("actual"), p.get("budget_adjusted")
        if stated is None or actual is None or budget is None:
            continue
        subject = f"{p['project']} 执行率"
        if budget == 0:
            yield finding(
                subject, None, stated, 0, p["source_ref"], "全年预算数为 0，无法重算执行率", keys_of(p)
            )
            continue
        tol = _ratio_tol(stated, actual, budget, line_text(ctx, p["doc_id"], p["source_ref"]))
        yield finding(
            subject,
            actual / budget,
            stated,
            tol,
            p["source_ref"],
            f"填报 {stated:.2%}，{fmt(actual)} ÷ {fmt(budget)} = {actual / budget:.2%}",
            keys_of(p),
        )


def _get(obj, *names):
    for name in names:
        value = obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)
        if value is not None:
            return value
    return None


@rule("RATE-STATED", FAMILY, "medium", "说明中写明的比率按其依据的数字重算")
def stated_rates(ctx: Context):
    """Uses ``loaders.narrative.stated_rates(source)`` where the narrative parser offers it.

    Each item gives the rate as printed (fraction) and the two amounts it is a ratio of:
    ``rate``, ``numerator``, ``denominator``, ``source_ref`` (and optionally ``subject``).
    """
    try:
        narrative = importlib.import_module("loaders.narrative")
    except ImportError:
        return
    if not hasattr(narrative, "stated_rates"):
        return
    for doc_id, doc in ctx.docs.items():
        for item in narrative.stated_rates(doc.source) or ():
            stated = _get(item, "rate", "stated", "value")
            num = _get(item, "numerator", "num")
            den = _get(item, "denominator", "den", "base")
            ref = _get(item, "source_ref", "ref") or ""
            if stated is None or num is None or den is None or den == 0:
                continue
            subject = _get(item, "subject", "label", "text") or "说明中的比率"
            yield finding(
                str(subject)[:60],
                num / den,
                stated,
                _ratio_tol(stated, num, den, line_text(ctx, doc_id, ref)),
                ref,
                f"写明 {stated:.2%}，{fmt(num)} ÷ {fmt(den)} = {num / den:.2%}",
                doc_keys(ctx, doc_id),
            )
