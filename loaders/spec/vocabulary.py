"""Row labels and column headers → items, from the spec (:file:`national_formats.toml`).

:func:`sangong_item` is the one 三公 vocabulary for every family parser and the narrative;
:func:`other_item` names the figures printed beside the 三公 that are not 三公 (会议费,
培训费, 机关运行经费).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from loaders.spec.formats import spec


@cache
def _sangong_rules() -> tuple[tuple[str, re.Pattern, re.Pattern | None], ...]:
    return tuple((r["item"], re.compile(r["pattern"]), re.compile(r["context"]) if r.get("context") else None)
                 for r in spec()["sangong"])


@cache
def _other_rules() -> tuple[tuple[str, re.Pattern], ...]:
    return tuple((r["breakdown"], re.compile(r["pattern"])) for r in spec()["other_items"])


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def other_item(label: str) -> str | None:
    """``meeting`` (会议费), ``training`` (培训费), ``operating`` (机关运行经费), else ``None``."""
    t = _squash(label)
    return next((b for b, p in _other_rules() if p.search(t)), None)


def sangong_item(label: str, context: str = "") -> str | None:
    """The 三公 item a label names (``outbound_travel`` … ``total``), else ``None``.

    ``context`` is the text of the header levels above the label (a 小计's parent).
    会议费 / 培训费 / 机关运行经费 are never 三公.
    """
    t = _squash(label)
    if not t or other_item(t):
        return None
    ctx = _squash(context)
    for item, pattern, needs in _sangong_rules():
        if pattern.search(t) and (needs is None or needs.search(ctx)):
            return item
    return None


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
