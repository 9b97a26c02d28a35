"""FUND-TOTAL: 年度资金总额 = 当年财政拨款 + 上年结转 + 其他资金, over project_funds.

Small hand-made frames for each outcome, then the seeds (expectations read off the text).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from loaders.build import assemble, load_document
from loaders.checks import run_checks
from tests.conftest import SEEDS

KEYS = {"doc_id": "d1", "entity_id": "e1", "year": 2023, "doc_kind": "performance_self_eval"}


def fund(source, amount, *, measure="budget_adjusted", project="项目甲", ref="L1"):
    return {
        **KEYS, "scope": "project", "project": project, "table": "附件3-1", "source": source,
        "source_as_printed": source, "measure": measure, "amount": amount, "unit_as_printed": "万元",
        "source_ref": ref,
    }  # fmt: skip


def run(rows):
    return [r for r in run_checks({"project_funds": pd.DataFrame(rows)}, {}) if r["rule"] == "FUND-TOTAL"]


def test_pass_with_the_total_line_as_reference():
    rows = [
        fund("total", 100.0, ref="L10"),
        fund("current_year_appropriation", 80.0, ref="L11"),
        fund("prior_year_carryover", 15.0, ref="L12"),
        fund("other", 5.0, ref="L13"),
    ]
    (row,) = run(rows)
    assert row["status"] == "pass" and row["source_ref"] == "L10"
    assert (row["expected"], row["found"], row["difference"]) == (100.0, 100.0, 0.0)


def test_fail_when_every_part_is_printed():
    rows = [fund("total", 100.0), fund("current_year_appropriation", 80.0), fund("prior_year_carryover", 10.0),
            fund("other", 5.0)]  # fmt: skip
    (row,) = run(rows)
    assert row["status"] == "fail" and row["difference"] == 5.0


def test_within_rounding_of_three_parts():
    # three parts each rounded to 0.01: up to 0.015 apart is rounding (amount_tol(3))
    rows = [fund("total", 100.01), fund("current_year_appropriation", 33.33), fund("prior_year_carryover", 33.33),
            fund("other", 33.34)]  # fmt: skip
    assert [r["status"] for r in run(rows)] == ["pass"]
    rows[0] = fund("total", 100.02)
    assert [r["status"] for r in run(rows)] == ["fail"]


def test_a_part_not_printed_is_never_zero():
    # 上年结转资金 not printed: the printed parts fall short, the blank one could hold the rest
    rows = [fund("total", 100.0), fund("current_year_appropriation", 80.0), fund("other", 0.0)]
    (row,) = run(rows)
    assert row["status"] == "warn" and "上年结转资金未列示，无法核对" in row["message"]
    assert row["expected"] == 80.0 and row["found"] == 100.0
    # … and when the printed parts already add up, the blank one does not matter
    rows = [fund("total", 80.0), fund("current_year_appropriation", 80.0)]
    assert [r["status"] for r in run(rows)] == ["pass"]


def test_per_phase_and_project_and_nothing_without_parts():
    rows = [
        fund("total", 10.0, measure="budget_initial"), fund("current_year_appropriation", 10.0, measure="budget_initial"),
        fund("total", 12.0, measure="actual"), fund("current_year_appropriation", 11.0, measure="actual"),
        fund("prior_year_carryover", 0.0, measure="actual"), fund("other", 0.0, measure="actual"),
        fund("total", 5.0, project="项目乙"),  # a total alone: nothing to add up
    ]  # fmt: skip
    got = {r["subject"]: r["status"] for r in run(rows)}
    assert got == {"项目甲 附件3-1 年度资金总额（年初预算数）": "pass", "项目甲 附件3-1 年度资金总额（全年执行数）": "fail"}


def test_parts_by_level_of_government():
    rows = [fund("total", 100.0), fund("central", 0.0), fund("local", 90.0), fund("other", 10.0)]
    assert [r["status"] for r in run(rows)] == ["pass"]
    rows[2] = fund("local", 80.0)  # 自治区（省）安排 not printed
    (row,) = run(rows)
    assert row["status"] == "warn" and "自治区（省）安排未列示" in row["message"]


# --- seeds -----------------------------------------------------------------------------------


def seed_checks(*paths: Path) -> pd.DataFrame:
    checks = assemble([load_document(p) for p in paths])["checks"].to_pandas()
    return checks[checks["rule"] == "FUND-TOTAL"]


@pytest.fixture(scope="module")
def seeds():
    return seed_checks(*SEEDS.values())


def test_yueyang_project_block_adds_up(seeds):
    # 附件3-1: 年度资金总额 147 / 147 / 146.86 (L498-L500) = 其中：当年财政拨款 147 / 147 / 146.86
    # (L507-L509); 上年结转资金 and 其他资金 blank (L515-L530) and not needed.
    hit = seeds[(seeds["entity_id"] == "yueyang") & seeds["subject"].str.contains("附件3-1")]
    got = {ref: (status, found) for ref, status, found in zip(hit["source_ref"], hit["status"], hit["found"], strict=True)}
    assert got == {"L498": ("pass", 147.0), "L499": ("pass", 147.0), "L500": ("pass", 146.86)}


def test_urumqi_department_block_adds_up_by_level(seeds):
    # L258 年度总资金 531,862.78 = 0 (L259) + 0 (L260) + 505,494.94 (L261) + 26,367.84 (L262)
    hit = seeds[(seeds["entity_id"] == "urumqi") & seeds["subject"].str.contains("年初预算数") & (seeds["source_ref"] == "L258")]
    assert list(hit["status"]) == ["pass"] and list(hit["expected"]) == [531862.78]


def test_no_seed_block_fails(seeds):
    assert set(seeds["status"]) == {"pass"}
    assert set(seeds["entity_id"]) == {"yueyang", "miluo", "urumqi"}


def _changed(tmp_path: Path, seed: str, old: str, new: str) -> Path:
    text = SEEDS[seed].read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path = tmp_path / SEEDS[seed].name
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_perturbed_seed_fails_or_warns(tmp_path):
    # 汨罗 附件3-1 prints every part (L523-L544): 当年财政拨款 全年执行数 45 → 44 is a failure
    miluo = _changed(tmp_path, "miluo", "\t其中：当年财政拨款　\n\t45\n\t45\n\t45", "\t其中：当年财政拨款　\n\t45\n\t45\n\t44")
    hit = seed_checks(miluo)
    bad = hit[hit["status"] != "pass"]
    assert list(zip(bad["status"], bad["source_ref"], bad["expected"], strict=True)) == [("fail", "L517", 44.0)]
    # 岳阳 附件3-1 leaves 上年结转 and 其他资金 blank: the same change is only a warning
    yueyang = _changed(tmp_path, "yueyang", "\t9.99\n\n\t\n\t其中：当年财政拨款　\n\t147\n\t　147\n\t146.86",
                       "\t9.99\n\n\t\n\t其中：当年财政拨款　\n\t147\n\t　147\n\t140")  # fmt: skip
    hit = seed_checks(yueyang)
    bad = hit[hit["status"] != "pass"]
    assert list(zip(bad["status"], bad["source_ref"], strict=True)) == [("warn", "L500")]
    assert "上年结转资金、其他资金未列示，无法核对" in bad["message"].iloc[0]
