"""Rows of a tab-separated 绩效 indicator table, mapped onto the columns of its header.

A merged cell (一级指标 spanning several rows, the 年度绩效指标 label down the left edge)
is printed once; in the other rows it is an empty cell, or no cell at all, which shifts
the row's remaining cells left. So a row is read in up to three ways, first that fits:

1. by position under the header (the row has the header's number of cells);
2. by position, padded on the side where cells went missing: a row that ends in a filled
   cell lost cells on the left; one that ends in an empty cell may have lost them on either
   side, and the reading that puts numbers under 分值/得分 wins (else the right side);
3. by its filled cells, anchored on the right: the value columns (target, actual, 分值,
   得分, an optional 偏差 note) are the last filled cells, and the cells before them are
   三级, 二级, 一级 指标 from right to left.

A reading "fits" when the 三级指标 cell is filled, every filled cell sits under a heading,
the label column holds only the label, and 分值/得分 are numbers.
"""

from __future__ import annotations

import re
from functools import lru_cache

from loaders.numbers import is_placeholder, parse_number, parse_percent
from loaders.readers.normalize import squash

LEVELS = ("level1", "level2", "name")
# Heading → column role; first match wins (实际完成指标值 is an actual, not a target).
HEADER_ROLES = (
    ("依据", "basis"),
    ("指标描述", "desc"),
    ("指标说明", "desc"),
    ("指标分类", "class"),
    ("实际完成", "actual"),
    ("偏差", "deviation"),
    ("得分", "score"),
    ("分值", "weight"),
    ("权重", "weight"),
    ("目标值", "target"),
    ("指标值", "target"),
    ("一级指标", "level1"),
    ("二级指标", "level2"),
    ("三级指标", "name"),
)
# Columns read into the indicator row; the others (依据, 描述, 分类) are skipped.
VALUE_ROLES = ("target", "actual", "weight", "score", "deviation")
_KEPT_ROLES = frozenset((*LEVELS, *VALUE_ROLES))  # what a mapped row keeps
NUMERIC_ROLES = ("weight", "score")
# The row label printed down the left edge of the indicator block (often broken into pieces).
ROW_LABELS = ("年度绩效指标完成情况", "年度绩效目标", "年度绩效指标")

_CJK = r"[\u2e80-\u9fff\uff00-\uffef“”‘’、，。：；（）《》]"
_CJK_GAP = re.compile(rf"(?<={_CJK})\s+(?={_CJK})")
_DASHES = re.compile(r"^-{2,}$")
_COMPARATOR = re.compile(r"^\s*(?:≥|≤|>=|<=|=|>|<|≧|≦)")
_POINTS = re.compile(r"^\s*([\d.,]+)\s*分?\s*$")


@lru_cache(maxsize=1 << 15)  # every cell of every indicator row, several times over
def tidy(text: str | None) -> str:
    """A cell as a reader sees it: no line-wrap gaps inside Chinese words."""
    return _CJK_GAP.sub("", text or "").strip()


@lru_cache(maxsize=1 << 14)
def points(text: str | None) -> float | None:
    """``"10.00 分"`` → 10.0 (分值 and 得分 are printed with or without 分)."""
    m = _POINTS.match(text or "")
    return parse_number(m.group(1)) if m else None


def is_separator(cells: list[str]) -> bool:
    """A markdown rule row (``--→----→---``) left by the conversion."""
    filled = [c for c in cells if c]
    return bool(filled) and all(_DASHES.match(c) for c in filled)


@lru_cache(maxsize=1 << 14)
def is_row_label(text: str) -> bool:
    """A piece of the left-edge label (``年度绩效``, ``指标完成情况``), not an indicator."""
    s = squash(text)
    return len(s) >= 2 and any(s in label for label in ROW_LABELS)


def header_roles(cells: list[str]) -> list[str | None] | None:
    """Column roles of an indicator header row, or ``None`` if the row is not one."""
    roles: list[str | None] = []
    for i, cell in enumerate(cells):
        s = squash(cell)
        role = next((r for key, r in HEADER_ROLES if key in s), None)
        if role is None and i == 0 and s:
            role = "label"
        roles.append(role)
    if "name" not in roles or "target" not in roles:
        return None
    return roles


def map_row(cells: list[str], roles: list[str | None]) -> dict[str, str] | None:
    """``{role: text}`` for one data row (filled roles only), or ``None`` if it does not fit."""
    found = _map_row(tuple(cells), tuple(roles))
    return None if found is None else dict(found)  # the caller's own: it fills levels in


