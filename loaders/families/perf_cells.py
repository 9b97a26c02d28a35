"""绩效 tables laid out one cell per line (岳阳, 汨罗 self-evaluation attachments).

Three tables are recognised by what their cells say, wherever they sit in a document:

- 基础数据表 (附件1): the 经费控制情况 block gives 三公经费 by phase, the 财政供养人员
  block the staff count;
- 部门整体支出绩效自评表 (附件2): one ``projects`` row with scope ``department`` (its
  年度资金总额 and 总分, the department as printed) and indicators with scope ``department``;
- 项目支出绩效自评表 (附件3-x): one ``projects`` row (年度资金总额 and 总分) and the
  project's indicators.

Both table kinds' funds blocks (年度资金总额 and the sources under it) also give
``project_funds`` rows, one per printed figure (:mod:`loaders.families.perf_funds`).

Rows are rebuilt by :mod:`loaders.families.cell_grid`; columns are found by their headings, never
by position in a seed.
"""

from __future__ import annotations

import re
from collections import Counter

from loaders.extraction import DocumentMeta, Extraction
from loaders.families import perf_basic_data
from loaders.families.cell_grid import Grid, Row, fill_down, find_grids, fit_rows, split_numbered_row
from loaders.families.perf_funds import add_figures, cell_funds, columns_of, execution_rate, has_result
from loaders.numbers import (
    Measure,
    bracketed_unit,
    completion,
    is_placeholder,
    parse_measure,
    parse_number,
    to_wan,
)
from loaders.readers.normalize import no_blanks
from loaders.readers.source import Source, SourceLine
from loaders.spec.vocabulary import named_item

_TABLE_ID = re.compile(r"^(附件\d+(?:[-－—–]\d+)?)")
_POINTS = re.compile(r"[(（]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]")
_PHASE_YEAR = re.compile(r"(20\d{2})年")
_PHASE_HEADING = re.compile(r"(20\d{2})年(?:度)?(决算|预算)")

# Heading of an indicator column → field (实际完成值 before 指标值).
INDICATOR_COLUMNS = (
    ("一级指标", "level1"),
    ("二级指标", "level2"),
    ("三级指标", "name"),
    ("实际", "actual"),
    ("完成值", "actual"),
    ("指标值", "target"),
    ("分值", "weight"),
    ("权重", "weight"),
    ("得分", "score"),
    ("偏差", "note"),
)
_ROW_PREFIX = re.compile(r"^(?:\d+|[一二三四五六七八九十]+)[、.．]|^其中[:：]")


def extract(source: Source, meta: DocumentMeta, ex: Extraction) -> None:
    for grid in find_grids(source.lines):
        labels = [lab for row in grid.rows for lab in row.labels]
        table = _table_id(source.lines, grid.start)
        if any(lab.startswith(("经费控制情况", "财政供养人员")) for lab in labels):
            _basic_data(grid, perf_basic_data.table_title(source.lines, grid.start), meta, ex)
        elif (project := _project_name(grid.rows)) is not None:
            if cell_funds(grid.rows) or _indicator_header(grid.rows) is not None:
                _project_table(grid, project, table, ex)
        elif _indicator_header(grid.rows) is not None and any("部门名称" in lab or "单位名称" in lab for lab in labels):
            subject = _department_name(grid.rows) or _title_above(source.lines, grid.start)
            title = _title_above(source.lines, grid.start) or table or "部门整体支出绩效自评表"
            _department_table(grid, subject, table, title, meta, ex)


def _table_id(lines: list[SourceLine], start: int, lookback: int = 8) -> str | None:
    """The 附件 number printed above a grid (a title may sit between them)."""
    for line in reversed(lines[max(0, start - lookback) : start]):
        text = no_blanks(line.clean)
        if m := _TABLE_ID.match(text):
            return m.group(1).replace("－", "-").replace("—", "-").replace("–", "-")
    return None


# --- 项目支出绩效自评表 -------------------------------------------------------------------


def _project_name(rows: list[Row]) -> str | None:
    for row in rows:
        if row.label(0).startswith(("项目支出名称", "项目名称")):
            return next((c.text for c in row.cells[1:] if not c.is_blank), None)
    return None


def _project_table(grid: Grid, project: str, table: str | None, ex: Extraction) -> None:
    where, values, funds = _summary(grid, "project", project, table)
    ex.add("projects", where, **values)
    add_figures(ex, funds, "project", project, table)
    _indicators(grid.rows, "project", project, table, ex)


def _department_name(rows: list[Row]) -> str | None:
    """The department as its 部门整体 table prints it (预算部门名称 / 单位名称 row)."""
    for row in rows:
        if "部门名称" in row.label(0) or "单位名称" in row.label(0):
            return next((c.text for c in row.cells[1:] if not is_placeholder(c.text)), None)
    return None


