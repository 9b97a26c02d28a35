"""Read a source document into numbered lines, each with its source reference.

Text sources give ``L<line>`` references; paged sources (PDF) give ``p<page>:L<line>``
with the line counted within its page. Readers for PDF and Word live in their own
modules and return the same :class:`Source`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from loaders.errors import DocumentError
from loaders.text import clean

TEXT_SUFFIXES = (".txt", ".md")
SUPPORTED_SUFFIXES = (*TEXT_SUFFIXES, ".pdf", ".docx")
# A disclosure line is a sentence or a table row; a megabyte on one line is not a document.
MAX_LINE_CHARS = 20_000
MAX_FILE_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class SourceLine:
    number: int  # 1-based; within the page for paged sources
    text: str  # as read, for the source viewer
    page: int | None = None

    @cached_property
    def clean(self) -> str:
        return clean(self.text)

    @property
    def ref(self) -> str:
        return f"L{self.number}" if self.page is None else f"p{self.page}:L{self.number}"

    @property
    def cells(self) -> list[str]:
        """Tab-separated cells of the clean text, each stripped."""
        return [c.strip() for c in self.clean.split("\t")]


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


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 first (with or without BOM), then GB18030 (a superset of GBK/GB2312)."""
    if not data.strip():
        raise DocumentError("empty file")
    if b"\x00" in data[:65536]:
        raise DocumentError("binary data, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
            raise DocumentError("file ends in the middle of a character: truncated") from None
        utf8_error = exc
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise DocumentError(
            f"not UTF-8 or GBK text (undecodable byte at offset {utf8_error.start})"
        ) from None


def lines_from_text(text: str, page: int | None = None) -> list[SourceLine]:
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for i, line in enumerate(raw, 1):
        if len(line) > MAX_LINE_CHARS:
            raise DocumentError(f"line {i} is {len(line):,} characters long: not a disclosure text")
    return [SourceLine(i, t, page) for i, t in enumerate(raw, 1)]


def read_text_source(path: Path, data: bytes | None = None) -> Source:
    data = path.read_bytes() if data is None else data
    text = decode_text(data, path.name)
    controls = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > 0.01 * min(len(text), 65536):
        raise DocumentError("binary data, not text")
    return Source(path, path.suffix.lstrip(".").lower() or "txt", sha256_bytes(data), lines_from_text(text))


def read_source(path: Path | str) -> Source:
    """Dispatch on the file suffix; every failure is a :class:`DocumentError`."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise DocumentError(f"unsupported file type {suffix or '(none)'}; expected one of {', '.join(SUPPORTED_SUFFIXES)}")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DocumentError(f"cannot read: {exc.strerror}") from None
    if size > MAX_FILE_BYTES:
        raise DocumentError(f"file is {size / 1e6:.0f} MB; the limit is {MAX_FILE_BYTES // 1024 // 1024} MB")
    if suffix == ".pdf":
        from loaders.pdf_reader import read_pdf

        return read_pdf(path)
    if suffix == ".docx":
        from loaders.docx_reader import read_docx

        return read_docx(path)
    return read_text_source(path)
