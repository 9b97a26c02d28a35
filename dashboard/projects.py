"""项目执行: execution rates across departments, budget vs actual, flagged projects (pure)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.common import add_doc_label, base_layout, sources_note
from dashboard.flags import FLAG, add_flag_points


def project_rows(projects: pd.DataFrame) -> pd.DataFrame:
    """Rows for single projects (scope "project"); the whole-department self-evaluation is apart."""
    if "scope" not in projects:
        return projects
    return projects[projects["scope"] != "department"]


def department_rows(projects: pd.DataFrame) -> pd.DataFrame:
    """The whole-department self-evaluation rows (部门整体支出): budget, actual, rate, score."""
    if "scope" not in projects:
        return projects.head(0)
    return projects[projects["scope"] == "department"].sort_values(["entity_id", "year"])


def flagged(projects: pd.DataFrame, low: float = 0.9, high: float = 1.0) -> pd.DataFrame:
    """Projects whose execution rate is below ``low`` or above ``high`` (rate not disclosed: not flagged)."""
    projects = project_rows(projects)
    rate = projects["execution_rate"]
    out = projects[(rate < low) | (rate > high)].copy()
    out["flag"] = ["low" if r < low else "high" for r in out["execution_rate"]]
    return out.sort_values("execution_rate")


def rate_figure(
    projects: pd.DataFrame, labels: dict[str, str], colors: dict[str, str], low: float, high: float, lang: str = "zh"
) -> go.Figure:
    """Every project's execution rate (actual / adjusted budget), one box+points per document."""
    df = add_doc_label(project_rows(projects).dropna(subset=["execution_rate"]), labels, lang)
    fig = go.Figure()
    for (eid, source), part in df.groupby(["entity_id", "source"], sort=True):
        fig.add_box(
            name=source,
            x=part["source"],
            y=part["execution_rate"],
            boxpoints="all",
            jitter=0,
            pointpos=0,
            marker_color=colors.get(eid),
            showlegend=False,
            text=part["project"],
            hovertemplate="%{text}<br>%{y:.1%}<extra>" + source + "</extra>",
        )
    if FLAG in df:
        add_flag_points(fig, df["source"], df["execution_rate"], df[FLAG], lang)
    for y in (low, high):
        fig.add_hline(y=y, line_dash="dot", line_color="#d62728")
    axis = "执行率（决算 / 调整预算）" if lang == "zh" else "Execution rate (actual / adjusted budget)"
    fig.update_layout(yaxis_tickformat=".0%", yaxis_title=axis)
    title = "项目执行率" if lang == "zh" else "Project execution rate"
    return base_layout(fig, title, sources_note(df, labels, lang))


def scatter_figure(projects: pd.DataFrame, labels: dict[str, str], colors: dict[str, str], lang: str = "zh") -> go.Figure:
    """Adjusted budget (x) against actual (y) on log axes; the diagonal is 100% execution."""
    rows = project_rows(projects)
    df = rows[(rows["budget_adjusted"] > 0) & (rows["actual"] > 0)]
    df = add_doc_label(df, labels, lang)
    fig = go.Figure()
    for (eid, source), part in df.groupby(["entity_id", "source"], sort=True):
        fig.add_scatter(
            name=source,
            x=part["budget_adjusted"],
            y=part["actual"],
            mode="markers",
            marker={"color": colors.get(eid), "size": 9},
            text=part["project"],
            hovertemplate=("%{text}<br>调整预算 %{x:,.2f} 万元<br>决算 %{y:,.2f} 万元<extra></extra>" if lang == "zh" else
                           "%{text}<br>adjusted budget %{x:,.2f}<br>actual %{y:,.2f} (10k CNY)<extra></extra>"),
        )
    if not df.empty:
        lo = min(df["budget_adjusted"].min(), df["actual"].min())
        hi = max(df["budget_adjusted"].max(), df["actual"].max())
        fig.add_scatter(x=[lo, hi], y=[lo, hi], mode="lines", name="100%", line={"dash": "dot", "color": "grey"})
    if FLAG in df:
        add_flag_points(fig, df["budget_adjusted"], df["actual"], df[FLAG], lang)
    fig.update_xaxes(type="log", title="调整预算（万元）" if lang == "zh" else "Adjusted budget (10k CNY)")
    fig.update_yaxes(type="log", title="决算（万元）" if lang == "zh" else "Actual (10k CNY)")
    title = "项目预算与决算（对数坐标）" if lang == "zh" else "Project budget vs actual (log axes)"
    return base_layout(fig, title, sources_note(df, labels, lang))
