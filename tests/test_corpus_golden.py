"""Golden figures from the real disclosures in ../shared/corpus, one test set per layout.

Every expectation below was read by hand from the rendered page
(``pdftoppm -r 80 -f N -l N -png FILE /tmp/gold``), never from the loaders' output; the PDF page
(1-based, as pdftoppm counts) and what it prints stand beside each figure. Amounts are 万元;
Putuo's tables 1–8 print 元 and are written here as 元 / 10000.

The assertions state what the page prints without leaning on incidental choices (which title
string a row carries, whether a total comes from the table or the prose):
- a figure is expected among the rows of its breakdown / measure / level 0 in any table or the
  narrative, and no such row may contradict it (every one equals a figure printed for it);
- 三公 are compared per item at measure budget_initial; a blank cell is no row (a 0 printed only
  in the prose may appear as 0, never as anything else);
- a budget document prints no current-year actual or adjusted budget: no such rows.
The whole corpus and ../shared/pdfs are built once per module (skipped where absent).
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import ROOT, SHARED_PDFS

CORPUS = ROOT.parent / "shared" / "corpus"
TOL = 0.005  # 万元
YUAN = 1e-4  # 元 → 万元
TOTAL_LIKE = ("total", "basic", "project", "personnel", "public", "operating", "procurement",
              "meeting", "training")
NOT_IN_A_BUDGET = ("actual", "budget_adjusted")


# --- the build, once ----------------------------------------------------------------------


@dataclass
class Built:
    returncode: int | None
    stderr: str = field(repr=False)
    frames: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Built:
    if not CORPUS.exists():
        pytest.skip("../shared/corpus not present (the corpus lives beside the project, not in it)")
    sources = [CORPUS] + ([SHARED_PDFS] if SHARED_PDFS.exists() else [])
    prebuilt = os.environ.get("CORPUS_GOLDEN_OUT")  # check an existing build of the same sources
    if prebuilt:
        out, proc = Path(prebuilt), subprocess.CompletedProcess([], None, "", "")
    else:
        out = tmp_path_factory.mktemp("corpus_golden")
        proc = subprocess.run(
            [sys.executable, "-m", "loaders", "build", *map(str, sources), "--out", str(out), "-q"],
            cwd=ROOT, capture_output=True, text=True, timeout=600,
        )
    frames = {}
    for name in ("documents", "budget_lines", "sangong"):
        path = out / f"{name}.parquet"
        if path.exists():
            frames[name] = pd.read_parquet(path)
    if "documents" not in frames:
        pytest.fail(f"build wrote no documents (exit {proc.returncode}): {proc.stderr.strip()[-2000:]}")
    return Built(proc.returncode, proc.stderr, frames)


def corpus_file(name: str) -> Path:
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"../shared/corpus/{name} not present")
    return path


def document(built: Built, name: str) -> pd.Series:
    corpus_file(name)
    docs = built.frames["documents"]
    hit = docs[docs["source_file"].map(lambda p: Path(p).name) == name]
    if hit.empty:
        reason = [ln for ln in built.stderr.splitlines() if name in ln]
        pytest.fail(f"{name} did not load: {reason or built.stderr.strip()[-500:]}")
    assert len(hit) == 1, hit
    return hit.iloc[0]


def loaded_doc_ids(built: Built, names) -> list[str]:
    """doc_ids of those of the named files that loaded (a partner file's failure is its own test)."""
    docs = built.frames["documents"]
    return list(docs[docs["source_file"].map(lambda p: Path(p).name).isin(list(names))]["doc_id"])


def rows_of(built: Built, dataset: str, doc_ids) -> pd.DataFrame:
    frame = built.frames.get(dataset)
    if frame is None or frame.empty:
        return pd.DataFrame(columns=["doc_id", "item", "measure", "amount", "breakdown", "level", "code"])
    return frame[frame["doc_id"].isin(list(doc_ids))]


# --- assertions -----------------------------------------------------------------------------


def _close(a: float, b: float) -> bool:
    return abs(float(a) - float(b)) <= TOL


def level0(bl: pd.DataFrame, breakdown: str, measure: str = "budget_initial") -> list[float]:
    """Amounts of a breakdown's totals: level 0 (or no level and no code, as prose may give it)."""
    sel = bl[(bl["breakdown"] == breakdown) & (bl["measure"] == measure)]
    top = (sel["level"] == 0) | (sel["level"].isna() & sel["code"].isna())
    return [float(a) for a in sel[top]["amount"]]


def assert_printed(found: list[float], expected: set[float], allowed: set[float] | None = None, what=""):
    """Each expected figure is among the rows, and no row says anything the page does not."""
    for e in expected:
        assert any(_close(e, f) for f in found), f"{what}: {e} not found in {sorted(found)}"
    ok = expected | (allowed or set())
    wrong = sorted({f for f in found if not any(_close(f, x) for x in ok)})
    assert not wrong, f"{what}: rows {wrong} contradict the printed {sorted(ok)}"


def assert_sangong(sg: pd.DataFrame, expected: dict[str, float], zero_in_prose: tuple[str, ...] = ()):
    """三公 at budget_initial: exactly the printed items; an item printed only as 0 in the prose
    (its table cell blank) may appear as 0, never as another figure."""
    cur = sg[sg["measure"] == "budget_initial"]
    for item, amount in expected.items():
        got = [float(a) for a in cur[cur["item"] == item]["amount"]]
        assert got, f"sangong {item}: no row (printed {amount})"
        assert all(_close(a, amount) for a in got), f"sangong {item}: {got}, printed {amount}"
    for item in zero_in_prose:
        got = [float(a) for a in cur[cur["item"] == item]["amount"]]
        assert all(a == 0 for a in got), f"sangong {item}: {got}, printed only as 0"
    extra = set(cur["item"]) - set(expected) - set(zero_in_prose)
    assert not extra, f"sangong rows for items the document does not print: {extra}"
    assert not set(sg["measure"]) & set(NOT_IN_A_BUDGET), set(sg["measure"])


@dataclass
class Expect:
    """What one document prints (万元, measure budget_initial unless said otherwise)."""

    kind: str
    year: int
    scope: str
    entity: str | tuple[str, ...]
    province: str
    lines: dict[str, set[float]] = field(default_factory=dict)  # breakdown → its level-0 figures
    income: set[float] = field(default_factory=set)  # 收入合计 / 收入总计 (checked present only)
    other_totals: set[float] = field(default_factory=set)  # other level-0 figures it prints
    # (code, breakdown) → (level, the amount or the amounts printed for it in different tables)
    codes: dict[tuple[str, str], tuple[int, float | set[float]]] = field(default_factory=dict)
    sangong: dict[str, float] | None = None  # None: checked at the disclosure (two files)
    zero_in_prose: tuple[str, ...] = ()


# --- the documents ---------------------------------------------------------------------------
# Jiangsu provincial departments: narrative and tables in one file (court 2017, procuratorate 2019,
# npc-office 2018), tables only (cpcoffice 2018 cover page, 公开01–12表 of cppcc/npc 2019), the
# explanatory text only (cpcoffice 2018 narrative); Shanghai Putuo: a department budget (元 tables,
# 万元 三公 table with 机关运行经费) and a unit budget (人员/公用经费 columns in the summary).

EXPECT: dict[str, Expect] = {
    "jiangsu-court-2017-budget.pdf": Expect(
        # p1: "2017 年度江苏省高级人民法院部门预算公开"
        "budget", 2017, "department", "江苏省高级人民法院", "江苏省",
        lines={
            # p12 收支预算总表: 支出合计 28,849.38; p13 支出预算总表 合计 28,849.38; p13 财政拨款支出预算表
            # 合计 28,849.38; p15 一般公共预算支出预算表 合计 28,849.38; p19 prose 28849.38
            "total": {28849.38},
            # p11 一、基本支出 17,123.19; p13 支出预算总表 基本支出 17,123.19; p14/p15 基本支出表 合计 17,123.19
            "basic": {17123.19},
            "project": {11543.27},  # p11 二、项目支出 11,543.27; p13 项目支出 11,543.27; p20 prose
            "personnel": {13594.82},  # p23 / p24: （一）人员经费 13594.82 万元
            "public": {3528.37},  # p23 / p24: （二）公用经费 3528.37 万元
            "operating": {9193.40},  # p16 机关运行经费支出预算表 合计 9,193.40; p24 prose 9193.40
            "procurement": {3742.40},  # p17 政府采购预算表 合计 3,742.40; p26 prose 3742.4
            "meeting": {228.00},  # p17 三公 table 会议费 228.00; p25 prose 228
            "training": {1701.25},  # p17 三公 table 培训费 1,701.25; p25 prose 1701.25
        },
        income={28849.38},  # p12 收入合计 28,849.38; p12 收入预算总表 收入总计 28,849.38
        # p17 三公、会议费、培训费 合计 2,599.37 (三公 小计 + 会议费 + 培训费); p13 单位预留机动经费 182.92;
        # p23 prose: 政府性基金支出预算支出 0 万元 (its table p15 has an empty 合计)
        other_totals={2599.37, 182.92, 0.0},
        codes={
            ("2040501", "total"): (3, 11786.92),  # p13 / p15: 2040501 行政运行 11,786.92
            ("20405", "total"): (2, 23513.11),  # p13 / p15: 20405 法院 23,513.11
            ("221", "total"): (1, 2989.14),  # p13 / p15: 221 住房保障支出 2,989.14
        },
        # p17: 合计 2,599.37 | 小计 670.12 | 因公出国（境）费 180.00 | 车 小计 304.40 | 购置费 (blank) |
        # 运行维护费 304.40 | 公务接待费 185.72 | 会议费 228.00 | 培训费 1,701.25
        sangong={"total": 670.12, "outbound_travel": 180.00, "vehicle_total": 304.40,
                 "vehicle_operation": 304.40, "official_reception": 185.72},
        zero_in_prose=("vehicle_purchase",),  # p25: "公务用车购置预算支出 0 万元"
    ),
    "jiangsu-cpcoffice-2018-budget-tables.pdf": Expect(
        # p1: "江苏省2018年度 省级部门预算公开报表 部门:中共江苏省委办公厅"
        "budget", 2018, "department", "中共江苏省委办公厅", "江苏省",
        lines={
            # p3 收支预算总表 支出合计 24,458.43; p5 支出预算总表 合计; p7 财政拨款支出预算表 合计; p9 一般公共预算 合计
            "total": {24458.43},
            "basic": {10403.11},  # p3 / p5 / p6 基本支出 10,403.11; p8 / p10 基本支出表 合计 10,403.11
            "project": {12081.46},  # p3 / p5 / p6 项目支出 12,081.46
            "operating": {2094.58},  # p13 机关运行经费支出预算表 合计 2,094.58
            "procurement": {1449.50},  # p14 2018年政府采购预算表 合计 1,449.50
            "meeting": {933.50},  # p11 会议费 933.50
            "training": {30.00},  # p11 培训费 30.00
        },
        income={24458.43},  # p3 收入合计 24,458.43; p4 收入总计 24,458.43
        other_totals={1471.70, 1973.86},  # p11 合计 1,471.70; p3 / p5 单位预留机动经费 1,973.86
        codes={
            ("2013101", "total"): (3, 8072.29),  # p7 / p9: 2013101 行政运行 8,072.29
            ("20131", "total"): (2, 20153.75),  # p7 / p9: 20131 党委办公厅（室）及相关机构事务 20,153.75
            ("2210202", "total"): (3, 2299.88),  # p7 / p9: 2210202 提租补贴 2,299.88
        },
        sangong=None,  # p11: see test_cpcoffice_2018_one_disclosure
    ),
    "jiangsu-cpcoffice-2018-budget-narrative.pdf": Expect(
        # p1: "江苏省委办公厅2018年度部门预算公开" (the tables' cover names it 中共江苏省委办公厅)
        "budget", 2018, "department", ("中共江苏省委办公厅", "江苏省委办公厅"), "江苏省",
        lines={
            "total": {24458.43},  # p5: 收入、支出预算总计24458.43万元; p8 财政拨款预算支出24458.43
            "basic": {10403.11},  # p7: 基本支出预算数为10403.11万元; p9 / p10 基本支出预算10403.11
            "project": {12081.46},  # p7: 项目支出预算数为12081.46万元
            "personnel": {8308.53},  # p9 / p10: （一）人员经费8308.53万元
            "public": {2094.58},  # p9 / p10: （二）公用经费2094.58万元
            "operating": {2094.58},  # p11: 机关运行经费预算支出2094.58万元
            "procurement": {1449.50},  # p12: 政府采购支出预算总额1449.50万元
            "meeting": {933.50},  # p11: 会议费预算支出933.50万元
            "training": {30.00},  # p11: 培训费预算支出30万元
        },
        income={24458.43},  # p6: 收入预算总计24458.43万元; p7 本年收入预算合计24458.43万元
        # p7: 单位预留机动经费预算数为1973.86万元; p11: 政府性基金支出预算支出0万元
        other_totals={1973.86, 0.0},
        sangong=None,  # p11: see test_cpcoffice_2018_one_disclosure
    ),
    "jiangsu-cppcc-2019-budget-tables.pdf": Expect(
        # 公开01–12表, "部门：江苏省政协办公厅"; the year only in p12's title "2019年政府采购预算表"
        "budget", 2019, "department", "江苏省政协办公厅", "江苏省",
        lines={
            # p1 支出合计 13,377.11 (其他资金 80.00 included); p3 合计 13,377.11;
            # p4 财政拨款 支出合计 13,297.11; p5 / p7 合计 13,297.11
            "total": {13377.11, 13297.11},
            # p1 / p3 基本支出 6,522.75 (all funds); p4 基本支出 6,442.75; p6 / p8 合计 6,442.75
            "basic": {6522.75, 6442.75},
            "project": {4968.34},  # p1 / p3 / p4 项目支出 4,968.34
            "operating": {1130.74},  # p11 公开11表 合计 1,130.74
            "procurement": {1624.42},  # p12 公开12表 合计 1,624.42
            "meeting": {1282.56},  # p9 会议费 1,282.56
            "training": {281.77},  # p9 培训费 281.77
        },
        income={13377.11},  # p1 收入合计 13,377.11; p2 收入总计 13,377.11
        other_totals={2224.43, 1886.02, 80.00},  # p9 合计 2,224.43; p1 单位预留机动经费 1,886.02; 其他资金 80.00
        codes={
            ("2010201", "total"): (3, 5223.22),  # p5 / p7: 2010201 行政运行 5,223.22
            ("2010204", "total"): (3, 1282.56),  # p5 / p7: 2010204 政协会议 1,282.56
            ("20805", "total"): (2, 858.51),  # p5 / p7: 20805 行政事业单位离退休 858.51
        },
        sangong=None,  # p9: see test_two_file_disclosures_sangong_once
    ),
    "jiangsu-npc-2019-budget-tables.pdf": Expect(
        # 公开表一–十二, "部门： 江苏省人大常委会办公厅"; the year only in p12's "2019年政府采购预算表"
        "budget", 2019, "department", "江苏省人大常委会办公厅", "江苏省",
        lines={
            "total": {18330.37},  # p1 支出合计 18,330.37; p3 合计; p4 支出合计; p5 / p7 合计 18,330.37
            "basic": {9312.90},  # p1 / p3 / p4 基本支出 9,312.90; p6 / p8 合计 9,312.90
            "project": {6459.58},  # p1 / p3 / p4 项目支出 6,459.58
            "operating": {1642.08},  # p11 合计 1,642.08
            "procurement": {2416.43},  # p12 合计 2,416.43
            "meeting": {1469.73},  # p9 会议费 1,469.73
            "training": {363.38},  # p9 培训费 363.38
        },
        income={18330.37},  # p1 收入合计 18,330.37; p2 收入总计 18,330.37
        other_totals={2600.71, 2557.89},  # p9 合计 2,600.71; p1 / p3 单位预留机动经费 2,557.89
        codes={
            ("2010101", "total"): (3, 7448.20),  # p5 / p7: 2010101 行政运行 7,448.20
            ("2010104", "total"): (3, 1469.73),  # p5 / p7: 2010104 人大会议 1,469.73
            ("2210202", "total"): (3, 2548.30),  # p5: 2210202 提租补贴 2,548.30
        },
        sangong=None,  # p9: see test_two_file_disclosures_sangong_once
    ),
    "jiangsu-procuratorate-2019-budget.pdf": Expect(
        # p1: "江苏省人民检察院 2019年度部门预算公开"; tables p14–p24 (a table's 公开NN表 heading can
        # sit at the foot of the page before it: 公开04表 p15 → table p16), prose p25–p33
        "budget", 2019, "department", "江苏省人民检察院", "江苏省",
        lines={
            # p14 支出合计 24,169.74; p15 支出预算总表 合计 24169.74; p16 支出合计 24169.74, 公开05表 合计;
            # p18 公开07表 合计 24,169.74; p25 prose 24,169.74
            "total": {24169.74},
            "basic": {15844.04},  # p14 / p15 / p16 基本支出 15,844.04; p17 公开06表 合计 15,844.04; p26 prose
            "project": {4335.30},  # p14 4,335.30; p15 4335.30; p16 4335.3; p26 prose 4335.3
            "personnel": {13452.12},  # p29 / p30: （一）人员经费 13,452.12 万元
            "public": {2391.92},  # p29 / p30: （二）公用经费 2391.92 万元
            "operating": {2391.92},  # p21 公开11表 合计 2,391.92; p31 prose 2391.92
            "procurement": {2744.84},  # p22 公开12表 合 计 2,744.84; p31 prose 2744.84
            "meeting": {158.44},  # p20 会议费 158.44; p31 prose 158.44
            "training": {700.00},  # p20 培训费 700; p31 prose 700
        },
        income={24169.74},  # p14 收入合计 24,169.74; p15 收入总计 24169.74
        other_totals={1276.70, 3990.40},  # p20 合计 1276.7; p14 / p15 单位预留机动经费 3,990.40
        codes={
            ("2040401", "total"): (3, 12268.62),  # p16 / p18: 2040401 行政运行 12,268.62
            ("20404", "total"): (2, 16593.12),  # p16 / p18: 20404 检察 16,593.12
            ("2210202", "total"): (3, 4243.61),  # p16 / p18: 2210202 提租补贴 4,243.61
        },
        # p20: 合计 1276.7 | 小计 418.26 | 因公出国（境）费 80 | 车 小计 237 | 购置费 (blank) |
        # 运行维护费 237 | 公务接待费 101.26 | 会议费 158.44 | 培训费 700. p30–p31 prose: 80, 237, 101.26
        # (the prose does not state 购置费 at all)
        sangong={"total": 418.26, "outbound_travel": 80.00, "vehicle_total": 237.00,
                 "vehicle_operation": 237.00, "official_reception": 101.26},
    ),
    "jiangsu-npc-office-2018-budget.pdf": Expect(
        # p1: "江苏省人大常委会办公厅2018年度部门 预算公开"; tables p8–p18, prose p19–p31
        "budget", 2018, "department", "江苏省人大常委会办公厅", "江苏省",
        lines={
            # p8 支出合计 15897.44; p10 合计 15897.44; p11 / p13 合计 15,897.44; p19 prose 15897.44
            "total": {15897.44},
            "basic": {7877.76},  # p8 / p10 基本支出 7877.76; p12 / p14 合计 7,877.76; p21 prose
            "project": {6333.96},  # p8 / p10 项目支出 6333.96; p21 prose
            "personnel": {6298.38},  # p26 / p27: （一）人员经费 6298.38万元
            "public": {1579.38},  # p26 / p27: （二）公用经费1579.38万元
            "operating": {1579.38},  # p16 公开11表 合计 1579.38; p29 prose 1579.38
            "procurement": {2064.25},  # p17 公开12表 合计 2,064.25; p29 prose 2064.25
            "meeting": {1305.25},  # p15 会议费 1305.25; p28 prose 1305.25
            "training": {403.75},  # p15 培训费 403.75; p28 prose 403.75
        },
        income={15897.44},  # p8 收入合计 15897.44; p9 收入总计 15897.44
        # p15 合计 2542.60; p8 / p10 单位预留机动经费 1685.72; p28 prose: 政府性基金支出预算 支出 0 万元
        other_totals={2542.60, 1685.72, 0.0},
        codes={
            ("2010101", "total"): (3, 6372.32),  # p11 / p13: 2010101 行政运行 6,372.32
            ("20101", "total"): (2, 12706.28),  # p11 / p13: 20101 人大事务 12,706.28
            ("2010105", "total"): (3, 810.00),  # p11 / p13: 2010105 人大立法 810.00
        },
        # p15: 合计 2542.60 | 小计 833.60 | 因公出国（境）费 222.50 | 车 小计 183.60 | 购置费 (blank) |
        # 运行维护费 183.60 | 公务接待费 427.50 | 会议费 1305.25 | 培训费 403.75
        sangong={"total": 833.60, "outbound_travel": 222.50, "vehicle_total": 183.60,
                 "vehicle_operation": 183.60, "official_reception": 427.50},
        zero_in_prose=("vehicle_purchase",),  # p28: "公务用车购置预算支出 0 万元"
    ),
    "putuo-wanli-2023-budget.pdf": Expect(
        # p1: "上海市普陀区2023年区级部门预算 预算主管部门：上海市普陀区人民政府万里街道办事处"
        "budget", 2023, "department", "上海市普陀区人民政府万里街道办事处", "上海市",
        lines={
            # p10 支出总计 164,978,640 元; p18 支出预算总表 合计 164,978,640; p19 支出总计; p23 合计;
            # p6 prose 支出预算16497.86万元
            "total": {164978640 * YUAN},
            "basic": {99406297 * YUAN},  # p18 / p23 合计 基本支出 99,406,297; p27 基本支出表 合计 99,406,297
            "project": {65572343 * YUAN},  # p18 / p23 合计 项目支出 65,572,343
            "personnel": {84024865 * YUAN},  # p27 合计 人员经费 84,024,865
            "public": {15381432 * YUAN},  # p27 合计 公用经费 15,381,432
            "operating": {786.09},  # p28 (万元) 2023年机关运行经费预算数 786.09; p29 prose 786.09
            "procurement": {830.00},  # p29: 政府采购预算830.00万元
        },
        income={164978640 * YUAN},  # p10 收入总计 164,978,640; p14 收入预算总表 合计 164,978,640
        other_totals={22.91},  # p28 三公 合计 22.91
        codes={
            ("2120101", "total"): (3, 18373632 * YUAN),  # p17: 212 01 01 行政运行 18,373,632
            ("2120101", "basic"): (3, 18373632 * YUAN),  # p17: … 基本支出 18,373,632 (项目支出 printed 0)
            ("2080505", "total"): (3, 4412547 * YUAN),  # p17: 208 05 05 机关事业单位基本养老保险缴费支出 4,412,547
            ("2120399", "project"): (3, 7750000 * YUAN),  # p18: 212 03 99 其他城乡社区公共设施支出 7,750,000
        },
        # p28 (万元): 合计 22.91 | 因公出国(境)费 0 | 公务接待费 1.35 | 车 小计 21.56 | 购置费 0 | 运行费 21.56;
        # p29 prose: 22.91, 0, 21.56 (购置费0, 运行费21.56), 1.35
        sangong={"total": 22.91, "outbound_travel": 0.0, "official_reception": 1.35, "vehicle_total": 21.56,
                 "vehicle_purchase": 0.0, "vehicle_operation": 21.56},
    ),
    "putuo-welfare-home-2024-unit-budget.pdf": Expect(
        # p1: "上海市普陀区社会福利院2024年单位预算 预算单位：上海市普陀区社会福利院"
        "budget", 2024, "unit", "上海市普陀区社会福利院", "上海市",
        lines={
            # p7 支出总计 12,121,164; p9 合计 12,121,164; p10 财政拨款 支出总计 9,501,164; p11 合计 9,501,164;
            # p6 prose 1,212.12 / 950.12 万元
            "total": {12121164 * YUAN, 9501164 * YUAN},
            "basic": {9501164 * YUAN},  # p9 / p11 合计 基本支出 9,501,164; p14 合计 9,501,164
            "project": {2620000 * YUAN},  # p7 支出总计 项目支出 2,620,000; p9 合计 项目支出 2,620,000
            "personnel": {7380214 * YUAN},  # p7 支出总计 人员经费 7,380,214; p14 合计 人员经费 7,380,214
            "public": {2120950 * YUAN},  # p7 支出总计 公用经费 2,120,950; p14 合计 公用经费 2,120,950
            "operating": {0.0},  # p15 2024年机关运行经费预算数 0 (p16: "无机关运行经费")
            "procurement": {120.60},  # p16: 政府采购预算120.60万元
        },
        income={12121164 * YUAN},  # p7 收入总计 12,121,164; p8 合计 12,121,164
        other_totals={6.4},  # p15 三公 合计 6.4
        codes={
            # p8 / p9 (all funds): 208 10 05 社会福利事业单位 9,584,796; p11 (一般公共预算): 6,964,796
            ("2081005", "total"): (3, {9584796 * YUAN, 6964796 * YUAN}),
            ("2081005", "project"): (3, 2620000 * YUAN),  # p9: … 项目支出 2,620,000
            ("2080505", "basic"): (3, 767579 * YUAN),  # p9: 208 05 05 机关事业单位基本养老保险缴费支出 767,579
        },
        # p15 (万元): 合计 6.4 | 因公出国(境)费 0 | 公务接待费 0 | 车 小计 6.4 | 购置费 (blank) | 运行费 6.4
        sangong={"total": 6.4, "outbound_travel": 0.0, "official_reception": 0.0, "vehicle_total": 6.4,
                 "vehicle_operation": 6.4},
        zero_in_prose=("vehicle_purchase",),  # p16: "公务用车购置费0.00万元"
    ),
}

# Documents published as two files of one disclosure: (narrative, tables) → the 三公 figures
# printed across both, each of which must appear once in sangong.
DISCLOSURES = {
    ("jiangsu-cpcoffice-2018-budget-narrative.pdf", "jiangsu-cpcoffice-2018-budget-tables.pdf"): (
        # tables p11: 合计 1,471.70 | 小计 508.20 | 因公出国（境）费 70.00 | 车 小计 411.20 | 购置费 (blank) |
        # 运行维护费 411.20 | 公务接待费 27.00 | 会议费 933.50 | 培训费 30.00.
        # narrative p11: 因公出国（境）费 70, 公务用车购置及运行费 411.20 (购置 0, 运行维护 411.20), 公务接待费 27
        {"total": 508.20, "outbound_travel": 70.00, "vehicle_total": 411.20, "vehicle_operation": 411.20,
         "official_reception": 27.00},
        ("vehicle_purchase",),
    ),
    ("jiangsu-cppcc-2019-budget-narrative.pdf", "jiangsu-cppcc-2019-budget-tables.pdf"): (
        # tables p9: 合计 2,224.43 | 小计 660.10 | 因公出国（境）费 106.00 | 车 小计 156.60 | 购置费 (blank) |
        # 运行维护费 156.60 | 公务接待费 397.50 | 会议费 1,282.56 | 培训费 281.77.
        # narrative p15–p16: 106, 156.6 (购置费 0, 运行维护费 156.6), 397.5
        {"total": 660.10, "outbound_travel": 106.00, "vehicle_total": 156.60, "vehicle_operation": 156.60,
         "official_reception": 397.50},
        ("vehicle_purchase",),
    ),
    ("jiangsu-npc-2019-budget-narrative.pdf", "jiangsu-npc-2019-budget-tables.pdf"): (
        # tables p9: 合计 2,600.71 | 小计 767.60 | 因公出国（境）费 199.25 | 车 小计 183.60 | 购置费 (blank) |
        # 运行维护费 183.60 | 公务接待费 384.75 | 会议费 1,469.73 | 培训费 363.38.
        # narrative p15–p16: 199.25, 183.6 (购置 0, 运行维护 183.6), 384.75
        {"total": 767.60, "outbound_travel": 199.25, "vehicle_total": 183.60, "vehicle_operation": 183.60,
         "official_reception": 384.75},
        ("vehicle_purchase",),
    ),
}

NAMES = sorted(EXPECT)


def disclosure_of(name: str) -> tuple[str, ...]:
    """The files of the disclosure a document belongs to (itself where it stands alone)."""
    return next((pair for pair in DISCLOSURES if name in pair), (name,))


# --- tests: every document loads --------------------------------------------------------------


def test_every_shared_document_loads(built):
    expected = sorted(p.name for p in CORPUS.glob("*.pdf"))
    if SHARED_PDFS.exists():
        expected += sorted(p.name for p in SHARED_PDFS.glob("*.pdf"))
    loaded = {Path(p).name for p in built.frames["documents"]["source_file"]}
    missing = [n for n in expected if n not in loaded]
    reasons = [ln for ln in built.stderr.splitlines() if any(n in ln for n in missing)]
    assert not missing, f"{len(missing)} of {len(expected)} did not load: {reasons or missing}"
    assert built.returncode in (0, None), built.stderr.strip()[-2000:]  # None: a prebuilt store


# --- tests: per document --------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_identity(built, name):
    exp = EXPECT[name]
    doc = document(built, name)
    assert (doc["doc_kind"], int(doc["year"]), doc["scope"]) == (exp.kind, exp.year, exp.scope)
    names = exp.entity if isinstance(exp.entity, tuple) else (exp.entity,)
    assert doc["entity_name"] in names, (doc["entity_name"], names)
    assert doc["province"] == exp.province


@pytest.mark.parametrize("name", NAMES)
def test_totals_and_breakdowns(built, name):
    exp = EXPECT[name]
    bl = rows_of(built, "budget_lines", [document(built, name)["doc_id"]])
    # a figure printed in both files of a disclosure may be kept once, in either file's rows
    whole = rows_of(built, "budget_lines", loaded_doc_ids(built, disclosure_of(name)))
    printed_totals = set().union(*exp.lines.values(), exp.other_totals)
    for breakdown in TOTAL_LIKE:
        expected = exp.lines.get(breakdown, set())
        allowed = printed_totals if breakdown == "total" else expected
        # the total of any printed table (a 基本支出 table's 合计, the 三公 table's 合计…) is a total
        found = level0(whole, breakdown)
        for e in expected:
            assert any(_close(e, f) for f in found), f"{name} {breakdown}: {e} not found in {sorted(found)}"
        assert_printed(level0(bl, breakdown), set(), allowed, what=f"{name} {breakdown}")
    for e in exp.income:
        got = level0(whole, "income")
        assert any(_close(e, f) for f in got), f"{name} income {e} not in {sorted(got)}"
    # a budget prints 预算数 only: no current-year actual or adjusted budget
    assert not set(bl["measure"]) & set(NOT_IN_A_BUDGET), set(bl["measure"])


@pytest.mark.parametrize("name", [n for n in NAMES if EXPECT[n].codes])
def test_function_classification_rows(built, name):
    bl = rows_of(built, "budget_lines", [document(built, name)["doc_id"]])
    for (code, breakdown), (level, amount) in EXPECT[name].codes.items():
        sel = bl[(bl["code"] == code) & (bl["breakdown"] == breakdown) & (bl["measure"] == "budget_initial")]
        # a code's total differs where one table covers all funds and another only 一般公共预算
        assert_printed([float(a) for a in sel["amount"]], amount if isinstance(amount, set) else {amount},
                       what=f"{name} {code} {breakdown}")
        assert set(sel["level"].dropna().astype(int)) == {level}, (code, list(sel["level"]))


@pytest.mark.parametrize("name", [n for n in NAMES if EXPECT[n].sangong is not None])
def test_sangong(built, name):
    exp = EXPECT[name]
    sg = rows_of(built, "sangong", [document(built, name)["doc_id"]])
    assert_sangong(sg, exp.sangong, exp.zero_in_prose)


def test_meeting_and_training_are_not_sangong(built):
    # p17 of the court's 2017 budget: the table's 合计 2,599.37 is 三公 小计 670.12 + 会议费 228.00 +
    # 培训费 1,701.25; neither the 合计 nor 会议费 / 培训费 is a 三公 figure
    sg = rows_of(built, "sangong", [document(built, "jiangsu-court-2017-budget.pdf")["doc_id"]])
    amounts = [float(a) for a in sg["amount"]]
    for not_sangong in (2599.37, 228.00, 1701.25):
        assert not any(_close(a, not_sangong) for a in amounts), (not_sangong, amounts)


# --- tests: one disclosure in two files ---------------------------------------------------------


@pytest.mark.parametrize("pair", list(DISCLOSURES), ids=lambda p: p[1].removesuffix("-tables.pdf"))
def test_two_files_one_disclosure(built, pair):
    docs = [document(built, n) for n in pair]
    assert len({d["disclosure_id"] for d in docs}) == 1, [d["disclosure_id"] for d in docs]
    assert len({d["entity_id"] for d in docs}) == 1, [d["entity_id"] for d in docs]
    assert len({d["doc_id"] for d in docs}) == 2


@pytest.mark.parametrize("pair", list(DISCLOSURES), ids=lambda p: p[1].removesuffix("-tables.pdf"))
def test_two_file_disclosures_sangong_once(built, pair):
    expected, zero_in_prose = DISCLOSURES[pair]
    sg = rows_of(built, "sangong", [document(built, n)["doc_id"] for n in pair])
    assert_sangong(sg, expected, zero_in_prose)
    cur = sg[sg["measure"] == "budget_initial"]
    # printed in both files (or twice in the prose): a repeat, never two rows the dashboard adds up
    counts = cur.groupby("item").size().to_dict()
    assert all(n == 1 for n in counts.values()), counts


def test_cpcoffice_2018_one_disclosure(built):
    # the narrative names 江苏省委办公厅 (p1), the tables' cover 中共江苏省委办公厅 (p1): one entity
    pair = ("jiangsu-cpcoffice-2018-budget-narrative.pdf", "jiangsu-cpcoffice-2018-budget-tables.pdf")
    docs = [document(built, n) for n in pair]
    assert {d["entity_id"] for d in docs} == {docs[1]["entity_id"]}
    assert {int(d["year"]) for d in docs} == {2018}


def test_same_department_across_years(built):
    # 江苏省人大常委会办公厅 prints itself so in 2018 (npc-office p1) and 2019 (npc tables p1 部门)
    a = document(built, "jiangsu-npc-office-2018-budget.pdf")
    b = document(built, "jiangsu-npc-2019-budget-tables.pdf")
    assert a["entity_id"] == b["entity_id"]
    assert a["disclosure_id"] != b["disclosure_id"]


def test_a_template_with_every_table_empty_gives_no_figures(built):
    """../shared/pdfs/final-accounts-template-2024.pdf: the national 决算 template, "上海市 XX 局"
    (p1), whose nine tables are printed without a figure (p5–p14): it loads, and since it
    prints no figure, no fact row of any kind comes from it, never a zero."""
    path = SHARED_PDFS / "final-accounts-template-2024.pdf"
    if not path.exists():
        pytest.skip("../shared/pdfs/final-accounts-template-2024.pdf not present")
    docs = built.frames["documents"]
    doc = docs[docs["source_file"].map(lambda p: Path(p).name) == path.name]
    assert len(doc) == 1
    doc_id = doc.iloc[0]["doc_id"]
    for dataset in ("budget_lines", "sangong"):
        assert rows_of(built, dataset, [doc_id]).empty, dataset
