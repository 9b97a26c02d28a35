"""绩效 tables whose rows are tab-separated lines (汉阳, 乌鲁木齐 决算 attachments, 邯郸's
budget target tables).

A table is a block that opens with a title (a line without tabs ending in 表, or a numbered
heading) and holds an indicator header (一级/二级/三级指标 … 指标值). Blocks are found by
content wherever they sit; a document without them is left alone. Per table:

- 项目名称 row → the project (else the title, for 邯郸's numbered target tables); a title
  with 整体 makes it the department's table, its subject the 部门(单位)名称 row;
- 预算执行情况 / 项目资金 / 部门资金 header + 年度资金总额 row → one ``projects`` row (columns
  by heading; scope ``department`` for the department's table, only when it prints funds
  or a score);
  the total and the source rows under it → ``project_funds`` (:mod:`loaders.families.perf_funds`);
- rows under the indicator header → ``indicators`` (see :mod:`loaders.families.perf_tabbed_rows`);
- 总分 → score / max_score; 偏差大或目标未完成原因分析 → the project's deviation_note.

部门(项目)申报表 are read by :mod:`loaders.families.perf_declarations`: rows of their own
(origin ``declaration``: budgets and targets, no actuals), beside the 自评表's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter

from loaders.extraction import DocumentMeta, Extraction
from loaders.families import perf_basic_data, perf_declarations
from loaders.families.perf_funds import add_figures, execution_rate, has_result, tabbed_funds
from loaders.families.perf_tabbed_rows import (
    LEVELS,
    header_roles,
    is_separator,
    map_row,
    points,
    tidy,
)
from loaders.numbers import (
    Measure,
    completion,
    is_placeholder,
    parse_measure,
)
from loaders.readers.normalize import no_blanks, squash
from loaders.readers.source import Source, SourceLine

_PERCENT_WORD = re.compile(r"\s*百分[号比]")
_TITLE = re.compile(r"表(?:\(.*\))?$|^(?:\d+|[一二三四五六七八九十]+)、|^第.{1,3}部分|^\([一二三四五六七八九十]+\)")
_SUBSECTIONS = ("长期绩效目标表", "年度绩效目标表")  # inside a 申报表, not tables of their own
_NUMBERING = re.compile(r"^(?:\d+|[一二三四五六七八九十]+)\s*[、.]\s*")
_TITLE_SUFFIX = re.compile(r"(?:项目支出)?(?:绩效目标表|项目自评表|自评表|绩效目标)$")
_POINTS_IN_LABEL = re.compile(r"\(\s*(\d+(?:\.\d+)?)\s*分\s*\)")
# Rows between indicator rows that are not indicators.
_META_EXACT = ("绩效目标", "总分", "项目名称", "年度总体目标", "总体目标")
_META_PREFIX = ("偏差", "改进措施")


@dataclass
class Table:
    title: SourceLine
    scope: str
    project: str | None = None
    subject: str | None = None  # the department's table: the department as printed
    project_row: dict = field(default_factory=dict)
    project_line: SourceLine | None = None
    indicators: list[tuple[SourceLine, dict]] = field(default_factory=list)
    funds: list[tuple[SourceLine, dict]] = field(default_factory=list)  # project_funds figures
    conflicts: list[str] = field(default_factory=list)

    @property
    def title_text(self) -> str:
        return tidy(self.title.clean)


def extract(source: Source, meta: DocumentMeta, ex: Extraction) -> None:
    tables = [t for block in _blocks(source.lines) if (t := _parse_block(block, meta, ex)) is not None]
    _emit(tables, meta, ex)


@lru_cache(maxsize=1 << 14)  # every line is tested for a header up to three times, and rows repeat
def _roles_of(clean: str) -> list[str | None] | None:
    """:func:`header_roles` of a line's cells, by its clean text (callers never mutate it)."""
    # A header names 三级指标 and 指标值/目标值 (perhaps with spaces between the characters):
    # most lines lack one of their characters, which is quick to tell.
    if "级" not in clean or "标" not in clean or "值" not in clean:
        return None
    s = no_blanks(clean)
    if "三级指标" not in s or ("目标值" not in s and "指标值" not in s):
        return None
    return header_roles([c.strip() for c in clean.split("\t")])


def _line_roles(line: SourceLine) -> list[str | None] | None:
    return _roles_of(line.clean)


def _is_title(line: SourceLine) -> bool:
    return _is_title_text(line.clean)


@lru_cache(maxsize=1 << 14)
def _is_title_text(clean: str) -> bool:
    if "\t" in clean:
        return False
    s = squash(clean)
    return bool(s) and s not in _SUBSECTIONS and bool(_TITLE.search(s))


def _blocks(lines: list[SourceLine]) -> list[list[SourceLine]]:
    """Runs of lines from one title to the next."""
    blocks: list[list[SourceLine]] = []
    for line in lines:
        if "\t" not in line.clean and _is_title_text(line.clean):  # _is_title, fewer calls per line
            blocks.append([line])
        elif blocks:
            blocks[-1].append(line)
    return blocks


