"""Prepare a page for reading: what a reader of the printed page would see.

- Fake bold (each glyph printed twice, slightly offset) is reduced to one glyph.
- Invisible graphics are dropped before tables are looked for: Excel and WPS exports
  paint every cell, the title block and the page itself with white rectangles, whose
  edges would otherwise become table rulings (a title and its 部门/单位 line swallowed
  into a table cell, narrow phantom columns beside every ruled one).
- A ruled table cut by a page break has no rule along the cut: the vertical rules just
  end. A rule is added there so that the row beside the cut stays a table row.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from pdfplumber.table import merge_edges

from loaders.readers.pdf_pdfium import PdfiumPage

WHITE = 0.95  # a colour component at least this light (or CMYK ink this faint) is paper
OPEN_END_MIN_RULES = 3  # vertical rules ending together at one height mark a cut table
_END_TOLERANCE = 1.5  # points: rules ending within this distance end together
_CAP_TOLERANCE = 3.0  # points: a horizontal rule this close to a rule's end caps it
_MIN_RULE = 4.0  # points: shorter edges are the ends of a thin filled bar, not rules


def _is_paper(colour) -> bool:
    """A colour that does not show on white paper (None counts as the default black)."""
    if colour is None:
        return False
    if isinstance(colour, (int, float)):
        colour = (colour,)
    try:
        values = [float(v) for v in colour]
    except (TypeError, ValueError):  # a pattern or a named colour space: assume it shows
        return False
    if len(values) == 1 or len(values) == 3:
        return min(values) >= WHITE
    if len(values) == 4:
        return max(values) <= 1 - WHITE
    return False


def _visible(obj: dict) -> bool:
    if obj["object_type"] == "line":
        return not _is_paper(obj.get("stroking_color"))
    stroked = obj.get("stroke") and not _is_paper(obj.get("stroking_color"))
    filled = obj.get("fill") and not _is_paper(obj.get("non_stroking_color"))
    return bool(stroked or filled)


def dedupe_chars(chars: list[dict], tolerance: float) -> list[dict]:
    """Drop a glyph that repeats an earlier one (same text and size) within ``tolerance``.

    Linear in the number of glyphs (pdfplumber's own version is quadratic); the first of
    each group is kept, in content-stream order.
    """
    cell = max(tolerance, 0.5)
    seen: dict[tuple, list[tuple[float, float]]] = defaultdict(list)
    kept = []
    for char in chars:
        x, y = char["x0"], char["doctop"]
        gx, gy = int(x // cell), int(y // cell)
        base = (char["text"], char.get("size"), char.get("upright"))
        duplicate = False
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for px, py in seen.get((*base, gx + dx, gy + dy), ()):
                    if abs(px - x) <= tolerance and abs(py - y) <= tolerance:
                        duplicate = True
                        break
        if not duplicate:
            seen[(*base, gx, gy)].append((x, y))
            kept.append(char)
    return kept


def visible_page(page: PdfiumPage, tolerance: float) -> PdfiumPage:
    """The page with fake bold removed and invisible graphics dropped."""
    return replace(
        page,
        chars=dedupe_chars(page.chars, tolerance),
        rects=[o for o in page.rects if _visible(o)],
        lines=[o for o in page.lines if _visible(o)],
        curves=[o for o in page.curves if _visible(o)],
    )


def closing_rules(page) -> list[dict]:
    """Horizontal rules along the open top or bottom of a table cut by a page break.

    Where vertical rules end together at one height, the stretch between two neighbours is
    open when no horizontal rule runs there and no other vertical rule crosses that
    height between them: the table was cut there. (Sub-columns of a merged header also
    start together, but under a rule of their own; a tall merged cell beside them has
    its own rules crossing that height.)
    """
    # Rules drawn in pieces are joined first, as the table finder does (3 pt tolerances).
    edges = merge_edges([e for e in page.edges if e.get("orientation") in ("h", "v")], 3, 3, 3, 3)
    verticals = [e for e in edges if e["orientation"] == "v" and e["height"] >= _MIN_RULE]
    horizontals = [e for e in edges if e["orientation"] == "h" and e["width"] >= _MIN_RULE]
    out = []
    for end in ("top", "bottom"):
        groups: list[list[dict]] = []
        for edge in sorted(verticals, key=lambda e: e[end]):
            if groups and edge[end] - groups[-1][0][end] <= _END_TOLERANCE:
                groups[-1].append(edge)
            else:
                groups.append([edge])
        for group in groups:
            xs = sorted({round(e["x0"], 1) for e in group})
            if len(xs) < OPEN_END_MIN_RULES:
                continue
            y = group[0][end]
            for a, b in zip(xs, xs[1:], strict=False):
                if not _open_between(a, b, y, horizontals, verticals):
                    continue
                out.append({"object_type": "line", "x0": a, "x1": b, "top": y, "bottom": y, "width": b - a, "height": 0})
    return out


def _open_between(a: float, b: float, y: float, horizontals: list[dict], verticals: list[dict]) -> bool:
    mid = (a + b) / 2
    if any(abs(h["top"] - y) <= _CAP_TOLERANCE and h["x0"] <= mid <= h["x1"] for h in horizontals):
        return False
    return not any(
        a + _CAP_TOLERANCE < v["x0"] < b - _CAP_TOLERANCE and v["top"] < y - _CAP_TOLERANCE and v["bottom"] > y + _CAP_TOLERANCE
        for v in verticals
    )
