"""The one-cell-per-line grid: rows, wrapped cells, blank lines, stray tabs, fill-down."""

from __future__ import annotations

from loaders.families.cell_grid import (
    fill_down,
    find_grids,
    fit_rows,
    numbered_items,
    read_grid,
    split_numbered_row,
)
from loaders.readers.source import lines_from_text


def grid_of(text: str):
    lines = lines_from_text(text)
    grids = find_grids(lines)
    assert len(grids) == 1
    return grids[0]


def texts(grid_or_rows) -> list[list[str]]:
    rows = grid_or_rows.rows if hasattr(grid_or_rows, "rows") else grid_or_rows
    return [[c.text for c in r.cells] for r in rows]


def test_rows_split_on_blank_lines_and_cells_on_tabs() -> None:
    g = grid_of("标题\n\ta\n\tb\n\n\tc\n\td\n")
    assert texts(g) == [["a", "b"], ["c", "d"]]
    assert g.rows[1].cells[1].line.number == 6  # the figure's own line is its reference


def test_wrapped_label_joins_without_separator() -> None:
    g = grid_of("\t年初\n预算数\n\t全年\n执行数\n")
    assert g.rows[0].labels == ["年初预算数", "全年执行数"]


def test_blank_line_inside_a_cell_keeps_the_cell_open() -> None:
    # "产出指标", blank, "(50分)": the points belong to the same cell.
    g = grid_of("\t\n\t产出指标\n\n(50分)\n\t数量指标\n")
    assert texts(g) == [["", "产出指标(50分)", "数量指标"]]


def test_numbered_items_keep_their_line_breaks() -> None:
    g = grid_of("\t1、无明显蚁害现象\n2、不出现重复蚁\n\tx\n")
    assert g.rows[0].cells[0].text == "1、无明显蚁害现象\n2、不出现重复蚁"


def test_grid_ends_at_the_next_attachment_even_without_a_blank_line() -> None:
    lines = lines_from_text("\t总分\n\t100\n\t97.94\n 附件3-2\n2023年度项目支出绩效自评表\n\t项目支出名称\n\tx\n")
    grids = find_grids(lines)
    assert texts(grids[0]) == [["总分", "100", "97.94"]]
    assert texts(grids[1]) == [["项目支出名称", "x"]]


def test_grid_ends_at_footer_lines() -> None:
    g = read_grid(lines_from_text("\t总分\n\t100\n\t99\n\t\n\n\n备注：一张表\n填表人：\n"), 0)
    assert texts(g) == [["总分", "100", "99", ""]]


def test_stray_trailing_tab_is_marked_and_dropped_when_the_row_is_too_wide() -> None:
    g = grid_of("\ta\n\tb\n\tname 90%\t\n\ttarget\n\tactual\n")
    assert len(g.rows[0]) == 6
    assert g.rows[0].cells[3].trailing
    assert texts(fit_rows(g.rows, 5)) == [["a", "b", "name 90%", "target", "actual"]]


def test_fit_rows_merges_a_row_broken_by_a_blank_line() -> None:
    g = grid_of("\t\n\tL1\n\tL2\n\tname\n\n\t10\n\t9\n\n\t\n\t\n\t\n\tn2\n\t5\n\t5\n")
    assert [len(r) for r in g.rows] == [4, 2, 6]
    assert texts(fit_rows(g.rows, 6)) == [["", "L1", "L2", "name", "10", "9"], ["", "", "", "n2", "5", "5"]]


def test_fit_rows_does_not_merge_rows_that_do_not_add_up() -> None:
    g = grid_of("\ta\n\tb\n\n\tc\n\td\n\te\n")
    assert [len(r) for r in fit_rows(g.rows, 4)] == [2, 3]


def test_fit_rows_splits_two_rows_run_together() -> None:
    g = grid_of("\ta\n\tb\n\tc\n\td\n")
    assert texts(fit_rows(g.rows, 2)) == [["a", "b"], ["c", "d"]]


def test_fill_down_repeats_merged_cells() -> None:
    g = grid_of("\t产出\n\t数量\n\tx\n\n\t\n\t\n\ty\n\n\t\n\t质量\n\tz\n")
    assert fill_down(g.rows, [0, 1]) == [["产出", "数量", "x"], ["产出", "数量", "y"], ["产出", "质量", "z"]]


def test_tab_separated_tables_are_not_grids() -> None:
    text = "\t\t\t质量指标\t按标准整理\t档案达标\t\t\n\t\t\t设备完好率\t100%\t\t\n\t\t\t率\t\t\t\n"
    assert find_grids(lines_from_text(text)) == []


def test_full_width_space_cell_is_blank() -> None:
    g = grid_of("\t上年结转资金\n\t\u3000\n\t\u3000\n")
    assert g.rows[0].cells[1].is_blank


def test_fill_down_does_not_carry_an_inner_group_into_a_new_outer_group() -> None:
    g = grid_of("\t产出\n\t数量\n\tx\n\n\t效益\n\t\n\ty\n")
    assert fill_down(g.rows, [0, 1]) == [["产出", "数量", "x"], ["效益", "", "y"]]


def test_numbered_items() -> None:
    assert numbered_items("1.核发\n2、商品房\n3．补助") == ["核发", "商品房", "补助"]
    assert numbered_items("1. 建筑市场\n平稳有序\n2.完善") == ["建筑市场平稳有序", "完善"]  # a wrapped item
    assert numbered_items("1.a\n2.b\n4.c") is None  # a skipped number
    assert numbered_items("l.保证\n2.房屋") is None  # text before the first item (a letter l)
    assert numbered_items("1.只有一项") is None
    assert numbered_items("目标1:a\n目标2:b") is None
    assert numbered_items("") is None


COLS = {"name": 0, "target": 1, "actual": 2, "weight": 3, "score": 4, "note": 5}


def test_rows_split_only_when_the_lists_line_up() -> None:
    row = ["1.甲\n2.乙", "1.≥5个\n2.≥6个", "1.5个\n2.7个", "1.3\n2.2", "1.3\n2.1", "说明"]
    assert split_numbered_row(row, COLS) == [
        ["甲", "≥5个", "5个", "3", "3", "说明"],
        ["乙", "≥6个", "7个", "2", "1", "说明"],
    ]
    # 分值 / 得分 not printed: still split.
    assert len(split_numbered_row(["1.甲\n2.乙", "1.a\n2.b", "1.c\n2.d", "", "——", ""], COLS)) == 2
    # One 分值 for the whole list, lists of different lengths, or a name that is not a list: not split.
    assert split_numbered_row(["1.甲\n2.乙", "1.a\n2.b", "1.c\n2.d", "10", "10", ""], COLS) is None
    assert split_numbered_row(["1.甲\n2.乙", "1.a\n2.b\n3.c", "1.c\n2.d", "", "", ""], COLS) is None
    assert split_numbered_row(["甲", "1.a\n2.b", "1.c\n2.d", "", "", ""], COLS) is None
    plain = ["甲", "≥5个", "5个", "3", "3", ""]
    assert split_numbered_row(plain, COLS) == [plain]
