"""A PDF page read through pdfium (pypdfium2): glyphs with their boxes, paths as rules.

pdfium parses a page's content in C, several times faster than pdfminer, which does it in
Python. The page model is pdfplumber's, so that the geometry on top of it (words, ruled
tables) stays pdfplumber's own code and gives the same lines:

- coordinates from the top-left corner of the page as displayed: pdfium works in PDF user
  space (origin bottom-left, before the page's /Rotate), so every point goes through the
  rotation pdfminer applies;
- a glyph's box as pdfminer draws it: from the baseline at the font's descent, one font
  size high, one advance wide (pdfium's own boxes are the ink or its font bbox);
- glyphs pdfium generates (spaces it infers, line breaks) are dropped; a glyph without a
  Unicode mapping reads "(cid:0)", as pdfminer prints such glyphs;
- a path splits into subpaths at each move; a one-segment subpath is a line, a closed
  axis-aligned four-segment one a rect, anything else a curve (pdfminer's rules), each
  with whether it is stroked or filled and its colours as RGB.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as C

_RECT = C.FS_RECTF()
_MATRIX = C.FS_MATRIX()
_X, _Y = ctypes.c_double(), ctypes.c_double()
_FX, _FY = ctypes.c_float(), ctypes.c_float()
_FLOAT = ctypes.c_float()
_INT = ctypes.c_int()
_BOOL = ctypes.c_int()
_R, _G, _B, _A = (ctypes.c_uint() for _ in range(4))


@dataclass
class PdfiumPage:
    """What pdfplumber's Page gives the reader: objects by kind, edges, size, tables."""

    page_number: int
    width: float
    height: float
    chars: list[dict]
    rects: list[dict] = field(default_factory=list)
    lines: list[dict] = field(default_factory=list)
    curves: list[dict] = field(default_factory=list)
    images: list[dict] = field(default_factory=list)

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (0.0, 0.0, self.width, self.height)

    @property
    def edges(self) -> list[dict]:
        from pdfplumber.utils import curve_to_edges, line_to_edge, rect_to_edges

        out = [line_to_edge(x) for x in self.lines]
        for rect in self.rects:
            out.extend(rect_to_edges(rect))
        for curve in self.curves:
            out.extend(curve_to_edges(curve))
        return out

    def find_tables(self, settings: dict | None = None) -> list:
        from pdfplumber.table import TableFinder

        return TableFinder(self, settings).tables  # type: ignore[arg-type]

    def extract_words(self, extra_attrs: list[str] | None = None) -> list[dict]:
        from pdfplumber.utils.text import WordExtractor

        return WordExtractor(extra_attrs=extra_attrs).extract_words(self.chars)


def _display(rotation: int, box: tuple[float, float, float, float]):
    """User space (x, y) -> displayed (x, top), as pdfminer's initial CTM for /Rotate."""
    x0, y0, x1, y1 = box
    if rotation == 90:
        return lambda x, y: (y - y0, x - x0)
    if rotation == 180:
        return lambda x, y: (x1 - x, y - y0)
    if rotation == 270:
        return lambda x, y: (y1 - y, x1 - x)
    return lambda x, y: (x - x0, y1 - y)


