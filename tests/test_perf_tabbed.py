"""绩效 tables with tab-separated rows (loaders/perf_tabbed.py), through load_document.

Expectations were read off the document lines named in the comments, not off the parser.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders.build import load_document
from loaders.extraction import Extraction
from loaders.families import perf_tabbed
from loaders.identity.detect import detect
from loaders.readers import read_source
from tests.conftest import SEEDS


def _rows(doc, dataset: str) -> list[dict]:
    """The 自评表 rows; the 申报表's (origin declaration) are tested in test_perf_declarations.py."""
    return [r for r in doc.extraction.rows.get(dataset, []) if r.get("origin") != "declaration"]


def _project(doc, name: str, scope: str = "project") -> dict:
    found = [p for p in _rows(doc, "projects") if p["project"] == name and p["scope"] == scope]
    assert len(found) == 1, [p["project"] for p in _rows(doc, "projects")]
    return found[0]


def _indicator(doc, name: str, project: str | None = None, scope: str | None = None) -> dict:
    found = [
        r for r in _rows(doc, "indicators")
        if r["name"] == name and (project is None or r["project"] == project) and (scope is None or r["scope"] == scope)
    ]
    assert len(found) == 1, f"{name}: {len(found)} rows"
    return found[0]


def _copy_with(tmp_path: Path, seed: str, old: str, new: str, count: int = 1) -> Path:
    text = SEEDS[seed].read_text(encoding="utf-8")
    assert text.count(old) >= count, old
    path = tmp_path / SEEDS[seed].name
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def hanyang():
    return load_document(SEEDS["hanyang"])


@pytest.fixture(scope="module")
def urumqi():
    return load_document(SEEDS["urumqi"])


@pytest.fixture(scope="module")
def handan():
    return load_document(SEEDS["handan"])


# --- 汉阳 (决算 with 部门整体 and 项目自评表 attachments) ---------------------------------------


def test_hanyang_projects(hanyang):
    # The attachment holds 12 "…项目自评表" tables (its heading says 13).
    assert len([p for p in _rows(hanyang, "projects") if p["table"].endswith("项目自评表")]) == 12
    p = _project(hanyang, "保障性住房工作经费")
    # L1733 预算数 (A) | 执行数 (B) | 执行率 (B/A); L1734 年度财政资金总额 553.79 553.79 100%
    # L1752 备注: 预算数为调整后财政资金总额 → budget_adjusted, not budget_initial
    assert p["budget_adjusted"] == 553.79 and p["actual"] == 553.79
    assert p.get("budget_initial") is None
    assert p["stated_execution_rate"] == 1.0 and p["execution_rate"] == 1.0
    assert p["source_ref"] == "L1734"
    # L1745 偏差大或目标未完成原因分析
    assert p["deviation_note"].startswith("本项目一定程度上改善了城市低收入居民的居住条件")
    # L2103 自管房产维修费、物业费项目: 1.83 1.83 100%
    assert _project(hanyang, "自管房产维修费、物业费项目")["actual"] == 1.83


def test_hanyang_project_indicators_under_merged_cells(hanyang):
    # L1739 →质量指标→全区住房保障“应保尽保”→→应保尽保→应保尽保→ : 产出指标 merged from L1736
    r = _indicator(hanyang, "全区住房保障“应保尽保”", project="保障性住房工作经费")
    assert (r["level1"], r["level2"], r["target_text"], r["actual_text"]) == ("产出指标", "质量指标", "应保尽保", "应保尽保")
    # L1736 →产出指标→数量指标→建成保障性租赁住房数量→→4800套→5743套
    r = _indicator(hanyang, "建成保障性租赁住房数量", project="保障性住房工作经费")
    assert (r["target_value"], r["actual_value"], r["unit"]) == (4800, 5743, "套")
    assert r["completion"] == pytest.approx(5743 / 4800)
    # L2075 效益指标→社会效益指标→提高部门工作效率→→提高→提高→ (starts in the label column)
    r = _indicator(hanyang, "提高部门工作效率", project="政府购买服务岗位经费项目")
    assert (r["level1"], r["level2"]) == ("效益指标", "社会效益指标")
    # L1778 促进残疾人就业→→→促进→促进→→ : both levels merged from L1777
    r = _indicator(hanyang, "促进残疾人就业", project="残保金项目")
    assert (r["level1"], r["level2"], r["actual_text"]) == ("效益指标", "社会效益指标", "促进")
    # L2071 聘用职工人数 ≤51 人 / 51 人: met by staying under
    r = _indicator(hanyang, "聘用职工人数")
    assert (r["comparator"], r["target_value"], r["completion"]) == ("<=", 51, 1.0)


