"""A 绩效自评表 against itself and against its report: the 预算执行率 score against
weight × rate, the report's prose figures against the table, an indicator row printed twice
that disagrees with itself, a met target scored below its weight with no reason given."""

from __future__ import annotations

import math
import re
import unicodedata

from loaders.checks.core import (
    AMOUNT_TOL,
    SCORE_TOL,
    Context,
    decimals_of,
    doc_keys,
    finding,
    fmt,
    group_by,
    keys_of,
    line_text,
    printed_decimals,
    rate_finding,
    rule,
)
from loaders.checks.locate import doc_lines, execution_ref, figure_ref, line_nfkc
from loaders.checks.rates import stated_rates_of
from loaders.numbers import parse_number
from loaders.readers.normalize import no_blanks

FAMILY = "performance"


def _name(r: dict) -> str:
    return r.get("project") or "部门整体"


_LITERAL = re.compile(r"(?<![\d.])\d+(?:\.\d+)?")


def literal_decimals(value: float, text: str | None) -> int:
    """Decimals of ``value`` as the line prints it ("9.92分" → 2, "10" → 0, "10.00 分" → 2);
    from the value itself where the line does not show it."""
    hits = [m.group(0) for m in _LITERAL.finditer(text or "") if abs(float(m.group(0)) - value) < 1e-9]
    if hits:
        literal = hits[-1]
        return len(literal.split(".")[1]) if "." in literal else 0
    return decimals_of(round(value, 4), 4)


@rule("PERF-EXEC-SCORE", FAMILY, "medium", "预算执行率得分 = 分值 × 执行率（执行率超过 100% 按 100% 计），按印出精度")
def execution_score(ctx: Context):
    """The national 项目支出绩效自评表 scores 预算执行率 as its 分值 × the rate, capped at the
    分值. Tolerance: half a unit of the score's printed decimals (as its line prints it) plus
    what the rate's own printed precision moves the product; a score cut rather than rounded
    is a warning."""
    for p in ctx.records("projects"):
        weight, score = p.get("execution_weight"), p.get("execution_score")
        if weight is None or score is None:
            continue
        rate = p.get("stated_execution_rate")
        ref = execution_ref(ctx, p, score)
        if rate is not None:
            rate_moved = weight * 0.5 * 10 ** (-printed_decimals(rate, line_text(ctx, p["doc_id"], execution_ref(ctx, p))))
            rate_moved /= 100
        elif p.get("actual") is not None and p.get("budget_adjusted"):
            rate = p["actual"] / p["budget_adjusted"]
            rate_moved = weight * AMOUNT_TOL / p["budget_adjusted"] * max(1.0, rate)
        else:
            continue
        decimals = literal_decimals(score, line_text(ctx, p["doc_id"], ref))
        expected = weight * min(rate, 1.0)
        tol = 0.5 * 10 ** (-decimals) + (rate_moved if rate < 1 else 0.0)
        capped = "（执行率超过 100%，按 100% 计）" if rate > 1 else ""
        row = finding(
            f"{_name(p)} 预算执行率得分", expected, score, tol, ref,
            f"得分 {fmt(score)}，分值 {fmt(weight)} × 执行率 {rate:.2%} = {expected:.2f}{capped}", keys_of(p),
        )
        scale = 10**decimals
        if row["status"] == "fail" and abs(math.floor(expected * scale + 1e-9) / scale - score) < 1e-9:
            row["status"] = "warn"
            row["message"] += "（截断而非四舍五入）"
        yield row


# --- the report's prose against the table ----------------------------------------------

_OTHER_RATE = re.compile(r"采购|公用|三公|会议|收入|控制|目标值")


def _project_of(projects: list[dict], sentence: str) -> dict | None:
    """The table a sentence speaks of: the one project it names, else (naming none) the
    document's one 部门整体 table."""
    named = [p for p in projects if p["scope"] == "project" and len(p["project"]) >= 4 and p["project"] in sentence]
    if len(named) == 1:
        return named[0]
    if named:
        return None
    whole = [p for p in projects if p["scope"] == "department"]
    return whole[0] if len(whole) == 1 else None


