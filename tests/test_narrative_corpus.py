"""Corpus documents that are (or hold) the explanatory text of a budget: their figures and
the changes they state, read by the narrative extractor directly (hand-made DocumentMeta, so
these tests do not depend on document detection). Expectations checked by hand against
the rendered pages (page numbers in comments). Skipped where ../shared/corpus is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders.extraction import DocumentMeta, Extraction
from loaders.families.narrative import extract
from loaders.identity.entities import Entity

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"corpus not present at {CORPUS}")


def _load(name: str, year: int) -> Extraction:
    from loaders.readers import read_source

    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"{name} not in the corpus")
    entity = Entity(entity_id="t", name="某部门", short="某部门", city="", province="江苏省", admin_level="province")
    meta = DocumentMeta(doc_kind="budget", scope="department", entity=entity, year=year, title="t")
    ex = Extraction()
    extract(read_source(path), meta, ex)
    return ex


def _sangong(ex: Extraction) -> dict[tuple[str, str], float]:
    return {(r["item"], r["measure"]): r["amount"] for r in ex.rows.get("sangong", [])}


def _lines(ex: Extraction) -> dict[tuple[str, str], float]:
    out: dict[tuple[str, str], float] = {}
    for r in ex.rows.get("budget_lines", []):
        out.setdefault((r["item"], r["measure"]), r["amount"])
    return out


def _changes(ex: Extraction) -> dict[tuple[str, str], tuple]:
    out: dict[tuple[str, str], tuple] = {}
    for r in ex.rows.get("stated_changes", []):
        out.setdefault((r["item"], r["against"]), (r["current_amount"], r["change_amount"], r["change_pct"]))
    return out


@pytest.fixture(scope="module")
def cppcc2018():
    return _load("jiangsu-cppcc-2018-budget-narrative.pdf", 2018)


def test_cppcc_2018_sangong_meeting_training(cppcc2018):
    sg = _sangong(cppcc2018)
    # p14: 因公出国（境）费支出 106 万元 … 公务用车购置及运行维护费支出 156.60 万元 … 公务接待费支出 412.50 万元
    assert sg[("outbound_travel", "budget_initial")] == 106.0
    assert sg[("vehicle_total", "budget_initial")] == 156.6
    assert sg[("official_reception", "budget_initial")] == 412.5
    # p14: （1）公务用车购置费 0 万元 (a printed zero is a figure); （2）公务用车运行维护费 156.60 万元
    assert sg[("vehicle_purchase", "budget_initial")] == 0.0
    assert sg[("vehicle_operation", "budget_initial")] == 156.6
    assert ("total", "budget_initial") not in sg  # the page prints no 三公 total
    # p14: 比上年预算增加 30 万元 / 与上年数一致 / 比上年预算减少 31 万元 → prior-year budget, derived
    assert sg[("outbound_travel", "prior_year_budget")] == 76.0
    assert sg[("vehicle_purchase", "prior_year_budget")] == 0.0
    assert sg[("official_reception", "prior_year_budget")] == 443.5
    derived = {(r["item"], r["measure"]) for r in cppcc2018.rows["sangong"] if r["origin"] == "derived"}
    assert ("outbound_travel", "budget_initial") not in derived and ("outbound_travel", "prior_year_budget") in derived
    # p14: 会议费预算支出 884.16 万元，比上年预算减少 210.46 万元; 培训费预算支出 97.60 万元，增加 16 万元
    lines = {(r["item"], r["breakdown"], r["measure"]): r["amount"] for r in cppcc2018.rows["budget_lines"]}
    assert lines[("会议费", "meeting", "budget_initial")] == 884.16
    assert lines[("培训费", "training", "budget_initial")] == 97.6
    changes = _changes(cppcc2018)
    assert changes[("会议费", "prior_year_budget")] == (884.16, -210.46, None)
    assert changes[("培训费", "prior_year_budget")] == (97.6, 16.0, None)


def test_cppcc_2018_totals_and_classes(cppcc2018):
    lines = _lines(cppcc2018)
    # p9: 基本支出预算数为 5,678.17 万元 … 项目支出预算数为 3,314.68 万元
    assert lines[("基本支出", "budget_initial")] == 5678.17
    assert lines[("项目支出", "budget_initial")] == 3314.68
    # p12: 财政拨款基本支出预算 5,598.17 万元，其中：（一）人员经费 4,482.32 万元 （二）公用经费 1,115.85 万元
    assert lines[("人员经费", "budget_initial")] == 4482.32
    assert lines[("公用经费", "budget_initial")] == 1115.85
    # p15: 一般公共预算机关运行经费预算支出 1,115.85 万元，与上年相比减少 2,233.13 万元，下降 66.69%
    assert lines[("一般公共预算机关运行经费", "budget_initial")] == 1115.85
    # p15: 政府采购支出预算总额 1,281.76 万元，其中：拟采购货物支出 355.67 万元 …
    assert lines[("政府采购", "budget_initial")] == 1281.76
    changes = _changes(cppcc2018)
    assert changes[("一般公共预算机关运行经费", "prior_year_budget")] == (1115.85, -2233.13, -0.6669)
    # p7: 收入、支出预算总计 10,150.48 万元，与上年相比收、支预算总计各增加 1,003.69 万元，增长 10.97%
    assert changes[("收入、支出预算总计", "prior_year_budget")] == (10150.48, 1003.69, 0.1097)
    # p9: 基本支出 … 与上年相比减少 238.10 万元，下降 4.02%
    assert changes[("基本支出", "prior_year_budget")] == (5678.17, -238.1, -0.0402)
    # p11: 政协事务（款）委员视察（项）429.30 万元，与上年数一致
    assert changes[("委员视察", "prior_year_budget")] == (429.3, 0.0, 0.0)
    # p11: …行政单位离退休（项）252.82万元，与上年相比减少1,256.90万元，下降83.25%
    assert changes[("未归口管理的行政单位离退休", "prior_year_budget")] == (252.82, -1256.9, -0.8325)
    # p11: 基本养老保险缴费支出（项）407.81 万元，今年新增支出 — no amount or rate: no row
    assert ("机关事业单位基本养老保险缴费支出", "prior_year_budget") not in changes


def test_court_2017_zero_changes_and_no_figure_reasons():
    ex = _load("jiangsu-court-2017-budget.pdf", 2017)
    sg = _sangong(ex)
    # p25: 因公出国（境）费支出 180 万元 … 公务用车购置及运行费支出 304.4 万元 … 公务接待费支出 185.72 万元
    assert sg[("outbound_travel", "budget_initial")] == 180.0
    assert sg[("vehicle_total", "budget_initial")] == 304.4
    assert sg[("official_reception", "budget_initial")] == 185.72
    # p25: （1）公务用车购置预算支出 0 万元，本年数小于上年预算数的主要原因是… (a figure; no change amount)
    assert sg[("vehicle_purchase", "budget_initial")] == 0.0
    assert ("vehicle_purchase", "prior_year_budget") not in sg
    assert ("official_reception", "prior_year_budget") not in sg
    changes = _changes(ex)
    # p25: 因公出国（境）费预算支出 180 万元，本年数与上年数持平，零增长
    assert changes[("outbound_travel", "prior_year_budget")] == (180.0, 0.0, 0.0)
    assert sg[("outbound_travel", "prior_year_budget")] == 180.0
    # p25: 会议费预算支出 228 万元 (本年数小于上年预算数…: no row); 培训费 1701.25 万元，持平，零增长
    lines = _lines(ex)
    assert lines[("会议费", "budget_initial")] == 228.0
    assert ("会议费", "prior_year_budget") not in changes
    assert changes[("培训费", "prior_year_budget")] == (1701.25, 0.0, 0.0)
    # p24: 机关运行经费预算支出 9193.40 万元，比 2016 年增加 5503.07 万元，增长 149.12%
    assert changes[("一般公共预算机关运行经费", "prior_year_budget")] == (9193.4, 5503.07, 1.4912)
    # p21: 法院（款）机关服务（项）支出 1600 万元，与上年一致
    assert changes[("机关服务", "prior_year_budget")] == (1600.0, 0.0, 0.0)


def test_procuratorate_2019_page_number_not_read_into_a_figure():
    ex = _load("jiangsu-procuratorate-2019-budget.pdf", 2019)
    changes = _changes(ex)
    # p30-31: 公务用车运行维护费预算支出237万元，比上年预算减少 / [page number 30] / 30.8 万元
    assert changes[("vehicle_operation", "prior_year_budget")] == (237.0, -30.8, None)
    # p30: 因公出国（境）费预算支出80万元，比上年预算减少20 万元; p31: 公务接待费 101.26，减少15.24 万元
    assert changes[("outbound_travel", "prior_year_budget")] == (80.0, -20.0, None)
    assert changes[("official_reception", "prior_year_budget")] == (101.26, -15.24, None)
    # p31: 会议费预算支出 158.44 万元，比上年预算减少42万元; 培训费 700万元，与上年持平
    assert changes[("会议费", "prior_year_budget")] == (158.44, -42.0, None)
    assert changes[("培训费", "prior_year_budget")] == (700.0, 0.0, 0.0)
