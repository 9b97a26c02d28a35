"""The pdfium page model against pdfplumber's: same glyph boxes, sizes and rules, on pages
typeset here (upright and rotated), so the layout code on top of it reads the same lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders.errors import DocumentError
from loaders.readers import read_source
from loaders.readers.pdf_pdfium import open_pdf, read_page

pytest.importorskip("reportlab")
pdfplumber = pytest.importorskip("pdfplumber")
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.cidfonts import UnicodeCIDFont  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def _draw(c, w: float, h: float) -> None:
    c.setFont(FONT, 18)
    c.drawString(60, h - 80, "支出预算总表")
    c.setFont(FONT, 9)
    c.drawString(60, h - 100, "合计 1,234.50")
    c.drawString(300, h - 100, "单位：万元")
    c.rect(60, h - 160, 200, 40, stroke=1, fill=0)
    c.line(160, h - 160, 160, h - 120)
    c.setFillColorRGB(1, 1, 1)
    c.rect(300, h - 160, 100, 40, stroke=0, fill=1)  # paper-white: no ink
    c.setFillColorRGB(0, 0, 0)
    c.circle(450, h - 140, 10, stroke=1, fill=0)


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Path:
    """Page 1 upright; page 2 turned by /Rotate 90 with its content drawn turned back, as
    landscape tables are published."""
    path = tmp_path_factory.mktemp("pdfium") / "made.pdf"
    w, h = 595, 842
    c = canvas.Canvas(str(path), pagesize=(w, h))
    _draw(c, w, h)
    c.showPage()
    c.setPageRotation(90)
    c.translate(w, 0)
    c.rotate(90)
    _draw(c, h, w)
    c.showPage()
    c.save()
    return path


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 0.01


@pytest.mark.parametrize("index", [0, 1])
def test_glyphs_match_pdfplumber(made, index):
    with pdfplumber.open(made) as plumber:
        theirs = plumber.pages[index]
        expected = [c for c in theirs.chars if not c["text"].isspace()]
        size = (theirs.width, theirs.height)
    pdf = open_pdf(made.read_bytes())
    page = read_page(pdf[index], index + 1, 0.0)
    pdf.close()
    ours = [c for c in page.chars if not c["text"].isspace()]
    assert (page.width, page.height) == size
    assert [c["text"] for c in ours] == [c["text"] for c in expected]
    for mine, their in zip(ours, expected, strict=True):
        assert mine["upright"] == their["upright"], mine["text"]
        for key in ("x0", "top", "bottom", "size"):
            assert _close(mine[key], their[key]), (mine["text"], key, mine[key], their[key])
        # The advance: for a font it does not embed, pdfium takes widths from the font it
        # substitutes, not from the PDF's /W (Latin digits up to a tenth of an em here).
        assert abs(mine["x1"] - their["x1"]) <= 0.1 * their["size"], (mine["text"], mine["x1"], their["x1"])


@pytest.mark.parametrize("index", [0, 1])
def test_rules_match_pdfplumber(made, index):
    def boxes(objs):
        return sorted((round(o["x0"], 1), round(o["top"], 1), round(o["x1"], 1), round(o["bottom"], 1)) for o in objs)

    with pdfplumber.open(made) as plumber:
        theirs = plumber.pages[index]
        expected = {kind: boxes(getattr(theirs, kind)) for kind in ("rects", "lines", "curves")}
        edges = boxes(e for e in theirs.edges if e["orientation"] in ("h", "v"))
    pdf = open_pdf(made.read_bytes())
    page = read_page(pdf[index], index + 1, 0.0)
    pdf.close()
    assert {kind: boxes(getattr(page, kind)) for kind in ("rects", "lines", "curves")} == expected
    assert boxes(e for e in page.edges if e["orientation"] in ("h", "v")) == edges
    white = [r for r in page.rects if r["fill"] and not r["stroke"]]
    assert len(white) == 1 and min(white[0]["non_stroking_color"]) >= 0.95


def test_rotated_page_reads_like_the_upright_one(made):
    source = read_source(made)
    assert [ln.text for ln in source.lines if ln.page == 1] == [ln.text for ln in source.lines if ln.page == 2]
    assert [ln.text for ln in source.lines if ln.page == 1][:2] == ["支出预算总表", "合计 1,234.50\t单位：万元"]


def test_password_protected_pdf_is_named(tmp_path):
    path = tmp_path / "locked.pdf"
    c = canvas.Canvas(str(path), encrypt="secret")
    c.setFont(FONT, 12)
    c.drawString(60, 780, "部门预算")
    c.save()
    with pytest.raises(DocumentError, match="password"):
        read_source(path)
