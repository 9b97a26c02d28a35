"""Rebuild table rows from the one-cell-per-line layout (岳阳, 汨罗 绩效 tables).

Word tables saved as text arrive as: each cell on its own line opening with a tab, a
cell's text wrapping onto following lines without a tab ("年初\\n预算数"), and a blank line
between rows. The layout is loose, so this module only rebuilds what the text says and
offers the repairs a table parser may need once it knows how wide its rows are:

- a blank line may also fall *inside* a cell ("产出指标", "", "(50分)") or *inside* a row
  (a row broken in two by a stray blank line): :func:`fit_rows` merges the parts back;
- a cell line may end with a stray tab, which would add an empty cell: dropped when the
  row is too wide;
- merged cells (一级指标 spanning several rows) print once: :func:`fill_down`.

A grid ends at a line outside any cell that opens a footer or the next table (附件…,
填表人, 备注, 说明, a table title), so a total row printed just before one keeps its
figures clean.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from loaders.numbers import is_placeholder
from loaders.readers.normalize import no_blanks
from loaders.readers.source import SourceLine

# Lines that end a grid when they turn up where a cell would continue.
_GRID_END = re.compile(r"^(?:附件|附表|填表人|填报人|备注|说明[:：]|单位负责人|注[:：]|\d{4}\s*年度?\S*表$)")
# A wrapped line that starts a new list item keeps its line break ("1.…", "2、…").
_LIST_ITEM = re.compile(r"^(?:\d+|[一二三四五六七八九十]+)\s*[.、．,]|^目标\s*\d")
_SPACES = re.compile(r"[ \t\u3000]+")
_NUMBERED = re.compile(r"^\s*\d+\s*[.、．]?\S")


# A table parser asks a cell for its text and label many times: worked out once per text.
@lru_cache(maxsize=1 << 14)
def _cell_text(parts: tuple[str, ...]) -> str:
    out = ""
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if out and _LIST_ITEM.match(part):
            out += "\n"
        out += part
    return "\n".join(_SPACES.sub(" ", s).strip() for s in out.split("\n")).strip()


@lru_cache(maxsize=1 << 14)
def _cell_label(parts: tuple[str, ...]) -> str:
    return no_blanks(_cell_text(parts))


@dataclass
class Cell:
    parts: list[str]
    line: SourceLine  # where the cell opens: the source reference of its figure
    trailing: bool = False  # opened by a stray tab at the end of a line

    @property
    def text(self) -> str:
        """The cell as printed: wrapped lines joined, list items on their own line."""
        return _cell_text(tuple(self.parts))

    @property
    def label(self) -> str:
        """Text without any whitespace, for matching headings ("年度预 算申请")."""
        return _cell_label(tuple(self.parts))

    @property
    def is_blank(self) -> bool:
        return not self.label


@dataclass
class Row:
    cells: list[Cell] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.cells)

    @property
    def line(self) -> SourceLine:
        return self.cells[0].line

    @property
    def labels(self) -> list[str]:
        return [c.label for c in self.cells]

    def label(self, i: int) -> str:
        return self.cells[i].label if 0 <= i < len(self.cells) else ""

    def text(self, i: int) -> str:
        return self.cells[i].text if 0 <= i < len(self.cells) else ""

    def cell(self, i: int) -> Cell | None:
        return self.cells[i] if 0 <= i < len(self.cells) else None

    @property
    def is_blank(self) -> bool:
        return all(c.is_blank for c in self.cells)


def is_cell_line(line: SourceLine) -> bool:
    """A line that opens a cell: a tab with nothing but spaces before it."""
    return _opens_cell(line.clean)


def _opens_cell(clean: str) -> bool:
    at = clean.find("\t")
    return at >= 0 and not clean[:at].strip()


def is_grid_end(text: str) -> bool:
    return bool(_GRID_END.match(no_blanks(text)))


@dataclass
class Grid:
    rows: list[Row]
    start: int  # index in the line list of the first cell line
    end: int  # index just past the last line read


def read_grid(lines: Sequence[SourceLine], start: int) -> Grid:
    """Rows from ``lines[start]`` (a cell line) up to the first line that ends the grid."""
    rows: list[Row] = []
    row = Row()
    cells = row.cells
    blank_before = False
    i, n = start, len(lines)
    while i < n:
        line = lines[i]
        clean = line.clean
        at = clean.find("\t")
        if at >= 0 and not clean[:at].strip():  # is_cell_line, inlined: every grid line comes here
            if blank_before and cells:
                rows.append(row)
                row = Row()
                cells = row.cells
            pieces = clean.split("\t")[1:]
            # "…90%\t": a tab closing a line with text opens no real cell.
            if len(pieces) > 1 and not pieces[-1].strip() and any(p.strip() for p in pieces[:-1]):
                cells.extend(Cell([piece], line) for piece in pieces[:-1])
                cells.append(Cell([pieces[-1]], line, True))
            else:
                cells.extend(Cell([piece], line) for piece in pieces)
            blank_before = False
        elif not clean.strip():
            blank_before = True
        elif not cells or is_grid_end(clean):
            break
        else:  # a wrapped line, even after a blank line: the cell goes on
            head, *more = clean.split("\t")
            cells[-1].parts.append(head)
            cells.extend(Cell([p], line) for p in more)
            blank_before = False
        i += 1
    if row.cells:
        rows.append(row)
    # The grid ends after its last cell line: trailing blank lines belong to what follows.
    end = i
    while end > start and not lines[end - 1].clean.strip() and not is_cell_line(lines[end - 1]):
        end -= 1
    return Grid(rows, start, end)


def find_grids(lines: Sequence[SourceLine]) -> list[Grid]:
    """Every one-cell-per-line grid in the document, in order."""
    grids: list[Grid] = []
    # Which lines open a cell, and which of those hold several cells: worked out once, not
    # again for every window :func:`_mostly_single` looks at.
    cleans = [ln.clean for ln in lines]
    opens = [(at := c.find("\t")) >= 0 and not c[:at].strip() for c in cleans]  # _opens_cell, inlined
    if not any(opens):
        return grids
    multi = [o and c.rstrip(" ").count("\t") > 1 for o, c in zip(opens, cleans, strict=True)]
    i = 0
    for k in (k for k, o in enumerate(opens) if o):  # only a cell line can start a grid
        if k < i:
            continue  # inside the grid read last
        if _mostly_single(opens, multi, k):
            grid = read_grid(lines, k)
            grids.append(grid)
            i = max(grid.end, k + 1)
    return grids


def _mostly_single(opens: list[bool], multi: list[bool], i: int, probe: int = 12) -> bool:
    """Tab-separated tables (several cells a line) belong to another parser: of the cell
    lines among the ``probe`` lines from ``i``, at most a quarter hold several cells."""
    n = sum(opens[i : i + probe])
    return n >= 2 and sum(multi[i : i + probe]) * 4 <= n


def fit_rows(rows: Iterable[Row], width: int) -> list[Row]:
    """Repair rows of a section whose rows are ``width`` cells wide.

    Drops stray trailing-tab cells from rows that are too wide, splits a row that is an
    exact multiple of ``width`` (a missing blank line), and merges consecutive short rows
    whose lengths add up to exactly ``width`` (a blank line inside a row).
    """
    fixed: list[Row] = []
    for row in rows:
        if len(row) > width:
            kept = [c for c in row.cells if not (c.trailing and c.is_blank)]
            row = Row(kept[:]) if len(kept) >= width else row
        if len(row) > width and len(row) % width == 0:
            fixed.extend(Row(row.cells[k : k + width]) for k in range(0, len(row), width))
        else:
            fixed.append(row)
    merged: list[Row] = []
    i = 0
    while i < len(fixed):
        row = fixed[i]
        total, j = len(row), i + 1
        while total < width and j < len(fixed) and total + len(fixed[j]) <= width:
            total += len(fixed[j])
            j += 1
        if total == width and j > i + 1:
            merged.append(Row([c for r in fixed[i:j] for c in r.cells]))
            i = j
        else:
            merged.append(row)
            i += 1
    return merged


def fill_down(rows: Sequence[Row], columns: Iterable[int]) -> list[list[str]]:
    """Cell texts per row, blank cells in ``columns`` taking the value printed above.

    ``columns`` are nested left to right (一级指标, 二级指标): a new value in one column
    stops the columns to its right from carrying their old value into the new group.
    """
    columns = sorted(set(columns))
    last: dict[int, str] = {}
    out: list[list[str]] = []
    for row in rows:
        texts = [c.text for c in row.cells]
        for k, col in enumerate(columns):
            if col < len(texts) and texts[col]:
                last[col] = texts[col]
                for inner in columns[k + 1 :]:
                    last.pop(inner, None)
            elif col in last:
                while len(texts) <= col:
                    texts.append("")
                texts[col] = last[col]
        out.append(texts)
    return out


# A numbered list item at the start of a line: "1、…", "2.…", "3．…" (not "目标1:").
_NUMBERED = re.compile(r"^\s*(\d+)\s*[.、．]\s*")


def numbered_items(text: str | None) -> list[str] | None:
    """The items of a cell printed as a numbered list ("1、…\\n2、…"), numbering dropped.

    ``None`` unless the cell is exactly a list 1, 2, … n (n ≥ 2): text before the first
    item, a skipped or repeated number, or an item without text all mean the cell is not
    a list that can be read item by item.
    """
    items: list[str] = []
    for line in (text or "").split("\n"):
        m = _NUMBERED.match(line)
        if m and int(m.group(1)) == len(items) + 1 and line[m.end() :].strip():
            items.append(line[m.end() :].strip())
        elif m or not items:
            return None  # out of sequence, or text before the first item
        else:
            items[-1] += line.strip()
    return items if len(items) >= 2 else None


def has_numbered_lines(text: str | None) -> bool:
    """Loosely: two or more lines of the cell open with a number (a list, clean or not)."""
    return sum(bool(_NUMBERED.match(s)) for s in (text or "").split("\n")) >= 2


# Columns a numbered list may run through, one item per indicator.
LIST_FIELDS = ("name", "target", "actual", "weight", "score")


def split_numbered_row(texts: list[str], columns: dict[str, int]) -> list[list[str]] | None:
    """A row's cell texts, one list per item when its cells are numbered lists that line up.

    ``[texts]`` when no cell is a list. A row whose 三级指标, 指标值 and 实际完成值 are lists
    "1、…2、…" of the same length, and whose 分值 / 得分 are lists of that length too (or
    not printed), gives one row per item. ``None`` when lists are printed but do not line
    up: a figure printed once for the list cannot be given to its items, and lists of
    different lengths do not say which item is which.
    """
    cells = {f: texts[columns[f]] if f in columns and columns[f] < len(texts) else "" for f in LIST_FIELDS}
    if not any("\n" in v and has_numbered_lines(v) for v in cells.values()):  # a list has lines
        return [texts]
    lists = {f: numbered_items(v) for f, v in cells.items()}
    n = len(lists["name"] or ())
    if n < 2 or any(len(lists[f] or ()) != n for f in ("target", "actual")):
        return None
    if any(len(lists[f] or ()) != n and not is_placeholder(cells[f]) for f in ("weight", "score")):
        return None
    out = []
    for k in range(n):
        item = list(texts)
        for f, items in lists.items():
            if items:
                item[columns[f]] = items[k]
        out.append(item)
    return out
