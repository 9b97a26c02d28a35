"""What every reader returns: a document as numbered lines, each with its source reference.

Text sources give ``L<line>`` references; paged sources (PDF) give ``p<page>:L<line>``
with the line counted within its page. The readers (:mod:`loaders.readers.text`,
:mod:`loaders.readers.pdf`, :mod:`loaders.readers.docx`) all return a :class:`Source`;
:func:`loaders.readers.read_source` picks one by the file's suffix.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from loaders.errors import DocumentError
from loaders.readers.normalize import clean

TEXT_SUFFIXES = (".txt", ".md")
SUPPORTED_SUFFIXES = (*TEXT_SUFFIXES, ".pdf", ".docx")
# A disclosure line is a sentence or a table row; a megabyte on one line is not a document.
MAX_LINE_CHARS = 20_000
MAX_FILE_BYTES = 50 * 1024 * 1024


@lru_cache(maxsize=1 << 15)  # every parser asks every line for its cells, some many times
def _cells(clean_text: str) -> tuple[str, ...]:
    return tuple(map(str.strip, clean_text.split("\t")))


@dataclass(frozen=True)
class SourceLine:
    number: int  # 1-based; within the page for paged sources
    text: str  # as read, for the source viewer
    page: int | None = None

    def __post_init__(self) -> None:
        # Every parser reads every line's clean text: worked out now, not through the
        # (locking, slower) cached_property on first use.
        self.__dict__["clean"] = clean(self.text)

    @cached_property
    def clean(self) -> str:
        return clean(self.text)

    @property
    def ref(self) -> str:
        return f"L{self.number}" if self.page is None else f"p{self.page}:L{self.number}"

    @property
    def cells(self) -> list[str]:
        """Tab-separated cells of the clean text, each stripped (a new list: callers may change it)."""
        return list(_cells(self.clean))


@dataclass
class Source:
    path: Path
    format: str  # txt | md | pdf | docx
    sha256: str
    lines: list[SourceLine]
    n_pages: int | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.path.name

    @cached_property
    def text(self) -> str:
        """All clean lines joined by newlines (for detection and narrative search)."""
        return "\n".join(line.clean for line in self.lines)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def lines_from_text(text: str, page: int | None = None) -> list[SourceLine]:
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if max(map(len, raw)) > MAX_LINE_CHARS:
        i, line = next((i, line) for i, line in enumerate(raw, 1) if len(line) > MAX_LINE_CHARS)
        raise DocumentError(f"line {i} is {len(line):,} characters long: not a disclosure text")
    lines = [_NEW(SourceLine) for _ in raw]  # each filled in as _new_line does, without a call per line
    for line, number, text in zip(lines, range(1, len(raw) + 1), raw, strict=True):
        _SET(line, "__dict__", {"number": number, "text": text, "page": page, "clean": clean(text)})
    return lines


def _new_line(number: int, text: str, page: int | None) -> SourceLine:
    """``SourceLine(number, text, page)`` without the frozen dataclass's slow ``__init__``
    (a document is tens of thousands of lines): the same fields, the same clean text. The
    instance's dict is handed over whole (a third of the cost of filling it in)."""
    line = _NEW(SourceLine)
    _SET(line, "__dict__", {"number": number, "text": text, "page": page, "clean": clean(text)})
    return line


_NEW = object.__new__
_SET = object.__setattr__  # the frozen dataclass's own __setattr__ refuses every name
