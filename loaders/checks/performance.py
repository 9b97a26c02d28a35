"""绩效自评表: weights, scores, the stated 总分, and how missed targets were scored."""

from __future__ import annotations

from collections import defaultdict

from loaders.checks.core import (
    AMOUNT_TOL,
    SCORE_TOL,
    Context,
    finding,
    fmt,
    group_by,
    keys_of,
    rule,
    unverifiable_if_unprinted,
)
from loaders.checks.locate import execution_ref, figure_ref, group_weight_ref, total_ref
from loaders.numbers import parse_measure

FAMILY = "performance"


_TABLE = ("doc_id", "project", "table")  # one 绩效自评表: a projects row and its indicators


def _table_key(r: dict) -> tuple:
    return tuple(r.get(c) for c in _TABLE)


def _indicators_by_table(ctx: Context) -> dict[tuple, list[dict]]:
    return ctx.cached("indicators_by_table", lambda: group_by(ctx.records("indicators"), *_TABLE))


def _name(r: dict) -> str:
    return r.get("project") or "部门整体"


@rule("PERF-WEIGHTS", FAMILY, "medium", "各指标分值（含预算执行率分值）之和等于满分")
def weights_sum(ctx: Context):
    indicators = _indicators_by_table(ctx)
    for p in ctx.records("projects"):
        rows = [r for r in indicators.get(_table_key(p), ()) if r.get("weight") is not None]
        if p.get("max_score") is None or not rows:
            continue
        weights = [r["weight"] for r in rows]
        if p.get("execution_weight") is not None:
            weights.append(p["execution_weight"])
        expected = sum(weights)
        yield finding(
            f"{_name(p)} 分值合计",
            expected,
            p["max_score"],
            SCORE_TOL,
            total_ref(ctx, p, p["max_score"]),
            f"满分 {fmt(p['max_score'])}，{len(weights)} 项分值之和 {fmt(expected)}",
            keys_of(p),
        )


@rule("PERF-GROUP-WEIGHT", FAMILY, "medium", "一级指标下各指标分值之和等于其标注分值（如“(30分)”）")
def group_weights(ctx: Context):
    for rows in _indicators_by_table(ctx).values():
        groups: dict[str, list[dict]] = defaultdict(list)
        for r in rows:
            if r.get("level1") and r.get("level1_weight") is not None:
                groups[r["level1"]].append(r)
        for level1, members in groups.items():
            weighted = [r for r in members if r.get("weight") is not None]
            if not weighted:
                continue
            first = members[0]
            expected = sum(r["weight"] for r in weighted)
            yield finding(
                f"{_name(first)} {level1} 分值",
                expected,
                first["level1_weight"],
                SCORE_TOL,
                group_weight_ref(ctx, first),
                f"标注 {fmt(first['level1_weight'])} 分，{len(weighted)} 项指标分值之和 {fmt(expected)}",
                keys_of(first),
            )


def _score_finding(subject: str, score: float, weight: float, fail: bool, row: dict, message: str,
                   ref: str | None = None) -> dict:
    """A score against its weight (expected = weight, found = score), failing where ``fail``;
    ``ref``: the line that printed the score, where it is not the row's own line."""
    return finding(
        subject,
        weight,
        score,
        SCORE_TOL,
        ref or row["source_ref"],
        message,
        keys_of(row),
        status="fail" if fail else "pass",
    )


def _full_marks(score: float, weight: float) -> bool:
    return score >= weight - SCORE_TOL


def _le(subject: str, score: float, weight: float, row: dict, ref: str | None = None) -> dict:
    return _score_finding(
        subject, score, weight, score - weight > SCORE_TOL, row, f"得分 {fmt(score)}，分值 {fmt(weight)}", ref
    )


@rule("PERF-SCORE-LE-WEIGHT", FAMILY, "high", "得分不超过分值")
def score_le_weight(ctx: Context):
    for r in ctx.records("indicators"):
        if r.get("score") is not None and r.get("weight") is not None:
            # Located only where it fails: a pass has no offending figure (and 500 rows a table).
            over = r["score"] - r["weight"] > SCORE_TOL
            ref = figure_ref(ctx, r["doc_id"], r["source_ref"], [r["weight"], r["score"]], window=8) if over else None
            yield _le(f"{_name(r)} {r['name']}", r["score"], r["weight"], r, ref)
    for p in ctx.records("projects"):
        if p.get("execution_score") is not None and p.get("execution_weight") is not None:
            yield _le(f"{_name(p)} 预算执行率", p["execution_score"], p["execution_weight"], p,
                      execution_ref(ctx, p, p["execution_score"]))
        if p.get("score") is not None and p.get("max_score") is not None:
            yield _le(f"{_name(p)} 总分", p["score"], p["max_score"], p, total_ref(ctx, p, p["score"]))