def _title_above(lines: list[SourceLine], start: int, lookback: int = 4) -> str | None:
    """The title printed just above a grid ("2023年度部门整体支出绩效自评表")."""
    for line in reversed(lines[max(0, start - lookback) : start]):
        if (text := no_blanks(line.clean)) and not _TABLE_ID.match(text):
            return text
    return None


def _department_table(
    grid: Grid, subject: str | None, table: str | None, title: str, meta: DocumentMeta, ex: Extraction
) -> None:
    """部门整体支出绩效自评表: the department's own result, when it prints funds or a score;
    its 年度资金总额 also as the department's ``budget_lines`` total."""
    where, values, funds = _summary(grid, "department", subject, table)
    if subject is None:
        ex.warn(f"{table or 'department table'}: no department name or title printed; its result was not read")
    elif has_result(values):
        ex.add("projects", where, **values)
        add_figures(ex, funds, "department", subject, table)
        perf_basic_data.add_overall_funds(ex, funds, title, meta)
    _indicators(grid.rows, "department", None, table, ex)


def _summary(grid: Grid, scope: str, subject: str | None, table: str | None) -> tuple[SourceLine, dict, list]:
    """The table's projects row (年度资金总额 under its headings, 总分, 偏差原因) and the
    figures of its funds block."""
    values: dict = {"scope": scope, "project": subject, "table": table}
    where: SourceLine = grid.rows[0].line
    funds = cell_funds(grid.rows)
    figures: list = []
    if funds:
        where, amounts, figures = funds
        values.update(amounts)
    values["execution_rate"] = execution_rate(values)
    total = _total_row(grid.rows)
    if total is not None:
        values["max_score"] = parse_number(total.text(1))
        values["score"] = parse_number(total.text(2))
    values["deviation_note"] = _deviation_note(grid.rows)
    return where, values, figures


def _total_row(rows: list[Row]) -> Row | None:
    return next((r for r in rows if r.label(0) in ("总分", "合计", "总计")), None)


def _deviation_note(rows: list[Row]) -> str | None:
    """A 偏差原因 row of the project as a whole (not an indicator's column)."""
    for row in rows:
        if row.label(0).startswith("偏差原因") and len(row) > 1:
            return next((c.text for c in row.cells[1:] if not is_placeholder(c.text)), None)
    return None


# --- Indicators (部门整体 and 项目) -----------------------------------------------------------


def _indicator_header(rows: list[Row]) -> int | None:
    for i, row in enumerate(rows):
        labels = row.labels
        if any("一级指标" in lab for lab in labels) and any("三级指标" in lab for lab in labels):
            return i
    return None


def _indicators(rows: list[Row], scope: str, project: str | None, table: str | None, ex: Extraction) -> None:
    h = _indicator_header(rows)
    if h is None:
        return
    header = rows[h]
    body: list[Row] = []
    for row in rows[h + 1 :]:
        if row.label(0) in ("总分", "合计", "总计"):
            break
        body.append(row)
    if not body:
        return
    # Rows are as wide as most of them; the heading row may lack the 绩效指标 column.
    width = Counter(len(r) for r in body).most_common(1)[0][0]
    shift = max(0, width - len(header))
    col = {field: i + shift for i, field in columns_of(header, INDICATOR_COLUMNS).items()}
    if "name" not in col:
        return
    body = fit_rows(body, width)
    filled = fill_down(body, [col[k] for k in ("level1", "level2") if k in col])
    for row, texts in zip(body, filled, strict=True):
        if row.is_blank:
            continue
        name_cell = row.cell(col["name"])
        where = name_cell.line if name_cell else row.line
        for item in _items(texts, col, where, table, ex):
            _indicator(item, col, where, scope, project, table, ex)


def _items(texts: list[str], col: dict[str, int], where: SourceLine, table: str | None, ex: Extraction) -> list[list[str]]:
    """One row, or one per item when its cells are numbered lists that line up."""
    items = split_numbered_row(texts, col)
    if items is None:
        ex.warn(
            f"{table or 'table'} {where.ref}: numbered lists in one indicator row do not line up item by item "
            "(三级指标 / 指标值 / 实际完成值 / 分值 / 得分); kept as one indicator"
        )
        return [texts]
    return items


