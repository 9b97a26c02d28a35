"""Golden figures from the four real PDFs in ../shared/pdfs (skipped where that folder is absent).

Every expectation was checked by hand against the rendered page
(``pdftoppm -png -r 80 -f N -l N file.pdf``); the page and what it prints are noted beside it.
Putuo's budgets print tables 1–8 in 元 and the 三公 table in 万元: amounts are 万元, the printed
unit is kept in ``unit_as_printed``.
"""

from __future__ import annotations

import pytest

from loaders.build import load_document
from tests.conftest import shared_pdf


def _load(name: str):
    return load_document(shared_pdf(name))


@pytest.fixture(scope="module")
def finance():
    return _load("putuo-finance-2024-final.pdf")


@pytest.fixture(scope="module")
def template():
    return _load("final-accounts-template-2024.pdf")


@pytest.fixture(scope="module")
def commerce():
    return _load("putuo-commerce-2025-budget.pdf")


@pytest.fixture(scope="module")
def commerce_unit():
    return _load("putuo-commerce-unit-2025-budget.pdf")


def table_sangong(doc) -> dict[tuple[str, str], dict]:
    return {(r["item"], r["measure"]): r for r in doc.extraction.rows["sangong"] if r["origin"] == "table"}


def lines(doc, table_word: str, **want) -> list[dict]:
    return [r for r in doc.extraction.rows["budget_lines"]
            if table_word in r["table"] and all(r.get(k) == v for k, v in want.items())]


def one(doc, table_word: str, **want) -> dict:
    hits = lines(doc, table_word, **want)
    assert len(hits) == 1, (table_word, want, hits)
    return hits[0]


def inventory(doc) -> dict[str, str]:
    return {e["table"]: e["status"] for e in doc.extraction.inventory}


# --- 上海市普陀区财政局 2024 部门决算 (万元) ---------------------------------------------------


def test_finance_sangong_by_column_position(finance):
    # p18: header 合计|因公出国（境）费|公务用车购置及运行费(小计|购置费|运行费)|公务接待费, each
    # over 预算数|决算数; the one row prints 0.95 under 合计/预算数 and 公务接待费/预算数 only.
    # p23:L10 names that 预算数 "年初预算为0.95万元": budget_initial.
    s = table_sangong(finance)
    assert {k: r["amount"] for k, r in s.items()} == {
        ("total", "budget_initial"): 0.95, ("official_reception", "budget_initial"): 0.95}
    assert {r["source_ref"] for r in s.values()} == {"p18:L5"}
    # 决算数 cells are blank: no actual rows from the table (never a zero the table did not print)
    assert not any(m == "actual" for _, m in s)


def test_finance_totals(finance):
    # p6 收入支出决算总表: 本年收入合计 2,946.25 | 本年支出合计 2,940.05; p7: 总计 2,995.39 (both sides)
    t = "收入支出决算总表"
    assert one(finance, t, table=t, item="本年收入合计")["amount"] == 2946.25
    r = one(finance, t, table=t, item="本年支出合计")
    assert (r["amount"], r["level"], r["measure"], r["unit_as_printed"]) == (2940.05, 0, "actual", "万元")
    assert {r["amount"] for r in lines(finance, t, table=t, item="总计")} == {2995.39}
    # p10 支出决算表 合计: 2,940.05 | 基本支出 2,336.91 | 项目支出 603.14
    got = {r["breakdown"]: r["amount"] for r in lines(finance, "支出决算表", item="合计") if r["table"] == "支出决算表"}
    assert got == {"total": 2940.05, "basic": 2336.91, "project": 603.14}


def test_finance_classification_lines(finance):
    t = "支出决算表"
    # p10: 201 一般公共服务支出 2,106.66 | 1,503.52 | 603.14
    r = one(finance, t, table=t, code="201", breakdown="total")
    assert (r["item"], r["level"], r["amount"]) == ("一般公共服务支出", 1, 2106.66)
    # p10: 208 05 行政事业单位养老支出 326.72
    assert one(finance, t, table=t, code="20805", breakdown="basic")["level"] == 2
    # p10: 201 06 01 行政运行 1,511.89 | 1,503.52 | 8.37
    got = {r["breakdown"]: r["amount"] for r in lines(finance, t, table=t, code="2010601")}
    assert got == {"total": 1511.89, "basic": 1503.52, "project": 8.37}
    # p11 (the table continues on the next page, same columns): 208 05 99 其他行政事业单位养老支出 0.94
    r = one(finance, t, table=t, code="2080599", breakdown="basic")
    assert (r["amount"], r["level"], r["source_ref"]) == (0.94, 3, "p11:L1")


def test_finance_inventory_and_warnings(finance):
    inv = inventory(finance)
    # p19 / p20: "…故本表无数据。" under the header: declared empty
    assert inv["政府性基金预算财政拨款收入支出决算表"] == "empty"
    assert inv["国有资本经营预算财政拨款支出决算表"] == "empty"
    assert list(inv.values()).count("present") == 7
    assert not [w for w in finance.extraction.warnings if "unit" in w]


# --- 2024 决算 template (上海市XX局): the nine tables printed without figures ----------------


