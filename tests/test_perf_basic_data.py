"""The 绩效自评 basic-data table (附件1) and the department's 年度资金总额 as budget_lines.

Every expectation was read by hand from the seed text; the comment gives the line(s).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders.build import load_document
from tests.conftest import SEEDS, loaded_seed

BASIC = "2023年度部门整体支出绩效评价基础数据表"
DEPT = "2023年度部门整体支出绩效自评表"


@pytest.fixture(scope="module")
def yueyang():
    return loaded_seed("yueyang").extraction


@pytest.fixture(scope="module")
def miluo():
    return loaded_seed("miluo").extraction


def lines(ex, table: str = BASIC) -> list[dict]:
    return [r for r in ex.rows["budget_lines"] if r.get("origin") == "attachment" and r["table"] == table]


def figures(ex, item: str, table: str = BASIC) -> dict[str, tuple[float, str]]:
    rows = [r for r in lines(ex, table) if r["item"] == item]
    out = {r["measure"]: (r["amount"], r["source_ref"]) for r in rows}
    assert len(out) == len(rows), rows  # one row per printed figure
    return out


def test_yueyang_basic_data(yueyang):
    # L107-110: 经费控制情况（万元） | 2022年决算数 | 2023年预算数 | 2023年决算数
    # L142-145 项目支出： 5573 / 173 / 1874.05
    assert figures(yueyang, "项目支出") == {
        "prior_year_actual": (5573, "L143"), "budget_initial": (173, "L144"), "actual": (1874.05, "L145")}
    # L147-150 1、业务工作经费 283 / 147 / 146.86, a part of 项目支出
    assert figures(yueyang, "业务工作经费")["actual"] == (146.86, "L150")
    # L157-160 3、市级专项资金: blank, no row; L162-165 保障房建设资金 3638 / 0 / 1500 under it (0 printed)
    assert figures(yueyang, "市级专项资金") == {}
    row = next(r for r in lines(yueyang) if r["item"] == "保障房建设资金" and r["measure"] == "budget_initial")
    assert (row["amount"], row["parent"], row["level"], row["breakdown"]) == (0, "市级专项资金", None, "project")
    # L167-175 老旧小区配套改造 137/0/32.81, 工作经费及其他资金 0/0/78.09: also under 3、
    assert figures(yueyang, "工作经费及其他资金")["actual"] == (78.09, "L175")
    # L177-180 公用经费 252.83 / 117.89 / 138.21 (level 0, breakdown public)
    assert figures(yueyang, "公用经费") == {
        "prior_year_actual": (252.83, "L178"), "budget_initial": (117.89, "L179"), "actual": (138.21, "L180")}
    # L182-185 其中：办公经费 35.84 / 20.25 / 49.24; L187-190 水费、电费、差旅费 17.36 / 20.77 / 24.49
    assert figures(yueyang, "办公经费")["prior_year_actual"] == (35.84, "L183")
    assert figures(yueyang, "水费、电费、差旅费")["budget_initial"] == (20.77, "L189")
    # L192-195 会议费、培训费: full-width blanks, no row
    assert figures(yueyang, "会议费、培训费") == {}
    # L197-200 政府采购金额 —— / 290.89 / 341.98: the dash is no figure
    assert figures(yueyang, "政府采购金额") == {"budget_initial": (290.89, "L199"), "actual": (341.98, "L200")}
    # L202-205 部门基本支出预算调整 —— / 1342.29 / 1323.41
    assert figures(yueyang, "部门基本支出预算调整") == {"budget_initial": (1342.29, "L204"), "actual": (1323.41, "L205")}
    totals = {(r["item"], r["breakdown"]) for r in lines(yueyang) if r["level"] == 0}
    assert totals == {("项目支出", "project"), ("公用经费", "public"), ("政府采购金额", "procurement"),
                      ("部门基本支出预算调整", "basic")}
    # The 三公 rows of the block stay in sangong only.
    assert not [r for r in lines(yueyang) if "公车" in r["item"] or "三公" in r["item"]]
    assert len(lines(yueyang)) == 31


def test_yueyang_overall_funds(yueyang):
    # L249-252 年度资金总额 1380.68 / 3216.47 / 3197.46 under 年初预算数 / 全年预算数 / 全年执行数
    assert figures(yueyang, "年度资金总额", DEPT) == {
        "budget_initial": (1380.68, "L250"), "budget_adjusted": (3216.47, "L251"), "actual": (3197.46, "L252")}
    row = lines(yueyang, DEPT)[0]
    assert (row["level"], row["breakdown"], row["unit_as_printed"]) == (0, "total", "万元")


def test_miluo_basic_data(miluo):
    # L51-54 项目支出： and L56-64 1、业务工作经费 / 2、运行维护经费: all blank, no rows
    assert figures(miluo, "项目支出") == figures(miluo, "业务工作经费") == {}
    # L66-69 3、县级专项资金 689.51 / 309.88 / 644.62
    assert figures(miluo, "县级专项资金")["budget_initial"] == (309.88, "L68")
    # L76-79 质量安全监督管理专项: 2022 blank, 5, 5
    assert figures(miluo, "质量安全监督管理专项") == {"budget_initial": (5, "L78"), "actual": (5, "L79")}
    # L86-89 工作经费: only 2023年决算数 334.74; L91-94 智慧平台服务费及专用检测费: only 2022 12.52
    assert figures(miluo, "工作经费") == {"actual": (334.74, "L89")}
    assert figures(miluo, "智慧平台服务费及专用检测费") == {"prior_year_actual": (12.52, "L92")}
    assert next(r for r in lines(miluo) if r["item"] == "施工图审查")["parent"] == "县级专项资金"  # L121
    # L146-149 公用经费 3460.63 / 283.7 / 297.69; L161-164 会议费、培训费 24.85 / 18.8 / 12.63 (not 三公)
    assert figures(miluo, "公用经费")["actual"] == (297.69, "L149")
    assert figures(miluo, "会议费、培训费")["actual"] == (12.63, "L164")
    # L166-169 政府采购金额 11453.56 / 661.13 / 848.58
    assert figures(miluo, "政府采购金额")["prior_year_actual"] == (11453.56, "L167")
    # L171-174 部门基本支出预算调整: blank, no row
    assert figures(miluo, "部门基本支出预算调整") == {}
    # L233-236 年度资金总额 2674.4 / 17477.59 / 17477.59
    assert figures(miluo, "年度资金总额", DEPT)["budget_adjusted"] == (17477.59, "L235")


def _copy_with(tmp_path: Path, old: str, new: str) -> Path:
    text = SEEDS["yueyang"].read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path = tmp_path / SEEDS["yueyang"].name
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_perturbed_figure_follows(tmp_path):
    ex = load_document(_copy_with(tmp_path, "\t35.84\n", "\t36.84\n")).extraction  # L183
    assert figures(ex, "办公经费")["prior_year_actual"] == (36.84, "L183")


def test_blank_cell_is_no_row(tmp_path):
    ex = load_document(_copy_with(tmp_path, "\t5573\n", "\t\n")).extraction  # L143
    assert set(figures(ex, "项目支出")) == {"budget_initial", "actual"}


def test_heading_without_phase_gives_no_row(tmp_path):
    ex = load_document(_copy_with(tmp_path, "2022年决算数", "2022年数")).extraction  # L108
    assert not [r for r in lines(ex) if r["measure"] == "prior_year_actual"]
    assert any("2022年数" in w and "not read" in w for w in ex.warnings)
    assert figures(ex, "项目支出")["actual"] == (1874.05, "L145")


def test_budget_documents_get_no_overall_funds():
    # 乌鲁木齐's 决算 carries a 部门整体 自评表 with 年度总资金; its own tables give the totals.
    ex = load_document(SEEDS["urumqi"]).extraction
    assert not [r for r in ex.rows["budget_lines"] if r.get("origin") == "attachment"]
