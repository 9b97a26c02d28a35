"""Read a PDF into numbered lines, page by page (pdfium, one open, one pass per page).

- Each page is first reduced to what prints (``pdf_page``): fake bold de-duplicated,
  invisible white boxes dropped so they make no table rulings, a table cut by the page
  break closed along the cut.
- Text lines are rebuilt from word positions: words of one size whose vertical extent
  overlaps a line's by half a glyph height belong to that line, so a figure typeset a few
  points below its label ("年初预算为 1560.05 万元") stays beside it; a word of a much
  bigger or smaller size must also be centred on the line, so a table title and the small
  "部门：… 单位：万元" line under it are two lines.
- Ruled tables become lines of tab-separated cells (see ``pdf_tables``); text and table
  rows are put in page order by their tops (a table after the text above it, a note after
  the table).
- Pages without a text layer and glyphs without a Unicode mapping (``(cid:NNN)``) are
  reported in ``Source.warnings`` by page; nothing is read from such glyphs.
"""

from __future__ import annotations

import re
from pathlib import Path

from loaders.errors import DocumentError
from loaders.readers.pdf_page import closing_rules, visible_page
from loaders.readers.pdf_pdfium import open_pdf
from loaders.readers.pdf_pdfium import read_page as read_pdfium_page
from loaders.readers.pdf_tables import TableShape, is_number, squeeze_cjk, table_lines
from loaders.readers.source import MAX_LINE_CHARS, Source, SourceLine, sha256_bytes

# Two glyph boxes are on one line when they overlap by this share of the smaller height...
BASELINE_OVERLAP = 0.5
# ...and, when one font is this many times the other's size (a title over the small
# 部门/单位 line beneath it), only when their vertical centres nearly coincide (a big
# 合计 beside its small figure in an unruled table): within this share of the smaller size.
SIZE_RATIO = 1.5
CENTRE_TOLERANCE = 0.3
# A horizontal gap of this many font sizes between words is a column gap (tab).
COLUMN_GAP_EM = 2.0
DEDUPE_TOLERANCE = 1.0  # points: a glyph repeated within this distance is fake bold
_CID = re.compile(r"\(cid:\d+\)")
_LABEL_END = ("：", ":")
_PAGE_NUMBER = re.compile(r"[\s\-—─–]*(第\s*)?\d{1,4}(\s*页)?([\s/]*共?\s*\d{1,4}\s*页?)?[\s\-—─–]*")


def _same_line(a: tuple[float, float], b: tuple[float, float]) -> bool:
    (a_top, a_bottom), (b_top, b_bottom) = a, b
    small, big = sorted((max(a_bottom - a_top, 0.01), max(b_bottom - b_top, 0.01)))
    if (min(a_bottom, b_bottom) - max(a_top, b_top)) / small < BASELINE_OVERLAP:
        return False
    if big <= SIZE_RATIO * small:
        return True
    return abs((a_top + a_bottom) - (b_top + b_bottom)) / 2 <= CENTRE_TOLERANCE * small


def cluster_lines(words: list[dict]) -> list[list[dict]]:
    """Group words into lines by their vertical position against each line's first word.

    Words of one size overlapping by half a glyph are one line, so a figure typeset a few
    points below its label stays beside it; a much bigger or smaller word must also be
    centred on the line, so a title and the small line under it stay apart.
    """
    lines: list[tuple[tuple[float, float], list[dict]]] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        band = (word["top"], word["bottom"])
        for anchor, members in reversed(lines[-4:]):
            if _same_line(band, anchor):
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
            if gap >= COLUMN_GAP_EM * size and not (text.endswith(_LABEL_END) and not is_number(word["text"])):
                text += "\t"  # a column gap; but a label's value ("部门：" | name) follows it
            elif gap > 1.0:
                text += " "
        text += word["text"]
        prev = word
    return squeeze_cjk(text)


def _in_cell(word: dict, tables: list) -> bool:
    """Whether a word is read as part of a table (its centre in one of the table's cells).

    A word inside a table's outline but in no cell (an unruled corner) stays text.
    """
    cx, cy = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
    for table in tables:
        x0, top, x1, bottom = table.bbox
        inside = x0 <= cx <= x1 and top <= cy <= bottom
        if inside and any(c[0] <= cx <= c[2] and c[1] <= cy <= c[3] for c in table.cells):
            return True
    return False


def find_tables(page) -> list:
    """Ruled tables with two columns or more; a table cut by the page break is closed."""
    rules = closing_rules(page)
    settings = {"explicit_horizontal_lines": rules} if rules else None
    return [t for t in page.find_tables(settings) if len(t.columns) >= 2]


def _ranges(pages: list[int]) -> str:
    return ", ".join(str(p) for p in pages)


def read_page(page, previous: TableShape | None) -> tuple[list[str], TableShape | None, int]:
    """Lines in reading order; the shape of the page's table if it ends the page; cid count.

    ``previous`` is the table that ended the previous page: a table at the top of this
    page with as many columns continues it.
    """
    tables = find_tables(page)
    words = [w for w in page.extract_words(extra_attrs=["size"]) if not _in_cell(w, tables)]
    items: list[tuple[float, int, str]] = [(min(w["top"] for w in line), 0, join_words(line)) for line in cluster_lines(words)]
    # A page number above or below does not stop a table from running on over the break.
    body = [top for top, _, text in items if not _PAGE_NUMBER.fullmatch(text)]
    first_top = min(body, default=page.height)
    last_top = max(body, default=-1.0)
    shape = None
    for i, table in enumerate(tables):
        at_top = i == 0 and table.bbox[1] <= first_top
        rows, shape = table_lines(table, previous if at_top else None)
        items.extend((top, k + 1, text) for k, (top, text) in enumerate(rows))
    items.sort(key=lambda item: (item[0], item[1]))
    ends_with_table = bool(tables) and tables[-1].bbox[3] > last_top
    cids = sum(len(_CID.findall(text)) for _, _, text in items)
    return [text for _, _, text in items], (shape if ends_with_table else None), cids


def read_pdf(path: Path) -> Source:
    import pypdfium2 as pdfium

    data = path.read_bytes()
    if not data.lstrip().startswith(b"%PDF"):
        raise DocumentError("not a PDF file (no %PDF header)")
    lines: list[SourceLine] = []
    no_text: list[int] = []
    cid_pages: list[int] = []
    try:
        pdf = open_pdf(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise DocumentError("PDF is password-protected") from None
        raise DocumentError(f"not a readable PDF ({str(exc)[:80]})") from None
    try:
        n_pages = len(pdf)
        previous = None
        doctop = 0.0
        for number in range(1, n_pages + 1):
            raw = pdf[number - 1]
            try:
                parsed = read_pdfium_page(raw, number, doctop)
            finally:
                raw.close()  # frees the page's parsed objects: memory stays flat over long PDFs
            doctop += parsed.height
            page = visible_page(parsed, DEDUPE_TOLERANCE)
            if not page.chars:
                if page.images or page.curves:
                    no_text.append(number)
                previous = None
                continue
            items, previous, cids = read_page(page, previous)
            if cids:
                cid_pages.append(number)
            texts = [t for t in items if t.strip() and not _CID.search(t)]
            lines.extend(SourceLine(n, t[:MAX_LINE_CHARS], number) for n, t in enumerate(texts, 1))
    finally:
        pdf.close()
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