def _indicator(
    texts: list[str], col: dict[str, int], where: SourceLine, scope: str, project: str | None, table: str | None, ex: Extraction
) -> None:
    def text(field: str) -> str | None:
        i = col.get(field)
        value = texts[i] if i is not None and i < len(texts) else ""
        return None if is_placeholder(value) else value

    def printed(field: str) -> str | None:
        # 无 as a target is a statement ("no negative impact"): kept as printed.
        i = col.get(field)
        return (texts[i] or None) if i is not None and i < len(texts) else None

    weight, score = _points(text("weight")), _points(text("score"))
    name = text("name")
    if name is None:  # 无 / blank placeholder rows are not indicators …
        if not (weight or score):
            return
        # … unless they carry points (not 0): kept under the 二级指标 they are printed in.
        name = _squash(text("level2")) or _squash(text("level1"))
        if name is None:
            ex.warn(f"{table or 'table'} {where.ref}: 分值/得分 printed on a row without an indicator; not read")
            return
    level1 = text("level1")
    points = _POINTS.search(level1 or "")
    target_text, actual_text = printed("target"), printed("actual")
    target, actual = _measure(target_text), _measure(actual_text)
    ex.add(
        "indicators",
        where,
        scope=scope,
        project=project,
        table=table,
        level1=_squash(_POINTS.sub("", level1)) if level1 else None,
        level1_weight=float(points.group(1)) if points else None,
        level2=_squash(text("level2")),
        name=name,
        target_text=target_text,
        actual_text=actual_text,
        target_value=target.value,
        actual_value=actual.value,
        unit=target.unit or actual.unit,
        comparator=target.comparator if target.value is not None else None,
        completion=completion(target, actual),
        weight=weight,
        score=score,
        deviation_note=text("note"),
    )


def _points(text: str | None) -> float | None:
    """分值 / 得分 as printed: "10", "9.5分"."""
    return parse_number(re.sub(r"\s*分$", "", text)) if text else None


def _measure(text: str | None) -> Measure:
    """parse_measure, but a date or period ("2023年1-12月", "2023年") is not a quantity."""
    measure = parse_measure(text)
    unit = measure.unit or ""
    if measure.value is not None and (re.search(r"[\d\-~至]", unit) or (unit.startswith("年") and 1900 <= measure.value <= 2100)):
        return Measure(measure.text, None, None, measure.comparator)
    return measure


def _squash(text: str | None) -> str | None:
    return (no_blanks(text) or None) if text else None


# --- 基础数据表: 三公经费, staff, and the other amounts (perf_basic_data) ---------------------


def sangong_row(label: str) -> str | None:
    """The 三公 item a 基础数据表 row names (numbering and 其中 stripped), by the spec's names:
    its rows mix 三公 with projects, so a project called 运行维护经费 is no 三公 item."""
    return named_item(_ROW_PREFIX.sub("", label.strip()))


def is_sangong(label: str) -> bool:
    return sangong_row(label) is not None


def _basic_data(grid: Grid, table: str, meta: DocumentMeta, ex: Extraction) -> None:
    rows = grid.rows
    for h, header in enumerate(rows):
        labels = header.labels
        staff_col = next((i for i, lab in enumerate(labels) if "实际在职人数" in lab), None)
        if staff_col is not None and h + 1 < len(rows):
            year = _PHASE_YEAR.search(labels[staff_col])
            staff = parse_number(rows[h + 1].text(staff_col))
            if staff is not None and ex.staff_count is None and (not year or int(year.group(1)) == meta.year):
                ex.staff_count = int(staff)
        if labels and labels[0].startswith("经费控制情况"):
            _sangong(rows[h + 1 :], header, meta, ex)
            perf_basic_data.basic_data_lines(rows[h + 1 :], header, table, meta, ex, is_sangong)


def _sangong(rows: list[Row], header: Row, meta: DocumentMeta, ex: Extraction) -> None:
    unit = bracketed_unit(header.label(0))
    measures: dict[int, str] = {}
    for i, label in enumerate(header.labels):
        if m := _PHASE_HEADING.search(label):
            measure = _measure_for(int(m.group(1)), m.group(2), meta.year)
            if measure:
                measures[i] = measure
    started = False
    for row in rows:
        item = sangong_row(row.label(0))
        if item is None:
            if started:
                break  # the 三公 block is over (项目支出, 公用经费 …)
            continue
        started = True
        for col, measure in measures.items():
            cell = row.cell(col)
            amount = parse_number(cell.text) if cell else None
            if amount is None:
                continue  # blank: not disclosed, no row
            ex.add(
                "sangong", cell.line, item=item, measure=measure, amount=to_wan(amount, unit),
                unit_as_printed=unit or "万元", origin="attachment",
            )


def _measure_for(year: int, phase: str, doc_year: int) -> str | None:
    if year == doc_year:
        return "actual" if phase == "决算" else "budget_initial"
    if year == doc_year - 1:
        return "prior_year_actual" if phase == "决算" else "prior_year_budget"
    return None
