"""Table identities: totals, code roll-ups, column splits, carry-over (budget_lines) and the
sources of a 绩效自评表's 年度资金总额 (project_funds)."""

from __future__ import annotations

import re
from collections import defaultdict

from loaders.checks.core import Context, group_by, rule, sum_finding, unverifiable_if_unprinted

FAMILY = "table"
_DIGITS = re.compile(r"\D")


def _code(row: dict) -> str | None:
    code = row.get("code")
    if not code:
        return None
    digits = _DIGITS.sub("", str(code))
    return digits or None


def _table_rows(ctx: Context) -> list[dict]:
    """The printed figures of the standard tables, once per run: not the prose's, and not a
    绩效 attachment's (its 公用经费 covers only 一般商品和服务支出, by its own note, so the
    standard identities do not hold there)."""
    return ctx.cached(
        "table_rows",
        lambda: [
            r
            for r in ctx.records("budget_lines")
            if r.get("table") != "narrative" and r.get("origin") in (None, "table") and r.get("amount") is not None
        ],
    )


def _columns(ctx: Context) -> dict[tuple, list[dict]]:
    """The table figures by printed column: (doc_id, table, breakdown, measure), once per run."""
    return ctx.cached(
        "table_columns", lambda: group_by(_table_rows(ctx), "doc_id", "table", "breakdown", "measure")
    )


def _label(r: dict) -> str:
    code = _code(r)
    return f"{r['table']} {code + ' ' if code else ''}{r['item']}（{r['breakdown']}/{r['measure']}）"


@rule("TBL-SUM", FAMILY, "high", "表内合计等于其各行（类）之和")
def total_equals_rows(ctx: Context):
    for rows in _columns(ctx).values():
        totals = [r for r in rows if r.get("level") == 0]
        parts = [r for r in rows if r.get("level") == 1]
        if not totals or not parts:
            continue
        if len(totals) > 1:  # 合计 and 总计 in one column: 总计 is the carry-over identity's
            totals = [r for r in totals if "总计" not in str(r["item"])] or totals[:1]
        for total in totals:
            yield sum_finding(_label(total), total, parts, "合计与各行之和")


def _children(coded: list[tuple[str, dict]], at: int, child_len: int) -> list[dict]:
    """The rows one code level below ``coded[at]`` (``coded``: a column's (code, row) pairs).

    A code printed once owns every row with its prefix. A table may print the same 类 twice
    (a second block further down); then each printing owns the rows that follow it, up to
    the next code outside its prefix.
    """
    code = coded[at][0]
    if sum(1 for c, _r in coded if c == code) == 1:
        return [r for c, r in coded if len(c) == child_len and c.startswith(code)]
    children = []
    for c, r in coded[at + 1 :]:
        if not c.startswith(code) or c == code:
            break
        if len(c) == child_len:
            children.append(r)
    return children


@rule("TBL-CODE-ROLLUP", FAMILY, "high", "类 = Σ款、款 = Σ项（按科目编码前缀）")
def code_rollup(ctx: Context):
    rows = [r for r in _table_rows(ctx) if _code(r)]
    for group in group_by(rows, "doc_id", "table", "breakdown", "measure").values():
        coded = [(_code(r), r) for r in group]
        for at, (code, parent) in enumerate(coded):
            if len(code) not in (3, 5):
                continue
            children = _children(coded, at, len(code) + 2)
            if children:
                yield sum_finding(_label(parent), parent, children, "上级科目与下级科目之和")


def _split_key(r: dict) -> tuple:
    """One printed row of a table: the total row, else its code, else its name."""
    row_id = "__total__" if r.get("level") == 0 else (_code(r) or str(r.get("item")))
    return (r["doc_id"], r["table"], r["measure"], row_id)


def _split_rule(ctx: Context, wholes: tuple[str, ...], parts: tuple[str, ...], names: dict[str, str],
                optional: dict[str, tuple[str, ...]] | None = None):
    """The first of ``wholes`` printed in a row against the sum of the ``parts`` printed there.

    ``optional[whole]`` are parts that only some layouts print beside that whole (Jiangsu's
    单位预留机动经费; 项目支出 beside a 合计 over 人员/公用经费): added where printed, never
    reported as missing where a layout has no such column."""
    optional = optional or {}
    wanted = {*wholes, *parts, *(p for ps in optional.values() for p in ps)}
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for r in _table_rows(ctx):
        if r.get("breakdown") in wanted:
            groups[_split_key(r)].append(r)
    for rows in groups.values():
        by = {}
        for r in rows:
            by.setdefault(r["breakdown"], r)  # a row printed once per column
        whole = next((w for w in wholes if w in by), None)
        printed = [by[p] for p in parts if p in by]
        if whole is None or not printed:
            continue
        extra = [p for p in optional.get(whole, ()) if p in by]
        printed += [by[p] for p in extra]
        total = by[whole]
        missing = [names[p] for p in parts if p not in by]
        row = sum_finding(
            _label(total), total, printed, f"{names[whole]}与{'+'.join(names[p] for p in (*parts, *extra))}"
        )
        if missing and row["status"] == "pass":
            continue  # the printed parts already account for the whole
        yield unverifiable_if_unprinted(row, missing)


