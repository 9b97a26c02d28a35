"""project_funds: the 资金 block of the 绩效自评表 (年度资金总额 and its sources), both layouts.

Every expectation was read by hand from the seed text; the comment gives the line(s).
A blank cell gives no row; a printed 0 is a row.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders.build import load_document
from loaders.families.perf_funds import fund_source
from tests.conftest import SEEDS, loaded_seed


@pytest.fixture(scope="module")
def yueyang():
    return loaded_seed("yueyang").extraction


@pytest.fixture(scope="module")
def miluo():
    return loaded_seed("miluo").extraction


@pytest.fixture(scope="module")
def urumqi():
    return loaded_seed("urumqi").extraction


def funds(ex, table: str, project: str | None = None) -> dict[tuple[str, str], tuple[float, str]]:
    """{(source, measure): (amount, source_ref)} of one table."""
    rows = [
        r for r in ex.rows.get("project_funds", [])
        if r["table"] == table and (project is None or r["project"] == project)
    ]  # fmt: skip
    got = {(r["source"], r["measure"]): (r["amount"], r["source_ref"]) for r in rows}
    assert len(got) == len(rows), "one row per (source, measure)"
    return got


def changed(tmp_path: Path, seed: str, old: str, new: str):
    text = SEEDS[seed].read_text(encoding="utf-8")
    assert text.count(old) == 1, f"perturbation anchor not unique: {old!r}"
    path = tmp_path / SEEDS[seed].name
    path.write_text(text.replace(old, new), encoding="utf-8")
    return load_document(path).extraction


def test_source_labels():
    assert fund_source("其中：当年财政拨款　") == "current_year_appropriation"
    assert fund_source("上年结转资金") == "prior_year_carryover"
    assert fund_source("其他资金（万元）") == "other"
    assert fund_source("地（州、市）安排（万 元）") == "local"
    assert fund_source("其他资金：89.52") is None  # a 按收入性质分 cell, not a source row
    assert fund_source("按收入性质分：") is None


# --- one cell per line -------------------------------------------------------------------


def test_yueyang_project_block(yueyang):
    got = funds(yueyang, "附件3-1")
    assert got == {
        ("total", "budget_initial"): (147, "L498"),  # L497 年度资金总额, L498 "147"
        ("total", "budget_adjusted"): (147, "L499"),  # L499 "　147"
        ("total", "actual"): (146.86, "L500"),  # L500 "146.86"
        ("current_year_appropriation", "budget_initial"): (147, "L507"),  # L506 其中：当年财政拨款, L507
        ("current_year_appropriation", "budget_adjusted"): (147, "L508"),  # L508 "　147"
        ("current_year_appropriation", "actual"): (146.86, "L509"),  # L509 "146.86"
        # L515 上年结转资金 and L524 其他资金: every cell blank (L516-L521, L525-L530): no rows
    }
    row = next(r for r in yueyang.rows["project_funds"] if r["source_ref"] == "L507")
    assert row["scope"] == "project" and row["project"] == "住房保障事务管理经费"  # L476
    assert row["source_as_printed"] == "其中:当年财政拨款" and row["unit_as_printed"] == "万元"  # L484 （万元）


def test_yueyang_department_total_only(yueyang):
    # 附件2: 年度资金总额 L249-L252; the rows under it are 按收入性质分 / 按支出性质分 (L258-L274),
    # not 当年财政拨款 / 上年结转 / 其他资金 by phase: only the total is a project_funds figure.
    got = funds(yueyang, "附件2")
    assert got == {
        ("total", "budget_initial"): (1380.68, "L250"),
        ("total", "budget_adjusted"): (3216.47, "L251"),
        ("total", "actual"): (3197.46, "L252"),
    }
    assert {r["scope"] for r in yueyang.rows["project_funds"] if r["table"] == "附件2"} == {"department"}


def test_miluo_printed_zeros_are_rows_blanks_are_not(miluo):
    got = funds(miluo, "附件3-1")
    assert got[("total", "actual")] == (45, "L517")  # L514 年度资金总额, L515-L517 "45"
    assert got[("current_year_appropriation", "budget_initial")] == (45, "L524")  # L523, L524 "45"
    assert got[("prior_year_carryover", "actual")] == (0, "L535")  # L532 上年结转资金, L535 "0"
    assert got[("other", "budget_adjusted")] == (0, "L543")  # L541 其他资金, L543 "0"
    assert len(got) == 12
    blank = funds(miluo, "附件3-11")  # L2836 上年结转资金 and L2845 其他资金: cells blank
    assert {s for s, _ in blank} == {"total", "current_year_appropriation"}
    assert blank[("current_year_appropriation", "actual")] == (5, "L2830")  # L2827, L2830 "5"


def test_perturbed_carryover_follows(tmp_path):
    old = "\t9.99\n\n\t\n\t上年结转资金　\n\t　\n\t　\n\t　"  # 附件3-1 L503-L518
    ex = changed(tmp_path, "yueyang", old, "\t9.99\n\n\t\n\t上年结转资金　\n\t3\n\t　\n\t2.5")
    got = funds(ex, "附件3-1")
    assert got[("prior_year_carryover", "budget_initial")][0] == 3
    assert got[("prior_year_carryover", "actual")][0] == 2.5
    assert ("prior_year_carryover", "budget_adjusted") not in got  # still blank


# --- tab-separated -------------------------------------------------------------------------


def test_urumqi_project_block(urumqi):
    got = funds(urumqi, "项目支出绩效自评表", "房产档案馆建档费")  # L282
    assert got == {  # L285-L287: 3.08 3.08 3.08 / 3.08 3.08 3.08 / 0.00 0.00 0.00; no 上年结转 row
        (s, m): (v, ref)
        for s, v, ref in (("total", 3.08, "L285"), ("current_year_appropriation", 3.08, "L286"), ("other", 0, "L287"))
        for m in ("budget_initial", "budget_adjusted", "actual")
    }


def test_urumqi_department_block_by_level_of_government(urumqi):
    got = funds(urumqi, "部门(单位)整体支出绩效目标自评表")
    assert got[("total", "budget_initial")] == (531862.78, "L258")  # L258 年度总资金 531,862.78
    assert got[("total", "actual")] == (632177.48, "L258")  # L258 632,177.48
    assert got[("central", "budget_adjusted")] == (0, "L259")  # L259 其中：中央安排 0
    assert got[("provincial", "actual")] == (0, "L260")  # L260 自治区安排 0
    assert got[("local", "budget_initial")] == (505494.94, "L261")  # L261 地（州、市）安排 505,494.94
    assert got[("other", "budget_initial")] == (26367.84, "L262")  # L262 其他资金 26,367.84
    assert len(got) == 15


def test_hanyang_total_under_its_phase_note():
    ex = load_document(SEEDS["hanyang"]).extraction
    rows = [r for r in ex.rows["project_funds"] if r["project"] == "保障性住房工作经费"]
    # L1734 年度财政资金总额 553.79 553.79 under 预算数 (A) / 执行数 (B); the table's note
    # says 预算数为调整后财政资金总额
    assert {(r["source"], r["measure"], r["amount"], r["source_ref"]) for r in rows} == {
        ("total", "budget_adjusted", 553.79, "L1734"),
        ("total", "actual", 553.79, "L1734"),
    }


def test_perturbed_tabbed_part_follows_and_dash_is_no_row(tmp_path):
    old = "\t\t其他资金\t0.00\t0.00\t0.00\t—\t—\t—\t\n"  # L287
    ex = changed(tmp_path, "urumqi", old, "\t\t其他资金\t1.20\t—\t0.50\t—\t—\t—\t\n")
    got = funds(ex, "项目支出绩效自评表", "房产档案馆建档费")
    assert got[("other", "budget_initial")][0] == 1.2
    assert got[("other", "actual")][0] == 0.5
    assert ("other", "budget_adjusted") not in got
