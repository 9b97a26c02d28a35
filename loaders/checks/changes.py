"""A change stated in prose against the two figures it relates, where both are printed.

Two sources of statements: the ``stated_changes`` dataset (a change on the prior year, its
current figure printed, the prior one printed elsewhere: in the same disclosure, or by the
same entity's document of the prior year, which printed that year's budget or actual), and
sentences that print both years' figures beside their rate ("2023 年预算数 2.1 万元，2022 年
预算数 3 万元，变动率为 -3%", :mod:`loaders.families.stated_pairs`). A change whose prior
figure is printed nowhere is RATE-STATED's (its rate against its own amount), not this rule's.
"""

from __future__ import annotations

import importlib

from loaders.checks.core import (
    Context,
    amount_tol,
    decimals_of,
    doc_keys,
    finding,
    fmt,
    keys_of,
    line_text,
    printed_decimals,
    rate_finding,
    rule,
)
from loaders.checks.locate import Pct, figure_ref
from loaders.checks.repeats import item_key

FAMILY = "change"
# The prior year's figure a comparison names, and the document kind that prints it as its own.
_PRIOR_PHASE = {"prior_year_budget": ("budget", "budget_initial"), "prior_year_actual": ("final_accounts", "actual")}


def _half_unit(value: float) -> float:
    return 0.5 * 10 ** (-decimals_of(round(value, 2), 2))


def _moved(current: float, prior: float, dc: float, dp: float) -> float:
    """How far the rounding of the two amounts (±dc, ±dp) can move (current − prior) / prior."""
    value = (current - prior) / prior
    corners = [(current + a - (prior + b)) / (prior + b) for a in (-dc, dc) for b in (-dp, dp) if prior + b]
    return max((abs(c - value) for c in corners), default=0.0)


@rule("CHG-PAIR", FAMILY, "medium", "说明中写明的变动率与同句印出的本年数、上年数相符")
def year_pair_rates(ctx: Context):
    pairs = importlib.import_module("loaders.families.stated_pairs")
    for doc_id, doc in ctx.docs.items():
        keys = doc_keys(ctx, doc_id)
        for p in pairs.year_pairs(doc.source):
            if not p.prior:
                continue
            expected = (p.current - p.prior) / p.prior
            moved = _moved(p.current, p.prior, _half_unit(p.current), _half_unit(p.prior))
            yield rate_finding(
                f"{p.label} {p.current_year}/{p.prior_year}",
                expected,
                p.stated,
                moved,
                line_text(ctx, doc_id, p.source_ref),
                p.source_ref,
                f"写明{p.label} {{stated}}，{p.current_year} 年 {fmt(p.current)} 与 {p.prior_year} 年 "
                f"{fmt(p.prior)} 重算为 {expected:.2%}",
                keys,
            )


def _figure_keys(r: dict) -> list[tuple]:
    """How a figure is matched across printings: 三公 by item; a budget line by its code,
    else by the item as named and its column."""
    if r.get("_dataset") == "sangong":
        return [("sangong", r["item"])]
    code = str(r.get("code") or "").strip()
    if code:
        return [("budget_lines", "code", code)]
    return [("budget_lines", item_key(r["item"]), r.get("breakdown"))]


# What _printed keeps of a figure: its keys, how it is matched, and what a finding cites.
_FIGURE_COLUMNS = {
    "sangong": ("doc_id", "entity_id", "year", "doc_kind", "item", "measure", "amount", "source_ref"),
    "budget_lines": ("doc_id", "entity_id", "year", "doc_kind", "code", "item", "breakdown", "measure", "amount",
                     "source_ref"),
}
_FIGURE_WHERE = ("entity_id", "year", "doc_kind", "measure")


def _printed(ctx: Context) -> dict[tuple, list[dict]]:
    """Printed figures (not derived) by (entity, year, doc_kind, measure, figure key): those a
    statement may be compared with (:func:`_prior_figure`'s keys), in the order printed."""

    def compute():
        wanted = set()
        for s in _compared(ctx):
            for k in _figure_keys({**s, "_dataset": s["dataset"]}):
                wanted.add((s["entity_id"], s["year"], s["doc_kind"], s["against"], *k))
                kind, measure = _PRIOR_PHASE.get(s["against"], (None, None))
                if kind is not None and s["year"] is not None:
                    wanted.add((s["entity_id"], s["year"] - 1, kind, measure, *k))
        # Only the documents and measures asked about, and only the columns matched and
        # cited: an entity's budget_lines are most of its figures, and most are not asked.
        where = frozenset(w[:4] for w in wanted)
        out: dict[tuple, list[dict]] = {}
        for name in ("sangong", "budget_lines"):
            for r in ctx.records_of(name, _FIGURE_COLUMNS[name], _FIGURE_WHERE, where):
                if r.get("amount") is None:
                    continue
                r = {**r, "_dataset": name}
                for k in _figure_keys(r):
                    key = (r["entity_id"], r["year"], r["doc_kind"], r["measure"], *k)
                    if key in wanted:
                        out.setdefault(key, []).append(r)
        return out

    return ctx.cached("printed_figures", compute)


