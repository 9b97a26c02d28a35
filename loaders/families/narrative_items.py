"""Per-item paragraphs of the 说明: a 功能分类 path (类 → 款 → 项) with its figures and reason.

The national 决算 template prints, per 项, "1、一般公共服务支出(类)财政事务(款)行政运行(项)。
主要用于：…。年初预算为 X 万元，支出决算为 Y 万元。决算数小于预算数的主要原因：…。"; the 预算
template "1.“XX(类)XX(款)XX(项)”N 万元，主要用于…". Each figure becomes a ``budget_lines`` row
(table and origin ``narrative``) with the path as printed (``item_path``), the level of its
deepest marker, the code of the same document's table row of that path when exactly one matches
(never guessed), and the reason the paragraph states. The words (section titles, markers, phases,
reason markers) are the spec's (:func:`loaders.spec.vocabulary.item_paragraph_words`).

A figure the general narrative reader already took (same item, level, phase, amount and line)
is not added again: it gains the path and reason. Stated rates ("完成年初预算的 96.91%") are the
checks' (:func:`loaders.families.narrative.stated_rates`), not rows here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from loaders.extraction import DocumentMeta, Extraction
from loaders.families.sentences import Passage, is_heading, join_lines
from loaders.numbers import parse_number, to_wan
from loaders.readers.normalize import clean
from loaders.readers.source import Source
from loaders.spec.vocabulary import item_paragraph_words

_NAME = r"[^\s,;:。、()\d.“”\"'‘’]+?"
# An amount as printed: "1,560.05 万元", "1 560.05万元", "0.00万元" (a placeholder "XXX 万元" is none).
_AMOUNT = re.compile(r"(?<![\d.,])(-?\d{1,3}(?:[,\s]\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?)\s*(万元|亿元|元)")
_ITEM_START = r"\s*(?P<number>\d{1,2}\s*[.、]|\(\s*[\d一二三四五六七八九十]{1,3}\s*\))?\s*[\"“]?"


@dataclass(frozen=True)
class Words:
    sections: dict[str, tuple[re.Pattern, ...]]
    path: re.Pattern  # an item start and its path: groups l1, l2, l3
    phases: tuple[tuple[re.Pattern, str], ...]  # phase words ending the text before an amount
    not_this_year: re.Pattern
    other_year: re.Pattern
    reason: re.Pattern
    agree: re.Pattern
    placeholder: re.Pattern


@cache
def words() -> Words:
    raw = item_paragraph_words()
    levels = "".join(f"(?:(?P<l{i}>{_NAME}){m})?" for i, m in enumerate(raw["markers"], start=1))
    filler = raw["filler"]
    return Words(
        {family: tuple(re.compile(s) for s in titles) for family, titles in raw["sections"].items()},
        re.compile(_ITEM_START + levels),
        tuple((re.compile(f"(?:{p['pattern']}){filler}$"), p["measure"]) for p in raw["phases"]),
        re.compile(raw["not_this_year"]),
        re.compile(raw["other_year"]),
        re.compile("|".join(f"(?:{r})" for r in raw["reasons"])),
        re.compile(raw["agree"]),
        re.compile(raw["placeholder"]),
    )


@dataclass(frozen=True)
class Item:
    path: tuple[str | None, str | None, str | None]  # 类, 款, 项 as printed (None: not printed)
    passage: Passage  # the path and everything up to the next item
    body: int  # where the text after the path starts
    section: Passage | None = None  # the section it is a slice of, from ``offset``
    offset: int = 0

    @property
    def level(self) -> int:
        return max(i for i, name in enumerate(self.path, start=1) if name)

    @property
    def name(self) -> str:
        return self.path[self.level - 1]

    @property
    def item_path(self) -> str:
        return "/".join(n for n in self.path if n)


def sections(source: Source, family: str) -> list[Passage]:
    """The text of each section the spec names for ``family``, joined across wraps and pages;
    a heading that names no 类/款/项 ends it ("(一)公共安全(类)" is one of its items)."""
    titles = words().sections.get(family, ())
    out, current = [], None
    lines = source.lines
    for k, line in enumerate(lines):
        text = line.clean.strip()
        if "\t" in line.clean or not text or _page_number(line, lines[k + 1] if k + 1 < len(lines) else None):
            continue
        if is_heading(text) or any(t.search(text) for t in titles):
            if current is not None and not ("(类)" in text or "(款)" in text or "(项)" in text):
                out.append(join_lines(current))
                current = None
            if any(t.search(text) for t in titles):
                current = []
                continue
        if current is not None:
            current.append(line)
    if current:
        out.append(join_lines(current))
    return out


_PAGE_NUMBER = re.compile(r"[-—–\s]*\d{1,4}[-—–\s]*|第\s*\d{1,4}\s*页(?:\s*共\s*\d{1,4}\s*页)?")


def _page_number(line, following) -> bool:
    """A page's last line that is only its number: never part of a figure ("403.75 / 24 / 万元")."""
    if line.page is None or (following is not None and following.page == line.page):
        return False
    return bool(_PAGE_NUMBER.fullmatch(line.clean.strip()))


