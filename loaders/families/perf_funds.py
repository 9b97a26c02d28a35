"""The 资金 block of a 绩效自评表: 年度资金总额 and the sources printed under it.

    项目资金（万元）      年初预算数  全年预算数  全年执行数  分值  执行率  得分
    年度资金总额           147         147         146.86      10    99.9%   9.99
    其中：当年财政拨款     147         147         146.86
    上年结转资金
    其他资金

Both layouts are read here, columns by their headings: :func:`cell_funds` (one cell per
line, rows rebuilt by :mod:`loaders.families.cell_grid`) and :func:`tabbed_funds` (tab-separated
lines). The 年度资金总额 row gives the table's ``projects`` figures; every amount the block
prints (the total and each source, under 年初预算数 / 全年预算数 / 全年执行数) becomes one
``project_funds`` figure. A blank cell gives no figure; a printed 0 is a figure.

The source rows are the ones that follow the total and name a source (当年财政拨款,
上年结转资金, 其他资金; or by level of government: 中央 / 自治区·省 / 地·市·县 安排); the
block ends at the first row that does not (按收入性质分 …, 年度总体目标).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from loaders.extraction import DocumentMeta, Extraction
from loaders.families.cell_grid import Row
from loaders.families.perf_tabbed_rows import points, values_under
from loaders.numbers import bracketed_unit, parse_number, parse_percent, to_wan
from loaders.readers.normalize import squash
from loaders.readers.source import SourceLine
from loaders.schema import FUND_MEASURES

# Row label (其中： and a trailing unit removed) → source; see loaders.schema.FUND_SOURCES.
SOURCES = (
    (re.compile(r"(?:年度)?(?:财政)?资金总额|年度总资金"), "total"),
    (re.compile(r"当年财政拨款(?:资金)?"), "current_year_appropriation"),
    (re.compile(r"上年结转(?:资金)?"), "prior_year_carryover"),
    (re.compile(r"其他资金"), "other"),
    (re.compile(r"中央(?:财政)?安排"), "central"),
    (re.compile(r"(?:自治区|省级?)(?:财政)?安排"), "provincial"),
    (re.compile(r"(?:地|州|市|县|区)\S{0,8}安排"), "local"),
)
_LABEL_NOISE = re.compile(r"^其中[:：]?|[(（](?:亿|万|千)?元[)）]$|[:：]$")

# One figure: (where it was printed, {source, source_as_printed, measure, amount, unit_as_printed}).
Figure = tuple[SourceLine, dict]


@lru_cache(maxsize=1 << 13)
def fund_source(label: str | None) -> str | None:
    """``其中：当年财政拨款`` → ``current_year_appropriation``; ``None`` for any other row."""
    s = squash(label or "")
    for _ in range(3):
        s = _LABEL_NOISE.sub("", s)
    return next((source for pat, source in SOURCES if pat.fullmatch(s)), None)


# A department table's own result is kept (as a ``projects`` row) only when it prints one of these.
RESULT_FIGURES = ("budget_initial", "budget_adjusted", "actual", "stated_execution_rate", "score", "max_score")


def has_result(values: dict) -> bool:
    return any(values.get(k) is not None for k in RESULT_FIGURES)


def execution_rate(values: dict) -> float | None:
    """全年执行数 / 全年预算数 of a table's ``projects`` values (no adjusted budget: none)."""
    budget, actual = values.get("budget_adjusted"), values.get("actual")
    return round(actual / budget, 10) if budget and actual is not None else None


def add_figures(ex: Extraction, figures: list[Figure], scope: str, project: str | None, table: str | None) -> None:
    """One ``project_funds`` row per printed figure of a table's funds block."""
    for where, figure in figures:
        ex.add("project_funds", where, scope=scope, project=project, table=table, **figure)


