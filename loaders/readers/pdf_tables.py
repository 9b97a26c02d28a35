"""Turn one pdfplumber table into lines of tab-separated cells.

Output, in order:

- a header cell spanning the whole table width (a table caption such as
  ``财政拨款“三公”经费``): its own line, no tabs;
- the header: one line. A multi-level header (merged cells over sub-columns) is flattened:
  each column's cell is the path of header texts above it joined by ``/``
  (``因公出国（境）费/决算数``), so columns can be mapped by position or by text;
- body rows: one line each, every grid column a cell; a merged cell's text is in its first
  column and the columns/rows it covers are empty (not repeated). Empty rows are dropped.

Grid columns too narrow to hold text that hold none (rule slivers of spreadsheet exports)
are dropped, so a header path and its figures share one cell index.

A table that continues one from the previous page (same number of columns, at the top of
the page) gets no header of its own unless it repeats the printed header.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

MAX_HEADER_ROWS = 6
SLIVER_WIDTH = 8.0  # points: narrower than one glyph with padding, a column cannot hold text
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


def _cell_texts(table, rows) -> list[list[str | None]]:
    """``table.extract()`` with the same rule (a glyph belongs to the cell holding its
    centre), found by bisection instead of testing every glyph of the page per row."""
    from pdfplumber.utils import extract_text

    x0, top, x1, bottom = table.bbox
    chars = []
    for char in table.page.chars:
        v_mid, h_mid = (char["top"] + char["bottom"]) / 2, (char["x0"] + char["x1"]) / 2
        if top <= v_mid <= bottom and x0 <= h_mid <= x1:
            chars.append((v_mid, h_mid, char))
    chars.sort(key=lambda c: c[0])
    mids = [c[0] for c in chars]
    out = []
    for row in rows:
        _, r_top, _, r_bottom = row.bbox
        in_row = chars[bisect_left(mids, r_top) : bisect_left(mids, r_bottom)]
        texts: list[str | None] = []
        for cell in row.cells:
            if cell is None:
                texts.append(None)
                continue
            mine = [c for v, h, c in in_row if cell[0] <= h < cell[2] and cell[1] <= v < cell[3]]
            texts.append(extract_text(mine) if mine else "")
        out.append(texts)
    return out


def _grid(table) -> tuple[list[_Cell], list[list[_Cell | None]], list[float]]:
    """Cells with their row/column spans, the grid position -> covering cell, row tops."""
    rows = table.rows
    texts = _cell_texts(table, rows)
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
    widths = [b - a for a, b in zip(xs, [*xs[1:], table.bbox[2]], strict=True)]
    return cells, _drop_sliver_columns(owner, widths), tops


def _drop_sliver_columns(owner: list[list[_Cell | None]], widths: list[float]) -> list[list[_Cell | None]]:
    """Drop narrow grid columns where no cell with text begins.

    Such a sliver exists only because some rule stops there (a cell margin drawn as its
    own box, a merged cell's boundary a little off its neighbours'): it holds nothing,
    and keeping it would put empty cells between a header and its figures. An empty
    column of ordinary width is kept: a blank column is a blank, and a continued table
    must keep its columns in place.
    """
    if not owner:
        return owner
    n_cols = len(owner[0])
    keep = [
        j
        for j in range(n_cols)
        if widths[j] >= SLIVER_WIDTH or any(c is not None and c.text and c.cols.start == j for c in (row[j] for row in owner))
    ]
    if len(keep) == n_cols:
        return owner
    pruned = [[row[j] for j in keep] for row in owner]
    for row in pruned:
        for k, cell in enumerate(row):
            if cell is not None and (k == 0 or row[k - 1] is not cell):
                stop = k + 1
                while stop < len(row) and row[stop] is cell:
                    stop += 1
                cell.cols = range(k, stop)
    return pruned


def _row_cells(owner: list[list[_Cell | None]], i: int) -> list[_Cell]:
    seen: list[_Cell] = []
    for cell in owner[i]:
        if cell is not None and all(cell is not s for s in seen):
            seen.append(cell)
    return seen


def _starts_with_figure(owner: list[list[_Cell | None]], i: int) -> bool:
    return any(is_number(c.text) for c in _row_cells(owner, i) if c.rows.start == i)


def _subdivides(owner: list[list[_Cell | None]], i: int) -> bool:
    """Whether row i's new named cells split a wider named cell of an earlier row."""
    for cell in _row_cells(owner, i):
        if cell.rows.start != i or not cell.text:
            continue
        for earlier in range(i):
            parent = owner[earlier][cell.cols.start]
            if parent is not None and parent.text and parent.rows.start < i and len(parent.cols) > len(cell.cols):
                return True
    return False