def test_hanyang_department_table(hanyang):
    dept = [r for r in _rows(hanyang, "indicators") if r["scope"] == "department"]
    # Printed three times (L1321 自评表, L1466 附件 copy, L1557 表 2.1 targets): one set kept.
    names = [r["name"] for r in dept]
    assert len(names) == len(set(names)) == 52  # L1400: 共设置52个绩效指标
    assert sum("printed twice" in w for w in hanyang.extraction.warnings) == 2
    # L1360 →开展物业服务 质量巡查 个次数→绩效基本型→≥300 个次→2202 个次 (wrapped, shifted left)
    r = _indicator(hanyang, "开展物业服务质量巡查个次数", scope="department")
    assert (r["level2"], r["comparator"], r["target_value"], r["actual_value"], r["unit"]) == ("数量指标", ">=", 300, 2202, "个次")
    # L1357 筹集保障性租赁住房数 + L1359 "量" after a page break
    assert _indicator(hanyang, "筹集保障性租赁住房数量", scope="department")["actual_text"] == "3297套"
    # L1334 战略管理→→中长期规划相符性 : the 二级指标 printed in the label column
    assert _indicator(hanyang, "中长期规划相符性", scope="department")["level2"] == "战略管理"
    # L1329 →公用经费控制→公用经费控制率→绩效基本型→≤100%→74.74%
    r = _indicator(hanyang, "公用经费控制率", scope="department")
    assert (r["level1"], r["target_value"], r["actual_value"], r["completion"]) == (None, 100, 74.74, 1.0)
    # L1380 行政管理体制改革成效 … 达成预期 → 不涉及 : not applicable, no actual
    assert _indicator(hanyang, "行政管理体制改革成效", scope="department")["actual_text"] is None


# --- 乌鲁木齐 (决算 with 31 绩效 tables) -------------------------------------------------------


def test_urumqi_projects(urumqi):
    assert len([p for p in _rows(urumqi, "projects") if p["scope"] == "project"]) == 30
    p = _project(urumqi, "房产交易业务经费")
    # L305 年初预算数 全年预算数 全年执行数 分值 执行率 得分
    # L306 年度资金总额 186.19 186.19 139.30 10 74.82% 7.48分 ; L320 总分 100 95.48分
    assert (p["budget_initial"], p["budget_adjusted"], p["actual"]) == (186.19, 186.19, 139.30)
    assert p["stated_execution_rate"] == pytest.approx(0.7482)
    assert p["execution_rate"] == pytest.approx(139.30 / 186.19)
    assert (p["execution_weight"], p["execution_score"], p["max_score"], p["score"]) == (10, 7.48, 100, 95.48)
    # L520 年度资金总额 1,000.00 1,000.00 999.99
    assert _project(urumqi, "契税财政补贴(第二批)")["actual"] == 999.99
    # L786 年度资金总额→→9.37→9.37→9.11 (an extra empty cell before the figures)
    p = _project(urumqi, "物业管理专项经费")
    assert (p["budget_initial"], p["actual"], p["stated_execution_rate"]) == (9.37, 9.11, pytest.approx(0.9723))


