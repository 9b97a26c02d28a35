"""One definition of a department's total per phase (dashboard/totals.py), on the seeds and on
made-up rows. Every figure below was read by hand from the seed text (the line is quoted)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard import overview as ov
from dashboard import totals as tt
from dashboard.data import read_all
from tests import budget_data


@pytest.fixture(scope="module")
def ds():
    return read_all(budget_data.seeds())


@pytest.fixture(scope="module")
def wide(ds):
    return tt.department_years(ds["budget_lines"], ds["documents"], ds["tables"], ds["projects"]).set_index("entity_id")


def test_urumqi_total_is_the_printed_spending_line_labelled(wide):
    # L100: "2023 年度支出总计 637,229.42 万元，其中：本年支出合计 636,847.14 万元" — the 总计 adds
    # the balances carried forward; the 部门整体 self-evaluation's 632,177.48 covers the funds evaluated.
    u = wide.loc["urumqi"]
    assert u["actual"] == pytest.approx(636847.14)
    assert (u["actual_table"], u["actual_item"], u["actual_source_ref"]) == ("narrative", "本年支出合计", "L100")
    assert u["actual_coverage"] == "all"
    # L258: "年度总资金	531,862.78	632,672.30	632,177.48	10	99.92%": the only whole 年初 / 全年预算.
    assert u["budget_initial"] == pytest.approx(531862.78) and u["budget_adjusted"] == pytest.approx(632672.30)
    assert u["budget_initial_source_ref"] == "L258" and u["budget_initial_coverage"] == "evaluated"
    # The rate is the document's own pairing (same line), not 636,847.14 / 632,672.30.
    assert u["execution_rate"] == pytest.approx(632177.48 / 632672.30)
    assert u["rate_source_ref"] == "L258"


def test_hanyang_phases_each_from_its_line(wide):
    h = wide.loc["hanyang"]
    # L192 (支出决算表): "		合计	21,488.85	1,447.75	20,041.10"
    assert (h["actual"], h["actual_table"], h["actual_source_ref"]) == (21488.85, "支出决算表", "L192")
    # L1396: "年初部门预算数为4726.73万元，调整预算数为21488.85万元，预算执行数21488.85万元"
    assert (h["budget_initial"], h["budget_initial_source_ref"]) == (4726.73, "L1396")
    assert (h["budget_adjusted"], h["budget_adjusted_source_ref"]) == (21488.85, "L1396")
    assert h["execution_rate"] == pytest.approx(1.0) and h["rate_source_ref"] == "L1396"


def test_handan_budget_has_no_actual(wide):
    # L145 (部门预算支出总表): "1		合计	86991.86	1965.00	85026.86"
    d = wide.loc["handan"]
    assert (d["budget_initial"], d["budget_initial_table"], d["budget_initial_source_ref"]) == (
        86991.86, "部门预算支出总表", "L145")
    assert d["budget_initial_doc_kind"] == "budget"
    assert math.isnan(d["actual"]) and math.isnan(d["execution_rate"])


def test_yueyang_self_evaluation_marked_as_partial(wide):
    # L250–L252: 年度资金总额 1380.68 / 3216.47 / 3197.46 (部门整体支出绩效自评表)
    y = wide.loc["yueyang"]
    assert (y["budget_initial"], y["budget_adjusted"], y["actual"]) == (1380.68, 3216.47, 3197.46)
    assert (y["budget_initial_source_ref"], y["budget_adjusted_source_ref"], y["actual_source_ref"]) == (
        "L250", "L251", "L252")
    assert {y[f"{m}_coverage"] for m in ("budget_initial", "budget_adjusted", "actual")} == {"evaluated"}


def test_overview_headline_uses_the_same_totals(ds, wide):
    head = ov.headline(ds.frames).set_index("entity_id")
    for eid in ("urumqi", "hanyang", "yueyang", "miluo"):
        for m in ("budget_initial", "budget_adjusted", "actual"):
            assert head.loc[eid, m] == pytest.approx(wide.loc[eid, m]), (eid, m)
    assert head.loc["urumqi", "source_ref"] == "L100" and "L258" in head.loc["urumqi", "sources"]


# ---- made-up rows: the order and the join of documents ---------------------------------------

def _line(doc, kind, table, item, measure, amount, ref, origin="table", year=2023, entity="e"):
    return {"doc_id": doc, "entity_id": entity, "year": year, "doc_kind": kind, "table": table, "code": None,
            "item": item, "level": 0, "breakdown": "total", "measure": measure, "amount": amount,
            "origin": origin, "source_ref": ref}


def _docs(*rows):
    return pd.DataFrame([{"doc_id": d, "entity_id": "e", "year": y, "doc_kind": k, "scope": s}
                         for d, k, y, s in rows])


def test_preference_order_and_exclusions():
    lines = pd.DataFrame([
        _line("f", "final_accounts", "收入支出决算总表", "总计", "actual", 700.0, "L1"),
        _line("f", "final_accounts", "收入支出决算总表", "本年支出合计", "actual", 650.0, "L2"),
        _line("f", "final_accounts", "一般公共预算财政拨款支出决算表", "合计", "actual", 640.0, "L3"),
        _line("f", "final_accounts", "narrative", "一般公共预算财政拨款支出", "budget_initial", 10.0, "L9",
              origin="narrative"),
        _line("f", "final_accounts", "narrative", "支出合计", "prior_year_actual", 600.0, "L8", origin="derived"),
    ])
    got = tt.department_totals(lines).set_index("measure")
    # the summary table's 本年支出合计, never the 总计 (carry-over) nor a fund's table
    assert got.loc["actual", "amount"] == 650.0 and got.loc["actual", "source_ref"] == "L2"
    # a part (财政拨款) is no total: the 年初 is not disclosed
    assert list(got.index) == ["actual"]
    lines.loc[len(lines)] = _line("f", "final_accounts", "支出决算表", "合计", "actual", 650.0, "L20")
    assert tt.department_totals(lines).set_index("measure").loc["actual", "source_ref"] == "L20"


def test_budget_and_final_of_one_year_joined_and_labelled():
    lines = pd.DataFrame([
        _line("b", "budget", "部门支出预算总表", "合计", "budget_initial", 1000.0, "p3:L5"),
        _line("u", "budget", "预算单位支出预算总表", "合计", "budget_initial", 400.0, "p2:L5"),
        _line("f", "final_accounts", "支出决算表", "合计", "actual", 950.0, "p9:L4"),
        _line("f", "final_accounts", "narrative", "本年支出合计", "budget_initial", 990.0, "p20:L3",
              origin="narrative"),
        _line("f", "final_accounts", "narrative", "本年支出合计", "budget_adjusted", 980.0, "p20:L3",
              origin="narrative"),
    ])
    docs = _docs(("b", "budget", 2023, "department"), ("u", "budget", 2023, "unit"),
                 ("f", "final_accounts", 2023, "department"))
    years = tt.year_totals(tt.department_totals(lines, docs)).set_index("measure")
    assert not years.reset_index().duplicated(["entity_id", "year", "measure"]).any()  # one per phase
    # the 年初 from the department's budget (not the unit's, not the final account's restatement)
    assert (years.loc["budget_initial", "amount"], years.loc["budget_initial", "doc_id"]) == (1000.0, "b")
    assert (years.loc["actual", "doc_kind"], years.loc["actual", "source_ref"]) == ("final_accounts", "p9:L4")
    wide = tt.budget_vs_actual(years.reset_index(), tt.execution_pairs(lines)).iloc[0]
    assert wide["budget_initial_doc_kind"] == "budget" and wide["actual_doc_kind"] == "final_accounts"
    # no line pairs 调整 and 决算 here: the two phases' lines (same coverage) give the rate
    assert wide["execution_rate"] == pytest.approx(950 / 980) and wide["rate_source_ref"] == "p9:L4"


def test_a_phase_not_printed_is_absent_not_zero():
    lines = pd.DataFrame([_line("b", "budget", "支出预算总表", "合计", "budget_initial", 0.0, "L5")])
    wide = tt.department_years(lines, _docs(("b", "budget", 2023, "department"))).iloc[0]
    assert wide["budget_initial"] == 0.0  # a printed zero stays a zero
    assert math.isnan(wide["actual"]) and math.isnan(wide["budget_adjusted"])


def test_empty():
    empty = pd.DataFrame([_line("b", "budget", "支出预算总表", "合计", "budget_initial", 1.0, "L5")]).head(0)
    assert tt.department_totals(empty).empty and tt.department_years(empty).empty
    assert tt.execution_pairs(empty).empty
