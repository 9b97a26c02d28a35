"""Row labels, column headers and sentences → items, from the spec (:file:`national_formats.toml`).

The spec's ``[[sangong]]`` and ``[[other_items]]`` words are the one 三公 vocabulary; each
reader asks it its own question:

- :func:`sangong_item` / :func:`header_item`: which item a label or header of a 三公 table
  names (its names anywhere, and the shorter forms a 三公 table uses);
- :func:`named_item`: which 三公 item a row label begins with, in a table that mixes 三公
  with other rows (the 绩效 basic-data table): names only;
- :func:`name_pattern`: the regular expression of an item's names, for the narrative's
  end-anchored labels.

:func:`other_item` names the figures printed beside the 三公 that are not 三公 (会议费,
培训费, 机关运行经费).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from loaders.spec.formats import spec

SANGONG_ITEMS = ("outbound_travel", "official_reception", "vehicle_total", "vehicle_purchase",
                 "vehicle_operation", "total")
NEIGHBOURS = ("meeting", "training", "operating")


@dataclass(frozen=True)
class Item:
    """One item's words: ``names`` (regex sources) and the short ``in_table`` forms, each
    with the context (header levels above) it needs, if any."""

    item: str
    names: tuple[str, ...]
    in_table: tuple[tuple[re.Pattern, re.Pattern | None], ...] = ()

    @property
    def pattern(self) -> str:
        return "|".join(f"(?:{n})" for n in self.names)

    @property
    def anywhere(self) -> re.Pattern:
        return re.compile(self.pattern)

    @property
    def at_start(self) -> re.Pattern:
        return re.compile(f"^(?:{self.pattern})")


def _expand(pattern: str) -> str:
    """``<vehicle>`` → the spec's ``[item_words]`` vehicle words (only known keys: ``(?P<x>``
    and ``(?<!`` stay as written)."""
    words = spec().get("item_words", {})
    return re.sub(r"<(\w+)>", lambda m: words.get(m.group(1), m.group()), pattern)


def _item(key: str, raw: dict) -> Item:
    short = tuple((re.compile(_expand(t["pattern"])), re.compile(_expand(t["context"])) if t.get("context") else None)
                  for t in raw.get("in_table", ()))
    return Item(raw[key], tuple(_expand(n) for n in raw["names"]), short)


@cache
def sangong_items() -> tuple[Item, ...]:
    """The 三公 items in the spec's order (the first that matches a label wins)."""
    return tuple(_item("item", r) for r in spec()["sangong"])


@cache
def neighbours() -> tuple[Item, ...]:
    """会议费, 培训费, 机关运行经费: ``item`` is their breakdown."""
    return tuple(_item("breakdown", r) for r in spec()["other_items"])


def name_pattern(item: str) -> str:
    """The regular expression (no anchors) of a 三公 item's or a neighbour's names."""
    return next(i.pattern for i in (*sangong_items(), *neighbours()) if i.item == item)


def clear() -> None:
    """Forget the loaded words (after the spec was changed in a test)."""
    sangong_items.cache_clear()
    neighbours.cache_clear()
    _compiled.cache_clear()


def item_paragraph_words() -> dict:
    """The spec's ``[narrative_items]`` words: section titles, 类/款/项 markers, phase words and
    reason markers of the 说明's per-item paragraphs (read by ``narrative_items``)."""
    return spec()["narrative_items"]


@cache
def _compiled() -> tuple[tuple[tuple[str, re.Pattern, re.Pattern, tuple], ...], tuple[tuple[str, re.Pattern], ...]]:
    sangong = tuple((i.item, i.anywhere, i.at_start, i.in_table) for i in sangong_items())
    return sangong, tuple((i.item, i.anywhere) for i in neighbours())


def _squash(text: str) -> str:
    return re.sub(r"[\s\"“”‘’']+", "", text or "")


def other_item(label: str) -> str | None:
    """``meeting`` (会议费), ``training`` (培训费), ``operating`` (机关运行经费), else ``None``."""
    t = _squash(label)
    return next((b for b, p in _compiled()[1] if p.search(t)), None)


def sangong_item(label: str, context: str = "") -> str | None:
    """The 三公 item a label of a 三公 table names (``outbound_travel`` … ``total``), else ``None``.

    ``context`` is the text of the header levels above the label (a 小计's parent).
    会议费 / 培训费 / 机关运行经费 are never 三公.
    """
    t = _squash(label)
    if not t or other_item(t):
        return None
    ctx = _squash(context)
    for item, names, _, short in _compiled()[0]:
        if names.search(t) or any(p.search(t) and (needs is None or needs.search(ctx)) for p, needs in short):
            return item
    return None


def named_item(label: str) -> str | None:
    """The 三公 item whose name a label begins with (names only, no short forms: a table that
    also lists projects, such as one called 运行维护经费), else ``None``."""
    t = _squash(label)
    if not t or other_item(t):
        return None
    return next((item for item, _, at_start, _ in _compiled()[0] if at_start.search(t)), None)


def header_item(parts: Sequence[str]) -> tuple[str, str] | None:
    """What a column's header path names, lowest level first: ``("sangong", item)`` or
    ``("other", breakdown)``; ``None`` when it names no item (a phase, a fund source).

    A header the PDF split over two levels ("公务接" over "待费") is tried joined too.
    """
    for k in range(len(parts) - 1, -1, -1):
        candidates = [parts[k]] + ([parts[k - 1] + parts[k]] if k else [])
        for text in candidates:
            if other := other_item(text):
                return ("other", other)
            if item := sangong_item(text, "".join(parts[:k])):
                return ("sangong", item)
    return None
