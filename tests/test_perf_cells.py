"""绩效 tables laid out one cell per line (岳阳, 汨罗), through ``load_document``.

Every expectation was read by hand from the seed text; the comment gives the line(s).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from loaders.build import load_document
from loaders.extraction import Extraction
from loaders.families import perf_cells
from loaders.identity.detect import detect
from loaders.readers import read_source
from tests.conftest import SEEDS, loaded_seed

YUEYANG = SEEDS["yueyang"]
MILUO = SEEDS["miluo"]


@pytest.fixture(scope="module")
def yueyang():
    return loaded_seed("yueyang").extraction


@pytest.fixture(scope="module")
def miluo():
    return loaded_seed("miluo").extraction


def project(ex: Extraction, name: str, scope: str = "project") -> dict:
    rows = [r for r in ex.rows["projects"] if r["project"] == name and r["scope"] == scope]
    assert len(rows) == 1, [r["project"] for r in ex.rows["projects"]]
    return rows[0]


def indicator(ex: Extraction, table: str, name_start: str) -> dict:
    rows = [r for r in ex.rows["indicators"] if r["table"] == table and r["name"].startswith(name_start)]
    assert len(rows) == 1, name_start
    return rows[0]


def sangong(ex: Extraction) -> dict[tuple[str, str], float]:
    return {(r["item"], r["measure"]): r["amount"] for r in ex.rows["sangong"] if r.get("origin") == "attachment"}


def load_changed(tmp_path: Path, seed: Path, old: str, new: str) -> Extraction:
    text = seed.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"perturbation anchor not unique: {old!r}"
    copy = tmp_path / seed.name
    copy.write_text(text.replace(old, new), encoding="utf-8")
    return load_document(copy).extraction


# --- 岳阳 -------------------------------------------------------------------------------


def test_yueyang_projects(yueyang) -> None:
    assert [r["table"] for r in yueyang.rows["projects"] if r["scope"] == "project"] == ["附件3-1", "附件3-2", "附件3-3"]
    p = project(yueyang, "住房保障事务管理经费")  # L476
    assert p["budget_initial"] == 147  # L498
    assert p["budget_adjusted"] == 147  # L499 "　147"
    assert p["actual"] == 146.86  # L500
    assert p["execution_rate"] == pytest.approx(146.86 / 147)
    assert p["stated_execution_rate"] == pytest.approx(0.999)  # L502 99.9%
    assert (p["execution_weight"], p["execution_score"]) == (10, 9.99)  # L501, L503
    assert (p["max_score"], p["score"]) == (100, 96.97)  # L709, L710
    assert p["source_ref"] == "L500"

    p = project(yueyang, "保障房建设资金")  # L933
    assert (p["budget_initial"], p["budget_adjusted"], p["actual"]) == (0, 1500, 1500)  # L955-957: 0 is printed
    assert (p["max_score"], p["score"]) == (100, 98)  # L1123, L1124


def test_yueyang_project_that_spent_447_percent_is_kept(yueyang) -> None:
    p = project(yueyang, "非税收入执收成本")  # L715
    assert (p["budget_initial"], p["budget_adjusted"], p["actual"]) == (26, 26, 116.29)  # L737-739
    assert p["stated_execution_rate"] == pytest.approx(4.47)  # L741 447%
    assert p["execution_rate"] == pytest.approx(116.29 / 26)
    assert (p["max_score"], p["score"]) == (100, 97)  # L927, L928 "　97"


def test_yueyang_total_row_before_next_attachment_keeps_its_score(yueyang) -> None:
    # L710 "\t96.97" is followed at once by L711 " 附件3-2" (no blank line).
    assert project(yueyang, "住房保障事务管理经费")["score"] == 96.97
    assert project(yueyang, "非税收入执收成本")["table"] == "附件3-2"


def test_yueyang_department_indicators(yueyang) -> None:
    dept = [r for r in yueyang.rows["indicators"] if r["scope"] == "department"]
    assert len(dept) == 15  # L309 … L457: fifteen printed 三级指标
    assert {r["table"] for r in dept} == {"附件2"} and all(r["project"] is None for r in dept)
    first = indicator(yueyang, "附件2", "1.按时足额收取租金")  # L309
    assert (first["level1"], first["level1_weight"], first["level2"]) == ("产出指标", 50, "数量指标")  # L305-308
    assert (first["target_text"], first["actual_text"]) == ("130万元", "130万元")  # L310, L311
    assert (first["target_value"], first["unit"], first["completion"]) == (130, "万元", 1.0)
    # Filled down from the row above (L316-318 are empty cells).
    second = indicator(yueyang, "附件2", "2.物业维修资金归集")  # L319
    assert (second["level1"], second["level2"]) == ("产出指标", "数量指标")
    assert (second["target_value"], second["actual_value"], second["unit"]) == (1, 1.63, "亿元")  # L320, L321
    assert (second["weight"], second["score"]) == (10, 10)  # L322, L323
    third = indicator(yueyang, "附件2", "3.公租房实物配租")  # L329
    assert third["score"] == 4  # L333
    assert third["deviation_note"] == "需求大于供应,继续多方多渠道筹集房源"  # L334 (NFKC comma)
    econ = indicator(yueyang, "附件2", "1.收取租金130万元")  # L393
    assert (econ["level1"], econ["level1_weight"], econ["level2"]) == ("效益指标", 30, "经济效益指标")  # L387-392
    sat = indicator(yueyang, "附件2", "获租住人们满意")  # L457
    assert (sat["level1"], sat["level1_weight"]) == ("满意度指标", 10)  # L453-455


def test_yueyang_project_indicators(yueyang) -> None:
    cost = indicator(yueyang, "附件3-2", "严格按预算控制各项维修维护支出")  # L851
    assert cost["project"] == "非税收入执收成本" and cost["scope"] == "project"
    assert (cost["level1"], cost["level2"]) == ("产出指标", "成本指标")  # L797 filled down, L850
    assert (cost["target_text"], cost["actual_text"]) == ("26万元以内", "116.29万")  # L852, L853
    assert (cost["target_value"], cost["comparator"], cost["actual_value"]) == (26, "<=", 116.29)
    # "万元" and "万" are the same unit: a <= target overspent, completion = 26 / 116.29.
    assert cost["completion"] == pytest.approx(26 / 116.29)
    assert cost["deviation_note"] == "非税超收返还"  # L856
    # L592 ends with a stray tab; the row still reads name / target / actual / 分值 / 得分.
    q = indicator(yueyang, "附件3-1", "验收后确保城区南湖公园")  # L592
    assert q["target_text"] == "1、无明显蚁害现象\n2、不出现重复蚁"  # L593-594
    assert (q["actual_text"], q["weight"], q["score"]) == ("100%", 5, 5)  # L595-597
    assert len([r for r in yueyang.rows["indicators"] if r["table"] == "附件3-1"]) == 14  # L562 … L701


def test_yueyang_sangong_and_staff(yueyang) -> None:
    assert sangong(yueyang) == {
        ("total", "prior_year_actual"): 6,  # L113 (2022年决算数, L108)
        ("total", "budget_initial"): 6,  # L114 (2023年预算数, L109)
        ("total", "actual"): 4.13,  # L115 (2023年决算数, L110)
        ("vehicle_operation", "prior_year_actual"): 6,  # L128
        ("vehicle_operation", "budget_initial"): 6,  # L129
        ("vehicle_operation", "actual"): 4.13,  # L130
        # 公务用车购置和维护 (L117), 公车购置 (L122), 出国 (L132), 公务接待 (L137): blank, no rows
    }
    assert yueyang.staff_count == 73  # L104 under 2023年实际在职人数 (L99)


# --- 汨罗 -------------------------------------------------------------------------------


def test_miluo_projects(miluo) -> None:
    assert [r["table"] for r in miluo.rows["projects"] if r["scope"] == "project"] == [f"附件3-{i}" for i in range(1, 15)]
    p = project(miluo, "工作经费")  # L3525
    assert (p["budget_initial"], p["budget_adjusted"], p["actual"]) == (325, 334.74, 334.74)  # L3547-3549
    assert p["stated_execution_rate"] == 1.0  # L3551
    assert (p["max_score"], p["score"]) == (100, 99.5)  # L3885, L3886
    p = project(miluo, "帮代办工作经费")  # L493
    assert (p["budget_adjusted"], p["actual"], p["score"]) == (45, 45, 99)  # L516, L517, L702 "　99"
    assert p["stated_execution_rate"] == 1.0  # L519 "100％" (full-width)


def test_miluo_table_without_blank_line_after_title(miluo) -> None:
    # L2798 title, L2799 the first cell at once.
    p = project(miluo, "汨罗市城建档案馆电子化库房建设和库房九防费用")  # L2800
    assert p["table"] == "附件3-11"
    assert (p["budget_initial"], p["budget_adjusted"], p["actual"]) == (5, 5, 5)  # L2819-2821
    assert (p["max_score"], p["score"]) == (100, 99)  # L3075, L3076


def test_miluo_unprinted_total_score_is_null(miluo) -> None:
    p = project(miluo, "招投标监督管理专项")  # L3322
    assert p["max_score"] == 100 and p["score"] is None  # L3511 100, L3512 blank


def test_miluo_total_row_followed_by_footer(miluo) -> None:
    # 3-11: L3076 "99", then 备注 (L3080) and 填表人 (L3081) with no blank between them.
    assert project(miluo, "质量安全监督管专项")["table"] == "附件3-12"  # L3084, L3088
    assert project(miluo, "质量安全监督管专项")["score"] == 100  # L3308


def test_miluo_placeholder_rows_are_not_indicators(miluo) -> None:
    rows = [r for r in miluo.rows["indicators"] if r["table"] == "附件3-1"]
    # 3-1 prints 12 indicator rows; 社会成本 (L586), 生态环境成本 (L596), 生态效益 (L671) are all 无.
    assert len(rows) == 9
    assert all(r["name"] != "无" for r in miluo.rows["indicators"])
    assert not [r for r in rows if r["level2"] in ("社会成本指标", "生态环境成本指标", "生态效益指标")]


def test_miluo_blank_lines_inside_cells_and_rows(miluo) -> None:
    first = indicator(miluo, "附件2", "1. 核发施工许可证。")  # L302
    assert (first["level1"], first["level1_weight"], first["level2"]) == ("产出指标", 30, "数量指标")  # L296-301
    assert (first["weight"], first["score"]) == (10, 10)  # L335, L336 after the blank L334
    social = indicator(miluo, "附件2", "1.提高建筑市场管理监督")  # L386
    assert social["actual_text"] == "完成"  # L396 "\t", L397-399 blank, L400 "完成"
    assert (social["weight"], social["score"]) == (10, 10)  # L401, L402
    late = indicator(miluo, "附件3-14", "在建项目劳务实名制")  # L3755, blank L3752 inside its row
    assert (late["level1"], late["level2"]) == ("产出指标", "质量指标")  # L3601, L3693
    assert (late["target_text"], late["weight"], late["score"]) == ("全覆盖", 1, 1)  # L3756, L3758, L3759


def test_miluo_indicator_values(miluo) -> None:
    r = indicator(miluo, "附件3-14", "办理项目竣工验收率")  # L3654
    assert (r["target_value"], r["actual_value"], r["unit"]) == (60, 27, "个")  # L3655, L3656
    assert (r["weight"], r["score"]) == (1, 0.5)  # L3657, L3658
    assert "全年只有27个项目" in r["deviation_note"]  # L3659
    r = indicator(miluo, "附件3-8", "群众满意度")  # L2142
    assert (r["comparator"], r["target_value"], r["completion"]) == (">=", 95, 1.0)  # L2143 ">=95%", L2144
    r = indicator(miluo, "附件3-2", "按计划时间完成")  # L810: a period, not a quantity
    assert r["target_text"] == "2023年1-12月" and r["target_value"] is None


def test_miluo_sangong_and_staff(miluo) -> None:
    got = sangong(miluo)
    assert got[("total", "prior_year_actual")] == 18.1  # L22
    assert got[("total", "budget_initial")] == 21.8  # L23
    assert got[("total", "actual")] == 7.9  # L24
    # 公务用车购置和维护经费: only the 2023年预算数 is printed (L27 blank, L28 "0", L29 blank).
    assert {m for (item, m) in got if item == "vehicle_total"} == {"budget_initial"}
    assert got[("vehicle_total", "budget_initial")] == 0
    assert got[("vehicle_operation", "prior_year_actual")] == 6  # L37 "6.00"
    assert got[("official_reception", "actual")] == 4.8  # L49
    assert got[("outbound_travel", "actual")] == 0  # L44 "0" is printed
    assert miluo.staff_count == 188  # L13 under "2023年实际在职 人数" (L8)


# --- Perturbations: change a figure in a copy, the output follows ------------------------


def test_perturbed_project_funds_follow(tmp_path) -> None:
    ex = load_changed(tmp_path, YUEYANG, "年度资金总额　\n\t26\n\t26\n\t116.29", "年度资金总额　\n\t26\n\t30\n\t126.29")
    p = project(ex, "非税收入执收成本")
    assert (p["budget_adjusted"], p["actual"]) == (30, 126.29)
    assert p["execution_rate"] == pytest.approx(126.29 / 30)


def test_perturbed_indicator_follows(tmp_path) -> None:
    ex = load_changed(tmp_path, YUEYANG, "\t1.63亿元", "\t1.8亿元")
    r = indicator(ex, "附件2", "2.物业维修资金归集")
    assert r["actual_value"] == 1.8 and r["completion"] == pytest.approx(1.8)


def test_perturbed_sangong_follows_and_blank_gives_no_row(tmp_path) -> None:
    ex = load_changed(tmp_path, MILUO, "\t3、公务接待\n\t12.1\n\t18.8\n\t4.8", "\t3、公务接待\n\t12.1\n\t\n\t5.3")
    got = sangong(ex)
    assert got[("official_reception", "actual")] == 5.3
    assert ("official_reception", "budget_initial") not in got


def test_perturbed_total_score_follows(tmp_path) -> None:
    ex = load_changed(tmp_path, MILUO, "\t总分\n\t100\n\t99.5", "\t总分\n\t100\n\t88.5")
    assert project(ex, "工作经费")["score"] == 88.5


def test_years_are_read_from_the_header(tmp_path) -> None:
    # A header naming other years than the document's gives no phase: nothing is guessed.
    ex = load_changed(tmp_path, YUEYANG, "\t2022年决算数\n", "\t2019年决算数\n")
    assert ("total", "prior_year_actual") not in sangong(ex)
    assert sangong(ex)[("total", "actual")] == 4.13


def test_documents_without_these_tables_get_nothing() -> None:
    for seed in ("hanyang", "urumqi", "handan"):
        source = read_source(SEEDS[seed])
        ex = Extraction()
        perf_cells.extract(source, detect(source), ex)
        assert not ex.rows and ex.staff_count is None, seed


def test_copy_is_parsed_the_same(tmp_path) -> None:
    copy = tmp_path / "renamed.txt"
    shutil.copy(MILUO, copy)
    assert len(load_document(copy).extraction.rows["projects"]) == 15  # 附件2 + 14 projects


# --- 部门整体支出绩效自评表 (附件2): the department's own result ---------------------------


def test_yueyang_department_result(yueyang) -> None:
    d = project(yueyang, "岳阳市住房保障服务中心", scope="department")  # L235 (部门名称, L234)
    assert d["table"] == "附件2"  # L232
    assert (d["budget_initial"], d["budget_adjusted"], d["actual"]) == (1380.68, 3216.47, 3197.46)  # L250-252
    assert (d["execution_weight"], d["execution_score"]) == (10, 9.94)  # L253, L255
    assert d["stated_execution_rate"] == pytest.approx(0.9941)  # L254 99.41%
    assert d["execution_rate"] == pytest.approx(3197.46 / 3216.47)
    assert (d["max_score"], d["score"]) == (100, 97.94)  # L464 总分, L465, L466
    assert d["source_ref"] == "L252"
    assert [r["scope"] for r in yueyang.rows["projects"]].count("department") == 1


def test_miluo_department_result(miluo) -> None:
    d = project(miluo, "汨罗市住建系统", scope="department")  # L220 (预算部门 名称, L219)
    assert d["table"] == "附件2"  # L216
    assert (d["budget_initial"], d["budget_adjusted"], d["actual"]) == (2674.4, 17477.59, 17477.59)  # L234-236
    assert d["stated_execution_rate"] == 1.0  # L238 100%
    assert (d["execution_weight"], d["execution_score"]) == (10, 10)  # L237, L239
    assert (d["max_score"], d["score"]) == (100, 99)  # L479 总分, L480, L481


def test_perturbed_department_result_follows(tmp_path) -> None:
    ex = load_changed(tmp_path, MILUO, "\t年度资金总额\n\t2674.4\n\t17477.59\n\t17477.59", "\t年度资金总额\n\t2674.4\n\t18000\n\t17000")
    d = project(ex, "汨罗市住建系统", scope="department")
    assert (d["budget_adjusted"], d["actual"]) == (18000, 17000)
    assert d["execution_rate"] == pytest.approx(17000 / 18000)


def test_department_table_without_funds_or_score_gives_no_row(tmp_path) -> None:
    text = YUEYANG.read_text(encoding="utf-8")
    for old in ("\t1380.68\n", "\t3216.47\n", "\t3197.46\n", "\t99.41%\n", "\t97.94\n"):
        assert text.count(old) == 1, old
        text = text.replace(old, "\t\n")
    text = text.replace("\t总分\n\t100\n\t\n", "\t总分\n\t\n\t\n", 1)
    copy = tmp_path / YUEYANG.name
    copy.write_text(text, encoding="utf-8")
    ex = load_document(copy).extraction
    assert not [r for r in ex.rows["projects"] if r["scope"] == "department"]
    assert len([r for r in ex.rows["indicators"] if r["scope"] == "department"]) == 15  # still read


# --- Numbered lists in one indicator row ("1、…2、…") ------------------------------------


def test_miluo_lists_that_do_not_line_up_stay_one_indicator(miluo) -> None:
    # L302-311: ten 三级指标, L312-322 eleven targets, L323-333 eleven actuals, one 分值 (L335).
    r = indicator(miluo, "附件2", "1. 核发施工许可证。")
    assert (r["weight"], r["score"]) == (10, 10)  # L335, L336
    assert any("附件2 L302" in w and "line up" in w for w in miluo.warnings)
    # L342 "l.保证…" (a letter l) and targets numbered 1, 2, 4, 5 (L347-350): not a list.
    assert any("附件2 L342" in w for w in miluo.warnings)


LISTED_ROW = "\t持续影响\n\t良好\n\t10\n\t10"  # 附件2 L427-430, under the two-item name L425-426


def test_lists_that_line_up_are_split(tmp_path) -> None:
    ex = load_changed(tmp_path, MILUO, LISTED_ROW, "\t1.≥95%\n2.≥90%\n\t1.98%\n2.80%\n\t1.6\n2.4\n\t1.6\n2.3")
    first = indicator(ex, "附件2", "建筑市场平稳有序发展")
    second = indicator(ex, "附件2", "住房保障系统持续完善")
    assert (first["target_value"], first["actual_value"], first["weight"], first["score"]) == (95, 98, 6, 6)
    assert (second["target_value"], second["actual_value"], second["weight"], second["score"]) == (90, 80, 4, 3)
    assert second["completion"] == pytest.approx(80 / 90)
    assert first["level2"] == second["level2"] == "可持续影响指标"
    assert not any("L425" in w for w in ex.warnings)


def test_lists_with_one_score_for_all_items_stay_one(tmp_path) -> None:
    ex = load_changed(tmp_path, MILUO, LISTED_ROW, "\t1.≥95%\n2.≥90%\n\t1.98%\n2.80%\n\t10\n\t10")
    r = indicator(ex, "附件2", "1. 建筑市场平稳有序发展")
    assert (r["weight"], r["score"]) == (10, 10)
    assert any("L425" in w and "line up" in w for w in ex.warnings)


# --- Points printed next to placeholder values are kept -----------------------------------


def test_points_kept_when_target_and_actual_are_placeholders(tmp_path) -> None:
    # L627-632: 无直接经济效益 / 不适用 / 不适用 / blank 分值 / blank 得分 → give it 5 and 4.
    ex = load_changed(tmp_path, YUEYANG, "\t无直接经济效益\n\t不适用　\n\t　不适用\n\t\n\t\n", "\t无直接经济效益\n\t不适用　\n\t　不适用\n\t5\n\t4\n")
    r = indicator(ex, "附件3-1", "无直接经济效益")
    assert (r["target_value"], r["actual_value"], r["completion"], r["weight"], r["score"]) == (None, None, None, 5, 4)


def test_points_on_a_placeholder_row_are_kept(tmp_path) -> None:
    # 附件3-1 L585-590: 社会成本指标 / 无 ×5. With points printed, the row is kept under its 二级指标.
    text = MILUO.read_text(encoding="utf-8")
    old = "\t社会成本指标\n\t无\n\t无\n\t无\n\t无\n\t无"
    copy = tmp_path / MILUO.name
    copy.write_text(text.replace(old, "\t社会成本指标\n\t无\n\t无\n\t无\n\t5\n\t5", 1), encoding="utf-8")
    ex = load_document(copy).extraction
    r = indicator(ex, "附件3-1", "社会成本指标")
    assert (r["level2"], r["weight"], r["score"], r["target_value"]) == ("社会成本指标", 5, 5, None)


def test_yueyang_project_called_operation_and_maintenance_is_not_sangong(yueyang) -> None:
    # L152 "2、运行维护经费" (a 项目支出 item: 1515 / 26 / 116.29, L153–L155) is no 三公 row, so
    # it stays a budget line: the basic-data table matches the spec's 三公 names, whose vehicle
    # items need 公务用车/公车 (a 三公 table's bare 运行维护费 would take it)
    assert 116.29 not in sangong(yueyang).values()
    rows = {(r["breakdown"], r["measure"]): r["amount"] for r in yueyang.rows["budget_lines"] if r["item"] == "运行维护经费"}
    assert rows == {("project", "prior_year_actual"): 1515, ("project", "budget_initial"): 26, ("project", "actual"): 116.29}
