"""部门决算 nine tables, through the whole load path (read → detect → parse).

Every expectation below was read by hand off the seed; the line it was read from is noted.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from loaders.build import load_document
from loaders.extraction import Extraction
from loaders.families.final_accounts import parse_tables, table_kind
from loaders.readers.source import Source, lines_from_text

from .conftest import SEEDS


def _lines(doc) -> pd.DataFrame:
    df = pd.DataFrame(doc.extraction.rows.get("budget_lines", []))
    if df.empty:
        return df
    return df[df["table"] != "narrative"]  # prose facts belong to the narrative parser


@pytest.fixture(scope="module")
def hanyang() -> pd.DataFrame:
    return _lines(load_document(SEEDS["hanyang"]))


def _amounts(df: pd.DataFrame, table: str, code=None, item=None, breakdown=None) -> list[tuple[str, float]]:
    sel = df[df["table"] == table]
    if code is not None:
        sel = sel[sel["code"] == code]
    if item is not None:
        sel = sel[sel["item"] == item]
    if breakdown is not None:
        sel = sel[sel["breakdown"] == breakdown]
    return sorted(zip(sel["source_ref"], sel["amount"], strict=True))


def test_summary_table_both_sides(hanyang: pd.DataFrame) -> None:
    t = "收入支出决算总表"
    # L85 "一、一般公共预算财政拨款收入	1	21,488.85	一、一般公共服务支出	32	1,506.94"
    assert _amounts(hanyang, t, item="一、一般公共预算财政拨款收入", breakdown="income") == [("L85", 21488.85)]
    assert _amounts(hanyang, t, item="一、一般公共服务支出", breakdown="total") == [("L85", 1506.94)]
    # L103 "19		十九、住房保障支出	50	18,621.93"
    assert _amounts(hanyang, t, item="十九、住房保障支出") == [("L103", 18621.93)]
    # L112 "本年收入合计	27	21,488.85	本年支出合计	58	21,488.85"
    row = hanyang[(hanyang["table"] == t) & (hanyang["item"] == "本年收入合计")].iloc[0]
    assert (row["level"], row["breakdown"], row["measure"], row["amount"]) == (0, "income", "actual", 21488.85)
    # L86 "二、政府性基金预算财政拨款收入	2	0.00": a printed zero stays a zero
    assert _amounts(hanyang, t, item="二、政府性基金预算财政拨款收入") == [("L86", 0.0)]


def test_income_table(hanyang: pd.DataFrame) -> None:
    t = "收入决算表"
    # L137 "	合计	21,488.85	21,488.85					"
    assert _amounts(hanyang, t, item="合计", breakdown="income") == [("L137", 21488.85)]
    assert _amounts(hanyang, t, item="合计", breakdown="fiscal_appropriation") == [("L137", 21488.85)]
    # L165 "2210108	老旧小区改造	8,440.21	8,440.21": blank 上级补助…其他收入 give no rows
    assert len(hanyang[(hanyang["table"] == t) & (hanyang["code"] == "2210108")]) == 2


def test_duplicated_221_blocks_are_both_kept(hanyang: pd.DataFrame) -> None:
    """Hanyang prints 221 / 22101 twice in one table (the 保障性租赁住房 block): keep both."""
    t = "支出决算表"
    # L216 "221	住房保障支出	16,120.04	122.61	15,997.43"; L228 "221	住房保障支出	2,501.89		2,501.89"
    assert _amounts(hanyang, t, code="221", breakdown="total") == [("L216", 16120.04), ("L228", 2501.89)]
    assert _amounts(hanyang, t, code="221", breakdown="basic") == [("L216", 122.61)]
    assert _amounts(hanyang, t, code="221", breakdown="project") == [("L216", 15997.43), ("L228", 2501.89)]
    # L217 "22101	保障性安居工程支出	14,515.41		14,515.41"; L229 "22101	保障性安居工程支出	2,501.89		2,501.89"
    assert _amounts(hanyang, t, code="22101", breakdown="total") == [("L217", 14515.41), ("L229", 2501.89)]
    # L230 "2210110	保障性租赁住房	2,501.89		2,501.89"
    assert _amounts(hanyang, t, code="2210110", breakdown="project") == [("L230", 2501.89)]
    # Same in 收入决算表 (L161 16,120.04; L173 2,501.89) and 一般公共预算 table (L323; L335)
    assert _amounts(hanyang, "收入决算表", code="221", breakdown="income") == [("L161", 16120.04), ("L173", 2501.89)]
    assert _amounts(hanyang, "一般公共预算财政拨款支出决算表", code="221", breakdown="total") == [
        ("L323", 16120.04), ("L335", 2501.89)]
    row = hanyang[(hanyang["code"] == "221")].iloc[0]
    assert row["level"] == 1


def test_rows_shifted_by_a_page_break(hanyang: pd.DataFrame) -> None:
    # L211 "2120109	住宅建设与房地产市场监管	1,092.27		1,092.27" (one cell fewer than above the break)
    assert _amounts(hanyang, "支出决算表", code="2120109", breakdown="project") == [("L211", 1092.27)]
    assert _amounts(hanyang, "支出决算表", code="2120109", breakdown="basic") == []
    # L315 "2101103	公务员医疗补助	67.30	67.30	" in the 一般公共预算 table: 小计 and 基本支出
    t = "一般公共预算财政拨款支出决算表"
    assert _amounts(hanyang, t, code="2101103", breakdown="total") == [("L315", 67.30)]
    assert _amounts(hanyang, t, code="2101103", breakdown="basic") == [("L315", 67.30)]
    assert _amounts(hanyang, t, code="2101103", breakdown="project") == []
    # L299 "			合计	21,488.85	1,447.75	20,041.10"
    assert _amounts(hanyang, t, item="合计", breakdown="basic") == [("L299", 1447.75)]
    assert _amounts(hanyang, t, item="合计", breakdown="project") == [("L299", 20041.10)]


def test_basic_expenditure_personnel_and_public(hanyang: pd.DataFrame) -> None:
    t = "一般公共预算财政拨款基本支出决算明细表"
    # L382 "人员经费合计		1,407.09	公用经费合计				40.66" (the 40.66 sits in the third block)
    assert _amounts(hanyang, t, item="人员经费合计", breakdown="personnel") == [("L382", 1407.09)]
    assert _amounts(hanyang, t, item="公用经费合计", breakdown="public") == [("L382", 40.66)]
    # L353 "301	工资福利支出	1,219.19	302	商品和服务支出	40.66	310	资本性支出	"
    assert _amounts(hanyang, t, code="301", breakdown="personnel") == [("L353", 1219.19)]
    assert _amounts(hanyang, t, code="302", breakdown="public") == [("L353", 40.66)]
    assert _amounts(hanyang, t, code="310") == []  # printed blank: no row, never 0
    # L367 "303	对个人和家庭的补助	187.90	30215	会议费		"
    assert _amounts(hanyang, t, code="303", breakdown="personnel") == [("L367", 187.90)]
    # L378 "30310	个人农业生产补贴		30231	公务用车运行维护费	2.11"
    assert _amounts(hanyang, t, code="30231", breakdown="public") == [("L378", 2.11)]
    assert _amounts(hanyang, t, code="30310") == []


def test_fiscal_summary_and_unlabelled_figure() -> None:
    doc = load_document(SEEDS["hanyang"])
    df = _lines(doc)
    t = "财政拨款收入支出决算总表"
    # L267 "	19		十九、住房保障支出	51	18,621.92	18,621.92	"
    assert _amounts(df, t, item="十九、住房保障支出", breakdown="total") == [("L267", 18621.92)]
    assert _amounts(df, t, item="十九、住房保障支出", breakdown="general_public_budget") == [("L267", 18621.92)]
    # L249 "二、政府性基金预算财政拨款	2		二、外交支出	34": blank, no rows
    assert _amounts(df, t, item="二、政府性基金预算财政拨款") == []
    # L275 "	27	21,488.85	本年支出合计 …": the income figure has no label; it is reported, not guessed
    assert any("L275" in w for w in doc.extraction.warnings)
    assert set(df["measure"]) == {"actual"}
    assert set(df["unit_as_printed"]) == {"万元"}


def test_inventory_hanyang() -> None:
    inv = {e["table"]: (e["status"], e["source_ref"]) for e in load_document(SEEDS["hanyang"]).extraction.inventory}
    assert inv == {
        "收入支出决算总表": ("present", "L75"),
        "收入决算表": ("present", "L126"),
        "支出决算表": ("present", "L181"),
        "财政拨款收入支出决算总表": ("present", "L236"),
        "一般公共预算财政拨款支出决算表": ("present", "L288"),
        "一般公共预算财政拨款基本支出决算表": ("present", "L343"),
        # L398 "本单位无政府性基金预算拨款，故此表无数据。"
        "政府性基金预算财政拨款收入支出决算表": ("empty", "L398"),
        # L400 title, L411 "合计" with nothing beside it
        "国有资本经营预算财政拨款支出决算表": ("empty", "L400"),
        # L24 "- 九、财政拨款“三公”经费支出决算表" in the 目录, never printed
        "财政拨款“三公”经费支出决算表": ("missing", "L24"),
    }


def test_urumqi_references_its_tables_only() -> None:
    doc = load_document(SEEDS["urumqi"])  # L36 "第四部分 部门决算报表（见附表）"
    assert _lines(doc).empty
    inv = doc.extraction.inventory
    assert len(inv) == 9 and {e["status"] for e in inv} == {"missing"}
    # L38 "- 一、《收入支出决算总表》"
    assert next(e["source_ref"] for e in inv if e["table"] == "收入支出决算总表") == "L38"


# --- The output follows the document ---------------------------------------------------------


def _edit(src: Path, dst: Path, after: str, old: str, new: str) -> None:
    """Replace ``old`` with ``new`` on the first line containing ``old`` after a line containing ``after``."""
    lines = src.read_text(encoding="utf-8").split("\n")
    start = next(i for i, ln in enumerate(lines) if after in ln)
    i = next(i for i in range(start, len(lines)) if old in lines[i])
    lines[i] = lines[i].replace(old, new, 1)
    dst.write_text("\n".join(lines), encoding="utf-8")


def test_perturbed_figure_follows(tmp_path: Path) -> None:
    path = tmp_path / "doc.txt"
    _edit(SEEDS["hanyang"], path, "基本支出决算明细表", "1,407.09", "1,417.09")
    df = _lines(load_document(path))
    assert _amounts(df, "一般公共预算财政拨款基本支出决算明细表", item="人员经费合计") == [("L382", 1417.09)]


def test_perturbed_second_221_block_follows(tmp_path: Path) -> None:
    path = tmp_path / "doc.txt"
    # the second 22101 row of 支出决算表 (L229): after the second "221	住房保障支出" row
    lines = SEEDS["hanyang"].read_text(encoding="utf-8").split("\n")
    start = next(i for i, ln in enumerate(lines) if ln.strip().endswith("年度支出决算表"))
    second = [i for i in range(start, len(lines)) if lines[i].startswith("221\t")][1]
    lines[second + 1] = lines[second + 1].replace("2,501.89", "2,601.89")
    path.write_text("\n".join(lines), encoding="utf-8")
    df = _lines(load_document(path))
    assert _amounts(df, "支出决算表", code="22101", breakdown="total") == [("L217", 14515.41), ("L229", 2601.89)]


def test_blanked_figure_gives_no_row(tmp_path: Path) -> None:
    path = tmp_path / "doc.txt"
    _edit(SEEDS["hanyang"], path, "基本支出决算明细表", "\t90.90\t", "\t——\t")  # L355 30102 津贴补贴
    df = _lines(load_document(path))
    assert _amounts(df, "一般公共预算财政拨款基本支出决算明细表", code="30102") == []


def test_unit_in_yuan_is_converted(tmp_path: Path) -> None:
    path = tmp_path / "doc.txt"
    _edit(SEEDS["hanyang"], path, "年度收入决算表", "金额单位：万元", "金额单位：元")
    df = _lines(load_document(path))
    row = df[(df["table"] == "收入决算表") & (df["item"] == "合计")].iloc[0]
    assert row["amount"] == pytest.approx(2.148885) and row["unit_as_printed"] == "元"


def test_document_copy_with_other_name_parses_the_same(tmp_path: Path) -> None:
    path = tmp_path / "anything.txt"
    shutil.copy(SEEDS["hanyang"], path)
    assert len(_lines(load_document(path))) == len(_lines(load_document(SEEDS["hanyang"])))


# --- A 三公 table as the national template prints it (synthetic) --------------------------

SANGONG = """2024 年度财政拨款“三公”经费支出决算表
单位：万元
财政拨款“三公”经费\t\t\t\t\t\t\t\t\t\t\t
合计\t\t因公出国（境）费\t\t公务用车购置及运行费\t\t\t\t\t\t公务接待费\t
\t\t\t\t小计\t\t公务用车购置费\t\t公务用车运行费\t\t\t
预算数\t决算数\t预算数\t决算数\t预算数\t决算数\t预算数\t决算数\t预算数\t决算数\t预算数\t决算数
3.00\t2.50\t\t\t2.00\t1.90\t\t\t2.00\t1.90\t1.00\t0.60
"""


def test_sangong_table_columns() -> None:
    src = Source(Path("x.txt"), "txt", "0" * 64, lines_from_text(SANGONG))
    ex = Extraction()
    parse_tables(src, None, ex)
    got = {(r["item"], r["measure"]): r["amount"] for r in ex.rows["sangong"]}
    # The national template's 说明 calls this 预算数 "年初预算"; with no wording of its own, so do we.
    assert got == {
        ("total", "budget_initial"): 3.0, ("total", "actual"): 2.5,
        ("vehicle_total", "budget_initial"): 2.0, ("vehicle_total", "actual"): 1.9,
        ("vehicle_operation", "budget_initial"): 2.0, ("vehicle_operation", "actual"): 1.9,
        ("official_reception", "budget_initial"): 1.0, ("official_reception", "actual"): 0.6,
    }
    assert ex.inventory[-1]["status"] == "present"


def test_sangong_budget_column_takes_the_phase_the_prose_names() -> None:
    prose = "\n“三公”经费财政拨款支出全年预算为3.00万元，支出决算为2.50万元。\n"
    src = Source(Path("x.txt"), "txt", "0" * 64, lines_from_text(SANGONG + prose))
    ex = Extraction()
    parse_tables(src, None, ex)
    measures = {r["measure"] for r in ex.rows["sangong"]}
    assert measures == {"budget_adjusted", "actual"}


def test_table_kinds() -> None:
    assert table_kind("2023 年度收入支出决算总表") == "summary"
    assert table_kind("2023 年度财政拨款收入支出决算总表") == "fiscal_summary"
    assert table_kind("一般公共预算财政拨款基本支出决算明细表") == "general_basic"
    assert table_kind("部门整体支出绩效自评表") is None
    assert table_kind("第二部分 武汉市汉阳区住房保障和房屋管理局2023年度部门决算表") is None


# --- A real PDF (Shanghai Putuo 财政局 2024 决算): no 公开 0N 表 markers, no 栏次 row --------


def test_putuo_pdf_tables() -> None:
    from .conftest import shared_pdf

    doc = load_document(shared_pdf("putuo-finance-2024-final.pdf"))
    df = _lines(doc)
    # p8 收入决算表: "行政运行 / 201 06 01 1,511.90 1,511.89 … 0.01" (本年收入合计, 财政拨款收入, 其他收入)
    row = df[(df["table"] == "收入决算表") & (df["code"] == "2010601")]
    assert sorted(zip(row["breakdown"], row["amount"], strict=True)) == [
        ("fiscal_appropriation", 1511.89), ("income", 1511.90), ("other_income", 0.01)]
    # p16 基本支出: "301 工资福利支出 2,082.85 | 302 商品和服务支出 171.07"
    t = "一般公共预算财政拨款基本支出决算表"
    assert _amounts(df, t, code="301", breakdown="personnel")[0][1] == 2082.85
    assert _amounts(df, t, code="302", breakdown="public")[0][1] == 171.07
    inv = {e["table"]: e["status"] for e in doc.extraction.inventory}
    # p19 "注：…无政府性基金预算财政拨款支出，故本表无数据。"
    assert inv["政府性基金预算财政拨款收入支出决算表"] == "empty"
    assert inv["收入决算表"] == "present"


# --- A 目录 with no 第…部分 heading after it (synthetic) ---------------------------------------

LISTING = """目录
一、收入支出决算总表
二、收入决算表
三、财政拨款“三公”经费支出决算表
纳入本部门决算编制范围的单位包括：
序号\t单位名称\t备注
1\t上海市XX局（本级）\t
财政拨款“三公”经费支出决算表
单位：万元
合计\t因公出国（境）费\t公务接待费
1.50\t\t1.50
"""


def test_listing_entries_are_not_tables() -> None:
    # The last 目录 entry used to run on over the 单位构成 list: "declares no unit" and a
    # second printing of the 三公 table. The listed titles are now only listed.
    ex = Extraction()
    parse_tables(Source(Path("x.txt"), "txt", "0" * 64, lines_from_text(LISTING)), None, ex)
    assert not ex.warnings
    assert {(r["item"], r["amount"]) for r in ex.rows["sangong"]} == {("total", 1.5), ("official_reception", 1.5)}
    inv = {e["table"]: (e["status"], e["source_ref"]) for e in ex.inventory}
    assert inv["财政拨款“三公”经费支出决算表"] == ("present", "L8")
    assert inv["收入决算表"] == ("missing", "L3")
