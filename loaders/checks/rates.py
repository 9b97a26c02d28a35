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
    rate_finding,
    rule,
)
from loaders.checks.locate import execution_ref

FAMILY = "rate"


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
        recomputed = _recompute(RELATIONS["completion"], actual, budget)
        if recomputed is None:
            continue
        expected, moved = recomputed
        ref = execution_ref(ctx, p)
        yield rate_finding(
            subject,
            expected,
            stated,
            moved,
            line_text(ctx, p["doc_id"], ref),
            ref,
            f"填报 {{stated}}，{fmt(actual)} ÷ {fmt(budget)} = {expected:.2%}",
            keys_of(p),
        )


# How a stated rate relates its two figures (loaders.families.narrative.StatedRate.kind).
RELATIONS = {
    "completion": lambda n, d: n / d,
    "share": lambda n, d: n / d,
    "difference": lambda n, d: n / d - 1,
    "growth": lambda n, d: n / (d - n),
}
KIND_NAMES = {"completion": "完成率", "share": "占比", "difference": "差异率", "growth": "增减率"}


def _get(obj, *names):
    for name in names:
        value = obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)
        if value is not None:
            return value
    return None


def _recompute(relation, num: float, den: float) -> tuple[float, float] | None:
    """The rate from the two figures, and how far 0.01 万元 in either can move it."""
    try:
        value = relation(num, den)
        corners = [
            relation(num + a, den + b) for a in (-AMOUNT_TOL, AMOUNT_TOL) for b in (-AMOUNT_TOL, AMOUNT_TOL)
        ]
    except ZeroDivisionError:
        return None
    return value, max(abs(c - value) for c in corners)


def stated_rates_of(ctx: Context, doc_id: str, doc) -> list:
    """``narrative.stated_rates`` of a document, read once per run (RATE-STATED, PERF-PROSE)."""
    narrative = importlib.import_module("loaders.families.narrative")
    return ctx.cached(("stated_rates", doc_id),
                      lambda: list(narrative.stated_rates(doc.source, getattr(doc, "meta", None)) or ()))


@rule("RATE-STATED", FAMILY, "medium", "说明中写明的比率（完成率、占比、增减率）按其依据的数字重算")
def stated_rates(ctx: Context):
    """Over ``loaders.families.narrative.stated_rates(source, meta)`` (looked up at run time).

    Each item: ``kind`` (completion | share | difference | growth), ``stated`` (fraction),
    ``numerator``, ``denominator``, ``source_ref``, ``label``. Other kinds are not recomputed.
    """
    for doc_id, doc in ctx.docs.items():
        keys = doc_keys(ctx, doc_id)
        try:
            items = stated_rates_of(ctx, doc_id, doc)
        except Exception as exc:  # the prose reader failing costs this rule, not the build
            yield finding("说明中的比率", None, None, 0, "", f"未能读取说明中的比率（{exc}）", keys)
            continue
        for item in items:
            stated = _get(item, "stated", "rate")
            num, den = _get(item, "numerator"), _get(item, "denominator")
            kind = _get(item, "kind") or "completion"
            if stated is None or num is None or den is None or kind not in RELATIONS:
                continue
            recomputed = _recompute(RELATIONS[kind], num, den)
            if recomputed is None:
                continue
            expected, moved = recomputed
            ref = _get(item, "source_ref") or ""
            label = _get(item, "label") or ""
            yield rate_finding(
                f"{KIND_NAMES[kind]} {label}"[:60],
                expected,
                stated,
                moved,
                line_text(ctx, doc_id, ref),
                ref,
                f"写明 {{stated}}，按 {fmt(num)} 与 {fmt(den)} 重算为 {expected:.2%}",
                keys,
            )
