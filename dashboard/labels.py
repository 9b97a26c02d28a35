"""Display names for the datasets' closed vocabularies, in Chinese and English (pure)."""

from __future__ import annotations

NOT_DISCLOSED = {"zh": "未披露", "en": "not disclosed"}
# A prior-year figure computed from a change the document states in words (origin ``derived``),
# and a change as the document states it.
DERIVED = {"zh": "推算", "en": "derived"}
STATED = {"zh": "文中所述", "en": "stated"}

DOC_KIND = {
    "final_accounts": ("决算", "final accounts"),
    "budget": ("预算", "budget"),
    "performance_self_eval": ("绩效自评", "performance self-evaluation"),
}
MEASURE = {
    "budget_initial": ("年初预算", "initial budget"),
    "budget_adjusted": ("调整预算", "adjusted budget"),
    "actual": ("决算", "actual"),
    "prior_year_actual": ("上年决算", "prior-year actual"),
    "prior_year_budget": ("上年预算", "prior-year budget"),
}
# Phase order: 年初 → 调整 → 决算.
PHASES = ("budget_initial", "budget_adjusted", "actual")
SANGONG_ITEM = {
    "total": ("三公经费合计", "三公 total"),
    "outbound_travel": ("因公出国（境）费", "outbound travel"),
    "vehicle_total": ("公务用车购置及运行费", "official vehicles"),
    "vehicle_purchase": ("公务用车购置费", "vehicle purchase"),
    "vehicle_operation": ("公务用车运行费", "vehicle operation"),
    "official_reception": ("公务接待费", "official reception"),
}
COUNT_WHAT = {
    "vehicles": ("车辆（辆）", "vehicles"),
    "groups": ("团组（个）", "groups"),
    "batches": ("批次", "batches"),
    "persons": ("人次", "persons"),
}
CHECK_STATUS = {"fail": ("不符", "fail"), "warn": ("提醒", "warning"), "pass": ("通过", "pass")}
SEVERITY = {"high": ("严重", "high"), "medium": ("中", "medium"), "low": ("低", "low"), "info": ("提示", "info")}
RULE_FAMILY = {
    "table": ("表内勾稽", "table arithmetic"),
    "sangong": ("三公经费", "three public expenses"),
    "repeat": ("重复印出", "figures printed twice"),
    "rate": ("比率重算", "rates recomputed"),
    "performance": ("绩效自评", "performance self-evaluation"),
    "completeness": ("报表完整性", "completeness"),
}
# Column breakdowns of the budget and account tables (budget_lines.breakdown; check subjects).
BREAKDOWN = {
    "total": ("合计", "total"),
    "basic": ("基本支出", "basic expenditure"),
    "project": ("项目支出", "project expenditure"),
    "personnel": ("人员经费", "personnel"),
    "public": ("公用经费", "public funds"),
    "income": ("收入", "income"),
    "current_year_income": ("本年收入", "current-year income"),
    "remittance_to_higher": ("上缴上级支出", "remittance to higher level"),
    "operating": ("机关运行经费", "administrative running costs"),
    "business": ("经营支出", "business expenditure"),
    "reserve": ("单位预留机动经费", "unallocated reserve"),
    "meeting": ("会议费", "meetings"),
    "training": ("培训费", "training"),
    "procurement": ("政府采购", "government procurement"),
    "subsidy_to_subordinate": ("对附属单位补助", "subsidy to subordinate units"),
    "year_end_carryover": ("年末结转结余", "year-end carry-over"),
    "prior_year_carryover": ("上年结转结余", "prior-year carry-over"),
    "general_public_budget": ("一般公共预算", "general public budget"),
    "government_fund": ("政府性基金", "government funds"),
    "state_capital": ("国有资本经营预算", "state capital budget"),
    "fiscal_special_account": ("财政专户", "fiscal special account"),
    "fiscal_appropriation": ("财政拨款", "fiscal appropriation"),
    "higher_level_subsidy": ("上级补助收入", "higher-level subsidy"),
    "public_institution_income": ("事业收入", "public-institution income"),
    "operating_income": ("经营收入", "operating income"),
    "subordinate_remittance": ("附属单位上缴收入", "remittance from subordinates"),
    "other_income": ("其他收入", "other income"),
    "carryover": ("结转结余", "carry-over"),
}
# budget_lines.table: the table's printed name, or one of these for figures read elsewhere.
TABLE_NAME = {"narrative": ("文字说明", "text of the document")}

SCOPE = {"department": ("部门整体", "whole department"), "project": ("项目", "project")}
DOC_STATUS = {"loaded": ("已载入", "loaded"), "failed": ("载入失败", "failed"), "not built": ("尚未载入", "not built")}
DATASET = {
    "documents": ("文档", "documents"),
    "budget_lines": ("预算决算表行", "budget and account lines"),
    "sangong": ("三公经费", "三公 figures"),
    "sangong_counts": ("三公数量（车辆、团组）", "三公 counts"),
    "projects": ("项目", "projects"),
    "project_funds": ("项目资金来源", "project funding"),
    "indicators": ("绩效指标", "indicators"),
    "checks": ("核查结果", "check results"),
}

# One fixed style per phase, so a budget bar never looks like an actual bar.
MEASURE_STYLE = {
    "budget_initial": {"color": "#9ecae1", "pattern": "/"},
    "budget_adjusted": {"color": "#4292c6", "pattern": "/"},
    "prior_year_budget": {"color": "#c6dbef", "pattern": "/"},
    "actual": {"color": "#08306b", "pattern": ""},
    "prior_year_actual": {"color": "#969696", "pattern": ""},
}
# A derived prior-year bar: its phase's colour, cross-hatched and pale, never the printed look.
DERIVED_STYLE = {"pattern": "x", "opacity": 0.55}


def label(vocab: dict[str, tuple[str, str]], key: str | None, lang: str = "zh") -> str:
    """Name of a vocabulary value; an unknown value is shown as it is."""
    if key is None:
        return NOT_DISCLOSED[lang]
    pair = vocab.get(key)
    if pair is None:
        return str(key)
    return pair[0] if lang == "zh" else pair[1]


def labelled(values, vocab: dict[str, tuple[str, str]], lang: str = "zh"):
    """A Series of vocabulary values named (``label``); a non-string (missing) value shows as ''."""
    return values.map(lambda v: label(vocab, v, lang) if isinstance(v, str) else "")
