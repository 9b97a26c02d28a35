"""The audit kinds of issue 11: stated changes against both printed figures (CHG-PAIR,
CHG-PRIOR), the report's prose against its table (PERF-PROSE), the 预算执行率 score against
weight × rate (PERF-EXEC-SCORE), indicator rows that contradict each other (PERF-IND-REPEAT,
PERF-MET-DEDUCTED); and every finding's source_ref on the line of its figure.

Synthetic rows per rule (pass / fail / within tolerance), then the seeds: golden findings
checked by hand against the documents' lines (quoted beside each)."""

from __future__ import annotations

import pandas as pd
import pytest

from loaders.build import assemble
from loaders.checks import run_checks
from loaders.checks.core import fmt
from loaders.checks.stored import stored_documents
from tests.conftest import SEEDS, loaded_seed

KEYS = {"entity_id": "e1", "doc_kind": "performance_self_eval"}


def _doc(doc_id="d1", year=2023, kind="performance_self_eval", entity="e1"):
    return {"doc_id": doc_id, "entity_id": entity, "entity_name": "某单位", "year": year, "doc_kind": kind,
            "scope": "department", "source_file": f"{doc_id}.txt", "format": "txt", "sha256": doc_id,
            "n_pages": None}


def _frames(lines: dict[str, list[str]] | None = None, docs: list[dict] | None = None, **datasets):
    docs = docs or [_doc()]
    lines = lines or {}
    rows = [{"doc_id": d, "page": None, "line": i + 1, "text": t} for d, ts in lines.items() for i, t in enumerate(ts)]
    frames = {"documents": pd.DataFrame(docs), "lines": pd.DataFrame(rows, columns=["doc_id", "page", "line", "text"])}
    for name, recs in datasets.items():
        frames[name] = pd.DataFrame(recs)
    return frames


def _run(frames, code):
    return run_checks(frames, stored_documents(frames), [code])


def _project(**kw):
    row = {"doc_id": "d1", "year": 2023, **KEYS, "scope": "project", "project": "某某项目经费", "table": "附件3-1",
           "budget_initial": None, "budget_adjusted": 100.0, "actual": 99.23, "stated_execution_rate": 0.9923,
           "execution_weight": 10.0, "execution_score": 9.92, "score": None, "max_score": None, "origin": "self_eval",
           "source_ref": "L1"}
    row.update(kw)
    return row


# --- PERF-EXEC-SCORE ----------------------------------------------------------------------

def _exec_case(score_text: str, rate_text: str, **kw):
    lines = {"d1": ["项目支出绩效自评表", f"年度资金总额\t100.00\t100.00\t99.23\t10\t{rate_text}\t{score_text}"]}
    return _run(_frames(lines, projects=[_project(**kw)]), "PERF-EXEC-SCORE")


def test_exec_score_pass_fail_and_tolerance():
    ok = _exec_case("9.92分", "99.23%")
    assert [r["status"] for r in ok] == ["pass"] and ok[0]["source_ref"] == "L2"
    bad = _exec_case("9.5", "99.23%", execution_score=9.5)
    assert bad[0]["status"] == "fail" and bad[0]["expected"] == pytest.approx(9.923)
    # 10 × 91.95% = 9.195, and 91.95% itself stands for 91.945–91.955: 9.2, 9.20 and 9.19 all fit.
    for printed in ("9.2", "9.20", "9.19"):
        rows = _exec_case(printed, "91.95%", stated_execution_rate=0.9195, execution_score=float(printed))
        assert rows[0]["status"] == "pass", printed
    # 10 × 99.99% = 9.999: "9.99" is cut, not rounded (a warning); "9.98" is wrong.
    assert _exec_case("9.99", "99.99%", stated_execution_rate=0.9999, execution_score=9.99)[0]["status"] == "warn"
    assert _exec_case("9.98", "99.99%", stated_execution_rate=0.9999, execution_score=9.98)[0]["status"] == "fail"
    # A score printed as an integer is judged at integer precision (10 × 99.92% = 9.992 → "10").
    assert _exec_case("10", "99.92%", stated_execution_rate=0.9992, execution_score=10.0)[0]["status"] == "pass"


