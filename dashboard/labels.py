"""Display names for the datasets' closed vocabularies, in Chinese and English (pure)."""

from __future__ import annotations

NOT_DISCLOSED = {"zh": "未披露", "en": "not disclosed"}

DOC_KIND = {
    "final_accounts": ("决算", "final accounts"),
    "budget": ("预算", "budget"),
    "performance_self_eval": ("绩效自评", "performance self-evaluation"),
}
MEASURE = {
    "budget_initial": ("年初预算", "initial budget"),
    "budget_adjusted": ("调整预算", "adjusted budget"),
    "actual": ("决算（实际）", "actual"),
    "prior_year_actual": ("上年决算", "prior-year actual"),
    "prior_year_budget": ("上年预算", "prior-year budget"),
}
# Phase order: 年初 → 调整 → 决算.
PHASES = ("budget_initial", "budget_adjusted", "actual")
BUDGET_MEASURES = ("budget_initial", "budget_adjusted", "prior_year_budget")
SANGONG_ITEM = {
    "total": ("三公经费合计", "total"),
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
CHECK_STATUS = {"fail": ("未通过", "fail"), "warn": ("警告", "warning"), "pass": ("通过", "pass")}

# One fixed style per phase, so a budget bar never looks like an actual bar.
MEASURE_STYLE = {
    "budget_initial": {"color": "#9ecae1", "pattern": "/"},
    "budget_adjusted": {"color": "#4292c6", "pattern": "/"},
    "prior_year_budget": {"color": "#c6dbef", "pattern": "/"},
    "actual": {"color": "#08306b", "pattern": ""},
    "prior_year_actual": {"color": "#969696", "pattern": ""},
}


def label(vocab: dict[str, tuple[str, str]], key: str | None, lang: str = "zh") -> str:
    """Name of a vocabulary value; an unknown value is shown as it is."""
    if key is None:
        return NOT_DISCLOSED[lang]
    pair = vocab.get(key)
    if pair is None:
        return str(key)
    return pair[0] if lang == "zh" else pair[1]
