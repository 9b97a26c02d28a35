"""Read a Word .docx into numbered lines: paragraphs and tables in body order.

A table row becomes one line of tab-separated cells, one cell per grid column. A merged
cell's text is given once, in its first column and first row; the columns it spans
(``gridSpan``) and the rows it continues into (``vMerge``) are empty cells, not repeats.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from loaders.errors import DocumentError
from loaders.readers.pdf_tables import join_wrapped
from loaders.readers.source import MAX_LINE_CHARS, Source, SourceLine, sha256_bytes

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _paragraph_text(p) -> str:
    """Text of a w:p: runs, tabs and breaks (hyperlinks and insertions included)."""
    parts: list[str] = []
    for node in p.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr"):
        if node.tag == f"{W}t":
            parts.append(node.text or "")
        elif node.tag == f"{W}tab":
            parts.append("\t")
        else:
            parts.append("\n")
    return "".join(parts)


def _cell_text(tc) -> str:
    """A cell's paragraphs (and nested tables) joined like wrapped lines; no tabs inside."""
    texts = [_paragraph_text(p).replace("\t", " ") for p in tc.iter(f"{W}p")]
    return join_wrapped("\n".join(texts))


def _row_cells(tr) -> list[str]:
    cells: list[str] = []
    for tc in tr.findall(f"{W}tc"):
        props = tc.find(f"{W}tcPr")
        span, continued = 1, False
        if props is not None:
            grid = props.find(f"{W}gridSpan")
            if grid is not None and (grid.get(f"{W}val") or "1").isdigit():
                span = max(1, int(grid.get(f"{W}val")))
            vmerge = props.find(f"{W}vMerge")
            continued = vmerge is not None and vmerge.get(f"{W}val", "continue") != "restart"
        cells.append("" if continued else _cell_text(tc))
        cells.extend([""] * (span - 1))
    return cells


def _table_lines(tbl) -> list[str]:
    lines = []
    for tr in tbl.iter(f"{W}tr"):
        if tr.getparent() is not tbl:
            continue  # rows of a nested table are read as the outer cell's text
        cells = _row_cells(tr)
        while len(cells) > 1 and not cells[-1]:
            cells.pop()
        if any(cells):
            lines.append("\t".join(cells))
    return lines


def _body_lines(body) -> list[str]:
    lines: list[str] = []
    for child in body:
        if child.tag == f"{W}p":
            lines.extend(_paragraph_text(child).split("\n"))
        elif child.tag == f"{W}tbl":
            lines.extend(_table_lines(child))
        elif child.tag == f"{W}sdt":  # content control (e.g. a table of contents)
            content = child.find(f"{W}sdtContent")
            if content is not None:
                lines.extend(_body_lines(content))
    return lines


def read_docx(path: Path) -> Source:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    data = path.read_bytes()
    if not zipfile.is_zipfile(path):
        raise DocumentError("not a Word .docx file (not a zip package; old .doc files must be saved as .docx)")
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise DocumentError(f"not a readable Word .docx file ({type(exc).__name__})") from None
    except Exception as exc:  # lxml syntax errors on a damaged part
        if type(exc).__module__.startswith(("lxml", "docx")):
            raise DocumentError(f"not a readable Word .docx file ({type(exc).__name__})") from None
        raise
    texts = _body_lines(document.element.body)
    if not any(t.strip() for t in texts):
        raise DocumentError("the Word document has no text")
    lines = []
    for i, text in enumerate(texts, 1):
        if len(text) > MAX_LINE_CHARS:
            raise DocumentError(f"line {i} is {len(text):,} characters long: not a disclosure text")
        lines.append(SourceLine(i, text))
    return Source(path, "docx", sha256_bytes(data), lines)
