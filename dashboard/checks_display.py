"""Check rows for reading (pure): severity, status, family and rule in the reader's language,
subjects without dataset codes, and expected / found / difference with their unit.

The rule engine (loaders.checks) gives each rule a Chinese one-line description; the English
ones are here. A rule this module does not know keeps its Chinese description.
"""

from __future__ import annotations

import re

import pandas as pd

from dashboard.fmt import fmt_count, fmt_wan, is_missing
from dashboard.labels import (
    BREAKDOWN,
    CHECK_STATUS,
    COUNT_WHAT,
    DOC_KIND,
    MEASURE,
    RULE_FAMILY,
    SANGONG_ITEM,
    SEVERITY,
    label,
    labelled,
)

RULE_EN = {
    "COMPLETE-TABLES": "Every standard table listed in the contents is printed (or marked empty)",
    "PERF-WEIGHTS": "Indicator weights (with the execution-rate weight) add up to the full score",
    "PERF-GROUP-WEIGHT": "Weights under a first-level indicator add up to its stated weight",
    "PERF-SCORE-LE-WEIGHT": "A score does not exceed its weight",
    "PERF-TOTAL": "Total score = sum of indicator scores + execution-rate score",
    "PERF-MISSED-FULL": "An indicator that missed its target (completion < 1) should not get full marks",
    "PERF-OVERSPEND-FULL": "Spending above budget (rate > 100%) should not get full execution marks",
    "PERF-PAIRING": "Target and actual value are comparable (both numbers, same unit)",
    "RATE-EXEC": "Stated execution rate = actual ÷ full-year budget",
    "RATE-STATED": "Rates stated in the text (completion, shares, growth) recomputed from their figures",
    "DUP-AGREE": "A figure printed twice agrees",
    "DUP-NARRATIVE": "Figures in the text agree with the tables (same item, same phase)",
    "SG-ITEMS": "三公 total = outbound travel + official vehicles + official reception",
    "SG-VEHICLES": "Official vehicles = purchase + operation",
    "TBL-SUM": "A table's total equals the sum of its rows",
    "TBL-CODE-ROLLUP": "类 = Σ款, 款 = Σ项 (by classification-code prefix)",
    "TBL-BASIC-PROJECT": "Total = basic expenditure + project expenditure",
    "TBL-PERS-PUBLIC": "Personnel + public funds = basic expenditure",
    "TBL-CARRYOVER": "Grand total = current-year total + carry-over",
    "FUND-TOTAL": "Annual funds = current appropriation + carry-over + other funds",
}

# The unit of a rule's expected / found / difference.
UNIT_BY_FAMILY = {"table": "wan", "sangong": "wan", "repeat": "wan", "rate": "pct", "performance": "score"}
UNIT_BY_RULE = {"PERF-PAIRING": "plain", "COMPLETE-TABLES": "plain"}
NO_VALUE = "—"  # the check compares no number here (not a disclosure gap)

_DATASET_PREFIX = re.compile(r"^(?P<ds>sangong_counts|sangong|budget_lines|projects|indicators)\s+")
_CODES_TAIL = re.compile(r"[（(](?P<codes>[a-z_]+(?:/[a-z_]+)*)[）)]$")


def value_unit(rule: str, family: str | None, subject: str | None = None) -> str:
    """wan (万元) | pct (a fraction shown as %) | score (分) | plain."""
    if isinstance(subject, str) and subject.startswith("sangong_counts"):
        return "plain"
    return UNIT_BY_RULE.get(rule) or UNIT_BY_FAMILY.get(family or "", "plain")


def fmt_value(value, unit: str, lang: str = "zh", difference: bool = False) -> str:
    """86985.79 → '86,985.79 万元'; 0.7634 → '76.34%'; a difference is signed (rates in points)."""
    if is_missing(value):
        return NO_VALUE
    v = float(value)
    sign = "+" if difference and v > 0 else ""
    if unit == "pct":
        if difference:
            return f"{sign}{v * 100:,.2f} " + ("个百分点" if lang == "zh" else "pp")
        return f"{v * 100:,.2f}%"
    if unit == "wan":
        return sign + fmt_wan(v, lang)
    text = sign + fmt_count(v, lang)
    if unit == "score":
        return text + (" 分" if lang == "zh" else " pts")
    return text