def _figure(where: SourceLine, label: str, source: str, measure: str, amount: float, unit: str | None) -> Figure:
    values = {
        "source": source, "source_as_printed": squash(label), "measure": measure,
        "amount": to_wan(amount, unit), "unit_as_printed": unit or "万元",
    }  # fmt: skip
    return where, values


# --- one cell per line (岳阳, 汨罗) ------------------------------------------------------------

# Heading of a 资金 column → what it holds (first match wins: 执行率 before 执行数).
CELL_COLUMNS = (
    ("执行率", "rate"),
    ("年初预算", "budget_initial"),
    ("全年预算", "budget_adjusted"),
    ("调整预算", "budget_adjusted"),
    ("执行数", "actual"),
    ("实际支出", "actual"),
    ("分值", "weight"),
    ("得分", "score"),
)


def columns_of(header: Row, names: tuple[tuple[str, str], ...]) -> dict[int, str]:
    """Column index → field, from the headings of ``header`` (each field once)."""
    columns: dict[int, str] = {}
    for i, label in enumerate(header.labels):
        for key, field in names:
            if key in label and field not in columns.values():
                columns[i] = field
                break
    return columns


def cell_funds(rows: list[Row]) -> tuple[SourceLine, dict, list[Figure]] | None:
    """The 年度资金总额 row under its headings: (where, projects values, fund figures)."""
    for h, header in enumerate(rows):
        columns = columns_of(header, CELL_COLUMNS)
        if "budget_initial" not in columns.values() and "actual" not in columns.values():
            continue
        unit = bracketed_unit(header.label(0))
        for t in range(h + 1, len(rows)):
            row = rows[t]
            if "年度资金总额" not in row.labels:
                continue
            shift = len(row) - len(header)  # headings and figures end on the same column
            out: dict = {}
            where = row.line
            for col, field in columns.items():
                cell = row.cell(col + shift)
                if cell is None:
                    continue
                if field == "rate":
                    out["stated_execution_rate"] = parse_percent(cell.text)
                elif field in ("weight", "score"):
                    out[f"execution_{field}"] = parse_number(cell.text)
                elif (amount := parse_number(cell.text)) is not None:
                    out[field] = to_wan(amount, unit)
                    if field == "actual":
                        where = cell.line
            figures = _cell_figures(row, "total", header, columns, unit)
            for part in rows[t + 1 :]:
                label = next((lab for lab in part.labels if lab), "")
                source = fund_source(label)
                if source is None or source == "total":
                    break
                figures += _cell_figures(part, source, header, columns, unit)
            return where, out, figures
        return None
    return None


def _cell_figures(row: Row, source: str, header: Row, columns: dict[int, str], unit: str | None) -> list[Figure]:
    label = next((c.text for c in row.cells if not c.is_blank), "")
    shift = len(row) - len(header)
    figures = []
    for col, measure in columns.items():
        cell = row.cell(col + shift)
        if measure in FUND_MEASURES and cell is not None and (amount := parse_number(cell.text)) is not None:
            figures.append(_figure(cell.line, label, source, measure, amount, unit))
    return figures


# --- tab-separated rows (乌鲁木齐, 汉阳, 邯郸) -------------------------------------------------

# Fund column heading → field; first match wins (执行率 before 执行数).
TABBED_COLUMNS = (
    ("执行率", "stated_execution_rate"),
    ("年初预算", "budget_initial"),
    ("全年预算", "budget_adjusted"),
    ("调整后预算", "budget_adjusted"),
    ("调整预算", "budget_adjusted"),
    ("预算数", "budget"),  # phase told by the table's 备注, or by the document kind
    ("项目资金", "budget"),
    ("执行数", "actual"),
    ("实际支出", "actual"),
    ("分值", "execution_weight"),
    ("得分", "execution_score"),
)
_FUND_TOTALS = ("年度资金总额", "年度财政资金总额", "资金总额", "年度总资金")
_AMOUNTS = ("budget", "budget_initial", "budget_adjusted", "actual")