_CLEAN = attrgetter("clean")


def _parse_block(block: list[SourceLine], meta: DocumentMeta, ex: Extraction) -> Table | None:
    title = squash(block[0].clean)
    if "申报表" in title:
        perf_declarations.read(block, meta, ex)
        return None
    if not any(map(_roles_of, map(_CLEAN, block[1:]))):  # (every line of every block comes here)
        return None
    table = Table(block[0], "department" if "整体" in title else "project")
    if table.scope == "project":
        table.project = _project_name(block) or tidy(_TITLE_SUFFIX.sub("", _NUMBERING.sub("", block[0].clean.strip())))
    else:
        table.subject = _project_name(block, _department_label) or table.title_text
    _funds(block, table, meta, ex)
    _score_and_note(block, table)
    _indicators(block, table)
    return table if table.indicators or table.project_row else None


def _first_filled(cells: list[str]) -> tuple[int, str] | None:
    for i, c in enumerate(cells):
        if c:
            return i, c
    return None


def _department_label(label: str) -> bool:
    return label.endswith("名称") and ("部门" in label or "单位" in label)


def _project_name(block: list[SourceLine], is_label=lambda label: label == "项目名称") -> str | None:
    """The cell after the 项目名称 label (or another label ``is_label`` accepts)."""
    for line in block:
        cells = line.cells
        first = _first_filled(cells)
        if first and is_label(squash(first[1])):
            rest = _first_filled(cells[first[0] + 1 :])
            return tidy(rest[1]) if rest else None
    return None


# --- projects: 年度资金总额, 总分, 偏差 -----------------------------------------------------


def _funds(block: list[SourceLine], table: Table, meta: DocumentMeta, ex: Extraction) -> None:
    read = tabbed_funds(block, meta, table.project or table.subject, ex.warn)
    if read is not None:
        table.project_line, values, table.funds = read
        table.project_row.update(values)


def _score_and_note(block: list[SourceLine], table: Table) -> None:
    for line in block:
        # A tidied cell is blank only where the cell is: the first filled cell, and its label,
        # are known before tidying the whole row (only 总分 and 偏差 rows are read further).
        first = _first_filled(line.cells)
        if first is None:
            continue
        label = squash(tidy(first[1]))
        if (label != "总分" and not label.startswith("偏差")) or _line_roles(line):
            continue
        cells = [tidy(c) for c in line.cells]
        rest = [c for c in cells[first[0] + 1 :] if c]
        if label == "总分":
            scores = [p for c in rest if (p := points(c)) is not None]
            if len(scores) == 2:
                table.project_row["max_score"], table.project_row["score"] = scores
        elif label.startswith("偏差") and rest and not is_placeholder(rest[0]):
            table.project_row["deviation_note"] = rest[0]


# --- indicators --------------------------------------------------------------------------


def _indicators(block: list[SourceLine], table: Table) -> None:
    roles = None
    after_break = False  # a blank line or a repeated header: a page break may cut a row
    rows: list[tuple[SourceLine, dict]] = []
    for line in block[1:]:
        if "\t" not in line.clean:
            if line.clean.strip() and roles is not None:
                roles = None  # prose or a 备注: the table has ended
            after_break = True
            continue
        cells = line.cells
        if (new_roles := _line_roles(line)) is not None:
            # A 长期 (long-term) target table is not the year's.
            roles = None if squash(cells[0]).startswith("长期") else new_roles
            after_break = True
            continue
        first = _first_filled(cells)
        if roles is None or first is None or is_separator(cells) or _is_meta(first[1]):
            continue
        mapped = map_row(cells, roles)
        if mapped is None or not any(k in mapped for k in ("target", "actual")):
            if after_break and rows and (fragment := _wrapped_name(cells, roles)):
                rows[-1][1]["name"] += fragment
            elif mapped is not None and "name" in mapped:
                rows.append((line, mapped))  # an indicator printed without figures
            after_break = False
            continue
        after_break = False
        rows.append((line, mapped))
    _fill_levels([m for _, m in rows])
    _merge_repeats(rows, table)


def _wrapped_name(cells: list[str], roles: list[str | None]) -> str | None:
    """The rest of a 三级指标 cut by a page break: under the 三级指标 heading when the row
    has the header's width, else the row's only filled cell (merged cells shifted it)."""
    cells = [tidy(c) for c in cells]
    if len(cells) == len(roles):
        return cells[roles.index("name")] or None
    filled = [c for c in cells if c]
    return filled[0] if len(filled) == 1 else None


def _is_meta(text: str) -> bool:
    s = squash(text)
    return s in _META_EXACT or s.startswith(_META_PREFIX)


