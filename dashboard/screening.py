"""Outlier screening and the findings table for the 核查 page (pure pandas, no Streamlit).

Screens only look at figures the datasets hold: a project without a printed budget or
actual has no execution rate and is never screened; a document without a staff count
gets no per-staff figure.
"""

from __future__ import annotations

import pandas as pd

SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2, "info": 3}
STATUS_ORDER = {"fail": 0, "warn": 1, "pass": 2}
KEYS = ["doc_id", "entity_id", "year", "doc_kind"]


# ---- findings (the checks dataset) -----------------------------------------------------------


def findings(
    checks: pd.DataFrame,
    severities: list[str] | tuple[str, ...] = (),
    families: list[str] | tuple[str, ...] = (),
    statuses: list[str] | tuple[str, ...] = ("fail", "warn"),
) -> pd.DataFrame:
    """Check rows inside the selection (empty selection = all), worst first."""
    df = checks
    for col, chosen in (("severity", severities), ("family", families), ("status", statuses)):
        if chosen:
            df = df[df[col].isin(chosen)]
    if df.empty:
        return df.copy()
    order = df["status"].map(STATUS_ORDER).fillna(9) * 10 + df["severity"].map(SEVERITY_ORDER).fillna(5)
    return df.assign(_k=order).sort_values(["_k", "entity_id", "rule", "subject"]).drop(columns="_k")


def findings_matrix(checks: pd.DataFrame) -> pd.DataFrame:
    """Count of rows by department (rows) and severity (columns, high → info)."""
    if checks.empty:
        return pd.DataFrame()
    table = pd.crosstab(checks["entity_id"], checks["severity"])
    cols = [s for s in SEVERITY_ORDER if s in table.columns]
    return table[cols]


REFERS_TO_ATTACHMENT = ("见附表", "见附件", "详见附表", "附件")


def missing_tables_notes(found: pd.DataFrame, texts: dict[str, list[str]], labels: dict[str, str],
                         lang: str = "zh", window: int = 15) -> list[str]:
    """One sentence per document whose COMPLETE-TABLES findings fail: how many listed tables the body
    does not print, and whether the document says they are attached (见附表) — in ``texts``, the lines
    of each document (1-based line n is texts[doc][n-1])."""
    if found.empty:
        return []
    miss = found[(found["rule"] == "COMPLETE-TABLES") & (found["status"] == "fail")]
    out = []
    for (doc, eid, year), part in miss.groupby(["doc_id", "entity_id", "year"], sort=True):
        lines = texts.get(doc, [])
        nums = [int(r[1:]) for r in part["source_ref"] if isinstance(r, str) and r[:1] == "L" and r[1:].isdigit()]
        first = min(nums) if nums else 0
        near = lines[max(0, first - window - 1): first + len(nums)] if first else []
        attached = any(k in ln for ln in near for k in REFERS_TO_ATTACHMENT)
        name, n = labels.get(eid, eid), len(part)
        tables = "、".join(part["subject"].astype(str))
        if lang == "zh":
            why = ("文档写明“见附表”，但附表不在本文件中，无法核对这些表中的数" if attached
                   else "正文中没有找到这些表")
            out.append(f"{name} {year}：目录列出的 {n} 张报表未在正文印出（{why}）：{tables}。")
        else:
            why = ("the document says they are attached (见附表), but the attachment is not in this file"
                   if attached else "the body does not print them")
            out.append(f"{name} {year}: {n} tables listed in the contents are not printed ({why}): {tables}.")
    return out


# ---- execution rates -------------------------------------------------------------------------


def execution_rates(projects: pd.DataFrame) -> pd.Series:
    """actual / budget_adjusted where both are printed and the budget is not zero."""
    if projects.empty:
        return pd.Series(dtype=float)
    budget = projects["budget_adjusted"].where(projects["budget_adjusted"] != 0)
    return projects["actual"] / budget


def execution_outliers(projects: pd.DataFrame, low: float = 0.9, high: float = 1.0) -> pd.DataFrame:
    """Projects executed below ``low`` or above ``high`` (fractions), with a ``flag`` column."""
    if projects.empty:
        return projects.assign(execution_rate=pd.Series(dtype=float), flag=pd.Series(dtype=object))
    rate = (
        projects["execution_rate"].fillna(execution_rates(projects))
        if "execution_rate" in projects
        else (execution_rates(projects))
    )
    out = projects.assign(execution_rate=rate)
    out = out[rate.notna() & ((rate < low) | (rate > high))]
    return out.assign(flag=["low" if r < low else "high" for r in out["execution_rate"]])


# ---- IQR -------------------------------------------------------------------------------------


def iqr_bounds(values: pd.Series, k: float = 1.5) -> tuple[float, float] | None:
    """Tukey fences; None with fewer than four values (no meaningful quartiles)."""
    v = values.dropna()
    if len(v) < 4:
        return None
    q1, q3 = v.quantile(0.25), v.quantile(0.75)
    return q1 - k * (q3 - q1), q3 + k * (q3 - q1)


