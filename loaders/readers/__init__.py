"""Readers: a document file in, a :class:`~loaders.readers.source.Source` out.

Every reader gives numbered lines with their references; tables arrive as lines of
tab-separated cells, whatever the format, so that one table reader serves them all.
"""

from __future__ import annotations

from pathlib import Path

from loaders.errors import DocumentError
from loaders.readers.source import MAX_FILE_BYTES, SUPPORTED_SUFFIXES, Source


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
        from loaders.readers.pdf import read_pdf

        return read_pdf(path)
    if suffix == ".docx":
        from loaders.readers.docx import read_docx

        return read_docx(path)
    from loaders.readers.text import read_text_source

    return read_text_source(path)