def _compared(ctx: Context) -> list[dict]:
    """The statements CHG-PRIOR compares: a current figure and a change (amount or rate)."""
    return [s for s in ctx.records("stated_changes") if s.get("current_amount") is not None
            and (s.get("change_amount") is not None or s.get("change_pct") is not None)]


def _prior_figure(ctx: Context, s: dict) -> dict | None:
    """The prior-year figure a statement compares against, where a document printed it:
    the statement's own document (its prior-year column), else the entity's prior-year
    document of the kind that prints that phase as its own."""
    printed = _printed(ctx)
    r = {**s, "_dataset": s["dataset"]}
    for k in _figure_keys(r):
        own = printed.get((s["entity_id"], s["year"], s["doc_kind"], s["against"], *k))
        if own:
            return _closest(own, s)
        kind, measure = _PRIOR_PHASE.get(s["against"], (None, None))
        if kind is None:
            continue
        other = printed.get((s["entity_id"], s["year"] - 1, kind, measure, *k))
        if other:
            return _closest(other, s)
    return None


def _closest(candidates: list[dict], s: dict) -> dict:
    """Of the figures printed under one name (a code may be printed by several tables, for
    all funds and for one fund), the one nearest what the statement implies; marked
    ambiguous where the printings differ, so a mismatch is only a warning."""
    current, amount, pct = s["current_amount"], s.get("change_amount"), s.get("change_pct")
    if amount is not None:
        implied = current - amount
    elif pct is not None and pct != -1:
        implied = current / (1 + pct)
    else:
        implied = current
    best = min(candidates, key=lambda c: abs(c["amount"] - implied))
    distinct = sorted({round(c["amount"], 2) for c in candidates})
    return {**best, "_others": [v for v in distinct if v != round(best["amount"], 2)]}


def _self_consistent(s: dict) -> bool:
    """Whether a statement's amount and rate agree with each other (at the rate's printed
    precision), or it prints only one of them: then a disagreement with another year's
    document may be that year's figure restated, not this sentence's error."""
    amount, pct, current = s.get("change_amount"), s.get("change_pct"), s["current_amount"]
    if amount is None or pct is None or current == amount:
        return True
    implied = amount / (current - amount)
    tol = 0.5 * 10 ** (-printed_decimals(pct, s.get("text"))) / 100
    return abs(implied - pct) <= tol + _moved(current, current - amount, 0.005, 0.005)


def _judged(row: dict, s: dict, prior: dict) -> dict:
    if row["status"] != "fail":
        return row
    if prior.get("_others"):
        row["status"] = "warn"
        row["message"] += f"；该项另印有 {'、'.join(fmt(v) for v in prior['_others'][:3])}，所指之数不能确定"
    elif prior["doc_id"] != s["doc_id"] and _self_consistent(s):
        row["status"] = "warn"
        row["message"] += "；本句增减额与增减率彼此相符，上年文件所印之数或已调整口径"
    return row


@rule("CHG-PRIOR", FAMILY, "medium", "说明中写明的增减额、增减率与印出的本年数、上年数相符（含上年文件印出的数）",
      scope="entity")
def stated_change_against_prior(ctx: Context):
    for s in _compared(ctx):
        current = s["current_amount"]
        prior = _prior_figure(ctx, s)
        if prior is None:
            continue
        where = prior["source_ref"] if prior["doc_id"] == s["doc_id"] else f"{prior['year']} 年文件 {prior['source_ref']}"
        name = s["item"]
        if s.get("change_amount") is not None:
            expected = current - prior["amount"]
            ref = figure_ref(ctx, s["doc_id"], s["source_ref"], [abs(s["change_amount"])], window=4)
            yield _judged(finding(
                f"{name} 增减额", expected, s["change_amount"], amount_tol(2), ref,
                f"写明增减 {fmt(s['change_amount'])}，本年 {fmt(current)} − 上年 {fmt(prior['amount'])}（{where}）"
                f" = {fmt(expected)}",
                keys_of(s),
            ), s, prior)
        if s.get("change_pct") is not None and prior["amount"]:
            expected = (current - prior["amount"]) / prior["amount"]
            moved = _moved(current, prior["amount"], 0.005, 0.005)
            ref = figure_ref(ctx, s["doc_id"], s["source_ref"], [Pct(abs(s["change_pct"]))], window=4)
            yield _judged(rate_finding(
                f"{name} 增减率", expected, s["change_pct"], moved, s.get("text"),
                ref,
                f"写明 {{stated}}，本年 {fmt(current)} 与上年 {fmt(prior['amount'])}（{where}）重算为 {expected:.2%}",
                keys_of(s),
            ), s, prior)