def iqr_outliers(df: pd.DataFrame, column: str, by: str | None = None, k: float = 1.5) -> pd.DataFrame:
    """Rows whose ``column`` lies outside the IQR fences, within each ``by`` group or across all.

    Adds ``lower``, ``upper`` and ``scope`` (the group, or ``all``).
    """
    parts = []
    groups = df.groupby(by, dropna=False) if by else [("all", df)]
    for name, group in groups:
        bounds = iqr_bounds(group[column], k)
        if bounds is None:
            continue
        lo, hi = bounds
        hit = group[(group[column] < lo) | (group[column] > hi)]
        if not hit.empty:
            scope = name[0] if isinstance(name, tuple) else name
            parts.append(hit.assign(lower=lo, upper=hi, scope=scope))
    if not parts:
        return df.head(0).assign(lower=pd.Series(dtype=float), upper=pd.Series(dtype=float), scope="")
    return pd.concat(parts)


def rate_iqr_outliers(projects: pd.DataFrame, k: float = 1.5) -> pd.DataFrame:
    """Execution-rate outliers within each department and across all departments."""
    if projects.empty:
        return projects.assign(
            execution_rate=pd.Series(dtype=float), lower=None, upper=None, scope="", basis=""
        )
    df = projects.assign(execution_rate=execution_rates(projects))
    within = iqr_outliers(df, "execution_rate", by="entity_id", k=k).assign(basis="within")
    across = iqr_outliers(df, "execution_rate", k=k).assign(basis="across")
    return pd.concat([within, across], ignore_index=True)


# ---- budget adjustments ------------------------------------------------------------------------


def adjustment_outliers(projects: pd.DataFrame, share: float = 0.2) -> pd.DataFrame:
    """Projects whose adjusted budget moved more than ``share`` of the initial budget.

    Adds ``adjustment`` (万元) and ``adjustment_share``; a zero or unprinted initial budget
    is not screened.
    """
    if projects.empty:
        return projects.assign(adjustment=pd.Series(dtype=float), adjustment_share=pd.Series(dtype=float))
    initial = projects["budget_initial"].where(projects["budget_initial"] != 0)
    change = projects["budget_adjusted"] - projects["budget_initial"]
    out = projects.assign(adjustment=change, adjustment_share=change / initial)
    return out[out["adjustment_share"].abs() > share]


# ---- 三公 per staff member --------------------------------------------------------------------


def sangong_per_staff(
    sangong: pd.DataFrame, documents: pd.DataFrame, measure: str = "actual"
) -> pd.DataFrame:
    """三公 total per staff member per document, where the document prints both figures."""
    cols = [*KEYS, "amount", "staff_count", "per_staff"]
    if sangong.empty or documents.empty or "staff_count" not in documents:
        return pd.DataFrame(columns=cols)
    total = sangong[(sangong["item"] == "total") & (sangong["measure"] == measure)]
    staff = documents[["doc_id", "staff_count"]].dropna()
    staff = staff[staff["staff_count"] > 0]
    out = total.merge(staff, on="doc_id", how="inner")
    out = out.assign(per_staff=out["amount"] / out["staff_count"].astype(float))
    return out[[c for c in cols if c in out]].sort_values("per_staff", ascending=False, ignore_index=True)


# ---- display ---------------------------------------------------------------------------------


def findings_table(df: pd.DataFrame, labels: dict[str, str], descriptions: dict[str, str]) -> pd.DataFrame:
    """The columns the 核查 page shows, departments named, numbers left as numbers."""
    cols = ["severity", "status", "entity_id", "year", "doc_kind", "rule", "family", "subject",
            "expected", "found", "difference", "message", "doc_id", "source_ref"]  # fmt: skip
    out = df[[c for c in cols if c in df]].copy()
    out.insert(6, "description", out["rule"].map(descriptions).fillna(""))
    out["entity_id"] = out["entity_id"].map(lambda e: labels.get(e, e))
    for col in ("expected", "found", "difference"):
        out[col] = out[col].astype(float).round(4)
    return out.reset_index(drop=True)


HEADERS = {
    "severity": ("严重程度", "severity"), "status": ("状态", "status"), "entity_id": ("部门", "department"),
    "year": ("年度", "year"), "doc_kind": ("文档类型", "document kind"), "rule": ("规则", "rule"),
    "description": ("规则说明", "description"), "family": ("类别", "family"), "subject": ("对象", "subject"),
    "expected": ("应为", "expected"), "found": ("印出", "found"), "difference": ("差额", "difference"),
    "message": ("说明", "message"), "source_ref": ("位置", "ref"), "link": ("原文", "source"),
    "project": ("项目", "project"), "budget_initial": ("年初预算", "initial budget"),
    "budget_adjusted": ("调整预算", "adjusted budget"), "actual": ("执行数", "actual"),
    "execution_rate": ("执行率", "execution rate"), "flag": ("偏离", "flag"), "lower": ("下限", "lower"),
    "upper": ("上限", "upper"), "basis": ("范围", "basis"), "adjustment": ("调整额", "adjustment"),
    "adjustment_share": ("调整幅度", "adjustment share"), "amount": ("三公经费", "三公 total"),
    "staff_count": ("人数", "staff"), "per_staff": ("人均", "per staff member"),
}  # fmt: skip


def headed(df: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Columns renamed for reading, in the chosen language."""
    return df.rename(columns={c: HEADERS[c][0 if lang == "zh" else 1] for c in df.columns if c in HEADERS})