def test_urumqi_indicators(urumqi):
    # L294 →成本指标→经济成本指标→档案技术服务费→→=18399 元→=18399 元→10→10.00→
    r = _indicator(urumqi, "档案技术服务费")
    assert (r["level1"], r["level2"], r["target_value"], r["unit"], r["weight"], r["score"]) == (
        "成本指标", "经济成本指标", 18399, "元", 10, 10)
    # L794 指标完成情况→→督导考察天数→>=60 天→=65 天→10→10.00→… (a piece of the row label)
    r = _indicator(urumqi, "督导考察天数")
    assert (r["level1"], r["level2"], r["target_value"], r["actual_value"]) == ("产出指标", "数量指标", 60, 65)
    assert r["deviation_note"].startswith("为了配合做好创城工作")
    # L800 车辆加油支出→≤ 2.51→$= 1.3$→5→2.59 (LaTeX markup)
    r = _indicator(urumqi, "车辆加油支出")
    assert (r["target_value"], r["actual_value"], r["comparator"], r["score"]) == (2.51, 1.3, "<=", 2.59)
    # L363 →→控制其他交通费用支出数量→<=0.50 万元→=0.5 万元→10→10.00→→ (shifted left)
    r = _indicator(urumqi, "控制其他交通费用支出数量")
    assert (r["level2"], r["target_value"], r["actual_value"], r["unit"]) == ("经济成本指标", 0.5, 0.5, "万元")
    # L267 履职效能→数量指标→房地产投资→>=389.99 亿元→(依据)→317.72→11→8.96
    r = _indicator(urumqi, "房地产投资", scope="department")
    assert (r["target_value"], r["actual_value"], r["weight"], r["score"]) == (389.99, 317.72, 11, 8.96)


def test_urumqi_rows_printed_twice_in_one_table(urumqi):
    """干部房产信息核查工作经费 (L400-422) prints each row twice, the note on the second."""
    rows = [r for r in _rows(urumqi, "indicators") if r["project"] == "干部房产信息核查工作经费"]
    assert len(rows) == 10
    # L401 and L402 …委托核查任务 >=45000 人 =50644 人; the note only on L402
    r = next(r for r in rows if r["name"].endswith("委托核查任务"))
    assert r["source_ref"] == "L401" and r["actual_value"] == 50644
    assert r["deviation_note"].startswith("2024 年度完成核查任务 50644 人")
    # L416 =290000 元 vs L417 =29000 元: the first kept, the disagreement reported
    assert next(r for r in rows if r["name"] == "维修(护)费")["actual_value"] == 290000
    assert any("维修(护)费" in w and "disagrees" in w for w in urumqi.extraction.warnings)


def test_urumqi_table_printed_twice_is_counted_once(tmp_path):
    text = SEEDS["urumqi"].read_text(encoding="utf-8")
    start = text.index("项目名称\t\t房产档案馆建档费")
    start = text.rindex("项目支出绩效自评表", 0, start)
    end = text.index("项目支出绩效自评表", start + 10)
    block = text[start:end]
    path = tmp_path / "urumqi.txt"
    path.write_text(text[:end] + block + text[end:], encoding="utf-8")
    doc = load_document(path)
    base = load_document(SEEDS["urumqi"])
    assert len(_rows(doc, "projects")) == len(_rows(base, "projects")) == 31  # 30 projects + the department
    assert len(_rows(doc, "indicators")) == len(_rows(base, "indicators"))
    assert any("房产档案馆建档费" in w and "printed twice" in w for w in doc.extraction.warnings)
    # A reprint that disagrees says where.
    changed = block.replace("=9935 元", "=9000 元")
    path.write_text(text[:end] + changed + text[end:], encoding="utf-8")
    doc = load_document(path)
    assert _indicator(doc, "信息技术服务费")["actual_value"] == 9935
    assert any("disagree" in w and "信息技术服务费" in w for w in doc.extraction.warnings)


# --- 邯郸 (预算: targets only) -----------------------------------------------------------------


