"""Joining hard-wrapped prose while keeping each character's source line."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from loaders.families.sentences import is_heading, paragraphs, sentences
from loaders.readers.source import Source, SourceLine, lines_from_text


def _source(text: str) -> Source:
    return Source(Path("t.txt"), "txt", "0", lines_from_text(text))


def test_hard_wrapped_sentence_with_blank_lines_is_one_paragraph():
    text = "与年初预算相比，年初预算数 6,862.79 万元，决算数 507,109.93 万元，预决算差异率\n\n7,289.27%，主要原因是：年中追加。\n"
    [para] = paragraphs(_source(text))
    assert para.text == "与年初预算相比,年初预算数 6,862.79 万元,决算数 507,109.93 万元,预决算差异率7,289.27%,主要原因是:年中追加。"
    # the percentage was printed two lines below its label: its characters point at line 3
    pos = para.text.index("7,289.27%")
    assert para.line_at(pos).number == 3
    assert para.line_at(para.text.index("预决算差异率")).number == 1


def test_line_starting_with_a_sentence_tail_is_not_a_new_sentence():
    text = "预决算差异率\n7,289.27%，主要原因是：本\n\n年人员变动。\n下一段。"
    paras = paragraphs(_source(text))
    assert [p.text for p in paras] == ["预决算差异率7,289.27%,主要原因是:本年人员变动。", "下一段。"]
    assert [ln.number for ln in paras[0].lines] == [1, 2, 4]


def test_table_lines_and_headings_are_not_joined():
    text = "一、收入决算情况说明\n本年收入 100.00 万元，其中\n项目\t金额\n财政拨款收入 90.00 万元。"
    paras = [p.text for p in paragraphs(_source(text))]
    assert paras == ["一、收入决算情况说明", "本年收入 100.00 万元,其中", "财政拨款收入 90.00 万元。"]


def test_numbered_title_is_a_heading_but_a_wrapped_item_is_not():
    assert is_heading("1. 执行率情况")
    assert is_heading("（一）一般公共预算财政拨款支出决算总体情况")
    assert not is_heading("1. 其他支出(类)其他政府性基金及对应专项债务收入")
    assert not is_heading("7,289.27%，主要原因是")


def test_sentences_split_at_full_stop_and_keep_origins():
    text = "收入 1 万元。支出\n2 万元。"
    [para] = paragraphs(_source(text))
    first, second = sentences(para)
    assert (first.text, second.text) == ("收入 1 万元。", "支出2 万元。")
    assert second.line_at(second.text.index("2")).number == 2


def test_a_paragraphs_sentences_are_split_once_and_handed_out_as_new_lists():
    [para] = paragraphs(_source("收入 1 万元。支出 2 万元。"))
    first = sentences(para)
    first.pop()  # a caller's list is its own
    again = sentences(para)
    assert [s.text for s in again] == ["收入 1 万元。", "支出 2 万元。"]
    assert again[0] is sentences(para)[0]  # the same sentences, not split again
    assert para == paragraphs(_source("收入 1 万元。支出 2 万元。"))[0]  # kept beside, not a field


def test_paragraphs_follow_the_lines_whether_the_same_objects_or_the_same_content():
    source = _source("收入 1 万元。\n支出 2 万元。\n")
    first = paragraphs(source)
    assert paragraphs(source) == first and paragraphs(source)[0] is first[0]  # the same lines: kept
    rebuilt = _source("收入 1 万元。\n支出 2 万元。\n")  # other objects, the same lines (a recheck)
    assert paragraphs(rebuilt) == first
    source.lines[1] = SourceLine(2, "支出 3 万元。")  # as many lines, one of them another
    assert [p.text for p in paragraphs(source)] == ["收入 1 万元。", "支出 3 万元。"]


# A piece that starts like "1." is a numbered item, which starts a paragraph by design.
_piece = st.text(alphabet="收入支出合计基本项目经费万元年初预算决算数为,1234567890.%", min_size=1, max_size=12).filter(
    lambda s: not re.match(r"\d{1,2}\s*[.、](?!\d)", s)
)


@given(st.lists(_piece, min_size=1, max_size=8), st.lists(st.booleans(), min_size=8, max_size=8))
def test_joining_keeps_every_character_and_its_line(pieces, blanks):
    # A sentence hard-wrapped at arbitrary points (pieces never end a sentence), with blank
    # lines sometimes in between, ends on a full stop: it comes back as one paragraph.
    lines, where = [], []
    for i, piece in enumerate(pieces):
        lines.append(piece)
        where.append(len(lines))
        if blanks[i]:
            lines.append("")
    lines[-1 if not blanks[len(pieces) - 1] else -2] += "。"
    source = _source("\n".join(lines))
    paras = paragraphs(source)
    assert len(paras) == 1
    para = paras[0]
    assert para.text == "".join(pieces) + "。"
    pos = 0
    for piece, number in zip(pieces, where, strict=True):
        for k in range(len(piece)):
            assert para.line_at(pos + k).number == number
        pos += len(piece)
