"""The 三公 table, in every layout: items across the columns (one row per phase, or 预算数 |
决算数 under each item) or down the rows (one column per phase, beside fund-source columns).

Items come from :func:`loaders.spec.vocabulary.header_item` / ``sangong_item``. What the
table prints beside the 三公 is not 三公: 会议费, 培训费 and 机关运行经费 become
``budget_lines`` rows (breakdown ``meeting`` / ``training`` / ``operating``, item as printed).
Where 会议费 or 培训费 are printed, the table's 合计 is their sum with the 三公 (a budget line
of the table), and the 三公 total is the “三公”经费 小计.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from loaders.extraction import Extraction
from loaders.numbers import to_wan
from loaders.readers.normalize import no_blanks
from loaders.spec.columns import breakdown_of
from loaders.spec.rows import Entry
from loaders.spec.tables import TableBlock, clean_title
from loaders.spec.vocabulary import header_item, other_item, sangong_item

if TYPE_CHECKING:  # the reader calls this module: types only
    from loaders.spec.reader import Family

_PHASE_WORDS = re.compile(r"(?:预算数|决算数|预算|决算|金额|支出)$")


def _printed_name(parts: tuple[str, ...], breakdown: str) -> str:
    """The header text that names a 会议费 / 培训费 / 机关运行经费 column, without its phase word."""
    for k in range(len(parts) - 1, -1, -1):
        for text in [parts[k]] + ([parts[k - 1] + parts[k]] if k else []):
            if other_item(text) == breakdown:
                return _PHASE_WORDS.sub("", text) if breakdown == "operating" else text
    return parts[-1] if parts else breakdown


def _generic(parts: tuple[str, ...], hit: tuple[str, str] | None) -> bool:
    """A column that names no item of its own: a phase, a fund source, or a bare 合计."""
    return hit is None or hit == ("sangong", "total") and "三公" not in "".join(parts)


def _chosen_columns(entries: list[Entry], family: Family) -> set[int]:
    """Per phase, the one column a row-layout table is read from: its 合计 (the fund-source
    columns beside it are parts of it), else the first."""
    candidates: dict[tuple[int, str | None], list] = {}
    for entry in entries:
        for col in entry.segment.values:
            if _generic(col.parts, header_item(col.parts)):
                key = (entry.segment.start, family.sangong_measure(col.label))
                if col not in candidates.setdefault(key, []):
                    candidates[key].append(col)
    return {next((c for c in cols if breakdown_of(reversed(c.parts)) is None), cols[0]).index
            for cols in candidates.values()}


def emit_sangong(block: TableBlock, entries: list[Entry], unit: str | None, ex: Extraction, family: Family) -> int:
    table = family.table_name(block)
    has_other = any(other_item(e.item) in ("meeting", "training") for e in entries) or any(
        (h := header_item(c.parts)) and h[0] == "other" and h[1] in ("meeting", "training")
        for c in block.columns if c.is_value)
    chosen = _chosen_columns(entries, family)
    n = 0
    for entry in entries:
        row_item, row_other = sangong_item(entry.item), other_item(entry.item)
        for v in entry.values:
            measure = family.sangong_measure(f"{entry.item} {v.column.label}")
            if measure is None:
                continue  # 增减 / % columns: not a phase
            hit = header_item(v.column.parts)
            if _generic(v.column.parts, hit):  # the items are down the rows (or this is a 合计 column)
                if v.column.index not in chosen:
                    continue  # a fund-source part of the row's 合计
                if row_other:
                    hit = ("other", row_other)
                elif row_item and row_item != "total":
                    hit = ("sangong", row_item)
                elif row_item or hit:
                    # a 合计 beside 会议费/培训费: the table's total, not the 三公's
                    hit = ("table_total", "total") if has_other and "三公" not in entry.item else ("sangong", "total")
                else:
                    ex.warn(f"{clean_title(block.title)}: {v.text} ({entry.line.ref}) not matched to a 三公 item")
                    continue
            amount = to_wan(v.amount, unit)
            if hit[0] == "sangong":
                if ex.add("sangong", entry.line, item=hit[1], measure=measure, amount=amount,
                          unit_as_printed=unit, origin="table"):
                    n += 1
                continue
            if hit[0] == "table_total":
                item, level, breakdown = "合计", 0, "total"
            else:  # 会议费 / 培训费 / 机关运行经费, named by its row or by its column
                named_by_row = row_other == hit[1] and not header_item(v.column.parts)
                item = tidy_label(entry.item) if named_by_row else _printed_name(v.column.parts, hit[1])
                level, breakdown = None, hit[1]
            ex.add("budget_lines", entry.line, table=table, code=None, item=item, level=level,
                   breakdown=breakdown, measure=measure, amount=amount, unit_as_printed=unit)
            n += 1
    return n


def tidy_label(text: str) -> str:
    return re.sub(r"^[一二三四五六七八九十\d]+[、.．]\s*", "", no_blanks(text))