@rule("TBL-BASIC-PROJECT", FAMILY, "high", "合计 = 基本支出 + 项目支出（+ 单位预留机动经费，如列示）")
def basic_plus_project(ctx: Context):
    yield from _split_rule(
        ctx, ("total",), ("basic", "project"),
        {"total": "合计", "basic": "基本支出", "project": "项目支出", "reserve": "单位预留机动经费"},
        optional={"total": ("reserve",)},
    )


@rule("TBL-PERS-PUBLIC", FAMILY, "medium", "人员经费 + 公用经费 = 基本支出")
def personnel_plus_public(ctx: Context):
    yield from _split_rule(
        ctx,
        ("basic", "total"),  # a 基本支出表's 合计 is the 基本支出
        ("personnel", "public"),
        {"basic": "基本支出", "total": "合计", "personnel": "人员经费", "public": "公用经费", "project": "项目支出"},
        optional={"total": ("project",)},  # a 收支总表's 合计 over 人员 | 公用 | 项目支出
    )


# 收支总表: 总计 = 本年合计 + 结转结余 (and 使用非财政拨款结余 / 结余分配 where printed).
_INCOME_PARTS = (("本年", "收入合计"), ("使用非财政拨款结余",), ("年初", "结转"), ("上年", "结转"))
_SPEND_PARTS = (("本年", "支出合计"), ("结余分配",), ("年末", "结转"))


def _matches(item: str, words: tuple[str, ...]) -> bool:
    return all(w in item for w in words)


def _side(r: dict) -> str | None:
    item = str(r.get("item") or "")
    if "总计" in item:
        if "收入" in item:
            return "income"
        if "支出" in item:
            return "spend"
        return "income" if r.get("breakdown") == "income" else "spend"
    return None


_CARRY = ("prior_year_carryover", "year_end_carryover")


def _with_carryover(ctx: Context) -> list[list[dict]]:
    """Each printed column with the carry-over rows of its table beside it: a 收支总表 puts
    年初/年末结转和结余 in the amount column of its side, which the reader names by the row."""
    carry = group_by([r for r in _table_rows(ctx) if r.get("breakdown") in _CARRY], "doc_id", "table", "measure")
    out = []
    for (doc_id, table, breakdown, measure), rows in _columns(ctx).items():
        if breakdown in _CARRY:
            continue
        out.append(rows + [r for r in carry.get((doc_id, table, measure), ()) if r not in rows])
    return out


@rule("TBL-CARRYOVER", FAMILY, "high", "总计 = 本年合计 + 结转结余")
def carryover(ctx: Context):
    for rows in _with_carryover(ctx):
        totals = [r for r in rows if "总计" in str(r["item"]) and r.get("breakdown") not in _CARRY]
        bare = [r for r in totals if "收入" not in str(r["item"]) and "支出" not in str(r["item"])]
        sides = {id(r): _side(r) for r in totals}
        if len(bare) == 2 and {sides[id(r)] for r in bare} == {"spend"}:
            sides[id(bare[0])] = "income"  # both sides in one column: printed left to right, 收入 first
        for total in totals:
            wanted = _INCOME_PARTS if sides[id(total)] == "income" else _SPEND_PARTS
            parts = []
            for words in wanted:
                hit = next((r for r in rows if r is not total and _matches(str(r["item"]), words)), None)
                if hit is not None and hit not in parts:
                    parts.append(hit)
            if not parts or not _matches(str(parts[0]["item"]), wanted[0]):
                continue  # no 本年合计 printed: nothing to add up
            yield sum_finding(_label(total), total, parts, "总计与本年合计加结转结余")


# The parts of 年度资金总额, as printed: by kind of money, or by level of government.
_FUND_PART_SETS = (
    ("current_year_appropriation", "prior_year_carryover", "other"),
    ("central", "provincial", "local", "other"),
)
_FUND_NAMES = {
    "current_year_appropriation": "当年财政拨款", "prior_year_carryover": "上年结转资金", "other": "其他资金",
    "central": "中央安排", "provincial": "自治区（省）安排", "local": "地（州、市）安排",
}  # fmt: skip
_PHASES = {"budget_initial": "年初预算数", "budget_adjusted": "全年预算数", "actual": "全年执行数"}


@rule("FUND-TOTAL", FAMILY, "medium", "年度资金总额 = 当年财政拨款 + 上年结转 + 其他资金")
def fund_total(ctx: Context):
    """Per table and phase: the total against the sources printed under it. A source left
    blank is not 0: if the printed ones already add up the table passes; if not, a blank
    source could hold the difference and the finding is only a warning."""
    rows = [r for r in ctx.records("project_funds") if r.get("amount") is not None]
    for group in group_by(rows, "doc_id", "scope", "project", "table", "measure").values():
        total = next((r for r in group if r["source"] == "total"), None)
        by: dict[str, dict] = {}
        for r in group:
            if r["source"] != "total":
                by.setdefault(r["source"], r)  # a source printed once per column
        if total is None or not by:
            continue
        parts = next((s for s in _FUND_PART_SETS if set(by) <= set(s)), tuple(by))
        subject = f"{total['project']} {total.get('table') or ''} 年度资金总额（{_PHASES.get(total['measure'], total['measure'])}）"
        terms = "+".join(_FUND_NAMES.get(s, s) for s in by)
        row = sum_finding(subject, total, list(by.values()), "年度资金总额与各来源之和", terms)
        yield unverifiable_if_unprinted(row, [_FUND_NAMES[s] for s in parts if s not in by])
