"""Facts stated in prose: golden values per seed (checked by hand against the text),
perturbations (the output follows the document), and the traps of prose figures."""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders.build import load_document
from loaders.extraction import DocumentMeta, Extraction
from loaders.families.narrative import extract, stated_rates
from loaders.identity.entities import REGISTRY
from loaders.readers.source import Source, lines_from_text

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"
URUMQI = RAW / "urumqi-housing-2023-final-accounts.txt"
HANYANG = RAW / "wuhan-hanyang-housing-2023-final-accounts.txt"
HANDAN = RAW / "handan-housing-2022-budget.txt"
YUEYANG = RAW / "yueyang-housing-security-2023-performance-self-eval.txt"
MILUO = RAW / "miluo-housing-2023-performance-self-eval.txt"


def _lines(ex: Extraction) -> dict[tuple[str, str], list[tuple[float, str]]]:
    out: dict[tuple[str, str], list[tuple[float, str]]] = {}
    for r in ex.rows.get("budget_lines", []):
        if r["table"] == "narrative" and r.get("origin") != "derived":  # printed, not derived
            out.setdefault((r["item"], r["measure"]), []).append((r["amount"], r["source_ref"]))
    return out


def _sangong(ex: Extraction) -> dict[tuple[str, str], tuple[float, str]]:
    """三公 figures the prose printed: kept rows, or repeats of a table's row."""
    printed = [*ex.rows.get("sangong", []), *(r.second for r in ex.repeats if r.dataset == "sangong")]
    first: dict[tuple[str, str], tuple[float, str]] = {}
    for r in printed:
        if r.get("origin") == "narrative":
            first.setdefault((r["item"], r["measure"]), (r["amount"], r["source_ref"]))
    return first


def _counts(ex: Extraction) -> dict[tuple[str, str], float]:
    return {(r["item"], r["what"]): r["count"] for r in ex.rows.get("sangong_counts", [])}


def _run(text: str, doc_kind: str = "final_accounts", year: int = 2023) -> Extraction:
    source = Source(Path("t.txt"), "txt", "0", lines_from_text(text))
    meta = DocumentMeta(doc_kind, "department", REGISTRY[1], year, "t")
    ex = Extraction()
    extract(source, meta, ex)
    return ex


@pytest.fixture(scope="module")
def urumqi():
    return load_document(URUMQI).extraction


def test_urumqi_headline_totals(urumqi):
    got = _lines(urumqi)
    # L98: 2023 年度收入总计 637,229.42 万元，其中：本年收入合计 636,952.54 万元
    assert got[("收入总计", "actual")] == [(637229.42, "L98")]
    assert got[("本年收入合计", "actual")] == [(636952.54, "L98")]
    # L100: 本年支出合计 636,847.14 万元 … 年末结转和结余 382.28 万元
    assert got[("本年支出合计", "actual")] == [(636847.14, "L100")]
    assert got[("年末结转和结余", "actual")] == [(382.28, "L100")]
    # L110: 其中：基本支出 4,669.66 万元 …；项目支出 632,177.48 万元
    assert got[("基本支出", "actual")] == [(4669.66, "L110")]
    assert got[("项目支出", "actual")] == [(632177.48, "L110")]
    # L126: 一般公共预算财政拨款支出 507,109.93 万元 … 与年初预算相比，年初预算数 6,862.79 万元
    assert got[("一般公共预算财政拨款支出", "actual")] == [(507109.93, "L126")]
    assert got[("一般公共预算财政拨款支出", "budget_initial")] == [(6862.79, "L126")]
    # L168: 一般公共预算财政拨款基本支出 4,617.45 万元，其中：人员经费 4,213.97 万元
    assert got[("一般公共预算财政拨款基本支出", "actual")] == [(4617.45, "L168")]
    assert got[("人员经费", "actual")] == [(4213.97, "L168")]
    # L231: …机关运行经费支出 150.12 万元,比上年增加 28.81 万元
    assert got[("机关运行经费支出", "actual")] == [(150.12, "L231")]
    # L237: 政府采购支出总额 459.93 万元,其中:政府采购货物支出 147.81 万元
    assert got[("政府采购支出总额", "actual")] == [(459.93, "L237")]
    assert got[("政府采购货物支出", "actual")] == [(147.81, "L237")]
    # L192: 政府性基金…收入总计 129,100.00 万元，其中：…本年收入 129,100.00 万元 (qualified)
    assert got[("政府性基金预算财政拨款本年收入", "actual")] == [(129100.0, "L192")]
    assert ("本年收入", "actual") in got and got[("本年收入", "actual")] == [(636952.54, "L106")]