def _mul(m: tuple, n: tuple) -> tuple:
    """m then n (PDF row-vector convention)."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u)


def _chars(textpage, to_display, doctop: float) -> list[dict]:
    raw = textpage.raw
    out = []
    descents: dict[int, float] = {}
    count = C.FPDFText_CountChars(raw)
    for i in range(count):
        if C.FPDFText_IsGenerated(raw, i) == 1:
            continue
        code = C.FPDFText_GetUnicode(raw, i)
        if code in (0xFFFE, 0xFFFF) or C.FPDFText_HasUnicodeMapError(raw, i) == 1:
            text = "(cid:0)"
        elif code == 0:
            continue
        else:
            text = chr(code)
        size = C.FPDFText_GetFontSize(raw, i)
        C.FPDFText_GetCharOrigin(raw, i, _X, _Y)
        C.FPDFText_GetMatrix(raw, i, _MATRIX)
        C.FPDFText_GetLooseCharBox(raw, i, _RECT)
        a, b, c, d = _MATRIX.a, _MATRIX.b, _MATRIX.c, _MATRIX.d
        ox, oy = _X.value, _Y.value
        obj = C.FPDFText_GetTextObject(raw, i)
        key = ctypes.cast(obj, ctypes.c_void_p).value or 0
        descent = descents.get(key)
        if descent is None:
            font = C.FPDFTextObj_GetFont(obj)
            descent = _FLOAT.value / 1000.0 if font and C.FPDFFont_GetDescent(font, ctypes.c_float(1000.0), _FLOAT) else 0.0
            descents[key] = descent
        # The advance in text space, from the loose box along the baseline's direction.
        if abs(a) >= abs(b):
            adv = (_RECT.right - _RECT.left) / abs(a) if a else 0.0
        else:
            adv = (_RECT.top - _RECT.bottom) / abs(b)
        lo, hi = descent * size, descent * size + size
        xs, tops = [], []
        for tx, ty in ((0.0, lo), (adv, lo), (0.0, hi), (adv, hi)):
            px, py = to_display(ox + a * tx + c * ty, oy + b * tx + d * ty)
            xs.append(px)
            tops.append(py)
        # Upright as pdfminer judges it, on the matrix as displayed (y pointing up).
        (dx_a, dy_a), (dx_c, dy_c) = _direction(to_display, a, b), _direction(to_display, c, d)
        upright = dx_a * -dy_c > 0 and -dy_a * dx_c <= 0
        # pdfium computes in single precision: rounded, a gap of exactly two ems stays one.
        x0, x1, top, bottom = round(min(xs), 3), round(max(xs), 3), round(min(tops), 3), round(max(tops), 3)
        out.append(
            {
                "text": text, "x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": doctop + top,
                "width": x1 - x0, "height": bottom - top, "size": bottom - top, "upright": upright,
                "object_type": "char",
            }
        )  # fmt: skip
    return out


def _direction(to_display, vx: float, vy: float) -> tuple[float, float]:
    x0, y0 = to_display(0.0, 0.0)
    x1, y1 = to_display(vx, vy)
    return x1 - x0, y1 - y0


def _colour(getter, obj) -> tuple[float, float, float] | None:
    if not getter(obj, _R, _G, _B, _A):
        return None  # a pattern or a colour pdfium cannot give as RGB: counts as showing
    return (_R.value / 255.0, _G.value / 255.0, _B.value / 255.0)


def _path_objects(obj, matrix: tuple, to_display, height: float, doctop: float, sink: dict) -> None:
    n = C.FPDFPath_CountSegments(obj)
    if n <= 0:
        return
    C.FPDFPath_GetDrawMode(obj, _INT, _BOOL)
    fill, stroke = _INT.value != 0, bool(_BOOL.value)
    attrs = {
        "stroke": stroke, "fill": fill,
        "stroking_color": _colour(C.FPDFPageObj_GetStrokeColor, obj),
        "non_stroking_color": _colour(C.FPDFPageObj_GetFillColor, obj),
    }  # fmt: skip
    a, b, c, d, e, f = matrix
    subpaths: list[tuple[str, list]] = []
    shape, pts = "", []
    pending_bezier = 0
    for i in range(n):
        seg = C.FPDFPath_GetPathSegment(obj, i)
        kind = C.FPDFPathSegment_GetType(seg)
        C.FPDFPathSegment_GetPoint(seg, _FX, _FY)
        x, y = _FX.value, _FY.value
        point = to_display(a * x + c * y + e, b * x + d * y + f)
        if kind == C.FPDF_SEGMENT_MOVETO:
            if shape:
                subpaths.append((shape, pts))
            shape, pts = "m", [point]
        elif kind == C.FPDF_SEGMENT_BEZIERTO:
            pending_bezier += 1
            if pending_bezier == 3:  # two control points and the end point: one "c"
                pending_bezier = 0
                shape += "c"
                pts.append(point)
        else:
            shape += "l"
            pts.append(point)
        if C.FPDFPathSegment_GetClose(seg) and shape:
            shape += "h"
            pts.append(pts[0])
    if shape:
        subpaths.append((shape, pts))
    for shape, pts in subpaths:
        _add_path(shape, pts, attrs, height, doctop, sink)


def _add_path(shape: str, pts: list, attrs: dict, height: float, doctop: float, sink: dict) -> None:
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape = shape[:-2] + "h"
        pts = pts[:-2] + pts[-1:]
    if shape in ("mlh", "ml"):
        kind = "line"
        box_pts = pts[:2]
    elif shape in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
        kind = "rect" if pts[0] == pts[4] and square else "curve"
        box_pts = [pts[0], pts[2]] if kind == "rect" else pts
    else:
        kind = "curve"
        box_pts = pts
    xs, tops = [p[0] for p in box_pts], [p[1] for p in box_pts]
    x0, x1, top, bottom = min(xs), max(xs), min(tops), max(tops)
    obj = {
        "object_type": kind, "x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": doctop + top,
        "y0": height - bottom, "y1": height - top, "width": x1 - x0, "height": bottom - top, **attrs,
    }  # fmt: skip
    if kind == "curve":
        obj["pts"] = list(pts)
    sink[kind].append(obj)


def _walk(parent, count, get, matrix: tuple, to_display, height: float, doctop: float, sink: dict, depth: int = 0) -> None:
    for i in range(count(parent)):
        obj = get(parent, i)
        kind = C.FPDFPageObj_GetType(obj)
        if kind == C.FPDF_PAGEOBJ_PATH:
            C.FPDFPageObj_GetMatrix(obj, _MATRIX)
            m = _MATRIX
            own = _mul((m.a, m.b, m.c, m.d, m.e, m.f), matrix)
            _path_objects(obj, own, to_display, height, doctop, sink)
        elif kind == C.FPDF_PAGEOBJ_IMAGE:
            sink["image"].append({"object_type": "image"})
        elif kind == C.FPDF_PAGEOBJ_FORM and depth < 15:
            C.FPDFPageObj_GetMatrix(obj, _MATRIX)
            m = _MATRIX
            own = _mul((m.a, m.b, m.c, m.d, m.e, m.f), matrix)
            _walk(obj, C.FPDFFormObj_CountObjects, C.FPDFFormObj_GetObject, own, to_display, height, doctop, sink, depth + 1)


def read_page(page, number: int, doctop: float) -> PdfiumPage:
    """One page of a ``pypdfium2.PdfDocument`` as pdfplumber would see it."""
    rotation = page.get_rotation() % 360
    box = page.get_mediabox()
    box = (min(box[0], box[2]), min(box[1], box[3]), max(box[0], box[2]), max(box[1], box[3]))
    width, height = box[2] - box[0], box[3] - box[1]
    if rotation in (90, 270):
        width, height = height, width
    to_display = _display(rotation, box)
    textpage = page.get_textpage()
    try:
        chars = _chars(textpage, to_display, doctop)
    finally:
        textpage.close()
    sink: dict[str, list] = {"line": [], "rect": [], "curve": [], "image": []}
    identity = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    _walk(page.raw, C.FPDFPage_CountObjects, C.FPDFPage_GetObject, identity, to_display, height, doctop, sink)
    return PdfiumPage(number, width, height, chars, sink["rect"], sink["line"], sink["curve"], sink["image"])


def open_pdf(data: bytes):
    """The document, or ``pdfium.PdfiumError`` for a file pdfium cannot open."""
    return pdfium.PdfDocument(data)