def test_exec_score_caps_the_rate_at_100_percent():
    rows = _exec_case("10", "447%", stated_execution_rate=4.47, actual=447.0, execution_score=10.0)
    assert rows[0]["status"] == "pass" and rows[0]["expected"] == 10.0 and "按 100% 计" in rows[0]["message"]


# --- CHG-PAIR -------------------------------------------------------------------------------

@pytest.mark.parametrize(("sentence", "status"), [
    ("2023 年“三公经费”预算数 2.1 万元，2022 年“三公经费”预算数 3 万元，变动率为 -3%，完成目标。", "fail"),
    ("2023 年“三公经费”预算数 2.1 万元，2022 年“三公经费”预算数 3 万元，变动率为 -30%，完成目标。", "pass"),
    # 2.1 and 3 are printed to 0.1 and 1: -29% is within what their rounding moves the rate.
    ("2023 年“三公经费”预算数 2.1 万元，2022 年“三公经费”预算数 3 万元，变动率为 -29%，完成目标。", "pass"),
    ("2023年会议费 12.00 万元，2022年会议费 10.00 万元，增长率 20.00%。", "pass"),
    ("2023年会议费 12.00 万元，2022年会议费 10.00 万元，增长率 2.00%。", "fail"),
])
def test_year_pair_rate(sentence, status):
    rows = _run(_frames({"d1": ["说明", sentence]}), "CHG-PAIR")
    assert [r["status"] for r in rows] == [status] and rows[0]["source_ref"] == "L2"


def test_year_pair_needs_two_years():
    assert _run(_frames({"d1": ["2023 年预算数 2.1 万元，上年 3 万元，变动率为 -30%。"]}), "CHG-PAIR") == []


# --- CHG-PRIOR ------------------------------------------------------------------------------

def _prior_case(change_amount, change_pct, prior_amount, same_doc=False, text="与上年相比增加。"):
    docs = [_doc("d2", 2019, "budget"), _doc("d1", 2018, "budget")]
    change = {"doc_id": "d2", "entity_id": "e1", "year": 2019, "doc_kind": "budget", "dataset": "sangong",
              "item": "outbound_travel", "measure": "budget_initial", "against": "prior_year_budget",
              "current_amount": 110.0, "change_amount": change_amount, "change_pct": change_pct, "text": text,
              "source_ref": "L1"}
    prior = {"doc_id": "d2" if same_doc else "d1", "entity_id": "e1", "year": 2019 if same_doc else 2018,
             "doc_kind": "budget", "item": "outbound_travel",
             "measure": "prior_year_budget" if same_doc else "budget_initial", "amount": prior_amount,
             "origin": "table", "source_ref": "L3"}
    return _run(_frames(docs=docs, stated_changes=[change], sangong=[prior]), "CHG-PRIOR")


def test_stated_change_against_the_prior_years_document():
    rows = _prior_case(10.0, 0.1, 100.0, text="比上年增加 10 万元，增长 10%。")
    assert [r["status"] for r in rows] == ["pass", "pass"]
    assert "2018 年文件 L3" in rows[0]["message"]


def test_stated_change_within_rounding():
    # (110 − 100) / 100 = 10%; the two amounts' rounding (±0.005) moves it by ~0.011 points.
    assert _prior_case(None, 0.100, 100.0, text="增长 10.0%。")[0]["status"] == "pass"
    assert _prior_case(None, 0.1001, 100.0, text="增长 10.01%。")[0]["status"] == "pass"
    # 9.9% is off; against another year's document and with no amount to contradict: a warning.
    assert _prior_case(None, 0.099, 100.0, text="增长 9.9%。")[0]["status"] == "warn"


def test_stated_change_fails_in_its_own_document_and_warns_across_years():
    own = _prior_case(12.0, None, 100.0, same_doc=True)
    assert own[0]["status"] == "fail"
    # Another year's document disagreeing with a self-consistent sentence: it may be restated.
    other = _prior_case(10.0, 0.1, 95.0, text="比上年增加 10 万元，增长 10%。")
    assert {r["status"] for r in other} == {"warn"}
    # A sentence whose amount and rate disagree with each other fails whatever the year.
    broken = _prior_case(10.0, 0.2, 95.0, text="比上年增加 10 万元，增长 20%。")
    assert {r["status"] for r in broken} == {"fail"}


