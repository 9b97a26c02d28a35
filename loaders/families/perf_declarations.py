"""部门(项目)申报表（含绩效目标）: the plan a 决算 appends, with budgets and target indicators.

    项目名称          某项工作经费         项目编码 …
    项目总预算        800.00              项目当年预算   800.00     ← projects.budget_initial
    长期绩效目标表
    目标名称  一级指标  二级指标  三级指标  指标值  指标值确定依据
    长期绩效目标  产出指标  质量指标  …应保尽保  90%             ← horizon long_term
    年度绩效目标表
    目标名称  一级指标  二级指标  三级指标  指标值  …  指标值确定依据
                                           前年  上年  预计当年实现   ← the sub-headings
    年度绩效目标 1  产出指标  质量指标  …  90%   90%   90%           ← horizon annual

A declaration is a row of its own (``origin`` ``declaration``): it has no actual, no
completion and no score, never a 0 for them. The project's budget is its 项目当年预算 (the
department's: the 支出构成 合计 under 当年金额), the budget of the year as declared: the
``budget_initial`` phase. A target is the cell under 指标值, or in an annual table with
sub-headings under 预计当年实现: a value printed under 前年 / 上年 (or 指标值确定依据) is not
the year's target, so that indicator has no target (and a warning says how many).

Rows are read by position under the headings; merged cells (目标名称, 一级/二级指标 printed
once) and the converter's stray empty cells shift a row, so a few shifted readings are tried
and the first whose cells fit their headings is kept (see :func:`_readings`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from loaders.extraction import DocumentMeta, Extraction
from loaders.families.perf_tabbed_rows import is_separator, looks_like_value, tidy
from loaders.numbers import Measure, declared_unit, is_placeholder, parse_measure, parse_number, to_wan
from loaders.readers.normalize import squash
from loaders.readers.source import SourceLine

# Heading → role, first match wins (指标值确定依据 is not a 指标值).
_ROLES = (("依据", "basis"), ("一级", "level1"), ("二级", "level2"), ("三级", "name"), ("指标值", "target"), ("目标值", "target"))
_SUB = re.compile(r"前年|上年|今年|当年|全年|预计|预期|近两年")
_SUB_TARGET = re.compile(r"预计当年|预期当年|当年实现")
_HEADING_WORDS = re.compile(r"^(?:.*(?:前年|上年|今年|当年|全年|预计|预期|近两年|依据|指标值).*|标|指标)$")
_SECTIONS = (("长期", "long_term"), ("年度", "annual"))
_LEVEL_WORD = re.compile(r"指标$")
_LEVEL_NAME = re.compile(r"(?:指标|效益|效果|满意度)$")


def read(block: list[SourceLine], meta: DocumentMeta, ex: Extraction) -> None:
    """One 申报表 block (its title line first): a ``projects`` row and its target indicators."""
    title = tidy(block[0].clean)
    scope = "department" if "整体" in title else "project"
    name = _value_after(block, _is_department_label if scope == "department" else _is_project_label)
    if name is None:
        ex.warn(f"{title} {block[0].ref}: no 项目名称 / 部门名称 printed; the declaration was not read")
        return
    unit = next((u for line in block[:8] if (u := declared_unit(line.clean))), None)
    where, budget = _department_budget(block) if scope == "department" else _project_budget(block)
    indicators = _indicators(block, title, ex)
    if budget is None and not indicators:
        return
    ex.add("projects", where or block[0], scope=scope, project=name, table=title, origin="declaration",
           budget_initial=None if budget is None else to_wan(budget, unit))
    project = name if scope == "project" else None
    for line, row in indicators:
        ex.add("indicators", line, scope=scope, project=project, table=title, **row)


# --- names and budgets ---------------------------------------------------------------------


def _is_project_label(label: str) -> bool:
    return label == "项目名称"


def _is_department_label(label: str) -> bool:
    return label.endswith("名称") and ("部门" in label or "单位" in label)


def _value_after(block: list[SourceLine], is_label) -> str | None:
    for line in block:
        cells = line.cells
        for i, cell in enumerate(cells):
            if is_label(squash(cell)):
                rest = next((c for c in cells[i + 1 :] if c.strip()), None)
                return tidy(rest) if rest else None
    return None


def _project_budget(block: list[SourceLine]) -> tuple[SourceLine | None, float | None]:
    """The figure after the 项目当年预算 label (项目总预算 spans the project's years)."""
    for line in block:
        cells = line.cells
        for i, cell in enumerate(cells):
            if squash(cell) in ("项目当年预算", "项目本年度预算", "当年预算"):
                rest = next((c for c in cells[i + 1 :] if c.strip()), None)
                return line, parse_number(rest)
    return None, None


def _department_budget(block: list[SourceLine]) -> tuple[SourceLine | None, float | None]:
    """支出构成 合计 under the 当年金额 heading of the 部门总体资金情况 block."""
    col, spending = None, False
    for line in block:
        cells = [squash(c) for c in line.cells]
        if col is None:
            col = next((i for i, c in enumerate(cells) if c == "当年金额"), None)
            continue
        spending = spending or "支出构成" in cells
        if spending and "合计" in cells and col < len(cells):
            return line, parse_number(cells[col])
    return None, None


# --- indicators ----------------------------------------------------------------------------


def _section(cells: list[str]) -> str | None:
    first = squash(next((c for c in cells if c.strip()), ""))
    if "绩效目标表" in first or "绩效指" in first:
        return next((h for key, h in _SECTIONS if first.startswith(key)), None)
    return None


def _header(cells: list[str]) -> list[str | None] | None:
    roles = _header_of(tuple(cells))
    return list(roles) if roles is not None else None


@lru_cache(maxsize=1 << 13)  # every line of a 申报表 is asked
def _header_of(cells: tuple[str, ...]) -> tuple[str | None, ...] | None:
    roles: list[str | None] = []
    for i, cell in enumerate(cells):
        s = squash(cell)
        role = next((r for key, r in _ROLES if key in s), None)
        roles.append(role if role or i or not s else "label")
    return tuple(roles) if "name" in roles and "target" in roles else None


def _sub_header(cells: list[str], roles: list[str | None]) -> list[str | None] | None:
    """Roles refined by a 前年 / 上年 / 预计当年实现 row, or ``None`` if ``cells`` is not one."""
    filled = [squash(c) for c in cells if c.strip()]
    if not filled or not all(_HEADING_WORDS.match(s) for s in filled) or not any(_SUB.search(s) for s in filled):
        return None
    out = list(roles) + [None] * max(0, len(cells) - len(roles))
    has_target = any(_SUB_TARGET.search(squash(c)) for c in cells)
    for i, role in enumerate(out):
        s = squash(cells[i]) if i < len(cells) else ""
        if role in ("level1", "level2", "name", "label"):
            continue
        if _SUB_TARGET.search(s):
            out[i] = "target"
        elif _SUB.search(s) or (role == "target" and has_target):
            out[i] = "history"  # 前年 / 上年, or the 指标值 heading over the sub-headings
    return out


def _indicators(block: list[SourceLine], title: str, ex: Extraction) -> list[tuple[SourceLine, dict]]:
    horizon = roles = None
    out: list[tuple[SourceLine, dict]] = []
    seen: set[tuple] = set()
    levels: dict[str, str | None] = {"level1": None, "level2": None}
    unread: list[str] = []
    off_target: list[str] = []
    for line in block[1:]:
        cells = [tidy(c) for c in (line.cells if "\t" in line.clean else [line.clean])]
        if not any(cells) or is_separator(cells):
            continue
        if (section := _section(cells)) is not None:
            horizon, roles = section, None
            levels = {"level1": None, "level2": None}
            if (header := _header(cells)) is not None:
                roles = header
            continue
        if horizon is None:
            continue
        if (header := _header(cells)) is not None:
            roles = header
            continue
        if roles is None:
            continue
        if (refined := _sub_header(cells, roles)) is not None:
            roles = refined
            continue
        if _fragment(cells):
            continue
        reading = next((r for r in _readings(cells, len(roles)) if _fits(r, roles)), None)
        if reading is None:
            unread.append(line.ref)
            continue
        got = {role: text for role, text in zip(roles, reading, strict=True) if role and text}
        for level in ("level1", "level2"):
            if got.get(level):
                levels[level] = got[level]
                if level == "level1":
                    levels["level2"] = None
        target = got.get("target")
        if target is None and (got.get("history") or got.get("basis")):
            off_target.append(line.ref)
        key = (horizon, squash(got["name"]), squash(target or ""))
        if key in seen:
            continue  # the same indicator printed again in its table
        seen.add(key)
        out.append((line, _row(got, levels, horizon)))
    if unread:
        ex.warn(f"{title}: indicator rows whose cells do not fit the headings were not read ({', '.join(unread)})")
    if off_target:
        ex.warn(f"{title}: {len(off_target)} indicators print a value only under 前年/上年 or 指标值确定依据, "
                f"not under the target heading; no target read ({', '.join(off_target)})")
    return out


def _fragment(cells: list[str]) -> bool:
    """A wrapped piece of a heading or a name cut by a page break ("标", "率")."""
    filled = [c for c in cells if c]
    return all(len(squash(c)) <= 2 and not re.search(r"\d", c) for c in filled)


def _fit_width(cells: list[str], width: int) -> list[str] | None:
    while len(cells) > width and not cells[-1]:
        cells = cells[:-1]
    return cells + [""] * (width - len(cells)) if len(cells) <= width else None


def _readings(cells: list[str], width: int) -> list[list[str]]:
    """The row by position, then shifted: moved right (merged cells lost on the left), moved
    left (stray empty cells on the left), each also with a stray empty cell between the
    labels dropped ("效益指标, 社会效益指标, , 加强房屋安全监管, …")."""
    variants = [cells]
    first = next((i for i, c in enumerate(cells) if c), None)
    gap = next((i for i in range(first + 1, len(cells)) if not cells[i]), None) if first is not None else None
    if gap is not None:
        variants.append(cells[:gap] + cells[gap + 1 :])
    out = []
    for row in variants:
        base = _fit_width(row, width)
        if base:
            out.append(base)
        padded = base or row
        for k in (1, 2):
            if len(padded) >= k and all(not c for c in padded[len(padded) - k :]):
                out.append([""] * k + padded[: len(padded) - k])
        for k in (1, 2, 3):
            if len(row) > k and all(not c for c in row[:k]) and (moved := _fit_width(row[k:], width)):
                out.append(moved)
    return [r for r in out if len(r) == width]


def _fits(cells: list[str], roles: list[str | None]) -> bool:
    texts = dict(zip(roles, cells, strict=True))
    name = squash(texts.get("name") or "")
    # An indicator's name: words, not a figure, a level (…指标) or a one-word value (是, 增长).
    if len(name) < 3 or name[0].isdigit() or looks_like_value(name) or (_LEVEL_WORD.search(name) and len(name) <= 10):
        return False
    if texts.get("label") and "目标" not in texts["label"]:
        return False
    for level in ("level1", "level2"):
        text = squash(texts.get(level) or "")
        # Levels are the template's words (产出指标, 社会效益指标, 经济效益 …); a 目标 label
        # ("年度目标 1:") opens the next part of the form.
        if text and (not _LEVEL_NAME.search(text) or "目标" in text):
            return False
    return all(not c for c, r in zip(cells, roles, strict=True) if r is None)


def _measure(text: str | None) -> Measure:
    """A target's value; a period ("2021年内", "2020年") is not a quantity."""
    measure = parse_measure(re.sub(r"\s*百分[号比]", "%", text) if text else text)
    unit = measure.unit or ""
    if measure.value is not None and unit.startswith("年") and 1900 <= measure.value <= 2100:
        return Measure(measure.text, None, None, measure.comparator)
    return measure


def _row(got: dict, levels: dict, horizon: str) -> dict:
    target_text = got.get("target")
    target_text = None if is_placeholder(target_text) else target_text
    target = _measure(target_text)
    return {
        "level1": levels["level1"], "level2": levels["level2"], "name": got["name"],
        "target_text": target_text, "actual_text": None,
        "target_value": target.value, "actual_value": None, "unit": target.unit,
        "comparator": target.comparator if target.value is not None else None,
        "completion": None, "weight": None, "score": None, "deviation_note": None,
        "origin": "declaration", "horizon": horizon,
    }  # fmt: skip
