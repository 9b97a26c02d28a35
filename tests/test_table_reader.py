"""One table reader for every family and every reader: the traps of the national formats, as
small synthetic tables (text lines, and the same table as a Word table), read through the
family parsers (loaders.spec.reader)."""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders.extraction import DocumentMeta, Extraction
from loaders.families import budget, final_accounts
from loaders.readers import read_source
from loaders.readers.source import Source, lines_from_text

META = DocumentMeta("budget", "department", None, 2017, "")

SANGONG_WITH_MEETINGS = [
    "一般公共预算“三公”经费、会议费、培训费支出预算表",
    "单位：万元",
    "合计\t“三公”经费\t\t\t\t\t\t会议费\t培训费",
    "\t小计\t因公出国（境）费\t公务用车购置及运行维护费\t\t\t公务接待费\t\t",
    "\t\t\t小计\t购置费\t运行维护费\t\t\t",
    "2,599.37\t670.12\t180.00\t304.40\t\t304.40\t185.72\t228.00\t1,701.25",
]


def parse(lines: list[str], family=budget) -> Extraction:
    source = Source(Path("synthetic.txt"), "txt", "0" * 64, lines_from_text("\n".join(lines)))
    ex = Extraction()
    family.parse_tables(source, META, ex)
    return ex


def sangong(ex: Extraction) -> dict[str, float]:
    return {r["item"]: r["amount"] for r in ex.rows["sangong"]}


def lines(ex: Extraction, **want) -> list[dict]:
    return [r for r in ex.rows["budget_lines"] if all(r.get(k) == v for k, v in want.items())]


def inventory(ex: Extraction) -> dict[str, dict]:
    return {e["kind"]: e for e in ex.inventory}


def check_sangong_with_meetings(ex: Extraction) -> None:
    # the 三公 total is the “三公”经费 小计, not the 合计 (= 三公 + 会议费 + 培训费)
    assert sangong(ex) == {"total": 670.12, "outbound_travel": 180.0, "vehicle_total": 304.4,
                           "vehicle_operation": 304.4, "official_reception": 185.72}
    # the blank 购置费 cell gives no row, and 运行维护费 is not shifted into it
    assert "vehicle_purchase" not in sangong(ex)
    got = {r["breakdown"]: (r["item"], r["amount"], r["level"]) for r in ex.rows["budget_lines"]}
    assert got == {"meeting": ("会议费", 228.0, None), "training": ("培训费", 1701.25, None),
                   "total": ("合计", 2599.37, 0)}
    assert inventory(ex)["sangong"]["status"] == "present"


def test_sangong_with_meeting_and_training_fees():
    check_sangong_with_meetings(parse(SANGONG_WITH_MEETINGS))


def test_sangong_rows_layout_with_meeting_and_training_rows():
    ex = parse([
        "“三公”经费、会议费、培训费预算表",
        "单位：万元",
        "项目\t合计\t一般公共预算\t政府性基金",
        "合计\t50.00\t50.00\t",
        "一、“三公”经费\t30.00\t30.00\t",
        "1.因公出国（境）费\t\t\t",
        "2.公务接待费\t10.00\t10.00\t",
        "3.公务用车购置及运行费\t20.00\t20.00\t",
        "二、会议费\t15.00\t15.00\t",
        "三、培训费\t5.00\t5.00\t",
    ])
    assert sangong(ex) == {"total": 30.0, "official_reception": 10.0, "vehicle_total": 20.0}
    assert {r["breakdown"]: r["amount"] for r in ex.rows["budget_lines"]} == {
        "total": 50.0, "meeting": 15.0, "training": 5.0}


def test_blank_cell_gives_no_row_and_no_shift():
    ex = parse([
        "部门支出总表",
        "单位：万元",
        "科目编码\t科目名称\t合计\t基本支出\t项目支出",
        "\t合计\t300.00\t200.00\t100.00",
        "201\t一般公共服务支出\t100.00\t\t100.00",
        "208\t社会保障和就业支出\t200.00\t200.00\t",
    ])
    assert {(r["code"], r["breakdown"]): r["amount"] for r in lines(ex, level=1)} == {
        ("201", "total"): 100.0, ("201", "project"): 100.0, ("208", "total"): 200.0, ("208", "basic"): 200.0}
    assert not lines(ex, amount=0.0)


@pytest.mark.parametrize("repeat", ["header", "title", "nothing"])
def test_table_continued_over_pages(repeat):
    head = ["部门支出总表", "江苏省某某厅", "单位：万元", "科目编码\t科目名称\t合计"]
    again = {"header": ["江苏省某某厅", "单位：万元", "科目编码\t科目名称\t合计"],
             "title": ["部门支出总表", "单位：万元"], "nothing": []}[repeat]
    ex = parse(head + ["201\t一般公共服务支出\t100.00", "20101\t人大事务\t100.00"] + again
               + ["208\t社会保障和就业支出\t200.00", "20805\t行政事业单位养老支出\t200.00"])
    assert {r["code"]: r["amount"] for r in ex.rows["budget_lines"]} == {
        "201": 100.0, "20101": 100.0, "208": 200.0, "20805": 200.0}
    assert not [w for w in ex.warnings if "twice" in w]


