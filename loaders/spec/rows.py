"""The rows of a printed table: one :class:`Entry` per label (code + name) with the figures
printed beside it, read by the columns' header text (:mod:`loaders.spec.tables` finds the
table). A row whose cells do not sit under their headers (a page break, a PDF grid at
another offset) is moved back or read in order; a blank cell is no figure.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from loaders.numbers import declared_unit, parse_number
from loaders.readers.source import SourceLine
from loaders.spec.columns import Column
from loaders.spec.tables import (
    Segment,
    TableBlock,
    _has_amount,
    _is_text,
    clean_title,
    code_level,
    is_total_label,
    normalize_code,
    segments,
)

# --- Reading the rows ----------------------------------------------------------------------


@dataclass(frozen=True)
class Value:
    column: Column
    amount: float
    text: str  # as printed


@dataclass
class Entry:
    """One label (code and/or name) and the figures printed for it on one line."""

    line: SourceLine
    segment: Segment
    code: str | None
    item: str
    values: list[Value]
    depth: int | None = None  # 类/款/项 cells filled, where the code itself is misprinted

    @property
    def level(self) -> int | None:
        return 0 if is_total_label(self.item) else code_level(self.code) or self.depth


_HEADER_WORD = re.compile(r"[类款项]")
_TWO_DIGITS = re.compile(r"\d{2}")
_DIGITS = re.compile(r"\d+")
_CODE_AND_NAME = re.compile(r"^(\d{3}(?:\s*\d{2}){0,2})\s+(\S.*)$")


def _label(cells: list[str], cols: list[Column]) -> tuple[str | None, str, int | None]:
    """Code, name and (where the code is misprinted) depth from a segment's label cells.

    A code may be split over 类/款/项 cells, or share its cell with the name
    ("2080501 行政单位离退休"). A 类 cell that is no code beside 款/项 digits ("7 | 11 | 02")
    gives no code, but the row is still a 项: its depth is the number of filled cells.
    """
    pieces: list[str] = []
    name_parts: list[str] = []
    sub_digits = 0
    misprinted = False
    for col in cols:
        cell = cells[col.index] if col.index < len(cells) else ""
        if col.leaf == "行次" or not cell or _HEADER_WORD.fullmatch(cell):
            continue  # 类 / 款 / 项: a header word a PDF row can carry along
        if col.leaf in ("款", "项") and _TWO_DIGITS.fullmatch(cell):
            sub_digits += 1
        if not pieces and not name_parts and normalize_code(cell):
            pieces.append(cell)
        elif pieces and not name_parts and _TWO_DIGITS.fullmatch(cell):
            pieces.append(cell)  # 款 / 项 digits printed in their own column
        elif _is_text(cell):
            name_parts.append(cell)
        elif col.leaf == "类" and _DIGITS.fullmatch(cell):
            misprinted = True
    code = normalize_code(" ".join(pieces)) if pieces else None
    name = " ".join(name_parts).strip()
    if code is None and (m := _CODE_AND_NAME.match(name)):
        code, name = normalize_code(m.group(1)), m.group(2)
    depth = 1 + sub_digits if code is None and misprinted and sub_digits else None
    return code, name, depth


def _values(cells: list[str], cols: tuple[Column, ...], texts: list[str] | None = None) -> list[Value]:
    out = []
    for k, col in enumerate(cols):
        raw = (texts[k] if k < len(texts) else "") if texts is not None else (
            cells[col.index] if col.index < len(cells) else "")
        amount = parse_number(raw)
        if amount is not None:
            out.append(Value(col, amount, raw))
    return out


def _misaligned(cells: list[str], segs: list[Segment], readings: list[tuple] | None = None) -> bool:
    """Cells that do not sit under their headers (a page break or a PDF shifted them).
    ``readings``: each segment's (code, item, depth) and values, where already read."""
    for seg in segs:
        for col in seg.values:
            if col.index < len(cells) and _is_text(cells[col.index]):
                return True
        for col in seg.labels:
            if col.index < len(cells) and col.leaf != "行次" and _has_amount([cells[col.index]]):
                return True
    orphans = starved = False
    for k, seg in enumerate(segs):
        label, values = readings[k] if readings is not None else (_label(cells, list(seg.labels)), _values(cells, seg.values))
        labelled = any(label[:2])
        has_values = bool(values)
        orphans = orphans or (has_values and not labelled)
        starved = starved or (labelled and not has_values)
    return orphans and starved