def items(section: Passage) -> list[Item]:
    """The items of a section, each from its path to the next item's path."""
    text, origins = section.text, section.origins
    # An item follows a sentence ("…持平。2、…"), or starts a line with its number (a line
    # "保险缴费支出(项)" is the wrapped end of the path above).
    after_sentence = {0, *(i for i in range(1, len(text)) if text[i - 1] in "。:;")}
    at = after_sentence | {i for i in range(1, len(text)) if origins[i] is not origins[i - 1]}
    matches = ((i, words().path.match(text, i)) for i in sorted(at))
    starts = [m for i, m in matches if m and (m["l1"] or m["l2"] or m["l3"])
              and (i in after_sentence or m["number"])]
    found, l1 = [], None
    for k, m in enumerate(starts):
        end = starts[k + 1].start() if k + 1 < len(starts) else len(section.text)
        path = (m["l1"], m["l2"], m["l3"])
        if not (m["l2"] or m["l3"]):
            l1 = m["l1"]  # "(一)公共安全(类)": the 类 of the items under it
        elif not m["l1"] and l1:
            path = (l1, m["l2"], m["l3"])
        found.append(Item(path, section.slice(m.start(), end), m.end() - m.start(), section, m.start()))
    return found


@dataclass(frozen=True)
class ItemFigure:
    measure: str
    amount: float  # 万元
    unit: str
    ref: str
    end: int  # where its amount ends in the item's text


def figures(item: Item, doc_kind: str) -> list[ItemFigure]:
    """The item's amounts with the phase the words right before each name; no phase, no row —
    except an amount right after the path, which is the document's own phase."""
    w, text, out = words(), item.passage.text, []
    cursor = item.body
    for m in _AMOUNT.finditer(text, item.body):
        context = text[cursor : m.start()]
        cursor = m.end()
        value = parse_number(m.group(1).replace(" ", ""))
        if value is None:
            continue
        clause = re.split(r"[,;。]", context)[-1]
        measure = None
        for pattern, phase in w.phases:
            if found := pattern.search(clause):
                if not w.not_this_year.search(clause[: found.start()]):
                    measure = phase
                break
        else:
            if m.start() - item.body < 8 and re.fullmatch(r"[\s\"”:]*(?:支出)?[\s为:]*", text[item.body : m.start()]):
                measure = "own"
        if measure == "bare_budget":
            measure = "budget_initial" if doc_kind == "budget" else None
        if measure == "own":
            measure = "budget_initial" if doc_kind == "budget" else "actual"
        if measure:
            out.append(ItemFigure(measure, to_wan(value, m.group(2)), m.group(2),
                                  item.passage.line_at(m.start(1)).ref, m.end()))
    return out