@rule("PERF-PROSE", FAMILY, "medium", "自评报告正文中的预算数、执行数、执行率与其自评表一致")
def prose_against_table(ctx: Context):
    by_doc = group_by([p for p in ctx.records("projects") if p.get("origin") == "self_eval"], "doc_id")
    for (doc_id,), projects in by_doc.items():
        doc = ctx.docs.get(doc_id)
        if doc is None:
            continue
        keys = doc_keys(ctx, doc_id)
        for r in stated_rates_of(ctx, doc_id, doc):
            if r.kind != "completion" or "执行率" not in r.label or _OTHER_RATE.search(r.label):
                continue
            p = _project_of(projects, r.sentence)
            if p is None:
                continue
            table = f"{p.get('table') or _name(p)} {p['source_ref']}"
            budget_field = "budget_initial" if "年初" in r.label else "budget_adjusted"
            pairs = [(r.denominator, p.get(budget_field), "预算数"), (r.numerator, p.get("actual"), "执行数")]
            for prose, printed, what in pairs:
                if prose is None or printed is None:
                    continue
                ref = figure_ref(ctx, doc_id, r.source_ref, [prose], back=4) or r.source_ref
                yield finding(
                    f"{_name(p)} {what}", printed, prose, AMOUNT_TOL, ref,
                    f"正文 {ref} 印 {fmt(prose)}，自评表（{table}）印 {fmt(printed)}", keys,
                )
            printed_rate = p.get("stated_execution_rate")
            if printed_rate is not None:
                tol_table = 0.5 * 10 ** (-printed_decimals(printed_rate, line_text(ctx, doc_id, execution_ref(ctx, p))))
                yield rate_finding(
                    f"{_name(p)} 执行率", printed_rate, r.stated, tol_table / 100,
                    line_text(ctx, doc_id, r.source_ref), r.source_ref,
                    f"正文写明 {{stated}}，自评表（{table}）印 {printed_rate:.2%}", keys,
                )


# --- indicator rows that contradict each other -------------------------------------------


def _norm(text) -> str:
    return no_blanks(unicodedata.normalize("NFKC", str(text or "")))


def _same(a, b) -> bool:
    x, y = parse_number(str(a)) if a is not None else None, parse_number(str(b)) if b is not None else None
    if x is not None and y is not None:
        return abs(x - y) <= SCORE_TOL
    return _norm(a) == _norm(b)


_FIELDS = (("target_text", "目标值"), ("actual_text", "实际值"), ("weight", "分值"), ("score", "得分"))


@rule("PERF-IND-REPEAT", FAMILY, "high", "同一指标行重复印出时，目标值、实际值、分值、得分两处一致")
def indicator_printed_twice(ctx: Context):
    """Some layouts print each indicator row twice, one line under the other (a merged
    cell's two halves); the loader keeps the first. The second must say the same."""
    squashed: dict[tuple[str, int], str] = {}  # a line's text without blanks, once per run
    for r in ctx.records("indicators"):
        if r.get("origin") == "declaration":
            continue
        lines, index = doc_lines(ctx, r["doc_id"])
        at = index.get(r.get("source_ref") or "")
        if at is None or at + 1 >= len(lines):
            continue
        name = _norm(r["name"])
        nxt = squashed.get((r["doc_id"], at + 1))
        if nxt is None:
            nxt = squashed[r["doc_id"], at + 1] = no_blanks(line_nfkc(ctx, r["doc_id"], at + 1))
        if name not in nxt:
            continue  # the next line does not print this row again (most layouts)
        second = lines[at + 1]
        cells = second.cells
        hit = next((i for i, c in enumerate(cells) if _norm(c) == name), None)
        if hit is None or _norm(lines[at].text).find(name) < 0:
            continue
        after = [c for c in cells[hit + 1 :] if c]
        if len(after) < 4:
            continue
        differ = [(label, r.get(f), after[i]) for i, (f, label) in enumerate(_FIELDS)
                  if r.get(f) is not None and not _same(r.get(f), after[i])]
        text = "；".join(f"{label} {r['source_ref']} 印 {fmt(v) if isinstance(v, float) else v}，"
                        f"{second.ref} 印 {w}" for label, v, w in differ)
        yield finding(
            f"{_name(r)} {r['name']}", None, None, 0, r["source_ref"],
            text or f"{second.ref} 重复印出，与 {r['source_ref']} 一致", keys_of(r),
            status="fail" if differ else "pass",
        )


# A note that gives no reason ("目标完成，无偏离度"): the deduction stays unexplained.
_NO_REASON = re.compile(r"^(?:无|/|-|—|－|\s)*$|无偏离|无偏差|未偏离|没有偏差")


@rule("PERF-MET-DEDUCTED", FAMILY, "low", "实际值达到目标的指标被扣分时，应写明偏差原因")
def met_but_deducted(ctx: Context):
    """A target met (completion ≥ 1) scored below its weight contradicts the row unless the
    偏差原因 says why (the form asks for it wherever points are lost); a note saying there is
    no deviation contradicts the score."""
    for r in ctx.records("indicators"):
        c, score, weight = r.get("completion"), r.get("score"), r.get("weight")
        if None in (c, score, weight) or c < 1 - 1e-9 or score >= weight - SCORE_TOL:
            continue
        note = (r.get("deviation_note") or "").strip()
        unexplained = not note or bool(_NO_REASON.search(note))
        ref = figure_ref(ctx, r["doc_id"], r["source_ref"], [weight, score], window=8)
        said = f"偏差说明“{note}”" if note else "未写偏差原因"
        yield finding(
            f"{_name(r)} {r['name']}", weight, score, SCORE_TOL, ref,
            f"目标 {r.get('target_text')}，实际 {r.get('actual_text')}（已完成），得分 {fmt(score)}/{fmt(weight)}，{said}",
            keys_of(r), status="fail" if unexplained else "pass",
        )