def test_urumqi_function_classes_from_prose(urumqi):
    rows = {(r["item"], r["level"]): (r["amount"], r["source_ref"])
            for r in urumqi.rows["budget_lines"] if r["table"] == "narrative" and r["level"]
            and r.get("origin") != "derived"}
    # L132: 1. 社会保障和就业支出(类)587.27 万元,占 0.12%。
    assert rows[("社会保障和就业支出", 1)] == (587.27, "L132")
    # L138: …行政单位离退休(项):支出决算数为 36.61 万元,比上年决算增加 13.80 万元
    assert rows[("行政单位离退休", 3)] == (36.61, "L138")
    # L150-152: …行政运行(项):支出决算数为1,192.15万元,比上年决算减少47.05 / 万元
    assert rows[("行政运行", 3)] == (1192.15, "L150")
    # L198-201: hard-wrapped over four lines; the figure is on L201
    assert rows[("其他地方自行试点项目收益专项债券收入安排的支出", 3)] == (129100.0, "L201")
    # no change against last year is ever a level: 13.80 (L138), 47.05 (L150)
    amounts = {a for a, _ in rows.values()}
    assert not amounts & {13.80, 47.05, 13.53, 206749.59}


def test_urumqi_sangong_counts_staff(urumqi):
    sg = _sangong(urumqi)
    # L176: 财政拨款“三公”经费支出 25.39 万元，比上年减少 19.69 万元
    assert sg[("total", "actual")] == (25.39, "L176")
    # L186: …全年预算数 25.60 万元，决算数 25.39 万元; 公务用车运行费全年预算数 25.60 万元
    assert sg[("total", "budget_adjusted")] == (25.6, "L186")
    assert sg[("vehicle_operation", "budget_adjusted")] == (25.6, "L186")
    # L182: 公务用车购置费 0.00 万元，公务用车运行维护费 25.39 万元
    assert sg[("vehicle_purchase", "actual")] == (0.0, "L182")
    counts = _counts(urumqi)
    # L182: 公务用车购置数 0 辆，公务用车保有量 17 辆 (not the 17 固定资产车辆 after it)
    assert counts[("vehicle_total", "vehicles")] == 17
    assert counts[("vehicle_purchase", "vehicles")] == 0
    # L180: 团组 0 个，因公出国（境）0 人次; L184: 国内公务接待 0 批次，0 人次
    assert counts[("outbound_travel", "groups")] == 0
    assert counts[("official_reception", "batches")] == 0
    assert counts[("official_reception", "persons")] == 0
    # L74: 实有人数359人，其中：在职人员242人
    assert urumqi.staff_count == 242


def test_urumqi_stated_rates():
    rates: dict = {}
    for r in stated_rates(load_document(URUMQI).source):
        rates.setdefault((r.source_ref, r.label), r)  # the first printed on that line
    # L126-128: 年初预算数 6,862.79 万元，决算数 507,109.93 万元，预决算差异率 / 7,289.27%
    r = rates[("L128", "预决算差异率")]
    assert (r.kind, r.stated, r.numerator, r.denominator) == ("difference", 72.8927, 507109.93, 6862.79)
    # L106: 本年收入 636,952.54 万元，其中：财政拨款收入 636,235.98 万元，占 99.89%
    r = rates[("L106", "占")]
    assert (r.kind, r.stated, r.numerator, r.denominator) == ("share", 0.9989, 636235.98, 636952.54)
    # L126: …占本年支出合计的 79.63% (本年支出合计 636,847.14 万元, L100)
    r = rates[("L126", "占本年支出合计的")]
    assert (r.numerator, r.denominator) == (507109.93, 636847.14)
    # L152: 比上年决算减少47.05 / 万元，下降 3.80%
    r = rates[("L152", "下降")]
    assert (r.kind, r.stated, r.numerator, r.denominator) == ("growth", -0.038, -47.05, 1192.15)