def test_stated_change_with_two_different_prior_printings_is_only_a_warning():
    """A code printed by two tables (all funds, one fund) with different amounts: the nearer
    one is compared, and a mismatch with it cannot be called wrong."""
    docs = [_doc("d2", 2019, "budget"), _doc("d1", 2018, "budget")]
    change = {"doc_id": "d2", "entity_id": "e1", "year": 2019, "doc_kind": "budget", "dataset": "budget_lines",
              "item": "行政运行", "code": "2010101", "breakdown": "total", "measure": "budget_initial",
              "against": "prior_year_budget", "current_amount": 110.0, "change_amount": 12.0, "change_pct": None,
              "text": "增加 12 万元。", "source_ref": "L1"}
    prior = [{"doc_id": "d1", "entity_id": "e1", "year": 2018, "doc_kind": "budget", "table": t, "code": "2010101",
              "item": "行政运行", "breakdown": "total", "measure": "budget_initial", "amount": a, "origin": "table",
              "source_ref": ref} for t, a, ref in (("支出总表", 100.0, "L3"), ("财政拨款支出表", 90.0, "L9"))]
    rows = _run(_frames(docs=docs, stated_changes=[change], budget_lines=prior), "CHG-PRIOR")
    assert [r["status"] for r in rows] == ["warn"] and "L3" in rows[0]["message"] and "90" in rows[0]["message"]
    change["change_amount"] = 20.0  # 110 − 90: the other printing
    rows = _run(_frames(docs=docs, stated_changes=[change], budget_lines=prior), "CHG-PRIOR")
    assert [r["status"] for r in rows] == ["pass"] and "L9" in rows[0]["message"]


def test_stated_change_points_at_the_line_of_its_rate():
    """Regression: a statement wrapped over two lines pointed at its first line, not at the
    line that prints its percentage."""
    lines = {"d2": ["项目支出预算数为4335.3万元。与上年相比减少了1237.7", "万元，减少 13.22 %。"]}
    docs = [_doc("d2", 2019, "budget"), _doc("d1", 2018, "budget")]
    change = {"doc_id": "d2", "entity_id": "e1", "year": 2019, "doc_kind": "budget", "dataset": "sangong",
              "item": "total", "measure": "budget_initial", "against": "prior_year_budget", "current_amount": 4335.3,
              "change_amount": -1237.7, "change_pct": -0.1322, "text": lines["d2"][0] + lines["d2"][1],
              "source_ref": "L1"}
    prior = {"doc_id": "d1", "entity_id": "e1", "year": 2018, "doc_kind": "budget", "item": "total",
             "measure": "budget_initial", "amount": 5573.0, "origin": "table", "source_ref": "L3"}
    rows = _run(_frames(lines, docs=docs, stated_changes=[change], sangong=[prior]), "CHG-PRIOR")
    assert [(r["subject"], r["status"], r["source_ref"]) for r in rows] == [
        ("total 增减额", "pass", "L1"), ("total 增减率", "fail", "L2")]


# --- PERF-PROSE -----------------------------------------------------------------------------

def _prose_case(sentence, **kw):
    row = _project(scope="department", project="某中心", budget_adjusted=3216.47, actual=3197.46,
                   stated_execution_rate=0.9941, source_ref="L3", **kw)
    lines = {"d1": ["（二）单位总支出情况的绩效分析", sentence, "附件2", "年度资金总额\t3216.47\t3197.46\t10\t99.41%\t9.94"]}
    return _run(_frames(lines, projects=[row]), "PERF-PROSE")


def test_prose_against_table():
    ok = _prose_case("2023年度中心年度资金预算数为3216.47万元，全年执行数为3197.46万元，执行率99.41%，绩效自评情况优。")
    assert [r["status"] for r in ok] == ["pass"] * 3 and {r["source_ref"] for r in ok} == {"L2"}
    bad = _prose_case("2023年度中心年度资金预算数为3216.47万元，全年执行数为3179.46万元，执行率98.85%，绩效自评情况优。")
    assert [r["status"] for r in bad] == ["pass", "fail", "fail"]