def tabbed_funds(
    block: list[SourceLine], meta: DocumentMeta, name: str | None, warn: Callable[[str], None]
) -> tuple[SourceLine, dict, list[Figure]] | None:
    """The 年度资金总额 line under its headings: (line, projects values, fund figures)."""
    for h, header in enumerate(block):
        heading = _heading_columns(header.clean)
        if heading is None:
            continue
        columns = list(heading)
        unit = bracketed_unit(squash(header.clean)) or "万元"
        columns = columns[1:]  # the first heading names the block (预算执行情况 (万元))
        while columns and columns[0][1] is None:  # a heading over the row labels (资金来源)
            columns = columns[1:]
        for t in range(h + 1, min(h + 6, len(block))):
            line = block[t]
            cells = line.cells
            at = next((i for i, c in enumerate(cells) if squash(c).endswith(_FUND_TOTALS)), None)
            if at is None:
                continue
            phase = _plain_budget_phase(block, meta)
            read = _tabbed_row(line, at, "total", columns, phase, unit)
            if read is None:
                warn(f"{name}: 年度资金总额 cells do not line up with their headings ({line.ref})")
                return None
            values, figures = read
            if "budget" in (role for _, role in columns) and phase is None:
                warn(f"{name}: 预算数 without a note saying 年初 or 调整后; not read ({line.ref})")
            for part in block[t + 1 :]:
                cells = part.cells
                at = next((i for i, c in enumerate(cells) if c), None)
                source = fund_source(cells[at]) if at is not None else None
                if source is None or source == "total":
                    break
                if (got := _tabbed_row(part, at, source, columns, phase, unit)) is not None:
                    figures += got[1]
                else:
                    warn(f"{name}: {squash(cells[at])} cells do not line up with their headings ({part.ref})")
            return line, values, figures
    return None


def _tabbed_row(
    line: SourceLine, at: int, source: str, columns: list[tuple[int, str | None]], phase: str | None, unit: str
) -> tuple[dict, list[Figure]] | None:
    cells = line.cells
    texts = values_under(cells, at, columns)
    if texts is None:
        return None
    values: dict = {}
    figures: list[Figure] = []
    for (_, role), text in zip(columns, texts, strict=True):
        if role == "budget":
            if phase is None:
                continue
            role = phase
        if role in _AMOUNTS:
            amount = parse_number(text)
            values[role] = None if amount is None else to_wan(amount, unit)
            if amount is not None:
                figures.append(_figure(line, cells[at], source, role, amount, unit))
        elif role == "stated_execution_rate":
            values[role] = parse_percent(text)
        elif role is not None:
            values[role] = points(text)
    return values, figures


@lru_cache(maxsize=1 << 13)  # every line of a 绩效 table is asked whether it is the funds heading
def _heading_columns(clean: str) -> tuple[tuple[int, str | None], ...] | None:
    """(cell index, role) of a funds heading's filled cells; ``None`` for a line with fewer than
    two amount headings (no funds heading)."""
    columns = [(i, _fund_role(c)) for i, c in enumerate(c.strip() for c in clean.split("\t")) if c]
    return tuple(columns) if sum(role in _AMOUNTS for _, role in columns) >= 2 else None


@lru_cache(maxsize=1 << 13)
def _fund_role(cell: str) -> str | None:
    s = squash(cell)
    return next((role for key, role in TABBED_COLUMNS if key in s), None)


def _plain_budget_phase(block: list[SourceLine], meta: DocumentMeta) -> str | None:
    """What a bare 预算数 holds: the 备注 says 调整后 (自评表), or a budget document's 年初."""
    notes = "".join(squash(line.clean) for line in block)
    if "预算数为调整后" in notes or "预算数为全年预算" in notes:
        return "budget_adjusted"
    if "预算数为年初" in notes or meta.doc_kind == "budget":
        return "budget_initial"
    return None