def header_rows(owner: list[list[_Cell | None]]) -> int:
    return _header_extent(owner)[0]


def _header_extent(owner: list[list[_Cell | None]]) -> tuple[int, bool]:
    """Number of header rows, and whether the header's grid was uneven.

    The header runs until every column has a named cell of its own: it grows while a
    merged header cell still covers several unnamed columns, and over every row a header
    cell spans; it stops at a row holding a figure. When that never happens because the
    rule grid is uneven (a wrapped header text split over grid rows), the header is every
    row above the first figure row, as long as each of them subdivides a merged cell.
    """
    n_rows, n_cols = len(owner), len(owner[0]) if owner else 0
    resolved = [False] * n_cols
    end = 0  # exclusive
    for i in range(min(n_rows, MAX_HEADER_ROWS)):
        row = _row_cells(owner, i)
        if i >= end and _starts_with_figure(owner, i):
            break
        for cell in row:
            end = max(end, cell.rows.stop)
            if cell.text and len(cell.cols) == 1:
                resolved[cell.cols.start] = True
        end = max(end, i + 1)
        if all(resolved) and end == i + 1:
            return end, False
    if not n_rows or _starts_with_figure(owner, 0):
        return 0, False
    first_figure = next((i for i in range(n_rows) if _starts_with_figure(owner, i)), None)
    if first_figure is not None and first_figure <= 2 * MAX_HEADER_ROWS:
        named = [i for i in range(1, first_figure) if any(c.text and c.rows.start == i for c in _row_cells(owner, i))]
        if named and all(_subdivides(owner, i) for i in named):
            return first_figure, True
    # Otherwise only a plain one-row header is certain.
    return 1, False


def _header_path(owner: list[list[_Cell | None]], j: int, n_header: int, captions: list[_Cell], uneven: bool) -> str:
    """A column's header texts top-down.

    Two stacked cells of the same columns are one text wrapped over two grid rows when
    they are one column wide or the grid is uneven (a parent over a single child of
    the same width is not how headers are drawn); wider ones are a parent and its child
    (支出 over 支出用途, both two columns wide).
    """
    path: list[str] = []
    prev: _Cell | None = None
    for i in range(n_header):
        cell = owner[i][j]
        if cell is None or cell is prev or cell in captions or not cell.text:
            continue
        stacked = prev is not None and prev.cols == cell.cols and prev.rows.stop == cell.rows.start
        if stacked and path and (uneven or len(cell.cols) == 1):
            path[-1] = join_wrapped(path[-1] + "\n" + cell.text)
        elif not path or path[-1] != cell.text:
            path.append(cell.text)
        prev = cell
    return "/".join(path)


def _line(cells: list[str]) -> str:
    while len(cells) > 1 and not cells[-1]:
        cells = cells[:-1]
    return "\t".join(cells)


def table_lines(table, previous: TableShape | None = None) -> tuple[list[tuple[float, str]], TableShape]:
    """The table's lines, each with the top of the grid row it comes from (for page order)."""
    cells, owner, tops = _grid(table)
    if not owner or not owner[0]:
        return [], TableShape(0, ())
    n_cols = len(owner[0])
    first_row = tuple(c.text for c in _row_cells(owner, 0))
    shape = TableShape(n_cols, first_row)
    continues = previous is not None and previous.n_cols == n_cols and previous.first_row != first_row
    n_header, uneven = (0, False) if continues else _header_extent(owner)
    out: list[tuple[float, str]] = []
    captions = [c for c in cells if c.rows.start < n_header and len(c.cols) == n_cols and c.text]
    out.extend((tops[0], c.text) for c in captions)
    if n_header:
        header = [_header_path(owner, j, n_header, captions, uneven) for j in range(n_cols)]
        if any(header):
            out.append((tops[0], _line(header)))
    for i in range(n_header, len(owner)):
        row = [(c.text if c is not None and c.rows.start == i and c.cols.start == j else "") for j, c in enumerate(owner[i])]
        if any(row):
            out.append((tops[i], _line(row)))
    return out, shape
