"""Prose as sentences, with every character traced back to the line it was printed on.

Disclosures hard-wrap their prose: a sentence runs over several lines, often with blank
lines between the pieces, and a figure's label and value may sit on different lines
("预决算差异率" … "7,289.27%，主要原因是…"). Parsers read joined sentences, but a
figure's ``source_ref`` must be the line the figure itself was printed on, so a
:class:`Passage` keeps, for each character, the :class:`SourceLine` it came from.

Table rows (tab-separated) and section headings are not prose: they end a paragraph and
are never joined to it.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter, is_

from loaders.readers.source import Source, SourceLine

# A paragraph ends after a line ending with one of these (a sentence end).
_TERMINAL = "。！？!?"
# Ending a line with these ends the paragraph only when the next line starts a new item.
_SOFT_TERMINAL = "；;：:"
# Section headings: 第二部分, 一、, （一）, (一), and "- " contents entries.
_HEADING = re.compile(r"^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+\s*[、.．]|[(（]\s*[一二三四五六七八九十]+\s*[)）]|-\s|目\s*录)")
# The start of an enumerated item: 1. / 1、 / (1) / （1） / 一、 … ("7,289.27%" is not one).
_ITEM_START = re.compile(r"^(?:\d{1,2}\s*[.、．](?!\d)|[(（]\s*[\d一二三四五六七八九十]+\s*[)）]|[一二三四五六七八九十]+\s*[、.．]|第[一二三四五六七八九十]+部分)")
_HEADING_MAX_CHARS = 40
_SHORT_ITEM_CHARS = 16
_SENTENCE_END = re.compile(r"[。！？!?]+")
_FIGURE_OR_CLASS = re.compile(r"\d|\((?:类|款|项)\)")
_AMOUNT = re.compile(r"\d\s*(?:万元|亿元|元|%)")


@lru_cache(maxsize=64)
def _separator(separators: str) -> re.Pattern:
    """One of the characters ``separators`` (found by the regex engine, not char by char)."""
    return re.compile("[" + re.escape(separators) + "]")


@dataclass(frozen=True)
class Passage:
    """Joined prose; ``origins[i]`` is the line that printed ``text[i]``."""

    text: str
    origins: tuple[SourceLine, ...]

    def __post_init__(self) -> None:
        if len(self.text) != len(self.origins):
            raise ValueError("every character needs its source line")

    def line_at(self, index: int) -> SourceLine:
        """The line the character at ``index`` was printed on (clamped to the passage)."""
        return self.origins[min(max(index, 0), len(self.origins) - 1)]

    def slice(self, start: int, end: int | None = None) -> Passage:
        # The same slice of both holds the invariant: built without the frozen __init__ and
        # its check (prose is cut into thousands of sentences and clauses).
        piece = object.__new__(Passage)
        piece.__dict__.update(text=self.text[start:end], origins=self.origins[start:end])
        return piece

    @property
    def lines(self) -> list[SourceLine]:
        """The distinct lines this passage was joined from, in order."""
        return list(dict.fromkeys(self.origins))

    def split(self, separators: str) -> list[Passage]:
        """Pieces ending at (and keeping) any of ``separators``; empty pieces dropped."""
        pieces, start = [], 0
        for m in _separator(separators).finditer(self.text):
            pieces.append(self.slice(start, m.end()))
            start = m.end()
        pieces.append(self.slice(start))
        return [p for p in pieces if p.text.strip()]


def is_table_line(line: SourceLine) -> bool:
    return "\t" in line.clean


@lru_cache(maxsize=1 << 14)  # asked of every prose line and paragraph
def is_heading(text: str) -> bool:
    """A section heading: a numbered title line, short, with no sentence in it."""
    s = text.strip()
    if _ITEM_START.match(s) and len(s) <= _SHORT_ITEM_CHARS and not _FIGURE_OR_CLASS.search(s[2:]):
        return True  # "1. 执行率情况": a numbered title, not the start of a wrapped sentence
    if not _HEADING.match(s) or len(s) > _HEADING_MAX_CHARS:
        return False
    return not _AMOUNT.search(s) and s[-1:] not in "，,、"


_PAGE_NUMBER = re.compile(r"[-—–\s]*\d{1,4}[-—–\s]*|第\s*\d{1,4}\s*页(?:\s*共\s*\d{1,4}\s*页)?")


def _is_page_number(line: SourceLine, following: SourceLine | None) -> bool:
    """A page's last line that is only its number ("30", "- 30 -"): never part of a sentence
    ("比上年预算减少 / 30 / 30.8 万元" must not read 3030.8)."""
    if line.page is None or (following is not None and following.page == line.page):
        return False
    return bool(_PAGE_NUMBER.fullmatch(line.clean.strip()))


def _ends_paragraph(text: str, next_text: str | None) -> bool:
    last = text.rstrip()[-1:]
    if next_text is None or last in _TERMINAL:
        return True
    return last in _SOFT_TERMINAL and bool(_ITEM_START.match(next_text.strip()))


def _paragraph_lines(lines: Iterable[SourceLine]) -> Iterator[list[SourceLine]]:
    """Group prose lines into paragraphs; blank lines inside a wrapped sentence are skipped."""
    current: list[SourceLine] = []
    lines = list(lines)
    # (is_table_line inlined, and a page number only asked of paged lines: every line comes here)
    prose = [ln for i, ln in enumerate(lines) if ("\t" in ln.clean or ln.clean.strip())
             and not (ln.page is not None and _is_page_number(ln, lines[i + 1] if i + 1 < len(lines) else None))]
    for i, line in enumerate(prose):
        if "\t" in line.clean:
            if current:
                yield current
            current = []
            continue
        text = line.clean.strip()
        if is_heading(text):
            if current:
                yield current
            yield [line]
            current = []
            continue
        if current and _ITEM_START.match(text) and current[-1].clean.rstrip()[-1:] in _SOFT_TERMINAL:
            yield current
            current = []
        current.append(line)
        nxt = prose[i + 1] if i + 1 < len(prose) else None
        next_text = None if nxt is None or "\t" in nxt.clean else nxt.clean
        if _ends_paragraph(text, next_text):
            yield current
            current = []
    if current:
        yield current


def join_lines(lines: Iterable[SourceLine]) -> Passage:
    """Join hard-wrapped lines with nothing between them (Chinese wraps mid-word)."""
    chars: list[str] = []
    origins: list[SourceLine] = []
    for line in lines:
        text = line.clean.strip()
        chars.append(text)
        origins.extend([line] * len(text))
    return Passage("".join(chars), tuple(origins))


def paragraphs(source: Source | Iterable[SourceLine]) -> list[Passage]:
    """Prose paragraphs of a document (headings come out as one-line paragraphs)."""
    lines = source.lines if isinstance(source, Source) else list(source)
    # The narrative reader and the checks' readers of the prose (stated rates, pairs) each ask
    # for the same document's paragraphs, the checks over lines rebuilt from the stored
    # dataset: the same lines (number, page, text) give the same paragraphs. The very same
    # line objects (a build asks again of the lines it parsed) are found without working out
    # the key: a line is immutable, so the same objects are the same lines.
    with _PARAGRAPHS_LOCK:
        same = next((key for key, (seen, _) in reversed(_PARAGRAPHS.items())
                     if len(seen) == len(lines) and all(map(is_, seen, lines))), None)
        if same is not None:
            _PARAGRAPHS[same] = entry = _PARAGRAPHS.pop(same)  # most recent last
            return list(entry[1])
    key = (tuple(map(_TEXT, lines)), tuple(map(_NUMBER, lines)), tuple(map(_PAGE, lines)))
    with _PARAGRAPHS_LOCK:
        found = _PARAGRAPHS.pop(key, (None, None))[1]
    if found is None:
        found = tuple(join_lines(group) for group in _paragraph_lines(lines))
    with _PARAGRAPHS_LOCK:
        _PARAGRAPHS[key] = (tuple(lines), found)  # most recent last
        while len(_PARAGRAPHS) > _PARAGRAPHS_KEPT:
            del _PARAGRAPHS[next(iter(_PARAGRAPHS))]
    return list(found)


_TEXT, _NUMBER, _PAGE = attrgetter("text"), attrgetter("number"), attrgetter("page")  # read in C, not a loop
# By the lines' content: the lines last asked with that content, and their paragraphs.
_PARAGRAPHS: dict[tuple, tuple[tuple[SourceLine, ...], tuple[Passage, ...]]] = {}
_PARAGRAPHS_KEPT = 4  # documents: one worker reads one at a time
_PARAGRAPHS_LOCK = threading.Lock()


def sentences(passage: Passage) -> list[Passage]:
    """Sentences of a paragraph, each ending at (and keeping) 。！？. Kept with the paragraph:
    the narrative reader and the checks' reading of stated rates split the same (cached)
    paragraphs."""
    found = passage.__dict__.get("_sentences")
    if found is None:
        out, start = [], 0
        for m in _SENTENCE_END.finditer(passage.text):
            out.append(passage.slice(start, m.end()))
            start = m.end()
        out.append(passage.slice(start))
        found = passage.__dict__["_sentences"] = tuple(s for s in out if s.text.strip())
    return list(found)
