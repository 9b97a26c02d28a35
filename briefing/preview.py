"""A rough picture of a slide (Pillow): its title, its table's cells and its picture where they sit.
For a look at a deck without PowerPoint (the tests write one to test-artifacts/)."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from pptx import Presentation

FONT_FILES = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
              "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")


def _font(size: int, bold: bool = False):
    for f in (FONT_FILES[1], FONT_FILES[0]) if bold else FONT_FILES:
        if Path(f).exists():
            return ImageFont.truetype(f, size, index=2)  # the SC face of the collection
    return ImageFont.load_default()


def slide_png(pptx: Path, index: int, out: Path, width: int = 1280) -> Path:
    prs = Presentation(str(pptx))
    slide = prs.slides[index]
    k = width / prs.slide_width
    img = Image.new("RGB", (width, int(prs.slide_height * k)), "white")
    draw = ImageDraw.Draw(img)

    def box(sh):
        return int(sh.left * k), int(sh.top * k), int(sh.width * k), int(sh.height * k)

    for sh in slide.shapes:
        x, y, w, h = box(sh)
        if sh.shape_type == 13:  # picture
            pic = Image.open(io.BytesIO(sh.image.blob)).convert("RGB").resize((max(w, 1), max(h, 1)))
            img.paste(pic, (x, y))
        elif sh.has_table:
            table = sh.table
            widths = [int(c.width * k) for c in table.columns]
            row_h = max(22, min(40, h // max(len(table.rows), 1)))
            for i, row in enumerate(table.rows):
                cx = x
                for j, cell in enumerate(row.cells):
                    fill = "#eef3f9" if i == 0 else "white"
                    draw.rectangle([cx, y + i * row_h, cx + widths[j], y + (i + 1) * row_h], fill=fill, outline="#999")
                    text = cell.text if len(cell.text) * 11 < widths[j] else cell.text[: max(widths[j] // 11 - 1, 1)] + "…"
                    draw.text((cx + 4, y + i * row_h + 4), text, fill="black", font=_font(12, i == 0))
                    cx += widths[j]
        elif sh.has_text_frame and sh.text_frame.text:
            big = sh == slide.shapes.title
            draw.text((x, y + 4), sh.text_frame.text[:200], fill="#08306b" if big else "#333",
                      font=_font(26 if big else 15, big))
    img.save(out)
    return out
