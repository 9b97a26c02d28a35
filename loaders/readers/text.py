"""Read a .txt / .md disclosure: decode (UTF-8, else GB18030), refuse binary, split into lines.

Text disclosures are mostly conversions of Word or PDF files, and converters leave their
own markup in them: markdown bold (``**合计**``), ``[bookmark: _Toc…]`` anchors, ``<input>``
check boxes and LaTeX for the signs a font lacked (``$\\geq$``). None of it is the
document's: it is removed here, line by line (line numbers stay as printed), so that no
parser has to know about it.
"""

from __future__ import annotations

import re
from pathlib import Path

from loaders.errors import DocumentError
from loaders.readers.source import Source, lines_from_text, sha256_bytes


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


# Control characters other than tab, newline, carriage return and form feed: binary data.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_HTML_INPUT = re.compile(r"<input[^>]*>")
_LATEX = (("\\geq", "≥"), ("\\leq", "≤"), ("\\ge", "≥"), ("\\le", "≤"), ("\\%", "%"), ("\\times", "×"))
_LATEX_MATH = re.compile(r"\$([^$\n]{0,40})\$")


def strip_markup(text: str) -> str:
    """One line without the converter's markup (see the module docstring)."""
    if "[" in text:
        text = _BOOKMARK.sub("", text)
    if "**" in text:
        text = _BOLD.sub(r"\1", text)
    if "<input" in text:
        text = _HTML_INPUT.sub("", text)
    return _strip_latex(text) if "$" in text else text


def _strip_latex(text: str) -> str:
    for old, new in _LATEX:
        text = text.replace(old, new)
    return _LATEX_MATH.sub(r"\1", text)


# The same patterns kept within a line, for the whole text at once (none of them can reach
# past a newline, so the result is that of :func:`strip_markup` on every line).
_BOOKMARK_IN_LINE = re.compile(r"\[bookmark:[^\]\n]*\]")
_HTML_INPUT_IN_LINE = re.compile(r"<input[^>\n]*>")


def strip_markup_lines(text: str) -> str:
    """:func:`strip_markup` on every line of ``text`` (newline-separated), at once."""
    if "[" in text:
        text = _BOOKMARK_IN_LINE.sub("", text)
    if "**" in text:
        text = _BOLD.sub(r"\1", text)
    if "<input" in text:
        text = _HTML_INPUT_IN_LINE.sub("", text)
    if "$" in text:  # LaTeX only on the lines that print a $
        text = "\n".join(_strip_latex(line) if "$" in line else line for line in text.split("\n"))
    return text


def read_text_source(path: Path, data: bytes | None = None) -> Source:
    data = path.read_bytes() if data is None else data
    text = decode_text(data, path.name)
    controls = len(_CONTROL.findall(text, 0, 65536))
    if controls > 0.01 * min(len(text), 65536):
        raise DocumentError("binary data, not text")
    lines = lines_from_text(strip_markup_lines(text.replace("\r\n", "\n")))
    return Source(path, path.suffix.lstrip(".").lower() or "txt", sha256_bytes(data), lines)
