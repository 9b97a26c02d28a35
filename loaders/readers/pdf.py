"""Read a PDF into numbered lines, page by page (pdfplumber, one open, one pass per page).

- Text lines are rebuilt from word positions: words whose vertical extent overlaps a line's
  by half a glyph height or more belong to that line, so a figure typeset a few points below
  its label ("年初预算为 1560.05 万元") stays beside it.
- Ruled tables become lines of tab-separated cells in reading order (see ``pdf_tables``).
- Fake-bold text (each glyph printed twice, slightly offset) is de-duplicated from the
  glyph positions before anything else is read.
- Pages without a text layer and glyphs without a Unicode mapping (``(cid:NNN)``) are
  reported in ``Source.warnings`` by page; nothing is read from such glyphs.
"""

from __future__ import annotations

import re
from pathlib import Path

from loaders.errors import DocumentError
from loaders.readers.pdf_tables import TableShape, squeeze_cjk, table_lines
from loaders.readers.source import MAX_LINE_CHARS, Source, SourceLine, sha256_bytes

# Two glyph boxes are on one line when they overlap by this share of the smaller height.
BASELINE_OVERLAP = 0.5
# A horizontal gap of this many font sizes between words is a column gap (tab).
COLUMN_GAP_EM = 2.0
DEDUPE_TOLERANCE = 1.0  # points: a glyph repeated within this distance is fake bold
_CID = re.compile(r"\(cid:\d+\)")


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> float:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    return inter / max(min(a[1] - a[0], b[1] - b[0]), 0.01)


def cluster_lines(words: list[dict]) -> list[list[dict]]:
    """Group words into lines by vertical overlap with each line's first word."""
    lines: list[tuple[tuple[float, float], list[dict]]] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        band = (word["top"], word["bottom"])
        for anchor, members in reversed(lines[-4:]):
            if _overlap(band, anchor) >= BASELINE_OVERLAP:
                members.append(word)
                break
        else:
            lines.append((band, [word]))
    return [sorted(members, key=lambda w: w["x0"]) for _, members in lines]


def join_words(words: list[dict]) -> str:
    text = ""
    prev = None
    for word in words:
        if prev is not None:
            gap = word["x0"] - prev["x1"]
            size = max(prev.get("size", 10.0), 1.0)
            if gap >= COLUMN_GAP_EM * size:
                text += "\t"
            elif gap > 1.0:
                text += " "
        text += word["text"]
        prev = word
    return squeeze_cjk(text)


def _inside(word: dict, boxes: list[tuple[float, float, float, float]]) -> bool:
    cx, cy = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
    return any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)


def _ranges(pages: list[int]) -> str:
    return ", ".join(str(p) for p in pages)


def read_page(page, previous: TableShape | None) -> tuple[list[str], TableShape | None, int]:
    """Lines in reading order; the shape of the page's table if it ends the page; cid count.

    ``previous`` is the table that ended the previous page: a table at the top of this
    page with as many columns continues it.
    """
    tables = [t for t in page.find_tables() if len(t.columns) >= 2]
    boxes = [t.bbox for t in tables]
    words = [w for w in page.extract_words(extra_attrs=["size"]) if not _inside(w, boxes)]
    items: list[tuple[float, int, str]] = [(line[0]["top"], 0, join_words(line)) for line in cluster_lines(words)]
    first_top = min((top for top, _, _ in items), default=page.height)
    last_top = max((top for top, _, _ in items), default=-1.0)
    shape = None
    for i, table in enumerate(tables):
        at_top = i == 0 and table.bbox[1] <= first_top
        texts, shape = table_lines(table, previous if at_top else None)
        items.extend((table.bbox[1], k + 1, text) for k, text in enumerate(texts))
    items.sort(key=lambda item: (item[0], item[1]))
    ends_with_table = bool(tables) and tables[-1].bbox[1] > last_top
    cids = sum(len(_CID.findall(text)) for _, _, text in items)
    return [text for _, _, text in items], (shape if ends_with_table else None), cids


def read_pdf(path: Path) -> Source:
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    data = path.read_bytes()
    if not data.lstrip().startswith(b"%PDF"):
        raise DocumentError("not a PDF file (no %PDF header)")
    lines: list[SourceLine] = []
    no_text: list[int] = []
    cid_pages: list[int] = []
    try:
        with pdfplumber.open(path) as pdf:
            n_pages = len(pdf.pages)
            previous = None
            for number, page in enumerate(pdf.pages, 1):
                page = page.dedupe_chars(tolerance=DEDUPE_TOLERANCE, extra_attrs=("size",))
                if not page.chars:
                    if page.images or page.curves:
                        no_text.append(number)
                    previous = None
                    page.close()
                    continue
                items, previous, cids = read_page(page, previous)
                if cids:
                    cid_pages.append(number)
                n = 0
                for text in items:
                    if not text.strip() or _CID.search(text):
                        continue
                    n += 1
                    lines.append(SourceLine(n, text[:MAX_LINE_CHARS], number))
                page.close()
    except PDFPasswordIncorrect:
        raise DocumentError("PDF is password-protected") from None
    except (PDFSyntaxError, ValueError, KeyError, TypeError, AssertionError) as exc:
        raise DocumentError(f"not a readable PDF ({type(exc).__name__}: {str(exc)[:80]})") from None
    except Exception as exc:  # pdfminer raises many private error types on broken files
        if type(exc).__module__.startswith(("pdfminer", "pdfplumber")):
            raise DocumentError(f"not a readable PDF ({type(exc).__name__})") from None
        raise
    warnings = []
    if no_text:
        warnings.append(f"pages without a text layer (scanned images?), nothing read: {_ranges(no_text)}")
    if cid_pages:
        warnings.append(
            f"glyphs without a Unicode mapping (cid:…) on pages {_ranges(cid_pages)}: those lines were skipped"
        )
    if not lines:
        reason = "no text layer on any page (scanned PDF?)" if not cid_pages else "no readable text: fonts without Unicode mapping (cid:…)"
        raise DocumentError(reason)
    return Source(path, "pdf", sha256_bytes(data), lines, n_pages=n_pages, warnings=warnings)