def plain_subject(subject, lang: str = "zh") -> str:
    """Codes in a check's subject named: 'sangong total/budget_initial' → '三公经费合计/年初预算';
    '合计（total/actual）' → '合计（决算）' (the whole column needs no name). Words the document
    printed are left as they are: only the dataset keys and a closing （column/measure） are codes."""
    if not isinstance(subject, str):
        return ""

    def named(codes: str, vocabs: list[dict]) -> str:
        return "/".join(label(next((v for v in vocabs if w in v), {}), w, lang) for w in codes.split("/"))

    m = _DATASET_PREFIX.match(subject)
    if m:
        text = named(subject[m.end():], [SANGONG_ITEM, COUNT_WHAT, MEASURE, BREAKDOWN])
        return f"三公: {text}" if m["ds"].startswith("sangong") and lang != "zh" else text
    tail = _CODES_TAIL.search(subject)
    if not tail:
        return subject
    codes = tail["codes"].removeprefix("total/")
    return subject[: tail.start("codes")] + named(codes, [MEASURE, BREAKDOWN]) + subject[tail.end("codes"):]


def rule_descriptions(zh: dict[str, str], lang: str = "zh") -> dict[str, str]:
    """Rule code → one-line description in ``lang`` (Chinese where no English one is known)."""
    if lang == "zh":
        return dict(zh)
    return {code: RULE_EN.get(code, text) for code, text in zh.items()}


HEADERS = {
    "severity": ("严重程度", "severity"), "status": ("状态", "status"), "entity_id": ("部门", "department"),
    "year": ("年度", "year"), "doc_kind": ("文档类型", "document kind"), "source": ("来源文档", "document"),
    "family": ("类别", "family"), "rule": ("规则", "rule"), "description": ("规则说明", "description"),
    "subject": ("对象", "subject"), "expected": ("应为", "expected"), "found": ("印出", "found"),
    "difference": ("差额", "difference"), "message": ("说明", "message"), "source_ref": ("位置", "ref"),
    "link": ("原文", "source"),
}  # fmt: skip
VOCABS = {"severity": SEVERITY, "status": CHECK_STATUS, "family": RULE_FAMILY, "doc_kind": DOC_KIND}


def check_table(checks: pd.DataFrame, columns: list[str], labels: dict[str, str], rules: dict,
                lang: str = "zh") -> pd.DataFrame:
    """Check rows as the reader sees them: named values, formatted numbers, headers in ``lang``.

    ``checks`` has the checks dataset's columns (plus ``link`` / ``source`` where asked for);
    ``rules`` is the registry (loaders.checks.RULES: code → .family, .description in Chinese),
    which also names the family of a row that lacks one.
    """
    desc = rule_descriptions({c: r.description for c, r in rules.items()}, lang)
    family_of = {c: r.family for c, r in rules.items()}
    checks = checks.assign(family=checks["family"].fillna(checks["rule"].map(family_of)) if "family" in checks
                           else checks["rule"].map(family_of))
    out = pd.DataFrame(index=checks.index)
    families = checks["family"]
    units = [value_unit(r, f, s) for r, f, s in zip(checks["rule"], families, checks["subject"], strict=True)]
    for col in columns:
        if col == "description":
            s = checks["rule"].map(lambda r: desc.get(r, ""))
        elif col not in checks:
            continue
        elif col in VOCABS:
            s = labelled(checks[col], VOCABS[col], lang)
        elif col == "entity_id":
            s = checks[col].map(lambda e: labels.get(e, e))
        elif col == "subject":
            s = checks[col].map(lambda v: plain_subject(v, lang))
        elif col in ("expected", "found", "difference"):
            s = pd.Series([fmt_value(v, u, lang, col == "difference") for v, u in zip(checks[col], units, strict=True)],
                          index=checks.index, dtype=object)
        else:
            s = checks[col].astype(object).where(checks[col].notna(), "")
        out[HEADERS.get(col, (col, col))[0 if lang == "zh" else 1]] = s
    return out.reset_index(drop=True)


def severity_matrix(matrix: pd.DataFrame, labels: dict[str, str], lang: str = "zh") -> pd.DataFrame:
    """The department × severity counts with named rows and columns."""
    if matrix.empty:
        return matrix
    out = matrix.rename(index=lambda e: labels.get(e, e), columns=lambda s: label(SEVERITY, s, lang))
    out.index.name = HEADERS["entity_id"][0 if lang == "zh" else 1]
    out.columns.name = None
    return out
