"""PDF reader: a PDF typeset at test time from a seed, and the shared Putuo PDFs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from loaders.errors import DocumentError
from loaders.identity.detect import detect
from loaders.readers import read_source
from loaders.readers.normalize import clean
from tests.conftest import SEEDS, shared_pdf

pytest.importorskip("reportlab")
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.cidfonts import UnicodeCIDFont  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

FONT = "STSong-Light"  # built-in CID font: no font file needed (Noto CJK is CFF, which TTFont rejects)
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
_FIGURE = re.compile(r"([\u4e00-\u9fff]{2,12})(\d[\d,]*\.\d+)\s*万元")


def seed_parts(seed: Path) -> tuple[list[str], list[list[str]], tuple[str, str]]:
    """Title lines, the first compact table with figures, and one 'label figure 万元' sentence."""
    lines = [ln.strip().lstrip("- ").strip() for ln in seed.read_text(encoding="utf-8").splitlines()]
    title = [ln for ln in lines if ln and "\t" not in ln][:10]
    rows: list[list[str]] = []
    block: list[list[str]] = []
    for ln in lines + [""]:
        cells = [c.strip() for c in ln.split("\t")] if "\t" in ln else None
        if cells and all(len(c) <= 14 for c in cells):
            block.append(cells)
            continue
        if len(block) >= 3 and any(re.fullmatch(r"[\d,.]+", c) for r in block for c in r):
            rows = block
            break
        block = []
    sentence = next(m.groups() for ln in lines if (m := _FIGURE.search(ln)))
    return title, rows, sentence


def make_pdf(path: Path, seed: Path) -> tuple[list[str], list[list[str]], tuple[str, str]]:
    title, rows, (label, figure) = seed_parts(seed)
    c = canvas.Canvas(str(path))
    c.setFont(FONT, 12)
    y = 780
    for i, text in enumerate(title):
        c.drawString(60, y, text)
        if i == 0:  # fake bold: the same glyphs again, 0.4 pt to the right
            c.drawString(60.4, y, text)
        y -= 18
    c.drawString(60, y, "⻔⻋")  # CJK radicals supplement: 门 车 after folding
    y -= 18
    c.drawString(60, y, label)
    c.drawString(60 + 12 * len(label) + 3, y - 4, figure)  # a figure set on its own, lower baseline
    c.drawString(60 + 12 * len(label) + 6 + 6 * len(figure), y, "万元")
    c.showPage()
    n_cols = max(len(r) for r in rows)
    rows = [r + [""] * (n_cols - len(r)) for r in rows]
    chars = [max(len(r[j]) for r in rows) + 1 for j in range(n_cols)]
    size = min(8.0, 500 / sum(chars))
    xs = [40.0]
    for n in chars:
        xs.append(xs[-1] + n * size + 4)
    height, top = size * 2.5, 760
    c.setFont(FONT, size)
    for r, row in enumerate(rows):
        for j, cell in enumerate(row):
            c.drawString(xs[j] + 2, top - (r + 1) * height + size * 0.8, cell)
    for r in range(len(rows) + 1):
        c.line(xs[0], top - r * height, xs[-1], top - r * height)
    for x in xs:
        c.line(x, top, x, top - len(rows) * height)
    c.showPage()
    c.circle(300, 400, 100, fill=1)  # a page with drawing but no text
    c.showPage()
    c.save()
    return title, rows, (label, figure)


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    path = tmp_path_factory.mktemp("pdf") / "seed.pdf"
    parts = make_pdf(path, SEEDS["urumqi"])
    return read_source(path), parts


def test_made_pdf_is_detected_like_its_seed(made):
    source, _ = made
    seed_meta = detect(read_source(SEEDS["urumqi"]))
    meta = detect(source)
    assert (source.format, source.n_pages) == ("pdf", 3)
    assert (meta.doc_kind, meta.year, meta.entity.entity_id) == (seed_meta.doc_kind, seed_meta.year, seed_meta.entity.entity_id)


def test_fake_bold_is_removed_and_radicals_fold(made):
    source, (title, _, _) = made
    first = source.lines[0]
    assert (first.ref, first.clean) == ("p1:L1", clean(re.sub(r"(?<=[\u4e00-\u9fff]) +(?=[\u4e00-\u9fff])", "", title[0])))
    assert any(line.clean == "门车" for line in source.lines)


def test_figure_on_lower_baseline_joins_its_label(made):
    source, (_, _, (label, figure)) = made
    assert any(re.search(rf"{label}\s*{re.escape(figure)}\s*万元", line.clean) for line in source.lines)


def test_table_rows_keep_their_cells(made):
    source, (_, rows, _) = made
    page2 = [line.cells for line in source.lines if line.page == 2]
    numeric_rows = [r for r in rows if any(re.fullmatch(r"[\d,.]+", c) for c in r)]
    for row in numeric_rows:
        trimmed = [clean(re.sub(r"(?<=[\u4e00-\u9fff]) +(?=[\u4e00-\u9fff])", "", c)) for c in row]
        trimmed = trimmed[: max(i for i, c in enumerate(trimmed) if c) + 1]
        assert trimmed in page2


def test_page_without_text_is_named(made):
    source, _ = made
    assert any("3" in w and "text layer" in w for w in source.warnings)


def test_no_text_at_all_is_an_error(tmp_path):
    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path))
    c.circle(300, 400, 100, fill=1)
    c.save()
    with pytest.raises(DocumentError, match="no text layer"):
        read_source(path)


@pytest.mark.parametrize("data", [b"", b"hello, not a pdf", b"%PDF-1.4\n garbage \x00\x01"])
def test_bad_pdf_is_a_document_error(tmp_path, data):
    path = tmp_path / "bad.pdf"
    path.write_bytes(data)
    with pytest.raises(DocumentError):
        read_source(path)


# --- the shared Putuo PDFs -----------------------------------------------------------


@pytest.fixture(scope="module")
def finance():
    return read_source(shared_pdf("putuo-finance-2024-final.pdf"))


@pytest.mark.parametrize(
    ("name", "kind", "year", "scope", "entity"),
    [
        ("putuo-commerce-2025-budget.pdf", "budget", 2025, "department", "上海市普陀区商务委员会"),
        ("putuo-commerce-unit-2025-budget.pdf", "budget", 2025, "unit", "上海市普陀区商务委员会"),
        ("putuo-finance-2024-final.pdf", "final_accounts", 2024, "department", None),
        ("final-accounts-template-2024.pdf", "final_accounts", 2024, "department", None),
    ],
)
def test_shared_pdf_detection(name, kind, year, scope, entity):
    source = read_source(shared_pdf(name))
    meta = detect(source)
    assert (source.format, meta.doc_kind, meta.year, meta.scope) == ("pdf", kind, year, scope)
    if entity:
        assert meta.entity.name == entity


def test_finance_entity():
    assert detect(read_source(shared_pdf("putuo-finance-2024-final.pdf"))).entity.name == "上海市普陀区财政局"


def test_finance_narrative_figures_beside_labels(finance):
    hits = [ln.clean for ln in finance.lines if "年初预算为" in ln.clean]
    assert hits and all(re.search(r"年初预算为\s*[\d.,]+", h) or h.endswith("年初预算为") for h in hits)
    assert not any(re.search(r"年初预算为\s*万元", h) for h in hits)


def test_finance_sangong_header_is_flattened(finance):
    i = next(i for i, ln in enumerate(finance.lines) if "因公出国" in ln.clean and "决算数" in ln.clean)
    header, data = finance.lines[i].cells, finance.lines[i + 1].cells
    assert len(header) == 12 and all(c.endswith(("预算数", "决算数")) for c in header)
    assert any(c.startswith("公务接待费") for c in header)
    assert len(data) <= len(header) and any(re.fullmatch(r"[\d.,]+", c) for c in data)


def test_finance_declared_empty_tables_kept(finance):
    assert sum("本表无数据" in ln.clean for ln in finance.lines) == 2


def test_finance_refs_are_per_page(finance):
    assert finance.n_pages == 25 and finance.lines[0].ref == "p1:L1"
    assert all(ln.page is not None for ln in finance.lines)


def test_unmapped_glyph_lines_are_skipped_and_their_pages_named(tmp_path, monkeypatch):
    # A font without a Unicode map makes pdfminer print "(cid:123)": such a line must never
    # become figures; its page is named in a warning. (No font of that kind is at hand to make
    # such a PDF, so the page reader is wrapped to add one on page 2.)
    import loaders.readers.pdf as reader

    path = tmp_path / "made.pdf"
    make_pdf(path, SEEDS["urumqi"])
    real = reader.read_page

    def with_cid(page, previous):
        items, shape, cids = real(page, previous)
        if page.page_number == 2:
            items = [*items, "合计\t(cid:17)(cid:20)(cid:3)(cid:24)"]
            cids += 4
        return items, shape, cids

    monkeypatch.setattr(reader, "read_page", with_cid)
    source = read_source(path)
    assert any("cid" in w and "2" in w for w in source.warnings), source.warnings
    assert not any("cid:" in line.text for line in source.lines)