def reason(item: Item, after: int | None = None) -> tuple[str | None, str | None]:
    """The sentence stating why the phases differ (after the item's last figure, at ``after``),
    and its line; a placeholder, a statement that they agree, or the reason for a change
    against another year ("比上年增加 X 万元…主要原因是…") is none."""
    w, text = words(), item.passage.text
    after = item.body if after is None else after
    m = w.reason.search(text, after)
    if not m or w.other_year.search(text[after : m.start()]):
        return None, None
    end = text.find("。", m.end())
    end = end + 1 if end >= 0 else len(text)
    sentence = text[m.start() : end].strip()
    if not sentence or w.placeholder.search(sentence) or w.agree.search(sentence):
        return None, None
    whole = item.section or item.passage
    return _as_printed(whole, item.offset + m.start(), item.offset + end), item.passage.line_at(m.start()).ref


def _as_printed(passage: Passage, start: int, end: int) -> str:
    """``passage.text[start:end]`` in the characters its lines printed (full-width "，" as is):
    the reason is quoted, the clean text is for matching."""
    out, i = [], start
    while i < end:
        line, j = passage.origins[i], i
        while j < end and passage.origins[j] is line:
            j += 1
        first = i
        while first > 0 and passage.origins[first - 1] is line:
            first -= 1
        out.append(_printed_span(line, i - first, j - first))
        i = j
    return "".join(out).strip()


def _printed_span(line, a: int, b: int) -> str:
    """Characters ``a:b`` of a line's stripped clean text, as printed (the clean text itself
    where cleaning a character changed its length)."""
    text = line.clean
    lead = len(text) - len(text.lstrip())
    spans, pos = [], 0
    for ch in line.text:
        width = len(clean(ch))
        spans.append((pos, pos + width, ch))
        pos += width
    if pos != len(text) or any(e - s != 1 for s, e, _ in spans):
        return text.strip()[a:b]
    return "".join(ch for s, _, ch in spans if a + lead <= s < b + lead)


def _codes(ex: Extraction) -> dict[str, set[str]]:
    """The document's table rows: code → the item names printed for it."""
    names: dict[str, set[str]] = {}
    for r in ex.rows.get("budget_lines", ()):
        if r.get("table") != "narrative" and r.get("code") and r.get("origin") in (None, "table"):
            names.setdefault(str(r["code"]), set()).add(str(r["item"]))
    return names


def code_of(path: tuple[str | None, ...], names: dict[str, set[str]]) -> str | None:
    """The one code whose row and printed ancestors carry the path's names, else None."""
    widths = (3, 5, 7)
    level = max(i for i, n in enumerate(path) if n)
    found = set()
    for code, printed in names.items():
        if len(code) != widths[level] or path[level] not in printed:
            continue
        if all(n is None or n in names.get(code[: widths[i]], ()) for i, n in enumerate(path[:level])):
            found.add(code)
    return found.pop() if len(found) == 1 else None


def extract(source: Source, meta: DocumentMeta, ex: Extraction) -> None:
    family = meta.doc_kind
    if family not in words().sections:
        return
    rows = ex.rows["budget_lines"]
    narrative = [r for r in rows if r.get("table") == "narrative"]
    taken = {(r.get("item"), r.get("level"), r.get("measure"), r.get("amount"), r.get("source_ref")): r
             for r in narrative}
    # The general reader keeps a statement once, whatever its line ("the same statement printed
    # again"): so does this one.
    stated = {key[:4] for key in taken}
    names, seen = None, set()
    for section in sections(source, family):
        for item in items(section):
            found = figures(item, family)
            if not found:
                continue
            why, why_ref = reason(item, found[-1].end)
            names = _codes(ex) if names is None else names
            for f in found:
                key = (item.name, item.level, f.measure, f.amount, f.ref)
                extra = {"item_path": item.item_path, "reason": why, "reason_ref": why_ref}
                if key in taken:  # read already by the general narrative reader: enrich it
                    for col, value in extra.items():
                        if taken[key].get(col) is None:
                            taken[key][col] = value
                    continue
                if key[:4] in stated or (item.item_path, f.measure, f.amount) in seen:
                    continue
                seen.add((item.item_path, f.measure, f.amount))
                ex.add("budget_lines", f.ref, table="narrative", origin="narrative",
                       code=code_of(item.path, names), item=item.name, level=item.level, breakdown="total",
                       measure=f.measure, amount=f.amount, unit_as_printed=f.unit, **extra)