@rule("PERF-TOTAL", FAMILY, "high", "总分 = 各指标得分之和 + 预算执行率得分")
def total_score(ctx: Context):
    indicators = _indicators_by_table(ctx)
    for p in ctx.records("projects"):
        rows = indicators.get(_table_key(p), ())
        scores = [r["score"] for r in rows if r.get("score") is not None]
        if p.get("score") is None or not scores:
            continue
        unscored = [r["name"] for r in rows if r.get("weight") is not None and r.get("score") is None]
        if p.get("execution_score") is not None:
            scores.append(p["execution_score"])
        elif p.get("execution_weight") is not None:
            unscored.append("预算执行率")
        expected = sum(scores)
        row = finding(
            f"{_name(p)} 总分",
            expected,
            p["score"],
            SCORE_TOL,
            total_ref(ctx, p, p["score"]),
            f"印总分 {fmt(p['score'])}，{len(scores)} 项得分之和 {fmt(expected)}",
            keys_of(p),
        )
        yield unverifiable_if_unprinted(row, unscored[:3], "未列示得分")


@rule("PERF-MISSED-FULL", FAMILY, "medium", "未完成目标（完成度 < 1）的指标不应得满分")
def missed_target_full_score(ctx: Context):
    for r in ctx.records("indicators"):
        c, score, weight = r.get("completion"), r.get("score"), r.get("weight")
        if c is None or score is None or weight is None or c >= 1 - 1e-9:
            continue
        yield _score_finding(
            f"{_name(r)} {r['name']}",
            score,
            weight,
            _full_marks(score, weight),
            r,
            f"目标 {r.get('target_text')}，实际 {r.get('actual_text')}（完成 {c:.2%}），得分 {fmt(score)}/{fmt(weight)}",
            figure_ref(ctx, r["doc_id"], r["source_ref"], [weight, score], window=8),
        )


@rule("PERF-OVERSPEND-FULL", FAMILY, "medium", "执行数超出预算（执行率 > 100%）的预算执行率不应得满分")
def overspend_full_score(ctx: Context):
    for p in ctx.records("projects"):
        actual, budget = p.get("actual"), p.get("budget_adjusted")
        score, weight = p.get("execution_score"), p.get("execution_weight")
        if None in (actual, budget, score, weight) or not budget or actual <= budget + AMOUNT_TOL:
            continue
        yield _score_finding(
            f"{_name(p)} 预算执行率得分",
            score,
            weight,
            _full_marks(score, weight),
            p,
            f"执行 {fmt(actual)} > 预算 {fmt(budget)}（{actual / budget:.1%}），得分 {fmt(score)}/{fmt(weight)}",
            execution_ref(ctx, p, score),
        )


def _same_unit(a: str, b: str) -> bool:
    """万 and 万元, 次 and 次检测: one unit written out further than the other."""
    return a.startswith(b) or b.startswith(a)


@rule("PERF-PAIRING", FAMILY, "low", "指标的目标值与实际值可比（同为数值且单位一致）")
def target_actual_pair(ctx: Context):
    for r in ctx.records("indicators"):
        t, a = parse_measure(r.get("target_text")), parse_measure(r.get("actual_text"))
        if not t.text or not a.text or (not t.is_numeric and not a.is_numeric):
            continue  # both qualitative, or one not printed: nothing to pair
        if t.is_numeric != a.is_numeric:
            problem = "目标为数值、实际为文字" if t.is_numeric else "目标为文字、实际为数值"
        elif t.unit and a.unit and not _same_unit(t.unit, a.unit):
            problem = f"单位不一致（{t.unit} / {a.unit}）"
        else:
            problem = None
        # The line printing the actual (a cell printed over two lines is matched by its last).
        texts = (str(m).strip().splitlines()[-1].strip() for m in (r.get("target_text"), r.get("actual_text"))
                 if m and str(m).strip())
        marks = [m for m in texts if m]
        yield finding(
            f"{_name(r)} {r['name']}",
            t.value,
            a.value,
            0,
            figure_ref(ctx, r["doc_id"], r["source_ref"], marks, window=6) if problem else r["source_ref"],
            problem or f"目标 {t.text} 与实际 {a.text} 可比",
            keys_of(r),
            status="warn" if problem else "pass",
        )