# --- PERF-IND-REPEAT / PERF-MET-DEDUCTED ------------------------------------------------------

def _indicator(**kw):
    row = {"doc_id": "d1", "year": 2023, **KEYS, "scope": "project", "project": "某某项目经费", "table": "表",
           "level1": "成本指标", "level2": "经济成本指标", "name": "维修（护）费", "target_text": "<=29000 元",
           "actual_text": "=29000 元", "weight": 7.0, "score": 7.0, "completion": 1.0, "deviation_note": None,
           "origin": "self_eval", "source_ref": "L1"}
    row.update(kw)
    return row


@pytest.mark.parametrize(("second", "status"), [
    ("维修（护）费\t\t\t<=29000 元\t=29000 元\t7\t7.00\t", "pass"),
    ("维修（护）费\t\t\t<=29000 元\t=290000 元\t7\t7.00\t", "fail"),
    ("维修（护）费\t\t\t<=29000 元\t=29000 元\t7\t6.00\t", "fail"),
])
def test_indicator_printed_twice(second, status):
    lines = {"d1": ["维修（护）费\t\t\t<=29000 元\t=29000 元\t7\t7.00\t", second]}
    rows = _run(_frames(lines, indicators=[_indicator()]), "PERF-IND-REPEAT")
    assert [r["status"] for r in rows] == [status]


def test_indicator_not_repeated_gives_no_row():
    lines = {"d1": ["维修（护）费\t<=29000 元\t=29000 元\t7\t7.00", "邮电费\t<=10000 元\t=10000 元\t6\t6.00"]}
    assert _run(_frames(lines, indicators=[_indicator()]), "PERF-IND-REPEAT") == []


@pytest.mark.parametrize(("note", "status"), [(None, "fail"), ("目标完成，无偏离度", "fail"),
                                              ("部分工作仍需完善", "pass")])
def test_met_target_deducted(note, status):
    lines = {"d1": ["档案设备更新", "95%", "95%", "9.5", "9"]}
    row = _indicator(name="档案设备更新", target_text="95%", actual_text="95%", weight=9.5, score=9.0,
                     deviation_note=note)
    rows = _run(_frames(lines, indicators=[row]), "PERF-MET-DEDUCTED")
    assert [r["status"] for r in rows] == [status] and rows[0]["source_ref"] == "L5"


def test_pairing_points_at_the_actual_cell():
    """Regression: PERF-PAIRING pointed at the indicator's name line in a cell-per-line layout;
    the actual is printed full-width (１００％) under a target cell printed over two lines."""
    lines = {"d1": ["验收后确保绿化树木90%", "1、无明显蚁害现象", "2、不出现重复蚁", "　１００％", "5", "5"]}
    row = _indicator(name="验收后确保绿化树木90%", target_text="1、无明显蚁害现象\n2、不出现重复蚁",
                     actual_text="100%", weight=5.0, score=5.0)
    rows = _run(_frames(lines, indicators=[row]), "PERF-PAIRING")
    assert [(r["status"], r["source_ref"]) for r in rows] == [("warn", "L4")]


def test_met_target_full_score_is_not_judged():
    assert _run(_frames({"d1": ["x"]}, indicators=[_indicator()]), "PERF-MET-DEDUCTED") == []


# --- the seeds --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def seeds_built():
    tables = assemble([loaded_seed(k) for k in SEEDS])
    frames = {n: t.to_pandas() for n, t in tables.items()}
    docs = frames["documents"]
    ids = {k: docs.loc[docs["source_file"].str.endswith(p.name), "doc_id"].iloc[0] for k, p in SEEDS.items()}
    return frames, ids


def _find(frames, ids, seed, rule, status=None, subject=None):
    c = frames["checks"]
    c = c[(c["doc_id"] == ids[seed]) & (c["rule"] == rule)]
    if status:
        c = c[c["status"] == status]
    if subject:
        c = c[c["subject"].str.contains(subject, regex=False)]
    return c


