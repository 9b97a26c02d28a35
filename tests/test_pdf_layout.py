"""PDF page layout: lines apart by font size, invisible cell boxes, tables cut by a page
break, merged headers over uneven rule grids, page order.

Each mechanism is tested on a PDF typeset here with reportlab, and on the corpus page
where it was found (skipped, visibly, where ../shared/corpus is absent).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders.readers import read_source
from loaders.readers.pdf import cluster_lines, join_words
from tests.conftest import ROOT

pytest.importorskip("reportlab")
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.cidfonts import UnicodeCIDFont  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
CORPUS = ROOT.parent / "shared" / "corpus"


def corpus_pdf(name: str) -> Path:
    """A PDF from ../shared/corpus, or a visible skip where that folder is absent."""
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"../shared/corpus/{name} not present (the corpus lives beside the project, not in it)")
    return path


def page_lines(source, page: int) -> list[str]:
    return [ln.text for ln in source.lines if ln.page == page]


# --- drawing helpers ----------------------------------------------------------------


def box(c, x0: float, top: float, x1: float, bottom: float, h: float, white: bool = False) -> None:
    """A cell box in top-down coordinates; white = painted but invisible (Excel export)."""
    if white:
        c.setFillColorRGB(1, 1, 1)
        c.rect(x0, h - bottom, x1 - x0, bottom - top, stroke=0, fill=1)
        c.setFillColorRGB(0, 0, 0)
    else:
        c.rect(x0, h - bottom, x1 - x0, bottom - top, stroke=1, fill=0)


def text(c, x: float, baseline: float, s: str, size: float, h: float) -> None:
    c.setFont(FONT, size)
    c.drawString(x, h - baseline, s)


# --- 1. font sizes: a title and the small line under it -----------------------------


def _word(text: str, x0: float, top: float, size: float) -> dict:
    return {"text": text, "x0": x0, "x1": x0 + size * len(text), "top": top, "bottom": top + size, "size": size}


def test_title_and_tight_small_line_beneath_are_two_lines():
    # A 20 pt title and a 9 pt label line set 4 pt below the title's baseline: their boxes
    # overlap by more than half the small glyph, but the label is not centred on the title.
    title = _word("收支预算总表", 200, 60, 20)
    label = _word("部门：某某局", 40, 73, 9)
    unit = _word("单位：万元", 500, 73, 9)
    lines = cluster_lines([title, label, unit])
    assert [join_words(line) for line in lines] == ["收支预算总表", "部门：某某局\t单位：万元"]


def test_big_word_centred_on_small_figure_stays_one_line():
    # An unruled table row: 合计 in 17 pt beside its figure in 9 pt, both centred on the row.
    lines = cluster_lines([_word("合计", 60, 100, 17), _word("7,666.68", 300, 104, 9)])
    assert [join_words(line) for line in lines] == ["合计\t7,666.68"]


def test_label_and_its_value_in_separate_cells_join():
    # "部门：" and the name in two spreadsheet cells: one label, then the unit after a tab.
    words = [_word("部门：", 40, 100, 9), _word("某某局", 120, 100, 9), _word("单位：万元", 500, 100, 9)]
    assert join_words(words) == "部门：某某局\t单位：万元"
    # A label followed by a figure keeps its column gap: the figure is a cell of its own.
    assert join_words([_word("其中：", 40, 100, 9), _word("12.00", 300, 100, 9)]) == "其中：\t12.00"


# --- 2. white cell boxes are not rulings --------------------------------------------


@pytest.fixture(scope="module")
def excel_export(tmp_path_factory) -> Path:
    """A spreadsheet export: white boxes painted over the title block (touching the table,
    as the sheet's rows do) and a margin box inside every ruled cell."""
    path = tmp_path_factory.mktemp("pdf") / "excel.pdf"
    w, h = 842, 595
    c = canvas.Canvas(str(path), pagesize=(w, h))
    xs = [60, 200, 340, 480]
    box(c, 200, 20, 480, 60, h, white=True)  # the title row's merged cells, painted white
    box(c, 60, 60, 480, 130, h, white=True)
    text(c, 64, 50, "公开03表", 10, h)
    text(c, 210, 90, "支出预算总表", 20, h)
    text(c, 64, 112, "部门：某某局", 9, h)
    text(c, 420, 112, "单位：万元", 9, h)
    for j, (head, figure) in enumerate([("合计", "13,377.11"), ("基本支出", "6,522.75"), ("项目支出", "")]):
        for top, bottom, s in ((130, 160, head), (160, 190, figure)):
            box(c, xs[j] + 1, top + 1, xs[j + 1] - 1, bottom - 1, h, white=True)
            box(c, xs[j], top, xs[j + 1], bottom, h)
            if s:
                text(c, xs[j] + 10, bottom - 10, s, 10, h)
    c.showPage()
    c.save()
    return path


def test_white_boxes_do_not_swallow_title_label_and_marker(excel_export):
    lines = page_lines(read_source(excel_export), 1)
    assert lines[:3] == ["公开03表", "支出预算总表", "部门：某某局\t单位：万元"]
    assert lines[3:] == ["合计\t基本支出\t项目支出", "13,377.11\t6,522.75"]


def test_corpus_title_label_and_marker_are_separate_lines():
    # jiangsu-cppcc-2019-budget-tables.pdf p1 and p3 (rendered): "公开0N表" above the title,
    # the title alone, then 部门 on the left and 单位 on the right of one line.
    source = read_source(corpus_pdf("jiangsu-cppcc-2019-budget-tables.pdf"))
    assert page_lines(source, 1)[:3] == ["公开01表", "收支预算总表", "部门：江苏省政协办公厅\t单位：万元"]
    p3 = page_lines(source, 3)
    assert p3[:4] == ["公开03表", "支出预算总表", "部门：江苏省政协办公厅\t单位：万元", "合计\t基本支出\t项目支出\t单位预留机动经费\t结转下年资金"]
    assert p3[4].split("\t") == ["13,377.11", "6,522.75", "4,968.34", "1,886.02"]


def test_corpus_label_row_is_not_a_header_prefix():
    # jiangsu-cpcoffice-2018-budget-tables.pdf p11 (rendered): the 部门 line is above the ruled table.
    lines = page_lines(read_source(corpus_pdf("jiangsu-cpcoffice-2018-budget-tables.pdf")), 11)
    assert lines[1] == "部门：中共江苏省委办公厅\t单位：万元"
    assert not any("部门" in line for line in lines[2:])
    header = lines[2].split("\t")
    assert header[0] == "合计" and header[-2:] == ["会议费", "培训费"]
    assert lines[3].split("\t") == ["1,471.70", "508.20", "70.00", "411.20", "", "411.20", "27.00", "933.50", "30.00"]


# --- 3. a table cut by a page break --------------------------------------------------


@pytest.fixture(scope="module")
def cut_table(tmp_path_factory) -> Path:
    """A 4-column table over two pages with page numbers; page 2 has no rule along its cut
    top edge, its first row has no figure (it must not become a header) and its second a
    blank cell (read as text, the blank would vanish)."""
    path = tmp_path_factory.mktemp("pdf") / "cut.pdf"
    w, h = 595, 842
    c = canvas.Canvas(str(path), pagesize=(w, h))
    xs = [60, 140, 320, 430, 540]
    text(c, 60, 80, "财政拨款支出预算表", 14, h)
    rows1 = [("科目编码", "科目名称", "基本支出", "项目支出"), ("301", "工资福利支出", "3,920.22", "10.00"), ("30101", "基本工资", "1,309.12", "")]
    top = 100
    for r, row in enumerate(rows1):
        y0 = top + 20 * r
        for j, s in enumerate(row):
            box(c, xs[j], y0, xs[j + 1], y0 + 20, h)
            if s:
                text(c, xs[j] + 4, y0 + 14, s, 10, h)
    text(c, 280, 800, "— 1 —", 10, h)
    c.showPage()
    rows2 = [("", "其他交通费用", "", ""), ("30229", "福利费", "", "110.00"), ("30231", "公务用车运行维护费", "304.40", "")]
    top = 60
    for x in xs:  # vertical rules run up to the cut; no horizontal rule there
        c.line(x, h - top, x, h - (top + 20 * len(rows2)))
    for r in range(1, len(rows2) + 1):
        c.line(xs[0], h - (top + 20 * r), xs[-1], h - (top + 20 * r))
    for r, row in enumerate(rows2):
        for j, s in enumerate(row):
            if s:
                text(c, xs[j] + 4, top + 20 * r + 14, s, 10, h)
    text(c, 60, top + 20 * len(rows2) + 30, "注：本表为示例。", 10, h)
    text(c, 280, 800, "— 2 —", 10, h)
    c.showPage()
    c.save()
    return path


def test_cut_table_keeps_its_first_row_and_gets_no_header(cut_table):
    source = read_source(cut_table)
    assert page_lines(source, 1)[1:] == [
        "科目编码\t科目名称\t基本支出\t项目支出", "301\t工资福利支出\t3,920.22\t10.00", "30101\t基本工资\t1,309.12", "— 1 —",
    ]  # fmt: skip
    # The continuation: its first row is a row with its blank in place (not text, not a
    # header); the note under the table follows it.
    assert page_lines(source, 2) == [
        "\t其他交通费用", "30229\t福利费\t\t110.00", "30231\t公务用车运行维护费\t304.40", "注：本表为示例。", "— 2 —",
    ]  # fmt: skip


def test_table_above_the_page_number_runs_on(cut_table):
    # The page number under the table does not end it: page 2 is told what it continues.
    from loaders.readers.pdf import DEDUPE_TOLERANCE, read_page
    from loaders.readers.pdf_page import visible_page
    from loaders.readers.pdf_pdfium import open_pdf
    from loaders.readers.pdf_pdfium import read_page as pdfium_page

    pdf = open_pdf(cut_table.read_bytes())
    _, shape, _ = read_page(visible_page(pdfium_page(pdf[0], 1, 0.0), DEDUPE_TOLERANCE), None)
    pdf.close()
    assert shape is not None and shape.n_cols == 4


def _ruled(c, rows, xs, top, h, row_height=20):
    for r, row in enumerate(rows):
        y0 = top + row_height * r
        for j, s in enumerate(row):
            box(c, xs[j], y0, xs[j + 1], y0 + row_height, h)
            if s:
                text(c, xs[j] + 4, y0 + 14, s, 10, h)


def test_header_repeated_on_the_next_page_is_a_header_again(tmp_path):
    path = tmp_path / "repeat.pdf"
    w, h = 595, 842
    c = canvas.Canvas(str(path), pagesize=(w, h))
    xs = [60, 160, 300, 440]
    # The printed header on both pages, two rows: 项目 spans both, “三公”经费 spans the
    # two figure columns over 预算数 | 决算数.
    for page, figures in ((1, ("合计", "22.91", "20.00")), (2, ("公务接待费", "1.35", "1.20"))):
        box(c, xs[0], 100, xs[1], 140, h)
        text(c, xs[0] + 4, 124, "项目", 10, h)
        box(c, xs[1], 100, xs[3], 120, h)
        text(c, xs[1] + 4, 114, "“三公”经费", 10, h)
        _ruled(c, [("预算数", "决算数")], xs[1:], 120, h)
        _ruled(c, [figures], xs, 140, h)
        text(c, 280, 800, f"— {page} —", 10, h)
        c.showPage()
    c.save()
    source = read_source(path)
    for page, row in ((1, "合计\t22.91\t20.00"), (2, "公务接待费\t1.35\t1.20")):
        assert page_lines(source, page)[:2] == ["项目\t“三公”经费/预算数\t“三公”经费/决算数", row]


def test_corpus_cut_table_keeps_its_first_row():
    # jiangsu-court-2017-budget.pdf p17 (rendered): the 基本支出 table runs on from p16 with
    # an open top; its first row is 30229 福利费 110.00.
    lines = page_lines(read_source(corpus_pdf("jiangsu-court-2017-budget.pdf")), 17)
    assert lines[0] == "30229\t福利费\t110.00"


def test_corpus_header_split_over_pages_is_read_on_the_second_page():
    # jiangsu-court-2018-budget.pdf p11 (rendered): the 财政拨款收支总表 header continues from
    # p10 with 项目名称 | 金额 open at the top, beside 支出用途 over 项目名称 | 金额.
    lines = page_lines(read_source(corpus_pdf("jiangsu-court-2018-budget.pdf")), 11)
    assert lines[0] == "项目名称\t金额\t支出用途/项目名称\t支出用途/金额"
    assert lines[1] == "一、一般公共预算\t33,172.15\t一、基本支出\t18,570.82"


# --- 4. merged header cells over an uneven grid ---------------------------------------


@pytest.fixture(scope="module")
def uneven_header(tmp_path_factory) -> Path:
    """A 三公 table whose header texts wrap over separate boxes and whose cells each carry
    a narrow margin box (the grid of a spreadsheet export, drawn with visible rules)."""
    path = tmp_path_factory.mktemp("pdf") / "uneven.pdf"
    w, h = 595, 842
    c = canvas.Canvas(str(path), pagesize=(w, h))
    xs = [60, 130, 200, 270, 340, 410]
    m = 4  # margin box width: a sliver column beside every cell
    cells = [  # (top, bottom, col0, col1, text)
        (100, 160, 0, 1, "合计"),
        (100, 120, 1, 4, "“三公”经费"),
        (120, 160, 1, 2, "小计"),
        (120, 140, 2, 3, "因公出国"),
        (140, 160, 2, 3, "（境）费"),
        (120, 140, 3, 4, "公务接"),
        (140, 160, 3, 4, "待费"),
        (100, 160, 4, 5, "会议费"),
    ]
    for top, bottom, a, b, s in cells:
        box(c, xs[a], top, xs[b], bottom, h)
        text(c, xs[a] + 6, top + 14, s, 10, h)
    for j, figure in enumerate(["2,599.37", "670.12", "180.00", "185.72", "228.00"]):
        box(c, xs[j], 160, xs[j + 1] - m, 180, h)
        box(c, xs[j + 1] - m, 160, xs[j + 1], 180, h)  # the empty margin box
        text(c, xs[j] + 6, 174, figure, 10, h)
    c.showPage()
    c.save()
    return path


def test_uneven_header_is_one_line_aligned_with_its_figures(uneven_header):
    lines = page_lines(read_source(uneven_header), 1)
    header = ["合计", "“三公”经费/小计", "“三公”经费/因公出国（境）费", "“三公”经费/公务接待费", "会议费"]
    assert [ln.split("\t") for ln in lines] == [header, ["2,599.37", "670.12", "180.00", "185.72", "228.00"]]


def test_corpus_sangong_header_is_flattened_over_its_figures():
    # jiangsu-court-2017-budget.pdf p17 (rendered): 合计 | “三公”经费 {小计 | 因公出国（境）费 |
    # 公务用车购置及运行维护费 {小计 | 公务用车购置费 | 公务用车运行维护费} | 公务接待费} | 会议费 |
    # 培训费, over 2,599.37 670.12 180.00 304.40 (blank) 304.40 185.72 228.00 1,701.25.
    lines = page_lines(read_source(corpus_pdf("jiangsu-court-2017-budget.pdf")), 17)
    i = next(i for i, ln in enumerate(lines) if ln.startswith("合计\t“三公”经费"))
    car = "“三公”经费/公务用车购置及运行维护费/"
    assert lines[i].split("\t") == [
        "合计", "“三公”经费/小计", "“三公”经费/因公出国（境）费", car + "小计", car + "公务用车购置费",
        car + "公务用车运行维护费", "“三公”经费/公务接待费", "会议费", "培训费",
    ]  # fmt: skip
    assert lines[i + 1].split("\t") == ["2,599.37", "670.12", "180.00", "304.40", "", "304.40", "185.72", "228.00", "1,701.25"]


@pytest.mark.parametrize(
    ("name", "page"),
    [
        ("jiangsu-court-2018-budget.pdf", 14),  # rendered: same 9 columns
        ("jiangsu-npc-office-2017-budget.pdf", 20),
        ("jiangsu-procuratorate-2017-budget.pdf", 16),
        ("jiangsu-procuratorate-2018-budget.pdf", 19),
    ],
)
def test_corpus_sangong_tables_have_one_header_line(name, page):
    lines = page_lines(read_source(corpus_pdf(name)), page)
    i = next(i for i, ln in enumerate(lines) if "“三公”经费/因公出国（境）费" in ln)
    header, figures = lines[i].split("\t"), lines[i + 1].split("\t")
    assert len(header) == 9 and header[-2:] == ["会议费", "培训费"]
    assert len(figures) == 9 and figures[0] and "“三公”经费" not in lines[i - 1]


# --- page preparation ------------------------------------------------------------------


def test_fake_bold_glyphs_are_dropped_and_repeats_elsewhere_kept():
    from loaders.readers.pdf_page import dedupe_chars

    def char(text, x, y):
        return {"text": text, "x0": x, "doctop": y, "size": 10.0, "upright": True}

    chars = [char("合", 10, 10), char("合", 10.4, 10.2), char("合", 40, 10), char("计", 10.4, 10), char("合", 10, 30)]
    assert [(c["text"], c["x0"], c["doctop"]) for c in dedupe_chars(chars, 1.0)] == [
        ("合", 10, 10), ("合", 40, 10), ("计", 10.4, 10), ("合", 10, 30),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("obj", "visible"),
    [
        ({"object_type": "rect", "fill": True, "stroke": False, "non_stroking_color": (1.0,)}, False),  # white gray
        ({"object_type": "rect", "fill": True, "stroke": False, "non_stroking_color": (1, 1, 1)}, False),  # white RGB
        ({"object_type": "rect", "fill": True, "stroke": False, "non_stroking_color": (0, 0, 0, 0)}, False),  # no ink
        ({"object_type": "rect", "fill": False, "stroke": False}, False),
        ({"object_type": "rect", "fill": True, "stroke": False, "non_stroking_color": (0.0,)}, True),  # a black bar
        ({"object_type": "rect", "fill": True, "stroke": False, "non_stroking_color": (0.8,)}, True),  # shading
        ({"object_type": "rect", "fill": False, "stroke": True, "stroking_color": None}, True),  # default black
        ({"object_type": "line", "stroke": True, "stroking_color": (1, 1, 1)}, False),
    ],
)
def test_only_graphics_that_show_are_rulings(obj, visible):
    from loaders.readers.pdf_page import _visible

    assert _visible(obj) is visible