def test_template_prints_no_figures(template):
    # p5–p14: every table is printed with its headers and blank (or 合计/…) rows only
    assert not template.extraction.rows["sangong"]
    assert not [r for r in template.extraction.rows["budget_lines"] if r["table"] != "narrative"]
    inv = template.extraction.inventory
    assert len(inv) == 9 and {e["status"] for e in inv} == {"empty"}
    # p13 "说明：…故本表无数据。": the declared-empty sentence is the reference
    gf = next(e for e in inv if e["table"].startswith("政府性基金"))
    assert gf["source_ref"] == "p13:L6"
    assert not template.extraction.warnings  # the 目录 (p2) gives no "declares no unit"


# --- 上海市普陀区商务委员会 2025 部门预算 (tables 1–8 in 元, 三公 in 万元) -------------------


def test_commerce_sangong_and_operating(commerce):
    # p21 (单位:万元): 合计 1.00 | 因公出国(境)费 — | 公务接待费 1.00 | 公务用车 小计/购置费/运行费 — | 机关运行经费 171.01
    s = table_sangong(commerce)
    assert {k: r["amount"] for k, r in s.items()} == {
        ("total", "budget_initial"): 1.0, ("official_reception", "budget_initial"): 1.0}
    assert {r["unit_as_printed"] for r in s.values()} == {"万元"}
    r = one(commerce, "三公", breakdown="operating")
    assert (r["item"], r["amount"], r["measure"], r["unit_as_printed"]) == ("机关运行经费", 171.01, "budget_initial", "万元")


def test_commerce_totals_converted_from_yuan(commerce):
    # p9 财务收支预算总表 (单位：元): 收入总计 371,514,655.00 → 37,151.4655 万元
    r = one(commerce, "财务收支预算总表", item="收入总计")
    assert (r["amount"], r["unit_as_printed"], r["breakdown"]) == (37151.4655, "元", "income")
    # p13 支出预算总表 合计: 371,514,655.00 | 基本支出 19,830,655.00 | 项目支出 351,684,000.00
    got = {r["breakdown"]: r["amount"] for r in lines(commerce, "部门支出预算总表", item="合计")}
    assert got == {"total": 37151.4655, "basic": 1983.0655, "project": 35168.4}


def test_commerce_classification_lines(commerce):
    t = "部门支出预算总表"
    # p13: 215 08 99 其他支持中小企业发展和管理支出 293,810,000.00 (项目支出)
    r = one(commerce, t, code="2150899", breakdown="project")
    assert (r["item"], r["level"], r["amount"]) == ("其他支持中小企业发展和管理支出", 3, 29381.0)
    # p13: 210 11 行政事业单位医疗 881,803.00; 221 住房保障支出 2,849,034.00
    assert one(commerce, t, code="21011", breakdown="total")["level"] == 2
    assert one(commerce, t, code="221", breakdown="total")["amount"] == 284.9034
    # p20 (the 基本支出 table continues without repeating its header): 302 17 公务接待费 10,000.00 公用经费
    r = one(commerce, "基本支出", code="30217", breakdown="public")
    assert (r["amount"], r["level"], r["source_ref"]) == (1.0, 2, "p20:L4")


def test_commerce_inventory_and_warnings(commerce):
    inv = inventory(commerce)
    # p17 / p18 "注:本部门2025年无…预算，故本表为空表。"
    assert inv["2025年部门政府性基金预算支出功能分类预算表"] == "empty"
    assert inv["2025年部门国有资本经营预算支出功能分类预算表"] == "empty"
    assert list(inv.values()).count("present") == 7
    assert not commerce.extraction.warnings  # the unit is read beside 编制部门; no 序号 column


# --- 上海市普陀区商务委员会 2025 单位预算 -----------------------------------------------------


def test_unit_summary_with_nested_columns(commerce_unit):
    # p9 (单位：元): 支出 预算数 → 合计 | 基本支出 (人员经费 | 公用经费) | 项目支出
    # 支出总计 371,514,655.00 | 18,120,593.00 | 1,710,062.00 | 351,684,000.00
    got = {r["breakdown"]: r["amount"] for r in lines(commerce_unit, "财务收支预算总表", item="支出总计")}
    assert got == {"total": 37151.4655, "personnel": 1812.0593, "public": 171.0062, "project": 35168.4}
    # 一、一般公共服务支出 21,601,733.00 | 10,823,891.00 | 1,467,842.00 | 9,310,000.00
    r = one(commerce_unit, "财务收支预算总表", item="一、一般公共服务支出", breakdown="personnel")
    assert (r["amount"], r["level"], r["unit_as_printed"]) == (1082.3891, 1, "元")


def test_unit_sangong_and_operating(commerce_unit):
    # p21 (单位:万元): 合计 1.00 | 公务接待费 1.00 | 机关运行经费预算数 171.01
    s = table_sangong(commerce_unit)
    assert {k: r["amount"] for k, r in s.items()} == {
        ("total", "budget_initial"): 1.0, ("official_reception", "budget_initial"): 1.0}
    assert one(commerce_unit, "三公", breakdown="operating")["amount"] == 171.01
    assert commerce_unit.meta.scope == "unit"