def test_seed_goldens(seeds_built):
    frames, ids = seeds_built
    # 汉阳 L1622: "2023 年“三公经费”预算数 2.1 万元，2022 年“三公经费”预算数 3 万元，变动率为 -3%".
    pair = _find(frames, ids, "hanyang", "CHG-PAIR")
    assert pair[["status", "source_ref"]].values.tolist() == [["fail", "L1622"]]
    assert pair["expected"].iloc[0] == pytest.approx(-0.3)
    # 乌鲁木齐 L416/L417: 维修（护）费 "=290000 元" then "=29000 元".
    rep = _find(frames, ids, "urumqi", "PERF-IND-REPEAT", "fail")
    assert rep[["subject", "source_ref"]].values.tolist() == [["干部房产信息核查工作经费 维修(护)费", "L416"]]
    assert len(_find(frames, ids, "urumqi", "PERF-IND-REPEAT", "pass")) == 9
    # 汨罗 L2996–L3000: 档案设备更新 95% / 95%, 分值 9.5, 得分 9, no 偏差原因.
    met = _find(frames, ids, "miluo", "PERF-MET-DEDUCTED", "fail")
    assert met[["subject", "source_ref"]].values.tolist() == [["汨罗市城建档案馆电子化库房建设和库房九防费用 档案设备更新", "L3000"]]
    # 岳阳 L890, L923: 496户/496户 4 of 5 and 90%/90% 9 of 10, each "目标完成，无偏离度".
    assert sorted(_find(frames, ids, "yueyang", "PERF-MET-DEDUCTED", "fail")["source_ref"]) == ["L890", "L923"]
    # 岳阳 L73 against 附件2: 3216.47 / 3197.46 / 99.41% — all agree.
    prose = _find(frames, ids, "yueyang", "PERF-PROSE")
    assert prose["status"].tolist() == ["pass"] * 3 and set(prose["source_ref"]) == {"L73"}
    # Every 预算执行率 score of the three self-evaluations is 分值 × min(rate, 1) at its precision;
    # 岳阳 3-2 (447%, L742 "10") passes by the cap; 乌鲁木齐 L258 "10" for 99.92% at integer precision.
    scores = frames["checks"][frames["checks"]["rule"] == "PERF-EXEC-SCORE"]
    assert len(scores) == 50 and set(scores["status"]) == {"pass"}


def test_totals_point_at_the_total_row(seeds_built):
    """Regression: PERF-TOTAL / PERF-WEIGHTS pointed at the table's first line (L936), not at the
    总分 row; 汨罗 3-3's 总分 row prints 100 (L1101) and 99 (L1102)."""
    frames, ids = seeds_built
    total = _find(frames, ids, "miluo", "PERF-TOTAL", "fail", "下岗职工困难补助专项")
    assert total["source_ref"].tolist() == ["L1102"]
    weights = _find(frames, ids, "miluo", "PERF-WEIGHTS", "fail", "下岗职工困难补助专项")
    assert weights["source_ref"].tolist() == ["L1101"]
    # The group's "(30分)" label, not its first indicator row (汨罗 L1020, under 效益指标).
    group = _find(frames, ids, "miluo", "PERF-GROUP-WEIGHT", "fail", "下岗职工困难补助专项 效益指标")
    assert group["source_ref"].tolist() == ["L1020"]
    # 岳阳 3-2's 447% scored in full: the score's line (L742), not the table's first line.
    over = _find(frames, ids, "yueyang", "PERF-OVERSPEND-FULL", "fail")
    assert over["source_ref"].tolist() == ["L742"]


def _line_texts(frames) -> dict[tuple, str]:
    lines = frames["lines"]
    refs = [f"L{n}" if pd.isna(p) else f"p{int(p)}:L{n}" for p, n in zip(lines["page"], lines["line"], strict=True)]
    return dict(zip(zip(lines["doc_id"], refs, strict=True), lines["text"], strict=True))