def test_hanyang_prose():
    ex = load_document(HANYANG).extraction
    got = _lines(ex)
    # L417: 2023年度收、支总计21,488.85万元。与2022年度相比，…各增加1386.81万元，增长6.4%
    assert got[("收、支总计", "actual")] == [(21488.85, "L417")]
    # L479: 一般公共预算财政拨款支出年初预算为 4726.73 万元，支出决算为 21,488.85 万元
    assert got[("一般公共预算财政拨款支出", "budget_initial")] == [(4726.73, "L479")]
    # L489: 住房保障支出(类)支出年初预算为940.79万元，决算支出18621.92万元
    assert got[("住房保障支出", "budget_initial")] == [(940.79, "L489")]
    assert (18621.92, "L489") in got[("住房保障支出", "actual")]
    # L493/495: label on L493, figure on L495: 基本支出 / 1,447.75万元，其中：人员经费1,407.09万元
    assert got[("一般公共预算财政拨款基本支出", "actual")] == [(1447.75, "L495")]
    # L1396: 年初部门预算数为4726.73万元，调整预算数为21488.85万元，预算执行数21488.85万元
    assert got[("部门预算", "budget_initial")] == [(4726.73, "L1396")]
    assert got[("部门预算", "budget_adjusted")] == [(21488.85, "L1396")]
    assert got[("部门预算", "actual")] == [(21488.85, "L1396")]
    # changes are never levels: 1386.81 (L417, L426, L450 …)
    assert all(a != 1386.81 for rows in got.values() for a, _ in rows)
    # L1616: 公用经费预算数为 54.4 万元 — 预算数 alone in an account: phase unknown, no row
    assert all(a != 54.4 for rows in got.values() for a, _ in rows)
    sg = _sangong(ex)
    # L513: “三公”经费财政拨款支出全年预算为2.11万元，支出决算为2.11万元
    assert sg[("total", "budget_adjusted")] == (2.11, "L513")
    assert sg[("total", "actual")] == (2.11, "L513")
    # L1622: 2022 年“三公经费”预算数 3 万元
    assert sg[("total", "prior_year_budget")] == (3.0, "L1622")
    # L521: 开支财政拨款的公务用车保有量2辆
    assert _counts(ex)[("vehicle_total", "vehicles")] == 2
    assert ex.staff_count == 51  # L71: 在职实有人数51人
    rates = {}
    for r in stated_rates(load_document(HANYANG).source):
        rates.setdefault((r.source_ref, r.label), r)
    # L450: 增长6.4%% (doubled percent sign)
    assert rates[("L450", "增长")].stated == 0.064
    # L479: 完成年初预算的 454%
    r = rates[("L479", "完成年初预算的")]
    assert (r.kind, r.stated, r.numerator, r.denominator) == ("completion", 4.54, 21488.85, 4726.73)


def test_handan_budget_prose():
    ex = load_document(HANDAN).extraction
    got = _lines(ex)
    # L446: 2022年预算收入**86991.86**万元，其中：一般公共预算收入**53440.88**万元，基金预算收入**32000**万元
    assert got[("预算收入", "budget_initial")] == [(86991.86, "L446")]
    assert got[("基金预算收入", "budget_initial")] == [(32000.0, "L446")]
    # L450: 其中基本支出**1965**万元，包括人员经费**1813.48**万元和日常公用经费**151.52**万元；项目支出**85026.86**万元
    assert got[("基本支出", "budget_initial")] == [(1965.0, "L450")]
    assert got[("日常公用经费", "budget_initial")] == [(151.52, "L450")]
    assert got[("项目支出", "budget_initial")] == [(85026.86, "L450")]
    # L454: 较2021年预算增加**18512.38**万元 … 基本支出减少**112.19**万元 — changes, no rows
    assert all(a not in (18512.38, 112.19, 18624.57, 0.37) for rows in got.values() for a, _ in rows)
    assert {m for _, m in got} == {"budget_initial"}
    # L462: 公务用车购置费为**0**万元 (the table carries the others; prose repeats them)
    assert _sangong(ex)[("vehicle_purchase", "budget_initial")] == (0.0, "L462")


def test_performance_reports_prose():
    ex = load_document(YUEYANG).extraction
    # L47: 公务用车运行维护费支出4.13万元，未超出年初预算6万元
    sg = _sangong(ex)
    assert sg[("vehicle_operation", "actual")] == (4.13, "L47")
    assert sg[("vehicle_operation", "budget_initial")] == (6.0, "L47")
    # L46: 其中人员支出1185.2万元
    assert _lines(ex)[("人员支出", "actual")] == [(1185.2, "L46")]
    assert ex.staff_count == 73  # L41: 全额事业编制75人，实有73人
    got = _lines(load_document(MILUO).extraction)
    # L3926-3927: 2023年度基本支出2352.1万元，其中： / 人员经费1795.52万元
    assert got[("基本支出", "actual")] == [(2352.1, "L3926")]
    assert got[("人员经费", "actual")] == [(1795.52, "L3927")]
    # L3934: 政府性基金预算财政拨款收入1219.91万元，其中汨罗市…本级88.96万元 (no label: no row)
    assert got[("政府性基金预算财政拨款收入", "actual")] == [(1219.91, "L3934")]
    assert all(a != 88.96 for rows in got.values() for a, _ in rows)


# --- the output follows the document ----------------------------------------------------


def _perturbed(tmp_path: Path, path: Path, old: str, new: str) -> Path:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    out = tmp_path / path.name
    out.write_text(text.replace(old, new), encoding="utf-8")
    return out


