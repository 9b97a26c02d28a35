"""项目执行 builders (dashboard/projects.py, dashboard/reasons.py): the reason each flagged project's
document states, the strip of execution rates with its band, the trend over years. Pure, no
Streamlit; the seeds' reasons checked by hand against the documents (quoted)."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import projects as pj
from dashboard import reasons as rs
from dashboard.data import read_all
from tests import budget_data

KEYS = {"entity_id": "e1", "year": 2023, "doc_kind": "performance_self_eval"}


def _projects(rows) -> pd.DataFrame:
    return pd.DataFrame([{**KEYS, "doc_id": "d1", "scope": "project", "budget_adjusted": 10.0, "deviation_note": None,
                          **r} for r in rows])


def _indicators(rows) -> pd.DataFrame:
    base = {**KEYS, "doc_id": "d1", "scope": "project", "level1": "产出指标", "level2": "数量指标", "completion": 1.0,
            "weight": 10.0, "score": 10.0, "deviation_note": None}
    return pd.DataFrame([{**base, **r} for r in rows])


@pytest.fixture
def case():
    projects = _projects([
        {"project": "甲", "actual": 5.0, "execution_rate": 0.5, "source_ref": "L10"},
        {"project": "乙", "actual": 10.0, "execution_rate": 1.0, "source_ref": "L30"},
        {"project": "丙", "actual": 30.0, "execution_rate": 3.0, "source_ref": "L50",
         "deviation_note": "项目追加资金。"},
    ])
    indicators = _indicators([
        {"project": "甲", "name": "满意度", "deviation_note": "目标完成，无偏离度", "source_ref": "L12"},
        {"project": "甲", "name": "成本", "level1": "成本指标", "deviation_note": "压减开支。", "source_ref": "L13"},
        {"project": "甲", "name": "户数", "completion": 0.6, "deviation_note": "拆迁未完成。", "source_ref": "L14"},
        {"project": "乙", "name": "户数", "completion": 0.5, "deviation_note": "乙的原因。", "source_ref": "L32"},
    ])
    lines = pd.DataFrame({"doc_id": "d1", "page": None, "line": [11, 15, 31, 52],
                          "text": ["偏差原因分析及改进措施", "执行率低，主要原因是工程延期。", "乙：主要原因是别的。",
                                   "由于追加任务，超支。"]})
    return projects, indicators, lines


def test_boilerplate_notes_explain_nothing():
    assert not rs.informative("目标完成，无偏离度") and not rs.informative("无") and not rs.informative(None)
    assert rs.informative("非税超收返还") and rs.informative("拆迁未完成。")


def test_reasons_ranked_and_kept_in_their_project(case):
    projects, indicators, lines = case
    flag = pj.flagged(projects)
    found = rs.candidates(flag, indicators, lines, projects)
    a = found[found["project"] == "甲"]
    # prose of its own section first, then the missed indicator, then the cost indicator; the
    # boilerplate note and the table header are not reasons; 乙's lines and notes are not 甲's
    assert list(a["kind"]) == ["text", "missed", "cost"]
    assert list(a["reason_ref"]) == ["L15", "L14", "L13"]
    assert "乙的原因。" not in set(found["reason"]) and "乙：主要原因是别的。" not in set(found["reason"])
    c = found[found["project"] == "丙"]
    assert list(c["kind"]) == ["project", "text"]  # the project's own note, then its section's sentence
    out = rs.with_reasons(flag, found).set_index("project")
    assert out.loc["甲", "reason"] == "执行率低，主要原因是工程延期。" and out.loc["甲", "reason_ref"] == "L15"
    assert out.loc["甲", "n_reasons"] == 3
    assert out.loc["丙", "reason"] == "项目追加资金。" and out.loc["丙", "reason_ref"] == "L50"


def test_indicator_reason_names_its_indicator(case):
    projects, indicators, _ = case
    flag = pj.flagged(projects)
    out = rs.with_reasons(flag, rs.candidates(flag, indicators)).set_index("project")
    assert out.loc["甲", "reason"] == "户数：拆迁未完成。" and out.loc["甲", "reason_from"] == "未完成指标"
    en = rs.with_reasons(flag, rs.candidates(flag, indicators), "en").set_index("project")
    assert en.loc["甲", "reason"] == "户数: 拆迁未完成。" and en.loc["甲", "reason_from"] == "missed indicator"


def test_no_reason_stated_is_empty_not_invented():
    projects = _projects([{"project": "甲", "actual": 5.0, "execution_rate": 0.5, "source_ref": "L10"}])
    out = rs.with_reasons(pj.flagged(projects), rs.candidates(pj.flagged(projects), projects.head(0)))
    assert out["reason"].tolist() == [""] and out["n_reasons"].tolist() == [0]


def test_gather_lines_uses_the_fetcher_once_per_document():
    calls = []

    def fetch(doc):
        calls.append(doc)
        return pd.DataFrame({"page": [None], "line": [1], "text": ["x"]}) if doc == "a" else None

    out = rs.gather_lines(["a", "b", "a"], fetch)
    assert calls == ["a", "b"] and list(out["doc_id"]) == ["a"]
    assert rs.gather_lines([], fetch) is None


def test_rate_strip_one_trace_band_and_cap(case):
    projects, indicators, _ = case
    flag = rs.with_reasons(pj.flagged(projects), rs.candidates(pj.flagged(projects), indicators))
    fig = pj.rate_figure(projects, {"e1": "某局"}, {"e1": "#123456"}, 0.9, 1.0, reasons=flag)
    assert len(fig.data) == 1  # every point in one trace, whatever the number of documents
    band = fig.layout.shapes[0]
    assert (band.x0, band.x1) == (0.9, 1.0)
    pts = fig.data[0]
    # 300% sits at the 200% edge as ▶ and says its value; the outliers name their project
    assert max(pts.x) == pj.AXIS_CAP and "triangle-right" in pts.marker.symbol
    assert any("300%" in t for t in pts.text) and any(t.startswith("甲") for t in pts.text)
    assert [c[3] for c in pts.customdata if c[0] == "甲"] == ["<br>原因：户数：拆迁未完成。"]
    assert list(fig.layout.yaxis.ticktext) == ["某局"]


def test_rate_by_year_only_departments_with_several_years():
    rows = []
    for eid, years in (("a", (2021, 2022)), ("b", (2022,))):
        for y in years:
            rows += [{"entity_id": eid, "year": y, "doc_id": f"{eid}{y}", "project": p, "execution_rate": r}
                     for p, r in (("x", 0.95), ("y", 0.5))]
    df = pd.DataFrame(rows).assign(scope="project")
    out = pj.rate_by_year(df)
    assert set(out["entity_id"]) == {"a"} and list(out["year"]) == [2021, 2022]
    assert out["share_in_band"].tolist() == [0.5, 0.5] and out["median_rate"].tolist() == [0.725, 0.725]
    fig = pj.trend_figure(out, {"a": "甲局"}, {"a": "#111"}, 0.9, 1.0)
    assert [t.name for t in fig.data] == ["甲局"] and len(fig.layout.shapes) == 1
    assert pj.rate_by_year(df.head(0)).empty


# ---- the seeds ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds():
    return read_all(budget_data.seeds())


def test_every_flagged_seed_project_shows_its_documents_reason(seeds):
    projects, indicators = seeds["projects"], seeds["indicators"]
    flag = pj.flagged(pj.project_rows(projects))
    found = rs.candidates(flag, indicators, seeds["lines"], projects)
    out = rs.with_reasons(flag, found).set_index("project")
    assert set(out.index) == {"房产交易业务经费", "征收补偿工作经费", "非税收入执收成本"}
    assert (out["reason"] != "").all()
    # 乌鲁木齐 L313: "防疫物资购置种类 >=5 类 =4 类 10 8.00 因本年防疫物资需求减少，为厉行节约，仅采购窗口必需物资，类别减少。"
    r = out.loc["房产交易业务经费"]
    assert r["reason"].startswith("防疫物资购置种类：因本年防疫物资需求减少") and r["reason_ref"] == "L313"
    # 乌鲁木齐 L663: 文书类和房产类档案扫描归档 (4.52 of 5 points): "…预估数出现偏差…"
    r = out.loc["征收补偿工作经费"]
    assert r["reason"].startswith("文书类和房产类档案扫描归档：完成文书类和房产类档案扫描归档工作件数预估数出现偏差")
    assert r["reason_ref"] == "L663"
    # 岳阳 3-2, 447%: its cost indicator "严格按预算控制各项维修维护支出 26万元以内 116.29万 … 非税超收返还"
    r = out.loc["非税收入执收成本"]
    assert r["reason"] == "严格按预算控制各项维修维护支出：非税超收返还" and r["reason_from"] == "未完成指标"


def test_prose_outside_any_flagged_section_gives_no_reason(case):
    projects, indicators, lines = case
    flag = pj.flagged(projects, 0.4, 3.5)  # nothing flagged but …
    assert rs.candidates(flag, indicators, lines, projects).empty
    # a reason printed on an indicator's own row is that indicator's, not a second prose reason
    on_rows = pd.DataFrame({"doc_id": "d1", "page": None, "line": [14], "text": ["户数 拆迁未完成，主要原因是延期"]})
    found = rs.candidates(pj.flagged(projects), indicators, on_rows, projects)
    assert "text" not in set(found["kind"])
    # a sentence before the first project belongs to none (the seeds' 岳阳 "七、存在的问题及原因分析")
    before = pd.DataFrame({"doc_id": "d1", "page": None, "line": [5], "text": ["存在的问题，主要原因是人手不足"]})
    found = rs.candidates(pj.flagged(projects), indicators, before, projects)
    assert "text" not in set(found["kind"]) and not found.empty


def test_a_finding_on_the_projects_figure_line_marks_the_project():
    from dashboard import flags

    projects = _projects([{"project": "甲", "actual": 5.0, "execution_rate": 0.5, "source_ref": "L10"},
                          {"project": "乙", "actual": 10.0, "execution_rate": 1.0, "source_ref": "L30"}])
    checks = pd.DataFrame([
        {"doc_id": "d1", "rule": "PERF-OVERSPEND-FULL", "status": "fail", "subject": "甲 预算执行率得分", "source_ref": "L13"},
        {"doc_id": "d1", "rule": "PERF-MET-DEDUCTED", "status": "fail", "subject": "乙 满意度", "source_ref": "L33"},
        {"doc_id": "d1", "rule": "PERF-TOTAL", "status": "warn", "subject": "乙 总分", "source_ref": "L39"},
    ])
    plain = flags.mark(projects, checks)
    assert list(plain[flags.FLAG]) == ["", ""]  # neither finding is on the project's own line
    marked = flags.mark(projects, checks, subjects=projects["project"], rules=flags.PROJECT_RULES)
    # the project's own figure failed: marked; an indicator's finding or a warning does not mark the project
    assert list(marked[flags.FLAG]) == ["PERF-OVERSPEND-FULL", ""]