def _printed_forms(value: float) -> set[str]:
    forms = {fmt(value), fmt(value).replace(",", ""), f"{value:.2f}", f"{value:g}"}
    if abs(value) < 50:  # a rate: as a percentage
        forms |= {f"{value * 100:.{d}f}" for d in range(3)} | {f"{abs(value) * 100:.{d}f}" for d in range(3)}
    return forms


def test_failing_findings_point_at_their_figure(seeds_built):
    """Every failing finding with a printed figure points at a line that prints it."""
    frames, _ids = seeds_built
    texts = _line_texts(frames)
    c = frames["checks"]
    failing = c[(c["status"] == "fail") & c["found"].notna() & (c["rule"] != "COMPLETE-TABLES")]
    assert len(failing) > 10
    misses = []
    for r in failing.itertuples():
        text = texts.get((r.doc_id, r.source_ref), "")
        if not any(f in text.replace(",", "") or f in text for f in _printed_forms(r.found)):
            misses.append((r.rule, r.subject, r.source_ref, r.found, text[:60]))
    assert misses == []


# --- CHG-PRIOR across an entity's years ------------------------------------------------------

def test_prior_year_rule_is_entity_scoped(tmp_path):
    """The build checks one disclosure at a time: CHG-PRIOR is the one rule that needs another
    year's document, so it is of scope ``entity`` and entity_checks runs it over the store."""
    from loaders.checks import RULES
    from loaders.checks.entities import entity_checks

    assert {c for c, r in RULES.items() if r.scope == "entity"} == {"CHG-PRIOR"}
    docs = [_doc("d2", 2019, "budget"), _doc("d1", 2018, "budget"), _doc("x1", 2019, "budget", entity="e9")]
    change = {"doc_id": "d2", "entity_id": "e1", "year": 2019, "doc_kind": "budget", "dataset": "sangong",
              "item": "outbound_travel", "measure": "budget_initial", "against": "prior_year_budget",
              "current_amount": 110.0, "change_amount": 12.0, "change_pct": None, "text": "增加 12 万元。",
              "source_ref": "L1"}
    prior = {"doc_id": "d1", "entity_id": "e1", "year": 2018, "doc_kind": "budget", "item": "outbound_travel",
             "measure": "budget_initial", "amount": 100.0, "origin": "table", "source_ref": "L3"}
    frames = _frames(docs=docs, stated_changes=[change], sangong=[prior])
    assert run_checks(frames, stored_documents(frames), scope="disclosure") == []
    for name, df in frames.items():
        if not df.empty:
            df.to_parquet(tmp_path / f"{name}.parquet")
    rows = entity_checks(tmp_path)
    # 110 − 100 = 10, not the 12 stated; another year's document: a warning.
    assert [(r["rule"], r["doc_id"], r["status"]) for r in rows] == [("CHG-PRIOR", "d2", "warn")]


def test_court_2018_states_a_decrease_its_figures_do_not_give():
    """江苏省高级人民法院: 2018 p19:L20–21 "一般行政事务管理（项）支出 6049.97 万元，与上年相比
    减少 392.92 万元，减少 5.95%"; 2017 p21:L20 printed 6432.89 (6432.89 − 6049.97 = 382.92,
    and 382.92 ÷ 6432.89 = 5.95%). Checked against the rendered pages."""
    from tests.conftest import ROOT

    corpus = ROOT.parent / "shared" / "corpus"
    files = [corpus / f"jiangsu-court-{y}-budget.pdf" for y in (2017, 2018)]
    if not all(f.exists() for f in files):
        pytest.skip("../shared/corpus not present (the corpus lives beside the project, not in it)")
    from loaders.build import load_document

    tables = assemble([load_document(f) for f in files], checks=False)
    frames = {n: t.to_pandas() for n, t in tables.items()}
    rows = run_checks(frames, stored_documents(frames), ["CHG-PRIOR"])
    failing = [(r["subject"], r["source_ref"], r["expected"], r["found"]) for r in rows if r["status"] == "fail"]
    assert failing == [("一般行政事务管理 增减额", "p19:L21", pytest.approx(-382.92), pytest.approx(-392.92))]
    assert len([r for r in rows if r["status"] == "pass"]) >= 40
