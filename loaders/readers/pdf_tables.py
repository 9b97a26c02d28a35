"""Turn one pdfplumber table into lines of tab-separated cells.

Output, in order:

- a header cell spanning the whole table width (a table caption such as
  ``财政拨款“三公”经费``): its own line, no tabs;
- the header: one line. A multi-level header (merged cells over sub-columns) is flattened:
  each column's cell is the path of header texts above it joined by ``/``
  (``因公出国（境）费/决算数``), so columns can be mapped by position or by text;
- body rows: one line each, every grid column a cell; a merged cell's text is in its first
  column and the columns/rows it covers are empty (not repeated). Empty rows are dropped.

A table that continues one from the previous page (same number of columns, at the top of
the page) gets no header of its own unless it repeats the printed header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_HEADER_ROWS = 6
_CJK = r"\u2e80-\u2fdf\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])[ \u3000]+(?=[{_CJK}])")
_CJK_CHAR = re.compile(rf"[{_CJK}]")
_NUMBER = re.compile(r"[-+(（]?[\d,，]*\.?\d+[)）]?%?")


@dataclass(frozen=True)
class TableShape:
    """What the next page needs to know to recognise a continuation."""

    n_cols: int
    first_row: tuple[str, ...]


def squeeze_cjk(text: str) -> str:
    """Drop letter-spacing between CJK characters ("公 务 用 车" -> "公务用车")."""
    return _CJK_GAP.sub("", text)


def join_wrapped(text: str) -> str:
    """Join a cell's wrapped lines: no space between CJK characters, else one space."""
    out = ""
    for part in (p.strip() for p in text.split("\n")):
        if not part:
            continue
        if out and not (_CJK_CHAR.match(part[0]) and _CJK_CHAR.match(out[-1])):
            out += " "
        out += part
    return squeeze_cjk(out)


@dataclass(eq=False)
class _Cell:
    text: str
    rows: range
    cols: range


def is_number(text: str) -> bool:
    return bool(_NUMBER.fullmatch(text.replace(" ", "")))


def _grid(table) -> tuple[list[_Cell], list[list[_Cell | None]]]:
    """Cells with their row/column spans, and the grid position -> covering cell."""
    texts = table.extract()
    rows = table.rows
    tops = [row.bbox[1] for row in rows]
    xs = sorted({c[0] for row in rows for c in row.cells if c})
    n_rows, n_cols = len(rows), len(xs)
    cells: list[_Cell] = []
    owner: list[list[_Cell | None]] = [[None] * n_cols for _ in range(n_rows)]
    for r, row in enumerate(rows):
        for bbox, text in zip(row.cells, texts[r], strict=True):
            if bbox is None:
                continue
            x0, top, x1, bottom = bbox
            cols = [j for j, x in enumerate(xs) if x0 - 0.5 <= x < x1 - 0.5]
            span = [i for i, t in enumerate(tops) if top - 0.5 <= t < bottom - 0.5]
            if not cols or not span:
                continue
            cell = _Cell(join_wrapped(text or ""), range(span[0], span[-1] + 1), range(cols[0], cols[-1] + 1))
            cells.append(cell)
            for i in cell.rows:
                for j in cell.cols:
                    owner[i][j] = cell
    return cells, owner


def _row_cells(owner: list[list[_Cell | None]], i: int) -> list[_Cell]:
    seen: list[_Cell] = []
    for cell in owner[i]:
        if cell is not None and all(cell is not s for s in seen):
            seen.append(cell)
    return seen


def header_rows(owner: list[list[_Cell | None]]) -> int:
    """Number of header rows: until every column has a named cell of its own.

    The header grows while a merged header cell still covers several unnamed columns, and
    over every row a header cell spans; it stops at a row holding a figure.
    """
    n_rows, n_cols = len(owner), len(owner[0]) if owner else 0
    resolved = [False] * n_cols
    end = 0  # exclusive
    for i in range(min(n_rows, MAX_HEADER_ROWS)):
        row = _row_cells(owner, i)
        if i >= end and any(is_number(c.text) for c in row if c.rows.start == i):
            break
        for cell in row:
            end = max(end, cell.rows.stop)
            if cell.text and len(cell.cols) == 1:
                resolved[cell.cols.start] = True
        end = max(end, i + 1)
        if all(resolved) and end == i + 1:
            return end
    # Never resolved: only a plain one-row header is certain.
    return 1 if n_rows and not any(is_number(c.text) for c in _row_cells(owner, 0)) else 0


def _line(cells: list[str]) -> str:
    while len(cells) > 1 and not cells[-1]:
        cells = cells[:-1]
    return "\t".join(cells)


def table_lines(table, previous: TableShape | None = None) -> tuple[list[str], TableShape]:
    cells, owner = _grid(table)
    if not owner or not owner[0]:
        return [], TableShape(0, ())
    n_cols = len(owner[0])
    first_row = tuple(c.text for c in _row_cells(owner, 0))
    shape = TableShape(n_cols, first_row)
    continues = previous is not None and previous.n_cols == n_cols and previous.first_row != first_row
    n_header = 0 if continues else header_rows(owner)
    out: list[str] = []
    captions = [c for c in cells if c.rows.start < n_header and len(c.cols) == n_cols and c.text]
    out.extend(c.text for c in captions)
    if n_header:
        header = []
        for j in range(n_cols):
            path: list[str] = []
            for i in range(n_header):
                cell = owner[i][j]
                if cell is None or cell in captions or not cell.text or (path and path[-1] == cell.text):
                    continue
                path.append(cell.text)
            header.append("/".join(path))
        if any(header):
            out.append(_line(header))
    for i in range(n_header, len(owner)):
        row = [(c.text if c is not None and c.rows.start == i and c.cols.start == j else "") for j, c in enumerate(owner[i])]
        if any(row):
            out.append(_line(row))
    return out, shape