@lru_cache(maxsize=1 << 14)  # the same rows under the same header recur (templates, repeats)
def _map_row(printed: tuple[str, ...], header: tuple[str | None, ...]) -> dict[str, str] | None:
    cells, roles = [tidy(c) for c in printed], list(header)
    fitting = [aligned for aligned in _aligned(cells, len(roles)) if _fits(aligned, roles)]
    if not fitting:  # blank target/actual leave too few filled cells to anchor on: shift,
        # kept only when every 分值/得分 column then holds a number
        numeric = [i for i, r in enumerate(roles) if r in NUMERIC_ROLES]
        fitting = [
            aligned for aligned in _shifted(cells, len(roles))
            if numeric and _fits(aligned, roles) and all(points(aligned[i]) is not None for i in numeric)
        ]
    if not fitting:
        return _by_filled_cells(cells, roles)
    # Padded either way, the reading that puts numbers under 分值/得分 wins.
    best = max(fitting, key=lambda a: sum(bool(c) for c, r in zip(a, roles, strict=True) if r in NUMERIC_ROLES))
    return {r: c for r, c in zip(roles, best, strict=True) if c and r in _KEPT_ROLES}


def _aligned(cells: list[str], width: int) -> list[list[str]]:
    while len(cells) > width and not cells[-1]:
        cells = cells[:-1]
    if len(cells) == width:
        return [cells]
    if len(cells) > width or not cells:
        return []
    pad = [""] * (width - len(cells))
    return [pad + cells] if cells[-1] else [cells + pad, pad + cells]


def _shifted(cells: list[str], width: int) -> list[list[str]]:
    """A row as wide as the header whose cells sit one or more columns off: empty cells
    at one end moved to the other (a merged cell lost on the left, a stray one on the right)."""
    if len(cells) != width:
        return []
    out = []
    for k in range(1, width):
        if all(not c for c in cells[width - k :]):
            out.append([""] * k + cells[: width - k])
        if all(not c for c in cells[:k]):
            out.append(cells[k:] + [""] * k)
    return out


@lru_cache(maxsize=1 << 14)
def looks_like_value(text: str) -> bool:
    """``<=0.50 万元``, ``=5 人``, ``10``: a figure, never an indicator's name."""
    return bool(_COMPARATOR.match(text)) or parse_number(text) is not None or parse_percent(text) is not None


def _fits(cells: list[str], roles: list[str | None]) -> bool:
    name_at = roles.index("name")
    if not cells[name_at] or is_row_label(cells[name_at]) or is_placeholder(cells[name_at]):
        return False
    for text, role in zip(cells, roles, strict=True):
        if not text:
            continue
        if (role in (None, "label")) != is_row_label(text):
            return False
        if role in LEVELS and looks_like_value(text):
            return False
        if role in NUMERIC_ROLES and points(text) is None and not is_placeholder(text):
            return False
    return True


def _by_filled_cells(cells: list[str], roles: list[str | None]) -> dict[str, str] | None:
    filled = [c for c in cells if c and not is_row_label(c)]
    name_at = roles.index("name")
    tail = [r for r in roles[name_at + 1 :] if r is not None and r != "label"]
    # The 偏差 note is the only value column left blank as a rule: present when the last
    # filled cell is text after the two numbers of 分值 and 得分.
    if tail and tail[-1] == "deviation" and (not filled or points(filled[-1]) is not None):
        tail = tail[:-1]
    if len(filled) <= len(tail):
        return None
    values = dict(zip(tail, filled[len(filled) - len(tail) :], strict=True))
    if any(points(values[r]) is None and not is_placeholder(values[r]) for r in NUMERIC_ROLES if r in values):
        return None
    levels = [r for r in LEVELS if r in roles]
    lead = filled[: len(filled) - len(tail)][-len(levels) :]
    values.update(zip(levels[len(levels) - len(lead) :], lead, strict=True))
    return {r: v for r, v in values.items() if r in (*LEVELS, *VALUE_ROLES)}


def values_under(cells: list[str], at: int, columns: list[tuple[int, str | None]]) -> list[str] | None:
    """The cells under the headings: in order when the counts agree, else by position."""
    values = cells[at + 1 :]
    while values and not values[-1]:
        values = values[:-1]
    stripped = values
    while stripped and not stripped[0]:
        stripped = stripped[1:]
    if len(stripped) == len(columns):
        return stripped
    if all(i < len(cells) for i, _ in columns) and all(i > at for i, _ in columns):
        return [cells[i] for i, _ in columns]
    filled = [v for v in values if v]
    return filled if len(filled) == len(columns) else None
