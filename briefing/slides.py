"""The brief as a slide deck (python-pptx): one message per slide, its title the message, the
figures in real pptx tables (continued over slides when long), charts as pictures, the sources of
each slide in its speaker notes, a sources slide at the end."""

from __future__ import annotations

import io
from pathlib import Path

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from briefing import charts
from briefing.model import Brief, Cell, Message, Table
from briefing.pdf import sources_line

FONT = "Noto Sans CJK SC"
ROWS_PER_SLIDE = 8
W, H = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.45)
GREY = RGBColor(0x88, 0x88, 0x88)
CHARS_PER_LINE = 64  # CJK characters of 13 pt across the slide's text width


def _font(run, size: float, bold: bool = False, color: RGBColor | None = None) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = FONT
    rpr = run._r.get_or_add_rPr()
    for tag in ("a:ea", "a:cs"):  # East Asian glyphs take the ea typeface, not the latin one
        el = rpr.find(qn(tag))
        if el is None:
            el = rpr.makeelement(qn(tag), {})
            rpr.append(el)
        el.set("typeface", FONT)
    if color is not None:
        run.font.color.rgb = color


def _text(frame, lines: list[str], size: float, bold: bool = False) -> None:
    frame.word_wrap = True
    for i, line in enumerate(lines):
        p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        p.text = ""
        _font(p.add_run() if not p.runs else p.runs[0], size, bold)
        p.runs[0].text = line


def _slide(prs, title: str):
    slide = prs.slides.add_slide(prs.slide_layouts[5])  # title only
    shape = slide.shapes.title
    shape.left, shape.top, shape.width, shape.height = MARGIN, Inches(0.25), W - 2 * MARGIN, Inches(1.0)
    _text(shape.text_frame, [title], 24 if len(title) < 40 else 20, bold=True)
    shape.text_frame.paragraphs[0].alignment = PP_ALIGN.LEFT
    return slide


def _notes(slide, lines: list[str]) -> None:
    slide.notes_slide.notes_text_frame.text = "\n".join(lines)


def _table(slide, t: Table, rows: list[list[Cell]], lang: str, top: int, height: int) -> None:
    kinds = t.kinds()
    widths = []
    for i, col in enumerate(t.columns):
        longest = max([len(r[i].text(lang)) for r in rows] + [len(col) // 2, 2])
        widths.append(min(max(longest, 6), 36) if kinds[i] == "text" else 10)
    total_w = W - 2 * MARGIN
    shape = slide.shapes.add_table(len(rows) + 1, len(t.columns), MARGIN, top, total_w, min(height, Inches(0.4) *
                                                                                              (len(rows) + 1)))
    table = shape.table
    for i, w in enumerate(widths):
        table.columns[i].width = Emu(int(total_w * w / sum(widths)))
    size = 11 if len(t.columns) <= 5 else 9
    for j, head in enumerate(t.columns):
        cell = table.cell(0, j)
        cell.text = head
        _font(cell.text_frame.paragraphs[0].runs[0], size, bold=True)
    for i, row in enumerate(rows, start=1):
        for j, c in enumerate(row):
            cell = table.cell(i, j)
            cell.text = c.text(lang)
            p = cell.text_frame.paragraphs[0]
            if p.runs:
                _font(p.runs[0], size, color=GREY if c.numeric and c.missing else None)
            if c.numeric:
                p.alignment = PP_ALIGN.RIGHT


def _picture(slide, png: bytes, top: int, max_h: int) -> None:
    width = W - 2 * MARGIN
    pic = slide.shapes.add_picture(io.BytesIO(png), MARGIN, top, width=width)
    if pic.height > max_h:  # keep the aspect ratio, fit the height
        ratio = max_h / pic.height
        pic.height, pic.width = int(pic.height * ratio), int(pic.width * ratio)
        pic.left = int((W - pic.width) / 2)


def message_slides(prs, m: Message, lang: str, images: dict[int, bytes]) -> None:
    notes = [*m.sentences, sources_line(m.all_refs(), lang)] if m.all_refs() else list(m.sentences)
    slide = _slide(prs, m.title)
    top = Inches(1.3)
    shown, lines = [], 0
    for s in m.sentences:  # as many as fit in six lines; all of them are in the notes
        n = -(-len(s) // CHARS_PER_LINE)
        if lines + n > 6:
            break
        shown.append(s)
        lines += n
    if shown:
        box = slide.shapes.add_textbox(MARGIN, top, W - 2 * MARGIN, Inches(0.27) * lines)
        _text(box.text_frame, shown, 13)
        top += box.height + Inches(0.15)
    rows = m.table.rows if m.table is not None else []
    png = images.get(id(m.chart)) if m.chart is not None else None
    if png is not None:
        _picture(slide, png, top, H - top - Inches(0.3))
    elif rows:
        _table(slide, m.table, rows[:ROWS_PER_SLIDE], lang, top, H - top - Inches(0.3))
        rows = rows[ROWS_PER_SLIDE:]
    _notes(slide, notes)
    chunks = [rows[i:i + ROWS_PER_SLIDE] for i in range(0, len(rows), ROWS_PER_SLIDE)]
    for k, chunk in enumerate(chunks, start=1):
        part = f" {k}/{len(chunks)}" if len(chunks) > 1 else ""
        more = f"（明细{part}）" if lang == "zh" else f" (detail{part})"
        s = _slide(prs, m.title + more)
        _table(s, m.table, chunk, lang, Inches(1.3), H - Inches(1.6))
        if m.table.note and k == len(chunks):
            box = s.shapes.add_textbox(MARGIN, H - Inches(0.5), W - 2 * MARGIN, Inches(0.3))
            _text(box.text_frame, [m.table.note], 10)
        _notes(s, notes)


def sources_slide(prs, b: Brief) -> None:
    zh = b.lang == "zh"
    heads = ["文件", "类型", "年度", "sha256"] if zh else ["file", "kind", "year", "sha256"]
    from briefing.model import text

    t = Table(heads, [[text(d.file), text(d.kind), text(str(d.year)), text(d.sha256[:12])] for d in b.documents])
    s = _slide(prs, "来源" if zh else "Sources")
    _table(s, t, t.rows, b.lang, Inches(1.3), Inches(2.5))
    box = s.shapes.add_textbox(MARGIN, Inches(1.5) + Inches(0.4) * (len(t.rows) + 1), W - 2 * MARGIN, Inches(3))
    line = sources_line(b.refs(), b.lang)
    _text(box.text_frame, [line if len(line) < 900 else line[:899] + "…"], 10)
    _notes(s, [line])


def write_pptx(b: Brief, out: Path) -> Path:
    images = charts.render_all([m.chart for m in b.messages() if m.chart is not None])
    prs = Presentation()
    prs.slide_width, prs.slide_height = W, H
    for m in b.messages():
        message_slides(prs, m, b.lang, images)
    sources_slide(prs, b)
    prs.save(str(out))
    return out