def test_handan_targets_only(handan):
    projects = _rows(handan, "projects")
    assert len(projects) == 46  # titles 1、 … 46、 (L536 … L1133)
    # No 项目资金 is printed in these tables: no amounts, no scores.
    for p in projects:
        assert all(p.get(k) is None for k in ("budget_initial", "budget_adjusted", "actual", "score", "execution_rate"))
    rows = _rows(handan, "indicators")
    assert rows and all(r["actual_text"] is None and r["completion"] is None and r["score"] is None for r in rows)
    # L540 产出指标→数量指标→实际完成率→实际完成数/计划完成数→≥128.22 万元→行业标准
    r = _indicator(handan, "实际完成率", project="城关房产管理处办公楼维修经费")
    assert (r["level1"], r["level2"], r["target_value"], r["unit"], r["comparator"]) == ("产出指标", "数量指标", 128.22, "万元", ">=")
    # L541 …质量达标率…≥100 百分号 : the percent sign written out
    assert _indicator(handan, "质量达标率", project="城关房产管理处办公楼维修经费")["unit"] == "%"


def test_handan_page_breaks(handan):
    # L1010 …资产信息化管理系统使用程 | L1012 repeated header | L1013 →→度→度→→
    r = _indicator(handan, "资产信息化管理系统使用程度", project="保障房产证档案管理建设")
    assert r["source_ref"] == "L1010" and r["target_value"] == 100
    # L1045 →数量指标→小区改造工程督导次数 ; 产出指标 printed on the next row (L1046)
    r = _indicator(handan, "小区改造工程督导次数")
    assert (r["level1"], r["target_text"]) == ("产出指标", "=2 次")
    # 丛台 table (L557) continues under a repeated header at L564
    rows = [r for r in _rows(handan, "indicators") if r["project"] == "丛台房产管理处直管公房管理维修工作经费"]
    assert len(rows) == 6 and {r["level1"] for r in rows} == {"产出指标", "效益指标", "满意度指标"}
    # L1125 时效指标/及时率 and L1127 经济效益指标/及时率 are two indicators
    assert len([r for r in _rows(handan, "indicators") if r["name"] == "及时率" and r["project"] == "开发及软硬件系统升级费"]) == 2
    # L662 →可持续影响指标→持续推动…→为主城区…→≤100 百分号→…
    r = _indicator(handan, "持续推动监管项目和监管账户工作的全面发展,为新建商品房预售资金监管工作的发展提供长久稳定服务")
    assert (r["level1"], r["comparator"], r["target_value"]) == ("效益指标", "<=", 100)


# --- perturbation: the output follows the document ------------------------------------------


def test_perturbed_hanyang_budget(tmp_path):
    path = _copy_with(tmp_path, "hanyang", "年度财政资金总额\t553.79\t553.79\t100%", "年度财政资金总额\t600.00\t540.00\t90%")
    p = _project(load_document(path), "保障性住房工作经费")
    assert (p["budget_adjusted"], p["actual"], p["stated_execution_rate"]) == (600.0, 540.0, 0.9)
    assert p["execution_rate"] == pytest.approx(0.9)


def test_perturbed_hanyang_without_phase_note(tmp_path):
    # Without the 备注 saying 预算数 is 调整后, a 决算's bare 预算数 has no phase: not read.
    path = _copy_with(tmp_path, "hanyang", "预算数为调整后财政资金总额", "预算数为财政资金总额", count=12)
    doc = load_document(path)
    p = _project(doc, "保障性住房工作经费")
    assert p.get("budget_adjusted") is None and p.get("budget_initial") is None and p["actual"] == 553.79
    assert any("预算数" in w for w in doc.extraction.warnings)


def test_perturbed_urumqi_indicator_and_blank(tmp_path):
    path = _copy_with(tmp_path, "urumqi", "租用光纤数量\t>=8 条\t=8 条\t10\t10.00", "租用光纤数量\t>=9 条\t\t10\t10.00")
    r = _indicator(load_document(path), "租用光纤数量")
    assert (r["target_value"], r["actual_value"], r["actual_text"], r["completion"]) == (9, None, None, None)


