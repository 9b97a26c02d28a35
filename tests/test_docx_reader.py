"""Word reader: a .docx made at test time from a seed (paragraphs + a table with merges)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from loaders.errors import DocumentError
from loaders.identity.detect import detect
from loaders.readers import read_source
from loaders.readers.normalize import clean as clean_text
from loaders.readers.pdf_tables import squeeze_cjk
from tests.conftest import SEEDS

docx = pytest.importorskip("docx")


def clean(cell: str) -> str:
    """What the reader makes of a cell: letter-spacing between CJK dropped, then clean()."""
    return clean_text(squeeze_cjk(cell))


def seed_rows(seed: Path) -> tuple[list[str], list[list[str]]]:
    lines = [ln.strip() for ln in seed.read_text(encoding="utf-8").splitlines()]
    paragraphs = [ln for ln in lines if ln and "\t" not in ln][:30]
    block: list[list[str]] = []
    for ln in lines:
        if "\t" in ln:
            block.append([c.strip() for c in ln.split("\t")])
            if len(block) >= 4 and any(re.fullmatch(r"[\d,.]+", c) for r in block for c in r):
                return paragraphs, block
        else:
            block = []
    raise AssertionError("seed has no table with figures")


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    paragraphs, rows = seed_rows(SEEDS["urumqi"])
    n_cols = max(len(r) for r in rows)
    document = docx.Document()
    for text in paragraphs[:15]:
        document.add_paragraph(text)
    table = document.add_table(rows=len(rows) + 1, cols=n_cols)
    merged = table.cell(0, 0).merge(table.cell(0, 1))  # horizontal merge in an extra caption row
    merged.text = paragraphs[0]
    for r, row in enumerate(rows, 1):
        for j, cell in enumerate(row):
            table.cell(r, j).text = cell
    down = table.cell(1, n_cols - 1).merge(table.cell(2, n_cols - 1))  # vertical merge
    down.text = rows[0][n_cols - 1] if len(rows[0]) == n_cols else ""
    for text in paragraphs[15:]:
        document.add_paragraph(text)
    path = tmp_path_factory.mktemp("docx") / "seed.docx"
    document.save(str(path))
    return read_source(path), paragraphs, rows


def test_detected_like_the_seed(made):
    source, _, _ = made
    seed_meta, meta = detect(read_source(SEEDS["urumqi"])), detect(source)
    assert source.format == "docx" and source.n_pages is None
    assert (meta.doc_kind, meta.year, meta.entity.entity_id) == (seed_meta.doc_kind, seed_meta.year, seed_meta.entity.entity_id)


def test_body_order_and_table_cells(made):
    source, paragraphs, rows = made
    texts = [ln.text for ln in source.lines]
    assert texts[0] == paragraphs[0] and texts[-1] == paragraphs[-1]
    caption = texts.index(paragraphs[0], 1)
    assert caption == 15 and source.lines[caption].ref == f"L{caption + 1}"
    for r, row in enumerate(rows[1:], 2):  # rows below the vertically merged cell
        line = source.lines[caption + r].cells
        assert line[: len(row) - 1] == [clean(c).strip() for c in row[:-1]]


def test_merged_cells_are_not_repeated(made):
    source, paragraphs, rows = made
    caption = [ln.text for ln in source.lines].index(paragraphs[0], 1)
    assert source.lines[caption].text == paragraphs[0]  # the merged caption is one cell, no tab copy
    n_cols = max(len(r) for r in rows)
    assert source.lines[caption + 2].cells[n_cols - 1:] in ([], [""])  # continued vMerge is empty


@pytest.mark.parametrize("data", [b"", b"not a zip", b"PK\x03\x04broken"])
def test_bad_docx_is_a_document_error(tmp_path, data):
    path = tmp_path / "bad.docx"
    path.write_bytes(data)
    with pytest.raises(DocumentError):
        read_source(path)


def test_empty_docx_is_a_document_error(tmp_path):
    path = tmp_path / "empty.docx"
    docx.Document().save(str(path))
    with pytest.raises(DocumentError, match="no text"):
        read_source(path)