def test_perturbed_figures_follow(tmp_path):
    path = _perturbed(tmp_path, URUMQI, "政府采购支出总额 459.93 万元", "政府采购支出总额 512.34 万元")
    assert _lines(load_document(path).extraction)[("政府采购支出总额", "actual")] == [(512.34, "L237")]
    path = _perturbed(tmp_path, URUMQI, "公务用车保有量 17 辆", "公务用车保有量 23 辆")
    assert _counts(load_document(path).extraction)[("vehicle_total", "vehicles")] == 23
    path = _perturbed(tmp_path, URUMQI, "\n7,289.27%", "\n1,234.56%")
    rates = [r for r in stated_rates(load_document(path).source) if r.source_ref == "L128"]
    assert rates[0].stated == 12.3456


def test_perturbed_unit_converts(tmp_path):
    path = _perturbed(tmp_path, HANYANG, "政府采购支出总额198.47万元", "政府采购支出总额1984700元")
    assert _lines(load_document(path).extraction)[("政府采购支出总额", "actual")] == [(198.47, "L529")]


# --- traps, on small texts ---------------------------------------------------------------


def test_change_against_last_year_is_never_a_level():
    ex = _run("2023年度收入合计500.00万元，与2022年度相比，收入合计增加30.00万元，增长6.4%%。\n"
              "其中：基本支出减少12.00万元。")
    assert _lines(ex) == {("收入合计", "actual"): [(500.0, "L1")]}


def test_figure_two_lines_below_its_label_keeps_its_own_line():
    ex = _run("2023年度一般公共预算财政拨款基本支出\n\n1,447.75万元，其中：人员经费\n1,407.09万元。")
    got = _lines(ex)
    assert got[("一般公共预算财政拨款基本支出", "actual")] == [(1447.75, "L3")]
    assert got[("人员经费", "actual")] == [(1407.09, "L4")]


def test_phases_from_wording():
    ex = _run("财政拨款“三公”经费支出全年预算数 25.60 万元，决算数 25.39 万元。"
              "公务接待费年初预算 3.00 万元，上年决算数 2.00 万元。")
    sg = _sangong(ex)
    assert sg[("total", "budget_adjusted")][0] == 25.6
    assert sg[("total", "actual")][0] == 25.39
    assert sg[("official_reception", "budget_initial")][0] == 3.0
    assert sg[("official_reception", "prior_year_actual")][0] == 2.0


def test_budget_document_amounts_are_initial_budget_and_units_convert():
    ex = _run("2022年支出预算1.2亿元，其中基本支出5000000元。", doc_kind="budget", year=2022)
    got = _lines(ex)
    assert got[("支出预算", "budget_initial")] == [(12000.0, "L1")]
    assert got[("基本支出", "budget_initial")] == [(500.0, "L1")]
    assert {r["unit_as_printed"] for r in ex.rows["budget_lines"]} == {"亿元", "元"}


def test_unlabelled_or_foreign_items_give_no_row():
    # (事业单位)公用经费 is not the department's 公用经费; 固定资产原值 is not a budget line
    ex = _run("(事业单位)公用经费 253.36 万元。固定资产原值 22,415.73 万元。涉及预算资金 5.00 万元，执行数 4.00 万元。")
    assert _lines(ex) == {}


def test_stated_rate_doubled_percent_and_tail_line():
    text = "一般公共预算财政拨款支出年初预算为 100.00 万元，决算为 150.00 万元，预决算差异率\n\n50.00%%，主要原因是：追加。"
    source = Source(Path("t.txt"), "txt", "0", lines_from_text(text))
    meta = DocumentMeta("final_accounts", "department", REGISTRY[1], 2023, "t")
    [rate] = stated_rates(source, meta)
    assert (rate.kind, rate.stated, rate.numerator, rate.denominator, rate.source_ref) == (
        "difference", 0.5, 150.0, 100.0, "L3")


def test_comparison_with_the_initial_budget_in_a_paragraph_of_its_own():
    # Regression: 乌鲁木齐 L114 states 财政拨款收入总计 636,336.64; L116 (its own paragraph) only
    # changes; L118 (another paragraph): "与年初预算相比，年初预算数 531,862.79 万元，决算数
    # 636,336.64 万元" — the 年初预算 of that same total, which was lost.
    rows = load_document(URUMQI).extraction.rows["budget_lines"]
    got = [(r["item"], r["amount"]) for r in rows if r["source_ref"] == "L118" and r["measure"] == "budget_initial"]
    assert got == [("财政拨款收入总计", 531862.79)]


def test_vehicle_word_of_the_spec_reaches_prose():
    # putuo-wanli-2023-budget p29: "（二）、公务车购置及运行费21.56万元" — 公务车 is one of the
    # spec's vehicle words ([item_words]), so the narrative reads the vehicles' total
    ex = _run("（二）、公务车购置及运行费21.56万元，其中：公务用车购置费0万元。", "budget")
    assert _sangong(ex)[("vehicle_total", "budget_initial")][0] == 21.56
    # a project called 运行维护经费 is no 三公 item
    assert not _sangong(_run("2023年运行维护经费116.29万元。"))