def _read_sequential(line: SourceLine, cells: list[str], segs: list[Segment]) -> list[Entry]:
    """Fallback for a shifted row: each label takes the figures that follow it, in order."""
    skip = {c.index for s in segs for c in s.labels if c.leaf == "行次"}
    groups: list[dict] = []
    for idx, cell in enumerate(cells):
        if idx in skip and not _is_text(cell):
            continue
        code = normalize_code(cell)
        last = groups[-1] if groups else None
        if last and last["code"] and not last["item"] and not any(last["values"]) and len(last["code"]) < 7 \
                and _TWO_DIGITS.fullmatch(cell):
            last["code"] += cell  # 款 / 项 digits in their own cells: "201" "06" "01"
            continue
        if code or _is_text(cell):
            last = groups[-1] if groups else None
            if last is None or any(last["values"]) or (code and last["code"]) or (not code and last["item"]):
                seg = next((s for s in reversed(segs) if s.start <= idx), segs[0])
                last = {"seg": seg, "code": None, "item": "", "values": []}
                groups.append(last)
            last["code" if code else "item"] = code or cell
            last["values"] = []  # blanks between a code and its name are not figures
        elif groups:
            groups[-1]["values"].append(cell)
    entries = []
    for g in groups:
        seg, texts = g["seg"], g["values"]
        if len(seg.values) == 1:
            texts = [t for t in texts if t][:1]
        item = g["item"] or g["code"]
        if item:
            entries.append(Entry(line, seg, g["code"], item, _values(cells, seg.values, texts)))
    return entries


def _realigned(cells: list[str], value_at: set[int]) -> list[str]:
    """A row whose figures all sit one or two cells off their headers (a PDF grid drew the
    row's cells at another offset), moved back; any other row as it is. Blank cells stay
    blank: the figures keep their order and their distance from each other."""
    figures = [i for i, c in enumerate(cells) if _has_amount([c])]
    if not figures or all(i in value_at for i in figures):
        return cells
    for d in (1, -1, 2, -2):
        if all(i + d in value_at for i in figures) and all(not cells[j] for j in range(min(len(cells), max(0, -d)))):
            return [""] * d + cells if d > 0 else cells[-d:]
    return cells


def read_entries(
    block: TableBlock, warn: Callable[[str], None] | None = None, unlabelled: str | None = None
) -> list[Entry]:
    """Every labelled row of every segment, with the figures it prints (blank cells: none).

    Figures with no label beside them are given the item ``unlabelled`` when the caller
    knows what such a row is; otherwise they are reported through ``warn`` and dropped.
    """
    segs = segments(block.columns)
    if not segs:
        return []
    entries: list[Entry] = []
    value_at = {c.index for seg in segs for c in seg.values}
    for line in block.body:
        cells = _realigned(line.cells, value_at)
        readings = [(_label(cells, list(seg.labels)), _values(cells, seg.values)) for seg in segs]
        if _misaligned(cells, segs, readings):
            entries.extend(_read_sequential(line, cells, segs))
            continue
        for seg, ((code, item, depth), values) in zip(segs, readings, strict=True):
            if not (code or item) and values and (unlabelled or not seg.labels):
                item = unlabelled or "合计"  # one row of figures under the headers alone: the table's total
            if not (code or item):
                if values and warn:
                    warn(f"{clean_title(block.title)}: figure(s) {', '.join(v.text for v in values)} "
                         f"without a label ({line.ref}) ignored")
                continue
            entries.append(Entry(line, seg, code, item or code, values, depth))
    return entries


def table_unit(block: TableBlock, default: str | None = None) -> str | None:
    """The unit the table declares, else ``default`` (e.g. the document's unit)."""
    if block.unit:
        return block.unit
    for line in block.header:
        if unit := declared_unit(line.clean):
            return unit
    return default
