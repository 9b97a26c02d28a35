"""部门预算 nine-table parser (loaders/budget.py), on the Handan 2022 seed.

Every expected figure below was read by hand from the seed text; the line it is printed
on is quoted next to it (→ marks a tab).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders.build import load_document
from loaders.extraction import Extraction
from loaders.families import budget
from loaders.readers.source import Source, lines_from_text
from loaders.spec.columns import merge_fragment
from tests.conftest import SEEDS

HANDAN = SEEDS["handan"]


@pytest.fixture(scope="module")
def handan():
    return load_document(HANDAN)


def lines_of(doc, table_word: str) -> list[dict]:
    return [r for r in doc.extraction.rows["budget_lines"] if table_word in r["table"]]


def find(rows, **want) -> list[dict]:
    return [r for r in rows if all(r.get(k) == v for k, v in want.items())]


def one(rows, **want) -> dict:
    hits = find(rows, **want)
    assert len(hits) == 1, (want, hits)
    return hits[0]


def sangong(doc) -> dict[str, dict]:
    """The 三公 rows read from the table (the prose prints some items too, as 0)."""
    return {r["item"]: r for r in doc.extraction.rows["sangong"] if r.get("origin") == "table"}


def perturbed(tmp_path: Path, old: str, new: str) -> object:
    """A copy of the seed with one printed string changed (it must occur exactly once)."""
    text = HANDAN.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path = tmp_path / HANDAN.name
    path.write_text(text.replace(old, new), encoding="utf-8")
    return load_document(path)


# --- Golden figures ------------------------------------------------------------------------


def test_summary_table_both_sides(handan):
    rows = lines_of(handan, "部门预算收支总表")
    # L41: 1→一、一般公共预算拨款收入→53440.88→一、一般公共服务支出→
    assert one(rows, item="一、一般公共预算拨款收入")["amount"] == 53440.88
    assert one(rows, item="一、一般公共预算拨款收入")["breakdown"] == "income"
    # L49: 9→九、其他收入→1550.98→九、社会保险基金支出→  (the 支出 cell is blank: no row)
    assert one(rows, item="九、其他收入")["amount"] == 1550.98
    assert not find(rows, item="九、社会保险基金支出")
    # L70 (second page of the table): 20→→→二十、住房保障支出→50164.16
    r = one(rows, item="二十、住房保障支出")
    assert (r["amount"], r["level"], r["source_ref"]) == (50164.16, 1, "L70")
    # L81: 31→本年收入合计→86991.86→本年支出合计→86991.86
    assert one(rows, item="本年收入合计")["amount"] == 86991.86
    assert one(rows, item="本年支出合计")["level"] == 0
    # L82: 32→上年结转结余→→年终结转结余→   (blank: no zero rows)
    assert not find(rows, item="上年结转结余")
    assert {r["measure"] for r in rows} == {"budget_initial"}
    assert {r["unit_as_printed"] for r in rows} == {"万元"}


def test_income_table_by_code_and_source(handan):
    rows = lines_of(handan, "收入总表")
    # L96: 1→→合计→86991.86→86991.86→85440.88→→→→→→1550.98→
    total = {r["breakdown"]: r["amount"] for r in find(rows, item="合计")}
    assert total == {"total": 86991.86, "current_year_income": 86991.86,
                     "fiscal_appropriation": 85440.88, "other_income": 1550.98}
    assert one(rows, item="合计", breakdown="total")["level"] == 0
    # L107: 12→212→城乡社区支出→36388.74→36388.74→34837.76→→→→→→1550.98→
    r = one(rows, code="212", breakdown="fiscal_appropriation")
    assert (r["amount"], r["level"], r["item"]) == (34837.76, 1, "城乡社区支出")
    # L99: 4→2080501→行政单位离退休→24.78→24.78→24.78→→→→→→→
    assert one(rows, code="2080501", breakdown="total")["level"] == 3
    # L108: 13→21201→城乡社区管理事务→4388.74→…→1550.98→
    assert one(rows, code="21201", breakdown="other_income")["amount"] == 1550.98


def test_expenditure_table_totals_recorded_as_printed(handan):
    rows = lines_of(handan, "支出总表")
    # L145: 1→→合计→86991.86→1965.00→85026.86→→→
    assert {r["breakdown"]: r["amount"] for r in find(rows, item="合计")} == {
        "total": 86991.86, "basic": 1965.00, "project": 85026.86}
    # L159: 15→2120199→其他城乡社区管理事务支出→3313.52→→3319.59→→→
    # 合计 3313.52 is not 0 + 3319.59: recorded as printed, the checks flag it.
    r = find(rows, code="2120199")
    assert {x["breakdown"]: x["amount"] for x in r} == {"total": 3313.52, "project": 3319.59}
    # L173 (after a page break): 19→22101→保障性安居工程支出→50026.51→321.32→49707.27→→→
    assert one(rows, code="22101", breakdown="total")["amount"] == 50026.51


def test_fiscal_summary_by_fund(handan):
    rows = lines_of(handan, "财政拨款收支总表")
    # L204: 12→→→十二、城乡社区支出→34837.76→2837.76→32000.00→
    r = {x["breakdown"]: x["amount"] for x in find(rows, item="十二、城乡社区支出")}
    assert r == {"total": 34837.76, "general_public_budget": 2837.76, "government_fund": 32000.00}
    # L233: 31→本年收入合计→85440.88→本年支出合计→85440.88→53440.88→32000.00→
    assert one(rows, item="本年收入合计")["amount"] == 85440.88
    assert one(rows, item="本年支出合计", breakdown="general_public_budget")["amount"] == 53440.88


def test_general_public_and_basic_tables(handan):
    rows = lines_of(handan, "一般公共预算财政拨款支出表")
    # L251: 1→→合计→53440.88→1965.00→51475.88
    assert one(rows, item="合计", breakdown="project")["amount"] == 51475.88
    # L265: 15→2120199→其他城乡社区管理事务支出→1768.61→→1768.61
    assert not find(rows, code="2120199", breakdown="basic")
    basic = lines_of(handan, "基本支出表")
    # L297: 1→→合计→1965.00→1813.48→151.52
    assert {r["breakdown"]: r["amount"] for r in find(basic, item="合计")} == {
        "total": 1965.00, "personnel": 1813.48, "public": 151.52}
    # L335: 29→30231→公务用车运行维护费→5.18→→5.18
    r = one(basic, code="30231", breakdown="public")
    assert (r["amount"], r["level"]) == (5.18, 2)
    # L298: 2→301→工资福利支出→1788.47→1788.47→
    assert one(basic, code="301", breakdown="personnel")["level"] == 1


def test_fund_table_with_misprinted_column_number_row(handan):
    # L357 prints "档次" where every other table prints "栏次"; L360: 3→2120811→公共租赁住房支出→32000.00→→32000.00
    rows = lines_of(handan, "政府基金")
    assert one(rows, code="2120811", breakdown="project")["amount"] == 32000.00
    assert len(rows) == 6  # L358-L360, total and project each
    assert not find(rows, item="档次")


def test_sangong_table(handan):
    s = sangong(handan)
    # L387: 1→合计→7.22→7.22→→ ; L389: 3→二、公务用车购置及运维费→5.18→5.18→→
    # L391: 5→公务用车运行维护费→5.18→5.18→→ ; L392: 6→三、公务接待费→2.04→2.04→→
    assert {k: v["amount"] for k, v in s.items()} == {
        "total": 7.22, "vehicle_total": 5.18, "vehicle_operation": 5.18, "official_reception": 2.04}
    # L388 一、因公出国（境）费 and L390 其中：公务用车购置费 print blank cells: no rows, no zeros.
    assert {v["measure"] for v in s.values()} == {"budget_initial"}
    assert s["total"]["source_ref"] == "L387"
    assert not lines_of(handan, "三公")  # 三公 goes to the sangong dataset only


def test_inventory_lists_the_nine_tables(handan):
    inv = {r["table"]: r for r in handan.extraction.inventory}
    assert len(inv) == 9
    # L362 title, L374: 注：无国有资本经营预算财政拨款预算，空表列示。
    # (one reader for 预算 and 决算: an empty table's reference is the sentence declaring it empty)
    got = inv["部门预算国有资本经营预算财政拨款支出表"]
    assert {k: got[k] for k in ("table", "status", "source_ref")} == {
        "table": "部门预算国有资本经营预算财政拨款支出表", "status": "empty", "source_ref": "L374"}
    assert got["name"] == "国有资本经营预算支出表" and got["listed"]
    assert inv["部门预算收支总表"]["status"] == "present"
    assert inv["部门预算收支总表"]["source_ref"] == "L30"
    assert not lines_of(handan, "国有资本经营预算财政拨款支出表")


# --- Traps ---------------------------------------------------------------------------------


def test_repeated_page_header_is_skipped(handan):
    rows = [r for r in handan.extraction.rows["budget_lines"] if r["table"] != "narrative"]
    # L59-L68 (and the same block at L110-L119, L161-L170 …): 502 邯郸市…, 预算年度：2022,
    # 单位：万元, the two column-header rows and 栏次 are printed again; none is a row.
    assert not [r for r in rows if any(w in r["item"] for w in ("邯郸", "预算年度", "栏次", "科目名称", "项目"))]
    header_refs = {f"L{n}" for n in (*range(59, 69), *range(110, 121), *range(161, 171), *range(210, 220))}
    assert not [r for r in rows if r["source_ref"] in header_refs]
    # The rows after the repeat are still read: L69-L83 and L171-L180.
    assert find(rows, source_ref="L171", code="2120811")
    assert len(lines_of(handan, "支出总表")) == 57


def test_split_numbers_and_codes(handan):
    rows = lines_of(handan, "收入总表")
    # L121: 15→21201 99→其他城乡社区管理事务支出→3319.59→3319.5 9→1768.61→→→→→→1550.9 8→
    r = {x["breakdown"]: x["amount"] for x in find(rows, code="2120199")}
    assert r == {"total": 3319.59, "current_year_income": 3319.59,
                 "fiscal_appropriation": 1768.61, "other_income": 1550.98}
    # L123: 17→21208 11→公共租赁住房支出→32000.0 0→32000. 00→32000.0 0→…
    assert {x["amount"] for x in find(rows, code="2120811")} == {32000.00}
    # L125: 19→22101→保障性安居工程支出→50028.5 9→50028. 59→50028.5 9→…
    assert {x["amount"] for x in find(rows, code="22101")} == {50028.59}


def test_page_break_fragment_completes_the_row_before(handan):
    """L109 prints "14→21201→住宅建设与房地产市场监管→1069.15→1069.15→1069.15"; after the
    repeated header, L120 prints "→09→→→5→…". The "09" sits in the code column: it completes
    "21201" to the 项 code 2120109 (a 项 row cannot repeat its 款's code 21201 of L108; the
    支出总表 L158 prints 2120109 for the same name). The "5" sits under 小计, whose 1069.15 is
    already complete (= 合计 and 财政拨款收入 of the row): appending would give 1069.155, so it
    is a re-emitted remnant, dropped with a warning. L120 itself gives no row.
    """
    rows = lines_of(handan, "收入总表")
    r = find(rows, code="2120109")
    assert {x["breakdown"]: x["amount"] for x in r} == {
        "total": 1069.15, "current_year_income": 1069.15, "fiscal_appropriation": 1069.15}
    assert {x["source_ref"] for x in r} == {"L109"}
    assert len(find(rows, code="21201")) == 4  # only L108's row, not L109's
    assert not find(rows, source_ref="L120")
    assert any("'5'" in w and "L120" in w for w in handan.extraction.warnings)


def test_fragment_completes_an_unfinished_figure():
    warnings = []
    cells = merge_fragment(["14", "21201", "名称", "1069.1", "7.00"], ["", "09", "", "5", ""],
                           lambda piece, cell: warnings.append(piece))
    assert cells[:4] == ["14", "2120109", "名称", "1069.15"]
    assert not warnings


def test_sequence_gap_warns(handan):
    # L282: 22→2210199… then L283: 26→22102→住房改革支出 (序号 23-25 not printed)
    assert any("22 to 26" in w for w in handan.extraction.warnings)


# --- Perturbation: the output follows the document -------------------------------------------


def test_changed_figure_follows(tmp_path):
    # L159: the printed 合计 3313.52 → 3413.52
    doc = perturbed(tmp_path, "\t3313.52\t", "\t3413.52\t")
    assert one(lines_of(doc, "支出总表"), code="2120199", breakdown="total")["amount"] == 3413.52
    # L70 (second page of 收支总表): 50164.16 → 50164.99
    doc = perturbed(tmp_path, "\t二十、住房保障支出\t50164.16\n", "\t二十、住房保障支出\t50164.99\n")
    assert one(lines_of(doc, "部门预算收支总表"), item="二十、住房保障支出")["amount"] == 50164.99


def test_changed_sangong_and_blank_cell_follow(tmp_path):
    # L392: 2.04 → 3.04; L388: a figure printed in the blank 因公出国 cell appears as a row
    doc = perturbed(tmp_path, "三、公务接待费\t2.04\t2.04", "三、公务接待费\t3.04\t3.04")
    assert sangong(doc)["official_reception"]["amount"] == 3.04
    doc = perturbed(tmp_path, "一、因公出国（境）费\t\t", "一、因公出国（境）费\t1.50\t")
    assert sangong(doc)["outbound_travel"]["amount"] == 1.50


def test_changed_fragment_and_unit_follow(tmp_path):
    # L120: the fragment "09" → "08" gives the code 2120108
    doc = perturbed(tmp_path, "\n\t09\t", "\n\t08\t")
    assert find(lines_of(doc, "收入总表"), code="2120108")
    # L246: 单位：万元 of the 一般公共预算支出表 → 元: amounts convert, the printed unit is kept
    text = HANDAN.read_text(encoding="utf-8")
    head = text.index("部门预算一般公共预算财政拨款支出表\n")
    unit = text.index("单位：万元", head)
    path = tmp_path / "unit.txt"
    path.write_text(text[:unit] + "单位：元" + text[unit + len("单位：万元"):], encoding="utf-8")
    rows = lines_of(load_document(path), "一般公共预算财政拨款支出表")
    r = one(rows, item="合计", breakdown="total")
    assert (r["amount"], r["unit_as_printed"]) == (5.344088, "元")


# --- Other layouts of the national format ---------------------------------------------------------


def _parse(text: str, handan) -> Extraction:
    source = Source(Path("synthetic.txt"), "txt", "0", lines_from_text(text))
    ex = Extraction()
    budget.parse_tables(source, handan.meta, ex)
    return ex


def test_phase_columns_and_transposed_sangong(handan):
    text = "\n".join([
        "一般公共预算支出表",
        "单位：万元",
        "科目编码\t科目名称\t上年预算数\t本年预算数\t增减%",
        "208\t社会保障和就业支出\t280.00\t297.50\t6.25",
        "一般公共预算“三公”经费支出表",
        "单位：元",
        "项目\t合计\t因公出国（境）费\t公务用车购置及运行费\t\t\t公务接待费",
        "\t\t\t小计\t购置费\t运行费\t",
        "上年预算数\t80000\t——\t60000\t\t60000\t20000",
        "本年预算数\t72200\t\t51800\t\t51800\t20400",
        "说明：以上为一般公共预算“三公”经费。",
    ])
    ex = _parse(text, handan)
    rows = ex.rows["budget_lines"]
    assert {(r["measure"], r["amount"]) for r in rows} == {("prior_year_budget", 280.0), ("budget_initial", 297.5)}
    got = {(r["item"], r["measure"]): r["amount"] for r in ex.rows["sangong"]}
    assert got == {
        ("total", "prior_year_budget"): 8.0, ("vehicle_total", "prior_year_budget"): 6.0,
        ("vehicle_operation", "prior_year_budget"): 6.0, ("official_reception", "prior_year_budget"): 2.0,
        ("total", "budget_initial"): 7.22, ("vehicle_total", "budget_initial"): 5.18,
        ("vehicle_operation", "budget_initial"): 5.18, ("official_reception", "budget_initial"): 2.04,
    }
    status = {r["table"]: r["status"] for r in ex.inventory}
    assert status["一般公共预算支出表"] == "present"
    assert list(status.values()).count("missing") == 7
