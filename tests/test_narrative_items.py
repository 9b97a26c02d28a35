"""Per-item 类/款/项 paragraphs of the 说明 (loaders.families.narrative_items)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loaders.extraction import Extraction
from loaders.families import narrative_items
from loaders.readers.source import Source, lines_from_text

from .conftest import shared_pdf

SECTION = "(三)一般公共预算财政拨款支出决算具体情况"
NEXT = "六、一般公共预算财政拨款基本支出决算情况说明"


def _plain(text: str) -> Source:
    return Source(Path("synthetic.txt"), "txt", "", lines_from_text(text))


def _source(body: str) -> Source:
    return _plain("\n".join([SECTION, body, NEXT, "基本支出 1.00 万元。"]))


def _meta(kind: str = "final_accounts"):
    return SimpleNamespace(doc_kind=kind, year=2024)  # what the reader asks of a document's identity


def _rows(body: str, kind: str = "final_accounts", ex: Extraction | None = None) -> list[dict]:
    ex = ex or Extraction()
    narrative_items.extract(_source(body), _meta(kind), ex)
    return [r for r in ex.rows["budget_lines"] if r.get("table") == "narrative"]


def _by(rows: list[dict]) -> dict[tuple[str, str], dict]:
    return {(r["item_path"], r["measure"]): r for r in rows}


WRAPPED = """1、一般公共服务支出(类)财政事务(款)行政运行(项)。主要用于：局本部人
员经费。年初预算为 1560.05 万元，支出决算为1511.89万
元，完成年初预算的96.91%。决算数小于预算数的主要原因：人员进出及退休变化，
减少人员经费开支。
2、一般公共服务支出(类)财政事务(款)一般行政管理事务(项)。主要用于：
宣传。年初预算为 10.00 万元，支出决算为10.00万元。决算数与预算数基本持平。
3、教育支出(类)普通教育(款)初中教育(项)。主要用于：教学。调整预算为 20.00 万元，
支出决算为 25.50 万元。决算数大于预算数的主要原因：新增校舍维修。
4、教育支出(类)普通教育(款)高等教育(项)。主要用于：XXXXXXXX。年初预算为 XXX 万元，支出决算为 XXX 万元。决
算数大于(小于)预算数的主要原因：XXXXXXXX。(如持平作持平表述)
5、教育支出(类)其他教育支出(款)。全年预算数为 0.00 万元，支出决算为 0.00 万元。"""


def test_wrapped_paragraphs_phases_and_reasons():
    rows = _by(_rows(WRAPPED))
    first = rows[("一般公共服务支出/财政事务/行政运行", "budget_initial")]
    assert (first["item"], first["level"], first["amount"], first["source_ref"]) == ("行政运行", 3, 1560.05, "L3")
    actual = rows[("一般公共服务支出/财政事务/行政运行", "actual")]
    assert (actual["amount"], actual["source_ref"]) == (1511.89, "L3")  # its 万 and 元 on two lines
    assert actual["reason"] == "决算数小于预算数的主要原因：人员进出及退休变化，减少人员经费开支。"
    assert actual["reason_ref"] == "L4"
    agree = rows[("一般公共服务支出/财政事务/一般行政管理事务", "actual")]
    assert agree["amount"] == 10.0 and agree["reason"] is None  # 持平: no reason owed
    adjusted = rows[("教育支出/普通教育/初中教育", "budget_adjusted")]
    assert adjusted["amount"] == 20.0
    assert rows[("教育支出/普通教育/初中教育", "actual")]["reason"].startswith("决算数大于预算数的主要原因")
    assert not any(p.endswith("高等教育") for p, _ in rows)  # the template's placeholders: no row
    zero = rows[("教育支出/其他教育支出", "budget_adjusted")]
    assert zero["amount"] == 0.0 and zero["level"] == 2  # a printed 0.00 is a real 0
    assert all(r["code"] is None for r in rows.values())  # no table rows here: never guessed
    assert all(r["origin"] == "narrative" and r["breakdown"] == "total" for r in rows.values())


def test_no_zero_that_is_not_printed():
    rows = _rows("1、教育支出(类)普通教育(款)初中教育(项)。主要用于：教学。\n")
    assert rows == []


def test_code_from_the_same_documents_table_when_unambiguous():
    ex = Extraction()
    for code, item, level in [("205", "教育支出", 1), ("20502", "普通教育", 2), ("2050203", "初中教育", 3),
                              ("2050299", "初中教育", 3)]:
        ex.add("budget_lines", "p1:L1", table="支出决算表", code=code, item=item, level=level,
               breakdown="total", measure="actual", amount=1.0, origin="table")
    rows = _by(_rows(WRAPPED, ex=ex))
    assert rows[("教育支出/普通教育/初中教育", "actual")]["code"] is None  # two codes carry the name
    ex.rows["budget_lines"] = [r for r in ex.rows["budget_lines"] if r.get("code") != "2050299"
                               and r.get("table") != "narrative"]
    rows = _by(_rows(WRAPPED, ex=ex))
    assert rows[("教育支出/普通教育/初中教育", "actual")]["code"] == "2050203"


def test_perturbed_figure_follows_through():
    rows = _by(_rows(WRAPPED.replace("1511.89", "1411.89")))
    assert rows[("一般公共服务支出/财政事务/行政运行", "actual")]["amount"] == 1411.89


def test_budget_paragraph_is_the_documents_phase():
    body = "1. “一般公共服务支出(类)商贸事务(款)行政运行(项)”938.99万元,主要用于机关行政运行。"
    text = "\n".join(["二、财政拨款支出主要内容如下:", body, "三、其他"])
    ex = Extraction()
    narrative_items.extract(_plain(text), _meta("budget"), ex)
    rows = ex.rows["budget_lines"]
    assert [(r["item"], r["measure"], r["amount"]) for r in rows] == [("行政运行", "budget_initial", 938.99)]


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=9_999_999), st.integers(min_value=0, max_value=99),
       st.booleans(), st.sampled_from(["", " ", "  "]))
def test_amount_formats(whole, cents, thousands, space):
    printed = f"{whole:,}" if thousands else str(whole)
    body = (f"1、教育支出(类)普通教育(款)初中教育(项)。主要用于：教学。年初预算为{space}{printed}.{cents:02d}"
            f"{space}万元，支出决算为{space}1.00万元。")
    rows = _by(_rows(body))
    assert rows[("教育支出/普通教育/初中教育", "budget_initial")]["amount"] == pytest.approx(whole + cents / 100)


# --- the real document ---------------------------------------------------------------------

# Checked by hand against the rendered page 22 (pdftoppm -r 70 -f 22 -l 22) and, for the codes,
# the document's own 收入决算表 rows.
PUTUO = [
    ("一般公共服务支出/财政事务/行政运行", "2010601", "budget_initial", 1560.05, "p22:L2"),
    ("一般公共服务支出/财政事务/行政运行", "2010601", "actual", 1511.89, "p22:L2"),
    ("一般公共服务支出/财政事务/财政委托业务支出", "2010608", "budget_initial", 450.52, "p22:L11"),
    ("一般公共服务支出/财政事务/财政委托业务支出", "2010608", "actual", 449.52, "p22:L12"),
    ("社会保障和就业支出/行政事业单位养老支出/其他行政事业单位养老支出", "2080599", "actual", 0.94, "p22:L27"),
    ("住房保障支出/住房改革支出/购房补贴", "2210203", "budget_initial", 258.50, "p22:L35"),
]


@pytest.fixture(scope="module")
def putuo():
    from loaders.build import load_document

    return load_document(shared_pdf("putuo-finance-2024-final.pdf"))


def test_putuo_finance_items(putuo):
    rows = [r for r in putuo.extraction.rows["budget_lines"] if r.get("item_path")]
    assert len(rows) == 22  # 11 项, each 年初 and 决算
    got = {(r["item_path"], r["measure"]): r for r in rows}
    for path, code, measure, amount, ref in PUTUO:
        r = got[(path, measure)]
        assert (r["code"], r["amount"], r["source_ref"], r["level"]) == (code, amount, ref, 3)
    first = got[("一般公共服务支出/财政事务/行政运行", "actual")]
    assert first["reason"] == "决算数小于预算数的主要原因：人员进出及退休变化，减少人员经费开支。"
    assert first["reason_ref"] == "p22:L3"
    assert got[("一般公共服务支出/财政事务/一般行政管理事务", "actual")]["reason"] is None  # 持平


def test_template_placeholders_give_no_rows():
    from loaders.build import load_document

    doc = load_document(shared_pdf("final-accounts-template-2024.pdf"))
    assert not [r for r in doc.extraction.rows["budget_lines"] if r.get("item_path")]


def test_reason_for_a_change_on_last_year_is_not_a_gaps_reason():
    body = ("1. 社会保障和就业支出(类)抚恤(款)死亡抚恤(项):支出决算数为68.96万元,比上年决算增加\n"
            "68.96万元,增长100.00%,主要原因是:本年有退休人员去世。")
    rows = _rows(body)
    assert [(r["item"], r["measure"], r["amount"], r["reason"]) for r in rows] == [
        ("死亡抚恤", "actual", 68.96, None)]  # the change is no level, its reason no gap's


def test_class_heading_is_the_path_of_the_items_under_it():
    text = "\n".join(["五、财政拨款支出预算情况说明", "其中:", "(一)公共安全(类)",
                      "1.法院(款)行政运行(项)支出 14857.61 万元,与上年相", "比增加 3070.69 万元。",
                      "六、其他"])
    ex = Extraction()
    narrative_items.extract(_plain(text), _meta("budget"), ex)
    assert [(r["item_path"], r["level"], r["measure"], r["amount"], r["source_ref"])
            for r in ex.rows["budget_lines"]] == [("公共安全/法院/行政运行", 3, "budget_initial", 14857.61, "L4")]


def test_page_number_between_figure_and_unit_is_not_read():
    lines = [*lines_from_text("五、财政拨款支出预算情况说明\n其中:\n(一)一般公共服务(类)\n"
                              "6.人大事务(款)人大代表履职能力提升(项)支出403.75\n24", page=24),
             *lines_from_text("万元,与上年持平。\n六、其他", page=25)]
    ex = Extraction()
    narrative_items.extract(Source(Path("synthetic.pdf"), "pdf", "", lines), _meta("budget"), ex)
    assert [(r["amount"], r["source_ref"]) for r in ex.rows["budget_lines"]] == [(403.75, "p24:L4")]
