"""Outlier screening and the findings table for the 核查 page (pure pandas, no Streamlit).

Screens only look at figures the datasets hold: a project without a printed budget or
actual has no execution rate and is never screened; a document without a staff count
gets no per-staff figure.
"""

from __future__ import annotations

import pandas as pd

from dashboard.fmt import fmt_count, fmt_pct, fmt_wan
from dashboard.labels import DOC_KIND, labelled
from dashboard.sources import SEVERITY_ORDER, worst_first
from dashboard.sources import STATUS_ORDER as STATUS_ORDER  # the 核查 page's status filter

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
    return worst_first(df, ["entity_id", "rule", "subject"])


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
            what = "1 table listed in the contents is" if n == 1 else f"{n} tables listed in the contents are"
            out.append(f"{name} {year}: {what} not printed ({why}): {tables}.")
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
    "entity_id": ("部门", "department"), "year": ("年度", "year"), "doc_kind": ("文档类型", "document kind"),
    "source_ref": ("位置", "ref"), "project": ("项目", "project"),
    "budget_initial": ("年初预算（万元）", "initial budget (10k CNY)"),
    "budget_adjusted": ("调整预算（万元）", "adjusted budget (10k CNY)"), "actual": ("决算（万元）", "actual (10k CNY)"),
    "execution_rate": ("执行率", "execution rate"), "flag": ("偏离", "flag"), "lower": ("下限", "lower"),
    "upper": ("上限", "upper"), "basis": ("范围", "basis"), "adjustment": ("调整额（万元）", "adjustment (10k CNY)"),
    "adjustment_share": ("调整幅度", "adjustment share"), "amount": ("三公经费（万元）", "三公 total (10k CNY)"),
    "staff_count": ("人数", "staff"), "per_staff": ("人均（万元）", "per staff member (10k CNY)"),
}  # fmt: skip
MONEY = {"budget_initial", "budget_adjusted", "actual", "adjustment", "amount", "per_staff"}
RATES = {"execution_rate", "lower", "upper", "adjustment_share"}
VOCABS = {
    "flag": {"low": ("偏低", "below"), "high": ("偏高", "above")},
    "basis": {"within": ("部门内", "within department"), "across": ("全部部门", "across departments")},
    "doc_kind": DOC_KIND,
}


def headed(df: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Screen rows for reading: 万元 with separators, rates as %, codes named, headers in ``lang``;
    a figure not printed is 未披露."""
    out = df.copy()
    for col in out.columns:
        if col in MONEY:
            out[col] = out[col].map(lambda v: fmt_wan(v, lang, unit=False))
        elif col in RATES:
            out[col] = out[col].map(lambda v: fmt_pct(v, lang))
        elif col == "staff_count":
            out[col] = out[col].map(lambda v: fmt_count(v, lang))
        elif col in VOCABS:
            out[col] = labelled(out[col], VOCABS[col], lang)
    return out.rename(columns={c: HEADERS[c][0 if lang == "zh" else 1] for c in out.columns if c in HEADERS})