def _fill_levels(rows: list[dict]) -> None:
    """Fill merged 一级/二级指标 cells down; at the top of a table the merged label may be
    printed in a middle row of its span, so the rows above the first one printed take it too."""
    for level in LEVELS[:2]:
        first = next((r[level] for r in rows if r.get(level)), None)
        current = first
        for r in rows:
            current = r.get(level) or current
            r[level] = current


def _merge_repeats(rows: list[tuple[SourceLine, dict]], table: Table) -> None:
    """One row per indicator: a row printed again in the same table only adds what the first
    printing left blank (乌鲁木齐 prints some rows twice, the note on the second)."""
    kept: dict[tuple, dict] = {}
    for line, mapped in rows:
        key = _key(mapped)
        if key in kept:
            first = kept[key]
            for k, v in mapped.items():
                if not first.get(k):
                    first[k] = v
                elif squash(first[k]) != squash(v) and k != "deviation":
                    table.conflicts.append(f"{mapped['name']} {k}: {first[k]} ({first['_ref']}) vs {v} ({line.ref})")
            continue
        mapped["_ref"] = line.ref
        kept[key] = mapped
        table.indicators.append((line, mapped))


def _measure(text: str | None) -> Measure:
    # 邯郸 writes the percent sign out: "≥95 百分号".
    return parse_measure(_PERCENT_WORD.sub("%", text) if text else text)


def _text(text: str | None) -> str | None:
    return None if text is None or is_placeholder(text) else text


def _indicator_row(table: Table, m: dict) -> dict:
    level1 = m.get("level1")
    weight_match = _POINTS_IN_LABEL.search(level1 or "")
    target, actual = _measure(m.get("target")), _measure(m.get("actual"))
    return {
        "scope": table.scope,
        "project": table.project,
        "table": table.title_text,
        "level1": _POINTS_IN_LABEL.sub("", level1).strip() if level1 else None,
        "level1_weight": float(weight_match.group(1)) if weight_match else None,
        "level2": m.get("level2"),
        "name": m["name"],
        "target_text": _text(m.get("target")),
        "actual_text": _text(m.get("actual")),
        "target_value": target.value,
        "actual_value": actual.value,
        "unit": target.unit or actual.unit,
        "comparator": target.comparator,
        "completion": completion(target, actual),
        "weight": points(m.get("weight")),
        "score": points(m.get("score")),
        "deviation_note": _text(m.get("deviation")),
    }


# --- emit, once per table ----------------------------------------------------------------


def _emit(tables: list[Table], meta: DocumentMeta, ex: Extraction) -> None:
    seen: dict[tuple, Table] = {}
    for table in tables:
        for conflict in table.conflicts:
            ex.warn(f"{table.project or table.title_text}: an indicator printed twice disagrees: {conflict}; kept the first")
        key = (table.scope, squash(table.project or ""))
        if (first := seen.get(key)) is not None:
            if _same_indicators(first, table):
                ex.warn(
                    f"{table.project or table.title_text}: table printed twice ({first.title.ref}, {table.title.ref}); "
                    "the second printing was not counted" + _differences(first, table)
                )
                continue
            ex.warn(f"{table.project or table.title_text}: two different tables ({first.title.ref}, {table.title.ref})")
        seen.setdefault(key, table)
        if table.scope == "project" or has_result(table.project_row):
            _add_project(table, meta, ex)
        for line, m in table.indicators:
            ex.add("indicators", line, **_indicator_row(table, m))


def _add_project(table: Table, meta: DocumentMeta, ex: Extraction) -> None:
    subject = table.project if table.scope == "project" else table.subject
    values = {"scope": table.scope, "project": subject, "table": table.title_text, **table.project_row}
    values.pop("budget", None)
    values["execution_rate"] = execution_rate(values)
    ex.add("projects", table.project_line or table.title, **values)
    add_figures(ex, table.funds, table.scope, subject, table.title_text)
    if table.scope == "department":
        perf_basic_data.add_overall_funds(ex, table.funds, table.title_text, meta)


def _key(m: dict) -> tuple:
    return squash(m.get("level1") or ""), squash(m.get("level2") or ""), squash(m.get("name") or "")  # LEVELS


def _same_indicators(a: Table, b: Table) -> bool:
    """``b`` reprints ``a``: most of its indicators are ``a``'s (a reprint may fix a typo,
    or restate only the targets)."""
    first, second = {_key(m) for _, m in a.indicators}, {_key(m) for _, m in b.indicators}
    return bool(second) and len(first & second) * 2 >= len(second)


def _differences(a: Table, b: Table) -> str:
    first = {_key(m): m for _, m in a.indicators}
    diffs = [
        f"{m['name']} {k}: {first[_key(m)].get(k)} vs {m.get(k)}"
        for _, m in b.indicators
        if _key(m) in first
        for k in ("target", "actual", "weight", "score")
        if m.get(k) and squash(first[_key(m)].get(k) or "") != squash(m[k])
    ]
    return f"; the printings disagree: {'; '.join(diffs)}" if diffs else ""