def test_unit_is_each_tables_own():
    ex = parse([
        "部门收入总表",
        "单位：元",
        "科目编码\t科目名称\t合计",
        "\t合计\t1,234,500.00",
        "部门支出总表",
        "单位：万元",
        "科目编码\t科目名称\t合计",
        "\t合计\t123.45",
    ])
    got = {r["table"]: (r["amount"], r["unit_as_printed"]) for r in ex.rows["budget_lines"]}
    assert got == {"部门收入总表": (123.45, "元"), "部门支出总表": (123.45, "万元")}


@pytest.mark.parametrize("note", ["本部门无该项目", "注：本部门无相关收支项目", "我单位无2017年政府性基金支出安排", None])
def test_declared_empty_is_not_missing(note):
    ex = parse(["政府性基金预算支出表", "单位：万元", "科目编码\t科目名称\t合计", "\t合计\t"]
               + ([note] if note else []) + ["一般公共预算支出表", "单位：万元", "科目编码\t科目名称\t合计",
                                             "\t合计\t10.00"])
    entry = inventory(ex)["government_fund"]
    assert entry["status"] == "empty"  # disclosed as empty, not missing
    assert entry["source_ref"] == ("L5" if note else "L1")  # the sentence that says so, else the title
    assert not [r for r in ex.rows["budget_lines"] if "基金" in r["table"]]  # no zero invented
    assert inventory(ex)["general_public"]["status"] == "present"
    assert inventory(ex)["state_capital"]["status"] == "missing"


def test_inventory_says_listed_for_a_narrative_alone():
    ex = parse(["目录", "一、收支预算总表", "二、收入预算总表", "三、支出预算总表", "第一部分 部门概况", "本部门……"])
    inv = inventory(ex)
    assert inv["summary"]["status"] == "missing" and inv["summary"]["listed"]
    assert inv["summary"]["source_ref"] == "L2"
    assert not inv["sangong"]["listed"]
    assert not ex.warnings


def test_final_accounts_sangong_through_the_same_reader():
    ex = parse([
        "财政拨款“三公”经费支出决算表",
        "单位：万元",
        "合计\t\t因公出国（境）费\t\t公务接待费\t",
        "预算数\t决算数\t预算数\t决算数\t预算数\t决算数",
        "1.50\t1.20\t\t\t1.50\t1.20",
    ], family=final_accounts)
    got = {(r["item"], r["measure"]): r["amount"] for r in ex.rows["sangong"]}
    assert got == {("total", "budget_initial"): 1.5, ("total", "actual"): 1.2,
                   ("official_reception", "budget_initial"): 1.5, ("official_reception", "actual"): 1.2}


def test_word_table_through_the_same_reader(tmp_path):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    title, unit, *rows = SANGONG_WITH_MEETINGS
    document.add_paragraph("江苏省某某厅2017年部门预算")
    document.add_paragraph(title)
    document.add_paragraph(unit)
    cells = [r.split("\t") for r in rows]
    table = document.add_table(rows=len(cells), cols=max(len(r) for r in cells))
    for i, row in enumerate(cells):
        for j, text in enumerate(row):
            table.cell(i, j).text = text
    table.cell(0, 1).merge(table.cell(0, 6))  # “三公”经费 over its seven columns
    table.cell(1, 3).merge(table.cell(1, 5))  # 公务用车购置及运行维护费 over 小计 | 购置费 | 运行维护费
    table.cell(0, 0).merge(table.cell(2, 0))  # 合计 down the three header rows
    path = tmp_path / "sangong.docx"
    document.save(str(path))
    ex = Extraction()
    budget.parse_tables(read_source(path), META, ex)
    check_sangong_with_meetings(ex)


def test_row_labels_without_figures_do_not_end_the_table():
    # A PDF gives a row whose cells are all blank but its label as one cell, no tab
    # ("四、其他收入"); the 收入总计 row after it belongs to the table (putuo-welfare-home p7).
    ex = parse([
        "财务收支预算总表",
        "单位：元",
        "本年收入/项目\t本年收入/预算数\t本年支出/项目\t本年支出/预算数",
        "一、财政拨款收入\t9,501,164\t一、社会保障和就业支出\t12,121,164",
        "二、事业收入\t2,620,000",
        "三、其他收入",
        "收入总计\t12,121,164\t支出总计\t12,121,164",
        "注：本表反映收支总体情况。",
    ])
    got = {(r["item"], r["breakdown"]): r["amount"] for r in lines(ex, level=0)}
    assert got == {("收入总计", "income"): 1212.1164, ("支出总计", "total"): 1212.1164}
