"""The quick paths of the text reader and the parsers give what the plain ones give.

Parsing was made faster by doing the same work in fewer steps: markup stripped from the whole
text at once, a line's clean text worked out when the line is made, paragraphs kept for the
checks' second reading, answers kept per text. Each quick path is checked here against the
plain way it replaces (no timings: benchmarks are separate).
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from loaders.families import sentences
from loaders.readers.normalize import _RADICAL_TABLE, clean
from loaders.readers.source import SourceLine, lines_from_text
from loaders.readers.text import read_text_source, strip_markup, strip_markup_lines

# Characters the converters' markup and the normalisation care about, and some CJK text.
_ALPHABET = st.sampled_from(
    list("[]*<>$\\ \t\r\n　（）％１２ab:") + ["[bookmark: _Toc1]", "**", "<input type=x>", "$\\geq$", "\\le",
                                              "⻔", "⼈", "\u00a0", "合计", "万元", "，", "。"]
)
_TEXT = st.lists(_ALPHABET, max_size=40).map("".join)


def _plain_clean(text: str) -> str:
    return unicodedata.normalize("NFKC", text.translate(_RADICAL_TABLE)).replace("\u00a0", " ")


@settings(max_examples=150, deadline=None)
@given(_TEXT)
def test_markup_stripped_from_the_whole_text_as_line_by_line(text):
    text = text.replace("\r\n", "\n")
    assert strip_markup_lines(text) == "\n".join(strip_markup(line) for line in text.split("\n"))


@settings(max_examples=150, deadline=None)
@given(_TEXT)
def test_clean_with_its_quick_checks_is_the_full_normalisation(text):
    assert clean(text) == _plain_clean(text)


# Full-width forms beside what composes with them or with their ASCII (a combining accent,
# half-width kana and its voicing mark) and other compatibility characters.
_WIDE = st.lists(st.sampled_from(list("ＡａＺ０９！～，：（）；％\u3000\u0301\u0308\u0327ｶﾞ①㎡²…e ⻔甲")),
                 max_size=30).map("".join)


@settings(max_examples=300, deadline=None)
@given(_WIDE)
def test_full_width_mapped_by_table_then_nfkc_is_nfkc(text):
    assert clean(text) == _plain_clean(text)


@settings(max_examples=100, deadline=None)
@given(st.lists(_TEXT.map(lambda t: t.replace("\n", "").replace("\r", "")), min_size=1, max_size=8))
def test_a_line_made_quickly_equals_one_made_by_its_constructor(texts):
    made = lines_from_text("\n".join(texts))
    plain = [SourceLine(i, t) for i, t in enumerate("\n".join(texts).split("\n"), 1)]
    assert made == plain
    assert [ln.clean for ln in made] == [ln.clean for ln in plain]
    assert [ln.cells for ln in made] == [[c.strip() for c in ln.clean.split("\t")] for ln in plain]


def test_cells_are_a_fresh_list_each_time():
    line = SourceLine(1, "a\tb")
    line.cells.append("x")
    assert line.cells == ["a", "b"]


def test_the_seeds_read_as_their_lines_say(tmp_path):
    for path in sorted(Path("data/raw").glob("*.txt")):
        source = read_text_source(path)
        raw = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n").split("\n")
        assert [ln.text for ln in source.lines] == [strip_markup(t) for t in raw]
        assert all(ln.clean == _plain_clean(ln.text) for ln in source.lines)


def test_paragraphs_of_rebuilt_lines_are_the_first_reading():
    text = "一、收支情况\n本年收入合计 100.00 万元，\n比上年增加 5.00 万元。\n\n二、其他\n无。"
    first = sentences.paragraphs(lines_from_text(text))
    again = sentences.paragraphs([SourceLine(ln.number, ln.text, ln.page) for ln in lines_from_text(text)])
    assert [(p.text, [ln.ref for ln in p.origins]) for p in first] == [
        (p.text, [ln.ref for ln in p.origins]) for p in again]
    moved = sentences.paragraphs([SourceLine(ln.number + 1, ln.text) for ln in lines_from_text(text)])
    assert [ln.ref for ln in moved[0].origins] != [ln.ref for ln in first[0].origins]  # other lines, other refs
    first.clear()
    assert sentences.paragraphs(lines_from_text(text)) == again  # a caller's list is its own


def _plain_split(passage: sentences.Passage, separators: str) -> list[tuple[str, tuple]]:
    pieces, start = [], 0
    for i, ch in enumerate(passage.text):
        if ch in separators:
            pieces.append((passage.text[start : i + 1], passage.origins[start : i + 1]))
            start = i + 1
    pieces.append((passage.text[start:], passage.origins[start:]))
    return [p for p in pieces if p[0].strip()]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(list("甲乙;；,，。 ]^-\\")), max_size=30).map("".join),
       st.sampled_from([";；", "。！？!?", "]^-\\", ","]))
def test_split_on_separators_as_character_by_character(text, separators):
    lines = [SourceLine(i, ch) for i, ch in enumerate(text, 1)]
    passage = sentences.Passage(text, tuple(lines))
    assert [(p.text, p.origins) for p in passage.split(separators)] == _plain_split(passage, separators)


def test_a_documents_tables_made_column_by_column_equal_those_of_its_rows() -> None:
    """entry.document_tables (the lines column by column) against tables_of(document_rows)."""
    from loaders.entry import document_tables, tables_of
    from loaders.loaded import document_rows, load_document

    from .conftest import SEEDS, SHARED_PDFS

    paths = [SEEDS["handan"], SEEDS["yueyang"]]
    pdf = SHARED_PDFS / "putuo-commerce-2025-budget.pdf"  # lines with their pages, where present
    paths += [pdf] if pdf.exists() else []
    for path in paths:
        doc = load_document(path)
        plain, quick = tables_of(document_rows(doc)), document_tables(doc)
        assert plain.keys() == quick.keys()
        for name in plain:
            assert quick[name].equals(plain[name]), (path.name, name)
