"""Shared table primitives: titles, codes, headers by text, shifted rows, page headers."""

from __future__ import annotations

from pathlib import Path

from loaders.readers.source import Source, lines_from_text
from loaders.spec.rows import read_entries, table_unit
from loaders.spec.tables import (
    clean_title,
    code_level,
    column_labels,
    declares_empty,
    find_tables,
    is_column_number_row,
    normalize_code,
    segments,
    title_text,
)


def _source(text: str) -> Source:
    return Source(Path("x.txt"), "txt", "0" * 64, lines_from_text(text))


def _decision_titles(line):
    t = title_text(line)
    return t if t and "决算" in t else None


def test_clean_title_drops_year_numbering_and_marker() -> None:
    assert clean_title("2023 年度收入支出决算总表") == "收入支出决算总表"
    assert clean_title("- 一、《收入决算表》") == "收入决算表"
    assert clean_title("附表3 支出决算表") == "支出决算表"
    assert clean_title("九、财政拨款“三公”经费支出决算表 公开 09 表") == "财政拨款“三公”经费支出决算表"


def test_codes_joined_and_levelled() -> None:
    assert normalize_code("22101 99") == "2210199"
    assert normalize_code("201 06 01") == "2010601"
    assert normalize_code("2210108") == "2210108"
    assert normalize_code("27") is None  # a 行次, not a code
    assert normalize_code("1,506.94") is None
    assert [code_level(c) for c in ("221", "22101", "2210108", None)] == [1, 2, 3, None]


def test_column_number_row() -> None:
    assert is_column_number_row(["栏次", "", "1", "栏次", "", "2"])
    assert is_column_number_row(["类", "款", "项", "1", "2", "3"])
    assert not is_column_number_row(["", "30", "", "", "61", ""])  # 行次 of an empty row
    assert not is_column_number_row(["201", "一般公共服务支出", "1,506.94"])


def test_declared_empty_phrases() -> None:
    assert declares_empty("本单位无政府性基金预算拨款，故此表无数据。")
    assert declares_empty("注：本部门无国有资本经营预算财政拨款支出，故本表无数据。")
    assert declares_empty("国有资本经营预算财政拨款收入支出决算表为空表。")
    assert not declares_empty("注：本表反映部门本年度各项支出情况。")


def test_spanning_header_fills_only_over_children() -> None:
    cols = column_labels(
        [
            ["项 目", "", "年初结转 和结余", "本年收 入", "小计", "本年支出", "", "年末结转 和结余"],
            ["功能分类科目 编码", "科目 名称", "", "", "", "基本支出", "项目支出", ""],
        ],
        ["栏次", "", "1", "2", "3", "4", "5", "6"],
    )
    assert [c.label for c in cols if c.is_value] == [
        "年初结转和结余", "本年收入", "小计", "本年支出/基本支出", "本年支出/项目支出", "年末结转和结余",
    ]


SIDE_BY_SIDE = """2023 年度一般公共预算财政拨款基本支出决算明细表
单位：元
人员经费\t\t\t公用经费\t\t\t\t\t
科目代码\t科目名称\t决算数\t科目代码\t科目名称\t决算数\t科目代码\t科目名称\t决算数
301\t工资福利支出\t12,000.00\t302\t商品和服务支出\t500.00\t310\t资本性支出\t
30101\t基本工资\t——\t30201\t办公费\t500.00\t\t\t
人员经费合计\t\t12,000.00\t公用经费合计\t\t\t\t500.00
注：本表反映基本支出。
"""


def test_side_by_side_segments_and_a_shifted_total_row() -> None:
    (block,) = find_tables(_source(SIDE_BY_SIDE), _decision_titles)
    assert table_unit(block) == "元"
    assert len(segments(block.columns)) == 3
    got = {(e.code, e.item): [v.amount for v in e.values] for e in read_entries(block)}
    assert got[("301", "工资福利支出")] == [12000.0]
    assert got[("310", "资本性支出")] == []  # blank: no figure
    assert got[("30101", "基本工资")] == []  # —— : not disclosed, never 0
    assert got[(None, "人员经费合计")] == [12000.0]
    assert got[(None, "公用经费合计")] == [500.0]  # printed two cells to the right of its column


PAGED = """支出决算表
金额单位：万元
项目\t\t本年支出合计\t基本支出\t项目支出
科目编码\t科目名称\t\t\t
合计\t\t30.00\t10.00\t20.00
201\t06\t01\t行政运行\t10.00\t10.00\t

项目\t\t本年支出合计\t基本支出\t项目支出
科目编码\t科目名称\t\t\t
221 01 08\t老旧小区改造\t20.00\t\t20.00
"""


def test_header_repeated_after_page_break_and_split_codes() -> None:
    (block,) = find_tables(_source(PAGED), _decision_titles)
    entries = read_entries(block)
    got = {(e.code, e.item): {v.column.leaf: v.amount for v in e.values} for e in entries}
    assert got[("2010601", "行政运行")] == {"本年支出合计": 10.0, "基本支出": 10.0}
    assert got[("2210108", "老旧小区改造")] == {"本年支出合计": 20.0, "项目支出": 20.0}
    assert got[(None, "合计")] == {"本年支出合计": 30.0, "基本支出": 10.0, "项目支出": 20.0}
    assert len(entries) == 3  # the reprinted header rows are not entries


SHIFTED = """一般公共预算财政拨款支出决算表
金额单位：万元
项目\t\t\t本年支出\t\t
功能分类 科目编码\t\t科目名称\t小计\t基本支出\t项目支出
类\t款\t项\t1\t2\t3
201\t\t一般公共服务支出\t5.00\t\t5.00

2120109\t住宅建设与房地产市场监管\t7.00\t\t7.00
"""


def test_row_shifted_by_a_page_break_keeps_its_columns() -> None:
    (block,) = find_tables(_source(SHIFTED), _decision_titles)
    got = {e.code: {v.column.leaf: v.amount for v in e.values} for e in read_entries(block)}
    assert got["201"] == {"小计": 5.0, "项目支出": 5.0}
    assert got["2120109"] == {"小计": 7.0, "项目支出": 7.0}


def test_unlabelled_figures_are_reported_not_invented() -> None:
    text = """财政拨款收入支出决算总表
单位：万元
收入\t\t\t支出\t\t
项目\t行次\t决算数\t项目\t行次\t决算数
栏次\t\t1\t栏次\t\t2
\t27\t9.00\t本年支出合计\t59\t9.00
"""
    (block,) = find_tables(_source(text), _decision_titles)
    warnings: list[str] = []
    entries = read_entries(block, warn=warnings.append)
    assert [(e.item, [v.amount for v in e.values]) for e in entries] == [("本年支出合计", [9.0])]
    assert warnings and "9.00" in warnings[0]