def test_perturbed_handan_target(tmp_path):
    path = _copy_with(tmp_path, "handan", "≥128.22 万元", "≥130.5 万元")
    assert _indicator(load_document(path), "实际完成率", project="城关房产管理处办公楼维修经费")["target_value"] == 130.5


def test_other_layouts_untouched():
    """岳阳 / 汨罗 print one cell per line: nothing here for this parser."""
    for seed in ("yueyang", "miluo"):
        source = read_source(SEEDS[seed])
        ex = Extraction()
        perf_tabbed.extract(source, detect(source), ex)
        assert not ex.rows and not ex.warnings


# --- the department's own result (部门整体 tables) ---------------------------------------------


def test_urumqi_department_result(urumqi):
    # L256 部门（单位） 名称→乌鲁木齐市住房保障和房产管理局（汇总） (NFKC brackets)
    d = _project(urumqi, "乌鲁木齐市住房保障和房产管理局(汇总)", scope="department")
    assert d["table"] == "部门(单位)整体支出绩效目标自评表"  # L253
    # L257 部门资金（万 元）→资金来源→年初预算数→全年预算数→全年执行数→分值权重→执行率→得分
    # L258 →年度总资金→531,862.78→632,672.30→632,177.48→10→99.92%→10
    assert (d["budget_initial"], d["budget_adjusted"], d["actual"]) == (531862.78, 632672.30, 632177.48)
    assert d["stated_execution_rate"] == pytest.approx(0.9992)
    assert d["execution_rate"] == pytest.approx(632177.48 / 632672.30)
    assert (d["execution_weight"], d["execution_score"]) == (10, 10)
    assert (d["max_score"], d["score"]) == (100, 97.96)  # L277 总分→…→100→97.96 分
    assert d["source_ref"] == "L258"
    # Its indicators keep project = null.
    assert all(r["project"] is None for r in _rows(urumqi, "indicators") if r["scope"] == "department")


def test_hanyang_department_table_prints_no_result(hanyang):
    # L1325-1327: 单位名称, 基本支出总额 1447.75 万元 / 项目支出总额 20041.10 万元 (no phase,
    # no 年度资金总额), then indicators with no 分值, 得分 or 总分: nothing to put in a row.
    assert not [p for p in _rows(hanyang, "projects") if p["scope"] == "department"]


def test_perturbed_urumqi_department_result(tmp_path):
    path = _copy_with(
        tmp_path, "urumqi",
        "年度总资金\t531,862.78\t632,672.30\t632,177.48\t10\t99.92%\t10",
        "年度总资金\t531,862.78\t640,000.00\t600,000.00\t10\t93.75%\t9.38",
    )
    path.write_text(path.read_text(encoding="utf-8").replace("100\t97.96 分", "100\t91.5 分"), encoding="utf-8")
    d = _project(load_document(path), "乌鲁木齐市住房保障和房产管理局(汇总)", scope="department")
    assert (d["budget_adjusted"], d["actual"], d["execution_score"], d["score"]) == (640000, 600000, 9.38, 91.5)
    assert d["execution_rate"] == pytest.approx(0.9375)


# --- points printed next to placeholder values are kept --------------------------------------


@pytest.mark.parametrize("values", ["\t\t", "\t——\t——", "\t无\t无"])
def test_points_kept_when_target_and_actual_are_placeholders(tmp_path, values):
    # L363 →→控制其他交通费用支出数量→<=0.50 万元→=0.5 万元→10→10.00→→ (shifted left by a merged cell)
    path = _copy_with(tmp_path, "urumqi", "控制其他交通费用支出数量\t<=0.50 万元\t=0.5 万元\t10\t10.00",
                      f"控制其他交通费用支出数量{values}\t10\t9.50")
    r = _indicator(load_document(path), "控制其他交通费用支出数量")
    assert (r["level2"], r["target_value"], r["actual_value"], r["weight"], r["score"]) == ("经济成本指标", None, None, 10, 9.5)
